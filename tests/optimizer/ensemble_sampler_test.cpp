#include "optimizer/ensemble_sampler.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "models/errors.h"

namespace edopt {
namespace {

// A correlated Gaussian: mean (1, -2), standard deviations (0.5, 2), correlation 0.8.
double Gaussian(const std::vector<double>& x) {
  const double a = (x[0] - 1.0) / 0.5, b = (x[1] + 2.0) / 2.0, r = 0.8;
  return -0.5 * (a * a - 2 * r * a * b + b * b) / (1 - r * r);
}

std::vector<std::vector<double>> Ball(int walkers, std::vector<double> centre, double width) {
  std::mt19937_64 rng(7);
  std::normal_distribution<double> normal(0.0, width);
  std::vector<std::vector<double>> start(walkers, centre);
  for (auto& w : start) {
    for (auto& c : w) c += normal(rng);
  }
  return start;
}

// The sampler recovers a known posterior: means within four Monte Carlo errors (sd / sqrt(ESS)),
// standard deviations and the correlation within sampling error, quantiles of the normal, and
// diagnostics that say so.
TEST(EnsembleSampler, RecoversACorrelatedGaussian) {
  EnsembleOptions options;
  options.walkers = 32;
  options.steps = 2000;
  options.burn_in = 300;
  options.thin = 5;
  const auto r = SampleEnsemble(Gaussian, Ball(32, {0.0, 0.0}, 0.1), options);
  const double mean[2] = {1.0, -2.0}, sd[2] = {0.5, 2.0};
  for (int c = 0; c < 2; ++c) {
    EXPECT_NEAR(r.mean[c], mean[c], 4 * sd[c] / std::sqrt(r.ess[c])) << c;
    EXPECT_NEAR(r.sd[c] / sd[c], 1.0, 0.1) << c;
    EXPECT_NEAR(r.q025[c], mean[c] - 1.96 * sd[c], 0.2 * sd[c]) << c;
    EXPECT_NEAR(r.q975[c], mean[c] + 1.96 * sd[c], 0.2 * sd[c]) << c;
    EXPECT_LT(r.r_hat[c], 1.05) << c;
    EXPECT_GT(r.ess[c], 500) << c;
  }
  EXPECT_NEAR(r.correlation(0, 1), 0.8, 0.05);
  EXPECT_GT(r.acceptance, 0.2);
  EXPECT_LT(r.acceptance, 0.9);
  EXPECT_EQ(r.summary.termination, Termination::kConverged);
}

// A bounded support (-infinity outside the unit square): draws stay inside, and the uniform's
// quantiles come out.
TEST(EnsembleSampler, RespectsTheSupport) {
  auto box = [](const std::vector<double>& x) {
    return x[0] >= 0 && x[0] <= 1 && x[1] >= 0 && x[1] <= 1
               ? 0.0
               : -std::numeric_limits<double>::infinity();
  };
  EnsembleOptions options;
  options.steps = 1500;
  const auto r = SampleEnsemble(box, Ball(16, {0.5, 0.5}, 0.05), options);
  for (const auto& s : r.samples) {
    ASSERT_TRUE(s[0] >= 0 && s[0] <= 1 && s[1] >= 0 && s[1] <= 1);
  }
  for (int c = 0; c < 2; ++c) {
    EXPECT_NEAR(r.q025[c], 0.025, 0.02);
    EXPECT_NEAR(r.q975[c], 0.975, 0.02);
  }
}

TEST(EnsembleSampler, DeterministicAtAnyThreadCount) {
  EnsembleOptions options;
  options.steps = 50;
  options.burn_in = 10;
  options.threads = 1;
  const auto a = SampleEnsemble(Gaussian, Ball(8, {0.0, 0.0}, 0.1), options);
  options.threads = 2;
  const auto b = SampleEnsemble(Gaussian, Ball(8, {0.0, 0.0}, 0.1), options);
  EXPECT_EQ(a.samples, b.samples);
  options.seed = 2;
  const auto c = SampleEnsemble(Gaussian, Ball(8, {0.0, 0.0}, 0.1), options);
  EXPECT_NE(a.samples, c.samples);
}

// The diagnostics on chains of known structure: identical independent chains give R-hat ~ 1
// and tau ~ 1; chains stuck at different values give a large R-hat; an AR(1) chain with
// coefficient phi has tau = (1 + phi) / (1 - phi).
TEST(EnsembleSampler, DiagnosticsOnKnownChains) {
  std::mt19937_64 rng(3);
  std::normal_distribution<double> normal;
  std::vector<std::vector<double>> iid(8), stuck(8), ar(8);
  for (int c = 0; c < 8; ++c) {
    double y = 0.0;
    for (int t = 0; t < 4000; ++t) {
      iid[c].push_back(normal(rng));
      stuck[c].push_back(c + 0.01 * normal(rng));
      y = 0.8 * y + normal(rng);
      ar[c].push_back(y);
    }
  }
  EXPECT_NEAR(SplitRHat(iid), 1.0, 0.01);
  EXPECT_GT(SplitRHat(stuck), 10.0);
  EXPECT_NEAR(IntegratedAutocorrelationTime(iid), 1.0, 0.2);
  EXPECT_NEAR(IntegratedAutocorrelationTime(ar), 9.0, 1.5);
}

// Vehtari et al. 2021 on chains of known behaviour: independent draws (R-hat 1, ESS = draws),
// an AR(1) process (ESS = draws (1 - phi)/(1 + phi)), chains stuck at different locations (R-hat
// well above 1) and chains of different scales around one median (only the folded R-hat sees
// them).
TEST(EnsembleSampler, RankNormalizedDiagnosticsOnKnownChains) {
  std::mt19937_64 rng(11);
  std::normal_distribution<double> normal(0.0, 1.0);
  auto chains = [&](int m, int n, double phi, double shift, double scale) {
    std::vector<std::vector<double>> c(static_cast<size_t>(m));
    for (int k = 0; k < m; ++k) {
      double x = normal(rng);
      for (int t = 0; t < n; ++t) {
        x = phi * x + std::sqrt(1 - phi * phi) * normal(rng);
        c[static_cast<size_t>(k)].push_back((k == 0 ? shift : 0.0) + (k % 2 ? scale : 1.0) * x);
      }
    }
    return c;
  };
  const auto iid = chains(4, 2000, 0.0, 0.0, 1.0);
  EXPECT_LT(RankNormalizedSplitRHat(iid), 1.01);
  EXPECT_NEAR(BulkEffectiveSampleSize(iid) / 8000.0, 1.0, 0.15);
  EXPECT_NEAR(TailEffectiveSampleSize(iid) / 8000.0, 1.0, 0.25);
  const auto ar = chains(4, 4000, 0.9, 0.0, 1.0);
  EXPECT_NEAR(BulkEffectiveSampleSize(ar) / (16000.0 * 0.1 / 1.9), 1.0, 0.25);
  EXPECT_LT(RankNormalizedSplitRHat(ar), 1.02);
  EXPECT_GT(RankNormalizedSplitRHat(chains(4, 1000, 0.0, 1.0, 1.0)), 1.05);
  const auto scales = chains(4, 2000, 0.0, 0.0, 3.0);
  EXPECT_GT(RankNormalizedSplitRHat(scales), 1.05);
  EXPECT_LT(SplitRHat(scales), 1.02);  // the classic R-hat misses a difference of scale
}

TEST(EnsembleSampler, BadEnsemblesAreConfigErrors) {
  EnsembleOptions options;
  EXPECT_THROW(SampleEnsemble(Gaussian, Ball(3, {0.0, 0.0}, 0.1), options), ConfigError);
  EXPECT_THROW(SampleEnsemble(Gaussian, Ball(2, {0.0, 0.0}, 0.1), options), ConfigError);
  auto nowhere = [](const std::vector<double>&) { return -INFINITY; };
  EXPECT_THROW(SampleEnsemble(nowhere, Ball(8, {0.0, 0.0}, 0.1), options), ConfigError);
}

}  // namespace
}  // namespace edopt
