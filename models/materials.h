// The materials a scenario can name (docs/physics.md §13): active materials (natural graphite,
// NCM811, NCM622) and solid electrolytes (LPS glass-ceramic, argyrodite Li6PS5Cl), each a preset
// of published values with their sources, and the literature priors that differ from the
// catalogue's graphite/LPS ones. `materials.active_material` and `materials.electrolyte` apply
// them (models/catalogue.cpp); keys a scenario sets override a preset.
#pragma once

#include <string>
#include <vector>

#include "models/parameter.h"
#include "models/parameters.h"

namespace edopt {

// A literature prior of one scenario key that holds for a material (replacing the catalogue's).
struct MaterialPrior {
  std::string key;
  Prior prior;
};

struct MaterialPreset {
  std::string name;
  std::string description;  // for `edopt scenario` and docs
  // Sets the preset's values on top of the parameters (values the preset does not name are
  // left as they were).
  void (*apply)(CellParameters&) = nullptr;
  std::vector<MaterialPrior> priors;
};

// Active materials: "graphite" (the defaults of CellParameters), "NCM811", "NCM622", and
// "custom" (applies nothing: every value from the scenario).
const std::vector<MaterialPreset>& ActiveMaterials();
// Solid electrolytes: "LPS" (the defaults), "Li6PS5Cl", "custom".
const std::vector<MaterialPreset>& Electrolytes();

// The preset of that name in the list; throws ConfigError listing the names.
const MaterialPreset& FindMaterial(const std::vector<MaterialPreset>& list, const std::string& name,
                                   const std::string& what);

// How reports and recipes name the powders: "NG" and "LPS" for the seed materials, the presets'
// names otherwise ("NCM622", "Li6PS5Cl"), "active" and "SE" for custom materials.
std::string ActiveLabel(const Materials& materials);
std::string ElectrolyteLabel(const Materials& materials);

// The prior of `key` for these parameters: the active material's or electrolyte's own where its
// preset names one, else `fallback` (the catalogue's, for graphite and LPS).
const Prior& MaterialPriorOr(const std::string& key, const CellParameters& cell,
                             const Prior& fallback);

}  // namespace edopt
