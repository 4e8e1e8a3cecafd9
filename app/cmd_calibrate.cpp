// edopt calibrate: impedance spectra -> TLM fits -> resistivity and composition law (eis), and
// rate tests -> the kinetic and transport parameters impedance cannot give (rates). Each mode
// parses options, reads the files, calls one library function (CalibrateEis in
// models/eis_calibration.h, FitRates in optimizer/rate_fit.h) and writes.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <limits>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "app/cli.h"
#include "app/data_files.h"
#include "app/spectrum_files.h"
#include "edopt_version.h"
#include "models/catalogue.h"
#include "models/eis_calibration.h"
#include "models/errors.h"
#include "models/parameter.h"
#include "optimizer/rate_fit.h"
#include "optimizer/rate_posterior.h"

namespace po = boost::program_options;
using Json = nlohmann::ordered_json;

namespace edopt {

namespace {

constexpr const char* kConvention =
    "per electrode: symmetric cell Z = i w L + R_HF + 2 Z_el(R_ion, Q, gamma)";

double J(double v) { return JsonNumber(v, 8); }

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

std::vector<double> Numbers(const std::vector<std::string>& raw, const std::string& what,
                            const ValueRange& range = Positive()) {
  std::vector<double> out;
  for (const auto& r : raw) {
    for (double v : ParsePositiveList(r, what, range)) out.push_back(v);
  }
  return out;
}

double Correlation(const TlmFit& fit, const std::string& a, const std::string& b) {
  const auto& n = fit.fitted_names;
  const auto i = std::find(n.begin(), n.end(), a) - n.begin();
  const auto j = std::find(n.begin(), n.end(), b) - n.begin();
  if (i == static_cast<long>(n.size()) || j == static_cast<long>(n.size()))
    return std::numeric_limits<double>::quiet_NaN();  // imported values: no fit
  return fit.correlation(i, j);
}

struct EisFlags {
  std::vector<std::string> files, thickness, ng, r_ion;
  std::string convention = "per-electrode", out_file, curves_prefix;
  double area_cm2 = 0.0;
  bool json = false, single_tlm = false, ideal = false, unit_weights = false;
};

void AddEisOptions(po::options_description* d, EisFlags* f) {
  d->add_options()("file", po::value(&f->files)->composing(), "spectrum files")(
      "thickness-um", po::value(&f->thickness)->composing()->value_name("T"),
      "electrode thickness per file, um (repeatable or comma-separated)")(
      "area-cm2", po::value(&f->area_cm2)->value_name("A"), "electrode area, cm2")(
      "ng-wt", po::value(&f->ng)->composing()->value_name("W"),
      "NG weight fraction per file, or one for all (default transport.reference_ng_weight_"
      "fraction)")("out", po::value(&f->out_file)->value_name("F"),
                   "write a scenario fragment (INI) to include through base =")(
      "json", po::bool_switch(&f->json), "print one JSON object")(
      "single-tlm", po::bool_switch(&f->single_tlm),
      "also report the single-TLM equivalent (R x 2, Q / 2)")(
      "ideal-capacitor", po::bool_switch(&f->ideal), "gamma fixed at 1")(
      "unit-weights", po::bool_switch(&f->unit_weights), "unweighted residuals (default: 1/|Z|)")(
      "r-ion-ohm", po::value(&f->r_ion)->composing()->value_name("R"),
      "instead of spectra: R_ion values fitted elsewhere, one per thickness")(
      "convention", po::value(&f->convention)->value_name("C"),
      "convention of --r-ion-ohm values: per-electrode (default) or single-tlm (a single TLM "
      "fitted to the symmetric cell: R = 2 R_ion, halved on import)")(
      "curves", po::value(&f->curves_prefix)->value_name("PREFIX"),
      "write PREFIX_spectra.csv (data, fit, Lin-KK residuals) and PREFIX_thickness.csv for "
      "scripts/plot_eis.py");
}

// The measurements the flags name: imported values, or every sweep of every file.
std::vector<EisMeasurement> Measurements(const EisFlags& f, const Scenario& scenario) {
  const auto imported = Numbers(f.r_ion, "--r-ion-ohm");
  if (f.convention != "per-electrode" && f.convention != "single-tlm")
    throw ConfigError("--convention '" + f.convention + "': expected per-electrode or single-tlm");
  if (!imported.empty() && !f.files.empty())
    throw ConfigError("calibrate eis: give spectrum files or --r-ion-ohm values, not both");
  if (f.files.empty() && imported.empty())
    throw ConfigError("calibrate eis: no spectrum files (or --r-ion-ohm values) given");
  const size_t entries = imported.empty() ? f.files.size() : imported.size();
  const std::string what = imported.empty() ? " files" : " --r-ion-ohm values";
  if (!(f.area_cm2 > 0)) throw ConfigError("calibrate eis: --area-cm2 must be given and > 0");
  CheckFlag("--area-cm2", f.area_cm2, kAreaRange_cm2);
  const auto thickness_um =
      Numbers(f.thickness, "--thickness-um",
              {kMinLayerThickness_m * 1e6, kMaxDesignThickness_m * 1e6, false, false});
  if (thickness_um.size() != entries) {
    throw ConfigError("calibrate eis: " + std::to_string(entries) + what + " but " +
                      std::to_string(thickness_um.size()) +
                      " thicknesses (--thickness-um needs one per entry)");
  }
  auto ng = Numbers(f.ng, "--ng-wt");
  if (ng.empty()) ng = {scenario.cell.transport.reference_ng_weight_fraction};
  if (ng.size() == 1) ng.resize(entries, ng[0]);
  if (ng.size() != entries) {
    throw ConfigError("calibrate eis: " + std::to_string(entries) + what + " but " +
                      std::to_string(ng.size()) +
                      " --ng-wt values (one per entry, or one for all)");
  }
  for (double w : ng) {
    if (!(w < 1)) throw ConfigError("--ng-wt " + FormatG(w) + " must be in (0, 1)");
  }
  std::vector<EisMeasurement> out;
  for (size_t i = 0; i < imported.size(); ++i) {  // values fitted elsewhere: convert, no fit
    EisMeasurement m{"--r-ion-ohm", "imported " + f.convention, {},
                     imported[i],   thickness_um[i] * 1e-6,     ng[i]};
    m.spectrum.name = "value " + std::to_string(i + 1);
    if (f.convention == "single-tlm")
      m.imported_r_ion_ohm = FromSingleTlm({0, 0, imported[i], 0, 1}).r_ion_ohm;
    out.push_back(m);
  }
  for (size_t i = 0; i < f.files.size(); ++i) {
    const SpectrumFile file = ReadSpectrumFile(f.files[i]);
    for (const auto& note : file.notes) std::cerr << "note: " << f.files[i] << ": " << note << "\n";
    for (const auto& sweep : file.sweeps) {
      out.push_back({f.files[i], ToString(file.format), sweep, 0.0, thickness_um[i] * 1e-6, ng[i]});
    }
  }
  return out;
}

Json EntryJson(const EisEntry& e, bool single_tlm) {
  const auto& p = e.fit.parameters;
  const auto& se = e.fit.standard_errors;
  Json j;
  j["file"] = e.measurement.source;
  j["sweep"] = e.measurement.spectrum.name;
  j["format"] = e.measurement.format;
  j["thickness_um"] = J(e.measurement.thickness_m * 1e6);
  j["ng_wt_fraction"] = J(e.measurement.ng_weight_fraction);
  j["r_ion_ohm"] = J(p.r_ion_ohm);
  j["r_ion_se_ohm"] = J(se.r_ion_ohm);
  j["r_hf_ohm"] = J(p.r_hf_ohm);
  j["inductance_H"] = J(p.inductance_H);
  j["q"] = J(p.q);
  j["q_se"] = J(se.q);
  j["gamma"] = J(p.gamma);
  j["gamma_se"] = J(se.gamma);
  j["fit"] = e.measurement.imported() ? "imported" : e.fit.summary.BriefReport();
  j["chi2_per_dof"] = J(e.fit.chi2_per_dof);
  j["kk_residual_rms"] = J(e.kk.residual_rms);
  j["corr_log_r_ion_log_q"] = J(Correlation(e.fit, "log_r_ion", "log_q"));
  if (single_tlm) {
    const auto s = ToSingleTlm(p);
    j["single_tlm_r_ohm"] = J(s.r_ion_ohm);
    j["single_tlm_q"] = J(s.q);
  }
  j["flags"] = e.flags;
  return j;
}

std::string EisJson(const EisCalibration& c, const EisFlags& f) {
  Json j;
  j["convention"] = "per-electrode";
  j["area_cm2"] = J(f.area_cm2);
  j["spectra"] = Json::array();
  for (const auto& e : c.entries) j["spectra"].push_back(EntryJson(e, f.single_tlm));
  const ThicknessFit& ref = c.reference();
  Json t;
  t["ng_wt_fraction"] = J(c.reference_ng_weight_fraction);
  t["resistivity_ohm_m"] = J(ref.resistivity_ohm_m);
  t["resistivity_se_ohm_m"] = J(ref.resistivity_se_ohm_m);
  t["resistivity_ci95_ohm_m"] = {J(ref.resistivity_ci95_ohm_m[0]),
                                 J(ref.resistivity_ci95_ohm_m[1])};
  t["kappa_eff_S_m"] = J(ref.kappa_eff_S_m);
  t["intercept_ohm"] = J(ref.intercept_ohm);
  t["intercept_ci95_ohm"] = {J(ref.intercept_ci95_ohm[0]), J(ref.intercept_ci95_ohm[1])};
  t["r_squared"] = J(ref.r_squared);
  t["points"] = ref.points;
  t["note"] = ref.note;
  j["thickness_fit"] = t;
  Json law;
  law["compositions"] = c.law.compositions;
  law["percolation_fitted"] = c.law.percolation_fitted;
  law["exponent_fitted"] = c.law.exponent_fitted;
  law["percolation_threshold"] = J(c.law.percolation_threshold);
  law["percolation_exponent"] = J(c.law.percolation_exponent);
  law["power_law_exponent"] = J(c.law.power_law_exponent);
  law["note"] = c.law.note;
  j["composition_law"] = law;
  j["summary"] = SummaryJson(c.summary);
  return j.dump(2) + "\n";
}

std::string EisTable(const EisCalibration& c, bool single_tlm) {
  std::ostringstream os;
  char line[512];
  os << "# convention: R_ion and Q " << kConvention << "\n";
  std::snprintf(line, sizeof line, "%-28s %8s %6s %16s %9s %10s %6s %10s %8s\n", "spectrum", "L_um",
                "NG", "R_ion_ohm", "R_HF_ohm", "Q", "gamma", "chi2/dof", "KK_rms");
  os << line;
  for (const auto& e : c.entries) {
    const auto& p = e.fit.parameters;
    std::snprintf(line, sizeof line,
                  "%-28s %8.4g %6.3g %9.4g+-%-6.2g %9.4g %10.4g %6.3f %10.3g %7.2g%%\n",
                  e.measurement.spectrum.name.c_str(), e.measurement.thickness_m * 1e6,
                  e.measurement.ng_weight_fraction, p.r_ion_ohm, e.fit.standard_errors.r_ion_ohm,
                  p.r_hf_ohm, p.q, p.gamma, e.fit.chi2_per_dof, 100 * e.kk.residual_rms);
    os << line;
    if (single_tlm) {
      const auto s = ToSingleTlm(p);
      std::snprintf(line, sizeof line, "%-28s single-TLM equivalent: R = %.4g ohm, Q = %.4g\n", "",
                    s.r_ion_ohm, s.q);
      os << line;
    }
  }
  for (const auto& [w, t] : c.thickness_fits) {
    std::snprintf(line, sizeof line,
                  "thickness fit, NG %.3g: resistivity %.4g ohm m (95%% CI %.4g..%.4g), "
                  "kappa_eff %.4g S/m = %.4g S/cm, R_0 %.4g ohm (95%% CI %.4g..%.4g), "
                  "R^2 %.4f; %s\n",
                  w, t.resistivity_ohm_m, t.resistivity_ci95_ohm_m[0], t.resistivity_ci95_ohm_m[1],
                  t.kappa_eff_S_m, t.kappa_eff_S_m / 100, t.intercept_ohm, t.intercept_ci95_ohm[0],
                  t.intercept_ci95_ohm[1], t.r_squared, t.note.c_str());
    os << line;
  }
  os << "composition law: " << c.law.note;
  if (c.law.percolation_fitted || c.law.exponent_fitted) {
    os << " -> threshold " << FormatG(c.law.percolation_threshold, 4) << ", exponent "
       << FormatG(c.law.percolation_exponent, 4) << " (power law exponent "
       << FormatG(c.law.power_law_exponent, 4) << ")";
  }
  return os.str() + "\n";
}

std::string EisIni(const EisCalibration& c, const EisFlags& f, const CommonOptions& common) {
  const ThicknessFit& ref = c.reference();
  const double ref_w = c.reference_ng_weight_fraction;
  std::ostringstream ini;
  ini << "# edopt calibrate eis (edopt " << EDOPT_VERSION << ", " << Today() << ")\n"
      << "# " << c.entries.size() << " spectra, TLM with "
      << (f.ideal ? "an ideal capacitor" : "a CPE") << ", R_ion " << kConvention << "\n";
  for (const auto& e : c.entries) {
    ini << "#   " << e.measurement.spectrum.name << ": "
        << FormatG(e.measurement.thickness_m * 1e6, 4) << " um, NG "
        << FormatG(e.measurement.ng_weight_fraction, 3) << ", R_ion "
        << FormatG(e.fit.parameters.r_ion_ohm, 5) << " ohm, gamma "
        << FormatG(e.fit.parameters.gamma, 3) << "\n";
  }
  ini << "# thickness fit at NG " << FormatG(ref_w, 3) << ": " << ref.note << "; R_0 "
      << FormatG(ref.intercept_ohm, 4) << " ohm; area " << FormatG(f.area_cm2, 4) << " cm2\n"
      << "# measured at test.reference_temperature_C\n"
      << BaseLine(common) << "\n[transport]\n"
      << "reference_resistivity_ohm_m = " << FormatG(ref.resistivity_ohm_m, 6) << "\n"
      << "reference_ng_weight_fraction = " << FormatG(ref_w, 6) << "\n";
  ini << "# composition law: " << c.law.note << "\n";
  if (c.law.percolation_fitted || c.law.exponent_fitted) {
    ini << "conductivity_law = percolation\n"
        << "percolation_threshold = " << FormatG(c.law.percolation_threshold, 6) << "\n"
        << "percolation_exponent = " << FormatG(c.law.percolation_exponent, 6) << "\n";
  }
  return ini.str();
}

std::string EisSpectraCsv(const EisCalibration& c) {
  std::ostringstream os;
  os << "spectrum,thickness_um,frequency_Hz,z_real_ohm,z_imag_ohm,fit_real_ohm,fit_imag_"
        "ohm,kk_residual_real,kk_residual_imag\n";
  for (const auto& e : c.entries) {
    const Spectrum& s = e.measurement.spectrum;
    for (size_t k = 0; k < s.frequency_Hz.size(); ++k) {
      os << CsvQuote(s.name) << ',' << FormatG(e.measurement.thickness_m * 1e6, 6) << ','
         << FormatG(s.frequency_Hz[k], 8) << ',' << FormatG(s.impedance_ohm[k].real(), 8) << ','
         << FormatG(s.impedance_ohm[k].imag(), 8) << ',' << FormatG(e.fit.fitted_ohm[k].real(), 8)
         << ',' << FormatG(e.fit.fitted_ohm[k].imag(), 8) << ','
         << FormatG(e.kk.residual_real[k], 6) << ',' << FormatG(e.kk.residual_imag[k], 6) << '\n';
    }
  }
  return os.str();
}

std::string EisThicknessCsv(const EisCalibration& c) {
  std::ostringstream os;
  os << "spectrum,ng_wt_fraction,thickness_um,r_ion_ohm,r_ion_se_ohm,fit_slope_ohm_per_um,"
        "fit_intercept_ohm\n";
  for (const auto& e : c.entries) {
    const auto& t = c.thickness_fits.at(e.measurement.ng_weight_fraction);
    os << CsvQuote(e.measurement.spectrum.name) << ','
       << FormatG(e.measurement.ng_weight_fraction, 4) << ','
       << FormatG(e.measurement.thickness_m * 1e6, 6) << ','
       << FormatG(e.fit.parameters.r_ion_ohm, 8) << ','
       << FormatG(e.fit.standard_errors.r_ion_ohm, 4) << ',' << FormatG(t.slope_ohm_per_m * 1e-6, 8)
       << ',' << FormatG(t.intercept_ohm, 8) << '\n';
  }
  return os.str();
}

int RunCalibrateEis(const std::vector<std::string>& args) {
  CommonOptions common;
  EisFlags f;
  po::options_description description(
      "edopt calibrate eis FILE... --thickness-um T... --area-cm2 A [--ng-wt W...] [--out F] "
      "[--json]\n"
      "Fits the transmission-line model to composite symmetric-cell spectra (CSV, Gamry .DTA,\n"
      "BioLogic .mpt, ZView .z), regresses R_ion against thickness and, with several\n"
      "compositions, fits the composition law. R_ion and Q are PER ELECTRODE.");
  AddCommonOptions(&description, &common);
  AddEisOptions(&description, &f);
  po::positional_options_description positional;
  positional.add("file", -1);
  po::variables_map vm;
  if (!ParseCommand(args, description, &positional, &vm, common.help)) return kExitOk;
  const Scenario scenario = LoadScenario(common);
  EisCalibrationOptions options;
  options.fit.ideal_capacitor = f.ideal;
  options.fit.weighting = f.unit_weights ? Weighting::kUnit : Weighting::kModulus;
  options.area_m2 = f.area_cm2 * 1e-4;
  if (!f.out_file.empty()) CheckOutputFile(f.out_file, "--out");
  if (!f.curves_prefix.empty()) CheckOutputFile(f.curves_prefix + "_spectra.csv", "--curves");
  const EisCalibration c = CalibrateEis(Measurements(f, scenario), scenario.cell, options);
  PrintWarnings(c.warnings);
  std::cout << (f.json ? EisJson(c, f) : EisTable(c, f.single_tlm));
  if (!f.out_file.empty()) {
    WriteFileAtomically(f.out_file, EisIni(c, f, common));
    std::cerr << "wrote " << f.out_file << "\n";
  }
  if (!f.curves_prefix.empty()) {
    WriteFileAtomically(f.curves_prefix + "_spectra.csv", EisSpectraCsv(c));
    WriteFileAtomically(f.curves_prefix + "_thickness.csv", EisThicknessCsv(c));
  }
  return kExitOk;
}

struct RatesFlags {
  std::string data_file, out_file, free, predictions_file;
  bool json = false, cross_validate = false, posterior = false;
  int threads = 0, global_evaluations = 400, local_evaluations = 300;
  int walkers = 0, posterior_steps = 1000, burn_in = 300;
  std::uint64_t seed = 1;
};

void AddRatesOptions(po::options_description* d, RatesFlags* f) {
  std::string known;
  for (const auto& p : FittableParameters()) known += "\n  " + p.key;
  d->add_options()("data", po::value(&f->data_file)->required()->value_name("FILE"),
                   "rate-test table (CSV)")(
      "free", po::value(&f->free)->value_name("K1,K2"),
      ("parameters to fit (default: SE activation energy and D_s); any of:" + known).c_str())(
      "global-evaluations", po::value(&f->global_evaluations),
      "global-search budget (default 400)")("local-evaluations", po::value(&f->local_evaluations),
                                            "local-polish budget (default 300)")(
      "threads", po::value(&f->threads), "worker threads, 0 = all")(
      "out", po::value(&f->out_file)->value_name("F"), "write a scenario fragment (INI)")(
      "predictions", po::value(&f->predictions_file)->value_name("FILE"),
      "write measured vs predicted utilization (CSV) for scripts/plot_rates.py")(
      "json", po::bool_switch(&f->json), "print one JSON object")(
      "cross-validate", po::bool_switch(&f->cross_validate),
      "also leave-one-out predictions (each point from a fit to the others), their RMS, AIC and "
      "BIC (one more fit per point)")(
      "posterior", po::bool_switch(&f->posterior),
      "also sample the Bayesian posterior of the free parameters and the measurement scatter "
      "(catalogue priors, ensemble sampler): means, 95% credible intervals, correlations, "
      "R-hat and effective sample sizes; with --out F the thinned draws go to F's stem + "
      "_posterior.csv")("walkers", po::value(&f->walkers),
                        "posterior: ensemble walkers (default 0 = 4 x (free + 1), "
                        "at least 16)")(
      "posterior-steps", po::value(&f->posterior_steps),
      "posterior: moves per walker kept after the burn-in (default 1000)")(
      "burn-in", po::value(&f->burn_in), "posterior: moves per walker discarded (default 300)")(
      "seed", po::value(&f->seed), "posterior: random seed (default 1)");
}

RatePosteriorOptions PosteriorOptions(const RatesFlags& f) {
  CheckFlag("--walkers", f.walkers, Between(0, 4096));
  if (f.walkers % 2 != 0) {
    throw ConfigError("--walkers " + std::to_string(f.walkers) +
                      " is odd; expected an even number, at least twice the free parameters + 1 "
                      "(0 = automatic)");
  }
  CheckFlag("--posterior-steps", f.posterior_steps, Between(4, 1e6));
  CheckFlag("--burn-in", f.burn_in, Between(0, 1e6));
  RatePosteriorOptions options;
  options.sampler.walkers = f.walkers;
  options.sampler.steps = f.posterior_steps;
  options.sampler.burn_in = f.burn_in;
  options.sampler.thin = std::max(1, f.posterior_steps / 50);  // ~50 kept moves per walker
  options.sampler.seed = f.seed;
  options.sampler.threads = f.threads;
  return options;
}

std::string PosteriorCsv(const RatePosterior& post) {
  std::ostringstream csv;
  for (const auto& name : post.names) csv << name << ',';
  csv << "log_posterior\n";
  for (size_t s = 0; s < post.draws.size(); ++s) {
    for (double v : post.draws[s]) csv << FormatG(v, 8) << ',';
    csv << FormatG(post.chain.log_density[s], 8) << '\n';
  }
  return csv.str();
}

std::string PosteriorTable(const RatePosterior& post) {
  std::ostringstream os;
  char line[512];
  std::snprintf(line, sizeof line, "\nposterior%43s %12s %12s %12s %12s %7s %7s\n", "", "mean",
                "median", "2.5%", "97.5%", "R-hat", "ESS");
  os << line;
  for (size_t i = 0; i < post.names.size(); ++i) {
    std::snprintf(line, sizeof line, "%-52s %12.4g %12.4g %12.4g %12.4g %7.3f %7.0f\n",
                  post.names[i].c_str(), post.mean[i], post.q500[i], post.q025[i], post.q975[i],
                  post.chain.r_hat[i], post.chain.ess[i]);
    os << line;
  }
  os << "correlation (sampling coordinates: log of scale parameters):\n";
  for (long r = 0; r < post.chain.correlation.rows(); ++r) {
    os << "  ";
    for (long c = 0; c < post.chain.correlation.cols(); ++c) {
      std::snprintf(line, sizeof line, "%7.3f", post.chain.correlation(r, c));
      os << line;
    }
    os << "\n";
  }
  os << "sampler: " << post.summary.BriefReport() << "\n";
  return os.str();
}

std::string LooIntervalsTable(const PosteriorCrossValidation& pcv,
                              const std::vector<RatePoint>& points) {
  std::ostringstream os;
  char line[256];
  os << "\nleave-one-out 95% intervals (each point from the posterior without it):\n";
  for (size_t i = 0; i < points.size(); ++i) {
    const double m = points[i].measured_utilization;
    const bool inside = m >= pcv.interval[i].low && m <= pcv.interval[i].high;
    std::snprintf(line, sizeof line, "%-28s %6.3g %10.4f   %.3f-%.3f  %s\n",
                  FormatDesign(points[i].design).c_str(), points[i].c_rate, m, pcv.interval[i].low,
                  pcv.interval[i].high, inside ? "inside" : "OUTSIDE");
    os << line;
  }
  os << pcv.inside << " of " << points.size() << " measurements inside their interval\n";
  return os.str();
}

Json PosteriorJson(const RatePosterior& post) {
  Json j;
  j["summary"] = SummaryJson(post.summary);
  j["acceptance"] = J(post.chain.acceptance);
  j["draws"] = post.draws.size();
  j["parameters"] = Json::object();
  for (size_t i = 0; i < post.names.size(); ++i) {
    Json p;
    p["mean"] = J(post.mean[i]);
    p["median"] = J(post.q500[i]);
    p["interval_95"] = {J(post.q025[i]), J(post.q975[i])};
    p["map"] = J(post.map[i]);
    p["r_hat"] = J(post.chain.r_hat[i]);
    p["ess"] = J(post.chain.ess[i]);
    p["autocorrelation_time"] = J(post.chain.autocorrelation_time[i]);
    j["parameters"][post.names[i]] = p;
  }
  j["correlation"] = Json::array();
  for (long r = 0; r < post.chain.correlation.rows(); ++r) {
    Json row = Json::array();
    for (long c = 0; c < post.chain.correlation.cols(); ++c)
      row.push_back(J(post.chain.correlation(r, c)));
    j["correlation"].push_back(row);
  }
  return j;
}

RateFitOptions FitOptions(const RatesFlags& f) {
  CheckFlag("--global-evaluations", f.global_evaluations, Between(0, 1e6));
  CheckFlag("--local-evaluations", f.local_evaluations, Between(0, 1e6));
  CheckFlag("--threads", f.threads, Between(0, kMaxThreads));
  RateFitOptions options;
  options.threads = f.threads;
  options.global_evaluations = f.global_evaluations;
  options.local_evaluations = f.local_evaluations;
  if (!f.free.empty()) {
    options.free.clear();
    std::stringstream ss(f.free);
    std::string key;
    while (std::getline(ss, key, ',')) options.free.push_back(FindFittable(key));
  }
  return options;
}

std::string RatesJson(const RateFitResult& fit, const std::vector<RatePoint>& points,
                      double seconds, const CrossValidation* cv, const RatePosterior* post,
                      const PosteriorCrossValidation* pcv) {
  Json j;
  if (post != nullptr) j["posterior"] = PosteriorJson(*post);
  if (pcv != nullptr) {
    j["loo_inside_95"] = pcv->inside;
    j["loo_coverage"] = J(static_cast<double>(pcv->inside) / static_cast<double>(points.size()));
  }
  j["rms_pp"] = J(fit.rms_pp);
  j["initial_rms_pp"] = J(fit.initial_rms_pp);
  j["evaluations"] = fit.evaluations;
  j["seconds"] = J(seconds);
  j["optimized"] = fit.optimized;
  j["at_bound"] = fit.at_bound;
  j["terminations"] = fit.terminations;
  j["summary"] = SummaryJson(fit.summary);
  if (cv != nullptr) {
    j["loo_rms_pp"] = J(cv->loo_rms_pp);
    j["aic"] = J(cv->aic);
    j["bic"] = J(cv->bic);
    j["parameters_at_bound"] = cv->parameters_at_bound;
  }
  j["parameters"] = Json::object();
  for (size_t i = 0; i < fit.free.size(); ++i) {
    Json p;
    p["initial"] = J(fit.initial[i]);
    p["fitted"] = J(fit.fitted[i]);
    p["standard_error"] = J(fit.standard_errors[i]);
    p["lower"] = J(fit.free[i].lower);
    p["upper"] = J(fit.free[i].upper);
    const Prior& prior = FindCellParameter(fit.free[i].key)->prior;
    p["prior"] = prior.Describe();
    p["inside_prior"] = prior.Admits(fit.fitted[i]);
    j["parameters"][fit.free[i].key] = p;
  }
  j["points"] = Json::array();
  for (size_t i = 0; i < points.size(); ++i) {
    Json p;
    p["origin"] = points[i].origin;
    p["design"] = FormatDesign(points[i].design);
    p["c_rate"] = J(points[i].c_rate);
    p["measured"] = J(points[i].measured_utilization);
    p["initial_predicted"] = J(fit.initial_predicted[i]);
    p["predicted"] = J(fit.predicted[i]);
    p["residual_pp"] = J(100 * (fit.predicted[i] - points[i].measured_utilization));
    if (cv != nullptr) p["loo_prediction"] = J(cv->loo_prediction[i]);
    if (pcv != nullptr) p["loo_interval_95"] = {J(pcv->interval[i].low), J(pcv->interval[i].high)};
    j["points"].push_back(p);
  }
  return j.dump(2) + "\n";
}

std::string RatesTable(const RateFitResult& fit, const std::vector<RatePoint>& points,
                       double seconds, const CrossValidation* cv) {
  std::ostringstream os;
  char line[512];
  std::snprintf(line, sizeof line, "%-52s %12s %12s %12s %20s  %s\n", "parameter", "initial",
                fit.optimized ? "fitted" : "not fitted", "std.error", "bounds",
                "literature (* = fitted value outside)");
  os << line;
  for (size_t i = 0; i < fit.free.size(); ++i) {
    const Prior& prior = FindCellParameter(fit.free[i].key)->prior;
    std::snprintf(line, sizeof line, "%-52s %12.4g %12.4g %12.3g %9.3g..%-9.3g  %s%s\n",
                  fit.free[i].key.c_str(), fit.initial[i], fit.fitted[i], fit.standard_errors[i],
                  fit.free[i].lower, fit.free[i].upper, prior.Admits(fit.fitted[i]) ? "" : "* ",
                  prior.Describe().c_str());
    os << line;
  }
  std::snprintf(line, sizeof line, "\n%-28s %6s %10s %10s %10s %10s%s\n", "design", "C-rate",
                "measured", "initial", "fitted", "resid_pp", cv ? "        LOO  LOO_resid" : "");
  os << line;
  for (size_t i = 0; i < points.size(); ++i) {
    std::snprintf(line, sizeof line, "%-28s %6.3g %10.4f %10.4f %10.4f %10.2f",
                  FormatDesign(points[i].design).c_str(), points[i].c_rate,
                  points[i].measured_utilization, fit.initial_predicted[i], fit.predicted[i],
                  100 * (fit.predicted[i] - points[i].measured_utilization));
    os << line;
    if (cv != nullptr) {
      std::snprintf(line, sizeof line, " %10.4f %10.2f", cv->loo_prediction[i],
                    100 * (cv->loo_prediction[i] - points[i].measured_utilization));
      os << line;
    }
    os << "\n";
  }
  std::snprintf(line, sizeof line,
                "RMS %.2f percentage points (initial %.2f) over %zu points; %d evaluations, "
                "%.1f s\n",
                fit.rms_pp, fit.initial_rms_pp, points.size(), fit.evaluations, seconds);
  os << line << "solver: " << fit.summary.BriefReport() << "\n";
  if (cv != nullptr) {
    std::snprintf(line, sizeof line,
                  "leave-one-out RMS %.2f points; AIC %.2f, BIC %.2f; %d parameter(s) at a bound\n",
                  cv->loo_rms_pp, cv->aic, cv->bic, cv->parameters_at_bound);
    os << line;
  }
  return os.str();
}

std::string RatesIni(const RateFitResult& fit, const RatesFlags& f, size_t points,
                     const Scenario& scenario, const CommonOptions& common) {
  std::ostringstream ini;
  ini << "# edopt calibrate rates (edopt " << EDOPT_VERSION << ", " << Today() << ") from "
      << f.data_file << ": " << points << " points, RMS " << FormatG(fit.rms_pp, 3)
      << " pp (initial " << FormatG(fit.initial_rms_pp, 3) << " pp), EIS resistivity held at "
      << FormatG(scenario.cell.transport.reference_resistivity_ohm_m, 4) << " ohm m\n";
  if (!fit.optimized) ini << "# no solver ran (zero budgets): the values below are the start\n";
  ini << BaseLine(common);
  std::map<std::string, std::string> sections;
  // The model the fit was made with: --set overrides of keys not fitted go along, so the
  // fragment reproduces the calibrated model on its base.
  for (const auto& text : common.overrides) {
    const auto eq = text.find('=');
    const std::string key = Trim(text.substr(0, eq));
    const auto dot = key.find('.');
    if (eq == std::string::npos || dot == std::string::npos) continue;  // rejected when loading
    const bool fitted =
        std::any_of(fit.free.begin(), fit.free.end(), [&](const auto& p) { return p.key == key; });
    // The posterior this run writes replaces any the scenario named.
    if (fitted || (f.posterior && key == "calibration.posterior_file")) continue;
    sections[key.substr(0, dot)] +=
        "# held (--set)\n" + key.substr(dot + 1) + " = " + Trim(text.substr(eq + 1)) + "\n";
  }
  for (size_t i = 0; i < fit.free.size(); ++i) {
    const auto dot = fit.free[i].key.find('.');
    sections[fit.free[i].key.substr(0, dot)] +=
        "# fitted " + FormatG(fit.fitted[i], 4) + " +- " + FormatG(fit.standard_errors[i], 2) +
        " (prior " + FormatG(fit.initial[i], 4) + ")\n" + fit.free[i].key.substr(dot + 1) + " = " +
        FormatG(fit.fitted[i], 6) + "\n";
  }
  for (const auto& [section, body] : sections) ini << "\n[" << section << "]\n" << body;
  return ini.str();
}

std::string PredictionsCsv(const RateFitResult& fit, const std::vector<RatePoint>& points) {
  std::ostringstream csv;
  csv << "design,c_rate,measured_utilization,initial_utilization,fitted_utilization\n";
  for (size_t i = 0; i < points.size(); ++i) {
    csv << CsvQuote(FormatDesign(points[i].design)) << ',' << FormatG(points[i].c_rate, 6) << ','
        << FormatG(points[i].measured_utilization, 6) << ',' << FormatG(fit.initial_predicted[i], 6)
        << ',' << FormatG(fit.predicted[i], 6) << '\n';
  }
  return csv.str();
}

int RunCalibrateRates(const std::vector<std::string>& args) {
  CommonOptions common;
  RatesFlags f;
  po::options_description description(
      "edopt calibrate rates --data FILE [--free K1,K2,...] [--out F] [--json]\n"
      "Fits model parameters to measured utilizations (columns design or ng_wt_fraction +\n"
      "thickness_um, c_rate, utilization or delivered_capacity_mAh_cm2, optional\n"
      "theoretical_capacity_mAh_cm2) with the EIS resistivity held; global search then local\n"
      "polish (NLopt CRS2 + BOBYQA)");
  AddCommonOptions(&description, &common);
  AddRatesOptions(&description, &f);
  if (PrintHelpIfAsked(args, description)) return kExitOk;
  po::variables_map vm;
  ParseArgs(args, description, nullptr, &vm);
  const Scenario scenario = LoadScenario(common);
  const RateFitOptions options = FitOptions(f);
  const auto points = ReadRateTable(f.data_file);
  if (!f.out_file.empty()) CheckOutputFile(f.out_file, "--out");
  if (!f.predictions_file.empty()) CheckOutputFile(f.predictions_file, "--predictions");
  const auto start = std::chrono::steady_clock::now();
  const RatePosteriorOptions posterior_options = PosteriorOptions(f);
  std::unique_ptr<CrossValidation> cv;
  if (f.cross_validate)
    cv = std::make_unique<CrossValidation>(CrossValidate(scenario.cell, points, options));
  const RateFitResult fit = cv ? cv->full : FitRates(scenario.cell, points, options);
  std::unique_ptr<RatePosterior> post;
  std::unique_ptr<PosteriorCrossValidation> pcv;
  if (f.posterior) {
    post = std::make_unique<RatePosterior>(
        SampleRatePosterior(scenario.cell, points, fit, posterior_options));
    if (f.cross_validate) {
      pcv = std::make_unique<PosteriorCrossValidation>(
          CrossValidatePosterior(scenario.cell, points, options, posterior_options));
    }
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (fit.at_bound) PrintWarnings({"a fitted parameter ended at a bound of its range"});
  if (!fit.optimized) PrintWarnings({"zero budgets: no solver ran, the values are the start"});
  if (post && post->summary.termination != Termination::kConverged) {
    PrintWarnings({"posterior: " + post->summary.message +
                   " (not converged: R-hat >= 1.1 or ESS < 100; raise --posterior-steps)"});
  }
  std::cout << (f.json ? RatesJson(fit, points, seconds, cv.get(), post.get(), pcv.get())
                       : RatesTable(fit, points, seconds, cv.get()) +
                             (post ? PosteriorTable(*post) : std::string()) +
                             (pcv ? LooIntervalsTable(*pcv, points) : std::string()));
  if (!f.out_file.empty()) {
    const std::filesystem::path out(f.out_file);
    const std::string posterior_file =
        (out.parent_path() / (out.stem().string() + "_posterior.csv")).string();
    std::string ini = RatesIni(fit, f, points.size(), scenario, common);
    if (post) {
      ini += "\n[calibration]\n# " + post->summary.message +
             "\nposterior_file = " + std::filesystem::path(posterior_file).filename().string() +
             "\n";
      WriteFileAtomically(posterior_file, PosteriorCsv(*post));
      std::cerr << "wrote " << posterior_file << "\n";
    }
    WriteFileAtomically(f.out_file, ini);
    std::cerr << "wrote " << f.out_file << "\n";
  }
  if (!f.predictions_file.empty())
    WriteFileAtomically(f.predictions_file, PredictionsCsv(fit, points));
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
