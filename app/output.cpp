#include "app/output.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <set>
#include <sstream>

#include "models/units.h"

namespace edopt {

std::string CsvQuote(const std::string& text) {
  std::string out = "\"";
  for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

void PrintWarnings(const std::vector<std::string>& warnings) {
  static std::set<std::string> printed;  // once per run: the same warning for every design is noise
  for (const auto& w : warnings) {
    if (printed.insert(w).second) std::cerr << "warning: " << w << "\n";
  }
}

void ProgressLine(const char* phase, int done, int total) {
  std::fprintf(stderr, "\r%-10s %d/%d   ", phase, done, total);
}

nlohmann::ordered_json SummaryJson(const Summary& summary) {
  nlohmann::ordered_json j;
  j["termination"] = ToString(summary.termination);
  j["message"] = summary.message;
  j["evaluations"] = summary.evaluations;
  j["seconds"] = JsonNumber(summary.seconds, 6);
  return j;
}

double JsonNumber(double value, int digits) {
  return std::isfinite(value) ? std::strtod(FormatG(value, digits).c_str(), nullptr) : value;
}

std::string FormatRecipe(const Recipe& recipe, const Design& design) {
  std::ostringstream os;
  char line[320];
  const auto& s = recipe.summary;
  const char* active = recipe.active_label.c_str();
  const char* se = recipe.se_label.c_str();
  os << "recipe for " << FormatDesign(design) << "\n";
  std::snprintf(line, sizeof line,
                "electrode: %.4g um, %.4g mg/cm2 composite, mean %s fraction %.3f, %.4g mAh/cm2 "
                "(%.4g mAh per %.4g cm2 pellet), %.4g mAh/cm3\n",
                s.thickness_m * 1e6, s.composite_mass_kg_m2 * 1e2, active,
                s.mean_ng_weight_fraction, s.theoretical_capacity_C_m2 / kC_m2_per_mAh_cm2,
                s.theoretical_capacity_C_m2 * recipe.area_m2 / 3.6, recipe.area_m2 * 1e4,
                s.volumetric_capacity_C_m3 / 3.6e6);
  os << line;
  os << "deposit in this order onto the pre-pressed SE pellet (1 = separator side), then press:\n";
  const std::string ratio_head = std::string(active) + ":" + se + (recipe.has_carbon ? ":C" : "");
  const std::string a_mg = std::string(active) + "_mg", s_mg = std::string(se) + "_mg";
  const std::string ba_mg = "batch_" + a_mg, bs_mg = "batch_" + s_mg;
  if (recipe.has_carbon) {
    std::snprintf(line, sizeof line, "%5s %14s %12s %14s %16s %12s %13s %10s %14s %14s %12s %16s\n",
                  "order", ratio_head.c_str(), "thickness_um", "mass_mg_cm2", "mass_per_pellet_mg",
                  a_mg.c_str(), s_mg.c_str(), "C_mg", ba_mg.c_str(), bs_mg.c_str(), "batch_C_mg",
                  "capacity_mAh_cm2");
  } else {
    std::snprintf(line, sizeof line, "%5s %7s %12s %14s %16s %12s %13s %14s %14s %16s\n", "order",
                  ratio_head.c_str(), "thickness_um", "mass_mg_cm2", "mass_per_pellet_mg",
                  a_mg.c_str(), s_mg.c_str(), ba_mg.c_str(), bs_mg.c_str(), "capacity_mAh_cm2");
  }
  os << line;
  for (const auto& l : recipe.layers) {
    char ratio[48];
    if (recipe.has_carbon) {
      std::snprintf(ratio, sizeof ratio, "%.3g:%.3g:%.3g", 100 * l.ng_weight_fraction,
                    100 * (1 - l.ng_weight_fraction - l.carbon_weight_fraction),
                    100 * l.carbon_weight_fraction);
      std::snprintf(line, sizeof line,
                    "%5d %14s %12.4g %14.4f %16.3f %12.3f %13.3f %10.3f %14.2f %14.2f %12.2f "
                    "%16.4f\n",
                    l.deposition_order, ratio, l.thickness_m * 1e6, l.composite_mass_kg_m2 * 1e2,
                    l.composite_mass_per_pellet_kg * 1e6, l.ng_mass_per_pellet_kg * 1e6,
                    l.se_mass_per_pellet_kg * 1e6, l.carbon_mass_per_pellet_kg * 1e6,
                    l.batch_ng_mass_kg * 1e6, l.batch_se_mass_kg * 1e6,
                    l.batch_carbon_mass_kg * 1e6, l.theoretical_capacity_C_m2 / kC_m2_per_mAh_cm2);
    } else {
      std::snprintf(ratio, sizeof ratio, "%.3g:%.3g", 100 * l.ng_weight_fraction,
                    100 * (1 - l.ng_weight_fraction));
      std::snprintf(line, sizeof line,
                    "%5d %7s %12.4g %14.4f %16.3f %12.3f %13.3f %14.2f %14.2f %16.4f\n",
                    l.deposition_order, ratio, l.thickness_m * 1e6, l.composite_mass_kg_m2 * 1e2,
                    l.composite_mass_per_pellet_kg * 1e6, l.ng_mass_per_pellet_kg * 1e6,
                    l.se_mass_per_pellet_kg * 1e6, l.batch_ng_mass_kg * 1e6,
                    l.batch_se_mass_kg * 1e6, l.theoretical_capacity_C_m2 / kC_m2_per_mAh_cm2);
    }
    os << line;
  }
  std::snprintf(
      line, sizeof line,
      "masses assume the apparent density of the scenario (%.4g g/cm3); batch columns mix "
      "%.4g mg of composite per layer\n",
      recipe.layers.empty() ? 0.0 : recipe.layers.front().apparent_density_kg_m3 * 1e-3,
      recipe.batch_mass_kg * 1e6);
  os << line;
  return os.str();
}

}  // namespace edopt
