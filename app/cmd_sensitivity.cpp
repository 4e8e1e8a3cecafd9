// edopt sensitivity: how fronts, designs and the robust recipe move when one scenario parameter
// (default: the composite's resistivity) is scaled, plus a tornado of every calibrated parameter.
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "app/cli.h"
#include "app/data_files.h"
#include "models/composition.h"
#include "models/errors.h"
#include "models/units.h"
#include "optimizer/sensitivity.h"

namespace po = boost::program_options;

namespace edopt {

namespace {

constexpr double kMah = kC_m2_per_mAh_cm2;

// Keys whose change acts on the cell model only (a sensitivity study keeps the design space and
// the protocol's rate fixed; design-space variants are sweeps).
bool ActsOnTheCell(const std::string& key) {
  for (const char* section : {"materials.", "electrode.", "transport.", "kinetics.", "numerics."}) {
    if (key.rfind(section, 0) == 0) return true;
  }
  return key == "test.temperature_C" || key == "test.reference_temperature_C" ||
         key == "test.cutoff_voltage_V" || key == "test.initial_stoichiometry";
}

// The scaling of one numeric scenario key: value x factor, set through the key's own parser so
// units and validation are those of scenario files. Throws ConfigError naming the key.
ParameterScaling ScalingOf(const Scenario& scenario, const std::string& key_name) {
  const ScenarioKey* key = nullptr;
  for (const auto& k : ScenarioKeys()) {
    if (k.name == key_name) key = &k;
  }
  if (key == nullptr) {
    const std::string near = SuggestKey(key_name);
    throw ConfigError("--param '" + key_name + "' is not a scenario key" +
                      (near.empty() ? "" : "; did you mean '" + near + "'?"));
  }
  const std::string text = key->get(scenario);
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size() || !std::isfinite(value)) {
    throw ConfigError("--param '" + key_name + "' is not numeric (value '" + text +
                      "'); expected a numeric scenario key");
  }
  if (!ActsOnTheCell(key_name)) {
    throw ConfigError("--param '" + key_name +
                      "' does not act on the cell model; sensitivity studies scale materials, "
                      "electrode, transport, kinetics, numerics or test temperature/cutoff keys "
                      "(design-space variants are sweeps)");
  }
  return [scenario, key, value, key_name](double factor) {
    Scenario s = scenario;
    try {
      key->set(s, FormatG(value * factor, 17));
    } catch (const ConfigError& e) {
      throw ConfigError(key_name + " x " + FormatG(factor) + ": " + e.what());
    }
    s.cell.Validate();
    return s.cell;
  };
}

// The calibrated parameters of physics.md §4-6, the composition law included.
std::vector<std::string> CalibratedKeys(const Scenario& s) {
  std::vector<std::string> keys = {"transport.reference_resistivity_ohm_m",
                                   "transport.activation_energy_kJ_mol"};
  if (s.cell.transport.law == ConductivityLawKind::kPercolation) {
    keys.push_back("transport.percolation_threshold");
    keys.push_back("transport.percolation_exponent");
  } else {
    keys.push_back("transport.power_law_exponent");
  }
  for (const char* k : {"kinetics.solid_diffusivity_m2_s", "kinetics.exchange_current_A_m2",
                        "kinetics.separator_resistance_ohm_cm2", "materials.particle_radius_um",
                        "electrode.contact_area_factor"}) {
    keys.push_back(k);
  }
  if (s.cell.transport.reference_resistivity_ohm_m == 0) keys[0] = "transport.se_conductivity_S_m";
  return keys;
}

}  // namespace

