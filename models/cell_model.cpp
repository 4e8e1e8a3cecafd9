#include "models/cell_model.h"

#include <Eigen/Core>
#include <algorithm>
#include <boost/math/tools/toms748_solve.hpp>
#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>

#include "models/conductivity.h"
#include "models/errors.h"
#include "models/particle.h"
#include "models/units.h"

namespace edopt {

const char* ToString(EndReason reason) {
  switch (reason) {
    case EndReason::kCutoffVoltage:
      return "cutoff_voltage";
    case EndReason::kFullyLithiated:
      return "fully_lithiated";
    case EndReason::kTimeLimit:
      return "time_limit";
    case EndReason::kNumericalFailure:
      return "numerical_failure";
  }
  return "?";
}

CellModel::CellModel(CellParameters parameters) : parameters_(std::move(parameters)) {
  parameters_.Validate();
  particle_ = SphericalDiffusion(static_cast<int>(
      std::ceil(parameters_.numerics.particle_shells * parameters_.numerics.refinement)));
  const auto& m = parameters_.materials;
  size_classes_ =
      ParticleSizeClasses(m.particle_radius_m, m.particle_radius_spread, m.particle_size_classes);
  for (const auto& c : size_classes_) inverse_radius_1_m_ += c.volume_share / c.radius_m;
  ocp_ = m.ocp_model == "table"
             ? OcpCurve::FromTable(m.ocp_table_stoichiometry, m.ocp_table_voltage_V)
             : OcpCurve::Builtin(m.ocp_model);
  const auto& t = parameters_.transport;
  const auto& k = parameters_.kinetics;
  const double temp = parameters_.protocol.temperature_K;
  const double ref = parameters_.protocol.reference_temperature_K;
  const double kappa_arrhenius = ArrheniusFactor(t.activation_energy_J_mol, temp, ref);
  if (t.reference_resistivity_ohm_m > 0) {
    // Relative law (docs/physics.md §3): kappa(phi) = kappa(phi_ref) f(phi) / f(phi_ref).
    const double phi_ref = SeVolumeFraction(m, parameters_.packing, t.reference_ng_weight_fraction);
    conductivity_scale_S_m_ =
        1.0 / t.reference_resistivity_ohm_m / ConductivityFraction(t, phi_ref);
  } else {
    conductivity_scale_S_m_ = t.se_conductivity_S_m;
  }
  conductivity_scale_S_m_ *= kappa_arrhenius / t.resistivity_factor;
  separator_resistance_ohm_m2_ = k.separator_resistance_ohm_m2 /
                                 ArrheniusFactor(k.separator_activation_energy_J_mol, temp, ref);
  exchange_current_A_m2_ = k.exchange_current_A_m2 *
                           ArrheniusFactor(k.exchange_current_activation_energy_J_mol, temp, ref);
  solid_diffusivity_m2_s_ = k.solid_diffusivity_m2_s *
                            ArrheniusFactor(k.solid_diffusivity_activation_energy_J_mol, temp, ref);
  lithium_exchange_current_A_m2_ = k.lithium_exchange_current_A_m2 *
                                   ArrheniusFactor(k.separator_activation_energy_J_mol, temp, ref);
  // A transfer resistance: it falls as i0 rises with temperature.
  film_resistance_ohm_m2_ = k.film_resistance_ohm_m2 /
                            ArrheniusFactor(k.exchange_current_activation_energy_J_mol, temp, ref);
}

LayerProperties CellModel::Layer(const edopt::Layer& layer) const {
  LayerProperties p;
  const auto& m = parameters_.materials;
  p.composition =
      ComputeLayerComposition(m, parameters_.packing, layer.ng_weight_fraction, layer.thickness_m);
  p.conductivity_S_m =
      conductivity_scale_S_m_ *
      ConductivityFraction(parameters_.transport, p.composition.se_volume_fraction);
  p.electronic_conductivity_S_m =
      ElectronicConductivity(parameters_.transport, p.composition.ng_volume_fraction);
  p.specific_area_m2_m3 = 3.0 * p.composition.ng_volume_fraction * inverse_radius_1_m_ *
                          parameters_.packing.contact_area_factor;
  p.storage_density_C_m3 = p.composition.theoretical_capacity_C_m2 /
                           (p.composition.ng_volume_fraction * layer.thickness_m);
  return p;
}

std::vector<std::string> CellModel::Warnings(const Design& design) const {
  auto warnings = SummarizeDesign(parameters_.materials, parameters_.packing, design).warnings;
  for (size_t k = 0; k < design.layers.size(); ++k) {
    const auto c = ComputeLayerComposition(parameters_.materials, parameters_.packing,
                                           design.layers[k].ng_weight_fraction, 1.0);
    if (BelowPercolation(parameters_.transport, c.se_volume_fraction)) {
      char buffer[200];
      std::snprintf(buffer, sizeof buffer,
                    "layer %zu: SE volume fraction %.3f is at or below the percolation "
                    "threshold; conductivity set to the floor fraction",
                    k + 1, c.se_volume_fraction);
      warnings.emplace_back(buffer);
    }
    const auto& t = parameters_.transport;
    if (t.electronic_conductivity_S_m > 0 &&
        c.ng_volume_fraction <= t.electronic_percolation_threshold) {
      char buffer[200];
      std::snprintf(buffer, sizeof buffer,
                    "layer %zu: NG volume fraction %.3f is at or below the electronic "
                    "percolation threshold %.3f; electronic conductivity set to the floor fraction",
                    k + 1, c.ng_volume_fraction, t.electronic_percolation_threshold);
      warnings.emplace_back(buffer);
    }
  }
  return warnings;
}

// Depth, in ohmic lengths, that the reaction can reach into a layer: the electrolyte potential
// drop over it is ~0.3 V (about the voltage window in the main phase) = 10 RT/F.
constexpr double kReachableOhmicLengths = 10.0;
// Growth of cell widths beyond that depth (per cell, at refinement 1).
constexpr double kCellGrowth = 1.2;

std::vector<double> LayerCellWidths(double thickness_m, double ohmic_length_m,
                                    const NumericsOptions& numerics) {
  const double refinement = numerics.refinement;
  const double coarse = numerics.cell_size_m / refinement;
  const double fine =
      std::min(numerics.cell_size_m, ohmic_length_m / numerics.cells_per_ohmic_length) / refinement;
  const int least = static_cast<int>(std::ceil(numerics.min_cells_per_layer * refinement));
  std::vector<double> widths;
  if (fine >= coarse || !(fine > 0)) {
    const int cells = std::max(least, static_cast<int>(std::ceil(thickness_m / coarse)));
    widths.assign(cells, thickness_m / cells);
    return widths;
  }
  // Uniform fine cells over the reachable depth, then cells growing geometrically to the
  // coarse size: the ohmic drop across a layer is bounded by the voltage window, so the
  // reaction cannot move deeper than about kReachableOhmicLengths ohmic lengths into it.
  const double reach = std::min(thickness_m, kReachableOhmicLengths * ohmic_length_m);
  const int fine_cells = static_cast<int>(std::ceil(reach / fine));
  widths.assign(fine_cells, reach / fine_cells);
  const double growth = std::pow(kCellGrowth, 1.0 / refinement);
  double rest = thickness_m - reach, width = reach / fine_cells, sum = 0.0;
  const size_t first = widths.size();
  while (sum < rest * (1.0 - 1e-12)) {
    width = std::min(coarse, width * growth);
    widths.push_back(width);
    sum += width;
  }
  for (size_t k = first; k < widths.size(); ++k) widths[k] *= rest / sum;  // fit exactly
  while (static_cast<int>(widths.size()) < least) {                        // split the widest cell
    auto widest = std::max_element(widths.begin(), widths.end());
    *widest *= 0.5;
    widths.insert(widest, *widest);
  }
  return widths;
}

namespace {

// Newton tolerance on the reaction rates, relative to the mean interfacial current density (and
// divided by numerics.refinement). A last update of 1% of the mean rate leaves an error far
// smaller (Newton converges quadratically here), and even 1% of one step's lithiation is well
// below the step's error tolerance; conservation does not depend on it (a full update carries
// the applied current exactly).
constexpr double kReactionTolerance = 1e-2;
// A time step whose Newton solve damps this many updates in a row is rejected and retried
// shorter instead of crawling 50 mV per iteration: it is being solved across a voltage cliff
// (the surfaces filling), where a shorter step converges in two or three iterations.
constexpr int kMaxDampedIterations = 3;
// Time steps accept a Newton solve on the state (Step's state_tolerance) once the last full
// update moved no potential difference by more than kStatePotentialTolerance_V and no
// particle's mean stoichiometry by more than kStateToleranceFactor step error tolerances.
// Newton converges quadratically here: the error left after an update du is about
// (alpha F/RT) du^2, under 2e-4 V and 6% of the update for 3 mV, so the state keeps less than a
// fifth of the step's tolerance from the solve.
constexpr double kStatePotentialTolerance_V = 3e-3;
constexpr double kStateToleranceFactor = 3.0;
// Adaptive mesh (divided by numerics.refinement): neighbours merge while their mean and surface
// stoichiometries differ by at most kMergeTolerance; a block splits when it differs from a
// neighbour by more than kSplitTolerance (docs/numerics.md §1b).
constexpr double kMergeTolerance = 0.01;
constexpr double kSplitTolerance = 0.03;

// Workspace and state of one simulation. All memory is allocated in the constructor; the time
// loop (Step, Commit) allocates nothing. Every cell holds one particle per size class (a
// "site", index cell x classes + class); the sites of a cell share its electrolyte potential.
class Solver {
 public:
  Solver(const CellModel& model, const Design& design, double c_rate);

