// edopt calibrate rates: rate tests -> the kinetic and transport parameters impedance cannot
// give. Parses options, reads the rate table (formats/rate_table.h), calls FitRates
// (optimizer/rate_fit.h) and, with --posterior, SampleRatePosterior, and writes the table or
// JSON, the fragment, the posterior sample and the predictions.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "app/cli.h"
#include "edopt_version.h"
#include "formats/calibration_files.h"
#include "formats/cycler.h"
#include "formats/fields.h"
#include "formats/files.h"
#include "formats/fragment.h"
#include "formats/manifest.h"
#include "formats/posterior_file.h"
#include "formats/rate_table.h"
#include "models/catalogue.h"
#include "models/errors.h"
#include "models/materials.h"
#include "models/parameter.h"
#include "optimizer/rate_calibration.h"
#include "optimizer/rate_fit.h"
#include "optimizer/rate_posterior.h"

namespace po = boost::program_options;
using Json = nlohmann::ordered_json;

namespace edopt {

namespace {

struct RatesFlags {
  std::string data_file, out_file, free, predictions_file, posterior_extra = "default";
  double cell_scatter = 0.10;
  bool json = false, cross_validate = false, posterior = false;
  int threads = 0, global_evaluations = 400, local_evaluations = 300;
  int walkers = 0, posterior_steps = 1000, burn_in = 300;
  std::string seed = "1";
  // Rate tests read from cycler exports (issue 37): one cell, its design, area and loading.
  std::vector<std::string> cycler_files;
  std::string cycler_design;
  double cycler_area_cm2 = 0.0, cycler_loading_mAh_cm2 = 0.0;
  // The measurements' names in messages and the fragment: the table and the cycler files.
  std::string Sources() const {
    std::string out = data_file;
    for (const auto& c : cycler_files) out += (out.empty() ? "" : ", ") + c;
    return out;
  }
};

void AddRatesOptions(po::options_description* d, RatesFlags* f) {
  std::string known;
  for (const auto& p : FittableParameters()) known += "\n  " + p.key;
  d->add_options()("data", po::value(&f->data_file)->value_name("FILE"),
                   "lab table (CSV): rate tests, and symmetric cells (kind = symmetric_cell)")(
      "cycler", po::value(&f->cycler_files)->composing()->value_name("FILE"),
      "a cycler export (BioLogic .mpt, Arbin CSV, Maccor text, Neware CSV, BaSyTec text) of one "
      "cell's rate tests: every constant-current lithiation becomes a rate-test row (repeatable; "
      "needs --design and --area-cm2)")("design", po::value(&f->cycler_design)->value_name("D"),
                                        "--cycler: the cell's electrode (e.g. 5:5@33,6:4@33)")(
      "area-cm2", po::value(&f->cycler_area_cm2)->value_name("A"), "--cycler: the cell's area")(
      "loading-mAh-cm2", po::value(&f->cycler_loading_mAh_cm2)->value_name("Q"),
      "--cycler: its weighed theoretical capacity (default: the design's at the scenario's "
      "packing)")(
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
      "seed", po::value(&f->seed)->value_name("S"),
      "posterior: random seed, an integer >= 0 (default 1)")(
      "posterior-extra", po::value(&f->posterior_extra)->value_name("K1,K2|none"),
      "posterior: parameters sampled beside the free ones, from their priors (default: the "
      "composition law's, transport.resistivity_factor_exponent, and with symmetric cells the "
      "reference resistivity)")(
      "cell-scatter", po::value(&f->cell_scatter)->value_name("S"),
      "posterior: relative pellet-to-pellet scatter of a symmetric cell's resistance beyond its "
      "standard error (default 0.10)");
}

// The job's options from the flags; sampling flags without --posterior are refused.
RateCalibrationOptions CalibrationOptions(const RatesFlags& f, const po::variables_map& vm) {
  for (const char* flag :
       {"walkers", "posterior-steps", "burn-in", "seed", "posterior-extra", "cell-scatter"}) {
    if (vm.count(flag) && !vm[flag].defaulted() && !f.posterior) {
      throw ConfigError(std::string("--") + flag +
                        " sets the posterior's sampling; add --posterior");
    }
  }
  RateCalibrationOptions o;
  o.fit.threads = f.threads;
  o.fit.global_evaluations = f.global_evaluations;
  o.fit.local_evaluations = f.local_evaluations;
  if (!f.free.empty()) {
    o.fit.free.clear();
    std::stringstream ss(f.free);
    std::string key;
    while (std::getline(ss, key, ',')) o.fit.free.push_back(FindFittable(key));
  }
  o.cross_validate = f.cross_validate;
  o.posterior = f.posterior;
  o.walkers = f.walkers;
  o.steps = f.posterior_steps;
  o.burn_in = f.burn_in;
  o.seed = ParseSeedText(f.seed);
  o.cell_scatter = f.cell_scatter;
  o.default_extras = f.posterior_extra == "default";
  if (!o.default_extras && f.posterior_extra != "none") {
    for (const auto& key : SplitFields(f.posterior_extra, ',')) {
      if (!key.empty()) o.extras.push_back(key);
    }
  }
  ValidateRateCalibrationOptions(o);
  return o;
}

std::string PosteriorTable(const RatePosterior& post) {
  std::ostringstream os;
  char line[512];
  std::snprintf(line, sizeof line, "\nposterior%43s %12s %12s %12s %12s %7s %7s %7s %7s %7s\n", "",
                "mean", "median", "2.5%", "97.5%", "R-hat", "ESS", "rank-R", "bulk", "tail");
  os << line;
  for (size_t i = 0; i < post.names.size(); ++i) {
    std::snprintf(line, sizeof line,
                  "%-52s %12.4g %12.4g %12.4g %12.4g %7.3f %7.0f %7.3f %7.0f %7.0f\n",
                  post.names[i].c_str(), post.mean[i], post.q500[i], post.q025[i], post.q975[i],
                  post.chain.r_hat[i], post.chain.ess[i], post.chain.rank_r_hat[i],
                  post.chain.ess_bulk[i], post.chain.ess_tail[i]);
    os << line;
  }
  os << "(rank-R: rank-normalized split R-hat; bulk, tail: effective sample sizes, Vehtari et al. "
        "2021; the standard is rank-R < 1.01 and bulk, tail >= 400)\n";
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

std::string RatesTable(const RateFitResult& fit, const std::vector<RatePoint>& points,
                       double seconds, const CrossValidation* cv) {
  std::ostringstream os;
  char line[512];
  std::snprintf(line, sizeof line, "%-52s %12s %12s %12s %20s  %s\n", "parameter", "initial",
                fit.optimized ? "fitted" : "not fitted", "std.error", "bounds",
                "literature (* = fitted value outside)");
  os << line;
  for (size_t i = 0; i < fit.free.size(); ++i) {
    const Prior& prior =
        MaterialPriorOr(fit.free[i].key, fit.parameters, FindCellParameter(fit.free[i].key)->prior);
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

// The lab table, with the rate tests of the cycler exports after its rows (each row's origin
// names the file and its lines); at least one of the two is needed.
LabTable MeasurementsOf(const RatesFlags& f, const Scenario& scenario) {
  if (f.data_file.empty() && f.cycler_files.empty())
    throw ConfigError("give the measurements: --data FILE (a lab table) or --cycler FILE");
  const bool cell_flags =
      !f.cycler_design.empty() || f.cycler_area_cm2 != 0.0 || f.cycler_loading_mAh_cm2 != 0.0;
  if (f.cycler_files.empty() && cell_flags)
    throw ConfigError("--design, --area-cm2 and --loading-mAh-cm2 describe a --cycler cell");
  LabTable table;
  if (!f.data_file.empty()) table = ReadLabTable(f.data_file);
  if (f.cycler_files.empty()) return table;
  if (f.cycler_design.empty() || !(f.cycler_area_cm2 > 0))
    throw ConfigError("--cycler needs the cell's --design and --area-cm2 (> 0)");
  CheckSetting("--area-cm2", f.cycler_area_cm2, kAreaRange_cm2);
  if (f.cycler_loading_mAh_cm2 != 0.0)
    CheckSetting("--loading-mAh-cm2", f.cycler_loading_mAh_cm2, {0.0, 100.0, true, false});
  Design design;
  try {
    design = ParseDesign(f.cycler_design);
    ValidateDesign(design);
  } catch (const ConfigError& e) {
    throw ConfigError(std::string("--design: ") + e.what());
  }
  for (const auto& path : f.cycler_files) {
    const CyclerFile file = ReadCyclerFile(path);
    std::vector<std::string> notes;
    for (const auto& n : file.notes) notes.push_back(path + ": " + n);
    const auto rows = CyclerRateTests(file, scenario.cell, design, f.cycler_area_cm2 * 1e-4,
                                      f.cycler_loading_mAh_cm2 * 3.6e4, &notes);
    for (const auto& r : rows) {
      notes.push_back(r.origin + ": rate test at " + FormatG(r.c_rate, 4) + "C, utilization " +
                      FormatG(r.measured_utilization, 4));
    }
    for (const auto& n : notes) std::fprintf(stderr, "note: %s\n", n.c_str());
    table.rate_tests.insert(table.rate_tests.end(), rows.begin(), rows.end());
  }
  return table;
}

// The fragment: the fitted values on the scenario the fit was made against. Its posterior is
// this run's (`posterior_file`, empty without --posterior) or none: draws from another
// calibration would override the fitted values in every prediction.
std::string RatesIni(const RateFitResult& fit, const RatesFlags& f, size_t points,
                     const Scenario& scenario, const CommonOptions& common,
                     const RatePosterior* post, const std::string& posterior_file) {
  ScenarioFragment fragment;
  fragment.header = "edopt calibrate rates (edopt " + std::string(EDOPT_VERSION) + ", " +
                    TodayUtc() + ") from " + f.Sources() + ": " + std::to_string(points) +
                    " points, RMS " + FormatG(fit.rms_pp, 3) + " pp (initial " +
                    FormatG(fit.initial_rms_pp, 3) + " pp), EIS resistivity held at " +
                    FormatG(scenario.cell.transport.reference_resistivity_ohm_m, 4) + " ohm m";
  if (!fit.optimized)
    fragment.header += "\nno solver ran (zero budgets): the values below are the start";
  fragment.base = FragmentBase(common);
  // The model the fit was made with: --set overrides of keys not fitted go along, so the
  // fragment reproduces the calibrated model on its base.
  for (const auto& text : common.overrides) {
    const auto eq = text.find('=');
    const std::string key = Trim(text.substr(0, eq));
    const auto dot = key.find('.');
    if (eq == std::string::npos || dot == std::string::npos) continue;  // rejected when loading
    const bool fitted =
        std::any_of(fit.free.begin(), fit.free.end(), [&](const auto& p) { return p.key == key; });
    if (fitted || key == "calibration.posterior_file") continue;
    fragment.lines.push_back(
        {key.substr(0, dot), key.substr(dot + 1), Trim(text.substr(eq + 1)), "held (--set)"});
  }
  for (size_t i = 0; i < fit.free.size(); ++i) {
    const auto dot = fit.free[i].key.find('.');
    fragment.lines.push_back(
        {fit.free[i].key.substr(0, dot), fit.free[i].key.substr(dot + 1), FormatG(fit.fitted[i], 6),
         "fitted " + FormatG(fit.fitted[i], 4) + " +- " + FormatG(fit.standard_errors[i], 2) +
             " (prior " + FormatG(fit.initial[i], 4) + ")"});
  }
  if (post != nullptr) {
    fragment.lines.push_back({"calibration", "posterior_file",
                              std::filesystem::path(posterior_file).filename().string(),
                              post->summary.message});
  } else if (!scenario.posterior.empty()) {
    fragment.lines.push_back({"calibration", "posterior_file", "",
                              "no posterior: the scenario's draws belong to another calibration "
                              "(--posterior samples this one's)"});
  }
  return FormatFragment(fragment);
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

// The posterior samples written beside an --out fragment: F.ini -> F_posterior.csv.
std::string PosteriorFileFor(const std::string& out_file) {
  const std::filesystem::path out(out_file);
  return (out.parent_path() / (out.stem().string() + "_posterior.csv")).string();
}

}  // namespace

int RunCalibrateRates(const std::vector<std::string>& args) {
  CommonOptions common;
  RatesFlags f;
  po::options_description description(
      "edopt calibrate rates --data FILE | --cycler FILE --design D --area-cm2 A\n"
      "                      [--free K1,K2,...] [--out F] [--json]\n"
      "Fits model parameters to measured utilizations (columns design or active_wt_fraction +\n"
      "thickness_um, c_rate, utilization or delivered_capacity_mAh_cm2, optional\n"
      "theoretical_capacity_mAh_cm2) with the EIS resistivity held; global search then local\n"
      "polish (NLopt CRS2 + BOBYQA). With --posterior, symmetric cells of the table (kind =\n"
      "symmetric_cell) join the likelihood and the composition law is sampled too.");
  AddCommonOptions(&description, &common);
  AddRatesOptions(&description, &f);
  if (PrintHelpIfAsked(args, description)) return kExitOk;
  po::variables_map vm;
  ParseArgs(args, description, nullptr, &vm);
  const Scenario scenario = LoadScenario(common);
  const RateCalibrationOptions options = CalibrationOptions(f, vm);
  const LabTable table = MeasurementsOf(f, scenario);
  const auto& points = table.rate_tests;
  PrintWarnings(CheckRateTable(scenario.cell, table, f.Sources()));
  if (!f.out_file.empty()) {
    CheckOutputFile(f.out_file, "--out");
    // What the fragment will name, checked before the fit: its base, its posterior file.
    CheckFragmentValue(FragmentBase(common), "base");
    if (f.posterior) {
      CheckFragmentValue(std::filesystem::path(PosteriorFileFor(f.out_file)).filename().string(),
                         "--out's posterior file name");
    }
  }
  if (!f.predictions_file.empty()) CheckOutputFile(f.predictions_file, "--predictions");
  CheckDistinctOutputs({{"--out", f.out_file},
                        {"--out's posterior file",
                         f.out_file.empty() || !f.posterior ? "" : PosteriorFileFor(f.out_file)},
                        {"--predictions", f.predictions_file}});
  RateCalibrationOptions run_options = options;
  const bool bar = ::isatty(STDERR_FILENO) != 0;
  if (bar)
    run_options.progress = [](const char* phase, int done, int total) {
      ProgressLine(phase, done, total);
    };
  const RateCalibration calibration =
      CalibrateRates(scenario.cell, table, run_options, f.Sources());
  if (bar) std::fprintf(stderr, "\n");
  PrintWarnings(calibration.warnings);
  const RateFitResult& fit = calibration.fit;
  const RatePosterior* post = calibration.posterior.get();
  const CrossValidation* cv = calibration.cv.get();
  const PosteriorCrossValidation* pcv = calibration.pcv.get();
  const double seconds = calibration.seconds;
  std::vector<NamedText> outputs;
  if (!f.out_file.empty()) {
    const std::string posterior_file = PosteriorFileFor(f.out_file);
    outputs.emplace_back(f.out_file,
                         RatesIni(fit, f, points.size(), scenario, common, post, posterior_file));
    if (post) {
      outputs.emplace_back(
          posterior_file,
          FormatPosteriorSample(ToSample(*post), post->chain.log_density, post->chain.walkers));
    }
  }
  if (!f.predictions_file.empty())
    outputs.emplace_back(f.predictions_file, PredictionsCsv(fit, points));
  PublishFiles(outputs, &scenario);  // all or none: a full disk leaves no posterior behind
  for (const auto& [path, text] : outputs) std::cerr << "wrote " << path << "\n";
  std::cout << (f.json ? WithManifestJson(RatesJson(fit, points, seconds, cv, post, pcv), &scenario,
                                          outputs)
                       : RatesTable(fit, points, seconds, cv) +
                             (post ? PosteriorTable(*post) : std::string()) +
                             (pcv ? LooIntervalsTable(*pcv, points) : std::string()));
  return kExitOk;
}

}  // namespace edopt
