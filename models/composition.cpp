#include "models/composition.h"

#include <cstdio>

namespace edopt {

namespace {

// Zero-porosity density of the mixture; a layer without carbon adds exactly 0 to the sum.
double DenseDensity(const Materials& m, double w, double c) {
  return 1.0 / (w / m.active_density_kg_m3 + (1.0 - w - c) / m.se_density_kg_m3 +
                c / m.carbon_density_kg_m3);
}

}  // namespace

LayerComposition ComputeLayerComposition(const Materials& m, const Packing& packing, double w,
                                         double thickness_m, double carbon) {
  LayerComposition c;
  c.dense_density_kg_m3 = DenseDensity(m, w, carbon);
  c.apparent_density_kg_m3 = packing.apparent_density_kg_m3 > 0
                                 ? packing.apparent_density_kg_m3
                                 : (1.0 - packing.porosity) * c.dense_density_kg_m3;
  c.composite_mass_kg_m2 = c.apparent_density_kg_m3 * thickness_m;
  c.active_mass_kg_m2 = w * c.composite_mass_kg_m2;
  c.se_mass_kg_m2 = (1.0 - w - carbon) * c.composite_mass_kg_m2;
  c.carbon_mass_kg_m2 = carbon * c.composite_mass_kg_m2;
  c.theoretical_capacity_C_m2 = c.active_mass_kg_m2 * m.active_specific_capacity_C_kg;
  const double v_active = w * c.apparent_density_kg_m3 / m.active_density_kg_m3;
  const double v_se = (1.0 - w - carbon) * c.apparent_density_kg_m3 / m.se_density_kg_m3;
  const double v_c = carbon * c.apparent_density_kg_m3 / m.carbon_density_kg_m3;
  const double solid = v_active + v_se + v_c;
  if (solid > 1.0) {
    // Pressed pellets are near fully dense and micrometre thicknesses approximate
    // (docs/physics.md §2): keep the weighed mass, fill the volume, never a negative porosity.
    c.porosity_clamped = true;
    c.active_volume_fraction = v_active / solid;
    c.se_volume_fraction = v_se / solid;
    c.carbon_volume_fraction = v_c / solid;
    c.porosity = 0.0;
  } else {
    c.active_volume_fraction = v_active;
    c.se_volume_fraction = v_se;
    c.carbon_volume_fraction = v_c;
    c.porosity = 1.0 - solid;
  }
  return c;
}

double SeVolumeFraction(const Materials& m, const Packing& packing, double w) {
  return ComputeLayerComposition(m, packing, w, 1.0).se_volume_fraction;
}

DesignSummary SummarizeDesign(const Materials& m, const Packing& packing, const Design& design) {
  DesignSummary s;
  double active_mass = 0.0;
  for (size_t k = 0; k < design.layers.size(); ++k) {
    const auto& layer = design.layers[k];
    const auto c = ComputeLayerComposition(m, packing, layer.active_weight_fraction,
                                           layer.thickness_m, layer.carbon_weight_fraction);
    s.thickness_m += layer.thickness_m;
    s.theoretical_capacity_C_m2 += c.theoretical_capacity_C_m2;
    s.composite_mass_kg_m2 += c.composite_mass_kg_m2;
    active_mass += c.active_mass_kg_m2;
    if (c.porosity_clamped && !packing.dense_pellet_expected && s.warnings.empty()) {
      char buffer[400];
      std::snprintf(buffer, sizeof buffer,
                    "electrode.apparent_density_g_cm3 = %.4g is above the dense (zero-porosity) "
                    "mixture density of the layers simulated; their porosity is clamped to 0 and "
                    "the weighed mass kept (set electrode.dense_pellet_expected = true when this "
                    "is intended)",
                    packing.apparent_density_kg_m3 * 1e-3);
      s.warnings.emplace_back(buffer);
    }
    s.layers.push_back(c);
  }
  if (s.composite_mass_kg_m2 > 0)
    s.mean_active_weight_fraction = active_mass / s.composite_mass_kg_m2;
  if (s.thickness_m > 0) s.volumetric_capacity_C_m3 = s.theoretical_capacity_C_m2 / s.thickness_m;
  return s;
}

}  // namespace edopt
