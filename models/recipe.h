// What to weigh and spread before pelletizing a layered electrode.
#pragma once

#include <vector>

#include "models/composition.h"
#include "models/design.h"
#include "models/parameters.h"

namespace edopt {

struct RecipeLayer {
  int deposition_order = 0;             // 1 = first onto the pre-pressed SE pellet (separator side)
  double active_weight_fraction = 0.0;  // active material of the whole layer
  double carbon_weight_fraction = 0.0;  // SE is the rest
  double thickness_m = 0.0;
  double composite_mass_kg_m2 = 0.0;
  double composite_mass_per_pellet_kg = 0.0;
  double active_mass_per_pellet_kg = 0.0;
  double se_mass_per_pellet_kg = 0.0;
  double carbon_mass_per_pellet_kg = 0.0;
  double batch_active_mass_kg = 0.0;  // for a mixing batch of the given total mass
  double batch_se_mass_kg = 0.0;
  double batch_carbon_mass_kg = 0.0;
  double theoretical_capacity_C_m2 = 0.0;
  double apparent_density_kg_m3 = 0.0;
};

struct Recipe {
  bool has_carbon = false;  // some layer holds carbon: recipes list it as a third powder
  // Names of the powders for the lab: "NG" and "LPS" for the seed materials, else the presets'
  // names (models/materials.h); "active" / "SE" for custom materials.
  std::string active_label = "NG";
  std::string se_label = "LPS";
  double area_m2 = 0.0;
  double batch_mass_kg = 0.0;
  // The powders the prediction assumes (docs/physics.md §3b): D50 of the active material and of
  // the SE (0 = not given), and the largest particle no layer may be thinner than.
  double active_d50_m = 0.0;
  double se_d50_m = 0.0;
  double largest_particle_m = 0.0;
  std::vector<RecipeLayer> layers;
  DesignSummary summary;
};

Recipe MakeRecipe(const Materials& materials, const Packing& packing, const Design& design,
                  double area_m2, double batch_mass_kg);

}  // namespace edopt
