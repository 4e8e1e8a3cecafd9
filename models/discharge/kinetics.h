// The reaction kinetics of the discharge solver: the linearized Butler-Volmer rates of every
// particle (docs/physics.md §2) and their sums over each cell's size classes. Included by
// newton.cpp only (the kernels are inlined into the Newton iteration).
#pragma once

#include <Eigen/Core>

#include "models/discharge/solver.h"

namespace edopt {

// Butler-Volmer reaction residual of every cell and its Newton elimination:
//   R = j - i0(theta_s) [exp(alpha_c f eta) - exp(-alpha_a f eta)],
//   eta = psi + U(theta_s) - R_film j, psi = phi_e - phi_s (lithiation positive; the film in
//   series takes its ohmic share, docs/physics.md §2), theta_s = free + gamma j,
//   i0 = i0_ref sqrt(theta_s (1 - theta_s)) / 0.5 (docs/physics.md §2).
// delta_j = rho + slope delta_psi. The OCP table is read cell by cell; the rest is
// evaluated on whole arrays with Eigen (SIMD exp, sqrt and division).
inline void Solver::ReactionTerms(const double* psi, const double* j) {
  const double edge = tolerances_.surface_edge, clamp = tolerances_.exponent_clamp;
  using Array = Eigen::Map<Eigen::ArrayXd>;
  using ConstArray = Eigen::Map<const Eigen::ArrayXd>;
  const int ns = mesh_.s, n = mesh_.n, c = mesh_.classes;
  const ConstArray free(kinetics_.free.data(), ns), gamma(kinetics_.gamma.data(), ns), j_a(j, ns);
  Array theta(kinetics_.theta_s.data(), ns), u(kinetics_.ocp.data(), ns),
      du(kinetics_.docp.data(), ns), eta(kinetics_.eta.data(), ns);
  Array root(kinetics_.root.data(), ns), di0(kinetics_.di0.data(), ns);
  Array i0(kinetics_.i0.data(), ns), e1(kinetics_.forward.data(), ns),
      e2(kinetics_.backward.data(), ns);
  Array rho(kinetics_.rho.data(), ns), slope(kinetics_.slope.data(), ns);
  for (int i = 0, site = 0; i < n; ++i) {
    const double psi_i = psi[i];
    for (int k = 0; k < c; ++k, ++site) {
      theta[site] = free[site] + gamma[site] * j[site];
      ocp_.Evaluate(theta[site], &u[site], &du[site]);
      if (theta[site] <= 0.0 || theta[site] >= 1.0) du[site] = 0.0;  // the table is clamped
      eta[site] = psi_i + u[site];
    }
  }
  eta -= film_ * j_a;
  // i0 = i0_ref sqrt(th (1 - th)) / 0.5 and d i0 / d theta = i0_ref (1 - 2 th) / sqrt(th (1 - th))
  // at the clamped stoichiometry th (zero where theta is clamped).
  const auto th = theta.max(edge).min(1.0 - edge);
  root = (th * (1.0 - th)).sqrt();
  i0 = (2.0 * i0_) * root;
  di0 = (th == theta).select(i0_ * (1.0 - 2.0 * th) / root, 0.0);
  e1 = (alpha_c_ * f_ * eta).max(-clamp).min(clamp).exp();
  // Symmetric transfer coefficients (the default) need one exponential, not two.
  if (symmetric_) {
    e2 = e1.inverse();
  } else {
    e2 = (-alpha_a_ * f_ * eta).max(-clamp).min(clamp).exp();
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

inline void Solver::SumOverCells(const double* j) {
  const double* rho = kinetics_.rho.data();
  const double* slope = kinetics_.slope.data();
  const double* b = mesh_.b.data();
  const int n = mesh_.n, c = mesh_.classes;
  for (int i = 0, site = 0; i < n; ++i) {
    double bs = 0.0, brj = 0.0;
    for (int k = 0; k < c; ++k, ++site) {
      bs += b[site] * slope[site];
      brj += b[site] * (j[site] + rho[site]);
    }
    balance_.cell_bs[i] = bs;
    balance_.cell_brj[i] = brj;
  }
}

}  // namespace edopt
