// The reduced-order "ohmic + diffusion" half-cell model (docs/physics.md §2):
//   Li | separator (lumped ASR, optional Butler-Volmer at Li) | layered NG/LPS composite | CC
// Single-ion SE phase (purely ohmic), uniform solid potential or a graphite network of finite
// conductivity, Butler-Volmer kinetics with i0 ~ sqrt(theta (1 - theta)) (optional film in
// series), finite-volume spherical solid diffusion (stepped in its eigenbasis; optional size
// classes of a lognormal powder and D_s(x)), constant-current lithiation until the cutoff
// voltage. Cells across each layer follow its ohmic length (LayerCellWidths); an adaptive mesh
// solves runs of them as one block where little current flows (docs/numerics.md §1b). Time
// integration: variable-step BDF2 (first step backward Euler) of the fully coupled system with
// a PI controller on the local error of every particle's mean stoichiometry; one Newton solve
// per step that eliminates the particles and reduces to a tridiagonal system in
// psi = phi_e - phi_s (docs/numerics.md §3).
#pragma once

#include <string>
#include <vector>

#include "models/composition.h"
#include "models/design.h"
#include "models/discharge/problem.h"
#include "models/discharge/result.h"
#include "models/ocp.h"
#include "models/parameters.h"
#include "models/particle.h"

namespace edopt {

// Derived, temperature-scaled properties of one layer (for reports and tests).
struct LayerProperties {
  LayerComposition composition;
  double conductivity_S_m = 0.0;             // kappa_eff at the test temperature
  double electronic_conductivity_S_m = 0.0;  // sigma_eff; infinite when the option is off
  double specific_area_m2_m3 = 0.0;          // a (all size classes, reacting particles)
  // The share of a particle's surface that reacts and the share of the active material the SE
  // network reaches (docs/physics.md §3b; 1 and the contact factor without particle sizes).
  double contact_area_factor = 1.0;
  double reachable_fraction = 1.0;
  double storage_density_C_m3 = 0.0;  // charge per NG volume from theta 0 -> 1
};

class CellModel {
 public:
  // Validates the parameters (ConfigError) and builds the OCP table.
  explicit CellModel(CellParameters parameters);

  // Constant-current lithiation at c_rate (1/h, relative to the theoretical capacity).
  // Pure and thread-safe. Throws ConfigError for an invalid design or c_rate <= 0.
  DischargeResult Simulate(const Design& design, double c_rate,
                           const SimulationOptions& options = {}) const;

  LayerProperties Layer(const edopt::Layer& layer) const;
  // The plain properties the discharge solver reads for this design at c_rate (every
  // temperature-scaled value, per-layer conductivities and capacities).
  DischargeProblem Problem(const Design& design, double c_rate) const;
  const CellParameters& parameters() const { return parameters_; }
  // The composition laws at the powders' particle sizes (TransportAtSizes).
  const Transport& transport() const { return transport_; }
  const OcpCurve& ocp() const { return ocp_; }
  // The particle's diffusion modes (shells = particle_shells x refinement).
  const SphericalDiffusion& particle() const { return particle_; }
  // The powder's size classes (one for a monodisperse powder).
  const std::vector<ParticleSizeClass>& size_classes() const { return size_classes_; }
  // Temperature-scaled values used by the model.
  double separator_resistance_ohm_m2() const { return separator_resistance_ohm_m2_; }
  double exchange_current_A_m2() const { return exchange_current_A_m2_; }
  double solid_diffusivity_m2_s() const { return solid_diffusivity_m2_s_; }
  double lithium_exchange_current_A_m2() const { return lithium_exchange_current_A_m2_; }
  double film_resistance_ohm_m2() const { return film_resistance_ohm_m2_; }
  // Warnings about the parameters (e.g. below the percolation threshold).
  std::vector<std::string> Warnings(const Design& design) const;

 private:
  CellParameters parameters_;
  Transport transport_;      // parameters_.transport at the particle sizes
  double size_ratio_ = 0.0;  // D50_active / D50_SE; 0 = the SE's size not given
  OcpCurve ocp_;
  SphericalDiffusion particle_;
  std::vector<ParticleSizeClass> size_classes_;
  double inverse_radius_1_m_ = 0.0;      // E[1/R] over the graphite volume (area per volume / 3)
  double conductivity_scale_S_m_ = 0.0;  // kappa_eff = scale * f(phi) at the test temperature
  double separator_resistance_ohm_m2_ = 0.0;
  double exchange_current_A_m2_ = 0.0;
  double solid_diffusivity_m2_s_ = 0.0;
  double lithium_exchange_current_A_m2_ = 0.0;
  double film_resistance_ohm_m2_ = 0.0;
};

}  // namespace edopt
