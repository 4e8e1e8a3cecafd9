// edopt recipe: what to weigh and spread, layer by layer, before pelletizing.
#include <cstdio>
#include <iostream>
#include <sstream>

#include "app/cli.h"
#include "models/errors.h"
#include "models/recipe.h"
#include "models/units.h"

namespace po = boost::program_options;

namespace edopt {

std::string FormatRecipe(const Recipe& recipe, const Design& design) {
  std::ostringstream os;
  char line[256];
  const auto& s = recipe.summary;
  os << "recipe for " << FormatDesign(design) << "\n";
  std::snprintf(line, sizeof line,
                "electrode: %.4g um, %.4g mg/cm2 composite, mean NG fraction %.3f, %.4g mAh/cm2 "
                "(%.4g mAh per %.4g cm2 pellet), %.4g mAh/cm3\n",
                s.thickness_m * 1e6, s.composite_mass_kg_m2 * 1e2, s.mean_ng_weight_fraction,
                s.theoretical_capacity_C_m2 / kC_m2_per_mAh_cm2,
                s.theoretical_capacity_C_m2 * recipe.area_m2 / 3.6, recipe.area_m2 * 1e4,
                s.volumetric_capacity_C_m3 / 3.6e6);
  os << line;
  os << "deposit in this order onto the pre-pressed SE pellet (1 = separator side), then press:\n";
  std::snprintf(line, sizeof line, "%5s %7s %12s %14s %16s %12s %13s %14s %14s %16s\n", "order",
                "NG:LPS", "thickness_um", "mass_mg_cm2", "mass_per_pellet_mg", "NG_mg", "LPS_mg",
                "batch_NG_mg", "batch_LPS_mg", "capacity_mAh_cm2");
  os << line;
  for (const auto& l : recipe.layers) {
    char ratio[32];
    std::snprintf(ratio, sizeof ratio, "%.3g:%.3g", 100 * l.ng_weight_fraction,
                  100 * (1 - l.ng_weight_fraction));
    std::snprintf(line, sizeof line,
                  "%5d %7s %12.4g %14.4f %16.3f %12.3f %13.3f %14.2f %14.2f %16.4f\n",
                  l.deposition_order, ratio, l.thickness_m * 1e6, l.composite_mass_kg_m2 * 1e2,
                  l.composite_mass_per_pellet_kg * 1e6, l.ng_mass_per_pellet_kg * 1e6,
                  l.se_mass_per_pellet_kg * 1e6, l.batch_ng_mass_kg * 1e6, l.batch_se_mass_kg * 1e6,
                  l.theoretical_capacity_C_m2 / kC_m2_per_mAh_cm2);
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

int RunRecipe(const std::vector<std::string>& args) {
  CommonOptions common;
  std::string design_text;
  double area_cm2 = 0.0, batch_mg = 500.0;
  po::options_description description(
      "edopt recipe --design D [--area-cm2 A] [--batch-mg M]\n"
      "Per layer: composite mass per area and per pellet, NG and LPS masses for a mixing batch,\n"
      "thickness, theoretical capacity and the order of deposition onto the SE pellet");
  AddCommonOptions(&description, &common);
  description.add_options()("design", po::value(&design_text)->required()->value_name("D"),
                            "design, e.g. 5:5@33,6:4@33,7:3@33")(
      "area-cm2", po::value(&area_cm2)->value_name("A"),
      "pellet area, cm2 (default: test.pellet_area_cm2)")(
      "batch-mg", po::value(&batch_mg)->value_name("M"),
      "mixing batch per layer, mg (default 500)");
  if (PrintHelpIfAsked(args, description)) return kExitOk;
  po::variables_map vm;
  ParseArgs(args, description, nullptr, &vm);
  const Scenario scenario = LoadScenario(common);
  const Design design = ParseDesign(design_text);
  if (vm.count("area-cm2") && !(area_cm2 > 0))
    throw ConfigError("--area-cm2 " + FormatG(area_cm2) + " must be > 0");
  if (!(batch_mg > 0)) throw ConfigError("--batch-mg " + FormatG(batch_mg) + " must be > 0");
  const double area_m2 = vm.count("area-cm2") ? area_cm2 * 1e-4 : scenario.pellet_area_m2;
  const Recipe recipe =
      MakeRecipe(scenario.cell.materials, scenario.cell.packing, design, area_m2, batch_mg * 1e-6);
  PrintWarnings(recipe.summary.warnings);
  std::cout << FormatRecipe(recipe, design);
  return kExitOk;
}

}  // namespace edopt
