// Parameters shared by the model tests: the seed study's materials (docs/physics.md §5, §9).
#pragma once

#include "models/materials.h"
#include "models/parameters.h"

namespace edopt::testing {

inline CellParameters SeedParameters() {
  CellParameters p;
  p.packing.apparent_density_kg_m3 = 2413.0;
  p.transport.reference_resistivity_ohm_m = 535.0;
  p.transport.reference_active_weight_fraction = 0.6;
  return p;
}

// The seed scenario as shipped: the priors with the rate calibration of
// scenarios/seed-kim-ng-lps.ini (MSMR graphite OCP, slow effective solid diffusion: the hard
// case for the mesh).
inline CellParameters CalibratedSeedParameters() {
  CellParameters p = SeedParameters();
  p.materials.ocp_model = "Verbrugge2017";
  p.transport.activation_energy_J_mol = 16.5e3;
  p.kinetics.exchange_current_A_m2 = 1.0;
  p.kinetics.solid_diffusivity_m2_s = 4.57e-16;
  p.kinetics.separator_resistance_ohm_m2 = 20e-4;
  return p;
}

// The cathode of scenarios/ncm-argyrodite.ini (issue 27): NCM622 + Li6PS5Cl presets, 15 %
// porosity, 13 % active contact area, carbon fibres (10 S/cm), against Li-In at 25 C.
inline CellParameters CathodeParameters() {
  CellParameters p;
  FindMaterial(ActiveMaterials(), "NCM622", "").apply(p);
  FindMaterial(Electrolytes(), "Li6PS5Cl", "").apply(p);
  p.materials.active_material = "NCM622";
  p.materials.electrolyte = "Li6PS5Cl";
  p.packing.porosity = 0.15;
  p.packing.contact_area_factor = 0.13;
  p.transport.carbon_conductivity_S_m = 1000.0;
  p.kinetics.separator_resistance_ohm_m2 = 30e-4;
  p.protocol.temperature_K = p.protocol.reference_temperature_K = 298.15;
  p.protocol.counter_electrode_potential_V = 0.62;
  p.protocol.cutoff_voltage_V = 2.0;
  return p;
}

}  // namespace edopt::testing
