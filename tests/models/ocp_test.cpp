#include "models/ocp.h"

#include <gtest/gtest.h>

#include <cmath>

#include "models/errors.h"

namespace edopt {
namespace {

TEST(Ocp, HermiteTableMatchesClosedFormsEverywhere) {
  for (const auto& name : BuiltinOcpNames()) {
    const auto curve = OcpCurve::Builtin(name);
    double (*exact)(double) = name == "Chen2020"    ? OcpChen2020
                              : name == "Ecker2015" ? OcpEcker2015
                                                    : OcpDualfoilMcmb;
    double worst = 0.0, worst_slope = 0.0;
    for (int k = 0; k <= 100000; ++k) {
      const double x = k / 100000.0;
      double u = 0.0, du = 0.0;
      curve.Evaluate(x, &u, &du);
      worst = std::max(worst, std::abs(u - exact(x)));
      if (x > 1e-3 && x < 1 - 1e-3) {
        const double h = 1e-6;
        const double fd = (exact(x + h) - exact(x - h)) / (2 * h);
        worst_slope = std::max(worst_slope, std::abs(du - fd) / (1 + std::abs(fd)));
      }
    }
    EXPECT_LT(worst, 2e-6) << name;
    EXPECT_LT(worst_slope, 1e-3) << name;
  }
}

// docs/physics.md §2: none of the published graphite fits reaches 0 V below x = 1; they sit
// 0.06-0.09 V at full lithiation, so a 0 V cutoff is reached through overpotential.
TEST(Ocp, PublishedCurvesStayAboveZeroAtFullLithiation) {
  for (double (*u)(double) : {OcpChen2020, OcpEcker2015, OcpDualfoilMcmb}) {
    EXPECT_GT(u(1.0), 0.05);
    EXPECT_LT(u(1.0), 0.10);
    for (double x = 0; x <= 1.0; x += 1e-3) EXPECT_GT(u(x), 0.0) << x;
  }
  // Ecker2015 crosses 0 V just above x = 1 (near 1.04) and is clamped at x <= 1.
  EXPECT_DOUBLE_EQ(OcpEcker2015(1.04), OcpEcker2015(1.0));
}

TEST(Ocp, DelithiatedGraphiteIsAboveOneVolt) {
  EXPECT_GT(OcpChen2020(0.0), 1.5);
  EXPECT_GT(OcpDualfoilMcmb(0.0), 1.5);
  EXPECT_GT(OcpEcker2015(0.0), 0.8);
}

// Tables are interpolated linearly, then resampled onto the Hermite grid: exact between kinks,
// within 0.1 mV next to them.
TEST(Ocp, TableInterpolatesLinearlyAndHoldsEndValues) {
  const auto curve = OcpCurve::FromTable({0.1, 0.5, 0.9}, {0.5, 0.1, 0.08});
  EXPECT_NEAR(curve(0.1), 0.5, 1e-4);
  EXPECT_NEAR(curve(0.3), 0.3, 1e-9);
  EXPECT_NEAR(curve(0.7), 0.09, 1e-9);
  EXPECT_NEAR(curve(0.0), 0.5, 1e-9);
  EXPECT_NEAR(curve(1.0), 0.08, 1e-9);
}

TEST(Ocp, BadTablesAndNamesAreConfigErrors) {
  EXPECT_THROW(OcpCurve::FromTable({0.1}, {0.5}), ConfigError);
  EXPECT_THROW(OcpCurve::FromTable({0.5, 0.1}, {0.5, 0.1}), ConfigError);
  EXPECT_THROW(OcpCurve::FromTable({0.1, NAN}, {0.5, 0.1}), ConfigError);
  EXPECT_THROW(OcpCurve::Builtin("Chen2021"), ConfigError);
}

}  // namespace
}  // namespace edopt
