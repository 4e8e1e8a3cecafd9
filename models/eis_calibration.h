// The EIS calibration pipeline (docs/physics.md §4): every sweep fitted with the symmetric-cell
// TLM and checked by Lin-KK, the fits grouped by composition, R_ion regressed on thickness per
// composition, and the composition law fitted across compositions. Values fitted elsewhere can
// enter instead of spectra (converted to the per-electrode convention by the caller).
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "models/calibration.h"
#include "models/impedance.h"
#include "models/parameters.h"

namespace edopt {

struct EisMeasurement {
  std::string source;               // file, or "--r-ion-ohm" for imported values
  std::string format;               // "csv", "gamry_dta", ... or "imported per-electrode"
  Spectrum spectrum;                // empty for imported values
  double imported_r_ion_ohm = 0.0;  // per electrode; used when the spectrum is empty
  double thickness_m = 0.0;
  double active_weight_fraction = 0.0;
  bool imported() const { return spectrum.frequency_Hz.empty(); }
};

struct EisCalibrationOptions {
  TlmFitOptions fit;
  double area_m2 = 0.0;
  double kk_warning = 0.01;  // Lin-KK relative residual beyond which a spectrum is suspect
  // Called after every spectrum fitted with the spectra done and all; it may throw to stop the
  // calibration. Empty = none.
  std::function<void(int done, int total)> progress;
};

struct EisEntry {
  EisMeasurement measurement;
  TlmFit fit;  // for imported values: only parameters.r_ion_ohm, chi2 NaN
  KramersKronig kk;
  // What makes the fit doubtful, as short names (also in --json): "kk_residual_high",
  // "gamma_at_bound", "negative_inductance", "standard_error_meaningless".
  std::vector<std::string> flags;
};

struct EisCalibration {
  std::vector<EisEntry> entries;
  std::map<double, ThicknessFit> thickness_fits;  // per NG weight fraction
  CompositionLawFit law;
  // The composition the scenario's reference resistivity is given at: the scenario's own when
  // it was measured, else the first measured.
  double reference_active_weight_fraction = 0.0;
  std::vector<std::string> warnings;  // one line each, naming the sweep
  Summary summary;  // converged, or with the number of doubtful spectra in the message

  const ThicknessFit& reference() const {
    return thickness_fits.at(reference_active_weight_fraction);
  }
};

// Throws InputError for no measurements, a non-positive area or thickness, or NG fractions
// outside (0, 1); the fits' own errors (too few points, no converged start) pass through.
EisCalibration CalibrateEis(const std::vector<EisMeasurement>& measurements,
                            const CellParameters& cell, const EisCalibrationOptions& options);

// The doubts about one TLM fit (see EisEntry::flags), each with a sentence for a warning.
std::vector<std::pair<std::string, std::string>> FitDoubts(const Spectrum& spectrum,
                                                           const TlmFit& fit,
                                                           const TlmFitOptions& options);

}  // namespace edopt
