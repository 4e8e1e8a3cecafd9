#include "models/conductivity.h"

#include <gtest/gtest.h>

#include <cmath>

namespace edopt {
namespace {

// Minnmann et al., J. Electrochem. Soc. 168, 040537 (2021), SI Table S2: NCM622/Li6PS5Cl at
// five compositions. The percolation law with phi_c = 0.21, t = 2.0 is within -16%/+20% of
// every point (docs/physics.md §3; the lowest point computes to +21.8%).
TEST(Conductivity, PercolationDefaultsReproduceMinnmannSweep) {
  const double phi[] = {0.613, 0.536, 0.444, 0.330, 0.248};
  const double measured[] = {0.255, 0.166, 0.104, 0.0216, 0.0019};
  Transport t;  // defaults: percolation, 0.21, 2.0
  for (int k = 0; k < 5; ++k) {
    const double ratio = ConductivityFraction(t, phi[k]) / measured[k];
    EXPECT_GT(ratio, 0.84 - 1e-3) << phi[k];
    EXPECT_LT(ratio, 1.22) << phi[k];
  }
}

// Kato et al., J. Phys. Chem. Lett. 9, 607 (2018): f = 0.175 at 57 vol% SE in graphite
// composites, "consistent with that law".
TEST(Conductivity, PercolationDefaultsAreConsistentWithKato) {
  Transport t;
  EXPECT_NEAR(ConductivityFraction(t, 0.57), 0.175, 0.175 * 0.25);
}

// docs/physics.md §3: Bruggeman p = 1.5 overestimates sulfide composites 2-3x at phi >= 0.44.
TEST(Conductivity, BruggemanOverestimatesDenseSulfideComposites) {
  Transport t;
  t.law = ConductivityLawKind::kPowerLaw;
  t.power_law_exponent = 1.5;
  const double ratio_613 = ConductivityFraction(t, 0.613) / 0.255;
  const double ratio_444 = ConductivityFraction(t, 0.444) / 0.104;
  EXPECT_GT(ratio_613, 1.8);
  EXPECT_LT(ratio_613, 3.2);
  EXPECT_GT(ratio_444, 1.8);
  EXPECT_LT(ratio_444, 3.2);
}

TEST(Conductivity, LimitsAndFloor) {
  Transport t;
  EXPECT_DOUBLE_EQ(ConductivityFraction(t, 1.0), 1.0);
  EXPECT_DOUBLE_EQ(ConductivityFraction(t, 0.1), t.conductivity_floor_fraction);
  EXPECT_TRUE(BelowPercolation(t, 0.2));
  EXPECT_FALSE(BelowPercolation(t, 0.3));
  t.law = ConductivityLawKind::kPowerLaw;
  EXPECT_DOUBLE_EQ(ConductivityFraction(t, 1.0), 1.0);
  EXPECT_NEAR(ConductivityFraction(t, 0.25), 0.125, 1e-12);
}

// The carbon additive's network conducts in parallel with the active material's, from its own
// threshold on; the option off is infinite whatever the carbon.
TEST(Conductivity, CarbonNetworkInParallel) {
  Transport t;
  EXPECT_TRUE(std::isinf(ElectronicConductivity(t, 0.5, 0.05)));
  t.electronic_conductivity_S_m = 1.0;
  t.carbon_conductivity_S_m = 1000.0;
  t.carbon_percolation_threshold = 0.01;
  t.carbon_percolation_exponent = 2.0;
  const double active = ElectronicConductivity(t, 0.5);
  EXPECT_DOUBLE_EQ(ElectronicConductivity(t, 0.5, 0.0), active);
  EXPECT_DOUBLE_EQ(ElectronicConductivity(t, 0.5, 0.01), active);  // at its threshold
  const double carbon = 1000.0 * std::pow((0.03 - 0.01) / 0.99, 2.0);
  EXPECT_NEAR(CarbonConductivity(t, 0.03), carbon, 1e-12);
  EXPECT_NEAR(ElectronicConductivity(t, 0.5, 0.03), active + carbon, 1e-12);
  // Below the active material's threshold carbon alone carries the electrons.
  EXPECT_NEAR(ElectronicConductivity(t, 0.1, 0.03), 1e-6 + carbon, 1e-12);
}

}  // namespace
}  // namespace edopt
