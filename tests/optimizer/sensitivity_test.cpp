#include "optimizer/sensitivity.h"

#include <gtest/gtest.h>

#include <cmath>

#include "../models/test_parameters.h"
#include "models/errors.h"

namespace edopt {
namespace {

CellParameters WithResistivityFactor(double f) {
  CellParameters p = testing::SeedParameters();
  p.transport.resistivity_factor = f;
  return p;
}

SensitivityOptions Small() {
  SensitivityOptions o;
  o.factors = {0.5, 2.0};
  o.space.max_layers = 2;
  o.search.evaluations = 300;
  o.search.population = 16;
  o.search.refinement_evaluations = 0;
  o.search.gap_fill_evaluations = 40;
  o.search.capacity_bands_C_m2 = {2 * 3.6e4, 3 * 3.6e4, 4 * 3.6e4};
  return o;
}

class Sensitivity : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    result_ = new SensitivityResult(RunSensitivity(WithResistivityFactor, Small()));
  }
  static void TearDownTestSuite() { delete result_; }
  static SensitivityResult* result_;
};
SensitivityResult* Sensitivity::result_ = nullptr;

TEST_F(Sensitivity, RaisingResistivityNeverRaisesTheBestUtilization) {
  // Up to the discrete model's noise under a parameter change: the mesh follows each layer's
  // ohmic length (so it changes with the resistivity) and the steps are adaptive; a nearly
  // saturated thin electrode moves by a few 1e-4 (measured 2.1e-4), far below the 0.3-point
  // accuracy target.
  constexpr double kNoise = 5e-4;
  const auto& r = *result_;
  ASSERT_EQ(r.factors, (std::vector<double>{0.5, 1.0, 2.0}));
  EXPECT_EQ(r.baseline, 1u);
  for (double c = 1.0; c <= 8.0; c += 0.25) {
    double previous = 2.0;
    for (size_t i = 0; i < r.factors.size(); ++i) {
      const int k = IndexAtCapacity(r.fronts[i], c * 3.6e4);
      const double best = k < 0 ? 0.0 : r.fronts[i][k].score;
      EXPECT_LE(best, previous + kNoise) << "capacity " << c << " factor " << r.factors[i];
      previous = best;
    }
  }
  for (size_t i = 1; i < r.factors.size(); ++i) EXPECT_LT(r.hypervolume[i], r.hypervolume[i - 1]);
  // Every pooled design, one by one (physics: more resistance never helps).
  for (const auto& u : r.pool_utilization) {
    EXPECT_GE(u[0] + kNoise, u[1]);
    EXPECT_GE(u[1] + kNoise, u[2]);
  }
}

TEST_F(Sensitivity, ElasticitiesMatchFiniteDifferencesOfSimulate) {
  const auto& r = *result_;
  ASSERT_FALSE(r.designs.empty());
  const double h = 0.05;
  for (size_t k = 0; k < r.designs.size(); ++k) {
    for (size_t i = 0; i < r.factors.size(); ++i) {
      const double f = r.factors[i];
      const double up =
          CellModel(WithResistivityFactor(f * std::exp(h))).Simulate(r.designs[k], 0.3).utilization;
      const double down = CellModel(WithResistivityFactor(f * std::exp(-h)))
                              .Simulate(r.designs[k], 0.3)
                              .utilization;
      EXPECT_NEAR(r.design_elasticity[k][i], (up - down) / (2 * h), 1e-12);
      EXPECT_LE(r.design_elasticity[k][i], 1e-9);  // more resistance, less utilization
      EXPECT_EQ(r.design_utilization[k][i],
                CellModel(WithResistivityFactor(f)).Simulate(r.designs[k], 0.3).utilization);
    }
  }
}

TEST_F(Sensitivity, RobustRecipeIsNeverWorseInTheWorstCase) {
  int found = 0;
  for (const auto& c : result_->robust) {
    if (!c.found) continue;
    ++found;
    EXPECT_GE(c.robust_worst, c.nominal_worst);
    EXPECT_GE(c.nominal_utilization[result_->baseline] + 1e-12,
              c.robust_utilization[result_->baseline]);  // nominal is best at factor 1
    double worst = 1;
    for (double u : c.robust_utilization) worst = std::min(worst, u);
    EXPECT_EQ(worst, c.robust_worst);
  }
  EXPECT_GT(found, 0);
}

TEST(SensitivityInput, BadFactorsAreConfigErrors) {
  auto o = Small();
  o.factors = {1.0, 0.0};
  EXPECT_THROW(RunSensitivity(WithResistivityFactor, o), ConfigError);
  o.factors = {};
  EXPECT_THROW(RunSensitivity(WithResistivityFactor, o), ConfigError);
}

TEST(Tornado, BarsAreSortedAndMoveTheRightWay) {
  std::vector<std::pair<std::string, ParameterScaling>> params = {
      {"resistivity", WithResistivityFactor}, {"exchange current", [](double f) {
                                                 CellParameters p = testing::SeedParameters();
                                                 p.kinetics.exchange_current_A_m2 *= f;
                                                 return p;
                                               }}};
  const auto bars = Tornado(params, ParseDesign("6:4@80"), 0.3, 0.3, 0);
  ASSERT_EQ(bars.size(), 2u);
  EXPECT_GE(bars[0].swing(), bars[1].swing());
  for (const auto& b : bars) {
    if (b.parameter == "resistivity") {
      EXPECT_GT(b.utilization_low, b.utilization_nominal);
      EXPECT_LT(b.utilization_high, b.utilization_nominal);
    }
  }
}

}  // namespace
}  // namespace edopt
