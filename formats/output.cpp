#include "formats/output.h"

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
                s.mean_active_weight_fraction, s.theoretical_capacity_C_m2 / kC_m2_per_mAh_cm2,
                s.theoretical_capacity_C_m2 * recipe.area_m2 / 3.6, recipe.area_m2 * 1e4,
                s.volumetric_capacity_C_m3 / 3.6e6);
  os << line;
  os << "powders: " << recipe.active_label << " D50 " << FormatG(recipe.active_d50_m * 1e6, 3)
     << " um, " << recipe.se_label << " D50 "
     << (recipe.se_d50_m > 0 ? FormatG(recipe.se_d50_m * 1e6, 3) + " um" : "not given")
     << " (the sizes the prediction assumes; no layer thinner than "
     << FormatG(recipe.largest_particle_m * 1e6, 3) << " um)\n";
  os << "deposit in this order onto the pre-pressed SE pellet (1 = separator side), then press:\n";
  // One table, with the carbon columns where a layer holds carbon.
  const bool carbon = recipe.has_carbon;
  std::string row;
  auto put = [&row](const char* format, auto value) {
    char cell[64];
    std::snprintf(cell, sizeof cell, format, value);
    row += cell;
  };
  const std::string a = active, e = se;
  put("%5s", "order");
  put(carbon ? " %14s" : " %7s", (a + ":" + e + (carbon ? ":C" : "")).c_str());
  put(" %12s", "thickness_um");
  put(" %14s", "mass_mg_cm2");
  put(" %16s", "mass_per_pellet_mg");
  put(" %12s", (a + "_mg").c_str());
  put(" %13s", (e + "_mg").c_str());
  if (carbon) put(" %10s", "C_mg");
  put(" %14s", ("batch_" + a + "_mg").c_str());
  put(" %14s", ("batch_" + e + "_mg").c_str());
  if (carbon) put(" %12s", "batch_C_mg");
  put(" %16s\n", "capacity_mAh_cm2");
  for (const auto& l : recipe.layers) {
    os << row;
    row.clear();
    char ratio[48];
    std::snprintf(ratio, sizeof ratio, "%.3g:%.3g", 100 * l.active_weight_fraction,
                  100 * (1 - l.active_weight_fraction - l.carbon_weight_fraction));
    std::string ratio_text = ratio;
    if (carbon) {
      std::snprintf(ratio, sizeof ratio, ":%.3g", 100 * l.carbon_weight_fraction);
      ratio_text += ratio;
    }
    put("%5d", l.deposition_order);
    put(carbon ? " %14s" : " %7s", ratio_text.c_str());
    put(" %12.4g", l.thickness_m * 1e6);
    put(" %14.4f", l.composite_mass_kg_m2 * 1e2);
    put(" %16.3f", l.composite_mass_per_pellet_kg * 1e6);
    put(" %12.3f", l.active_mass_per_pellet_kg * 1e6);
    put(" %13.3f", l.se_mass_per_pellet_kg * 1e6);
    if (carbon) put(" %10.3f", l.carbon_mass_per_pellet_kg * 1e6);
    put(" %14.2f", l.batch_active_mass_kg * 1e6);
    put(" %14.2f", l.batch_se_mass_kg * 1e6);
    if (carbon) put(" %12.2f", l.batch_carbon_mass_kg * 1e6);
    put(" %16.4f\n", l.theoretical_capacity_C_m2 / kC_m2_per_mAh_cm2);
  }
  os << row;
  std::snprintf(
      line, sizeof line,
      "masses assume the apparent density of the scenario (%.4g g/cm3); batch columns mix "
      "%.4g mg of composite per layer\n",
      recipe.layers.empty() ? 0.0 : recipe.layers.front().apparent_density_kg_m3 * 1e-3,
      recipe.batch_mass_kg * 1e6);
  os << line;
  return os.str();
}

nlohmann::ordered_json RecipeJson(const Recipe& recipe, const Design& design) {
  const auto& s = recipe.summary;
  constexpr double kMah = kC_m2_per_mAh_cm2;
  auto mg = [](double kg) { return JsonNumber(kg * 1e6, 8); };
  nlohmann::ordered_json j;
  j["design"] = FormatDesign(design);
  j["active_material"] = recipe.active_label;
  j["electrolyte"] = recipe.se_label;
  j["pellet_area_cm2"] = JsonNumber(recipe.area_m2 * 1e4, 8);
  j["batch_mg"] = mg(recipe.batch_mass_kg);
  j["thickness_um"] = JsonNumber(s.thickness_m * 1e6, 8);
  j["composite_mg_cm2"] = JsonNumber(s.composite_mass_kg_m2 * 1e2, 8);
  j["mean_active_weight_fraction"] = JsonNumber(s.mean_active_weight_fraction, 8);
  j["theoretical_capacity_mAh_cm2"] = JsonNumber(s.theoretical_capacity_C_m2 / kMah, 8);
  j["capacity_mAh_per_pellet"] = JsonNumber(s.theoretical_capacity_C_m2 * recipe.area_m2 / 3.6, 8);
  j["volumetric_capacity_mAh_cm3"] = JsonNumber(s.volumetric_capacity_C_m3 / 3.6e6, 8);
  j["active_d50_um"] = JsonNumber(recipe.active_d50_m * 1e6, 8);
  j["se_d50_um"] = nullptr;  // not given
  if (recipe.se_d50_m > 0) j["se_d50_um"] = JsonNumber(recipe.se_d50_m * 1e6, 8);
  j["largest_particle_um"] = JsonNumber(recipe.largest_particle_m * 1e6, 8);
  j["layers"] = nlohmann::ordered_json::array();
  for (const auto& l : recipe.layers) {
    nlohmann::ordered_json o;
    o["deposition_order"] = l.deposition_order;
    o["active_weight_fraction"] = JsonNumber(l.active_weight_fraction, 8);
    o["carbon_weight_fraction"] = JsonNumber(l.carbon_weight_fraction, 8);
    o["thickness_um"] = JsonNumber(l.thickness_m * 1e6, 8);
    o["composite_mg_cm2"] = JsonNumber(l.composite_mass_kg_m2 * 1e2, 8);
    o["composite_mg_per_pellet"] = mg(l.composite_mass_per_pellet_kg);
    o["active_mg_per_pellet"] = mg(l.active_mass_per_pellet_kg);
    o["se_mg_per_pellet"] = mg(l.se_mass_per_pellet_kg);
    o["carbon_mg_per_pellet"] = mg(l.carbon_mass_per_pellet_kg);
    o["batch_active_mg"] = mg(l.batch_active_mass_kg);
    o["batch_se_mg"] = mg(l.batch_se_mass_kg);
    o["batch_carbon_mg"] = mg(l.batch_carbon_mass_kg);
    o["capacity_mAh_cm2"] = JsonNumber(l.theoretical_capacity_C_m2 / kMah, 8);
    o["apparent_density_g_cm3"] = JsonNumber(l.apparent_density_kg_m3 * 1e-3, 8);
    j["layers"].push_back(o);
  }
  j["warnings"] = s.warnings;
  return j;
}

}  // namespace edopt