int RunSensitivity(const std::vector<std::string>& args) {
  CommonOptions common;
  std::string param = "transport.resistivity_factor", factors_text = "0.25,0.5,1,2,4",
              out_dir = "results/sensitivity", robust = "worst";
  std::vector<std::string> design_texts;
  SearchFlags flags;
  double range = 0.3;
  bool quiet = false;
  po::options_description description(
      "edopt sensitivity [--param KEY] [--factors f1,f2,...] [--design D]... [--out DIR]\n"
      "Scales one numeric scenario key (default transport.resistivity_factor) by each factor:\n"
      "re-optimizes and compares the fronts on the pooled designs, follows the given designs\n"
      "(default: the baseline knee and band designs) with elasticities, picks a robust recipe\n"
      "per capacity band, and screens every calibrated parameter one at a time (tornado).\n"
      "Writes DIR/factors.csv, fronts.csv, designs.csv, robust.csv, tornado.csv, summary.md");
  AddCommonOptions(&description, &common);
  AddSearchFlags(&description, &flags, "search budget per factor (default search.evaluations)");
  description.add_options()("param", po::value(&param)->value_name("KEY"),
                            "scenario key to scale (default transport.resistivity_factor)")(
      "factors", po::value(&factors_text)->value_name("F,F,..."),
      "multipliers of the key's value (default 0.25,0.5,1,2,4; 1 is always added)")(
      "design", po::value(&design_texts)->composing()->value_name("D"),
      "design to follow (repeatable; default: the baseline knee and band designs)")(
      "screen-range", po::value(&range)->value_name("R"),
      "tornado: each calibrated parameter x (1 - R) and x (1 + R) (default 0.3)")(
      "robust", po::value(&robust)->value_name("worst|mean"),
      "robust recipe criterion over the factors (default worst)")(
      "out", po::value(&out_dir)->value_name("DIR"), "output folder (default results/sensitivity)")(
      "quiet", po::bool_switch(&quiet), "no progress bar");
  po::variables_map vm;
  if (!ParseCommand(args, description, nullptr, &vm, common.help)) return kExitOk;
  Scenario s = LoadScenario(common);
  const auto factors = ParsePositiveList(factors_text, "--factors");
  if (robust != "worst" && robust != "mean")
    throw ConfigError("--robust '" + robust + "': expected worst or mean");
  if (!(range > 0 && range < 1)) throw ConfigError("--screen-range must be in (0, 1)");
  ApplySearchFlags(vm, flags, &s);
  s.design_space.Validate();
  const ParameterScaling scaling = ScalingOf(s, param);
  for (double f : factors) scaling(f);  // every factor gives a valid cell, or exit 2 now

  SensitivityOptions options;
  options.factors = factors;
  options.space = s.design_space;
  options.search = s.search;
  options.c_rate = s.objective_c_rate;
  options.robust_by_mean = robust == "mean";
  for (const auto& d : design_texts) options.designs.push_back(ParseDesign(d));
  const bool bar = !quiet && ::isatty(STDERR_FILENO);
  const auto r = RunSensitivity(scaling, options, [&](const SensitivityProgress& p) {
    if (bar) std::fprintf(stderr, "\r%-10s %d/%d   ", p.phase, p.done + 1, p.total);
  });
  if (bar) std::fprintf(stderr, "\n");
  // One-at-a-time screen of the calibrated parameters for every followed design.
  std::vector<std::pair<std::string, ParameterScaling>> screen;
  for (const auto& k : CalibratedKeys(s)) screen.emplace_back(k, ScalingOf(s, k));
  std::vector<std::vector<TornadoBar>> tornados;
  for (const auto& d : r.designs)
    tornados.push_back(Tornado(screen, d, s.objective_c_rate, range, s.search.threads));

  // CSVs.
  const size_t nf = r.factors.size();
  std::ostringstream factors_csv, fronts_csv, designs_csv, robust_csv, tornado_csv, md;
  factors_csv << "factor,hypervolume_mAh_cm2,front_size";
  for (double band : s.search.capacity_bands_C_m2) {
    factors_csv << ",utilization_at_" << FormatG(band / kMah, 4) << "_mAh_cm2,layers_at_"
                << FormatG(band / kMah, 4) << "_mAh_cm2";
  }
  factors_csv << "\n";
  for (size_t i = 0; i < nf; ++i) {
    factors_csv << FormatG(r.factors[i], 8) << ',' << FormatG(r.hypervolume[i] / kMah, 8) << ','
                << r.fronts[i].size();
    for (double band : s.search.capacity_bands_C_m2) {
      const int k = IndexAtCapacity(r.fronts[i], band);
      factors_csv << ',' << (k < 0 ? "" : FormatG(r.fronts[i][k].score, 6)) << ','
                  << (k < 0 ? "" : std::to_string(r.fronts[i][k].layer_count));
    }
    factors_csv << "\n";
    for (const auto& e : r.fronts[i]) {
      fronts_csv << FormatG(r.factors[i], 8) << ',' << CsvQuote(FormatDesign(e.design)) << ','
                 << e.layer_count << ',' << FormatG(e.capacity / kMah, 8) << ','
                 << FormatG(e.score, 8) << "\n";
    }
  }
  designs_csv << "design,factor,utilization,elasticity_per_ln_value\n";
  for (size_t k = 0; k < r.designs.size(); ++k) {
    for (size_t i = 0; i < nf; ++i) {
      designs_csv << CsvQuote(FormatDesign(r.designs[k])) << ',' << FormatG(r.factors[i], 8) << ','
                  << FormatG(r.design_utilization[k][i], 8) << ','
                  << FormatG(r.design_elasticity[k][i], 6) << "\n";
    }
  }
  robust_csv << "capacity_target_mAh_cm2,role,design,capacity_mAh_cm2,worst_utilization,mean_"
                "utilization";
  for (double f : r.factors) robust_csv << ",utilization_x" << FormatG(f, 4);
  robust_csv << "\n";
  for (const auto& c : r.robust) {
    if (!c.found) continue;
    for (int role = 0; role < 2; ++role) {
      const Design& d = role == 0 ? c.robust : c.nominal;
      const auto& u = role == 0 ? c.robust_utilization : c.nominal_utilization;
      robust_csv
          << FormatG(c.capacity_target_C_m2 / kMah, 4) << ',' << (role == 0 ? "robust" : "nominal")
          << ',' << CsvQuote(FormatDesign(d)) << ','
          << FormatG(
                 SummarizeDesign(s.cell.materials, s.cell.packing, d).theoretical_capacity_C_m2 /
                     kMah,
                 6)
          << ',' << FormatG(role == 0 ? c.robust_worst : c.nominal_worst, 6) << ','
          << FormatG(role == 0 ? c.robust_mean : c.nominal_mean, 6);
      for (double v : u) robust_csv << ',' << FormatG(v, 6);
      robust_csv << "\n";
    }
  }
  tornado_csv << "design,parameter,low_factor,high_factor,utilization_low,utilization_nominal,"
                 "utilization_high,swing\n";
  for (size_t k = 0; k < tornados.size(); ++k) {
    for (const auto& b : tornados[k]) {
      tornado_csv << CsvQuote(FormatDesign(r.designs[k])) << ',' << b.parameter << ','
                  << FormatG(b.low_factor, 4) << ',' << FormatG(b.high_factor, 4) << ','
                  << FormatG(b.utilization_low, 6) << ',' << FormatG(b.utilization_nominal, 6)
                  << ',' << FormatG(b.utilization_high, 6) << ',' << FormatG(b.swing(), 6) << "\n";
    }
  }
  // summary.md
  char line[512];
  md << "# edopt sensitivity: " << param << " x {";
  for (size_t i = 0; i < nf; ++i) md << (i ? ", " : "") << FormatG(r.factors[i], 4);
  md << "}\n\nScenario " << s.name << "; objective utilization at "
     << FormatG(s.objective_c_rate, 3) << "C; " << r.evaluations << " model evaluations, "
     << FormatG(r.seconds, 3) << " s. Fronts are compared on the pool of " << r.pool.size()
     << " designs found by a search at every factor, each evaluated at every factor.\n\n";
  md << "## Fronts\n\n| factor | hypervolume mAh/cm2 | front size |";
  for (double band : s.search.capacity_bands_C_m2)
    md << " util. >= " << FormatG(band / kMah, 3) << " (layers) |";
  md << "\n|---|---|---|";
  for (size_t b = 0; b < s.search.capacity_bands_C_m2.size(); ++b) md << "---|";
  md << "\n";
  for (size_t i = 0; i < nf; ++i) {
    std::snprintf(line, sizeof line, "| %.4g | %.4f | %zu |", r.factors[i], r.hypervolume[i] / kMah,
                  r.fronts[i].size());
    md << line;
    for (double band : s.search.capacity_bands_C_m2) {
      const int k = IndexAtCapacity(r.fronts[i], band);
      if (k < 0) {
        md << " none |";
      } else {
        std::snprintf(line, sizeof line, " %.3f (%d) |", r.fronts[i][k].score,
                      r.fronts[i][k].layer_count);
        md << line;
      }
    }
    md << "\n";
  }
  md << "\n## Designs at every factor (utilization; elasticity d util / d ln value)\n\n| design |";
  for (double f : r.factors) md << " x" << FormatG(f, 3) << " |";
  md << "\n|---|";
  for (size_t i = 0; i < nf; ++i) md << "---|";
  md << "\n";
  for (size_t k = 0; k < r.designs.size(); ++k) {
    md << "| " << FormatDesign(r.designs[k]) << " |";
    for (size_t i = 0; i < nf; ++i) {
      std::snprintf(line, sizeof line, " %.3f (%+.3f) |", r.design_utilization[k][i],
                    r.design_elasticity[k][i]);
      md << line;
    }
    md << "\n";
  }
  md << "\n## Robust recipe per capacity band (" << robust
     << " case over the factors)\n\n"
        "| capacity >= | robust design | its worst / mean | nominal optimum | its worst / mean |\n"
        "|---|---|---|---|---|\n";
  for (const auto& c : r.robust) {
    if (!c.found) continue;
    std::snprintf(line, sizeof line, "| %.3g | %s | %.3f / %.3f | %s | %.3f / %.3f |\n",
                  c.capacity_target_C_m2 / kMah, FormatDesign(c.robust).c_str(), c.robust_worst,
                  c.robust_mean, FormatDesign(c.nominal).c_str(), c.nominal_worst, c.nominal_mean);
    md << line;
  }
  if (!tornados.empty()) {
    md << "\n## One-at-a-time screen of the calibrated parameters (x " << FormatG(1 - range, 3)
       << " and x " << FormatG(1 + range, 3)
       << "): utilization at low / high, per design\n\n| parameter |";
    for (const auto& d : r.designs) md << " " << FormatDesign(d) << " |";
    md << "\n|---|";
    for (size_t k = 0; k < r.designs.size(); ++k) md << "---|";
    md << "\n";
    for (const auto& key : CalibratedKeys(s)) {
      md << "| " << key << " |";
      for (const auto& bars : tornados) {
        for (const auto& b : bars) {
          if (b.parameter != key) continue;
          std::snprintf(line, sizeof line, " %.3f / %.3f |", b.utilization_low, b.utilization_high);
          md << line;
        }
      }
      md << "\n";
    }
    if (s.cell.transport.law == ConductivityLawKind::kPercolation)
      md << "\nThe conductivity law is relative to the measured composition, so it moves only "
            "layers of other compositions. It is a prior unless `edopt calibrate eis` fitted it "
            "over several compositions.\n";
  }

  namespace fs = std::filesystem;
  const fs::path dir(out_dir);
  WriteFileAtomically((dir / "factors.csv").string(), factors_csv.str());
  WriteFileAtomically(
      (dir / "fronts.csv").string(),
      "factor,design,layer_count,theoretical_capacity_mAh_cm2,utilization\n" + fronts_csv.str());
  WriteFileAtomically((dir / "designs.csv").string(), designs_csv.str());
  WriteFileAtomically((dir / "robust.csv").string(), robust_csv.str());
  WriteFileAtomically((dir / "tornado.csv").string(), tornado_csv.str());
  WriteFileAtomically((dir / "summary.md").string(), md.str());
  std::cout << md.str();
  std::cerr << "wrote " << out_dir
            << "/{factors.csv,fronts.csv,designs.csv,robust.csv,tornado.csv,summary.md}\n";
  return kExitOk;
}

}  // namespace edopt
