// What the discharge solver needs to know of a cell and a design, as plain values: CellModel
// converts the scenario (temperature scaling, composition, percolation laws) once, and the
// solver reads nothing else (docs/architecture.md, "walk of a scenario key").
#pragma once

#include <vector>

#include "models/ocp.h"
#include "models/parameters.h"
#include "models/particle.h"

namespace edopt {

// One layer of the design, from the separator, at the test temperature.
struct DischargeLayer {
  double thickness_m = 0.0;
  double conductivity_S_m = 0.0;             // kappa_eff of the SE phase
  double electronic_conductivity_S_m = 0.0;  // sigma_eff; only read with `electronic`
  double active_volume_fraction = 0.0;
  double storage_density_C_m3 = 0.0;       // charge per NG volume from theta 0 -> 1
  double theoretical_capacity_C_m2 = 0.0;  // of the cycling window (span of theta)
  // Share of a particle's surface that reacts (the contact area factor, times the share the SE
  // network touches when particle sizes are given) and share of the active volume the network
  // reaches (1 without sizes): docs/physics.md §3b.
  double contact_area_factor = 1.0;
  double reachable_fraction = 1.0;
};

struct DischargeProblem {
  const OcpCurve* ocp = nullptr;
  const SphericalDiffusion* particle = nullptr;  // the diffusion modes of one particle
  const std::vector<ParticleSizeClass>* size_classes = nullptr;
  std::vector<DischargeLayer> layers;
  double c_rate = 0.0;  // 1/h, of the theoretical capacity
  double temperature_K = 0.0;
  double initial_stoichiometry = 0.0;
  // The theta range the theoretical capacity fills (1 for graphite; a cathode's window).
  double capacity_stoichiometry_span = 1.0;
  double cutoff_voltage_V = 0.0;
  double max_duration_factor = 0.0;  // of the nominal duration 1/c_rate
  double separator_resistance_ohm_m2 = 0.0;
  double lithium_exchange_current_A_m2 = 0.0;  // 0 = no Butler-Volmer at the Li interface
  double exchange_current_A_m2 = 0.0;          // graphite|LPS, at theta = 0.5
  double alpha_anodic = 0.5, alpha_cathodic = 0.5;
  double film_resistance_ohm_m2 = 0.0;  // per active area, in series with the reaction
  double solid_diffusivity_m2_s = 0.0;  // at theta = 0.5
  DiffusivityLaw diffusivity_law = DiffusivityLaw::kConstant;
  bool electronic = false;  // finite electronic conductivity: two rails
  NumericsOptions numerics;
};

}  // namespace edopt
