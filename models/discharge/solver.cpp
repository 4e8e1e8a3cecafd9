#include "models/discharge/solver.h"

#include <algorithm>
#include <cmath>

#include "models/units.h"

namespace edopt {

namespace {

double TheoreticalCapacity(const DischargeProblem& p) {
  double capacity = 0.0;
  for (const auto& layer : p.layers) capacity += layer.theoretical_capacity_C_m2;
  return capacity;
}

}  // namespace

Solver::Solver(const DischargeProblem& p, const SolverTolerances& tolerances)
    : problem_(p),
      ocp_(*p.ocp),
      particle_(*p.particle),
      tolerances_(tolerances),
      current_(p.c_rate * TheoreticalCapacity(p) / kSecondsPerHour),
      capacity_(TheoreticalCapacity(p)),
      f_(kFaraday_C_mol / (kGasConstant_J_molK * p.temperature_K)),
      mesh_(p, current_, f_) {
  m_ = particle_.shells();
  for (const auto& c : *p.size_classes) {
    class_rate_.push_back(p.solid_diffusivity_m2_s / (c.radius_m * c.radius_m));
  }
  i0_ = p.exchange_current_A_m2;
  film_ = p.film_resistance_ohm_m2;
  alpha_a_ = p.alpha_anodic;
  alpha_c_ = p.alpha_cathodic;
  symmetric_ = alpha_a_ == alpha_c_;
  theta0_ = p.initial_stoichiometry;
  adaptive_ = p.numerics.adaptive_mesh;
  phi0_ = FirstCentrePotential();
  const int base_n = mesh_.base_n, s = mesh_.s, n = mesh_.n;
  drop_.assign(base_n, 0.0);
  jump_.assign(base_n + 1, 0.0);
  flux_.assign(base_n + 1, 0.0);
  const size_t sm = static_cast<size_t>(s) * m_;
  scratch_modes_.assign(sm, 0.0);
  scratch_sites_.assign(s, 0.0);
  scratch_cells_.assign(n, 0.0);
  theta_.assign(sm, 0.0);  // uniform theta0: mode 0 only
  for (int i = 0; i < s; ++i) theta_[static_cast<size_t>(i) * m_] = theta0_;
  theta_old_ = theta_;
  theta_trial_ = theta_;
  for (auto* v : {&phi_, &phi_prev_, &phi_trial_, &cell_bs_, &cell_brj_, &upper_, &y1_}) {
    v->assign(n, 0.0);
  }
  for (auto* v : {&j_,     &surface_, &j_prev_, &j_trial_, &surface_trial_,
                  &free_,  &gamma_,   &j_hi_,   &j_lo_,    &rho_,
                  &slope_, &theta_s_, &u_,      &du_,      &root_,
                  &di0_,   &i0_cell_, &e1_,     &e2_,      &eta_}) {
    v->assign(s, 0.0);
  }
  surface_.assign(s, theta0_);
  clipped_.assign(s, 0);
  mean_prev_.assign(s, theta0_);
  mean_prev2_.assign(s, theta0_);
  variable_diffusivity_ = p.diffusivity_law != DiffusivityLaw::kConstant;
  const int units = variable_diffusivity_ ? s : mesh_.classes;
  mode_scale_.assign(static_cast<size_t>(units) * m_, 0.0);
  mode_source_.assign(static_cast<size_t>(units) * m_, 0.0);
  response_.assign(units, 0.0);
  d_factor_.assign(s, 1.0);
  InitialGuess();
}

double Solver::FirstCentrePotential() const {
  const double i0 = problem_.lithium_exchange_current_A_m2;
  const double eta_li = i0 > 0 ? 2.0 / f_ * std::asinh(current_ / (2.0 * i0)) : 0.0;
  return -current_ * mesh_.first_cell_resistance_ohm_m2 - eta_li;
}

double Solver::Difference(int a, int b) const {
  double d = 0.0;
  const int c = mesh_.classes;
  for (int k = 0; k < c; ++k) {
    const int sa = a * c + k, sb = b * c + k;
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
  const int n = mesh_.n;
  for (int i = 0; i < n; ++i) {
    const double in = i > 0 ? std::abs(FaceCurrent(psi, i - 1)) : current_;
    const double out = i + 1 < n ? std::abs(FaceCurrent(psi, i)) : 0.0;
    drop_[i] = std::max(in, out) * f_ * mesh_.cells_per_ohmic_length;
  }
  // jump_[i]: the state difference between cells i - 1 and i of one layer (0 across layers).
  jump_[0] = jump_[n] = 0.0;
  for (int i = 1; i < n; ++i) {
    jump_[i] = mesh_.layer[i - 1] == mesh_.layer[i] ? Difference(i - 1, i) : 0.0;
  }
  const int next_n = mesh_.PlanPartition(drop_, jump_, tolerances_,
                                         [this](int a, int b) { return Difference(a, b); });
  if (next_n < 0) return false;
  mesh_.SetOwners();
  for (auto* v : {&theta_, &theta_old_}) mesh_.Remap(v, &scratch_modes_, true, m_, next_n);
  for (auto* v : {&j_, &j_prev_, &surface_, &mean_prev_, &mean_prev2_}) {
    mesh_.Remap(v, &scratch_sites_, true, 1, next_n);
  }
  for (auto* v : {&phi_, &phi_prev_}) mesh_.Remap(v, &scratch_cells_, false, 1, next_n);
  mesh_.Switch(next_n);
  phi0_ = FirstCentrePotential();
  std::fill(clipped_.begin(), clipped_.end(), 0);
  v_ = Voltage(phi_.data());
  return true;
}

double Solver::SurfaceUptakeRatio() const {
  double uptake = 0.0;
  for (int site = 0; site < mesh_.s; ++site) uptake += mesh_.b[site] * std::max(0.0, j_hi_[site]);
  return uptake / current_;
}

void Solver::Restart(double current) {
  current_ = current;
  phi0_ = FirstCentrePotential();
  InitialGuess();
}

void Solver::Ramp(double factor) {
  const double u0 = ocp_(theta0_);
  current_ *= factor;
  phi0_ = FirstCentrePotential();
  // psi + U(theta0) is the overpotential, linear in the current.
  for (int i = 0; i < mesh_.n; ++i) phi_[i] = -u0 + (phi_[i] + u0) * factor;
  for (int i = 0; i < mesh_.s; ++i) j_[i] *= factor;
  v_ = u0 + (v_ - u0) * factor;
  j_scale_ *= factor;
}

void Solver::InitialGuess() {
  const int n = mesh_.n, s = mesh_.s, c = mesh_.classes;
  double total_b = 0.0;
  for (int site = 0; site < s; ++site) total_b += mesh_.b[site];
  const double j = current_ / total_b;
  j_scale_ = j;
  double phi = phi0_, carried = current_;
  for (int i = 0; i < n; ++i) {
    phi_[i] = phi;
    for (int site = i * c; site < (i + 1) * c; ++site) {
      j_[site] = j;
      carried -= mesh_.b[site] * j;
    }
    if (i + 1 < n) phi -= carried / mesh_.face_k[i];
  }
  // Symmetric Butler-Volmer inverse at the first cell: a starting point for Newton only.
  const double i0 = i0_ * std::sqrt(theta0_ * (1.0 - theta0_)) / 0.5;
  const double eta = 2.0 / f_ * std::asinh(j / (2.0 * i0)) + film_ * j;
  v_ = phi_[0] + ocp_(theta0_) - eta;
  for (int i = 0; i < n; ++i) phi_[i] -= v_;  // psi = phi_e - phi_s
}

double Solver::Voltage(const double* psi) const {
  // Uniform solid potential: V = phi_s = phi_e(first centre) - psi_0.
  if (!mesh_.electronic) return phi0_ - psi[0];
  // Otherwise walk the electrolyte to the last centre, then the solid to the collector.
  double phi_e = phi0_;
  for (int f = 0; f + 1 < mesh_.n; ++f) phi_e -= FaceCurrent(psi, f) / mesh_.face_k[f];
  return phi_e - psi[mesh_.n - 1] - current_ * mesh_.collector_resistance_ohm_m2;
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
  for (int i = 0; i < mesh_.s; ++i) mean_prev_[i] = theta_[static_cast<size_t>(i) * m_];
  theta_old_.swap(theta_);
  theta_.swap(theta_trial_);
  phi_.swap(phi_trial_);
  j_.swap(j_trial_);
  surface_.swap(surface_trial_);
  v_ = v_trial_;
}

double Solver::MaxSurfaceChange() const {
  double change = 0.0;
  for (int i = 0; i < mesh_.s; ++i) {
    change = std::max(change, std::abs(surface_trial_[i] - surface_[i]));
  }
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
  for (int i = 0; i < mesh_.s; ++i) {
    const size_t at = static_cast<size_t>(i) * m_;  // mode 0: the mean
    const double predicted = w[0] * mean_prev2_[i] + w[1] * mean_prev_[i] + w[2] * theta_[at];
    error = std::max(error, std::abs(theta_trial_[at] - predicted));
  }
  return 2.0 / 7.0 * error;
}

double Solver::StoredCharge() const {
  double stored = 0.0;  // mode 0 is the mean stoichiometry
  for (int i = 0; i < mesh_.s; ++i) {
    stored += mesh_.site_capacity[i] * (theta_[static_cast<size_t>(i) * m_] - theta0_);
  }
  return stored;
}

double Solver::SaturatedCurrentShare(double gap) const {
  double saturated = 0.0, total = 0.0;
  for (int site = 0; site < mesh_.s; ++site) {
    const double current = mesh_.b[site] * std::max(0.0, j_[site]);
    total += current;
    if (surface_[site] > 1.0 - gap) saturated += current;
  }
  return total > 0 ? saturated / total : 0.0;
}

void Solver::FillProfile(std::vector<ProfilePoint>* profile) const {
  profile->clear();
  const int c = mesh_.classes;
  double phi_e = phi0_;  // electrolyte potential, walked from the first centre
  for (int i = 0; i < mesh_.n; ++i) {
    ProfilePoint point;
    point.x_m = mesh_.x[i];
    point.layer = mesh_.layer[i];
    // Over the size classes: the mean weighted by capacity, the surface by interface area.
    double capacity = 0.0, area = 0.0, mean = 0.0, surface = 0.0, reaction = 0.0;
    for (int site = i * c; site < (i + 1) * c; ++site) {
      capacity += mesh_.site_capacity[site];
      area += mesh_.b[site];
      mean += mesh_.site_capacity[site] * theta_[static_cast<size_t>(site) * m_];
      surface += mesh_.b[site] * surface_[site];
      reaction += mesh_.b[site] * j_[site];
    }
    point.mean_stoichiometry = mean / capacity;
    point.surface_stoichiometry = surface / area;
    point.reaction_current_A_m3 = reaction / mesh_.dx[i];
    point.electrolyte_potential_V = phi_e;
    profile->push_back(point);
    if (i + 1 < mesh_.n) phi_e -= FaceCurrent(phi_.data(), i) / mesh_.face_k[i];
  }
}

}  // namespace edopt
