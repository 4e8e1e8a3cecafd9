// edopt sensitivity: how fronts, designs and the robust recipe move when one cell parameter
// (default: the composite's resistivity) is scaled, plus a tornado of every calibrated parameter.
// Parses options, calls RunSensitivityStudy (optimizer/sensitivity.h), writes the files.
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <iostream>
#include <sstream>

#include "app/cli.h"
#include "formats/files.h"
#include "formats/manifest.h"
#include "models/composition.h"
#include "models/errors.h"
#include "models/units.h"
#include "optimizer/sensitivity.h"

namespace po = boost::program_options;

namespace edopt {

namespace {

constexpr double kMah = kC_m2_per_mAh_cm2;

std::string FactorsCsv(const SensitivityResult& r, const std::vector<double>& bands) {
  std::ostringstream os;
  os << "factor,hypervolume_mAh_cm2,front_size";
  for (double band : bands) {
    os << ",utilization_at_" << FormatG(band / kMah, 4) << "_mAh_cm2,layers_at_"
       << FormatG(band / kMah, 4) << "_mAh_cm2";
  }
  os << "\n";
  for (size_t i = 0; i < r.factors.size(); ++i) {
    os << FormatG(r.factors[i], 8) << ',' << FormatG(r.hypervolume[i] / kMah, 8) << ','
       << r.fronts[i].size();
    for (double band : bands) {
      const int k = IndexAtCapacity(r.fronts[i], band);
      os << ',' << (k < 0 ? "" : FormatG(r.fronts[i][k].score, 6)) << ','
         << (k < 0 ? "" : std::to_string(r.fronts[i][k].layer_count));
    }
    os << "\n";
  }
  return os.str();
}

std::string FrontsCsv(const SensitivityResult& r) {
  std::ostringstream os;
  os << "factor,design,layer_count,theoretical_capacity_mAh_cm2,utilization\n";
  for (size_t i = 0; i < r.factors.size(); ++i) {
    for (const auto& e : r.fronts[i]) {
      os << FormatG(r.factors[i], 8) << ',' << CsvQuote(FormatDesign(e.design)) << ','
         << e.layer_count << ',' << FormatG(e.capacity / kMah, 8) << ',' << FormatG(e.score, 8)
         << "\n";
    }
  }
  return os.str();
}

std::string DesignsCsv(const SensitivityResult& r) {
  std::ostringstream os;
  os << "design,factor,utilization,elasticity_per_ln_value\n";
  for (size_t k = 0; k < r.designs.size(); ++k) {
    for (size_t i = 0; i < r.factors.size(); ++i) {
      os << CsvQuote(FormatDesign(r.designs[k])) << ',' << FormatG(r.factors[i], 8) << ','
         << FormatG(r.design_utilization[k][i], 8) << ',' << FormatG(r.design_elasticity[k][i], 6)
         << "\n";
    }
  }
  return os.str();
}

std::string RobustCsv(const SensitivityResult& r, const CellParameters& cell) {
  std::ostringstream os;
  os << "capacity_target_mAh_cm2,role,design,capacity_mAh_cm2,worst_utilization,mean_"
        "utilization,posterior_p05,posterior_median";
  for (double f : r.factors) os << ",utilization_x" << FormatG(f, 4);
  os << "\n";
  for (const auto& c : r.robust) {
    if (!c.found) continue;
    for (int role = 0; role < 2; ++role) {
      const Design& d = role == 0 ? c.robust : c.nominal;
      const auto& u = role == 0 ? c.robust_utilization : c.nominal_utilization;
      const double capacity =
          SummarizeDesign(cell.materials, cell.packing, d).theoretical_capacity_C_m2;
      os << FormatG(c.capacity_target_C_m2 / kMah, 4) << ',' << (role == 0 ? "robust" : "nominal")
         << ',' << CsvQuote(FormatDesign(d)) << ',' << FormatG(capacity / kMah, 6) << ','
         << FormatG(role == 0 ? c.robust_worst : c.nominal_worst, 6) << ','
         << FormatG(role == 0 ? c.robust_mean : c.nominal_mean, 6) << ',';
      const double q05 = role == 0 ? c.robust_p05 : c.nominal_p05;
      const double q50 = role == 0 ? c.robust_p50 : c.nominal_p50;
      if (std::isfinite(q05))
        os << FormatG(q05, 6) << ',' << FormatG(q50, 6);
      else
        os << ',';
      for (double v : u) os << ',' << FormatG(v, 6);
      os << "\n";
    }
  }
  return os.str();
}

std::string TornadoCsv(const SensitivityStudy& study) {
  std::ostringstream os;
  os << "design,parameter,low_factor,high_factor,utilization_low,utilization_nominal,"
        "utilization_high,swing\n";
  for (size_t k = 0; k < study.tornados.size(); ++k) {
    for (const auto& b : study.tornados[k]) {
      os << CsvQuote(FormatDesign(study.result.designs[k])) << ',' << b.parameter << ','
         << FormatG(b.low_factor, 4) << ',' << FormatG(b.high_factor, 4) << ','
         << FormatG(b.utilization_low, 6) << ',' << FormatG(b.utilization_nominal, 6) << ','
         << FormatG(b.utilization_high, 6) << ',' << FormatG(b.swing(), 6) << "\n";
    }
  }
  return os.str();
}

std::string FrontsMd(const SensitivityResult& r, const std::vector<double>& bands) {
  std::ostringstream md;
  char line[512];
  md << "## Fronts\n\n| factor | hypervolume mAh/cm2 | front size |";
  for (double band : bands) md << " util. >= " << FormatG(band / kMah, 3) << " (layers) |";
  md << "\n|---|---|---|";
  for (size_t b = 0; b < bands.size(); ++b) md << "---|";
  md << "\n";
  for (size_t i = 0; i < r.factors.size(); ++i) {
    std::snprintf(line, sizeof line, "| %.4g | %.4f | %zu |", r.factors[i], r.hypervolume[i] / kMah,
                  r.fronts[i].size());
    md << line;
    for (double band : bands) {
      const int k = IndexAtCapacity(r.fronts[i], band);
      if (k < 0) {
        md << " none |";
        continue;
      }
      std::snprintf(line, sizeof line, " %.3f (%d) |", r.fronts[i][k].score,
                    r.fronts[i][k].layer_count);
      md << line;
    }
    md << "\n";
  }
  return md.str();
}

std::string DesignsMd(const SensitivityResult& r) {
  std::ostringstream md;
  char line[128];
  md << "\n## Designs at every factor (utilization; elasticity d util / d ln value)\n\n| design |";
  for (double f : r.factors) md << " x" << FormatG(f, 3) << " |";
  md << "\n|---|";
  for (size_t i = 0; i < r.factors.size(); ++i) md << "---|";
  md << "\n";
  for (size_t k = 0; k < r.designs.size(); ++k) {
    md << "| " << FormatDesign(r.designs[k]) << " |";
    for (size_t i = 0; i < r.factors.size(); ++i) {
      std::snprintf(line, sizeof line, " %.3f (%+.3f) |", r.design_utilization[k][i],
                    r.design_elasticity[k][i]);
      md << line;
    }
    md << "\n";
  }
  return md.str();
}

std::string RobustMd(const SensitivityResult& r, const std::string& criterion) {
  std::ostringstream md;
  char line[512];
  // Over the posterior: its 5th percentile and median; over the factors: worst case and mean.
  const bool posterior = criterion == "posterior";
  const char* pair = posterior ? "5th percentile / median" : "worst / mean";
  md << "\n## Robust recipe per capacity band ("
     << (posterior ? "best 5th percentile over the posterior"
                   : criterion + " case over the factors")
     << ")\n\n| capacity >= | robust design | its " << pair << " | nominal optimum | its " << pair
     << " |\n|---|---|---|---|---|\n";
  for (const auto& c : r.robust) {
    if (!c.found) continue;
    std::snprintf(line, sizeof line, "| %.3g | %s | %.3f / %.3f | %s | %.3f / %.3f |\n",
                  c.capacity_target_C_m2 / kMah, FormatDesign(c.robust).c_str(),
                  posterior ? c.robust_p05 : c.robust_worst,
                  posterior ? c.robust_p50 : c.robust_mean, FormatDesign(c.nominal).c_str(),
                  posterior ? c.nominal_p05 : c.nominal_worst,
                  posterior ? c.nominal_p50 : c.nominal_mean);
    md << line;
  }
  return md.str();
}

std::string TornadoMd(const SensitivityStudy& study, bool percolation, bool measured) {
  if (study.tornados.empty()) return "";
  std::ostringstream md;
  char line[64];
  const double range = study.screen_range;
  md << "\n## One-at-a-time screen of the calibrated parameters (x " << FormatG(1 - range, 3)
     << " and x " << FormatG(1 + range, 3)
     << "): utilization at low / high, per design\n\n| parameter |";
  for (const auto& d : study.result.designs) md << " " << FormatDesign(d) << " |";
  md << "\n|---|";
  for (size_t k = 0; k < study.result.designs.size(); ++k) md << "---|";
  md << "\n";
  for (const auto& key : study.screened_keys) {
    md << "| " << key << " |";
    for (const auto& bars : study.tornados) {
      for (const auto& b : bars) {
        if (b.parameter != key) continue;
        std::snprintf(line, sizeof line, " %.3f / %.3f |", b.utilization_low, b.utilization_high);
        md << line;
      }
    }
    md << "\n";
  }
  if (percolation && measured) {
    md << "\nThe conductivity law is relative to the measured composition, so it moves only "
          "layers of other compositions. It is a prior unless `edopt calibrate eis` fitted it "
          "over several compositions.\n";
  } else if (percolation) {
    md << "\nNo composite resistivity is measured (transport.reference_resistivity_ohm_m = 0): "
          "the conductivity law sets every composition's conductivity from the pure SE's, and "
          "it is a prior until `edopt calibrate eis` measures a composite.\n";
  }
  return md.str();
}

std::string SummaryMd(const SensitivityStudy& study, const Scenario& s,
                      const std::string& criterion) {
  const SensitivityResult& r = study.result;
  std::ostringstream md;
  md << "# edopt sensitivity: " << study.key << " x {";
  for (size_t i = 0; i < r.factors.size(); ++i) md << (i ? ", " : "") << FormatG(r.factors[i], 4);
  md << "}\n\nScenario " << s.name << "; objective utilization at "
     << FormatG(s.objective_c_rate, 3) << "C; " << r.evaluations << " model evaluations, "
     << FormatG(r.seconds, 3) << " s. Fronts are compared on the pool of " << r.pool.size()
     << " designs found by a search at every factor, each evaluated at every factor.\n\n";
  md << FrontsMd(r, s.search.capacity_bands_C_m2) << DesignsMd(r) << RobustMd(r, criterion)
     << TornadoMd(study, s.cell.transport.law == ConductivityLawKind::kPercolation,
                  s.cell.transport.reference_resistivity_ohm_m > 0);
  return md.str();
}

struct SensitivityFlags {
  std::string param = "transport.resistivity_factor", factors = "0.25,0.5,1,2,4";
  std::string out_dir = "results/sensitivity", robust = "worst";
  std::vector<std::string> designs;
  double range = 0.3;
  bool quiet = false;
};

void AddSensitivityOptions(po::options_description* d, SensitivityFlags* f) {
  d->add_options()("param", po::value(&f->param)->value_name("KEY"),
                   "scenario key to scale (default transport.resistivity_factor)")(
      "factors", po::value(&f->factors)->value_name("F,F,..."),
      "multipliers of the key's value (default 0.25,0.5,1,2,4; 1 is always added)")(
      "design", po::value(&f->designs)->composing()->value_name("D"),
      "design to follow (repeatable; default: the baseline knee and band designs)")(
      "screen-range", po::value(&f->range)->value_name("R"),
      "tornado: each calibrated parameter x (1 - R) and x (1 + R) (default 0.3)")(
      "robust", po::value(&f->robust)->value_name("worst|mean|posterior"),
      "robust recipe criterion: worst case or mean over the factors (default worst), or the "
      "best 5th percentile over the scenario's posterior")(
      "out", po::value(&f->out_dir)->value_name("DIR"),
      "output folder (default results/sensitivity)")("quiet", po::bool_switch(&f->quiet),
                                                     "no progress bar");
}

}  // namespace

int RunSensitivity(const std::vector<std::string>& args) {
  CommonOptions common;
  SensitivityFlags f;
  SearchFlags search_flags;
  po::options_description description(
      "edopt sensitivity [--param KEY] [--factors f1,f2,...] [--design D]... [--out DIR]\n"
      "Scales one numeric scenario key (default transport.resistivity_factor) by each factor:\n"
      "re-optimizes and compares the fronts on the pooled designs, follows the given designs\n"
      "(default: the baseline knee and band designs) with elasticities, picks a robust recipe\n"
      "per capacity band, and screens every calibrated parameter one at a time (tornado).\n"
      "Writes DIR/factors.csv, fronts.csv, designs.csv, robust.csv, tornado.csv, summary.md");
  AddCommonOptions(&description, &common);
  AddSearchFlags(&description, &search_flags,
                 "search budget per factor (default search.evaluations)");
  AddSensitivityOptions(&description, &f);
  po::variables_map vm;
  if (!ParseCommand(args, description, nullptr, &vm, common.help)) return kExitOk;
  Scenario s = LoadScenario(common);
  if (f.robust != "worst" && f.robust != "mean" && f.robust != "posterior")
    throw ConfigError("--robust '" + f.robust + "': expected worst, mean or posterior");
  if (f.robust == "posterior" && s.posterior.empty()) {
    throw ConfigError(
        "--robust posterior: the scenario carries no posterior "
        "(calibration.posterior_file; calibrate rates --posterior writes one)");
  }
  ApplySearchFlags(vm, search_flags, &s);
  SensitivityOptions options;
  options.factors = ParsePositiveList(f.factors, "--factors");
  options.space = s.design_space;
  options.search = s.search;
  options.c_rate = s.objective_c_rate;
  options.robust_by_mean = f.robust == "mean";
  if (f.robust == "posterior") options.posterior = s.posterior;
  for (const auto& d : f.designs) options.designs.push_back(ParseDesign(d));
  CheckOutputFolder(f.out_dir, "--out");
  const bool bar = !f.quiet && ::isatty(STDERR_FILENO);
  const auto study =
      RunSensitivityStudy(s.cell, f.param, options, f.range, [&](const SensitivityProgress& p) {
        if (bar) ProgressLine(p.phase, p.done + 1, p.total);
      });
  if (bar) std::fprintf(stderr, "\n");
  const std::string md = SummaryMd(study, s, f.robust);
  WriteFilesAtomically(
      f.out_dir,
      WithManifest({{"factors.csv", FactorsCsv(study.result, s.search.capacity_bands_C_m2)},
                    {"fronts.csv", FrontsCsv(study.result)},
                    {"designs.csv", DesignsCsv(study.result)},
                    {"robust.csv", RobustCsv(study.result, s.cell)},
                    {"tornado.csv", TornadoCsv(study)},
                    {"summary.md", md}},
                   &s));
  std::cout << md;
  std::cerr << "wrote " << f.out_dir
            << "/{factors.csv,fronts.csv,designs.csv,robust.csv,tornado.csv,summary.md}\n";
  return kExitOk;
}

}  // namespace edopt
