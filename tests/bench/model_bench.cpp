// Hot path of every search: one constant-current discharge.
#include <benchmark/benchmark.h>

#include "models/cell_model.h"

namespace {

// The seed scenario: literature priors, and (calibrated = true) the rate calibration it ships
// with (scenarios/seed-kim-ng-lps.ini; slow effective solid diffusion).
edopt::CellParameters Seed(double refinement, bool calibrated) {
  edopt::CellParameters p;
  p.packing.apparent_density_kg_m3 = 2413.0;
  p.transport.reference_resistivity_ohm_m = 535.0;
  p.numerics.refinement = refinement;
  if (calibrated) {
    p.transport.activation_energy_J_mol = 11.1e3;
    p.kinetics.exchange_current_A_m2 = 10.0;
    p.kinetics.solid_diffusivity_m2_s = 3.8e-16;
    p.kinetics.separator_resistance_ohm_m2 = 14.5e-4;
  }
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
