#include "models/eis_calibration.h"

#include <cmath>
#include <cstdio>
#include <limits>

#include "models/composition.h"
#include "models/errors.h"

namespace edopt {

namespace {

std::string Number(double v, int digits = 3) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.*g", digits, v);
  return buffer;
}

// A standard error that cannot be read as an uncertainty: not finite, or below round-off of
// the value, or larger than the value by orders of magnitude (the parameter is not identified).
bool Meaningless(double value, double se) {
  if (!std::isfinite(se)) return true;
  const double scale = std::abs(value);
  return scale < 1e-300 || se < 1e-12 * scale || se > 1e3 * scale;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> FitDoubts(const Spectrum& spectrum,
                                                           const TlmFit& fit,
                                                           const TlmFitOptions& options) {
  std::vector<std::pair<std::string, std::string>> doubts;
  const auto& p = fit.parameters;
  const auto& se = fit.standard_errors;
  if (!options.ideal_capacitor && (p.gamma <= 0.5 + 1e-3 || p.gamma >= 1 - 1e-6)) {
    doubts.emplace_back("gamma_at_bound", "CPE exponent gamma = " + Number(p.gamma, 4) +
                                              " sits at a bound of (0.5, 1]");
  }
  // A negative inductance is a doubt when it is beyond its own uncertainty and its reactance at
  // the highest frequency is more than 2% of |Z| there (noise around zero is not).
  size_t top = 0;
  for (size_t k = 1; k < spectrum.frequency_Hz.size(); ++k) {
    if (spectrum.frequency_Hz[k] > spectrum.frequency_Hz[top]) top = k;
  }
  const double reactance =
      spectrum.frequency_Hz.empty() ? 0.0 : 2 * M_PI * spectrum.frequency_Hz[top] * p.inductance_H;
  if (p.inductance_H < 0 && std::abs(p.inductance_H) > 3 * se.inductance_H &&
      std::abs(reactance) > 0.02 * std::abs(spectrum.impedance_ohm[top])) {
    doubts.emplace_back("negative_inductance",
                        "negative inductance " + Number(p.inductance_H) +
                            " H: the high-frequency end is not a lead inductance");
  }
  if (Meaningless(p.r_ion_ohm, se.r_ion_ohm) || Meaningless(p.q, se.q)) {
    doubts.emplace_back("standard_error_meaningless", "R_ion " + Number(p.r_ion_ohm) + " +- " +
                                                          Number(se.r_ion_ohm) + " ohm, Q " +
                                                          Number(p.q) + " +- " + Number(se.q) +
                                                          ": the spectrum does not determine them");
  }
  return doubts;
}

EisCalibration CalibrateEis(const std::vector<EisMeasurement>& measurements,
                            const CellParameters& cell, const EisCalibrationOptions& options) {
  if (measurements.empty()) throw InputError("calibrate eis: no spectra or R_ion values");
  if (!(options.area_m2 > 0)) throw InputError("calibrate eis: the electrode area must be > 0");
  EisCalibration out;
  int done = 0;
  for (const auto& m : measurements) {
    if (options.progress) options.progress(done++, static_cast<int>(measurements.size()));
    if (!(m.thickness_m > 0) || !(m.active_weight_fraction > 0 && m.active_weight_fraction < 1)) {
      throw InputError("calibrate eis: " + m.source +
                       ": thickness must be > 0 and NG fraction in "
                       "(0, 1)");
    }
    EisEntry e{m, {}, {}, {}};
    if (m.imported()) {
      e.fit.parameters.r_ion_ohm = m.imported_r_ion_ohm;
      e.fit.chi2_per_dof = e.kk.residual_rms = std::numeric_limits<double>::quiet_NaN();
    } else {
      e.fit = FitTlm(m.spectrum, options.fit);
      e.kk = LinKK(m.spectrum);
      if (e.kk.residual_rms > options.kk_warning) {
        e.flags.push_back("kk_residual_high");
        out.warnings.push_back(m.spectrum.name + ": Lin-KK residual " +
                               Number(100 * e.kk.residual_rms) +
                               "% exceeds 1%: drift or non-stationarity; check this spectrum");
      }
      for (const auto& [flag, sentence] : FitDoubts(m.spectrum, e.fit, options.fit)) {
        e.flags.push_back(flag);
        out.warnings.push_back(m.spectrum.name + ": " + sentence);
      }
    }
    out.entries.push_back(std::move(e));
  }
  // Thickness regression per composition; the composition law over compositions.
  std::map<double, std::pair<std::vector<double>, std::vector<double>>> by_active;
  for (const auto& e : out.entries) {
    by_active[e.measurement.active_weight_fraction].first.push_back(e.measurement.thickness_m);
    by_active[e.measurement.active_weight_fraction].second.push_back(e.fit.parameters.r_ion_ohm);
  }
  std::vector<double> phis, kappas;
  for (const auto& [w, series] : by_active) {
    out.thickness_fits[w] = FitThicknessSeries(series.first, series.second, options.area_m2);
    phis.push_back(SeVolumeFraction(cell.materials, cell.packing, w));
    kappas.push_back(out.thickness_fits[w].kappa_eff_S_m);
  }
  const auto& t = cell.transport;
  out.law = FitCompositionLaw(phis, kappas, t.percolation_threshold, t.percolation_exponent);
  out.reference_active_weight_fraction = by_active.count(t.reference_active_weight_fraction)
                                             ? t.reference_active_weight_fraction
                                             : by_active.begin()->first;
  int doubtful = 0;
  for (const auto& e : out.entries) doubtful += !e.flags.empty();
  out.summary.termination = Termination::kConverged;
  out.summary.evaluations = static_cast<int>(out.entries.size());
  out.summary.message = std::to_string(out.entries.size()) + " spectra or values, " +
                        std::to_string(by_active.size()) + " composition(s); " +
                        std::to_string(doubtful) + " doubtful fit(s); " + out.law.note;
  return out;
}

}  // namespace edopt