  // Attempts one implicit step of length dt from the committed state. omega = dt / dt_previous
  // selects variable-step BDF2; omega <= 0 selects backward Euler. state_tolerance > 0 accepts
  // the Newton solve once a full update changes no particle's mean stoichiometry by more than
  // that (and no potential by more than kStatePotentialTolerance): the step's own error
  // tolerance bounds the state, while the voltage stays exact to newton_tolerance_V only when
  // state_tolerance is 0 (the t = 0+ response, the cutoff). Returns false when Newton does
  // not converge. The result is held as the trial state.
  // warm starts Newton from the trial state of the last call (which must have converged)
  // instead of extrapolating the committed ones: the cutoff search's next step length.
  bool Step(double dt, double omega, double state_tolerance = 0.0, bool warm = false);
  void Commit();

  double trial_voltage() const { return v_trial_; }
  double voltage() const { return v_; }
  double MaxSurfaceChange() const;
  // Local error estimate of the trial step: the largest distance of a cell's mean
  // stoichiometry from the quadratic through the last three committed states, times 2/7.
  // For constant steps BDF2's local error is -2/9 h^3 y''' and that extrapolation's is
  // h^3 y''', so the estimate is the local error (Milne's device; Hairer, Norsett & Wanner,
  // Solving ODEs I, §III.7). 0 until three states at distinct times were committed.
  double MeanStoichiometryError() const;
  double StoredCharge() const;
  double MeanStoichiometry() const { return StoredCharge() / capacity_ + theta0_; }
  void FillProfile(std::vector<ProfilePoint>* profile) const;

  double current() const { return current_; }
  double capacity() const { return capacity_; }
  // Continuation in the applied current for very resistive electrodes at t = 0+: Restart sets
  // a current and the uniform-reaction guess; Ramp multiplies the current and scales the
  // committed potentials and reaction rates with it (ohmic drops are linear in the current).
  void Restart(double current);
  void Ramp(double factor);
  int newton_iterations() const { return newton_iterations_; }
  // Adaptive mesh (docs/numerics.md §1b), called after a commit: splits into its base cells
  // every block that no longer resolves the electrolyte current through it or whose state
  // differs from a neighbour's in its layer by more than the split tolerance, merges smooth runs
  // of neighbours that the current and the size cap allow, and carries the committed and
  // history states over (merged particles averaged by capacity: the stored charge is
  // unchanged). Returns true when the partition changed.
  bool Adapt();

 private:
  // Derived arrays of the active cells (widths, areas, capacities, face conductances, the
  // first cell's resistance) from the partition start_.
  void BuildActive();
  // Carries the values of every active cell or site (stride values each) over to the partition
  // next_start_ (built from whole cells or parts of one), averaging merged sites by capacity and
  // cells by width; the result is swapped in from scratch (same size).
  void Remap(std::vector<double>* values, std::vector<double>* scratch, bool sites, int stride,
             int next_n);
  // Largest difference of mean or surface stoichiometry between active cells a and b (over the
  // size classes).
  double Difference(int a, int b) const;
  // Electrolyte potential (vs the Li reference) at the first cell centre: the Li interface
  // (symmetric Butler-Volmer, I = 2 i0 sinh(F eta / 2RT)), the separator ASR and half a cell
  // of composite all carry the full current.
  double FirstCentrePotential() const;
  void InitialGuess();
  // rho_ and slope_ of every site at the potential differences psi = phi_e - phi_s (per cell)
  // and reaction rates j (per site), and their sums over each cell's sites weighted by area
  // (SumOverCells).
  void ReactionTerms(const double* psi, const double* j);
  // Cell voltage (phi_s at the collector vs the Li reference) for the differences psi.
  double Voltage(const double* psi) const;
  // Electrolyte current across face f (between cells f and f+1).
  double FaceCurrent(const double* psi, int f) const {
    return face_c_[f] * (psi[f] - psi[f + 1]) + current_ * face_ratio_[f];
  }
  // cell_bs_ = sum of b slope and cell_brj_ = sum of b (j + rho) over each cell's sites.
  void SumOverCells(const double* j);

