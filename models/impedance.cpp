#include "models/impedance.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <unsupported/Eigen/NonLinearOptimization>
#include <unsupported/Eigen/NumericalDiff>

#include "models/errors.h"

namespace edopt {

Complex Coth(Complex z) {
  if (z.real() > 20.0) return {1.0, 0.0};
  const Complex e = std::exp(-2.0 * z);
  return (1.0 + e) / (1.0 - e);
}

Complex CothOverZ(Complex z) {
  if (std::abs(z) < 0.05) {
    const Complex z2 = z * z;
    return 1.0 / z2 + 1.0 / 3.0 - z2 / 45.0;  // Laurent series, error ~2|z|^2/945
  }
  return Coth(z) / z;
}

Complex ElectrodeImpedance(double omega, double r_ion_ohm, double q, double gamma) {
  // sqrt(R Z_Q) coth(sqrt(R / Z_Q)) = R coth(z) / z with z = sqrt(R Q (i w)^gamma).
  const Complex iw_gamma = std::polar(std::pow(omega, gamma), gamma * std::numbers::pi / 2);
  const Complex z = std::sqrt(r_ion_ohm * q * iw_gamma);
  return r_ion_ohm * CothOverZ(z);
}

Complex SymmetricCellImpedance(double omega, const TlmParameters& p) {
  return Complex(p.r_hf_ohm, omega * p.inductance_H) +
         2.0 * ElectrodeImpedance(omega, p.r_ion_ohm, p.q, p.gamma);
}

TlmParameters ToSingleTlm(const TlmParameters& p) {
  TlmParameters s = p;
  s.r_ion_ohm = 2.0 * p.r_ion_ohm;
  s.q = 0.5 * p.q;
  return s;
}

TlmParameters FromSingleTlm(const TlmParameters& s) {
  TlmParameters p = s;
  p.r_ion_ohm = 0.5 * s.r_ion_ohm;
  p.q = 2.0 * s.q;
  return p;
}

namespace {

constexpr double kPi = std::numbers::pi;

// Fitted vector theta: [R_HF / scale, (L in uH), log R_ion, log Q, (u: gamma = 0.5 + 0.5 sin^2 u)].
struct Layout {
  bool inductance;
  bool cpe;
  double r_scale;
  int size() const { return 3 + inductance + cpe; }
  int l_index() const { return 1; }
  int r_index() const { return 1 + inductance; }
  int q_index() const { return 2 + inductance; }
  int u_index() const { return 3 + inductance; }

  TlmParameters Decode(const Eigen::VectorXd& t) const {
    TlmParameters p;
    p.r_hf_ohm = t[0] * r_scale;
    p.inductance_H = inductance ? t[l_index()] * 1e-6 : 0.0;
    p.r_ion_ohm = std::exp(t[r_index()]);
    p.q = std::exp(t[q_index()]);
    p.gamma = cpe ? 0.5 + 0.5 * std::pow(std::sin(t[u_index()]), 2) : 1.0;
    return p;
  }
  Eigen::VectorXd Encode(const TlmParameters& p) const {
    Eigen::VectorXd t(size());
    t[0] = p.r_hf_ohm / r_scale;
    if (inductance) t[l_index()] = p.inductance_H * 1e6;
    t[r_index()] = std::log(p.r_ion_ohm);
    t[q_index()] = std::log(p.q);
    if (cpe) t[u_index()] = std::asin(std::sqrt(std::clamp(2.0 * (p.gamma - 0.5), 0.0, 1.0)));
    return t;
  }
};

struct Residuals {
  using Scalar = double;
  enum { InputsAtCompileTime = Eigen::Dynamic, ValuesAtCompileTime = Eigen::Dynamic };
  using InputType = Eigen::VectorXd;
  using ValueType = Eigen::VectorXd;
  using JacobianType = Eigen::MatrixXd;

  const Spectrum* spectrum;
  Layout layout;
  std::vector<double> weights;

