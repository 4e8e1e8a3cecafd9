// edopt calibrate: impedance spectra -> TLM fits -> resistivity and composition law (eis), and
// rate tests -> the kinetic and transport parameters impedance cannot give (rates).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <limits>
#include <map>
#include <numbers>
#include <sstream>

#include "app/cli.h"
#include "app/data_files.h"
#include "app/spectrum_files.h"
#include "edopt_version.h"
#include "models/calibration.h"
#include "models/composition.h"
#include "models/errors.h"
#include "models/impedance.h"
#include "optimizer/rate_fit.h"

namespace po = boost::program_options;

namespace edopt {

namespace {

constexpr double kKkWarning = 0.01;  // Lin-KK relative residual beyond which a file is suspect

std::string Json(double v) { return std::isfinite(v) ? FormatG(v, 8) : "null"; }

std::string Today() {
  const std::time_t now = std::time(nullptr);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%d", std::gmtime(&now));
  return buffer;
}

// The `base =` line of a fragment: the scenario the calibration was made against.
std::string BaseLine(const CommonOptions& common) {
  if (common.scenario.empty()) return "base = builtin\n";
  return "base = " + std::filesystem::absolute(common.scenario).string() + "\n";
}

std::vector<double> Numbers(const std::vector<std::string>& raw, const std::string& what) {
  std::vector<double> out;
  for (const auto& r : raw) {
    for (double v : ParsePositiveList(r, what)) out.push_back(v);
  }
  return out;
}

double Correlation(const TlmFit& fit, const std::string& a, const std::string& b) {
  const auto& n = fit.fitted_names;
  if (std::find(n.begin(), n.end(), a) == n.end() || std::find(n.begin(), n.end(), b) == n.end())
    return std::numeric_limits<double>::quiet_NaN();  // imported values: no fit
  const auto i = std::find(n.begin(), n.end(), a) - n.begin();
  const auto j = std::find(n.begin(), n.end(), b) - n.begin();
  return fit.correlation(i, j);
}

struct FittedSpectrum {
  std::string file;
  std::string format;
  Spectrum spectrum;
  double thickness_m = 0.0;
  double ng_weight_fraction = 0.0;
  TlmFit fit;
  KramersKronig kk;
};

int RunCalibrateEis(const std::vector<std::string>& args) {
  CommonOptions common;
  std::vector<std::string> files, thickness_raw, ng_raw, r_ion_raw;
  std::string convention_in = "per-electrode";
  double area_cm2 = 0.0;
  std::string out_file, curves_prefix;
  bool json = false, single_tlm = false, ideal = false, unit_weights = false;
  po::options_description description(
      "edopt calibrate eis FILE... --thickness-um T... --area-cm2 A [--ng-wt W...] [--out F] "
      "[--json]\n"
      "Fits the transmission-line model to composite symmetric-cell spectra (CSV, Gamry .DTA,\n"
      "BioLogic .mpt, ZView .z), regresses R_ion against thickness and, with several\n"
      "compositions, fits the composition law. R_ion and Q are PER ELECTRODE.");
  AddCommonOptions(&description, &common);
  description.add_options()("file", po::value(&files)->composing(), "spectrum files")(
      "thickness-um", po::value(&thickness_raw)->composing()->value_name("T"),
      "electrode thickness per file, um (repeatable or comma-separated)")(
      "area-cm2", po::value(&area_cm2)->value_name("A"), "electrode area, cm2")(
      "ng-wt", po::value(&ng_raw)->composing()->value_name("W"),
      "NG weight fraction per file, or one for all (default transport.reference_ng_weight_"
      "fraction)")("out", po::value(&out_file)->value_name("F"),
                   "write a scenario fragment (INI) to include through base =")(
      "json", po::bool_switch(&json), "print one JSON object")(
      "single-tlm", po::bool_switch(&single_tlm),
      "also report the single-TLM equivalent (R x 2, Q / 2)")(
      "ideal-capacitor", po::bool_switch(&ideal), "gamma fixed at 1")(
      "unit-weights", po::bool_switch(&unit_weights), "unweighted residuals (default: 1/|Z|)")(
      "r-ion-ohm", po::value(&r_ion_raw)->composing()->value_name("R"),
      "instead of spectra: R_ion values fitted elsewhere, one per thickness")(
      "convention", po::value(&convention_in)->value_name("C"),
      "convention of --r-ion-ohm values: per-electrode (default) or single-tlm (a single TLM "
      "fitted to the symmetric cell: R = 2 R_ion, halved on import)")(
      "curves", po::value(&curves_prefix)->value_name("PREFIX"),
      "write PREFIX_spectra.csv (data, fit, Lin-KK residuals) and PREFIX_thickness.csv for "
      "scripts/plot_eis.py");
  po::positional_options_description positional;
  positional.add("file", -1);
  po::variables_map vm;
  if (!ParseCommand(args, description, &positional, &vm, common.help)) return kExitOk;
  const Scenario scenario = LoadScenario(common);
  const auto imported = Numbers(r_ion_raw, "--r-ion-ohm");
  if (convention_in != "per-electrode" && convention_in != "single-tlm")
    throw ConfigError("--convention '" + convention_in + "': expected per-electrode or single-tlm");
  if (!imported.empty() && !files.empty())
    throw ConfigError("calibrate eis: give spectrum files or --r-ion-ohm values, not both");
  if (files.empty() && imported.empty())
    throw ConfigError("calibrate eis: no spectrum files (or --r-ion-ohm values) given");
  const size_t entries = imported.empty() ? files.size() : imported.size();
  const std::string what = imported.empty() ? " files" : " --r-ion-ohm values";
  if (!(area_cm2 > 0)) throw ConfigError("calibrate eis: --area-cm2 must be given and > 0");
  const auto thickness_um = Numbers(thickness_raw, "--thickness-um");
  if (thickness_um.size() != entries) {
    throw InputError("calibrate eis: " + std::to_string(entries) + what + " but " +
                     std::to_string(thickness_um.size()) +
                     " thicknesses (--thickness-um needs one per entry)");
  }
  auto ng = Numbers(ng_raw, "--ng-wt");
  if (ng.empty()) ng = {scenario.cell.transport.reference_ng_weight_fraction};
  if (ng.size() == 1) ng.resize(entries, ng[0]);
  if (ng.size() != entries) {
    throw InputError("calibrate eis: " + std::to_string(entries) + what + " but " +
                     std::to_string(ng.size()) + " --ng-wt values (one per entry, or one for all)");
  }
  for (double w : ng) {
    if (!(w < 1)) throw ConfigError("--ng-wt " + FormatG(w) + " must be in (0, 1)");
  }
  const double area_m2 = area_cm2 * 1e-4;
  TlmFitOptions fit_options;
  fit_options.ideal_capacitor = ideal;
  fit_options.weighting = unit_weights ? Weighting::kUnit : Weighting::kModulus;

  std::vector<FittedSpectrum> fitted;
  std::vector<std::string> warnings;
  for (size_t i = 0; i < imported.size(); ++i) {  // values fitted elsewhere: convert, no fit
    FittedSpectrum f;
    f.file = "--r-ion-ohm";
    f.format = "imported " + convention_in;
    f.spectrum.name = "value " + std::to_string(i + 1);
    f.thickness_m = thickness_um[i] * 1e-6;
    f.ng_weight_fraction = ng[i];
    TlmParameters p;
    p.r_ion_ohm = imported[i];
    f.fit.parameters = convention_in == "single-tlm" ? FromSingleTlm(p) : p;
    f.fit.chi2_per_dof = f.kk.residual_rms = std::numeric_limits<double>::quiet_NaN();
    fitted.push_back(std::move(f));
  }
  for (size_t i = 0; i < files.size(); ++i) {
    const SpectrumFile file = ReadSpectrumFile(files[i]);
    for (const auto& note : file.notes) std::cerr << "note: " << files[i] << ": " << note << "\n";
    for (const auto& sweep : file.sweeps) {
      FittedSpectrum f{files[i], ToString(file.format), sweep, thickness_um[i] * 1e-6, ng[i], {},
                       {}};
      f.fit = FitTlm(sweep, fit_options);
      f.kk = LinKK(sweep);
      if (f.kk.residual_rms > kKkWarning) {
        warnings.push_back(sweep.name + ": Lin-KK residual " + FormatG(100 * f.kk.residual_rms, 3) +
                           "% exceeds 1%: drift or non-stationarity; check this spectrum");
      }
      fitted.push_back(std::move(f));
    }
  }
  // Thickness regression per composition; composition law over compositions.
  std::map<double, std::vector<const FittedSpectrum*>> by_ng;
  for (const auto& f : fitted) by_ng[f.ng_weight_fraction].push_back(&f);
  std::map<double, ThicknessFit> thickness_fits;
  std::vector<double> phis, kappas;
  for (const auto& [w, group] : by_ng) {
    std::vector<double> l, r;
    for (const auto* f : group) {
      l.push_back(f->thickness_m);
      r.push_back(f->fit.parameters.r_ion_ohm);
    }
    thickness_fits[w] = FitThicknessSeries(l, r, area_m2);
    phis.push_back(SeVolumeFraction(scenario.cell.materials, scenario.cell.packing, w));
    kappas.push_back(thickness_fits[w].kappa_eff_S_m);
  }
  const auto& transport = scenario.cell.transport;
  const CompositionLawFit law = FitCompositionLaw(phis, kappas, transport.percolation_threshold,
                                                  transport.percolation_exponent);
  // The reference composition: the scenario's if measured, else the first measured.
  double ref_w = by_ng.count(transport.reference_ng_weight_fraction)
                     ? transport.reference_ng_weight_fraction
                     : by_ng.begin()->first;
  const ThicknessFit& ref = thickness_fits.at(ref_w);
  PrintWarnings(warnings);

  const char* convention =
      "per electrode: symmetric cell Z = i w L + R_HF + 2 Z_el(R_ion, Q, gamma)";
  std::ostringstream os;
  if (json) {
    os << "{\"convention\": \"per-electrode\", \"area_cm2\": " << Json(area_cm2)
       << ", \"spectra\": [";
    for (size_t i = 0; i < fitted.size(); ++i) {
      const auto& f = fitted[i];
      const auto& p = f.fit.parameters;
      const auto& se = f.fit.standard_errors;
      os << (i ? ", " : "") << "{\"file\": \"" << JsonEscape(f.file) << "\", \"sweep\": \""
         << JsonEscape(f.spectrum.name) << "\", \"format\": \"" << f.format
         << "\", \"thickness_um\": " << Json(f.thickness_m * 1e6)
         << ", \"ng_wt_fraction\": " << Json(f.ng_weight_fraction)
         << ", \"r_ion_ohm\": " << Json(p.r_ion_ohm) << ", \"r_ion_se_ohm\": " << Json(se.r_ion_ohm)
         << ", \"r_hf_ohm\": " << Json(p.r_hf_ohm) << ", \"inductance_H\": " << Json(p.inductance_H)
         << ", \"q\": " << Json(p.q) << ", \"q_se\": " << Json(se.q)
         << ", \"gamma\": " << Json(p.gamma) << ", \"gamma_se\": " << Json(se.gamma)
         << ", \"chi2_per_dof\": " << Json(f.fit.chi2_per_dof)
         << ", \"kk_residual_rms\": " << Json(f.kk.residual_rms)
         << ", \"corr_log_r_ion_log_q\": " << Json(Correlation(f.fit, "log_r_ion", "log_q"));
      if (single_tlm) {
        const auto s = ToSingleTlm(p);
        os << ", \"single_tlm_r_ohm\": " << Json(s.r_ion_ohm)
           << ", \"single_tlm_q\": " << Json(s.q);
      }
      os << "}";
    }
    os << "], \"thickness_fit\": {\"ng_wt_fraction\": " << Json(ref_w)
       << ", \"resistivity_ohm_m\": " << Json(ref.resistivity_ohm_m)
       << ", \"resistivity_se_ohm_m\": " << Json(ref.resistivity_se_ohm_m)
       << ", \"resistivity_ci95_ohm_m\": [" << Json(ref.resistivity_ci95_ohm_m[0]) << ", "
       << Json(ref.resistivity_ci95_ohm_m[1]) << "], \"kappa_eff_S_m\": " << Json(ref.kappa_eff_S_m)
       << ", \"intercept_ohm\": " << Json(ref.intercept_ohm) << ", \"intercept_ci95_ohm\": ["
       << Json(ref.intercept_ci95_ohm[0]) << ", " << Json(ref.intercept_ci95_ohm[1])
       << "], \"r_squared\": " << Json(ref.r_squared) << ", \"points\": " << ref.points
       << ", \"note\": \"" << JsonEscape(ref.note)
       << "\"}, \"composition_law\": {\"compositions\": " << law.compositions
       << ", \"percolation_fitted\": " << (law.percolation_fitted ? "true" : "false")
       << ", \"exponent_fitted\": " << (law.exponent_fitted ? "true" : "false")
       << ", \"percolation_threshold\": " << Json(law.percolation_threshold)
       << ", \"percolation_exponent\": " << Json(law.percolation_exponent)
       << ", \"power_law_exponent\": " << Json(law.power_law_exponent) << ", \"note\": \""
       << JsonEscape(law.note) << "\"}}\n";
  } else {
    char line[512];
    os << "# convention: R_ion and Q " << convention << "\n";
    std::snprintf(line, sizeof line, "%-28s %8s %6s %16s %9s %10s %6s %10s %8s\n", "spectrum",
                  "L_um", "NG", "R_ion_ohm", "R_HF_ohm", "Q", "gamma", "chi2/dof", "KK_rms");
    os << line;
    for (const auto& f : fitted) {
      const auto& p = f.fit.parameters;
      std::snprintf(line, sizeof line,
                    "%-28s %8.4g %6.3g %9.4g+-%-6.2g %9.4g %10.4g %6.3f %10.3g %7.2g%%\n",
                    f.spectrum.name.c_str(), f.thickness_m * 1e6, f.ng_weight_fraction, p.r_ion_ohm,
                    f.fit.standard_errors.r_ion_ohm, p.r_hf_ohm, p.q, p.gamma, f.fit.chi2_per_dof,
                    100 * f.kk.residual_rms);
      os << line;
      if (single_tlm) {
        const auto s = ToSingleTlm(p);
        std::snprintf(line, sizeof line, "%-28s single-TLM equivalent: R = %.4g ohm, Q = %.4g\n",
                      "", s.r_ion_ohm, s.q);
        os << line;
      }
    }
    for (const auto& [w, t] : thickness_fits) {
      std::snprintf(line, sizeof line,
                    "thickness fit, NG %.3g: resistivity %.4g ohm m (95%% CI %.4g..%.4g), "
                    "kappa_eff %.4g S/m = %.4g S/cm, R_0 %.4g ohm (95%% CI %.4g..%.4g), "
                    "R^2 %.4f; %s\n",
                    w, t.resistivity_ohm_m, t.resistivity_ci95_ohm_m[0],
                    t.resistivity_ci95_ohm_m[1], t.kappa_eff_S_m, t.kappa_eff_S_m / 100,
                    t.intercept_ohm, t.intercept_ci95_ohm[0], t.intercept_ci95_ohm[1], t.r_squared,
                    t.note.c_str());
      os << line;
    }
    os << "composition law: " << law.note;
    if (law.percolation_fitted || law.exponent_fitted) {
      os << " -> threshold " << FormatG(law.percolation_threshold, 4) << ", exponent "
         << FormatG(law.percolation_exponent, 4) << " (power law exponent "
         << FormatG(law.power_law_exponent, 4) << ")";
    }
    os << "\n";
  }
  std::cout << os.str();

  if (!out_file.empty()) {
    std::ostringstream ini;
    ini << "# edopt calibrate eis (edopt " << EDOPT_VERSION << ", " << Today() << ")\n"
        << "# " << fitted.size() << " spectra, TLM with "
        << (ideal ? "an ideal capacitor" : "a CPE") << ", R_ion " << convention << "\n";
    for (const auto& f : fitted) {
      ini << "#   " << f.spectrum.name << ": " << FormatG(f.thickness_m * 1e6, 4) << " um, NG "
          << FormatG(f.ng_weight_fraction, 3) << ", R_ion "
          << FormatG(f.fit.parameters.r_ion_ohm, 5) << " ohm, gamma "
          << FormatG(f.fit.parameters.gamma, 3) << "\n";
    }
    ini << "# thickness fit at NG " << FormatG(ref_w, 3) << ": " << ref.note << "; R_0 "
        << FormatG(ref.intercept_ohm, 4) << " ohm; area " << FormatG(area_cm2, 4) << " cm2\n"
        << "# measured at test.reference_temperature_C\n"
        << BaseLine(common) << "\n[transport]\n"
        << "reference_resistivity_ohm_m = " << FormatG(ref.resistivity_ohm_m, 6) << "\n"
        << "reference_ng_weight_fraction = " << FormatG(ref_w, 6) << "\n";
    ini << "# composition law: " << law.note << "\n";
    if (law.percolation_fitted || law.exponent_fitted) {
      ini << "conductivity_law = percolation\n"
          << "percolation_threshold = " << FormatG(law.percolation_threshold, 6) << "\n"
          << "percolation_exponent = " << FormatG(law.percolation_exponent, 6) << "\n";
    }
    WriteFileAtomically(out_file, ini.str());
    std::cerr << "wrote " << out_file << "\n";
  }
  if (!curves_prefix.empty()) {
    std::ostringstream spectra, thick;
    spectra << "spectrum,thickness_um,frequency_Hz,z_real_ohm,z_imag_ohm,fit_real_ohm,fit_imag_"
               "ohm,kk_residual_real,kk_residual_imag\n";
    for (const auto& f : fitted) {
      for (size_t k = 0; k < f.spectrum.frequency_Hz.size(); ++k) {
        spectra << CsvQuote(f.spectrum.name) << ',' << FormatG(f.thickness_m * 1e6, 6) << ','
                << FormatG(f.spectrum.frequency_Hz[k], 8) << ','
                << FormatG(f.spectrum.impedance_ohm[k].real(), 8) << ','
                << FormatG(f.spectrum.impedance_ohm[k].imag(), 8) << ','
                << FormatG(f.fit.fitted_ohm[k].real(), 8) << ','
                << FormatG(f.fit.fitted_ohm[k].imag(), 8) << ','
                << FormatG(f.kk.residual_real[k], 6) << ',' << FormatG(f.kk.residual_imag[k], 6)
                << '\n';
      }
    }
    thick << "spectrum,ng_wt_fraction,thickness_um,r_ion_ohm,r_ion_se_ohm,fit_slope_ohm_per_um,"
             "fit_intercept_ohm\n";
    for (const auto& f : fitted) {
      const auto& t = thickness_fits.at(f.ng_weight_fraction);
      thick << CsvQuote(f.spectrum.name) << ',' << FormatG(f.ng_weight_fraction, 4) << ','
            << FormatG(f.thickness_m * 1e6, 6) << ',' << FormatG(f.fit.parameters.r_ion_ohm, 8)
            << ',' << FormatG(f.fit.standard_errors.r_ion_ohm, 4) << ','
            << FormatG(t.slope_ohm_per_m * 1e-6, 8) << ',' << FormatG(t.intercept_ohm, 8) << '\n';
    }
    WriteFileAtomically(curves_prefix + "_spectra.csv", spectra.str());
    WriteFileAtomically(curves_prefix + "_thickness.csv", thick.str());
  }
  return kExitOk;
}

int RunCalibrateRates(const std::vector<std::string>& args) {
  CommonOptions common;
  std::string data_file, out_file, free_raw, predictions_file;
  bool json = false;
  int threads = 0, global_evaluations = 400, local_evaluations = 300;
  po::options_description description(
      "edopt calibrate rates --data FILE [--free K1,K2,...] [--out F] [--json]\n"
      "Fits model parameters to measured utilizations (columns design or ng_wt_fraction +\n"
      "thickness_um, c_rate, utilization or delivered_capacity_mAh_cm2, optional\n"
      "theoretical_capacity_mAh_cm2) with the EIS resistivity held; global search then local\n"
      "polish (NLopt CRS2 + BOBYQA)");
  AddCommonOptions(&description, &common);
  std::string known;
  for (const auto& f : FittableParameters()) known += "\n  " + f.key;
  description.add_options()("data", po::value(&data_file)->required()->value_name("FILE"),
                            "rate-test table (CSV)")(
      "free", po::value(&free_raw)->value_name("K1,K2"),
      ("parameters to fit (default: activation energy, D_s, i0, separator resistance); "
       "any of:" +
       known)
          .c_str())("global-evaluations", po::value(&global_evaluations),
                    "global-search budget (default 400)")(
      "local-evaluations", po::value(&local_evaluations), "local-polish budget (default 300)")(
      "threads", po::value(&threads), "worker threads, 0 = all")(
      "out", po::value(&out_file)->value_name("F"), "write a scenario fragment (INI)")(
      "predictions", po::value(&predictions_file)->value_name("FILE"),
      "write measured vs predicted utilization (CSV) for scripts/plot_rates.py")(
      "json", po::bool_switch(&json), "print one JSON object");
  if (PrintHelpIfAsked(args, description)) return kExitOk;
  po::variables_map vm;
  ParseArgs(args, description, nullptr, &vm);
  const Scenario scenario = LoadScenario(common);
  if (global_evaluations < 0 || local_evaluations < 0 || threads < 0)
    throw ConfigError("--global-evaluations, --local-evaluations and --threads must be >= 0");
  RateFitOptions options;
  options.threads = threads;
  options.global_evaluations = global_evaluations;
  options.local_evaluations = local_evaluations;
  if (!free_raw.empty()) {
    options.free.clear();
    std::stringstream ss(free_raw);
    std::string key;
    while (std::getline(ss, key, ',')) options.free.push_back(FindFittable(key));
  }
  const auto points = ReadRateTable(data_file);
  const auto start = std::chrono::steady_clock::now();
  const RateFitResult fit = FitRates(scenario.cell, points, options);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (fit.at_bound) PrintWarnings({"a fitted parameter ended at a bound of its range"});

  std::ostringstream os;
  if (json) {
    os << "{\"rms_pp\": " << Json(fit.rms_pp)
       << ", \"initial_rms_pp\": " << Json(fit.initial_rms_pp)
       << ", \"evaluations\": " << fit.evaluations << ", \"seconds\": " << Json(seconds)
       << ", \"parameters\": {";
    for (size_t i = 0; i < fit.free.size(); ++i) {
      os << (i ? ", " : "") << "\"" << fit.free[i].key
         << "\": {\"initial\": " << Json(fit.initial[i]) << ", \"fitted\": " << Json(fit.fitted[i])
         << ", \"standard_error\": " << Json(fit.standard_errors[i])
         << ", \"lower\": " << Json(fit.free[i].lower) << ", \"upper\": " << Json(fit.free[i].upper)
         << "}";
    }
    os << "}, \"points\": [";
    for (size_t i = 0; i < points.size(); ++i) {
      os << (i ? ", " : "") << "{\"origin\": \"" << JsonEscape(points[i].origin)
         << "\", \"design\": \"" << FormatDesign(points[i].design)
         << "\", \"c_rate\": " << Json(points[i].c_rate)
         << ", \"measured\": " << Json(points[i].measured_utilization)
         << ", \"initial_predicted\": " << Json(fit.initial_predicted[i])
         << ", \"predicted\": " << Json(fit.predicted[i])
         << ", \"residual_pp\": " << Json(100 * (fit.predicted[i] - points[i].measured_utilization))
         << "}";
    }
    os << "]}\n";
  } else {
    char line[512];
    std::snprintf(line, sizeof line, "%-52s %12s %12s %12s %20s\n", "parameter", "initial",
                  "fitted", "std.error", "bounds");
    os << line;
    for (size_t i = 0; i < fit.free.size(); ++i) {
      std::snprintf(line, sizeof line, "%-52s %12.4g %12.4g %12.3g %9.3g..%-9.3g\n",
                    fit.free[i].key.c_str(), fit.initial[i], fit.fitted[i], fit.standard_errors[i],
                    fit.free[i].lower, fit.free[i].upper);
      os << line;
    }
    std::snprintf(line, sizeof line, "\n%-28s %6s %10s %10s %10s %10s\n", "design", "C-rate",
                  "measured", "initial", "fitted", "resid_pp");
    os << line;
    for (size_t i = 0; i < points.size(); ++i) {
      std::snprintf(line, sizeof line, "%-28s %6.3g %10.4f %10.4f %10.4f %10.2f\n",
                    FormatDesign(points[i].design).c_str(), points[i].c_rate,
                    points[i].measured_utilization, fit.initial_predicted[i], fit.predicted[i],
                    100 * (fit.predicted[i] - points[i].measured_utilization));
      os << line;
    }
    std::snprintf(line, sizeof line,
                  "RMS %.2f percentage points (initial %.2f) over %zu points; %d evaluations, "
                  "%.1f s\n",
                  fit.rms_pp, fit.initial_rms_pp, points.size(), fit.evaluations, seconds);
    os << line;
  }
  std::cout << os.str();
  if (!out_file.empty()) {
    std::ostringstream ini;
    ini << "# edopt calibrate rates (edopt " << EDOPT_VERSION << ", " << Today() << ") from "
        << data_file << ": " << points.size() << " points, RMS " << FormatG(fit.rms_pp, 3)
        << " pp (initial " << FormatG(fit.initial_rms_pp, 3) << " pp), EIS resistivity held at "
        << FormatG(scenario.cell.transport.reference_resistivity_ohm_m, 4) << " ohm m\n"
        << BaseLine(common);
    std::map<std::string, std::string> sections;
    for (size_t i = 0; i < fit.free.size(); ++i) {
      const auto dot = fit.free[i].key.find('.');
      sections[fit.free[i].key.substr(0, dot)] +=
          "# fitted " + FormatG(fit.fitted[i], 4) + " +- " + FormatG(fit.standard_errors[i], 2) +
          " (prior " + FormatG(fit.initial[i], 4) + ")\n" + fit.free[i].key.substr(dot + 1) +
          " = " + FormatG(fit.fitted[i], 6) + "\n";
    }
    for (const auto& [section, body] : sections) ini << "\n[" << section << "]\n" << body;
    WriteFileAtomically(out_file, ini.str());
    std::cerr << "wrote " << out_file << "\n";
  }
  if (!predictions_file.empty()) {
    std::ostringstream csv;
    csv << "design,c_rate,measured_utilization,initial_utilization,fitted_utilization\n";
    for (size_t i = 0; i < points.size(); ++i) {
      csv << CsvQuote(FormatDesign(points[i].design)) << ',' << FormatG(points[i].c_rate, 6) << ','
          << FormatG(points[i].measured_utilization, 6) << ','
          << FormatG(fit.initial_predicted[i], 6) << ',' << FormatG(fit.predicted[i], 6) << '\n';
    }
    WriteFileAtomically(predictions_file, csv.str());
  }
  return kExitOk;
}

}  // namespace

int RunCalibrate(const std::vector<std::string>& args) {
  const char* usage =
      "usage: edopt calibrate eis FILE... --thickness-um T... --area-cm2 A [--ng-wt W...] "
      "[--out F] [--json]\n"
      "       edopt calibrate rates --data FILE [--out F] [--json]\n"
      "(edopt calibrate eis --help, edopt calibrate rates --help for details)\n";
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    std::cout << usage;
    return args.empty() ? kExitUsage : kExitOk;
  }
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (args[0] == "eis") return RunCalibrateEis(rest);
  if (args[0] == "rates") return RunCalibrateRates(rest);
  throw ConfigError("calibrate: unknown mode '" + args[0] + "'; expected eis or rates");
}

}  // namespace edopt