  const CellModel& model_;
  const SphericalDiffusion& particle_;
  int n_ = 0;  // active cells across the electrode
  int m_ = 0;  // shells per particle
  int c_ = 1;  // size classes: sites per cell
  int s_ = 0;  // sites (n_ x c_)
  double current_ = 0.0, capacity_ = 0.0, theta0_ = 0.0;
  double phi0_ = 0.0;  // electrolyte potential at the first cell centre (fixed by the current)
  double first_cell_resistance_ohm_m2_ = 0.0;  // separator + half the first cell
  double f_ = 0.0;                             // F / RT
  bool symmetric_ = true;
  double alpha_a_ = 0.5, alpha_c_ = 0.5, i0_ = 0.0, diffusivity_ = 0.0;
  std::vector<double> class_rate_;  // D / R_k^2 of every size class
  double film_ = 0.0;               // film resistance per active area, Ohm m2 (test temperature)
  // Base mesh (LayerCellWidths of every layer, per cell and per site) and its partition into
  // active cells: blocks of contiguous base cells of one layer, block i = [start_[i],
  // start_[i + 1]).
  int base_n_ = 0;
  std::vector<double> base_dx_, base_kappa_, base_sigma_;
  std::vector<int> base_layer_;
  std::vector<double> base_b_, base_capacity_, base_source_, base_gap_;
  std::vector<int> start_, next_start_, owner_;
  std::vector<char> split_;  // per active cell: split in this Adapt
  std::vector<double> scratch_modes_, scratch_sites_, scratch_cells_;  // for Remap
  bool adaptive_ = true;
  double merge_tolerance_ = 0.0, split_tolerance_ = 0.0;  // k*Tolerance / refinement
  std::vector<double> jump_;    // per active cell and one more: state jumps (Adapt)
  std::vector<double> drop_;    // per active cell: |i_e| F/RT cells_per_ohmic_length (Adapt)
  double largest_width_ = 0.0;  // numerics.cell_size_m / refinement
  double cells_per_ohmic_length_ = 0.0;  // numerics.cells_per_ohmic_length x refinement
  // Per active cell.
  std::vector<double> x_, dx_, kappa_, sigma_;
  std::vector<int> layer_;
  // Conductances between centres i and i+1 (n-1 entries): ionic K, the two phases in series
  // C = K S / (K + S) with S the electronic one, and C / S (0 with a uniform solid potential).
  std::vector<double> face_k_, face_c_, face_ratio_;
  bool electronic_ = false;                   // finite electronic conductivity
  double collector_resistance_ohm_m2_ = 0.0;  // half the last cell, electronic
  // Per site: interface area per electrode area (a_k dx), particle source and surface-gap
  // factors, capacity.
  std::vector<double> b_, source_, gap_, site_capacity_;
  // Committed and trial states: potentials per cell, the rest per site.
  std::vector<double> theta_, theta_old_, theta_trial_;  // sites x m modal coefficients
  std::vector<double> phi_, j_, surface_;                // phi_: psi = phi_e - phi_s per cell
  std::vector<double> phi_trial_, j_trial_, surface_trial_;
  double v_ = 0.0, v_trial_ = 0.0;
  std::vector<double> phi_prev_, j_prev_;       // the committed solution before the last
  std::vector<double> mean_prev_, mean_prev2_;  // mean stoichiometries, two commits back
  // Committed states at distinct times (a zero-length step replaces the state: back to 1) and
  // the lengths of the last two committed steps, newest first.
  int history_ = 0;
  double step_dt_ = 0.0, history_dt_[2] = {0.0, 0.0};
  // Step workspace.
  // Particle step per unit (a size class; every site when D_s depends on stoichiometry) x mode,
  // for the current step, and the unit's surface response to a source.
  std::vector<double> mode_scale_, mode_source_, response_;
  DiffusivityLaw diffusivity_law_ = DiffusivityLaw::kConstant;
  bool variable_diffusivity_ = false;
  std::vector<double> d_factor_;  // per site: D_s(mean stoichiometry) / D_s(0.5), this step
  // ReactionTerms (per site).
  std::vector<double> theta_s_, u_, du_, root_, di0_, i0_cell_, e1_, e2_, eta_;
  std::vector<double> free_, gamma_, j_hi_, j_lo_, rho_, slope_;  // per site
  std::vector<double> cell_bs_, cell_brj_, upper_, y1_;           // per cell
  std::vector<double> flux_;   // electrolyte current into every cell and out of the last (n + 1)
  std::vector<char> clipped_;  // per site: the last Newton update was truncated
  int newton_iterations_ = 0;
  double j_scale_ = 0.0;  // mean interfacial current density, for the Newton test
  int max_newton_iterations_ = 40;
  double tolerance_V_ = 1e-10;
  double reaction_tolerance_ = 0.0;           // kReactionTolerance / refinement
  double state_potential_tolerance_V_ = 0.0;  // kStatePotentialTolerance_V / refinement
};

Solver::Solver(const CellModel& model, const Design& design, double c_rate)
    : model_(model), particle_(model.particle()) {
  const auto& p = model.parameters();
  const auto& num = p.numerics;
  m_ = particle_.shells();
  const auto& classes = model.size_classes();
  c_ = static_cast<int>(classes.size());
  diffusivity_ = model.solid_diffusivity_m2_s();
  for (const auto& c : classes) class_rate_.push_back(diffusivity_ / (c.radius_m * c.radius_m));
  i0_ = model.exchange_current_A_m2();
  film_ = model.film_resistance_ohm_m2();
  alpha_a_ = p.kinetics.alpha_anodic;
  alpha_c_ = p.kinetics.alpha_cathodic;
  symmetric_ = alpha_a_ == alpha_c_;
  f_ = kFaraday_C_mol / (kGasConstant_J_molK * p.protocol.temperature_K);
  theta0_ = p.protocol.initial_stoichiometry;
  tolerance_V_ = num.newton_tolerance_V / num.refinement;
  reaction_tolerance_ = kReactionTolerance / num.refinement;
  state_potential_tolerance_V_ = kStatePotentialTolerance_V / num.refinement;
  const double cf = p.packing.contact_area_factor;
  for (const auto& layer : design.layers) {
    capacity_ += model.Layer(layer).composition.theoretical_capacity_C_m2;
  }
  const double applied_A_m2 = c_rate * capacity_ / kSecondsPerHour;
  for (size_t l = 0; l < design.layers.size(); ++l) {
    const auto& layer = design.layers[l];
    const auto props = model.Layer(layer);
    const double ohmic_length_m = props.conductivity_S_m / (f_ * applied_A_m2);
    const double eps = props.composition.ng_volume_fraction;
    for (const double dx : LayerCellWidths(layer.thickness_m, ohmic_length_m, num)) {
      base_dx_.push_back(dx);
      base_kappa_.push_back(props.conductivity_S_m);
      base_sigma_.push_back(props.electronic_conductivity_S_m);
      base_layer_.push_back(static_cast<int>(l));
      const double cell_capacity =
          props.composition.theoretical_capacity_C_m2 * dx / layer.thickness_m;
      for (const auto& c : classes) {
        // Class k holds the share w_k of the graphite: area a_k = 3 eps w_k cf / R_k.
        base_b_.push_back(3.0 * eps * c.volume_share * cf / c.radius_m * dx);
        // d(theta_mean)/dt = 3 cf j / (R q): the particle takes the current over its surface.
        base_source_.push_back(3.0 * cf / (c.radius_m * props.storage_density_C_m3));
        base_gap_.push_back(particle_.surface_gap() * c.radius_m * cf /
                            (diffusivity_ * props.storage_density_C_m3));
        base_capacity_.push_back(cell_capacity * c.volume_share);
      }
    }
  }
  base_n_ = static_cast<int>(base_dx_.size());
  n_ = base_n_;  // every base cell its own block until the first Adapt
  s_ = n_ * c_;
  current_ = applied_A_m2;
  electronic_ = p.transport.electronic_conductivity_S_m > 0;
  adaptive_ = num.adaptive_mesh;
  merge_tolerance_ = kMergeTolerance / num.refinement;
  split_tolerance_ = kSplitTolerance / num.refinement;
  largest_width_ = num.cell_size_m / num.refinement;
  cells_per_ohmic_length_ = num.cells_per_ohmic_length * num.refinement;
  drop_.assign(base_n_, 0.0);
  jump_.assign(base_n_ + 1, 0.0);
  for (auto* v : {&start_, &next_start_}) v->resize(base_n_ + 1);
  for (int i = 0; i <= base_n_; ++i) start_[i] = i;
  owner_.assign(base_n_, 0);
  split_.assign(base_n_, 0);
  for (auto* v : {&x_, &dx_, &kappa_, &sigma_}) v->assign(base_n_, 0.0);
  layer_.assign(base_n_, 0);
  for (auto* v : {&face_k_, &face_c_, &face_ratio_}) v->assign(std::max(base_n_ - 1, 0), 0.0);
  flux_.assign(base_n_ + 1, 0.0);
  for (auto* v : {&b_, &source_, &gap_, &site_capacity_}) v->assign(s_, 0.0);
  BuildActive();
  const size_t sm = static_cast<size_t>(s_) * m_;
  scratch_modes_.assign(sm, 0.0);
  scratch_sites_.assign(s_, 0.0);
  scratch_cells_.assign(n_, 0.0);
  theta_.assign(sm, 0.0);  // uniform theta0: mode 0 only
  for (int i = 0; i < s_; ++i) theta_[static_cast<size_t>(i) * m_] = theta0_;
  theta_old_ = theta_;
  theta_trial_ = theta_;
  for (auto* v : {&phi_, &phi_prev_, &phi_trial_, &cell_bs_, &cell_brj_, &upper_, &y1_}) {
    v->assign(n_, 0.0);
  }
  for (auto* v : {&j_,     &surface_, &j_prev_, &j_trial_, &surface_trial_,
                  &free_,  &gamma_,   &j_hi_,   &j_lo_,    &rho_,
                  &slope_, &theta_s_, &u_,      &du_,      &root_,
                  &di0_,   &i0_cell_, &e1_,     &e2_,      &eta_}) {
    v->assign(s_, 0.0);
  }
  surface_.assign(s_, theta0_);
  clipped_.assign(s_, 0);
  mean_prev_.assign(s_, theta0_);
  mean_prev2_.assign(s_, theta0_);
  diffusivity_law_ = p.kinetics.diffusivity_law;
  variable_diffusivity_ = diffusivity_law_ != DiffusivityLaw::kConstant;
  const int units = variable_diffusivity_ ? s_ : c_;
  mode_scale_.assign(static_cast<size_t>(units) * m_, 0.0);
  mode_source_.assign(static_cast<size_t>(units) * m_, 0.0);
  response_.assign(units, 0.0);
  d_factor_.assign(s_, 1.0);
  InitialGuess();
}

double Solver::FirstCentrePotential() const {
  const double i0 = model_.lithium_exchange_current_A_m2();
  const double eta_li = i0 > 0 ? 2.0 / f_ * std::asinh(current_ / (2.0 * i0)) : 0.0;
  return -current_ * first_cell_resistance_ohm_m2_ - eta_li;
}

void Solver::BuildActive() {
  double x = 0.0;
  for (int i = 0; i < n_; ++i) {
    const int first = start_[i], end = start_[i + 1];
    double dx = 0.0;
    for (int b = first; b < end; ++b) dx += base_dx_[b];
    dx_[i] = dx;
    x_[i] = x + 0.5 * dx;
    x += dx;
    layer_[i] = base_layer_[first];
    kappa_[i] = base_kappa_[first];
    sigma_[i] = base_sigma_[first];
    for (int k = 0; k < c_; ++k) {
      const int site = i * c_ + k;
      double area = 0.0, capacity = 0.0;
      for (int b = first; b < end; ++b) {
        area += base_b_[b * c_ + k];
        capacity += base_capacity_[b * c_ + k];
      }
      b_[site] = area;
      site_capacity_[site] = capacity;
      source_[site] = base_source_[first * c_ + k];  // per layer and class
      gap_[site] = base_gap_[first * c_ + k];
    }
  }
  for (int i = 0; i + 1 < n_; ++i) {
    const double k = 1.0 / (0.5 * dx_[i] / kappa_[i] + 0.5 * dx_[i + 1] / kappa_[i + 1]);
    face_k_[i] = k;
    if (electronic_) {
      const double e = 1.0 / (0.5 * dx_[i] / sigma_[i] + 0.5 * dx_[i + 1] / sigma_[i + 1]);
      face_c_[i] = k * e / (k + e);
      face_ratio_[i] = k / (k + e);
    } else {
      face_c_[i] = k;
      face_ratio_[i] = 0.0;
    }
  }
  if (electronic_) collector_resistance_ohm_m2_ = 0.5 * dx_[n_ - 1] / sigma_[n_ - 1];
  first_cell_resistance_ohm_m2_ = model_.separator_resistance_ohm_m2() + 0.5 * dx_[0] / kappa_[0];
  phi0_ = FirstCentrePotential();
}

void Solver::Remap(std::vector<double>* values, std::vector<double>* scratch, bool sites,
                   int stride, int next_n) {
  double* out = scratch->data();
  const double* in = values->data();
  const int per_cell = sites ? c_ : 1;
  const int width = per_cell * stride;
  for (int i = 0; i < next_n; ++i) {
    double* o = out + static_cast<size_t>(i) * width;
    const int first = owner_[next_start_[i]], last = owner_[next_start_[i + 1] - 1];
    if (first == last) {  // an old cell or a part of it: its values
      std::copy(in + static_cast<size_t>(first) * width, in + static_cast<size_t>(last + 1) * width,
                o);
      continue;
    }
    // Whole old cells first..last merged: their average weighted by capacity (sites) or width.
    for (int k = 0; k < per_cell; ++k) {
      double* ok = o + k * stride;
      std::fill(ok, ok + stride, 0.0);
      double total = 0.0;
      for (int a = first; a <= last; ++a) {
        const double w = sites ? site_capacity_[a * c_ + k] : dx_[a];
        const double* v = in + (static_cast<size_t>(a) * per_cell + k) * stride;
        for (int q = 0; q < stride; ++q) ok[q] += w * v[q];
        total += w;
      }
      const double inverse = 1.0 / total;
      for (int q = 0; q < stride; ++q) ok[q] *= inverse;
    }
  }
  values->swap(*scratch);
}

double Solver::Difference(int a, int b) const {
  double d = 0.0;
  for (int k = 0; k < c_; ++k) {
    const int sa = a * c_ + k, sb = b * c_ + k;
    d = std::max(
        d, std::abs(theta_[static_cast<size_t>(sa) * m_] - theta_[static_cast<size_t>(sb) * m_]));
    d = std::max(d, std::abs(surface_[sa] - surface_[sb]));
  }
  return d;
}

bool Solver::Adapt() {
  if (!adaptive_) return false;
  // The base mesh's rule (LayerCellWidths) with the electrolyte current that flows through each
  // cell now instead of the applied current: a block resolves its current while its width is at
  // most kappa_eff RT / (F |i_e|) / cells_per_ohmic_length, i.e. while
  // width |i_e| (F/RT) cells_per_ohmic_length <= kappa_eff. drop_[i] holds the left side per
  // unit width (i_e the larger at the cell's two faces); blocks never exceed the size cap.
  const double* psi = phi_.data();
  for (int i = 0; i < n_; ++i) {
    const double in = i > 0 ? std::abs(FaceCurrent(psi, i - 1)) : current_;
    const double out = i + 1 < n_ ? std::abs(FaceCurrent(psi, i)) : 0.0;
    drop_[i] = std::max(in, out) * f_ * cells_per_ohmic_length_;
  }
  // A block goes back to its base cells when the current through it has grown beyond what its
  // width resolves, or when its state differs from a neighbour's in its layer by more than the
  // split tolerance (a front is arriving).
  // jump_[i]: the state difference between cells i - 1 and i of one layer (0 across layers).
  jump_[0] = jump_[n_] = 0.0;
  for (int i = 1; i < n_; ++i) jump_[i] = layer_[i - 1] == layer_[i] ? Difference(i - 1, i) : 0.0;
  for (int i = 0; i < n_; ++i) {
    split_[i] =
        start_[i + 1] - start_[i] > 1 &&
        (dx_[i] * drop_[i] > kappa_[i] || std::max(jump_[i], jump_[i + 1]) > split_tolerance_);
  }
  // Runs of neighbours in one layer merge while the run stays within the size cap and within
  // half the width its current allows (hysteresis against splitting it back), and every
  // member's state is within the merge tolerance of the run's first and of both its neighbours
  // (a smooth stretch, so that the block does not split again at once). Cells just split wait a
  // step, so that they differ as they will.
  int next_n = 0, open = -1;  // open: the active cell that started the open run
  double run_width = 0.0, run_drop = 0.0;
  next_start_[0] = 0;
  for (int i = 0; i < n_; ++i) {
    if (split_[i]) {
      for (int b = start_[i]; b < start_[i + 1]; ++b) next_start_[++next_n] = b + 1;
      open = -1;
      continue;
    }
    const double width = run_width + dx_[i], drop = std::max(run_drop, drop_[i]);
    const bool smooth = std::max(jump_[i], jump_[i + 1]) <= merge_tolerance_;
    if (open >= 0 && smooth && layer_[open] == layer_[i] && width <= largest_width_ &&
        2.0 * width * drop <= kappa_[i] && Difference(open, i) <= merge_tolerance_) {
      next_start_[next_n] = start_[i + 1];  // extend the open run
      run_width = width;
      run_drop = drop;
      continue;
    }
    next_start_[++next_n] = start_[i + 1];
    open = smooth ? i : -1;
    run_width = dx_[i];
    run_drop = drop_[i];
  }
  bool same = next_n == n_;
  for (int i = 0; same && i <= n_; ++i) same = next_start_[i] == start_[i];
  if (same) return false;
  for (int i = 0; i < n_; ++i) {
    for (int b = start_[i]; b < start_[i + 1]; ++b) owner_[b] = i;
  }
  for (auto* v : {&theta_, &theta_old_}) Remap(v, &scratch_modes_, true, m_, next_n);
  for (auto* v : {&j_, &j_prev_, &surface_, &mean_prev_, &mean_prev2_}) {
    Remap(v, &scratch_sites_, true, 1, next_n);
  }
  for (auto* v : {&phi_, &phi_prev_}) Remap(v, &scratch_cells_, false, 1, next_n);
  start_.swap(next_start_);
  n_ = next_n;
  s_ = n_ * c_;
  BuildActive();
  std::fill(clipped_.begin(), clipped_.end(), 0);
  v_ = Voltage(phi_.data());
  return true;
}

void Solver::Restart(double current) {
  current_ = current;
  phi0_ = FirstCentrePotential();
  InitialGuess();
}

void Solver::Ramp(double factor) {
  const double u0 = model_.ocp()(theta0_);
  current_ *= factor;
  phi0_ = FirstCentrePotential();
  // psi + U(theta0) is the overpotential, linear in the current.
  for (int i = 0; i < n_; ++i) phi_[i] = -u0 + (phi_[i] + u0) * factor;
  for (int i = 0; i < s_; ++i) j_[i] *= factor;
  v_ = u0 + (v_ - u0) * factor;
  j_scale_ *= factor;
}

void Solver::InitialGuess() {
  double total_b = 0.0;
  for (int s = 0; s < s_; ++s) total_b += b_[s];
  const double j = current_ / total_b;
  j_scale_ = j;
  double phi = phi0_, carried = current_;
  for (int i = 0; i < n_; ++i) {
    phi_[i] = phi;
    for (int s = i * c_; s < (i + 1) * c_; ++s) {
      j_[s] = j;
      carried -= b_[s] * j;
    }
    if (i + 1 < n_) phi -= carried / face_k_[i];
  }
  // Symmetric Butler-Volmer inverse at the first cell: a starting point for Newton only.
  const double i0 = i0_ * std::sqrt(theta0_ * (1.0 - theta0_)) / 0.5;
  const double eta = 2.0 / f_ * std::asinh(j / (2.0 * i0)) + film_ * j;
  v_ = phi_[0] + model_.ocp()(theta0_) - eta;
  for (int i = 0; i < n_; ++i) phi_[i] -= v_;  // psi = phi_e - phi_s
}

double Solver::Voltage(const double* psi) const {
  // Uniform solid potential: V = phi_s = phi_e(first centre) - psi_0.
  if (!electronic_) return phi0_ - psi[0];
  // Otherwise walk the electrolyte to the last centre, then the solid to the collector.
  double phi_e = phi0_;
  for (int f = 0; f + 1 < n_; ++f) phi_e -= FaceCurrent(psi, f) / face_k_[f];
  return phi_e - psi[n_ - 1] - current_ * collector_resistance_ohm_m2_;
}

// Butler-Volmer reaction residual of every cell and its Newton elimination:
//   R = j - i0(theta_s) [exp(alpha_c f eta) - exp(-alpha_a f eta)],
//   eta = psi + U(theta_s) - R_film j, psi = phi_e - phi_s (lithiation positive; the film in
//   series takes its ohmic share, docs/physics.md §2), theta_s = free + gamma j,
//   i0 = i0_ref sqrt(theta_s (1 - theta_s)) / 0.5 (docs/physics.md §2).
// delta_j = rho + slope delta_psi. The OCP table is read cell by cell; the rest is
// evaluated on whole arrays with Eigen (SIMD exp, sqrt and division).
void Solver::ReactionTerms(const double* psi, const double* j) {
  constexpr double kEdge = 1e-12;
  using Array = Eigen::Map<Eigen::ArrayXd>;
  using ConstArray = Eigen::Map<const Eigen::ArrayXd>;
  const int ns = s_;
  const ConstArray free(free_.data(), ns), gamma(gamma_.data(), ns), j_a(j, ns);
  Array theta(theta_s_.data(), ns), u(u_.data(), ns), du(du_.data(), ns), eta(eta_.data(), ns);
  Array root(root_.data(), ns), di0(di0_.data(), ns);
  Array i0(i0_cell_.data(), ns), e1(e1_.data(), ns), e2(e2_.data(), ns);
  Array rho(rho_.data(), ns), slope(slope_.data(), ns);
  const auto& ocp = model_.ocp();
  for (int i = 0, site = 0; i < n_; ++i) {
    const double psi_i = psi[i];
    for (int k = 0; k < c_; ++k, ++site) {
      theta[site] = free[site] + gamma[site] * j[site];
      ocp.Evaluate(theta[site], &u[site], &du[site]);
      if (theta[site] <= 0.0 || theta[site] >= 1.0) du[site] = 0.0;  // the table is clamped
      eta[site] = psi_i + u[site];
    }
  }
  eta -= film_ * j_a;
  // i0 = i0_ref sqrt(th (1 - th)) / 0.5 and d i0 / d theta = i0_ref (1 - 2 th) / sqrt(th (1 - th))
  // at the clamped stoichiometry th (zero where theta is clamped).
  const auto th = theta.max(kEdge).min(1.0 - kEdge);
  root = (th * (1.0 - th)).sqrt();
  i0 = (2.0 * i0_) * root;
  di0 = (th == theta).select(i0_ * (1.0 - 2.0 * th) / root, 0.0);
  e1 = (alpha_c_ * f_ * eta).max(-300.0).min(300.0).exp();
  // Symmetric transfer coefficients (the default) need one exponential, not two.
  if (symmetric_) {
    e2 = e1.inverse();
  } else {
    e2 = (-alpha_a_ * f_ * eta).max(-300.0).min(300.0).exp();
  }
  // slope = g_eta / D, rho = -(j - i0 h) / D with D = 1 - gamma g_theta + R_film g_eta,
  // h = e1 - e2, g_eta = i0 f (alpha_c e1 + alpha_a e2), g_theta = di0 h + g_eta dU/dtheta.
  slope = i0 * f_ * (alpha_c_ * e1 + alpha_a_ * e2);  // g_eta for now
  e1 -= e2;                                           // h
  e2 = (1.0 - gamma * (di0 * e1 + slope * du) + film_ * slope).inverse();
  rho = (i0 * e1 - j_a) * e2;
  slope *= e2;
  // A particle surface already full (or empty) without this step's current, which can happen
  // by a hair through BDF2 extrapolation: i0 = 0 there, so the exact answer is j = 0.
  const auto saturated = (free >= 1.0) || (free <= 0.0);
  rho = saturated.select(-j_a, rho);
  slope = saturated.select(0.0, slope);
  SumOverCells(j);
}

void Solver::SumOverCells(const double* j) {
  const double* rho = rho_.data();
  const double* slope = slope_.data();
  for (int i = 0, site = 0; i < n_; ++i) {
    double bs = 0.0, brj = 0.0;
    for (int k = 0; k < c_; ++k, ++site) {
      bs += b_[site] * slope[site];
      brj += b_[site] * (j[site] + rho[site]);
    }
    cell_bs_[i] = bs;
    cell_brj_[i] = brj;
  }
}

bool Solver::Step(double dt, double omega, double state_tolerance, bool warm) {
  step_dt_ = dt;
  double a0 = 1.0, a1 = 1.0, a2 = 0.0;
  if (omega > 0) {  // variable-step BDF2
    a0 = (1.0 + 2.0 * omega) / (1.0 + omega);
    a1 = 1.0 + omega;
    a2 = omega * omega / (1.0 + omega);
  }
  // Implicit step of every particle in its eigenbasis: mode k of class c is scaled by
  // 1/(a0 + dt D / R_c^2 lambda_k). A stoichiometry-dependent D_s is taken at each particle's
  // mean stoichiometry at the start of the step (uniform inside the particle over the step:
  // the modes stay those of the linear problem; docs/physics.md §2).
  const bool variable = variable_diffusivity_;
  if (variable) {
    for (int i = 0; i < s_; ++i) {
      d_factor_[i] = SolidDiffusivityShape(diffusivity_law_, theta_[static_cast<size_t>(i) * m_]);
    }
  }
  const auto& lambda = particle_.eigenvalues();
  const auto& phi_s = particle_.surface_mode();
  const int units = variable ? s_ : c_;  // s_ shrinks as the adaptive mesh merges cells
  for (int u = 0, c = 0; u < units; ++u, c = c + 1 == c_ ? 0 : c + 1) {
    const double rate = dt * class_rate_[c] * (variable ? d_factor_[u] : 1.0);
    double* scale = &mode_scale_[static_cast<size_t>(u) * m_];
    double* source = &mode_source_[static_cast<size_t>(u) * m_];
    double response = 0.0;
    for (int k = 0; k < m_; ++k) {
      scale[k] = 1.0 / (a0 + rate * lambda[k]);
      source[k] = phi_s[k] * scale[k];
      response += phi_s[k] * source[k];
    }
    response_[u] = response;
  }
  for (int i = 0, c = 0; i < s_; ++i, c = c + 1 == c_ ? 0 : c + 1) {
    const int u = variable ? i : c;
    const double* scale = &mode_scale_[static_cast<size_t>(u) * m_];
    double* z = &theta_trial_[static_cast<size_t>(i) * m_];
    const double* th = &theta_[static_cast<size_t>(i) * m_];
    const double* old = &theta_old_[static_cast<size_t>(i) * m_];
    // The surface value sums over the modes in four independent partial sums (a single running
    // sum makes every addition wait for the one before).
    double outer[4] = {0.0, 0.0, 0.0, 0.0};
    int k = 0;
    for (; k + 4 <= m_; k += 4) {
      for (int q = 0; q < 4; ++q) {
        z[k + q] = (a1 * th[k + q] - a2 * old[k + q]) * scale[k + q];
        outer[q] += phi_s[k + q] * z[k + q];
      }
    }
    for (; k < m_; ++k) {
      z[k] = (a1 * th[k] - a2 * old[k]) * scale[k];
      outer[0] += phi_s[k] * z[k];
    }
    free_[i] = (outer[0] + outer[1]) + (outer[2] + outer[3]);
    gamma_[i] = response_[u] * dt * source_[i] + gap_[i] / (variable ? d_factor_[i] : 1.0);
  }
  // Reaction rates that would fill (empty) the surface in this step.
  for (int i = 0; i < s_; ++i) {
    const double inv_gamma = 1.0 / gamma_[i];
    j_hi_[i] = (1.0 - free_[i]) * inv_gamma;
    j_lo_[i] = -free_[i] * inv_gamma;
  }
  // Predictor: linear extrapolation in time of the last two committed solutions.
  if (!warm) {
    const double extrapolate = omega > 0 && history_ > 0 ? omega : 0.0;
    for (int i = 0; i < n_; ++i) {
      phi_trial_[i] = phi_[i] + extrapolate * (phi_[i] - phi_prev_[i]);
    }
    for (int i = 0; i < s_; ++i) j_trial_[i] = j_[i] + extrapolate * (j_[i] - j_prev_[i]);
  }
  bool converged = false;
  double previous_v = 0.0, previous_j = 0.0;  // sizes of the last update
  // Local views of the workspace: the compiler need not reload them after every store.
  double* __restrict psi = phi_trial_.data();
  double* __restrict j = j_trial_.data();
  double* __restrict rho = rho_.data();
  double* __restrict slope = slope_.data();
  double* __restrict upper = upper_.data();
  double* __restrict y1 = y1_.data();
  double* __restrict flux = flux_.data();
  const double* __restrict face = face_c_.data();
  const double* __restrict ratio = face_ratio_.data();
  const double* __restrict bs_cell = cell_bs_.data();
  const double* __restrict brj_cell = cell_brj_.data();
  // Truncated updates break the charge balance by what they cut. Once converged with some cut,
  // further iterations hold those sites' rates (rho = slope = 0) and solve the balance exactly
  // through the others: conservation to round-off.
  bool freeze = false;
  int damped = 0;  // consecutive damped updates
  for (int iter = 0; iter < max_newton_iterations_ && !converged; ++iter) {
    ++newton_iterations_;
    ReactionTerms(psi, j);  // reaction rates linearized in each cell
    if (freeze) {
      for (int site = 0; site < s_; ++site) {
        if (clipped_[site]) rho[site] = slope[site] = 0.0;
      }
      SumOverCells(j);
    }
    // Linearized balances in psi = phi_e - phi_s, negated so the diagonal is positive:
    //   -C_{i-1/2} dpsi_{i-1} + (C_{i-1/2} + C_{i+1/2} + b s) dpsi_i - C_{i+1/2} dpsi_{i+1}
    //   = E_i - b rho,  E_i = i_in - i_out - b j,
    // with the electrolyte current across a face C (psi_i - psi_{i+1}) + I C / S (electrons
    // carry the rest through the solid), i_in(0) = I and i_out(n-1) = 0. Tridiagonal and
    // diagonally dominant (b s > 0). Solved by elimination from both ends at once, meeting in
    // the middle ("burn at both ends"): the two recurrences are independent, so the processor
    // overlaps their divisions, which a one-way Thomas sweep must wait for one after another.
    // The cell voltage follows from psi (Voltage).
    // flux[i]: the electrolyte current into cell i (the applied current into the first, none out
    // of the last): FaceCurrent's formula on the local views (calling FaceCurrent here, which
    // reads the members, made the whole discharge 40% slower).
    flux[0] = current_;
    for (int f = 1; f < n_; ++f) {
      flux[f] = face[f - 1] * (psi[f - 1] - psi[f]) + current_ * ratio[f - 1];
    }
    flux[n_] = 0.0;
    const int mid = n_ / 2;
    auto row = [&](int i, double* k_lo, double* k_hi, double* diag, double* rhs) {
      *k_lo = i > 0 ? face[i - 1] : 0.0;
      *k_hi = i + 1 < n_ ? face[i] : 0.0;
      *diag = *k_lo + *k_hi + bs_cell[i];
      *rhs = flux[i] - flux[i + 1] - brj_cell[i];
    };
    // Top rows 0..mid-1: dpsi_i + upper_i dpsi_{i+1} = y1_i. Bottom rows n-1..mid+1:
    // dpsi_i + upper_i dpsi_{i-1} = y1_i.
    double c_top = 0.0, y_top = 0.0, c_bottom = 0.0, y_bottom = 0.0;
    for (int t = 0; t < mid; ++t) {
      double k_lo, k_hi, diag, rhs;
      row(t, &k_lo, &k_hi, &diag, &rhs);
      const double inv = 1.0 / (diag + k_lo * c_top);  // one division for two uses
      c_top = -k_hi * inv;
      y_top = (rhs + k_lo * y_top) * inv;
      upper[t] = c_top;
      y1[t] = y_top;
      const int b = n_ - 1 - t;
      if (b > mid) {
        row(b, &k_lo, &k_hi, &diag, &rhs);
        const double inv_b = 1.0 / (diag + k_hi * c_bottom);
        c_bottom = -k_lo * inv_b;
        y_bottom = (rhs + k_hi * y_bottom) * inv_b;
        upper[b] = c_bottom;
        y1[b] = y_bottom;
      }
    }
    {  // the middle row, with both neighbours eliminated
      double k_lo, k_hi, diag, rhs;
      row(mid, &k_lo, &k_hi, &diag, &rhs);
      y1[mid] = (rhs + k_lo * y_top + k_hi * y_bottom) / (diag + k_lo * c_top + k_hi * c_bottom);
    }
    double largest = std::abs(y1[mid]);
    for (int t = 1; t <= mid; ++t) {
      const int a = mid - t, b = mid + t;
      y1[a] -= upper[a] * y1[a + 1];
      largest = std::max(largest, std::abs(y1[a]));
      if (b < n_) {
        y1[b] -= upper[b] * y1[b - 1];
        largest = std::max(largest, std::abs(y1[b]));
      }
    }
    if (!std::isfinite(largest)) return false;
    // Damped Newton: no potential difference moves more than 50 mV per iteration.
    const double scale = largest > 0.05 ? 0.05 / largest : 1.0;
    damped = scale < 1.0 ? damped + 1 : 0;
    if (dt > 0.0 && damped > kMaxDampedIterations) return false;
    double largest_dj = 0.0, largest_dtheta = 0.0;  // dtheta: per unit step length
    bool clipped = false;
    for (int i = 0, site = 0; i < n_; ++i) {
      const double dpsi = y1[i];
      psi[i] += scale * dpsi;
      for (int k = 0; k < c_; ++k, ++site) {
        if (freeze && clipped_[site]) continue;  // held
        const double j_old = j[site];
        double j_new = j_old + scale * (rho[site] + slope[site] * dpsi);
        // Fraction to the boundary: keep the surface stoichiometry strictly inside (0, 1), where
        // Butler-Volmer with i0 ~ sqrt(theta (1 - theta)) is smooth; outside it Newton cycles.
        char cut = 0;
        if (free_[site] >= 1.0 || free_[site] <= 0.0) {
          j_new = 0.0;
        } else if (j_new >= j_hi_[site]) {
          j_new = j_old + 0.9 * (j_hi_[site] - j_old);
          cut = 1;
        } else if (j_new <= j_lo_[site]) {
          j_new = j_old + 0.9 * (j_lo_[site] - j_old);
          cut = 1;
        }
        clipped = clipped || cut;
        clipped_[site] = cut;
        largest_dj = std::max(largest_dj, std::abs(j_new - j_old));
        largest_dtheta = std::max(largest_dtheta, std::abs(j_new - j_old) * source_[site]);
        j[site] = j_new;
      }
    }
    if (!std::isfinite(largest) || !std::isfinite(largest_dj)) return false;
    // Convergence: the error left after a full (undamped, unclipped) update is estimated from
    // the contraction of successive updates, ||e|| <= q / (1 - q) ||update|| with
    // q = ||update|| / ||previous update|| (Hairer & Wanner, Solving ODEs II, §IV.8).
    // A full update solves the linearized charge balance exactly, so the accepted reaction
    // rates carry the applied current to round-off whatever the tolerance (conservation).
    auto left = [](double now, double before) {
      const double q = before > 0.0 ? now / before : 1.0;
      return q < 0.5 ? q / (1.0 - q) * now : now;
    };
    // Updates truncated at a nearly full surface converge linearly; they are accepted once
    // they are tiny.
    converged =
        scale == 1.0 && ((largest < tolerance_V_ && largest_dj < reaction_tolerance_ * j_scale_) ||
                         (!clipped && left(largest, previous_v) < tolerance_V_ &&
                          left(largest_dj, previous_j) < reaction_tolerance_ * j_scale_)) ||
        (scale == 1.0 && !clipped && largest_dtheta * dt <= state_tolerance &&
         largest <= state_potential_tolerance_V_);
    if (freeze) {
      // Accepted when no other site was cut; sites cut now are held as well in the next
      // iteration (each adds at least one). A damped update leaves the held mode.
      converged = scale == 1.0 && !clipped;
      freeze = scale == 1.0 && clipped;
    } else if (converged && clipped) {
      converged = false;
      freeze = true;
    }
    previous_v = scale == 1.0 ? largest : 0.0;
    previous_j = scale == 1.0 ? largest_dj : 0.0;
  }
  if (!converged) return false;
  v_trial_ = Voltage(psi);
  for (int i = 0, c = 0; i < s_; ++i, c = c + 1 == c_ ? 0 : c + 1) {
    const double* w = &mode_source_[static_cast<size_t>(variable_diffusivity_ ? i : c) * m_];
    double* z = &theta_trial_[static_cast<size_t>(i) * m_];
    const double s = dt * source_[i] * j_trial_[i];
    for (int k = 0; k < m_; ++k) z[k] += w[k] * s;
    surface_trial_[i] = free_[i] + gamma_[i] * j_trial_[i];
  }
  return true;
}

void Solver::Commit() {
  phi_prev_.swap(phi_);
  j_prev_.swap(j_);
  if (step_dt_ > 0.0) {
    history_dt_[1] = history_dt_[0];
    history_dt_[0] = step_dt_;
    history_ = std::min(history_ + 1, 3);
  } else {
    history_ = 1;
  }
  mean_prev2_.swap(mean_prev_);
  for (int i = 0; i < s_; ++i) mean_prev_[i] = theta_[static_cast<size_t>(i) * m_];
  theta_old_.swap(theta_);
  theta_.swap(theta_trial_);
  phi_.swap(phi_trial_);
  j_.swap(j_trial_);
  surface_.swap(surface_trial_);
  v_ = v_trial_;
}

double Solver::MaxSurfaceChange() const {
  double change = 0.0;
  for (int i = 0; i < s_; ++i) change = std::max(change, std::abs(surface_trial_[i] - surface_[i]));
  return change;
}

double Solver::MeanStoichiometryError() const {
  if (history_ < 3) return 0.0;
  // Times of the committed states relative to the newest, and the trial step's end.
  const double times[3] = {-history_dt_[0] - history_dt_[1], -history_dt_[0], 0.0};
  const double dt = step_dt_;
  double w[3];  // Lagrange weights of the three committed states at t = dt
  for (int a = 0; a < 3; ++a) {
    w[a] = 1.0;
    for (int b = 0; b < 3; ++b) {
      if (b != a) w[a] *= (dt - times[b]) / (times[a] - times[b]);
    }
  }
  double error = 0.0;
  for (int i = 0; i < s_; ++i) {
    const size_t at = static_cast<size_t>(i) * m_;  // mode 0: the mean
    const double predicted = w[0] * mean_prev2_[i] + w[1] * mean_prev_[i] + w[2] * theta_[at];
    error = std::max(error, std::abs(theta_trial_[at] - predicted));
  }
  return 2.0 / 7.0 * error;
}

double Solver::StoredCharge() const {
  double stored = 0.0;  // mode 0 is the mean stoichiometry
  for (int i = 0; i < s_; ++i) {
    stored += site_capacity_[i] * (theta_[static_cast<size_t>(i) * m_] - theta0_);
  }
  return stored;
}

void Solver::FillProfile(std::vector<ProfilePoint>* profile) const {
  profile->clear();
  double phi_e = phi0_;  // electrolyte potential, walked from the first centre
  for (int i = 0; i < n_; ++i) {
    ProfilePoint point;
    point.x_m = x_[i];
    point.layer = layer_[i];
    // Over the size classes: the mean weighted by capacity, the surface by interface area.
    double capacity = 0.0, area = 0.0, mean = 0.0, surface = 0.0, reaction = 0.0;
    for (int s = i * c_; s < (i + 1) * c_; ++s) {
      capacity += site_capacity_[s];
      area += b_[s];
      mean += site_capacity_[s] * theta_[static_cast<size_t>(s) * m_];
      surface += b_[s] * surface_[s];
      reaction += b_[s] * j_[s];
    }
    point.mean_stoichiometry = mean / capacity;
    point.surface_stoichiometry = surface / area;
    point.reaction_current_A_m3 = reaction / dx_[i];
    point.electrolyte_potential_V = phi_e;
    profile->push_back(point);
    if (i + 1 < n_) phi_e -= FaceCurrent(phi_.data(), i) / face_k_[i];
  }
}

}  // namespace

DischargeResult CellModel::Simulate(const Design& design, double c_rate,
                                    const SimulationOptions& options) const {
  ValidateDesign(design);
  if (!(c_rate > 0) || !std::isfinite(c_rate)) {
    std::ostringstream os;
    os << "C-rate " << c_rate << " must be a finite number > 0";
    throw ConfigError(os.str());
  }
  const auto& num = parameters_.numerics;
  const double cutoff = parameters_.protocol.cutoff_voltage_V;
  const double tol_theta = num.max_surface_stoichiometry_step / num.refinement;
  const double tol_v = num.max_voltage_step_V / num.refinement;
  const double tol_error = num.stoichiometry_error_tolerance / num.refinement;
  Solver solver(*this, design, c_rate);
  DischargeResult result;
  result.c_rate = c_rate;
  result.current_A_m2 = solver.current();
  result.theoretical_capacity_C_m2 = solver.capacity();
  const double nominal_s = kSecondsPerHour / c_rate;
  const double t_max = parameters_.protocol.max_duration_factor * nominal_s;
  if (options.record_curve) result.curve.reserve(256);

  auto finish = [&](double t, EndReason reason) {
    result.end_time_s = t;
    result.end_reason = reason;
    result.delivered_capacity_C_m2 = solver.current() * t;
    result.utilization = result.delivered_capacity_C_m2 / result.theoretical_capacity_C_m2;
    result.final_voltage_V = solver.voltage();
    result.stored_charge_C_m2 = solver.StoredCharge();
    result.newton_iterations = solver.newton_iterations();
    if (options.record_profile) solver.FillProfile(&result.profile);
    return result;
  };
  auto record = [&](double t) {
    if (options.record_curve) {
      result.curve.push_back({t, solver.current() * t, solver.voltage()});
    }
  };

  // t = 0+: the instantaneous response (no diffusion history).
  if (!solver.Step(0.0, 0.0)) {
    // Very resistive electrodes: the uniform-reaction start is too far off. Continuation in the
    // current from a small fraction, each solve starting from the previous one. The t = 0+
    // voltage falls as the current rises (every drop grows with it), so once a fraction of the
    // current already takes it below the cutoff, the full current ends the discharge at t = 0;
    // the initial voltage reported is then that fraction's (an upper bound).
    const double full = solver.current();
    double s = 1.0 / 1024;
    solver.Restart(s * full);
    bool ok = solver.Step(0.0, 0.0);
    while (!ok && s > 1e-12) {  // a layer far below percolation: start smaller still
      s /= 1024;
      solver.Restart(s * full);
      ok = solver.Step(0.0, 0.0);
    }
    while (ok && s < 1.0) {
      solver.Commit();
      if (solver.voltage() <= cutoff) {
        result.initial_voltage_V = solver.voltage();
        return finish(0.0, EndReason::kCutoffVoltage);
      }
      const double next = std::min(1.0, 2.0 * s);
      solver.Ramp(next / s);
      s = next;
      ok = solver.Step(0.0, 0.0);
    }
    if (!ok) {
      solver.Restart(full);
      return finish(0.0, EndReason::kNumericalFailure);
    }
  }
  solver.Commit();
  result.initial_voltage_V = solver.voltage();
  record(0.0);
  if (solver.voltage() <= cutoff) return finish(0.0, EndReason::kCutoffVoltage);

  double t = 0.0, dt = 1e-4 * nominal_s, dt_prev = 0.0;
  const double dt_min = 1e-12 * nominal_s;
  double previous_ratio = 1.0;  // error / tolerance of the last accepted step
  while (true) {
    dt = std::min(dt, t_max - t);
    // BDF2's step ratio for a step of this length (backward Euler for the first).
    auto omega = [&](double length) { return dt_prev > 0 ? length / dt_prev : 0.0; };
    if (!solver.Step(dt, omega(dt), kStateToleranceFactor * tol_error)) {
      ++result.rejected_steps;
      dt *= 0.25;
      if (dt < dt_min) {
        return finish(t, solver.MeanStoichiometry() > 0.999 ? EndReason::kFullyLithiated
                                                            : EndReason::kNumericalFailure);
      }
      continue;
    }
    const double v_old = solver.voltage();
    const double v_new = solver.trial_voltage();
    // Step-size factors that would meet each criterion (the error scales with dt^3).
    auto caps = [&](double d_theta, double d_v) {
      return std::min(tol_theta / std::max(d_theta, 1e-300), tol_v / std::max(d_v, 1e-300));
    };
    auto fit = [&](double d_theta, double d_v, double error) {
      return std::min(caps(d_theta, d_v), std::cbrt(tol_error / std::max(error, 1e-300)));
    };
    if (v_new < cutoff) {
      // The cutoff lies inside the step: the step length at which the implicit step lands on
      // the cutoff voltage, by TOMS 748 (Alefeld, Potra & Shi 1995, as in Boost.Math), each
      // solve started from the last one that converged: the voltage can fall off a cliff when
      // the particle surfaces fill, where regula falsi creeps. A failed Newton solve counts as
      // below the cutoff. The step found is the root (|V - cutoff| < 1e-9 V) or the longest
      // step on the feasible side; it is searched before the step-size checks, which then judge
      // the step found (shorter than this one), so that the end of discharge is not approached
      // by halving steps down a voltage cliff.
      double feasible = 0.0, exact = -1.0, solved = -1.0;  // solved: the trial state's length
      auto voltage_above_cutoff = [&](double length) {
        const bool ok = solver.Step(length, omega(length), 0.0, solved > 0.0);
        solved = ok ? length : -1.0;
        const double value = ok ? solver.trial_voltage() - cutoff : -1.0;
        if (value >= 0.0) feasible = std::max(feasible, length);
        if (std::abs(value) < 1e-9) exact = length;
        return value;
      };
      auto close_enough = [&](double a, double b) {
        return exact >= 0.0 || b - a < 1e-12 * nominal_s;
      };
      std::uintmax_t evaluations = 100;
      boost::math::tools::toms748_solve(voltage_above_cutoff, 0.0, dt, v_old - cutoff,
                                        v_new - cutoff, close_enough, evaluations);
      const double found = exact >= 0.0 ? exact : feasible;
      const bool have = found > 0 && (solved == found || solver.Step(found, omega(found)));
      if (have) {
        const double d_theta = solver.MaxSurfaceChange();
        const double error = solver.MeanStoichiometryError();
        // The last step: no later step inherits its error, which may be twice the tolerance.
        if ((d_theta > 2.0 * tol_theta || error > 2.0 * tol_error) && found > 1e-6 * nominal_s) {
          // Too long a step even so: approach the cutoff with shorter ones.
          ++result.rejected_steps;
          dt = std::max(found * std::min(0.9, 0.9 * fit(d_theta, 0.0, error)), 1e-6 * nominal_s);
          continue;
        }
        solver.Commit();
        t += found;
      }
      ++result.steps;
      record(t);
      return finish(t, EndReason::kCutoffVoltage);
    }
    const double d_theta = solver.MaxSurfaceChange();
    const double d_v = std::abs(v_old - v_new);
    const double error = solver.MeanStoichiometryError();
    if ((d_theta > 2.0 * tol_theta || d_v > 2.0 * tol_v || error > tol_error) &&
        dt > 1e-6 * nominal_s) {
      ++result.rejected_steps;
      dt *= std::min(0.9, 0.9 * fit(d_theta, d_v, error));
      dt = std::max(dt, 1e-6 * nominal_s);
      continue;
    }
    solver.Commit();
    solver.Adapt();
    t += dt;
    dt_prev = dt;
    ++result.steps;
    record(t);
    if (t >= t_max * (1.0 - 1e-12)) return finish(t, EndReason::kTimeLimit);
    // PI step-size control on the error estimate (Gustafsson; Hairer & Wanner, Solving ODEs II,
    // §IV.2, exponents 0.7/k and 0.4/k for an error of order k = 3): fewer rejected steps than
    // the plain (tol/err)^(1/3) rule as the reaction front crosses cells.
    const double ratio = std::max(error / tol_error, 1e-10);
    const double pi = std::pow(ratio, -0.7 / 3.0) * std::pow(previous_ratio, 0.4 / 3.0);
    previous_ratio = ratio;
    dt *= std::min(2.0, std::max(0.2, 0.9 * std::min(pi, caps(d_theta, d_v))));
  }
}

}  // namespace edopt
