#include "models/calibration.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace edopt {
namespace {

TEST(ThicknessFit, RecoversAnExactLine) {
  const double area = 1.327e-4, rho = 535.0, r0 = 12.0;
  std::vector<double> l = {33e-6, 63e-6, 103e-6}, r;
  for (double x : l) r.push_back(rho * x / area + r0);
  const auto fit = FitThicknessSeries(l, r, area);
  EXPECT_NEAR(fit.resistivity_ohm_m, rho, 1e-9 * rho);
  EXPECT_NEAR(fit.intercept_ohm, r0, 1e-9);
  EXPECT_NEAR(fit.kappa_eff_S_m, 1 / rho, 1e-12);
  EXPECT_NEAR(fit.r_squared, 1.0, 1e-12);
  // docs/physics.md §5: 535 ohm m, 63 um, 1.33 cm2 -> R_ion ~ 260 ohm per electrode.
  EXPECT_NEAR(rho * 63e-6 / 1.3e-4, 260, 3);
}

TEST(ThicknessFit, ConfidenceIntervalsCoverTheTruthAtTheirLevel) {
  // 400 noisy series of 4 thicknesses: the 95% intervals must cover the true resistivity and
  // intercept in 95% +- 3% of them (Student t with n - 2 = 2 degrees of freedom).
  const double area = 1.3e-4, rho = 535.0, r0 = 10.0;
  std::mt19937 rng(5);
  std::normal_distribution<double> noise(0.0, 8.0);
  int cover_rho = 0, cover_r0 = 0;
  const int trials = 400;
  for (int t = 0; t < trials; ++t) {
    std::vector<double> l = {30e-6, 60e-6, 90e-6, 120e-6}, r;
    for (double x : l) r.push_back(rho * x / area + r0 + noise(rng));
    const auto fit = FitThicknessSeries(l, r, area);
    cover_rho += fit.resistivity_ci95_ohm_m[0] <= rho && rho <= fit.resistivity_ci95_ohm_m[1];
    cover_r0 += fit.intercept_ci95_ohm[0] <= r0 && r0 <= fit.intercept_ci95_ohm[1];
  }
  EXPECT_NEAR(cover_rho / double(trials), 0.95, 0.03);
  EXPECT_NEAR(cover_r0 / double(trials), 0.95, 0.03);
}

TEST(ThicknessFit, OneThicknessGoesThroughTheOriginAndSaysSo) {
  const auto fit = FitThicknessSeries({63e-6, 63e-6}, {258, 262}, 1.3e-4);
  EXPECT_FALSE(fit.intercept_fitted);
  EXPECT_NEAR(fit.resistivity_ohm_m, 260 * 1.3e-4 / 63e-6, 1e-9);
  EXPECT_NE(fit.note.find("R_0 not determined"), std::string::npos);
}

TEST(CompositionLaw, RecoversAPercolationLaw) {
  const std::vector<double> phi = {0.613, 0.536, 0.444, 0.330, 0.248};
  std::vector<double> kappa;
  for (double p : phi) kappa.push_back(0.32 * std::pow((p - 0.21) / (1 - 0.21), 2.0));
  const auto fit = FitCompositionLaw(phi, kappa, 0.15, 1.5);
  ASSERT_TRUE(fit.percolation_fitted);
  EXPECT_NEAR(fit.percolation_threshold, 0.21, 2e-4);
  EXPECT_NEAR(fit.percolation_exponent, 2.0, 5e-3);
  EXPECT_NEAR(fit.kappa_se_S_m, 0.32, 0.005);
}

TEST(CompositionLaw, MinnmannSweepGivesTheirParameters) {
  // Minnmann et al. 2021, SI Table S2 (docs/physics.md §3): f at five SE fractions; their fit
  // phi_c = 0.21, t = 2.0 within -16%/+20%. A log-space fit lands close to it.
  const auto fit = FitCompositionLaw({0.613, 0.536, 0.444, 0.330, 0.248},
                                     {0.255, 0.166, 0.104, 0.0216, 0.0019}, 0.15, 1.5);
  EXPECT_NEAR(fit.percolation_threshold, 0.21, 0.03);
  EXPECT_NEAR(fit.percolation_exponent, 2.0, 0.4);
}

TEST(CompositionLaw, FewerCompositionsKeepThePrior) {
  const auto one = FitCompositionLaw({0.4}, {1.9e-3}, 0.21, 2.0);
  EXPECT_FALSE(one.percolation_fitted || one.exponent_fitted);
  EXPECT_NE(one.note.find("PRIOR"), std::string::npos);
  EXPECT_EQ(one.percolation_exponent, 2.0);
  const double k1 = 0.3 * std::pow((0.5 - 0.21) / 0.79, 2.4),
               k2 = 0.3 * std::pow((0.35 - 0.21) / 0.79, 2.4);
  const auto two = FitCompositionLaw({0.5, 0.35}, {k1, k2}, 0.21, 2.0);
  EXPECT_TRUE(two.exponent_fitted);
  EXPECT_NEAR(two.percolation_exponent, 2.4, 1e-9);
  EXPECT_EQ(two.percolation_threshold, 0.21);
}

}  // namespace
}  // namespace edopt
