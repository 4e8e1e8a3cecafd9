#include "models/particle.h"

#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>
#include <numbers>

namespace edopt {

SphericalDiffusion::SphericalDiffusion(int shells) {
  const int m = shells;
  std::vector<double> face(m + 1);
  // rho_f = sin(pi/2 k/m): shells thin out towards the surface.
  for (int k = 0; k <= m; ++k) face[k] = std::sin(0.5 * std::numbers::pi * k / m);
  face[m] = 1.0;
  center_.resize(m);
  volume_.resize(m);
  for (int k = 0; k < m; ++k) {
    center_[k] = 0.5 * (face[k] + face[k + 1]);
    volume_[k] = std::pow(face[k + 1], 3) - std::pow(face[k], 3);
  }
  // Faces 0 (centre) and m (surface) carry no diffusive flux.
  Eigen::MatrixXd stiffness = Eigen::MatrixXd::Zero(m, m);
  Eigen::MatrixXd mass = Eigen::MatrixXd::Zero(m, m);
  for (int k = 0; k < m; ++k) mass(k, k) = volume_[k];
  for (int k = 1; k < m; ++k) {
    const double c = 3.0 * face[k] * face[k] / (center_[k] - center_[k - 1]);
    stiffness(k - 1, k - 1) += c;
    stiffness(k, k) += c;
    stiffness(k - 1, k) -= c;
    stiffness(k, k - 1) -= c;
  }
  // Eigen normalizes the eigenvectors of K phi = lambda M phi to phi^T M phi = 1.
  const Eigen::GeneralizedSelfAdjointEigenSolver<Eigen::MatrixXd> solver(stiffness, mass);
  eigenvalues_.resize(m);
  modes_.resize(static_cast<size_t>(m) * m);
  surface_mode_.resize(m);
  for (int k = 0; k < m; ++k) {
    eigenvalues_[k] = solver.eigenvalues()(k);
    for (int r = 0; r < m; ++r)
      modes_[static_cast<size_t>(k) * m + r] = solver.eigenvectors()(r, k);
  }
  // The constant mode, exactly: lambda_0 = 0 and phi_0 = 1 (volumes sum to 1), so the mean
  // stoichiometry and with it the stored charge are conserved to round-off.
  eigenvalues_[0] = 0.0;
  for (int r = 0; r < m; ++r) modes_[r] = 1.0;
  for (int k = 0; k < m; ++k) surface_mode_[k] = modes_[static_cast<size_t>(k) * m + (m - 1)];
}

std::vector<double> SphericalDiffusion::ToModes(const std::vector<double>& shell_values) const {
  const int m = shells();
  std::vector<double> y(m, 0.0);
  for (int k = 0; k < m; ++k) {
    for (int r = 0; r < m; ++r) {
      y[k] += modes_[static_cast<size_t>(k) * m + r] * volume_[r] * shell_values[r];
    }
  }
  return y;
}

std::vector<double> SphericalDiffusion::ToShells(const std::vector<double>& modes) const {
  const int m = shells();
  std::vector<double> theta(m, 0.0);
  for (int k = 0; k < m; ++k) {
    for (int r = 0; r < m; ++r) theta[r] += modes_[static_cast<size_t>(k) * m + r] * modes[k];
  }
  return theta;
}

double SolidDiffusivityShape(DiffusivityLaw law, double x) {
  if (law == DiffusivityLaw::kConstant) return 1.0;
  // Ecker et al., J. Electrochem. Soc. 162, A1836 (2015), graphite, as in PyBaMM.
  auto ecker = [](double s) { return 8.4e-13 * std::exp(-11.3 * s) + 8.2e-15; };
  return ecker(std::min(1.0, std::max(0.0, x))) / ecker(0.5);
}

std::vector<ParticleSizeClass> ParticleSizeClasses(double median_radius_m, double sigma,
                                                   int classes) {
  if (classes <= 1 || sigma <= 0.0) return {{median_radius_m, 1.0}};
  // Jacobi matrix of the probabilists' Hermite polynomials (weight: the standard normal
  // density): zero diagonal, off-diagonal sqrt(k). Nodes are its eigenvalues, weights the
  // squared first components of its normalized eigenvectors.
  Eigen::MatrixXd jacobi = Eigen::MatrixXd::Zero(classes, classes);
  for (int k = 1; k < classes; ++k) {
    jacobi(k - 1, k) = jacobi(k, k - 1) = std::sqrt(static_cast<double>(k));
  }
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(jacobi);
  std::vector<ParticleSizeClass> result(classes);
  double total = 0.0;
  for (int k = 0; k < classes; ++k) {
    const double first = solver.eigenvectors()(0, k);
    result[k] = {median_radius_m * std::exp(sigma * solver.eigenvalues()(k)), first * first};
    total += first * first;
  }
  for (auto& c : result) c.volume_share /= total;  // 1 up to round-off
  return result;
}

}  // namespace edopt
