// Parameters shared by the model tests: the seed study's materials (docs/physics.md §5, §9).
#pragma once

#include "models/parameters.h"

namespace edopt::testing {

inline CellParameters SeedParameters() {
  CellParameters p;
  p.packing.apparent_density_kg_m3 = 2413.0;
  p.transport.reference_resistivity_ohm_m = 535.0;
  p.transport.reference_ng_weight_fraction = 0.6;
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

}  // namespace edopt::testing
