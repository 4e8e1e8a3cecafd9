#include "models/particle.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <vector>

namespace edopt {
namespace {

// One backward-Euler step of every mode: (1 + dt lambda_k) y_k' = y_k + dt source phi_k(surface)
// (normalized time: D = R = 1).
void Step(const SphericalDiffusion& p, double dt, double source, std::vector<double>* y) {
  for (int k = 0; k < p.shells(); ++k) {
    (*y)[k] = ((*y)[k] + dt * source * p.surface_mode()[k]) / (1.0 + dt * p.eigenvalues()[k]);
  }
}

// Constant flux N into a sphere: after the transient the profile is parabolic and
// c_surface - c_mean = N R / (5 D) (Crank, The Mathematics of Diffusion, §6.3.2).
// In normalized units with source s = d(theta_mean)/dt (D = R = 1): theta_s - theta_mean = s/15.
TEST(SphericalDiffusion, ConstantFluxReachesTheParabolicProfile) {
  for (int shells : {6, 24}) {
    SphericalDiffusion p(shells);
    const double s = 1e-2, dt = 0.01;
    std::vector<double> y(shells, 0.0);
    for (int step = 0; step < 300; ++step) Step(p, dt, s, &y);
    EXPECT_NEAR(y[0], s * 300 * dt, 1e-15);  // conservation: mode 0 is the mean, exact
    // Surface value by the model's extrapolation: outer shell + flux * gap (flux = s / 3).
    const auto theta = p.ToShells(y);
    const double surface = theta.back() + s / 3.0 * p.surface_gap();
    const double expected = s / 15.0;
    EXPECT_NEAR(surface - y[0], expected, (shells == 6 ? 0.05 : 0.005) * expected) << shells;
  }
}

TEST(SphericalDiffusion, VolumesPartitionTheSphere) {
  SphericalDiffusion p(7);
  EXPECT_NEAR(std::accumulate(p.volume().begin(), p.volume().end(), 0.0), 1.0, 1e-14);
  EXPECT_GT(p.surface_gap(), 0.0);
  EXPECT_LT(p.surface_gap(), 0.05);
}

// The modes are a complete, volume-orthonormal basis: shells -> modes -> shells is the
// identity, and mode 0 is the volume mean.
TEST(SphericalDiffusion, ModesRoundTripAndMode0IsTheMean) {
  SphericalDiffusion p(9);
  std::vector<double> theta(9);
  for (int k = 0; k < 9; ++k) theta[k] = 0.1 + 0.07 * k * k - 0.01 * k;
  const auto y = p.ToModes(theta);
  const auto back = p.ToShells(y);
  double mean = 0.0;
  for (int k = 0; k < 9; ++k) {
    EXPECT_NEAR(back[k], theta[k], 1e-13);
    mean += p.volume()[k] * theta[k];
  }
  EXPECT_NEAR(y[0], mean, 1e-14);
  EXPECT_EQ(p.eigenvalues()[0], 0.0);
  for (int k = 1; k < 9; ++k) EXPECT_GT(p.eigenvalues()[k], p.eigenvalues()[k - 1]);
}

// The discrete decay rates converge to the sphere's Neumann eigenvalues mu^2 with
// tan(mu) = mu: mu_1 = 4.493409, mu_2 = 7.725252 (Crank §6.3).
TEST(SphericalDiffusion, EigenvaluesConvergeToTheSphere) {
  const double exact[] = {4.493409457909064 * 4.493409457909064,
                          7.725251836937707 * 7.725251836937707};
  double previous[] = {1e300, 1e300};
  for (int shells : {8, 16, 32, 64}) {
    SphericalDiffusion p(shells);
    for (int n = 0; n < 2; ++n) {
      const double error = std::abs(p.eigenvalues()[n + 1] / exact[n] - 1.0);
      EXPECT_LT(error, previous[n]) << shells;
      previous[n] = error;
    }
  }
  // (the shells cluster at the surface, so the centre is coarse: ~0.2% at 64 shells)
  EXPECT_LT(previous[0], 3e-3);
  EXPECT_LT(previous[1], 3e-3);
}

// The size classes are the Gauss-Hermite quadrature of the lognormal volume distribution: the
// moments E[R^p] = R50^p exp(p^2 sigma^2 / 2) come out exactly for the small powers that matter
// (area per volume ~ E[1/R], diffusion time ~ R^2), and converge with the number of classes.
TEST(ParticleSizeClasses, GaussHermiteMomentsOfTheLognormal) {
  const double r50 = 6e-6, sigma = 0.7;
  const auto mono = ParticleSizeClasses(r50, sigma, 1);
  ASSERT_EQ(mono.size(), 1u);
  EXPECT_EQ(mono[0].radius_m, r50);
  EXPECT_EQ(ParticleSizeClasses(r50, 0.0, 6).size(), 1u);
  for (int classes : {4, 8, 12}) {
    const auto c = ParticleSizeClasses(r50, sigma, classes);
    ASSERT_EQ(static_cast<int>(c.size()), classes);
    double total = 0.0, median_log = 0.0;
    for (const auto& k : c) {
      total += k.volume_share;
      median_log += k.volume_share * std::log(k.radius_m / r50);
    }
    EXPECT_NEAR(total, 1.0, 1e-12);
    EXPECT_NEAR(median_log, 0.0, 1e-12);  // symmetric in ln R about the median
    for (double power : {-1.0, 1.0, 2.0}) {
      double moment = 0.0;
      for (const auto& k : c) moment += k.volume_share * std::pow(k.radius_m / r50, power);
      const double exact = std::exp(0.5 * power * power * sigma * sigma);
      EXPECT_NEAR(moment / exact, 1.0, classes >= 8 ? 1e-6 : 1e-2) << classes << " " << power;
    }
  }
}

// The Ecker 2015 shape (8.4e-13 exp(-11.3 x) + 8.2e-15) scaled to 1 at x = 0.5: falls with
// lithiation from 76x at x = 0 to 0.74x at full lithiation; constant is 1.
TEST(SolidDiffusivityShape, EckerShapeScaledAtMidStoichiometry) {
  EXPECT_EQ(SolidDiffusivityShape(DiffusivityLaw::kConstant, 0.2), 1.0);
  EXPECT_NEAR(SolidDiffusivityShape(DiffusivityLaw::kEcker2015, 0.5), 1.0, 1e-15);
  const double mid = 8.4e-13 * std::exp(-5.65) + 8.2e-15;
  EXPECT_NEAR(SolidDiffusivityShape(DiffusivityLaw::kEcker2015, 0.0), (8.4e-13 + 8.2e-15) / mid,
              1e-12);
  EXPECT_NEAR(SolidDiffusivityShape(DiffusivityLaw::kEcker2015, 1.0),
              (8.4e-13 * std::exp(-11.3) + 8.2e-15) / mid, 1e-12);
  for (double x = 0.01; x <= 1.0; x += 0.01) {
    EXPECT_LT(SolidDiffusivityShape(DiffusivityLaw::kEcker2015, x),
              SolidDiffusivityShape(DiffusivityLaw::kEcker2015, x - 0.01));
  }
}

}  // namespace
}  // namespace edopt
