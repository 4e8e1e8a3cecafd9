#include "optimizer/posterior_predictive.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <limits>
#include <random>

#include "../models/test_parameters.h"
#include "models/cell_model.h"
#include "models/errors.h"
#include "optimizer/ensemble_sampler.h"

namespace edopt {
namespace {

// One draw: the interval of a normal measurement, model +- 1.96 noise.
TEST(PosteriorPredictive, OneDrawIsTheNormalInterval) {
  const auto i = MeasurementInterval({0.8}, {2.0});
  EXPECT_NEAR(i.low, 0.8 - 1.959964 * 0.02, 1e-6);
  EXPECT_NEAR(i.high, 0.8 + 1.959964 * 0.02, 1e-6);
  EXPECT_DOUBLE_EQ(i.median, 0.8);
}

// Negligible noise: the interval is the spread of the model over the draws (its 2.5 and 97.5
// percentiles); wide noise dominates a narrow model spread.
TEST(PosteriorPredictive, IntervalsFollowTheModelSpreadAndTheNoise) {
  std::vector<double> model, tiny, wide;
  for (int k = 0; k < 1000; ++k) {
    model.push_back(0.5 + 0.1 * (k + 0.5) / 1000);  // uniform on [0.5, 0.6]
    tiny.push_back(1e-6);
    wide.push_back(10.0);
  }
  const auto spread = MeasurementInterval(model, tiny);
  EXPECT_NEAR(spread.low, 0.5 + 0.1 * 0.025, 1e-4);
  EXPECT_NEAR(spread.high, 0.5 + 0.1 * 0.975, 1e-4);
  const auto noisy = MeasurementInterval(model, wide);
  // Nearly normal with the variances added: 0.1^2 + 0.1^2 / 12.
  EXPECT_NEAR(noisy.high - noisy.low, 2 * 1.96 * std::sqrt(0.01 + 0.01 / 12), 0.005);
  EXPECT_THROW(MeasurementInterval(model, {1.0}), ConfigError);
}

TEST(PosteriorPredictive, ThinningAndPairedComparison) {
  PosteriorSample s;
  s.keys = {"kinetics.solid_diffusivity_m2_s"};
  for (int k = 0; k < 10; ++k) {
    s.values.push_back({1e-15 * (k + 1)});
    s.noise_pp.push_back(1.0);
  }
  const auto t = s.Thinned(5);
  ASSERT_EQ(t.values.size(), 5u);
  EXPECT_DOUBLE_EQ(t.values[0][0], 2e-15);  // draws 1, 3, 5, 7, 9: evenly through
  EXPECT_DOUBLE_EQ(t.values[4][0], 1e-14);
  EXPECT_EQ(s.Thinned(0).values.size(), 10u);
  EXPECT_DOUBLE_EQ(ProbabilityBetter({1, 2, 3, 4}, {0, 3, 2, 5}), 0.5);
  // Every draw applied to the model: faster diffusion never delivers less.
  const auto u =
      UtilizationDraws(testing::CalibratedSeedParameters(), t, ParseDesign("6:4@63"), 0.3, 2);
  for (size_t k = 1; k < u.size(); ++k) EXPECT_GE(u[k], u[k - 1] - 1e-9);
  const CellModel model(t.Apply(testing::CalibratedSeedParameters(), 2));
  EXPECT_EQ(model.Simulate(ParseDesign("6:4@63"), 0.3).utilization, u[2]);
}

// Coverage at a cheap setting (issue 16), with a stand-in whose answer is known: straight-line
// data y = a + b x + N(0, sigma^2) at six x values, flat priors on a and b and log-uniform on
// sigma. The posterior predictive interval of a new measurement then covers it with probability
// exactly 0.95 (it is the Student-t interval of classical regression). Sampled with the same
// ensemble sampler and turned into intervals by the same mixture quantiles as the cell model's;
// 200 replicates x 2 held-out points: binomial standard error 0.011.
TEST(PosteriorPredictive, CoverageOfALinearGaussianStandIn) {
  const std::vector<double> xs = {0.0, 1.0, 2.0, 3.0, 4.0, 5.0};
  const std::vector<double> held = {2.5, 7.0};   // inside and beyond the data
  const double a = 0.2, b = 0.05, sigma = 0.03;  // utilizations well inside [0, 1]
  std::mt19937_64 rng(11);
  std::normal_distribution<double> noise(0.0, sigma);
  int inside = 0, total = 0;
  for (int replicate = 0; replicate < 200; ++replicate) {
    std::vector<double> ys;
    for (double x : xs) ys.push_back(a + b * x + noise(rng));
    auto log_density = [&](const std::vector<double>& p) {
      const double s = std::exp(p[2]);
      if (!(s > 1e-4 && s < 10)) return -std::numeric_limits<double>::infinity();
      double l = 0.0;
      for (size_t i = 0; i < xs.size(); ++i) {
        const double r = (ys[i] - p[0] - p[1] * xs[i]) / s;
        l += -0.5 * r * r - std::log(s);
      }
      return l;
    };
    std::vector<std::vector<double>> start;
    std::normal_distribution<double> jitter(0.0, 0.01);
    for (int w = 0; w < 12; ++w)
      start.push_back({a + jitter(rng), b + jitter(rng), std::log(sigma) + jitter(rng)});
    EnsembleOptions options;
    options.walkers = 12;
    options.burn_in = 200;
    options.steps = 400;
    options.thin = 10;
    options.seed = 100 + replicate;
    options.threads = 1;
    const auto chain = SampleEnsemble(log_density, start, options);
    for (double x : held) {
      std::vector<double> model, noise_pp;
      for (const auto& p : chain.samples) {
        model.push_back(p[0] + p[1] * x);
        noise_pp.push_back(100 * std::exp(p[2]));  // the interval takes points (1/100)
      }
      const auto interval = MeasurementInterval(model, noise_pp);
      const double measured = a + b * x + noise(rng);
      inside += measured >= interval.low && measured <= interval.high ? 1 : 0;
      ++total;
    }
  }
  const double coverage = static_cast<double>(inside) / total;
  std::printf("coverage %d of %d = %.3f\n", inside, total, coverage);
  EXPECT_GT(coverage, 0.95 - 3 * 0.011) << inside << " of " << total;
  EXPECT_LT(coverage, 0.95 + 3 * 0.011) << inside << " of " << total;
}

// Draws without a result (NaN: a numerical failure) leave the mixture and are counted; when
// every draw failed there is no interval, not one around zero.
TEST(PosteriorPredictive, FailedDrawsLeaveTheIntervalAndAreCounted) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<double> noise(4, 2.0);
  const auto some = MeasurementInterval({0.5, nan, 0.5, nan}, noise);
  const auto clean = MeasurementInterval({0.5, 0.5}, {2.0, 2.0});
  EXPECT_DOUBLE_EQ(some.low, clean.low);
  EXPECT_DOUBLE_EQ(some.high, clean.high);
  EXPECT_EQ(some.failed_draws, 2);
  EXPECT_EQ(some.draws, 4);
  const auto none = MeasurementInterval({nan, nan}, {2.0, 2.0});
  EXPECT_TRUE(std::isnan(none.low) && std::isnan(none.high));
  EXPECT_EQ(none.failed_draws, 2);
  EXPECT_DOUBLE_EQ(ProbabilityBetter({0.6, nan, 0.4}, {0.5, 0.5, 0.5}), 0.5);
  EXPECT_TRUE(std::isnan(ProbabilityBetter({nan}, {0.5})));
  // Quantiles of draws (the band table's 5th percentiles, sensitivity's robust picks) too.
  EXPECT_DOUBLE_EQ(Quantile({0.2, nan, 0.4}, 0.5), 0.3);
  EXPECT_TRUE(std::isnan(Quantile({nan, nan}, 0.05)));
}

}  // namespace
}  // namespace edopt
