#include "models/parameters.h"

#include <cmath>
#include <sstream>

#include "models/errors.h"

namespace edopt {

const char* ToString(ConductivityLawKind kind) {
  switch (kind) {
    case ConductivityLawKind::kPercolation:
      return "percolation";
    case ConductivityLawKind::kPowerLaw:
      return "power_law";
  }
  return "?";
}

ConductivityLawKind ConductivityLawFromString(const std::string& text) {
  if (text == "percolation") return ConductivityLawKind::kPercolation;
  if (text == "power_law") return ConductivityLawKind::kPowerLaw;
  throw ConfigError("conductivity law '" + text + "' unknown; expected percolation or power_law");
}

namespace {

void Require(bool ok, const char* field, double value, const char* constraint) {
  if (ok) return;
  std::ostringstream os;
  os << "CellParameters::" << field << " = " << value << ". Violated constraint: " << constraint;
  throw ConfigError(os.str());
}

}  // namespace

void CellParameters::Validate() const {
  const auto& m = materials;
  Require(m.ng_density_kg_m3 > 0, "materials.ng_density_kg_m3", m.ng_density_kg_m3, "> 0");
  Require(m.se_density_kg_m3 > 0, "materials.se_density_kg_m3", m.se_density_kg_m3, "> 0");
  Require(m.ng_specific_capacity_C_kg > 0, "materials.ng_specific_capacity_C_kg",
          m.ng_specific_capacity_C_kg, "> 0");
  Require(m.particle_radius_m > 0, "materials.particle_radius_m", m.particle_radius_m, "> 0");
  Require(packing.porosity >= 0 && packing.porosity < 1, "packing.porosity", packing.porosity,
          "0 <= porosity < 1");
  Require(packing.apparent_density_kg_m3 >= 0, "packing.apparent_density_kg_m3",
          packing.apparent_density_kg_m3, ">= 0");
  Require(packing.contact_area_factor > 0, "packing.contact_area_factor",
          packing.contact_area_factor, "> 0");
  const auto& t = transport;
  Require(t.percolation_threshold >= 0 && t.percolation_threshold < 1,
          "transport.percolation_threshold", t.percolation_threshold, "0 <= phi_c < 1");
  Require(t.percolation_exponent > 0, "transport.percolation_exponent", t.percolation_exponent,
          "> 0");
  Require(t.power_law_exponent > 0, "transport.power_law_exponent", t.power_law_exponent, "> 0");
  Require(t.reference_resistivity_ohm_m >= 0, "transport.reference_resistivity_ohm_m",
          t.reference_resistivity_ohm_m, ">= 0");
  Require(t.reference_ng_weight_fraction > 0 && t.reference_ng_weight_fraction < 1,
          "transport.reference_ng_weight_fraction", t.reference_ng_weight_fraction, "in (0, 1)");
  Require(t.reference_resistivity_ohm_m > 0 || t.se_conductivity_S_m > 0,
          "transport.se_conductivity_S_m", t.se_conductivity_S_m,
          "> 0 when no reference resistivity is given");
  Require(t.resistivity_factor > 0, "transport.resistivity_factor", t.resistivity_factor, "> 0");
  Require(t.conductivity_floor_fraction > 0, "transport.conductivity_floor_fraction",
          t.conductivity_floor_fraction, "> 0");
  const auto& k = kinetics;
  Require(k.exchange_current_A_m2 > 0, "kinetics.exchange_current_A_m2", k.exchange_current_A_m2,
          "> 0");
  Require(k.alpha_anodic > 0 && k.alpha_anodic < 1, "kinetics.alpha_anodic", k.alpha_anodic,
          "in (0, 1)");
  Require(k.alpha_cathodic > 0 && k.alpha_cathodic < 1, "kinetics.alpha_cathodic", k.alpha_cathodic,
          "in (0, 1)");
  Require(k.solid_diffusivity_m2_s > 0, "kinetics.solid_diffusivity_m2_s", k.solid_diffusivity_m2_s,
          "> 0");
  Require(k.separator_resistance_ohm_m2 >= 0, "kinetics.separator_resistance_ohm_m2",
          k.separator_resistance_ohm_m2, ">= 0");
  Require(k.lithium_exchange_current_A_m2 >= 0, "kinetics.lithium_exchange_current_A_m2",
          k.lithium_exchange_current_A_m2, ">= 0");
  const auto& p = protocol;
  Require(p.temperature_K > 0, "protocol.temperature_K", p.temperature_K, "> 0");
  Require(p.reference_temperature_K > 0, "protocol.reference_temperature_K",
          p.reference_temperature_K, "> 0");
  Require(p.initial_stoichiometry > 0 && p.initial_stoichiometry < 0.5,
          "protocol.initial_stoichiometry", p.initial_stoichiometry, "in (0, 0.5)");
  Require(p.max_duration_factor >= 1, "protocol.max_duration_factor", p.max_duration_factor,
          ">= 1");
  const auto& n = numerics;
  Require(n.refinement >= 1, "numerics.refinement", n.refinement, ">= 1");
  Require(n.cell_size_m > 0, "numerics.cell_size_m", n.cell_size_m, "> 0");
  Require(n.min_cells_per_layer >= 1, "numerics.min_cells_per_layer", n.min_cells_per_layer,
          ">= 1");
  Require(n.particle_shells >= 2, "numerics.particle_shells", n.particle_shells, ">= 2");
  Require(n.cells_per_ohmic_length > 0, "numerics.cells_per_ohmic_length", n.cells_per_ohmic_length,
          "> 0");
  Require(n.stoichiometry_error_tolerance > 0, "numerics.stoichiometry_error_tolerance",
          n.stoichiometry_error_tolerance, "> 0");
  Require(n.max_surface_stoichiometry_step > 0, "numerics.max_surface_stoichiometry_step",
          n.max_surface_stoichiometry_step, "> 0");
  Require(n.max_voltage_step_V > 0, "numerics.max_voltage_step_V", n.max_voltage_step_V, "> 0");
  Require(n.newton_tolerance_V > 0, "numerics.newton_tolerance_V", n.newton_tolerance_V, "> 0");
}

}  // namespace edopt
