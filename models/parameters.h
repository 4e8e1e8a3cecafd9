// Parameters of the reduced-order half-cell model (docs/physics.md §2-3, §9). SI units inside;
// the scenario reader converts from the unit-suffixed keys of scenario files.
// Defaults are literature priors (docs/physics.md §9); scenarios override them.
#pragma once

#include <string>
#include <vector>

namespace edopt {

enum class ConductivityLawKind { kPercolation, kPowerLaw };
const char* ToString(ConductivityLawKind kind);
ConductivityLawKind ConductivityLawFromString(const std::string& text);  // throws ConfigError

// The active material is natural graphite unless a preset says otherwise: `active_*` fields and
// keys name the active material of the electrode (graphite in the seed study, NCM in a cathode),
// `se_*` the solid electrolyte (LPS in the seed study, Li6PS5Cl in a cathode).
struct Materials {
  // Preset that set the active material's values (docs/physics.md §13): "graphite" (the
  // defaults below), "NCM811", "NCM622" or "custom" (none applied). Informational once applied.
  std::string active_material = "graphite";
  // Preset of the solid electrolyte's values: "LPS" (the defaults) or "Li6PS5Cl".
  std::string electrolyte = "LPS";
  double active_density_kg_m3 = 2260.0;  // natural graphite, textbook
  double se_density_kg_m3 = 1900.0;      // LPS glass-ceramic, 1850-1980 (docs/physics.md §9)
  double active_specific_capacity_C_kg = 372.0 * 3.6e3;  // 372 mAh/g (LiC6)
  // The stoichiometry range that active_specific_capacity fills: 1 for graphite (x 0 -> 1); a
  // cathode's practical capacity fills its cycling window (e.g. 0.64 of LiMO2 for NCM811).
  double capacity_stoichiometry_span = 1.0;
  // Conductive carbon additive (vapour-grown fibres, carbon black): density of the solid.
  double carbon_density_kg_m3 = 1950.0;
  // NG particle radius: the median of the volume-weighted distribution when it has a spread.
  double particle_radius_m = 6.0e-6;
  // SE particle radius (its D50 / 2); 0 = not given: the composition laws hold as measured and
  // the packing statistics of docs/physics.md §3b are off.
  double se_particle_radius_m = 0.0;
  // Polydisperse powder (many-particle model, docs/physics.md §2): lognormal log-spread sigma
  // of the volume-weighted radius distribution and the number of size classes it is resolved
  // by (Gauss-Hermite). sigma = 0 or one class: monodisperse.
  double particle_radius_spread = 0.0;
  int particle_size_classes = 1;
  // Name of a built-in OCP curve (BuiltinOcpNames in models/ocp.h) or "table".
  std::string ocp_model = "Chen2020";
  // Tabulated OCP used when ocp_model == "table": stoichiometry (0..1), voltage (V).
  std::vector<double> ocp_table_stoichiometry;
  std::vector<double> ocp_table_voltage_V;
};

struct Packing {
  // Porosity of the pressed composite; used when apparent_density_kg_m3 is 0.
  double porosity = 0.0;
  // Apparent density measured from loading and thickness; 0 = derive from porosity.
  // Above the dense-mixture density the porosity is clamped at 0 (with a warning).
  double apparent_density_kg_m3 = 0.0;
  // Multiplies the geometric active/SE interface area a = 3 eps / R_p (contact loss < 1). With
  // the SE's particle size given it multiplies the share of the surface the SE network touches
  // (docs/physics.md §3b).
  double contact_area_factor = 1.0;
  // The apparent density is known to exceed the dense-mixture density (pressed pellets whose
  // thickness is approximate): no warning when the porosity is clamped.
  bool dense_pellet_expected = false;
};

struct Transport {
  ConductivityLawKind law = ConductivityLawKind::kPercolation;
  double percolation_threshold = 0.21;  // phi_c, Minnmann 2021 SI Table S2 fit
  double percolation_exponent = 2.0;    // t, same fit
  double power_law_exponent = 1.5;      // p for f = phi^p (Bruggeman spheres)
  // Size ratio D50_active / D50_SE of the powders percolation_threshold (and the electronic
  // threshold) were measured with; 0 = the scenario's own powders (the thresholds do not move
  // with the sizes). With both sizes given the thresholds move to the scenario's ratio
  // (models/microstructure.h, docs/physics.md §3b) with this exponent on the ratio.
  double percolation_size_ratio = 0.0;
  double percolation_size_exponent = 1.0;
  // The same for the active phase's electronic network, the other way round (finer SE, fewer
  // active-active contacts). 0 by default: rigid active particles pressed into a deformable SE
  // keep touching each other, so the measured threshold holds (1 = rigid spheres).
  double electronic_percolation_size_exponent = 0.0;
  // Composite resistivity measured at reference_active_weight_fraction (symmetric-cell TLM,
  // per electrode) at the reference temperature. 0 = use se_conductivity_S_m with f(phi).
  double reference_resistivity_ohm_m = 0.0;
  double reference_active_weight_fraction = 0.6;
  double se_conductivity_S_m = 0.32;      // cold-pressed pure SE pellet, Mizuno 2006: 3.2e-3 S/cm
  double activation_energy_J_mol = 20e3;  // of the SE conductivity, 12-38 kJ/mol
  // Multiplies the composite's effective ionic resistivity (what-if and sensitivity work).
  double resistivity_factor = 1.0;
  // gamma: discharge transport sees resistivity_factor^gamma (docs/physics.md §11). 1 = the
  // blocking-cell resistivity maps one to one; a posterior parameter when rates were tested at
  // one resistivity only, so extrapolations in the factor carry its uncertainty.
  double resistivity_factor_exponent = 1.0;
  // f below the percolation threshold (a tiny floor keeps the model solvable).
  double conductivity_floor_fraction = 1e-6;
  // Finite electronic conductivity of the composite (docs/physics.md §2): the graphite network
  // conducts sigma_eff = sigma_NG ((phi_NG - phi_c)/(1 - phi_c))^t above its own percolation
  // threshold (the same floor fraction below it). 0 = off: the solid potential is uniform.
  double electronic_conductivity_S_m = 0.0;  // sigma_NG, of a dense graphite compact
  double electronic_percolation_threshold = 0.16;
  double electronic_percolation_exponent = 2.0;
  // A carbon additive forms a second electronic network in parallel (docs/physics.md §13):
  // sigma_C ((phi_C - phi_c,C)/(1 - phi_c,C))^t_C above its own (low, fibrous) threshold.
  // Read only when the electronic model is on (electronic_conductivity_S_m > 0).
  double carbon_conductivity_S_m = 1.0e3;
  double carbon_percolation_threshold = 0.01;
  double carbon_percolation_exponent = 2.0;
};

// Stoichiometry dependence of the graphite solid diffusivity: constant, or the shape of
// Ecker et al. 2015 (8.4e-13 exp(-11.3 x) + 8.2e-15 m2/s, as in PyBaMM) scaled to equal
// solid_diffusivity_m2_s at x = 0.5.
enum class DiffusivityLaw { kConstant, kEcker2015 };
const char* ToString(DiffusivityLaw law);

struct Kinetics {
  double exchange_current_A_m2 = 1.0;  // i0 at theta = 0.5 and the reference temperature
  double exchange_current_activation_energy_J_mol = 37e3;  // graphite/LPS transfer
  double alpha_anodic = 0.5;
  double alpha_cathodic = 0.5;
  double solid_diffusivity_m2_s = 3.5e-14;  // D_s at the reference temperature (at x = 0.5)
  DiffusivityLaw diffusivity_law = DiffusivityLaw::kConstant;
  double solid_diffusivity_activation_energy_J_mol = 35e3;  // 30-43 kJ/mol
  // Lumped separator + Li/SE interface area-specific resistance at the reference temperature.
  double separator_resistance_ohm_m2 = 20e-4;
  double separator_activation_energy_J_mol = 20e3;
  // Optional Butler-Volmer at the Li metal (symmetric); 0 = off (lumped resistance only).
  double lithium_exchange_current_A_m2 = 0.0;
  // Film / contact resistance of the graphite|LPS interface, per unit of active (interface)
  // area, in series with Butler-Volmer (cf. DUALFOIL's film resistance); at the reference
  // temperature, scaled with the exchange current's activation energy. 0 = off.
  double film_resistance_ohm_m2 = 0.0;
};

struct Protocol {
  double temperature_K = 333.15;            // cycling temperature (60 C)
  double reference_temperature_K = 298.15;  // where EIS and the priors hold (25 C)
  double cutoff_voltage_V = 0.0;            // lithiation cutoff vs Li
  double initial_stoichiometry = 0.01;      // delithiated start (a cathode's charged state)
  // Potential of the counter electrode vs Li/Li+ (0 = Li metal; Li-In alloy 0.62 V): the cell
  // voltage, its cutoff and every reported voltage are against it.
  double counter_electrode_potential_V = 0.0;
  double max_duration_factor = 1.5;  // stop after this many 1/C-rate hours
};

struct NumericsOptions {
  // Multiplies every mesh resolution and divides every step tolerance.
  double refinement = 1.0;
  // Defaults hold 0.3 percentage points of utilization against refinement 4 with both the
  // literature priors and the calibrated seed scenario, for the seed designs and across the
  // design space (NG fraction 0.5-0.8, 15-150 um, 0.1-1C; worst 0.28 points): the reaction
  // zone is resolved by cells_per_ohmic_length, the particle's slow diffusion by the shells.
  double cell_size_m = 5e-6;  // largest finite-volume size across the electrode
  // Cells per ohmic length kappa_eff RT / (F I) of each layer, over the depth the reaction can
  // reach (smaller cells where the electrolyte conducts poorly: the reaction zone there is
  // about that deep); see LayerCellWidths.
  double cells_per_ohmic_length = 3.0;
  int min_cells_per_layer = 3;
  // Adaptive mesh (docs/numerics.md §1b): neighbouring cells of one layer are solved as one
  // block while the block stays within half the width the base rule would give it for the
  // electrolyte current that flows through it now (instead of the applied current) and their
  // states are alike; blocks split back as the current or a front arrives.
  bool adaptive_mesh = true;
  int particle_shells = 14;  // radial finite volumes per particle
  // Time-step control: the local error estimate of every cell's mean stoichiometry per step
  // (BDF2 against the quadratic extrapolation of the last three steps), plus caps on the
  // change per step of any surface stoichiometry and of the voltage that keep Newton's
  // starting point close.
  double stoichiometry_error_tolerance = 1e-3;
  double max_surface_stoichiometry_step = 0.1;
  double max_voltage_step_V = 0.1;
  // Largest full Newton update accepted as converged (divided by refinement): 1e-5 V moves a
  // reaction rate by 0.02% (alpha F/RT = 19.5 /V), far below the step's error tolerance.
  double newton_tolerance_V = 1e-5;
};

// Everything the cell model needs apart from the design and the C-rate.
struct CellParameters {
  Materials materials;
  Packing packing;
  Transport transport;
  Kinetics kinetics;
  Protocol protocol;
  NumericsOptions numerics;

  // Throws ConfigError naming the field, value and violated constraint: each key's range (the
  // catalogue), a start inside the OCP curve's window (OcpLowestStart) and a cutoff no lower
  // than LowestCutoff_V.
  void Validate() const;  // defined in catalogue.cpp, beside the ranges it checks
  // The lowest cutoff the model describes: 1 V of overpotential below the OCP's lowest value
  // over the discharge (against the counter electrode). Lower, a cathode would be driven toward
  // the sulfide's reduction (below ~1.7 V vs Li) and lithium plating, which the model lacks;
  // for graphite it is -1.5 V (MSMR) to -0.94 V (Chen2020), about the catalogue's -1 V.
  double LowestCutoff_V() const;
};

}  // namespace edopt
