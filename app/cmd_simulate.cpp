// edopt simulate: constant-current lithiation of one or more designs at one or more C-rates.
// Parses options, simulates each design at each rate (models/cell_model.h), writes the table or
// JSON and, on request, the curves and profiles.
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>

#include "app/cli.h"
#include "app/formats/files.h"
#include "app/manifest.h"
#include "models/cell_model.h"
#include "models/errors.h"
#include "models/materials.h"
#include "models/units.h"
#include "optimizer/posterior_predictive.h"

namespace po = boost::program_options;

namespace edopt {

namespace {

constexpr double kMah = kC_m2_per_mAh_cm2;

// Draws a prediction's interval is made of (evenly through the posterior sample).
constexpr int kIntervalDraws = 200;

std::string Table(const std::vector<Simulated>& all, const std::string& active) {
  std::ostringstream table;
  char line[200];
  for (const auto& s : all) {
    table << "design " << FormatDesign(s.design) << ": " << s.design.layers.size() << " layer(s), "
          << FormatG(s.summary.thickness_m * 1e6, 4) << " um, mean " << active << " fraction "
          << FormatG(s.summary.mean_ng_weight_fraction, 3) << ", "
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

nlohmann::ordered_json SimulatedJson(const Simulated& s) {
  nlohmann::ordered_json j;
  j["design"] = FormatDesign(s.design);
  j["layer_count"] = s.design.layers.size();
  j["thickness_um"] = JsonNumber(s.summary.thickness_m * 1e6, 8);
  j["mean_ng_weight_fraction"] = JsonNumber(s.summary.mean_ng_weight_fraction, 8);
  j["volumetric_capacity_mAh_cm3"] = JsonNumber(s.summary.volumetric_capacity_C_m3 / 3.6e6, 8);
  j["results"] = nlohmann::ordered_json::array();
  for (size_t k = 0; k < s.results.size(); ++k) {
    const auto& r = s.results[k];
    nlohmann::ordered_json o;
    o["c_rate"] = JsonNumber(r.c_rate, 8);
    o["theoretical_capacity_mAh_cm2"] = JsonNumber(r.theoretical_capacity_C_m2 / kMah, 10);
    o["delivered_capacity_mAh_cm2"] = JsonNumber(r.delivered_capacity_C_m2 / kMah, 10);
    o["utilization"] = JsonNumber(r.utilization, 10);
    if (!s.intervals.empty()) {
      o["utilization_interval_95"] = {JsonNumber(s.intervals[k].low, 6),
                                      JsonNumber(s.intervals[k].high, 6)};
    }
    o["end_reason"] = ToString(r.end_reason);
    o["end_time_s"] = JsonNumber(r.end_time_s, 10);
    o["initial_voltage_V"] = JsonNumber(r.initial_voltage_V, 10);
    j["results"].push_back(o);
  }
  return j;
}

std::vector<Simulated> SimulateDesigns(const Scenario& scenario, const std::vector<Design>& designs,
                                       const std::vector<double>& c_rates, bool record) {
  const CellModel model(scenario.cell);
  const PosteriorSample posterior = scenario.posterior.Thinned(kIntervalDraws);
  SimulationOptions options;
  options.record_curve = options.record_profile = record;
  std::vector<Simulated> all;
  for (const auto& design : designs) {
    all.push_back(
        {design, SummarizeDesign(scenario.cell.materials, scenario.cell.packing, design), {}, {}});
    for (double c : c_rates) {
      all.back().results.push_back(model.Simulate(design, c, options));
      if (!posterior.empty()) {
        const auto draws = UtilizationDraws(scenario.cell, posterior, design, c, 0);
        PredictiveInterval interval = MeasurementInterval(draws, posterior.noise_pp);
        if (all.back().results.back().end_reason == EndReason::kNumericalFailure) {
          // No nominal result: an interval around it would pretend there is one.
          interval.low = interval.high = std::numeric_limits<double>::quiet_NaN();
        }
        all.back().intervals.push_back(interval);
      }
    }
  }
  return all;
}

namespace {

// One design: the object of the contract; several: the list under "designs".
std::string Json(const std::vector<Simulated>& all, const std::string& active) {
  if (all.size() == 1) return SimulatedJson(all[0]).dump(2) + "\n";
  nlohmann::ordered_json j;
  j["convention"] =
      active == "NG"
          ? "lithiation of the NG composite vs Li; utilization = delivered / theoretical"
          : "lithiation (discharge) of the " + active +
                " composite vs the counter electrode; utilization = delivered / practical";
  j["designs"] = nlohmann::ordered_json::array();
  for (const auto& s : all) j["designs"].push_back(SimulatedJson(s));
  return j.dump(2) + "\n";
}

std::string CurveCsv(const std::vector<Simulated>& all) {
  std::ostringstream curve;
  curve << "design,c_rate,time_s,capacity_mAh_cm2,voltage_V\n";
  for (const auto& s : all) {
    const std::string name = CsvQuote(FormatDesign(s.design));
    for (const auto& r : s.results) {
      for (const auto& p : r.curve) {
        curve << name << ',' << r.c_rate << ',' << FormatG(p.time_s, 10) << ','
              << FormatG(p.capacity_C_m2 / kMah, 10) << ',' << FormatG(p.voltage_V, 10) << '\n';
      }
    }
  }
  return curve.str();
}

std::string ProfileCsv(const std::vector<Simulated>& all) {
  std::ostringstream profile;
  profile << "design,c_rate,x_um,layer,mean_stoichiometry,surface_stoichiometry,reaction_current_"
             "A_cm3,electrolyte_potential_V\n";
  for (const auto& s : all) {
    const std::string name = CsvQuote(FormatDesign(s.design));
    for (const auto& r : s.results) {
      for (const auto& p : r.profile) {
        profile << name << ',' << r.c_rate << ',' << FormatG(p.x_m * 1e6, 8) << ',' << p.layer + 1
                << ',' << FormatG(p.mean_stoichiometry, 8) << ','
                << FormatG(p.surface_stoichiometry, 8) << ','
                << FormatG(p.reaction_current_A_m3 * 1e-6, 8) << ','
                << FormatG(p.electrolyte_potential_V, 8) << '\n';
      }
    }
  }
  return profile.str();
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
  const CellModel model(scenario.cell);
  for (const auto& design : designs) PrintWarnings(model.Warnings(design));
  const std::vector<Simulated> all =
      SimulateDesigns(scenario, designs, c_rates, !curve_file.empty());
  bool numerical_failure = false;
  std::vector<std::string> warnings;
  for (const auto& s : all) {
    for (const auto& r : s.results)
      numerical_failure |= r.end_reason == EndReason::kNumericalFailure;
    for (size_t k = 0; k < s.intervals.size(); ++k) {
      const auto& i = s.intervals[k];
      if (i.failed_draws == 0) continue;
      warnings.push_back(
          FormatDesign(s.design) + " at " + FormatG(s.results[k].c_rate, 3) +
          "C: " + std::to_string(i.failed_draws) + " of " + std::to_string(i.draws) +
          " posterior draws failed numerically; " +
          (i.failed_draws == i.draws
               ? std::string("no interval")
               : "the interval is of the other " + std::to_string(i.draws - i.failed_draws)));
    }
  }
  PrintWarnings(warnings);
  std::vector<NamedText> outputs;
  if (!curve_file.empty()) {
    const std::filesystem::path p(curve_file);
    const auto profile_file = (p.parent_path() / (p.stem().string() + "_profile.csv")).string();
    outputs = {{curve_file, CurveCsv(all)}, {profile_file, ProfileCsv(all)}};
    PublishFiles(outputs, &scenario);
    std::cerr << "wrote " << curve_file << ", " << profile_file << " and "
              << curve_file + ".manifest.json\n";
  }
  std::cout << (json ? WithManifestJson(Json(all, ActiveLabel(scenario.cell.materials)), &scenario,
                                        outputs)
                     : Table(all, ActiveLabel(scenario.cell.materials)));
  return numerical_failure ? kExitNumerical : kExitOk;
}

}  // namespace edopt
