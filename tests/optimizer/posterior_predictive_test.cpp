#include "optimizer/posterior_predictive.h"

#include <gtest/gtest.h>

#include <cmath>

#include "../models/test_parameters.h"
#include "models/cell_model.h"
#include "models/errors.h"

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
  const auto u = UtilizationDraws(testing::CalibratedSeedParameters(), t,
                                  ParseDesign("6:4@63"), 0.3, 2);
  for (size_t k = 1; k < u.size(); ++k) EXPECT_GE(u[k], u[k - 1] - 1e-9);
  const CellModel model(t.Apply(testing::CalibratedSeedParameters(), 2));
  EXPECT_EQ(model.Simulate(ParseDesign("6:4@63"), 0.3).utilization, u[2]);
}

}  // namespace
}  // namespace edopt
