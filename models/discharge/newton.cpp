// One implicit time step of the discharge solver as a loop of named phases (solver.h).
#include <cmath>

#include "models/discharge/kinetics.h"
#include "models/discharge/solver.h"
#include "models/discharge/tridiagonal.h"

namespace edopt {

bool Solver::Step(double dt, double omega, double state_tolerance, bool warm) {
  step_dt_ = dt;
  PrepareParticles(dt, omega);
  if (!warm) Predict(omega);
  // Convergence: the error left after a full (undamped, unclipped) update is estimated from
  // the contraction of successive updates, ||e|| <= q / (1 - q) ||update|| with
  // q = ||update|| / ||previous update|| (Hairer & Wanner, Solving ODEs II, §IV.8).
  // A full update solves the linearized charge balance exactly, so the accepted reaction
  // rates carry the applied current to round-off whatever the tolerance (conservation).
  const SolverTolerances& tol = tolerances_;
  auto left = [&tol](double now, double before) {
    const double q = before > 0.0 ? now / before : 1.0;
    return q < tol.contraction_limit ? q / (1.0 - q) * now : now;
  };
  bool converged = false;
  double previous_v = 0.0, previous_j = 0.0;  // sizes of the last update
  // Truncated updates break the charge balance by what they cut. Once converged with some cut,
  // further iterations hold those sites' rates (rho = slope = 0) and solve the balance exactly
  // through the others: conservation to round-off.
  bool freeze = false;
  int damped = 0;   // consecutive damped updates
  int cycling = 0;  // consecutive full updates that did not contract
  double last_full = 0.0;
  for (int iter = 0; iter < tol.max_newton_iterations && !converged; ++iter) {
    ++newton_iterations_;
    ReactionTerms(trial_.psi.data(), trial_.reaction.data());  // reaction rates linearized per cell
    if (freeze) {
      for (int site = 0; site < mesh_.s; ++site) {
        if (clipped_[site]) kinetics_.rho[site] = kinetics_.slope[site] = 0.0;
      }
      SumOverCells(trial_.reaction.data());
    }
    const double largest = SolveBalance();
    if (!std::isfinite(largest)) return false;
    // Damped Newton: no potential difference moves more than max_update_V per iteration.
    double scale = largest > tol.max_update_V ? tol.max_update_V / largest : 1.0;
    damped = scale < 1.0 ? damped + 1 : 0;
    // Full updates that stop contracting: Newton cycling between two states around a kink of
    // the rate law (a surface near saturation, where i0 ~ sqrt(theta (1 - theta)) turns). Half
    // an update breaks the cycle; it does not count as a damped (cliff) update.
    if (scale == 1.0) {
      cycling = last_full > 0.0 && largest > tol.cycling_ratio * last_full ? cycling + 1 : 0;
      last_full = largest;
      if (cycling >= tol.cycling_count && largest > tol.newton_V) scale = tol.cycling_scale;
    }
    if (dt > 0.0 && damped > tol.max_damped_iterations) return false;
    const Update u = ApplyUpdate(scale, freeze);
    if (!std::isfinite(u.largest_dj)) return false;
    // Updates truncated at a nearly full surface converge linearly; they are accepted once
    // they are tiny.
    const double reaction = tol.reaction * j_scale_;
    converged = (scale == 1.0 && ((largest < tol.newton_V && u.largest_dj < reaction) ||
                                  (!u.clipped && left(largest, previous_v) < tol.newton_V &&
                                   left(u.largest_dj, previous_j) < reaction))) ||
                (scale == 1.0 && !u.clipped && u.largest_dtheta * dt <= state_tolerance &&
                 largest <= tol.state_potential_V);
    if (freeze) {
      // Accepted when no other site was cut; sites cut now are held as well in the next
      // iteration (each adds at least one). A damped update leaves the held mode.
      converged = scale == 1.0 && !u.clipped;
      freeze = scale == 1.0 && u.clipped;
    } else if (converged && u.clipped) {
      converged = false;
      freeze = true;
    }
    previous_v = scale == 1.0 ? largest : 0.0;
    previous_j = scale == 1.0 ? u.largest_dj : 0.0;
  }
  if (!converged) return false;
  FinishStep(dt);
  return true;
}

void Solver::PrepareParticles(double dt, double omega) {
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
  const int s = mesh_.s, classes = mesh_.classes;
  const bool variable = variable_diffusivity_;
  if (variable) {
    for (int i = 0; i < s; ++i) {
      d_factor_[i] = SolidDiffusivityShape(problem_.diffusivity_law,
                                           committed_.theta[static_cast<size_t>(i) * m_]);
    }
  }
  const auto& lambda = particle_.eigenvalues();
  const auto& phi_s = particle_.surface_mode();
  const int units = variable ? s : classes;  // s shrinks as the adaptive mesh merges cells
  for (int u = 0, c = 0; u < units; ++u, c = c + 1 == classes ? 0 : c + 1) {
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
  for (int i = 0, c = 0; i < s; ++i, c = c + 1 == classes ? 0 : c + 1) {
    const int u = variable ? i : c;
    const double* scale = &mode_scale_[static_cast<size_t>(u) * m_];
    double* z = &trial_.theta[static_cast<size_t>(i) * m_];
    const double* th = &committed_.theta[static_cast<size_t>(i) * m_];
    const double* old = &previous_.theta[static_cast<size_t>(i) * m_];
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
    kinetics_.free[i] = (outer[0] + outer[1]) + (outer[2] + outer[3]);
    kinetics_.gamma[i] =
        response_[u] * dt * mesh_.source[i] + mesh_.gap[i] / (variable ? d_factor_[i] : 1.0);
  }
  // Reaction rates that would fill (empty) the surface in this step.
  for (int i = 0; i < s; ++i) {
    const double inv_gamma = 1.0 / kinetics_.gamma[i];
    kinetics_.j_fill[i] = (1.0 - kinetics_.free[i]) * inv_gamma;
    kinetics_.j_empty[i] = -kinetics_.free[i] * inv_gamma;
  }
}

void Solver::Predict(double omega) {
  // Linear extrapolation in time of the last two committed solutions.
  const double extrapolate = omega > 0 && history_.count > 0 ? omega : 0.0;
  for (int i = 0; i < mesh_.n; ++i)
    trial_.psi[i] = committed_.psi[i] + extrapolate * (committed_.psi[i] - previous_.psi[i]);
  for (int i = 0; i < mesh_.s; ++i)
    trial_.reaction[i] =
        committed_.reaction[i] + extrapolate * (committed_.reaction[i] - previous_.reaction[i]);
}

// Linearized balances in psi = phi_e - phi_s, negated so the diagonal is positive:
//   -C_{i-1/2} dpsi_{i-1} + (C_{i-1/2} + C_{i+1/2} + b s) dpsi_i - C_{i+1/2} dpsi_{i+1}
//   = E_i - b rho,  E_i = i_in - i_out - b j,
// with the electrolyte current across a face C (psi_i - psi_{i+1}) + I C / S (electrons
// carry the rest through the solid), i_in(0) = I and i_out(n-1) = 0: SolveCoupledTridiagonal
// (tridiagonal.h). The update dpsi is left in balance_.dpsi.
double Solver::SolveBalance() {
  const int n = mesh_.n;
  const double* __restrict psi = trial_.psi.data();
  double* __restrict flux = balance_.flux.data();
  const double* __restrict face = mesh_.face_c.data();
  const double* __restrict ratio = mesh_.face_ratio.data();
  const double* __restrict brj_cell = balance_.cell_brj.data();
  // flux[i]: the electrolyte current into cell i (the applied current into the first, none out
  // of the last): FaceCurrent's formula on the local views (calling FaceCurrent here, which
  // reads the members, made the whole discharge 40% slower).
  flux[0] = current_;
  for (int f = 1; f < n; ++f)
    flux[f] = face[f - 1] * (psi[f - 1] - psi[f]) + current_ * ratio[f - 1];
  flux[n] = 0.0;
  return SolveCoupledTridiagonal(
      n, face, balance_.cell_bs.data(),
      [flux, brj_cell](int i) { return flux[i] - flux[i + 1] - brj_cell[i]; },
      balance_.upper.data(), balance_.dpsi.data());
}

Solver::Update Solver::ApplyUpdate(double scale, bool freeze) {
  Update u;
  const int n = mesh_.n, c = mesh_.classes;
  double* __restrict psi = trial_.psi.data();
  double* __restrict j = trial_.reaction.data();
  const double* __restrict rho = kinetics_.rho.data();
  const double* __restrict slope = kinetics_.slope.data();
  const double* __restrict y1 = balance_.dpsi.data();
  const double* __restrict source = mesh_.source.data();
  const double boundary = tolerances_.boundary_fraction;
  for (int i = 0, site = 0; i < n; ++i) {
    const double dpsi = y1[i];
    psi[i] += scale * dpsi;
    for (int k = 0; k < c; ++k, ++site) {
      if (freeze && clipped_[site]) continue;  // held
      const double j_old = j[site];
      double j_new = j_old + scale * (rho[site] + slope[site] * dpsi);
      // Fraction to the boundary: keep the surface stoichiometry strictly inside (0, 1), where
      // Butler-Volmer with i0 ~ sqrt(theta (1 - theta)) is smooth; outside it Newton cycles.
      char cut = 0;
      if (kinetics_.free[site] >= 1.0 || kinetics_.free[site] <= 0.0) {
        j_new = 0.0;
      } else if (j_new >= kinetics_.j_fill[site]) {
        j_new = j_old + boundary * (kinetics_.j_fill[site] - j_old);
        cut = 1;
      } else if (j_new <= kinetics_.j_empty[site]) {
        j_new = j_old + boundary * (kinetics_.j_empty[site] - j_old);
        cut = 1;
      }
      u.clipped = u.clipped || cut;
      clipped_[site] = cut;
      u.largest_dj = std::max(u.largest_dj, std::abs(j_new - j_old));
      u.largest_dtheta = std::max(u.largest_dtheta, std::abs(j_new - j_old) * source[site]);
      j[site] = j_new;
    }
  }
  return u;
}

void Solver::FinishStep(double dt) {
  trial_.voltage = Voltage(trial_.psi.data());
  const int classes = mesh_.classes;
  for (int i = 0, c = 0; i < mesh_.s; ++i, c = c + 1 == classes ? 0 : c + 1) {
    const double* w = &mode_source_[static_cast<size_t>(variable_diffusivity_ ? i : c) * m_];
    double* z = &trial_.theta[static_cast<size_t>(i) * m_];
    const double s = dt * mesh_.source[i] * trial_.reaction[i];
    for (int k = 0; k < m_; ++k) z[k] += w[k] * s;
    trial_.surface[i] = kinetics_.free[i] + kinetics_.gamma[i] * trial_.reaction[i];
  }
}

}  // namespace edopt
