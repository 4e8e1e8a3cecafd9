// Hot path of every search: one constant-current discharge.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "../models/test_parameters.h"
#include "models/cell_model.h"

namespace {

// The seed scenario: literature priors, and (calibrated = true) the rate calibration it ships
// with (scenarios/seed-kim-ng-lps.ini; slow effective solid diffusion).
edopt::CellParameters Seed(double refinement, bool calibrated) {
  auto p =
      calibrated ? edopt::testing::CalibratedSeedParameters() : edopt::testing::SeedParameters();
  p.numerics.refinement = refinement;
  return p;
}

void BM_Discharge(benchmark::State& state, const char* design, double rate, double refinement,
                  bool calibrated) {
  const edopt::CellModel model(Seed(refinement, calibrated));
  const auto d = edopt::ParseDesign(design);
  for (auto _ : state) {
    const auto r = model.Simulate(d, rate);
    benchmark::DoNotOptimize(r.utilization);
  }
  // The cost's factors: cells x Newton iterations (steps, rejected steps and the cutoff search).
  edopt::SimulationOptions options;
  options.record_profile = true;
  const auto r = model.Simulate(d, rate, options);
  state.counters["cells"] = static_cast<double>(r.profile.size());
  state.counters["steps"] = r.steps;
  state.counters["rejected"] = r.rejected_steps;
  state.counters["newton"] = r.newton_iterations;
}

BENCHMARK_CAPTURE(BM_Discharge, gradient_0p3C, "5:5@33,6:4@33,7:3@33", 0.3, 1.0, true)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Discharge, gradient_0p1C, "5:5@33,6:4@33,7:3@33", 0.1, 1.0, true)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Discharge, gradient_0p3C_refinement4, "5:5@33,6:4@33,7:3@33", 0.3, 4.0, true)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Discharge, uniform103_0p3C, "6:4@103", 0.3, 1.0, true)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Discharge, gradient_0p3C_priors, "5:5@33,6:4@33,7:3@33", 0.3, 1.0, false)
    ->Unit(benchmark::kMicrosecond);

// The cathode scenario (issue 27): NCM622 + Li6PS5Cl + carbon, two-rail electronic model.
void BM_CathodeDischarge(benchmark::State& state, const char* design, double rate) {
  const edopt::CellModel model(edopt::testing::CathodeParameters());
  const auto d = edopt::ParseDesign(design);
  for (auto _ : state) {
    const auto r = model.Simulate(d, rate);
    benchmark::DoNotOptimize(r.utilization);
  }
  const auto r = model.Simulate(d, rate);
  state.counters["steps"] = r.steps;
  state.counters["newton"] = r.newton_iterations;
}
BENCHMARK_CAPTURE(BM_CathodeDischarge, bilayer_0p3C, "60:39:1@30,80:19:1@30", 0.3)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_CathodeDischarge, uniform135_1C, "80:19:1@135", 1.0)
    ->Unit(benchmark::kMicrosecond);

// Accuracy study over the seed design space (a study, not a test: ~10 s): uniform layers of NG
// fraction 0.5-0.8 and 15-150 um at one C-rate, default numerics against refinement 4.
// Counters: the worst difference in percentage points and how many designs exceed 0.3.
void BM_MeshAccuracySweep(benchmark::State& state, double rate, bool calibrated) {
  const edopt::CellModel coarse(Seed(1.0, calibrated)), fine(Seed(4.0, calibrated));
  double worst = 0.0, over = 0.0, designs = 0.0;
  for (auto _ : state) {
    worst = over = designs = 0.0;
    for (int um = 15; um <= 150; um += 9) {
      for (int tenths : {5, 6, 7, 8}) {
        const auto d = edopt::ParseDesign(std::to_string(tenths) + ":" +
                                          std::to_string(10 - tenths) + "@" + std::to_string(um));
        const double e =
            100.0 * (coarse.Simulate(d, rate).utilization - fine.Simulate(d, rate).utilization);
        worst = std::max(worst, std::abs(e));
        over += std::abs(e) > 0.3 ? 1.0 : 0.0;
        designs += 1.0;
      }
    }
  }
  state.counters["worst_pp"] = worst;
  state.counters["over_0p3"] = over;
  state.counters["designs"] = designs;
}

BENCHMARK_CAPTURE(BM_MeshAccuracySweep, calibrated_0p1C, 0.1, true)
    ->Unit(benchmark::kSecond)
    ->Iterations(1);
BENCHMARK_CAPTURE(BM_MeshAccuracySweep, calibrated_0p3C, 0.3, true)
    ->Unit(benchmark::kSecond)
    ->Iterations(1);
BENCHMARK_CAPTURE(BM_MeshAccuracySweep, calibrated_1C, 1.0, true)
    ->Unit(benchmark::kSecond)
    ->Iterations(1);
BENCHMARK_CAPTURE(BM_MeshAccuracySweep, priors_0p1C, 0.1, false)
    ->Unit(benchmark::kSecond)
    ->Iterations(1);
BENCHMARK_CAPTURE(BM_MeshAccuracySweep, priors_0p3C, 0.3, false)
    ->Unit(benchmark::kSecond)
    ->Iterations(1);
BENCHMARK_CAPTURE(BM_MeshAccuracySweep, priors_1C, 1.0, false)
    ->Unit(benchmark::kSecond)
    ->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
