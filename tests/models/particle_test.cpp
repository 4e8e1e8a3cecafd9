#include "models/particle.h"

#include <gtest/gtest.h>

#include <numeric>
#include <vector>

namespace edopt {
namespace {

// Constant flux N into a sphere: after the transient the profile is parabolic and
// c_surface - c_mean = N R / (5 D) (Crank, The Mathematics of Diffusion, §6.3.2).
// In normalized units with source s = 3 N/(R c) per unit time: theta_s - theta_mean = s R^2/(15 D).
TEST(SphericalDiffusion, ConstantFluxReachesTheParabolicProfile) {
  for (int shells : {6, 24}) {
    SphericalDiffusion p(shells);
    const double radius = 6e-6, d = 1e-13, s = 1e-4;  // s: d(theta_mean)/dt
    const double dt = 0.5;
    std::vector<double> theta(shells, 0.0);
    p.Prepare(1.0, dt, d, radius);
    for (int step = 0; step < 2000; ++step) {
      for (int k = 0; k < shells; ++k) theta[k] *= p.volume()[k];
      p.Solve(theta.data());
      for (int k = 0; k < shells; ++k) theta[k] += p.response()[k] * dt * s;
    }
    double mean = 0.0;
    for (int k = 0; k < shells; ++k) mean += p.volume()[k] * theta[k];
    EXPECT_NEAR(mean, s * 2000 * dt, 1e-12);  // conservation, exact
    // Surface value by the model's own extrapolation: outer shell + flux * gap / D.
    const double surface = theta.back() + s * radius * radius / (3 * d) * p.surface_gap();
    const double expected = s * radius * radius / (15 * d);
    EXPECT_NEAR(surface - mean, expected, (shells == 6 ? 0.05 : 0.005) * expected) << shells;
  }
}

TEST(SphericalDiffusion, VolumesPartitionTheSphere) {
  SphericalDiffusion p(7);
  EXPECT_NEAR(std::accumulate(p.volume().begin(), p.volume().end(), 0.0), 1.0, 1e-14);
  EXPECT_GT(p.surface_gap(), 0.0);
  EXPECT_LT(p.surface_gap(), 0.05);
}

}  // namespace
}  // namespace edopt
