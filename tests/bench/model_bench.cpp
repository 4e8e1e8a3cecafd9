// Hot path of every search: one constant-current discharge.
#include <benchmark/benchmark.h>

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

}  // namespace

BENCHMARK_MAIN();
