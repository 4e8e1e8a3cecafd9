#include "models/composition.h"

#include <gtest/gtest.h>

#include "models/units.h"
#include "test_parameters.h"

namespace edopt {
namespace {

// docs/physics.md §5: loading 15.2 mg/cm2 of 6:4 composite <-> ~63 um <-> 3.38 mAh/cm2.
TEST(Composition, SeedLoadingGivesPublishedCapacity) {
  const auto p = testing::SeedParameters();
  const auto c = ComputeLayerComposition(p.materials, p.packing, 0.6, 63e-6);
  EXPECT_NEAR(c.composite_mass_kg_m2 * 1e2, 15.2, 0.05);  // mg/cm2
  EXPECT_NEAR(c.theoretical_capacity_C_m2 / kC_m2_per_mAh_cm2, 3.38, 0.02);
}

TEST(Composition, PorousPackingConservesVolume) {
  Materials m;
  Packing packing;
  packing.porosity = 0.15;
  const auto c = ComputeLayerComposition(m, packing, 0.6, 50e-6);
  EXPECT_FALSE(c.porosity_clamped);
  EXPECT_NEAR(c.ng_volume_fraction + c.se_volume_fraction + c.porosity, 1.0, 1e-12);
  EXPECT_NEAR(c.porosity, 0.15, 1e-12);
  // Mass from volume fractions and densities.
  EXPECT_NEAR(c.ng_mass_kg_m2, c.ng_volume_fraction * 50e-6 * m.ng_density_kg_m3, 1e-12);
  EXPECT_NEAR(c.se_mass_kg_m2, c.se_volume_fraction * 50e-6 * m.se_density_kg_m3, 1e-12);
  EXPECT_NEAR(c.theoretical_capacity_C_m2, c.ng_mass_kg_m2 * 372 * 3600, 1e-9);
}

TEST(Composition, DenserThanDenseMixtureIsClampedNotNegative) {
  const auto p = testing::SeedParameters();  // 2.413 g/cm3 > 2.10 g/cm3 dense 6:4
  const auto c = ComputeLayerComposition(p.materials, p.packing, 0.6, 63e-6);
  EXPECT_TRUE(c.porosity_clamped);
  EXPECT_EQ(c.porosity, 0.0);
  EXPECT_NEAR(c.ng_volume_fraction + c.se_volume_fraction, 1.0, 1e-12);
  // Volume ratio NG:SE stays that of the weighed masses.
  EXPECT_NEAR(c.ng_volume_fraction / c.se_volume_fraction, (0.6 / 2.26) / (0.4 / 1.9), 1e-9);
  const auto s = SummarizeDesign(p.materials, p.packing, ParseDesign("6:4@63"));
  ASSERT_EQ(s.warnings.size(), 1u);
  EXPECT_NE(s.warnings[0].find("clamped"), std::string::npos);
}

TEST(Composition, DesignSummaryIsMassWeighted) {
  Materials m;
  Packing packing;  // dense: each layer's density differs with its composition
  const auto s = SummarizeDesign(m, packing, ParseDesign("5:5@33,6:4@33,7:3@33"));
  double ng = 0, total = 0;
  for (const auto& l : s.layers) {
    ng += l.ng_mass_kg_m2;
    total += l.composite_mass_kg_m2;
  }
  EXPECT_NEAR(s.mean_ng_weight_fraction, ng / total, 1e-12);
  EXPECT_GT(s.mean_ng_weight_fraction, 0.6);  // NG-rich layers are denser
  EXPECT_NEAR(s.thickness_m, 99e-6, 1e-15);
  EXPECT_NEAR(s.volumetric_capacity_C_m3, s.theoretical_capacity_C_m2 / 99e-6, 1e-6);
}

}  // namespace
}  // namespace edopt
