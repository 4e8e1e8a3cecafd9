// Finite-volume spherical diffusion in a graphite particle, in normalized radius rho = r / R,
// with shells clustered towards the surface where the gradients are. The implicit step
//   (a0 diag(v) + dt D/R^2 K) theta_new = v .* rhs_history + dt * source * j * e_surface
// is linear in the interfacial current j, so the surface stoichiometry after the step is
// theta_free + gamma * j: the cell model eliminates the particle from its Newton system and
// every particle of the electrode shares one factorized matrix per step.
#pragma once

#include <vector>

namespace edopt {

class SphericalDiffusion {
 public:
  explicit SphericalDiffusion(int shells);

  int shells() const { return static_cast<int>(volume_.size()); }
  // Shell volumes as fractions of the particle volume (sum 1).
  const std::vector<double>& volume() const { return volume_; }
  // Distance from the outer shell's centre to the surface, over R.
  double surface_gap() const { return 1.0 - center_.back(); }

  // Factorizes a0 diag(v) + dt D/R^2 K for the step (dt may be 0: the instantaneous response).
  void Prepare(double a0, double dt_s, double diffusivity_m2_s, double radius_m);
  // Solves the prepared system in place (rhs has shells() entries).
  void Solve(double* rhs) const;
  // Response of the outer shell to a unit source in it: (A^-1 e_surface)_surface, and the
  // whole vector A^-1 e_surface.
  double surface_response() const { return response_.back(); }
  const std::vector<double>& response() const { return response_; }

 private:
  std::vector<double> face_;         // shells + 1 face radii, 0 .. 1
  std::vector<double> center_;       // shell centres
  std::vector<double> volume_;       // shell volume fractions
  std::vector<double> conductance_;  // 3 rho_f^2 / d_rho between centres, interior faces
  // Thomas factorization of the tridiagonal matrix.
  std::vector<double> lower_, diag_inv_, upper_mod_;
  std::vector<double> response_;
};

}  // namespace edopt