  int inputs() const { return layout.size(); }
  int values() const { return 2 * static_cast<int>(spectrum->frequency_Hz.size()); }
  int operator()(const Eigen::VectorXd& t, Eigen::VectorXd& r) const {
    const TlmParameters p = layout.Decode(t);
    for (size_t k = 0; k < spectrum->frequency_Hz.size(); ++k) {
      const Complex d = (SymmetricCellImpedance(2 * kPi * spectrum->frequency_Hz[k], p) -
                         spectrum->impedance_ohm[k]) /
                        weights[k];
      const bool finite = std::isfinite(d.real()) && std::isfinite(d.imag());
      r[2 * k] = finite ? d.real() : 1e6;
      r[2 * k + 1] = finite ? d.imag() : 1e6;
    }
    return 0;
  }
};

// Data-derived start (docs/physics.md §4): R_HF from the high-frequency real part, gamma and Q from
// the low-frequency line, R_ion from that line's real offset (R_HF + 2 R_ion / 3).
TlmParameters InitialGuess(const Spectrum& s, bool cpe) {
  std::vector<size_t> order(s.frequency_Hz.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return s.frequency_Hz[a] > s.frequency_Hz[b]; });
  const Complex z_hi = s.impedance_ohm[order.front()];
  const Complex z_lo = s.impedance_ohm[order.back()];
  const Complex z_lo2 = s.impedance_ohm[order[order.size() - 2]];
  const double w_lo = 2 * kPi * s.frequency_Hz[order.back()];
  TlmParameters p;
  double min_re = z_hi.real();
  for (const auto& z : s.impedance_ohm) min_re = std::min(min_re, z.real());
  p.r_hf_ohm = std::max(0.0, min_re);
  const double d_re = z_lo.real() - z_lo2.real(), d_im = -(z_lo.imag() - z_lo2.imag());
  p.gamma =
      cpe ? std::clamp(2.0 / kPi * std::atan2(std::abs(d_im), std::abs(d_re)), 0.55, 1.0) : 1.0;
  const double minus_im = std::max(-z_lo.imag(), 1e-12 * std::abs(z_lo));
  p.q = 2.0 * std::sin(p.gamma * kPi / 2) / (std::pow(w_lo, p.gamma) * minus_im);
  const double capacitive_re = 2.0 * std::cos(p.gamma * kPi / 2) / (p.q * std::pow(w_lo, p.gamma));
  double r = 1.5 * (z_lo.real() - p.r_hf_ohm - capacitive_re);
  if (!(r > 0)) r = 1.5 * (z_lo.real() - p.r_hf_ohm);
  if (!(r > 0)) r = 0.1 * std::abs(z_lo);
  p.r_ion_ohm = r;
  return p;
}

double ChiSquare(const Eigen::VectorXd& r) { return r.squaredNorm(); }

// Covariance s^2 (J^T J)^-1 of the fit in theta at `best`, the correlations, and the standard
// errors of the physical parameters by the delta method.
void AddUncertainty(const Residuals& f, const Layout& layout, const Eigen::VectorXd& best,
                    TlmFit* fit) {
  Eigen::NumericalDiff<Residuals, Eigen::Central> diff(f);
  Eigen::MatrixXd jac(f.values(), layout.size());
  diff.df(best, jac);
  const Eigen::MatrixXd cov =
      fit->chi2_per_dof * (jac.transpose() * jac).completeOrthogonalDecomposition().pseudoInverse();
  const Eigen::VectorXd sd = cov.diagonal().cwiseMax(0.0).cwiseSqrt();
  fit->correlation = cov;
  for (int i = 0; i < layout.size(); ++i) {
    for (int j = 0; j < layout.size(); ++j) {
      const double d = sd[i] * sd[j];
      fit->correlation(i, j) = d > 0 ? cov(i, j) / d : (i == j ? 1.0 : 0.0);
    }
  }
  fit->fitted_names = {"r_hf"};
  if (layout.inductance) fit->fitted_names.push_back("inductance");
  fit->fitted_names.push_back("log_r_ion");
  fit->fitted_names.push_back("log_q");
  if (layout.cpe) fit->fitted_names.push_back("gamma_u");
  auto& se = fit->standard_errors;
  se.r_hf_ohm = sd[0] * layout.r_scale;
  se.inductance_H = layout.inductance ? sd[layout.l_index()] * 1e-6 : 0.0;
  se.r_ion_ohm = fit->parameters.r_ion_ohm * sd[layout.r_index()];
  se.q = fit->parameters.q * sd[layout.q_index()];
  se.gamma = layout.cpe
                 ? 0.5 * std::abs(std::sin(2 * best[layout.u_index()])) * sd[layout.u_index()]
                 : 0.0;
}

}  // namespace

