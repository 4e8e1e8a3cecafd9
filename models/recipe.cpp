#include "models/recipe.h"

#include <cstdio>

#include "models/materials.h"
#include "models/microstructure.h"

namespace edopt {

Recipe MakeRecipe(const Materials& materials, const Packing& packing, const Design& design,
                  double area_m2, double batch_mass_kg) {
  ValidateDesign(design);
  Recipe recipe;
  recipe.area_m2 = area_m2;
  recipe.batch_mass_kg = batch_mass_kg;
  recipe.summary = SummarizeDesign(materials, packing, design);
  recipe.active_label = ActiveLabel(materials);
  recipe.se_label = ElectrolyteLabel(materials);
  recipe.active_d50_m = 2.0 * materials.particle_radius_m;
  recipe.se_d50_m = 2.0 * materials.se_particle_radius_m;
  recipe.largest_particle_m = LargestParticleDiameter(materials);
  for (size_t k = 0; k < design.layers.size(); ++k) {
    const auto& layer = design.layers[k];
    const auto& c = recipe.summary.layers[k];
    RecipeLayer r;
    r.deposition_order = static_cast<int>(k) + 1;
    r.active_weight_fraction = layer.active_weight_fraction;
    r.carbon_weight_fraction = layer.carbon_weight_fraction;
    r.thickness_m = layer.thickness_m;
    r.composite_mass_kg_m2 = c.composite_mass_kg_m2;
    r.composite_mass_per_pellet_kg = c.composite_mass_kg_m2 * area_m2;
    r.active_mass_per_pellet_kg = c.active_mass_kg_m2 * area_m2;
    r.se_mass_per_pellet_kg = c.se_mass_kg_m2 * area_m2;
    r.carbon_mass_per_pellet_kg = c.carbon_mass_kg_m2 * area_m2;
    r.batch_active_mass_kg = layer.active_weight_fraction * batch_mass_kg;
    r.batch_se_mass_kg = layer.se_weight_fraction() * batch_mass_kg;
    r.batch_carbon_mass_kg = layer.carbon_weight_fraction * batch_mass_kg;
    if (layer.carbon_weight_fraction > 0) recipe.has_carbon = true;
    r.theoretical_capacity_C_m2 = c.theoretical_capacity_C_m2;
    r.apparent_density_kg_m3 = c.apparent_density_kg_m3;
    recipe.layers.push_back(r);
    if (layer.thickness_m < recipe.largest_particle_m * (1 - 1e-9)) {
      char buffer[240];
      std::snprintf(buffer, sizeof buffer,
                    "layer %zu (%.4g um) is thinner than the largest particle (%.4g um): it cannot "
                    "be pressed as a continuous layer of that composition",
                    k + 1, layer.thickness_m * 1e6, recipe.largest_particle_m * 1e6);
      recipe.summary.warnings.emplace_back(buffer);
    }
  }
  return recipe;
}

}  // namespace edopt
