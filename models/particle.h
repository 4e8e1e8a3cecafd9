// Finite-volume spherical diffusion in a graphite particle, in normalized radius rho = r / R,
// with shells clustered towards the surface where the gradients are:
//   V d(theta)/dt = -(D/R^2) K theta + source(t) e_surface,
// V the shell volume fractions (diagonal), K the symmetric tridiagonal matrix of the face
// conductances 3 rho_f^2 / d_rho. The model integrates it in its eigenbasis
//   K phi_k = lambda_k V phi_k,  Phi^T V Phi = I,  theta = Phi y,
// where every mode evolves on its own: an implicit step is a diagonal scaling, and the surface
// value after a step is linear in the step's interfacial current (the cell model eliminates
// the particle from its Newton system that way). Mode 0 (lambda = 0, phi = 1) is the mean
// stoichiometry, so the stored lithium is y_0 exactly.
#pragma once

#include <vector>

#include "models/parameters.h"

namespace edopt {

class SphericalDiffusion {
 public:
  SphericalDiffusion() = default;  // no shells; assign a real one before use
  explicit SphericalDiffusion(int shells);

  int shells() const { return static_cast<int>(volume_.size()); }
  // Shell volumes as fractions of the particle volume (sum 1).
  const std::vector<double>& volume() const { return volume_; }
  // Distance from the outer shell's centre to the surface, over R.
  double surface_gap() const { return 1.0 - center_.back(); }
  // Eigenvalues lambda_k, ascending, lambda_0 = 0 (rate of mode k is lambda_k D / R^2).
  const std::vector<double>& eigenvalues() const { return eigenvalues_; }
  // phi_k at the outer shell: the outer-shell value is sum_k surface_mode[k] y_k, and a
  // source into the outer shell feeds mode k in proportion to surface_mode[k].
  const std::vector<double>& surface_mode() const { return surface_mode_; }
  // Conversions between shell values and modal coefficients.
  std::vector<double> ToModes(const std::vector<double>& shell_values) const;
  std::vector<double> ToShells(const std::vector<double>& modes) const;

 private:
  std::vector<double> center_;  // shell centres
  std::vector<double> volume_;  // shell volume fractions
  std::vector<double> eigenvalues_;
  std::vector<double> modes_;  // Phi, column-major (shells x shells)
  std::vector<double> surface_mode_;
};

// D_s(x) / D_s(0.5) for the law (docs/physics.md §2); x clamped to [0, 1].
double SolidDiffusivityShape(DiffusivityLaw law, double x);

// Size classes of a polydisperse powder ("many-particle model", docs/physics.md §2): the
// volume-weighted radius distribution is lognormal with median radius median_radius_m and
// log-spread sigma (ln R ~ N(ln R50, sigma^2); laser diffraction reports volume
// distributions, D90/D10 = exp(2.563 sigma)). The classes are the Gauss-Hermite quadrature of
// that distribution in ln R (Golub-Welsch): radius R_k = R50 exp(sigma z_k) and volume share
// w_k (sum 1), exact for the moments E[R^p] of the lognormal up to the quadrature's order.
// classes = 1 or sigma = 0 gives the single class R50.
struct ParticleSizeClass {
  double radius_m = 0.0;
  double volume_share = 0.0;  // of the graphite volume (and capacity)
};
std::vector<ParticleSizeClass> ParticleSizeClasses(double median_radius_m, double sigma,
                                                   int classes);

}  // namespace edopt
