// Particle sizes and the networks they build (models/microstructure.h, docs/physics.md §3b).
#include "models/microstructure.h"

#include <gtest/gtest.h>

#include <cmath>

#include "models/cell_model.h"
#include "models/conductivity.h"
#include "tests/models/test_parameters.h"

namespace edopt {
namespace {

Materials Sized(double active_radius_m, double se_radius_m) {
  Materials m;
  m.particle_radius_m = active_radius_m;
  m.se_particle_radius_m = se_radius_m;
  return m;
}

// Without the SE's size, or without the ratio the thresholds were measured at, the laws are the
// measured ones: the seed scenario's predictions cannot move.
TEST(Microstructure, LawsHoldAsMeasuredWithoutSizes) {
  Transport t;
  t.percolation_size_ratio = 1.5;
  EXPECT_EQ(TransportAtSizes(t, Sized(5e-6, 0.0)).percolation_threshold, t.percolation_threshold);
  t.percolation_size_ratio = 0.0;
  EXPECT_EQ(TransportAtSizes(t, Sized(5e-6, 0.5e-6)).percolation_threshold,
            t.percolation_threshold);
  // At the ratio it was measured at, the threshold is the measured one.
  t.percolation_size_ratio = 4.0;
  EXPECT_NEAR(TransportAtSizes(t, Sized(6e-6, 1.5e-6)).percolation_threshold,
              t.percolation_threshold, 1e-15);
  EXPECT_NEAR(TransportAtSizes(t, Sized(6e-6, 1.5e-6)).electronic_percolation_threshold,
              t.electronic_percolation_threshold, 1e-15);
}

// Bertei & Nicolella 2011: psi_c = s / (s + (1 - s) lambda), s = 1.764/Z. Rigid spheres in a
// random packing (Z = 6): 0.294 at equal sizes; the law measured at one ratio must reproduce the
// closed form at every other.
TEST(Microstructure, ThresholdFollowsTheCoordinationNumberClosedForm) {
  const double s = kPercolationContacts / 6.0;
  Transport t;
  t.percolation_threshold = s;  // measured with equal sizes
  t.percolation_size_ratio = 1.0;
  for (const double lambda : {0.25, 0.5, 1.0, 2.0, 5.0, 20.0}) {
    const double expected = s / (s + (1 - s) * lambda);
    EXPECT_NEAR(TransportAtSizes(t, Sized(lambda * 1e-6, 1e-6)).percolation_threshold, expected,
                1e-12)
        << lambda;
  }
  // Measured at lambda0 = 2 instead: the same packing, the same closed form.
  t.percolation_threshold = s / (s + (1 - s) * 2.0);
  t.percolation_size_ratio = 2.0;
  EXPECT_NEAR(TransportAtSizes(t, Sized(7e-6, 1e-6)).percolation_threshold, s / (s + (1 - s) * 7.0),
              1e-12);
  // The active phase's network holds as measured by default, and moves the other way with its
  // own exponent (rigid spheres: finer SE isolates the active particles).
  EXPECT_EQ(TransportAtSizes(t, Sized(7e-6, 1e-6)).electronic_percolation_threshold,
            t.electronic_percolation_threshold);
  t.electronic_percolation_size_exponent = 1.0;
  t.electronic_percolation_threshold = s / (s + (1 - s) / 2.0);  // measured at lambda0 = 2
  EXPECT_NEAR(TransportAtSizes(t, Sized(7e-6, 1e-6)).electronic_percolation_threshold,
              s / (s + (1 - s) / 7.0), 1e-12);
}

// The cluster correlation of Bouvard & Lange: none of the SE spans at 1.764 contacts of its own
// kind, all of it from 4.236, continuous and rising between.
TEST(Microstructure, SpanningClusterLimits) {
  EXPECT_EQ(SpanningClusterFraction(kPercolationContacts), 0.0);
  EXPECT_EQ(SpanningClusterFraction(1.0), 0.0);
  EXPECT_EQ(SpanningClusterFraction(kFullClusterContacts), 1.0);
  EXPECT_NEAR(SpanningClusterFraction(kFullClusterContacts - 1e-9), 1.0, 1e-3);
  EXPECT_LT(SpanningClusterFraction(kPercolationContacts + 1e-9), 0.01);
  double last = 0.0;
  for (double z = 1.8; z < 4.3; z += 0.05) {
    EXPECT_GE(SpanningClusterFraction(z), last);
    last = SpanningClusterFraction(z);
  }
}

// One packing for the conductivity and the contacts: at the conductivity law's threshold the SE
// particles touch exactly 1.764 of their own (no spanning network, nothing reachable); an SE-rich
// layer reaches every active particle and covers it.
TEST(Microstructure, ContactsBreakUpAtTheConductivityThreshold) {
  const double floor = 1e-6;
  const double s = kPercolationContacts / 6.0;  // rigid spheres, random packing
  for (const double lambda : {0.5, 1.0, 3.0, 10.0}) {
    const double phi_c = s / (s + (1 - s) * lambda);
    const ContactStatistics at = LayerContacts(phi_c, lambda, phi_c, floor);
    EXPECT_NEAR(at.coordination * at.se_neighbour_share, kPercolationContacts, 1e-12);
    EXPECT_EQ(at.se_cluster_fraction, 0.0);
    EXPECT_EQ(at.reachable_fraction, floor);
    const ContactStatistics rich = LayerContacts(0.95, lambda, phi_c, floor);
    EXPECT_GT(rich.reachable_fraction, 0.999);
    EXPECT_GT(rich.covered_share, 0.8);
    double last = 0.0;
    for (double phi = phi_c; phi < 0.9; phi += 0.02) {
      const ContactStatistics c = LayerContacts(phi, lambda, phi_c, floor);
      EXPECT_GE(c.reachable_fraction, last - 1e-15);
      EXPECT_LE(c.covered_share, 1.0);
      last = c.reachable_fraction;
    }
  }
}

// The catalogue allows a threshold of 0: the SE percolates at any content, nothing is NaN.
TEST(Microstructure, ZeroThresholdReachesEverything) {
  const ContactStatistics c = LayerContacts(0.3, 4.0, 0.0, 1e-6);
  EXPECT_EQ(c.reachable_fraction, 1.0);
  EXPECT_TRUE(std::isfinite(c.covered_share));
  EXPECT_GT(c.covered_share, 0.5);
}

// Conservation: particles the SE network does not reach hold their lithium. A thin layer
// discharged slowly delivers the reachable share of its capacity, not more, and about all of it.
TEST(Microstructure, SlowDischargeDeliversTheReachableShare) {
  CellParameters p = testing::CathodeParameters();
  p.materials.se_particle_radius_m = 2.5e-6;  // lambda = 2
  p.transport.percolation_size_ratio = 2.0;   // the threshold holds as measured (0.21)
  const Design design{{{0.82, 25e-6, 0.01}}};
  const CellModel cell(p);
  const LayerProperties layer = cell.Layer(design.layers[0]);
  ASSERT_GT(layer.reachable_fraction, 0.3);
  ASSERT_LT(layer.reachable_fraction, 0.95);
  const DischargeResult r = cell.Simulate(design, 0.01);
  ASSERT_NE(r.end_reason, EndReason::kNumericalFailure);
  EXPECT_LE(r.utilization, layer.reachable_fraction + 3e-3);
  EXPECT_GT(r.utilization, layer.reachable_fraction - 0.05);
}

// The published ordering (Shi et al., Adv. Energy Mater. 10, 1902881, 2020; Schlautmann et al.,
// Adv. Energy Mater. 2023): at 90 wt% NCM a fine SE keeps the cathode working at 0.1C, a
// coarse one (the size ratio the threshold was measured at) leaves it dead.
TEST(Microstructure, FineSolidElectrolyteRescuesHighLoadingCathodes) {
  CellParameters p = testing::CathodeParameters();
  p.transport.percolation_size_ratio = 1.57;
  const Design design{{{0.90, 45e-6, 0.01}}};
  p.materials.se_particle_radius_m = 0.75e-6;  // D50 1.5 um
  const double fine = CellModel(p).Simulate(design, 0.1).utilization;
  p.materials.se_particle_radius_m = p.materials.particle_radius_m / 1.57;  // as measured
  const double coarse = CellModel(p).Simulate(design, 0.1).utilization;
  EXPECT_GT(fine, 0.9);
  EXPECT_LT(coarse, 0.1);
}

TEST(Microstructure, LargestParticleIsTheActivePowdersD90OrTheSe) {
  Materials m = Sized(6e-6, 0.0);
  EXPECT_DOUBLE_EQ(LargestParticleDiameter(m), 12e-6);
  m.particle_radius_spread = 0.5;  // D90/D50 of a lognormal: exp(1.2816 sigma)
  EXPECT_NEAR(LargestParticleDiameter(m), 12e-6 * std::exp(1.2816 * 0.5), 1e-12);
  m = Sized(1e-6, 4e-6);
  EXPECT_DOUBLE_EQ(LargestParticleDiameter(m), 8e-6);
}

}  // namespace
}  // namespace edopt
