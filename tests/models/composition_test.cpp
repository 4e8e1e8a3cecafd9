#include "models/composition.h"

#include <gtest/gtest.h>

#include "models/recipe.h"
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
  EXPECT_NEAR(c.active_volume_fraction + c.se_volume_fraction + c.porosity, 1.0, 1e-12);
  EXPECT_NEAR(c.porosity, 0.15, 1e-12);
  // Mass from volume fractions and densities.
  EXPECT_NEAR(c.active_mass_kg_m2, c.active_volume_fraction * 50e-6 * m.active_density_kg_m3,
              1e-12);
  EXPECT_NEAR(c.se_mass_kg_m2, c.se_volume_fraction * 50e-6 * m.se_density_kg_m3, 1e-12);
  EXPECT_NEAR(c.theoretical_capacity_C_m2, c.active_mass_kg_m2 * 372 * 3600, 1e-9);
}

TEST(Composition, DenserThanDenseMixtureIsClampedNotNegative) {
  const auto p = testing::SeedParameters();  // 2.413 g/cm3 > 2.10 g/cm3 dense 6:4
  const auto c = ComputeLayerComposition(p.materials, p.packing, 0.6, 63e-6);
  EXPECT_TRUE(c.porosity_clamped);
  EXPECT_EQ(c.porosity, 0.0);
  EXPECT_NEAR(c.active_volume_fraction + c.se_volume_fraction, 1.0, 1e-12);
  // Volume ratio NG:SE stays that of the weighed masses.
  EXPECT_NEAR(c.active_volume_fraction / c.se_volume_fraction, (0.6 / 2.26) / (0.4 / 1.9), 1e-9);
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
    ng += l.active_mass_kg_m2;
    total += l.composite_mass_kg_m2;
  }
  EXPECT_NEAR(s.mean_active_weight_fraction, ng / total, 1e-12);
  EXPECT_GT(s.mean_active_weight_fraction, 0.6);  // NG-rich layers are denser
  EXPECT_NEAR(s.thickness_m, 99e-6, 1e-15);
  EXPECT_NEAR(s.volumetric_capacity_C_m3, s.theoretical_capacity_C_m2 / 99e-6, 1e-6);
}

// Three components (issue 27): volumes and masses from the densities, nothing lost.
TEST(Composition, CarbonTakesItsShareOfMassAndVolume) {
  Materials m;
  m.active_density_kg_m3 = 4770.0;
  m.se_density_kg_m3 = 1860.0;
  m.carbon_density_kg_m3 = 1950.0;
  Packing packing;
  packing.porosity = 0.15;
  const double w = 0.8, c = 0.02, L = 60e-6;
  const auto x = ComputeLayerComposition(m, packing, w, L, c);
  EXPECT_NEAR(
      x.active_volume_fraction + x.se_volume_fraction + x.carbon_volume_fraction + x.porosity, 1.0,
      1e-12);
  EXPECT_NEAR(x.porosity, 0.15, 1e-12);
  EXPECT_NEAR(x.active_mass_kg_m2 + x.se_mass_kg_m2 + x.carbon_mass_kg_m2, x.composite_mass_kg_m2,
              1e-15);
  EXPECT_NEAR(x.carbon_mass_kg_m2, x.carbon_volume_fraction * L * m.carbon_density_kg_m3, 1e-12);
  EXPECT_NEAR(x.se_mass_kg_m2, x.se_volume_fraction * L * m.se_density_kg_m3, 1e-12);
  EXPECT_NEAR(x.carbon_mass_kg_m2 / x.composite_mass_kg_m2, c, 1e-12);
  // Dense density: the inverse of the weight-averaged specific volumes.
  EXPECT_NEAR(x.dense_density_kg_m3, 1.0 / (w / 4770.0 + (1 - w - c) / 1860.0 + c / 1950.0), 1e-9);
  // No carbon: exactly the two-component composite.
  const auto two = ComputeLayerComposition(m, packing, w, L);
  const auto zero = ComputeLayerComposition(m, packing, w, L, 0.0);
  EXPECT_EQ(two.se_volume_fraction, zero.se_volume_fraction);
  EXPECT_EQ(two.carbon_volume_fraction, 0.0);
}

// The recipe's powders add up to what is weighed: per pellet, per layer, and per batch.
TEST(Recipe, PowderMassesSumToTheWeighedTotals) {
  Materials m;
  m.active_material = "NCM622";
  m.electrolyte = "Li6PS5Cl";
  m.active_density_kg_m3 = 4770.0;
  m.se_density_kg_m3 = 1860.0;
  Packing packing;
  packing.porosity = 0.15;
  const double area = 0.785e-4, batch = 500e-6;
  const auto design = ParseDesign("60:39:1@30,80:18:2@50,85:15@20");
  const Recipe r = MakeRecipe(m, packing, design, area, batch);
  EXPECT_TRUE(r.has_carbon);
  EXPECT_EQ(r.active_label, "NCM622");
  EXPECT_EQ(r.se_label, "Li6PS5Cl");
  double pellet = 0.0;
  for (size_t k = 0; k < r.layers.size(); ++k) {
    const auto& l = r.layers[k];
    EXPECT_NEAR(l.active_mass_per_pellet_kg + l.se_mass_per_pellet_kg + l.carbon_mass_per_pellet_kg,
                l.composite_mass_per_pellet_kg, 1e-18);
    EXPECT_NEAR(l.batch_active_mass_kg + l.batch_se_mass_kg + l.batch_carbon_mass_kg, batch, 1e-18);
    EXPECT_NEAR(l.carbon_mass_per_pellet_kg / l.composite_mass_per_pellet_kg,
                design.layers[k].carbon_weight_fraction, 1e-12);
    EXPECT_NEAR(l.composite_mass_per_pellet_kg,
                l.apparent_density_kg_m3 * design.layers[k].thickness_m * area, 1e-18);
    pellet += l.composite_mass_per_pellet_kg;
  }
  EXPECT_NEAR(pellet, r.summary.composite_mass_kg_m2 * area, 1e-15);
  EXPECT_FALSE(MakeRecipe(m, packing, ParseDesign("6:4@30"), area, batch).has_carbon);
  EXPECT_EQ(MakeRecipe(Materials{}, packing, ParseDesign("6:4@30"), area, batch).active_label,
            "NG");
}

}  // namespace
}  // namespace edopt
