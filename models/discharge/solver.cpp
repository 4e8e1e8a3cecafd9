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

// The part of it the SE network reaches (equal to it without particle sizes: x 1.0 is exact).
double ReachableCapacity(const DischargeProblem& p) {
  double capacity = 0.0;
  for (const auto& layer : p.layers)
    capacity += layer.theoretical_capacity_C_m2 * layer.reachable_fraction;
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
      reachable_capacity_(ReachableCapacity(p)),
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
  balance_.flux.assign(base_n + 1, 0.0);
  const size_t sm = static_cast<size_t>(s) * m_;
  scratch_modes_.assign(sm, 0.0);
  scratch_sites_.assign(s, 0.0);
  scratch_cells_.assign(n, 0.0);
  committed_.theta.assign(sm, 0.0);  // uniform theta0: mode 0 only
  for (int i = 0; i < s; ++i) committed_.theta[static_cast<size_t>(i) * m_] = theta0_;
  previous_.theta = committed_.theta;
  trial_.theta = committed_.theta;
  for (auto* v : {&committed_.psi, &previous_.psi, &trial_.psi, &balance_.cell_bs,
                  &balance_.cell_brj, &balance_.upper, &balance_.dpsi}) {
    v->assign(n, 0.0);
  }
  for (auto* v :
       {&committed_.reaction, &committed_.surface, &previous_.reaction, &trial_.reaction,
        &trial_.surface,      &kinetics_.free,     &kinetics_.gamma,    &kinetics_.j_fill,
        &kinetics_.j_empty,   &kinetics_.rho,      &kinetics_.slope,    &kinetics_.theta_s,
        &kinetics_.ocp,       &kinetics_.docp,     &kinetics_.root,     &kinetics_.di0,
        &kinetics_.i0,        &kinetics_.forward,  &kinetics_.backward, &kinetics_.eta}) {
    v->assign(s, 0.0);
  }
  committed_.surface.assign(s, theta0_);
  clipped_.assign(s, 0);
  history_.mean.assign(s, theta0_);
  history_.mean_before.assign(s, theta0_);
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
    d = std::max(d, std::abs(committed_.theta[static_cast<size_t>(sa) * m_] -
                             committed_.theta[static_cast<size_t>(sb) * m_]));
    d = std::max(d, std::abs(committed_.surface[sa] - committed_.surface[sb]));
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
  const double* psi = committed_.psi.data();
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
  for (auto* v : {&committed_.theta, &previous_.theta})
    mesh_.Remap(v, &scratch_modes_, true, m_, next_n);
  for (auto* v : {&committed_.reaction, &previous_.reaction, &committed_.surface, &history_.mean,
                  &history_.mean_before}) {
    mesh_.Remap(v, &scratch_sites_, true, 1, next_n);
  }
  for (auto* v : {&committed_.psi, &previous_.psi})
    mesh_.Remap(v, &scratch_cells_, false, 1, next_n);
  mesh_.Switch(next_n);
  phi0_ = FirstCentrePotential();
  std::fill(clipped_.begin(), clipped_.end(), 0);
  committed_.voltage = Voltage(committed_.psi.data());
  return true;
}

double Solver::SurfaceUptakeRatio() const {
  double uptake = 0.0;
  for (int site = 0; site < mesh_.s; ++site)
    uptake += mesh_.b[site] * std::max(0.0, kinetics_.j_fill[site]);
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
  for (int i = 0; i < mesh_.n; ++i) committed_.psi[i] = -u0 + (committed_.psi[i] + u0) * factor;
  for (int i = 0; i < mesh_.s; ++i) committed_.reaction[i] *= factor;
  committed_.voltage = u0 + (committed_.voltage - u0) * factor;
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
    committed_.psi[i] = phi;
    for (int site = i * c; site < (i + 1) * c; ++site) {
      committed_.reaction[site] = j;
      carried -= mesh_.b[site] * j;
    }
    if (i + 1 < n) phi -= carried / mesh_.face_k[i];
  }
  // Symmetric Butler-Volmer inverse at the first cell: a starting point for Newton only.
  const double i0 = i0_ * std::sqrt(theta0_ * (1.0 - theta0_)) / 0.5;
  const double eta = 2.0 / f_ * std::asinh(j / (2.0 * i0)) + film_ * j;
  committed_.voltage = committed_.psi[0] + ocp_(theta0_) - eta;
  for (int i = 0; i < n; ++i) committed_.psi[i] -= committed_.voltage;  // psi = phi_e - phi_s
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
  previous_.psi.swap(committed_.psi);
  previous_.reaction.swap(committed_.reaction);
  if (step_dt_ > 0.0) {
    history_.dt[1] = history_.dt[0];
    history_.dt[0] = step_dt_;
    history_.count = std::min(history_.count + 1, 3);
  } else {
    history_.count = 1;
  }
  history_.mean_before.swap(history_.mean);
  for (int i = 0; i < mesh_.s; ++i)
    history_.mean[i] = committed_.theta[static_cast<size_t>(i) * m_];
  previous_.theta.swap(committed_.theta);
  committed_.theta.swap(trial_.theta);
  committed_.psi.swap(trial_.psi);
  committed_.reaction.swap(trial_.reaction);
  committed_.surface.swap(trial_.surface);
  committed_.voltage = trial_.voltage;
}

double Solver::MaxSurfaceChange() const {
  double change = 0.0;
  for (int i = 0; i < mesh_.s; ++i) {
    change = std::max(change, std::abs(trial_.surface[i] - committed_.surface[i]));
  }
  return change;
}

double Solver::MeanStoichiometryError() const {
  if (history_.count < 3) return 0.0;
  // Times of the committed states relative to the newest, and the trial step's end.
  const double times[3] = {-history_.dt[0] - history_.dt[1], -history_.dt[0], 0.0};
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
    const double predicted =
        w[0] * history_.mean_before[i] + w[1] * history_.mean[i] + w[2] * committed_.theta[at];
    error = std::max(error, std::abs(trial_.theta[at] - predicted));
  }
  return 2.0 / 7.0 * error;
}

double Solver::StoredCharge() const {
  double stored = 0.0;  // mode 0 is the mean stoichiometry
  for (int i = 0; i < mesh_.s; ++i) {
    stored += mesh_.site_capacity[i] * (committed_.theta[static_cast<size_t>(i) * m_] - theta0_);
  }
  return stored;
}

double Solver::SaturatedCurrentShare(double gap) const {
  double saturated = 0.0, total = 0.0;
  for (int site = 0; site < mesh_.s; ++site) {
    const double current = mesh_.b[site] * std::max(0.0, committed_.reaction[site]);
    total += current;
    if (committed_.surface[site] > 1.0 - gap) saturated += current;
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
      mean += mesh_.site_capacity[site] * committed_.theta[static_cast<size_t>(site) * m_];
      surface += mesh_.b[site] * committed_.surface[site];
      reaction += mesh_.b[site] * committed_.reaction[site];
    }
    point.mean_stoichiometry = mean / capacity;
    point.surface_stoichiometry = surface / area;
    point.reaction_current_A_m3 = reaction / mesh_.dx[i];
    point.electrolyte_potential_V = phi_e;
    profile->push_back(point);
    if (i + 1 < mesh_.n) phi_e -= FaceCurrent(committed_.psi.data(), i) / mesh_.face_k[i];
  }
}

}  // namespace edopt
