#include "models/particle.h"

#include <cmath>
#include <numbers>

namespace edopt {

SphericalDiffusion::SphericalDiffusion(int shells) {
  const int m = shells;
  face_.resize(m + 1);
  // rho_f = sin(pi/2 k/m): shells thin out towards the surface.
  for (int k = 0; k <= m; ++k) face_[k] = std::sin(0.5 * std::numbers::pi * k / m);
  face_[m] = 1.0;
  center_.resize(m);
  volume_.resize(m);
  for (int k = 0; k < m; ++k) {
    center_[k] = 0.5 * (face_[k] + face_[k + 1]);
    volume_[k] = std::pow(face_[k + 1], 3) - std::pow(face_[k], 3);
  }
  conductance_.assign(m + 1, 0.0);  // faces 0 (centre) and m (surface) carry no diffusive flux
  for (int k = 1; k < m; ++k) {
    conductance_[k] = 3.0 * face_[k] * face_[k] / (center_[k] - center_[k - 1]);
  }
  lower_.resize(m);
  diag_inv_.resize(m);
  upper_mod_.resize(m);
  response_.resize(m);
}

void SphericalDiffusion::Prepare(double a0, double dt_s, double diffusivity_m2_s, double radius_m) {
  const int m = shells();
  const double s = dt_s * diffusivity_m2_s / (radius_m * radius_m);
  // Row k: -s c_k th_{k-1} + (a0 v_k + s (c_k + c_{k+1})) th_k - s c_{k+1} th_{k+1}.
  double prev_upper_mod = 0.0;
  for (int k = 0; k < m; ++k) {
    const double lo = -s * conductance_[k];
    const double up = -s * conductance_[k + 1];
    const double d = a0 * volume_[k] + s * (conductance_[k] + conductance_[k + 1]);
    const double denom = d - lo * prev_upper_mod;
    lower_[k] = lo;
    diag_inv_[k] = 1.0 / denom;
    upper_mod_[k] = up / denom;
    prev_upper_mod = upper_mod_[k];
  }
  for (int k = 0; k < m; ++k) response_[k] = k == m - 1 ? 1.0 : 0.0;
  Solve(response_.data());
}

void SphericalDiffusion::Solve(double* rhs) const {
  const int m = shells();
  rhs[0] *= diag_inv_[0];
  for (int k = 1; k < m; ++k) rhs[k] = (rhs[k] - lower_[k] * rhs[k - 1]) * diag_inv_[k];
  for (int k = m - 2; k >= 0; --k) rhs[k] -= upper_mod_[k] * rhs[k + 1];
}

}  // namespace edopt
