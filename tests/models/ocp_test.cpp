#include "models/ocp.h"

#include <gtest/gtest.h>

#include <cmath>

#include "models/errors.h"

namespace edopt {
namespace {

TEST(Ocp, HermiteTableMatchesClosedFormsEverywhere) {
  for (const auto& name : BuiltinOcpNames()) {
    const auto curve = OcpCurve::Builtin(name);
    double (*exact)(double) = name == "Chen2020"               ? OcpChen2020
                              : name == "Ecker2015"            ? OcpEcker2015
                              : name == "DualfoilMCMB"         ? OcpDualfoilMcmb
                              : name == "NCM811_Chen2020"      ? OcpNcm811Chen2020
                              : name == "NCM622_Verbrugge2017" ? OcpNcm622Verbrugge2017
                                                               : OcpVerbrugge2017;
    // The MSMR curves have logarithmic ends (graphite: U -> 1.5 V as x -> 0, U -> -0.5 V as
    // x -> 0.9998; NCM622: U -> 5.5 V as x -> 0, U -> 3.0 V as x -> 0.9999) that no uniform
    // table follows: they are held to 2e-6 V on x in [0.002, 0.997] (graphite: U from 0.74 down
    // to -0.13 V, beyond any start or cutoff of the model; NCM622: 4.95 to 3.47 V vs Li) and to
    // 0.1 V (graphite) or their whole fall (NCM622's last table interval drops 0.46 V) outside.
    // NCM811's fit ends the same way past its measured window (the ideal-solution fall of the
    // last sites, to 3.0 V).
    const bool cathode = name == "NCM622_Verbrugge2017" || name == "NCM811_Chen2020";
    const bool msmr = name == "Verbrugge2017" || cathode;
    const double end_tolerance = cathode ? 0.5 : 0.1;
    double worst = 0.0, worst_slope = 0.0, worst_end = 0.0;
    for (int k = 0; k <= 100000; ++k) {
      const double x = k / 100000.0;
      double u = 0.0, du = 0.0;
      curve.Evaluate(x, &u, &du);
      const double error = std::abs(u - exact(x));
      if (msmr && (x < 0.002 || x > 0.997)) {
        worst_end = std::max(worst_end, error);
        continue;
      }
      worst = std::max(worst, error);
      if (x > 1e-3 && x < 1 - 1e-3) {
        const double h = 1e-6;
        const double fd = (exact(x + h) - exact(x - h)) / (2 * h);
        worst_slope = std::max(worst_slope, std::abs(du - fd) / (1 + std::abs(fd)));
      }
    }
    EXPECT_LT(worst, 2e-6) << name;
    EXPECT_LT(worst_end, end_tolerance) << name;
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

// The MSMR curve is the inverse of its closed-form lithiation x(U) (Verbrugge et al. 2017):
// round trip, staging plateaus at the galleries' standard potentials, and the 0 V crossing at
// the end of the stage-2 -> 1 plateau.
TEST(Ocp, MsmrGraphiteInvertsItsLithiationAndShowsTheStagingPlateaus) {
  for (double u = -0.45; u < 1.45; u += 0.01) {
    EXPECT_NEAR(OcpVerbrugge2017(MsmrGraphiteStoichiometry(u)), u, 1e-9) << u;
  }
  // Sum of the gallery shares: x -> 1 as U -> -infinity.
  EXPECT_NEAR(MsmrGraphiteStoichiometry(-50.0), 1.0, 2e-5);
  // Stage 2 -> 1 plateau: between x = 0.6 and 0.95 U stays within 0.085 +- 0.01 V.
  for (double x = 0.6; x <= 0.95; x += 0.01) EXPECT_NEAR(OcpVerbrugge2017(x), 0.085, 0.01) << x;
  // The 0 V cutoff sits at x = 0.991 (0.98 .. 0.995), not beyond full lithiation.
  const double at_zero = MsmrGraphiteStoichiometry(0.0);
  EXPECT_GT(at_zero, 0.98);
  EXPECT_LT(at_zero, 0.995);
  // Monotone decreasing.
  for (double x = 0.001; x < 1.0; x += 0.001) {
    EXPECT_LE(OcpVerbrugge2017(x), OcpVerbrugge2017(x - 0.001)) << x;
  }
}

// The cathodes (issue 27): the NCM622 MSMR curve inverts its closed-form lithiation, and both
// NCM curves place 4.3 V vs Li at the charged stoichiometry their presets start from.
TEST(Ocp, NcmCurvesInvertAndSitAtTheirWindow) {
  for (double u = 3.05; u < 5.45; u += 0.01) {
    EXPECT_NEAR(OcpNcm622Verbrugge2017(MsmrNcm622Stoichiometry(u)), u, 1e-9) << u;
  }
  EXPECT_NEAR(OcpNcm622Verbrugge2017(0.13), 4.30, 0.01);
  EXPECT_GT(MsmrNcm622Stoichiometry(3.0), 0.9998);  // the fall to 3 V is the last 1e-4 of x
  EXPECT_NEAR(OcpNcm811Chen2020(0.26), 4.30, 0.01);
  // Chen 2020's window in the LG M50 cell: x = 0.2661 (charged) .. 0.9084, 4.28 .. 3.56 V.
  EXPECT_NEAR(OcpNcm811Chen2020(0.9084), 3.56, 0.01);
  for (double (*u)(double) : {OcpNcm811Chen2020, OcpNcm622Verbrugge2017}) {
    for (double x = 0.101; x < 1.0; x += 0.001) EXPECT_LE(u(x), u(x - 0.001)) << x;
    EXPECT_GT(u(1.0), 2.9);  // no cliff below 3 V: the cutoff is reached through kinetics
  }
}

// A counter electrode off Li: the same curve, offset lower; the slope unchanged.
TEST(Ocp, ShiftedCurveIsTheCurveAgainstTheCounterElectrode) {
  const auto curve = OcpCurve::Builtin("NCM622_Verbrugge2017");
  const auto li_in = curve.Shifted(0.62);
  for (double x = 0.0; x <= 1.0; x += 0.01) {
    double u = 0, du = 0, v = 0, dv = 0;
    curve.Evaluate(x, &u, &du);
    li_in.Evaluate(x, &v, &dv);
    EXPECT_NEAR(v, u - 0.62, 1e-12) << x;
    EXPECT_EQ(dv, du) << x;
  }
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
