// edopt simulate: constant-current lithiation of one or more designs at one or more C-rates.
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "app/cli.h"
#include "app/data_files.h"
#include "models/cell_model.h"
#include "models/errors.h"
#include "models/units.h"

namespace po = boost::program_options;

namespace edopt {

int RunSimulate(const std::vector<std::string>& args) {
  CommonOptions common;
  std::vector<std::string> designs;
  std::vector<std::string> rates;
  std::string curve_file;
  bool json = false;
  po::options_description description(
      "edopt simulate [--design D]... [--rate R]... [--curve FILE] [--json]\n"
      "Constant-current lithiation of each design (layers from separator to collector,\n"
      "NG:LPS@thickness_um, e.g. 5:5@33,6:4@33,7:3@33) at each C-rate.\n"
      "Default designs: the scenario's test.reference_designs; default rates: test.c_rates");
  AddCommonOptions(&description, &common);
  description.add_options()("design", po::value(&designs)->composing()->value_name("D"),
                            "design (repeatable)")("rate",
                                                   po::value(&rates)->composing()->value_name("R"),
                                                   "C-rate, 1/h (repeatable, or comma-separated)")(
      "curve", po::value(&curve_file)->value_name("FILE"),
      "write voltage curves to FILE (CSV) and the final lithiation profile to FILE's stem + "
      "_profile.csv")("json", po::bool_switch(&json), "print one JSON object instead of the table");
  po::variables_map vm;
  if (!ParseCommand(args, description, nullptr, &vm, common.help)) return kExitOk;
  const Scenario scenario = LoadScenario(common);
  std::vector<Design> parsed;
  for (const auto& d : designs) parsed.push_back(ParseDesign(d));
  if (parsed.empty()) parsed = scenario.reference_designs;
  if (parsed.empty())
    throw ConfigError("no --design given and the scenario lists no test.reference_designs");
  std::vector<double> c_rates;
  for (const auto& r : rates) {
    for (double v : ParsePositiveList(r, "--rate")) c_rates.push_back(v);
  }
  if (c_rates.empty()) c_rates = scenario.c_rates;

  const CellModel model(scenario.cell);
  SimulationOptions options;
  options.record_curve = !curve_file.empty();
  options.record_profile = !curve_file.empty();
  std::ostringstream table, jout, curve, profile;
  curve << "design,c_rate,time_s,capacity_mAh_cm2,voltage_V\n";
  profile << "design,c_rate,x_um,layer,mean_stoichiometry,surface_stoichiometry,reaction_current_A_"
             "cm3,electrolyte_potential_V\n";
  jout << "{\"convention\": \"lithiation of the NG composite vs Li; utilization = delivered / "
          "theoretical\", \"designs\": [";
  bool numerical_failure = false;
  for (size_t d = 0; d < parsed.size(); ++d) {
    const Design& design = parsed[d];
    const std::string name = FormatDesign(design);
    const auto summary = SummarizeDesign(scenario.cell.materials, scenario.cell.packing, design);
    PrintWarnings(model.Warnings(design));
    table << "design " << name << ": " << design.layers.size() << " layer(s), "
          << FormatG(summary.thickness_m * 1e6, 4) << " um, mean NG fraction "
          << FormatG(summary.mean_ng_weight_fraction, 3) << ", "
          << FormatG(summary.theoretical_capacity_C_m2 / kC_m2_per_mAh_cm2, 4) << " mAh/cm2, "
          << FormatG(summary.volumetric_capacity_C_m3 / kC_m2_per_mAh_cm2 * 1e-2, 4)
          << " mAh/cm3\n";
    char line[200];
    std::snprintf(line, sizeof line, "  %8s %20s %18s %12s  %s\n", "c_rate", "theoretical_mAh_cm2",
                  "delivered_mAh_cm2", "utilization", "end_reason");
    table << line;
    jout << (d ? ", " : "") << "{\"design\": \"" << name
         << "\", \"layer_count\": " << design.layers.size()
         << ", \"thickness_um\": " << FormatG(summary.thickness_m * 1e6, 8)
         << ", \"mean_ng_weight_fraction\": " << FormatG(summary.mean_ng_weight_fraction, 8)
         << ", \"volumetric_capacity_mAh_cm3\": "
         << FormatG(summary.volumetric_capacity_C_m3 / 3.6e6, 8) << ", \"results\": [";
    for (size_t r = 0; r < c_rates.size(); ++r) {
      const auto result = model.Simulate(design, c_rates[r], options);
      numerical_failure |= result.end_reason == EndReason::kNumericalFailure;
      std::snprintf(line, sizeof line, "  %8.3g %20.4f %18.4f %12.4f  %s\n", c_rates[r],
                    result.theoretical_capacity_C_m2 / kC_m2_per_mAh_cm2,
                    result.delivered_capacity_C_m2 / kC_m2_per_mAh_cm2, result.utilization,
                    ToString(result.end_reason));
      table << line;
      jout << (r ? ", " : "") << "{\"c_rate\": " << FormatG(c_rates[r], 8)
           << ", \"theoretical_capacity_mAh_cm2\": "
           << FormatG(result.theoretical_capacity_C_m2 / kC_m2_per_mAh_cm2, 10)
           << ", \"delivered_capacity_mAh_cm2\": "
           << FormatG(result.delivered_capacity_C_m2 / kC_m2_per_mAh_cm2, 10)
           << ", \"utilization\": " << FormatG(result.utilization, 10) << ", \"end_reason\": \""
           << ToString(result.end_reason) << "\""
           << ", \"end_time_s\": " << FormatG(result.end_time_s, 10)
           << ", \"initial_voltage_V\": " << FormatG(result.initial_voltage_V, 10) << "}";
      for (const auto& p : result.curve) {
        curve << CsvQuote(name) << ',' << c_rates[r] << ',' << FormatG(p.time_s, 10) << ','
              << FormatG(p.capacity_C_m2 / kC_m2_per_mAh_cm2, 10) << ',' << FormatG(p.voltage_V, 10)
              << '\n';
      }
      for (const auto& p : result.profile) {
        profile << CsvQuote(name) << ',' << c_rates[r] << ',' << FormatG(p.x_m * 1e6, 8) << ','
                << p.layer + 1 << ',' << FormatG(p.mean_stoichiometry, 8) << ','
                << FormatG(p.surface_stoichiometry, 8) << ','
                << FormatG(p.reaction_current_A_m3 * 1e-6, 8) << ','
                << FormatG(p.electrolyte_potential_V, 8) << '\n';
      }
    }
    jout << "]}";
  }
  jout << "]}";
  if (json) {
    // One design: the object of the contract; several: the list under "designs".
    if (parsed.size() == 1) {
      const std::string all = jout.str();
      const auto start = all.find("{\"design\"");
      std::cout << all.substr(start, all.size() - start - 2) << "\n";
    } else {
      std::cout << jout.str() << "\n";
    }
  } else {
    std::cout << table.str();
  }
  if (!curve_file.empty()) {
    WriteFileAtomically(curve_file, curve.str());
    const std::filesystem::path p(curve_file);
    const auto profile_file = (p.parent_path() / (p.stem().string() + "_profile.csv")).string();
    WriteFileAtomically(profile_file, profile.str());
    std::cerr << "wrote " << curve_file << " and " << profile_file << "\n";
  }
  return numerical_failure ? kExitNumerical : kExitOk;
}

}  // namespace edopt
