// The planner (optimizer/planner.h) and the composition law in the posterior
// (optimizer/rate_posterior.h): the preposterior math against the linear-Gaussian closed form,
// a case where only one composition matters, and a joint EIS + rate posterior round trip.
#include "optimizer/planner.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

#include "../models/test_parameters.h"
#include "models/errors.h"
#include "optimizer/rate_posterior.h"

namespace edopt {
namespace {

// Standard normal quantile (Acklam's rational approximation, |error| < 1.2e-9).
double NormalQuantile(double p) {
  static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,  -2.759285104469687e+02,
                             1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
  static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                             6.680131188771972e+01, -1.328068155288572e+01};
  static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                             -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
  static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                             3.754408661907416e+00};
  if (p < 0.02425) {
    const double q = std::sqrt(-2 * std::log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
           ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - 0.02425) return -NormalQuantile(1 - p);
  const double q = p - 0.5, r = q * q;
  return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
         (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

// theta ~ N(0, 1) as an exact quantile sample; y = theta + N(0, sigma^2). After one
// measurement the posterior variance is 1 / (1 + 1/sigma^2) whatever y is, so the expected 95%
// width is 3.92 times its root; after two, 1 / (1 + 2/sigma^2).
TEST(Planner, LinearGaussianPreposteriorWidthMatchesTheClosedForm) {
  const int n = 2000;
  std::vector<double> theta(n);
  for (int s = 0; s < n; ++s) theta[s] = NormalQuantile((s + 0.5) / n);
  const std::vector<std::vector<double>> quantities = {theta};
  EXPECT_NEAR(ExpectedWidthAfter(quantities, {}, 1), 3.92, 0.02);
  for (double sigma : {0.5, 1.0, 2.0}) {
    DrawPredictions y{theta, std::vector<double>(n, sigma)};
    double ess = 0;
    const double one = ExpectedWidthAfter(quantities, {&y}, 7, &ess);
    EXPECT_NEAR(one / (3.92 / std::sqrt(1 + 1 / (sigma * sigma))), 1.0, 0.03) << sigma;
    EXPECT_GT(ess, 100);
    const double two = ExpectedWidthAfter(quantities, {&y, &y}, 7);
    EXPECT_NEAR(two / (3.92 / std::sqrt(1 + 2 / (sigma * sigma))), 1.0, 0.04) << sigma;
  }
  // A measurement of something unrelated to the quantity leaves its width where it was.
  std::vector<double> other(n);
  for (int s = 0; s < n; ++s) other[s] = theta[(s * 7919) % n];  // a shuffle: independent
  DrawPredictions z{other, std::vector<double>(n, 0.5)};
  EXPECT_NEAR(ExpectedWidthAfter(quantities, {&z}, 3) / 3.92, 1.0, 0.05);
}

TEST(Planner, WeightedWidthIsUnbiasedAndCreditsNothingToOneDraw) {
  std::vector<double> v(100000);
  for (size_t s = 0; s < v.size(); ++s) v[s] = 2.0 * NormalQuantile((s + 0.5) / v.size());
  EXPECT_NEAR(WeightedWidth(v, std::vector<double>(v.size(), 1.0)) / (3.92 * 2.0), 1.0, 1e-3);
  const std::vector<double> few = {1, 2, 3, 4};
  EXPECT_NEAR(WeightedWidth(few, {0, 0, 1, 0}), WeightedWidth(few, {1, 1, 1, 1}), 1e-12);
  // Samples of 5 normal values: the mean width over many is 3.92 sigma (the c4 bias removed).
  std::mt19937_64 rng(3);
  std::normal_distribution<double> normal(0.0, 1.0);
  double mean = 0.0;
  const int repeats = 20000;
  for (int r = 0; r < repeats; ++r) {
    std::vector<double> x(5);
    for (auto& e : x) e = normal(rng);
    mean += WeightedWidth(x, {1, 1, 1, 1, 1}) / repeats;
  }
  EXPECT_NEAR(mean / 3.92, 1.0, 0.02);
}

// Draws from the priors of E_a, D_s and the percolation law (as the seed's posterior holds them
// when the lab measured one composition only).
PosteriorSample PriorDraws(int n) {
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  PosteriorSample s;
  s.keys = {"transport.activation_energy_kJ_mol", "kinetics.solid_diffusivity_m2_s",
            "transport.percolation_threshold", "transport.percolation_exponent"};
  for (int i = 0; i < n; ++i) {
    s.values.push_back(
        {12 + 8 * u(rng), 3e-16 * std::pow(5.0, u(rng)), 0.08 + 0.22 * u(rng), 1.3 + 1.7 * u(rng)});
    s.noise_pp.push_back(3.0);
  }
  return s;
}

// A design space that holds a single NG fraction (0.6): every band design and rival is a 6:4
// electrode, which the law (anchored at 6:4) does not touch, so no symmetric cell of another
// composition can inform the decision; a rate test can.
TEST(Planner, OnlyTheCompositionInUseIsWorthMeasuring) {
  const CellParameters cell = testing::CalibratedSeedParameters();
  const std::vector<BandDecision> decisions = {
      {"capacity>=3", ParseDesign("6:4@63"), ParseDesign("6:4@56"), true},
      {"capacity>=5", ParseDesign("6:4@100"), ParseDesign("6:4@93"), true}};
  std::vector<CandidateMeasurement> menu;
  for (double w : {0.3, 0.4, 0.5, 0.6, 0.7, 0.8}) {
    CandidateMeasurement m;
    m.cell.design.layers.push_back({w, 63e-6});
    m.cell.area_m2 = 1.327e-4;
    m.cost = 1.0;
    menu.push_back(m);
  }
  for (const char* d : {"6:4@63", "6:4@100", "6:4@33"}) {
    CandidateMeasurement m;
    m.kind = MeasurementKind::kRateTest;
    m.is_cell = false;
    m.rate_test.design = ParseDesign(d);
    m.rate_test.c_rate = 0.3;
    m.cost = 5.0;
    menu.push_back(m);
  }
  PlanOptions options;
  options.batch = 2;
  options.draws = 800;
  const Plan plan = PlanMeasurements(cell, PriorDraws(800), decisions, menu, options);
  ASSERT_EQ(plan.ranked.size(), menu.size());
  for (int i = 0; i < 3; ++i) {
    const auto& m = plan.ranked[static_cast<size_t>(i)].measurement;
    EXPECT_FALSE(m.is_cell && std::abs(m.cell.design.layers[0].active_weight_fraction - 0.6) > 1e-9)
        << "rank " << i + 1 << ": symmetric cell of NG "
        << m.cell.design.layers[0].active_weight_fraction;
  }
  EXPECT_GT(plan.ranked[0].width_before - plan.ranked[0].width_after, 0.5);
  EXPECT_EQ(plan.batch.size(), 2u);
  EXPECT_LE(plan.batch_width_after[1], plan.batch_width_after[0] + 1e-9);
}

// The planner's corners (hardening, issue 38): draws without a result leave no width instead of
// recursing without end, measurements with no result on any draw leave no truth instead of a
// crash, and a batch ends when no candidate narrows the width (a cell at the law's anchor tells
// nothing about draws that differ only in the law).
TEST(Planner, FailedDrawsAndUselessMeasurementsLeaveNoWidthAndNoBatch) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_TRUE(std::isnan(WeightedWidth({1.0, nan, nan}, {1.0, 1.0, 1.0})));
  EXPECT_TRUE(std::isnan(WeightedWidth({nan, nan}, {1.0, 1.0})));
  EXPECT_EQ(WeightedWidth({1.0, 2.0, nan}, {0.0, 1.0, 1.0}),
            WeightedWidth({1.0, 2.0, nan}, {1.0, 1.0, 1.0}));  // one draw left: the draws' width
  const std::vector<std::vector<double>> quantities = {{0.1, 0.2, 0.3, 0.4}};
  const DrawPredictions failed{{nan, nan, nan, nan}, {1.0, 1.0, 1.0, 1.0}};
  EXPECT_TRUE(std::isnan(ExpectedWidthAfter(quantities, {&failed}, 1)));
  const std::vector<std::vector<double>> none = {{nan, nan, nan, nan}};
  const DrawPredictions some{{0.1, 0.2, 0.3, 0.4}, {0.05, 0.05, 0.05, 0.05}};
  EXPECT_TRUE(std::isnan(ExpectedWidthAfter(none, {&some}, 1)));

  const CellParameters cell = testing::CalibratedSeedParameters();
  const std::vector<BandDecision> decisions = {
      {"capacity>=3", ParseDesign("6:4@63"), ParseDesign("6:4@56"), true}};
  CandidateMeasurement anchor;  // the reference composition: the law is 1 there in every draw
  anchor.cell.design.layers.push_back({0.6, 63e-6});
  anchor.cell.area_m2 = 1.327e-4;
  anchor.cost = 1.0;
  PlanOptions options;
  options.batch = 3;
  options.draws = 200;
  const Plan plan = PlanMeasurements(cell, PriorDraws(200), decisions, {anchor}, options);
  ASSERT_EQ(plan.ranked.size(), 1u);
  EXPECT_TRUE(plan.batch.empty()) << "width before " << plan.width_before << ", after "
                                  << plan.ranked[0].width_after;
}

// Issue 35: where the threshold moves with the size ratio by an uncertain exponent beta, a cell
// pressed with SE of the size ratio the threshold was measured at cannot tell beta (its
// threshold is the measured one for every beta): the planner gives it no value, while the same
// cell pressed with the scenario's fine SE narrows the decision.
TEST(Planner, OnlyCellsAwayFromTheMeasuredSizeRatioPinTheSizeExponent) {
  CellParameters cell = testing::CathodeParameters();
  cell.transport.percolation_size_ratio = 1.57;
  cell.materials.se_particle_radius_m = 0.75e-6;  // lambda = 6.7
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  PosteriorSample draws;
  draws.keys = {"transport.percolation_size_exponent"};
  for (int i = 0; i < 400; ++i) {
    draws.values.push_back({0.5 + u(rng)});
    draws.noise_pp.push_back(3.0);
  }
  const std::vector<BandDecision> decisions = {
      {"capacity>=4", ParseDesign("92:7:1@67"), ParseDesign("85:14:1@80"), true}};
  std::vector<CandidateMeasurement> menu(2);
  for (auto& m : menu) {
    m.cell.design.layers.push_back({0.92, 63e-6, 0.01});
    m.cell.area_m2 = 0.785e-4;
  }
  menu[0].cell.se_particle_radius_m = cell.materials.particle_radius_m / 1.57;  // lambda0
  PlanOptions options;
  options.draws = 400;
  options.batch = 1;
  const Plan plan = PlanMeasurements(cell, draws, decisions, menu, options);
  ASSERT_GT(plan.width_before, 1.0);  // beta matters to the decision at this size ratio
  const auto& first = plan.ranked[0];
  EXPECT_EQ(first.measurement.cell.se_particle_radius_m, 0.0) << "the scenario's SE first";
  EXPECT_GT(first.width_before - first.width_after, 0.2 * plan.width_before);
  const auto& second = plan.ranked[1];
  EXPECT_LT(second.width_before - second.width_after, options.min_narrowing * plan.width_before);
}

// Symmetric cells of five compositions and two rate tests, made by the model from known law
// parameters (with a fixed +-3% scatter on the resistances): the joint posterior holds the
// truth inside its 95% intervals.
TEST(Planner, JointEisAndRatePosteriorRecoversTheLaw) {
  CellParameters truth = testing::SeedParameters();
  SetFittable(&truth, "transport.activation_energy_kJ_mol", 15.0);
  SetFittable(&truth, "transport.percolation_threshold", 0.17);
  SetFittable(&truth, "transport.percolation_exponent", 2.4);
  LabTable table;
  const double scatter[] = {0.03, -0.02, 0.01, -0.03, 0.02};
  const double fractions[] = {0.3, 0.5, 0.6, 0.7, 0.8};
  for (int i = 0; i < 5; ++i) {
    SymmetricCellPoint c;
    c.design.layers.push_back({fractions[i], 63e-6});
    c.area_m2 = 1.327e-4;
    c.r_ion_ohm = PredictIonicResistance(truth, c) * (1 + scatter[i]);
    c.r_ion_se_ohm = 0.02 * c.r_ion_ohm;
    table.symmetric_cells.push_back(c);
  }
  for (double rate : {0.1, 0.3}) {
    RatePoint p;
    p.design = ParseDesign("6:4@63");
    p.c_rate = rate;
    table.rate_tests.push_back(p);
  }
  const auto u = PredictUtilization(truth, table.rate_tests, 0);
  for (size_t i = 0; i < u.size(); ++i) table.rate_tests[i].measured_utilization = u[i];
  RateFitOptions fit_options;
  fit_options.free = {FindFittable("transport.activation_energy_kJ_mol")};
  const CellParameters start = testing::SeedParameters();
  const auto fit = FitRates(start, table.rate_tests, fit_options);
  RatePosteriorOptions options;
  options.extra = DefaultPosteriorExtras(start, true, fit_options.free);
  options.sampler.walkers = 16;
  options.sampler.burn_in = 300;
  options.sampler.steps = 500;
  options.sampler.thin = 5;
  const auto post = SampleRatePosterior(start, table, fit, options);
  const std::vector<std::pair<std::string, double>> truths = {
      {"transport.activation_energy_kJ_mol", 15.0},
      {"transport.percolation_threshold", 0.17},
      {"transport.percolation_exponent", 2.4},
      {"transport.reference_resistivity_ohm_m", 535.0}};
  for (const auto& [key, value] : truths) {
    const auto at = std::find(post.names.begin(), post.names.end(), key) - post.names.begin();
    ASSERT_LT(at, static_cast<long>(post.names.size())) << key;
    EXPECT_LE(post.q025[at], value) << key;
    EXPECT_GE(post.q975[at], value) << key;
  }
  // The law is identified by the compositions: its interval is a fraction of the prior box.
  const auto t =
      std::find(post.names.begin(), post.names.end(), "transport.percolation_threshold") -
      post.names.begin();
  EXPECT_LT(post.q975[t] - post.q025[t], 0.5 * (0.30 - 0.08));
}

}  // namespace
}  // namespace edopt
