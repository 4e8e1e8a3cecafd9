// Issue 16: do the posterior's 95% intervals hold 95% of new measurements? Synthetic rate
// tables from known parameters (the seed scenario's form and calibration) with known Gaussian
// scatter (2 points), each calibrated (least squares, then the posterior), then held-out
// measurements (the three-layer gradient at 0.1C and 0.3C, 6:4@80 at 0.3C, with fresh
// scatter) checked against their predictive intervals; the seed table's six cells once, and
// each built twice. Counter `coverage`: the fraction
// inside, over replicates x held-out measurements (binomial standard error ~0.03 at 0.95 with
// 20 x 3). About 8 min on 2 cores:
//   build/tests/edopt_calibration_bench --benchmark_filter=IntervalCoverage
#include <benchmark/benchmark.h>

#include <random>

#include "../models/test_parameters.h"
#include "models/cell_model.h"
#include "optimizer/planner.h"
#include "optimizer/posterior_predictive.h"
#include "optimizer/rate_fit.h"
#include "optimizer/rate_posterior.h"

namespace {

// The seed table's six cells, each built `copies` times.
std::vector<edopt::RatePoint> SeedTable(const edopt::CellParameters& truth, int copies) {
  std::vector<edopt::RatePoint> points;
  for (int c = 0; c < copies; ++c) {
    for (double thickness : {33.0, 63.0, 103.0}) {
      for (double rate : {0.1, 0.3}) {
        edopt::RatePoint p;
        p.design = edopt::ParseDesign("6:4@" + std::to_string(thickness));
        p.c_rate = rate;
        points.push_back(p);
      }
    }
  }
  const auto u = edopt::PredictUtilization(truth, points, 0);
  for (size_t i = 0; i < points.size(); ++i) points[i].measured_utilization = u[i];
  return points;
}

void BM_IntervalCoverage(benchmark::State& state) {
  const int replicates = static_cast<int>(state.range(0));
  const int copies = static_cast<int>(state.range(1));
  const double noise = 0.02;
  const edopt::CellParameters truth = edopt::testing::CalibratedSeedParameters();
  const edopt::CellModel truth_model(truth);
  const auto clean = SeedTable(truth, copies);
  struct HeldOut {
    edopt::Design design;
    double c_rate;
  };
  const std::vector<HeldOut> held = {{edopt::ParseDesign("5:5@33,6:4@33,7:3@33"), 0.1},
                                     {edopt::ParseDesign("5:5@33,6:4@33,7:3@33"), 0.3},
                                     {edopt::ParseDesign("6:4@80"), 0.3}};
  std::vector<double> truth_u;
  for (const auto& h : held)
    truth_u.push_back(truth_model.Simulate(h.design, h.c_rate).utilization);
  // Priors as the seed calibration starts: E_a 20 kJ/mol, D_s 3.5e-14.
  edopt::CellParameters start = truth;
  start.transport.activation_energy_J_mol = 20e3;
  start.kinetics.solid_diffusivity_m2_s = 3.5e-14;
  int inside = 0, total = 0;
  double width = 0.0;
  for (auto _ : state) {
    for (int r = 0; r < replicates; ++r) {
      std::mt19937_64 rng(1000 + r);
      std::normal_distribution<double> scatter(0.0, noise);
      auto table = clean;
      for (auto& p : table) p.measured_utilization += scatter(rng);
      const auto fit = edopt::FitRates(start, table);
      edopt::RatePosteriorOptions options;
      options.sampler.walkers = 16;
      options.sampler.burn_in = 200;
      options.sampler.steps = 400;
      options.sampler.thin = 8;
      options.sampler.seed = 1 + r;
      const auto post = edopt::SampleRatePosterior(start, table, fit, options);
      const edopt::PosteriorSample sample = edopt::ToSample(post).Thinned(200);
      for (size_t h = 0; h < held.size(); ++h) {
        const auto draws =
            edopt::UtilizationDraws(start, sample, held[h].design, held[h].c_rate, 0);
        const auto interval = edopt::MeasurementInterval(draws, sample.noise_pp);
        const double measured = truth_u[h] + scatter(rng);
        inside += measured >= interval.low && measured <= interval.high ? 1 : 0;
        width += interval.high - interval.low;
        ++total;
      }
    }
  }
  state.counters["coverage"] = static_cast<double>(inside) / total;
  state.counters["mean_width_pp"] = 100 * width / total;
  state.counters["measurements"] = total;
}
// (replicates, copies of each seed cell): the seed table's size, and twice it.
BENCHMARK(BM_IntervalCoverage)
    ->Args({20, 1})
    ->Args({12, 2})
    ->Iterations(1)
    ->Unit(benchmark::kSecond)
    ->UseRealTime();

// The planner's hot path: the preposterior width of one measurement over 800 draws and the
// 10 decision quantities of five bands (edopt plan runs it per candidate and per batch step).
void BM_ExpectedWidthAfter(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  std::mt19937_64 rng(3);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::vector<std::vector<double>> q(10, std::vector<double>(n));
  edopt::DrawPredictions y{std::vector<double>(n), std::vector<double>(n, 0.05)};
  for (size_t s = 0; s < n; ++s) {
    y.mean[s] = normal(rng);
    for (auto& v : q) v[s] = 10 * normal(rng) + 3 * y.mean[s];
  }
  for (auto _ : state) benchmark::DoNotOptimize(edopt::ExpectedWidthAfter(q, {&y}, 1));
  state.counters["draws"] = static_cast<double>(n);
}
BENCHMARK(BM_ExpectedWidthAfter)->Arg(200)->Arg(800)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
