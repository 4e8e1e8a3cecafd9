// Impedance of composite symmetric cells (docs/physics.md §4): the transmission-line model (TLM) of a
// blocking porous electrode with an ideal capacitor or a constant phase element, the whole
// symmetric cell, its complex nonlinear least-squares fit, and the Lin-KK validity test.
//
// Convention: R_ion and Q are PER ELECTRODE. A symmetric cell holds two electrodes:
//   Z = i w L + R_HF + 2 Z_el(R_ion, Q, gamma),
// and a single-TLM fit of the same spectrum returns R = 2 R_ion and Q / 2 (exactly, since
// 2 Z_el(R, Q) == Z_el(2 R, Q / 2)).
#pragma once

#include <Eigen/Dense>
#include <complex>
#include <string>
#include <vector>

#include "models/summary.h"

namespace edopt {

using Complex = std::complex<double>;

// A measured spectrum: Z = Z' + i Z'' in ohm (Z'' < 0 for capacitive behaviour).
struct Spectrum {
  std::string name;  // e.g. "cell63.mpt, sweep 2"
  std::vector<double> frequency_Hz;
  std::vector<Complex> impedance_ohm;
};

struct TlmParameters {
  double r_hf_ohm = 0.0;      // series resistance: SE separator, contacts, leads
  double inductance_H = 0.0;  // leads
  double r_ion_ohm = 0.0;     // ionic resistance of one electrode across its thickness
  double q = 0.0;             // CPE of one electrode, F s^(gamma - 1) (capacitance if gamma = 1)
  double gamma = 1.0;         // CPE exponent, (0.5, 1]; 1 = ideal capacitor
};

// Numerically safe coth(z) and coth(z)/z for Re z >= 0 (docs/physics.md §4).
Complex Coth(Complex z);
Complex CothOverZ(Complex z);

// One blocking TLM electrode (Landesfeind et al., J. Electrochem. Soc. 163, A1373, 2016):
// Z_el = sqrt(R_ion Z_Q) coth(sqrt(R_ion / Z_Q)), Z_Q = 1 / (Q (i w)^gamma).
Complex ElectrodeImpedance(double omega, double r_ion_ohm, double q, double gamma);
// The symmetric cell: i w L + R_HF + 2 Z_el.
Complex SymmetricCellImpedance(double omega, const TlmParameters& per_electrode);

// Per-electrode values <-> the single-TLM equivalent (R x 2, Q / 2); exact inverses.
TlmParameters ToSingleTlm(const TlmParameters& per_electrode);
TlmParameters FromSingleTlm(const TlmParameters& single_tlm);

enum class Weighting { kModulus, kUnit };  // residuals divided by |Z| (default) or not

struct TlmFitOptions {
  bool ideal_capacitor = false;  // gamma fixed at 1
  bool fit_inductance = true;
  Weighting weighting = Weighting::kModulus;
  int starts = 6;  // multi-start around the data-derived guess
};

struct TlmFit {
  TlmParameters parameters;
  TlmParameters standard_errors;          // 1 sigma, from the Jacobian at the optimum
  std::vector<std::string> fitted_names;  // order of the correlation matrix
  Eigen::MatrixXd correlation;            // of the fitted (transformed) parameters
  double chi2_per_dof = 0.0;              // weighted residuals
  int degrees_of_freedom = 0;
  int starts = 0;
  TlmParameters initial_guess;      // the data-derived start
  std::vector<Complex> fitted_ohm;  // model at the measured frequencies
  Summary summary;
};

// Complex nonlinear least squares (Levenberg-Marquardt, Eigen) over R_HF, L, log R_ion, log Q
// and gamma mapped into (0.5, 1] as 0.5 + 0.5 sin^2(u). Throws InputError when the spectrum
// has fewer points than the fit needs, NumericalError when no start converges.
TlmFit FitTlm(const Spectrum& spectrum, const TlmFitOptions& options = {});

// Lin-KK (Schoenleber et al., Electrochim. Acta 131, 20, 2014) with a series capacitor and
// inductance (blocking spectra have no DC limit): Voigt elements with time constants spread
// over the measured range, their number raised until mu = 1 - sum|R<0| / sum|R>=0| <= 0.85.
struct KramersKronig {
  int elements = 0;
  double mu = 0.0;
  double residual_rms = 0.0;  // relative to |Z|, real and imaginary parts together
  std::vector<double> residual_real, residual_imag;
};
KramersKronig LinKK(const Spectrum& spectrum);

}  // namespace edopt