TlmFit FitTlm(const Spectrum& spectrum, const TlmFitOptions& options) {
  const size_t n = spectrum.frequency_Hz.size();
  Layout layout{options.fit_inductance, !options.ideal_capacitor, 1.0};
  if (2 * n < static_cast<size_t>(layout.size()) + 4 || n < 5) {
    throw InputError(spectrum.name + ": " + std::to_string(n) +
                     " points are fewer than the TLM fit needs (at least 5)");
  }
  double median_modulus = 0.0;
  {
    std::vector<double> m;
    for (const auto& z : spectrum.impedance_ohm) m.push_back(std::abs(z));
    std::nth_element(m.begin(), m.begin() + static_cast<long>(m.size() / 2), m.end());
    median_modulus = m[m.size() / 2];
  }
  layout.r_scale = std::max(median_modulus, 1e-12);
  Residuals f{&spectrum, layout, std::vector<double>(n, 1.0)};
  if (options.weighting == Weighting::kModulus) {
    for (size_t k = 0; k < n; ++k)
      f.weights[k] = std::max(std::abs(spectrum.impedance_ohm[k]), 1e-300);
  }
  const TlmParameters guess = InitialGuess(spectrum, layout.cpe);
  const double w_min =
      2 * kPi * *std::min_element(spectrum.frequency_Hz.begin(), spectrum.frequency_Hz.end());
  // Starts: the guess, then R_ion and gamma moved (R_ion and Q correlate; gamma steers both).
  const double r_factors[] = {1.0, 0.3, 3.0, 1.0, 0.3, 3.0, 0.1, 10.0};
  const double gammas[] = {guess.gamma, guess.gamma, guess.gamma, 0.8, 0.9, 0.7, 0.95, 0.95};
  Eigen::VectorXd best;
  double best_chi2 = std::numeric_limits<double>::infinity();
  int starts = 0;
  for (int s = 0; s < std::clamp(options.starts, 1, 8); ++s) {
    TlmParameters start = guess;
    start.r_ion_ohm *= r_factors[s];
    if (layout.cpe) start.gamma = gammas[s];
    // Keep the low-frequency capacitive branch where the data put it.
    start.q = guess.q * std::pow(w_min, guess.gamma - start.gamma);
    Eigen::VectorXd t = layout.Encode(start);
    Eigen::NumericalDiff<Residuals> diff(f);
    Eigen::LevenbergMarquardt<Eigen::NumericalDiff<Residuals>> lm(diff);
    lm.parameters.maxfev = 4000;
    lm.parameters.xtol = 1e-12;
    lm.parameters.ftol = 1e-14;
    lm.minimize(t);
    ++starts;
    Eigen::VectorXd r(f.values());
    f(t, r);
    const double chi2 = ChiSquare(r);
    if (std::isfinite(chi2) && chi2 < best_chi2 && t.allFinite()) {
      best_chi2 = chi2;
      best = t;
    }
  }
  if (best.size() == 0) throw NumericalError(spectrum.name + ": the TLM fit did not converge");

  TlmFit fit;
  fit.parameters = layout.Decode(best);
  fit.initial_guess = guess;
  fit.starts = starts;
  fit.degrees_of_freedom = f.values() - layout.size();
  fit.chi2_per_dof = best_chi2 / fit.degrees_of_freedom;
  fit.summary = {Termination::kConverged,
                 "best of " + std::to_string(starts) + " Levenberg-Marquardt starts", 0, 0.0};
  for (size_t k = 0; k < n; ++k) {
    fit.fitted_ohm.push_back(
        SymmetricCellImpedance(2 * kPi * spectrum.frequency_Hz[k], fit.parameters));
  }
  AddUncertainty(f, layout, best, &fit);
  return fit;
}

KramersKronig LinKK(const Spectrum& s) {
  const size_t n = s.frequency_Hz.size();
  double f_min = s.frequency_Hz.front(), f_max = f_min;
  for (double f : s.frequency_Hz) {
    f_min = std::min(f_min, f);
    f_max = std::max(f_max, f);
  }
  const double tau_min = 1.0 / (2 * kPi * f_max), tau_max = 1.0 / (2 * kPi * f_min);
  KramersKronig best;
  const int max_elements = std::max(1, static_cast<int>(n) / 2 - 2);
  for (int m = 1; m <= max_elements; ++m) {
    // Unknowns: R0, L, 1/C, R_1..R_m; rows: real then imaginary parts, weighted by 1/|Z|.
    const int p = 3 + m;
    Eigen::MatrixXd a = Eigen::MatrixXd::Zero(2 * static_cast<long>(n), p);
    Eigen::VectorXd b(2 * static_cast<long>(n));
    for (size_t k = 0; k < n; ++k) {
      const double w = 2 * kPi * s.frequency_Hz[k];
      const double inv = 1.0 / std::abs(s.impedance_ohm[k]);
      const long re = 2 * static_cast<long>(k), im = re + 1;
      a(re, 0) = inv;
      a(im, 1) = w * inv * 1e-6;  // L in uH
      a(im, 2) = -inv / w * 1e3;  // 1/C in 1/mF
      for (int e = 0; e < m; ++e) {
        const double tau =
            m == 1 ? tau_min : tau_min * std::pow(tau_max / tau_min, double(e) / (m - 1));
        const Complex v = 1.0 / Complex(1.0, w * tau);
        a(re, 3 + e) = v.real() * inv;
        a(im, 3 + e) = v.imag() * inv;
      }
      b(re) = s.impedance_ohm[k].real() * inv;
      b(im) = s.impedance_ohm[k].imag() * inv;
    }
    const Eigen::VectorXd x = a.colPivHouseholderQr().solve(b);
    double pos = 0, neg = 0;
    for (int e = 0; e < m; ++e) (x[3 + e] >= 0 ? pos : neg) += std::abs(x[3 + e]);
    const double mu = pos > 0 ? 1.0 - neg / pos : 0.0;
    const Eigen::VectorXd r = b - a * x;
    KramersKronig kk;
    kk.elements = m;
    kk.mu = mu;
    kk.residual_rms = std::sqrt(r.squaredNorm() / static_cast<double>(r.size()));
    for (size_t k = 0; k < n; ++k) {
      kk.residual_real.push_back(r[2 * static_cast<long>(k)]);
      kk.residual_imag.push_back(r[2 * static_cast<long>(k) + 1]);
    }
    best = kk;
    if (m >= 3 && mu <= 0.85) break;  // more elements would start fitting the noise
  }
  return best;
}

}  // namespace edopt
