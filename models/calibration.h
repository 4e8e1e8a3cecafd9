// From fitted R_ion to material properties (docs/physics.md §3-4): the thickness regression
// R_ion(L) = L / (A kappa_eff) + R_0 and the fit of the composition law to several compositions.
#pragma once

#include <string>
#include <vector>

namespace edopt {

struct ThicknessFit {
  int points = 0;
  double slope_ohm_per_m = 0.0;    // 1 / (A kappa_eff)
  double intercept_ohm = 0.0;      // R_0: contacts, interphases (0 when not fitted)
  double resistivity_ohm_m = 0.0;  // slope x A
  double kappa_eff_S_m = 0.0;
  double resistivity_se_ohm_m = 0.0;  // standard error (NaN without degrees of freedom)
  double intercept_se_ohm = 0.0;
  double resistivity_ci95_ohm_m[2] = {0.0, 0.0};  // Student t, n - 2 degrees of freedom
  double intercept_ci95_ohm[2] = {0.0, 0.0};
  double r_squared = 0.0;
  bool intercept_fitted = true;  // false with a single thickness (R_0 taken as 0)
  std::string note;              // what the fit could and could not determine
};

// Ordinary least squares of R_ion (per electrode) against thickness. One distinct thickness:
// resistivity R A / L through the origin. Throws InputError for non-positive inputs.
ThicknessFit FitThicknessSeries(const std::vector<double>& thickness_m,
                                const std::vector<double>& r_ion_ohm, double area_m2);

struct CompositionLawFit {
  int compositions = 0;
  bool percolation_fitted = false;  // threshold and exponent (>= 3 compositions)
  bool exponent_fitted = false;     // exponent only (2 compositions, threshold held)
  double percolation_threshold = 0.0;
  double percolation_exponent = 0.0;
  double kappa_se_S_m = 0.0;        // the pure-SE prefactor of the percolation law
  double power_law_exponent = 0.0;  // kappa ~ phi^p (>= 2 compositions)
  double rms_log_residual = 0.0;    // of the percolation law, natural log units
  std::string note;
};

// Fits kappa_eff(phi_SE) = kappa_SE ((phi - phi_c)/(1 - phi_c))^t. With 3+ compositions all
// three are fitted (phi_c scanned below the smallest phi, t and kappa_SE by linear regression in
// log space); with 2 the exponent is fitted at the prior threshold; with 1 the law stays the
// prior and the note says so.
CompositionLawFit FitCompositionLaw(const std::vector<double>& se_volume_fraction,
                                    const std::vector<double>& kappa_eff_S_m,
                                    double prior_threshold, double prior_exponent);

}  // namespace edopt
