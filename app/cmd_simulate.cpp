// edopt simulate: constant-current lithiation of one or more designs at one or more C-rates.
// Parses options, simulates each design at each rate (models/cell_model.h), writes the table or
// JSON and, on request, the curves and profiles.
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "app/cli.h"
#include "formats/files.h"
#include "formats/manifest.h"
#include "formats/simulation_files.h"
#include "models/cell_model.h"
#include "models/errors.h"
#include "models/materials.h"
#include "models/units.h"
#include "optimizer/simulation.h"

namespace po = boost::program_options;

namespace edopt {

namespace {

constexpr double kMah = kC_m2_per_mAh_cm2;

std::string Table(const std::vector<Simulated>& all, const std::string& active) {
  std::ostringstream table;
  char line[200];
  for (const auto& s : all) {
    table << "design " << FormatDesign(s.design) << ": " << s.design.layers.size() << " layer(s), "
          << FormatG(s.summary.thickness_m * 1e6, 4) << " um, mean " << active << " fraction "
          << FormatG(s.summary.mean_active_weight_fraction, 3) << ", "
          << FormatG(s.summary.theoretical_capacity_C_m2 / kMah, 4) << " mAh/cm2, "
          << FormatG(s.summary.volumetric_capacity_C_m3 / kMah * 1e-2, 4) << " mAh/cm3\n";
    const bool intervals = !s.intervals.empty();
    std::snprintf(line, sizeof line, "  %8s %20s %18s %12s %17s  %s\n", "c_rate",
                  "theoretical_mAh_cm2", "delivered_mAh_cm2", "utilization",
                  intervals ? "95% interval" : "", "end_reason");
    table << line;
    for (size_t k = 0; k < s.results.size(); ++k) {
      const auto& r = s.results[k];
      char interval[40] = "";
      if (intervals) {
        if (std::isnan(s.intervals[k].low)) {
          std::snprintf(interval, sizeof interval, "-");
        } else {
          std::snprintf(interval, sizeof interval, "%.3f-%.3f", s.intervals[k].low,
                        s.intervals[k].high);
        }
      }
      std::snprintf(line, sizeof line, "  %8.3g %20.4f %18.4f %12.4f %17s  %s\n", r.c_rate,
                    r.theoretical_capacity_C_m2 / kMah, r.delivered_capacity_C_m2 / kMah,
                    r.utilization, interval, ToString(r.end_reason));
      table << line;
    }
  }
  return table.str();
}

}  // namespace

int RunSimulate(const std::vector<std::string>& args) {
  CommonOptions common;
  std::vector<std::string> design_texts, rate_texts;
  std::string curve_file;
  bool json = false;
  po::options_description description(
      "edopt simulate [--design D]... [--rate R]... [--curve FILE] [--json]\n"
      "Constant-current lithiation of each design (layers from separator to collector,\n"
      "NG:LPS@thickness_um, e.g. 5:5@33,6:4@33,7:3@33) at each C-rate.\n"
      "Default designs: the scenario's test.reference_designs; default rates: test.c_rates");
  AddCommonOptions(&description, &common);
  description.add_options()("design", po::value(&design_texts)->composing()->value_name("D"),
                            "design (repeatable)")(
      "rate", po::value(&rate_texts)->composing()->value_name("R"),
      "C-rate, 1/h (repeatable, or comma-separated)")(
      "curve", po::value(&curve_file)->value_name("FILE"),
      "write voltage curves to FILE (CSV) and the final lithiation profile to FILE's stem + "
      "_profile.csv")("json", po::bool_switch(&json), "print one JSON object instead of the table");
  po::variables_map vm;
  if (!ParseCommand(args, description, nullptr, &vm, common.help)) return kExitOk;
  const Scenario scenario = LoadScenario(common);
  std::vector<Design> designs;
  for (const auto& d : design_texts) designs.push_back(ParseDesign(d));
  if (designs.empty()) designs = scenario.reference_designs;
  if (designs.empty())
    throw ConfigError("no --design given and the scenario lists no test.reference_designs");
  std::vector<double> c_rates;
  for (const auto& r : rate_texts) {
    for (double v : ParsePositiveList(r, "--rate", kCRateRange)) c_rates.push_back(v);
  }
  if (c_rates.empty()) c_rates = scenario.c_rates;

  if (!curve_file.empty()) CheckOutputFile(curve_file, "--curve");
  const SimulationRun run =
      SimulateDesigns(scenario.cell, scenario.posterior, designs, c_rates, !curve_file.empty());
  PrintWarnings(run.warnings);
  const std::vector<Simulated>& all = run.designs;
  std::vector<NamedText> outputs;
  if (!curve_file.empty()) {
    const std::filesystem::path p(curve_file);
    const auto profile_file = (p.parent_path() / (p.stem().string() + "_profile.csv")).string();
    outputs = {{curve_file, CurveCsv(all)}, {profile_file, ProfileCsv(all)}};
    PublishFiles(outputs, &scenario);
    std::cerr << "wrote " << curve_file << ", " << profile_file << " and "
              << curve_file + ".manifest.json\n";
  }
  std::cout << (json ? WithManifestJson(SimulationJson(all, ActiveLabel(scenario.cell.materials)),
                                        &scenario, outputs)
                     : Table(all, ActiveLabel(scenario.cell.materials)));
  return run.numerical_failure ? kExitNumerical : kExitOk;
}

}  // namespace edopt
