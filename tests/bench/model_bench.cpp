// Hot path of every search: one constant-current discharge.
#include <benchmark/benchmark.h>

#include "models/cell_model.h"

namespace {

edopt::CellParameters Seed(double refinement) {
  edopt::CellParameters p;
  p.packing.apparent_density_kg_m3 = 2413.0;
  p.transport.reference_resistivity_ohm_m = 535.0;
  p.numerics.refinement = refinement;
  return p;
}

void BM_Discharge(benchmark::State& state, const char* design, double rate, double refinement) {
  const edopt::CellModel model(Seed(refinement));
  const auto d = edopt::ParseDesign(design);
  for (auto _ : state) {
    const auto r = model.Simulate(d, rate);
    benchmark::DoNotOptimize(r.utilization);
  }
}

BENCHMARK_CAPTURE(BM_Discharge, gradient_0p3C, "5:5@33,6:4@33,7:3@33", 0.3, 1.0)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Discharge, gradient_0p1C, "5:5@33,6:4@33,7:3@33", 0.1, 1.0)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Discharge, gradient_0p3C_refinement4, "5:5@33,6:4@33,7:3@33", 0.3, 4.0)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Discharge, uniform103_0p3C, "6:4@103", 0.3, 1.0)
    ->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
