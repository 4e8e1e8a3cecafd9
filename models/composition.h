// From weight fractions to volume fractions, masses and theoretical capacity (docs/physics.md §2).
#pragma once

#include <string>
#include <vector>

#include "models/design.h"
#include "models/parameters.h"

namespace edopt {

struct LayerComposition {
  double active_volume_fraction = 0.0;
  double se_volume_fraction = 0.0;
  double carbon_volume_fraction = 0.0;
  double porosity = 0.0;
  double composite_mass_kg_m2 = 0.0;  // active + SE (+ carbon) per electrode area
  double active_mass_kg_m2 = 0.0;     // active material (NG or NCM)
  double se_mass_kg_m2 = 0.0;
  double carbon_mass_kg_m2 = 0.0;
  double theoretical_capacity_C_m2 = 0.0;  // NG mass x specific capacity
  // The apparent density exceeded the dense mixture: volume fractions were scaled to fill the
  // volume exactly (porosity 0) while the weighed mass, hence capacity, was kept.
  bool porosity_clamped = false;
  double dense_density_kg_m3 = 0.0;     // zero-porosity mixture density
  double apparent_density_kg_m3 = 0.0;  // composite mass / thickness
};

// Composition of one layer of active weight fraction w, carbon weight fraction c (of the whole
// layer; the SE is 1 - w - c) and thickness L.
LayerComposition ComputeLayerComposition(const Materials& materials, const Packing& packing,
                                         double active_weight_fraction, double thickness_m,
                                         double carbon_weight_fraction = 0.0);

// SE volume fraction of a composite of active weight fraction w without carbon (used for the
// reference point of the relative conductivity law).
double SeVolumeFraction(const Materials& materials, const Packing& packing,
                        double active_weight_fraction);

struct DesignSummary {
  double thickness_m = 0.0;
  double theoretical_capacity_C_m2 = 0.0;
  double composite_mass_kg_m2 = 0.0;
  double mean_active_weight_fraction = 0.0;  // active mass / composite mass of the whole electrode
  double volumetric_capacity_C_m3 = 0.0;     // theoretical capacity / thickness
  std::vector<LayerComposition> layers;
  std::vector<std::string> warnings;
};

DesignSummary SummarizeDesign(const Materials& materials, const Packing& packing,
                              const Design& design);

}  // namespace edopt
