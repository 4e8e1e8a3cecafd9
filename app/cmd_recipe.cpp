// edopt recipe: what to weigh and spread, layer by layer, before pelletizing.
#include <cstdio>
#include <iostream>
#include <sstream>

#include "app/cli.h"
#include "formats/manifest.h"
#include "models/errors.h"
#include "models/recipe.h"
#include "models/units.h"

namespace po = boost::program_options;

namespace edopt {

int RunRecipe(const std::vector<std::string>& args) {
  CommonOptions common;
  std::string design_text;
  double area_cm2 = 0.0, batch_mg = 500.0;
  bool json = false;
  po::options_description description(
      "edopt recipe --design D [--area-cm2 A] [--batch-mg M] [--json]\n"
      "Per layer: composite mass per area and per pellet, active-material and SE masses for a\n"
      "mixing batch, thickness, theoretical capacity and the order of deposition onto the SE "
      "pellet");
  AddCommonOptions(&description, &common);
  description.add_options()("design", po::value(&design_text)->required()->value_name("D"),
                            "design, e.g. 5:5@33,6:4@33,7:3@33")(
      "area-cm2", po::value(&area_cm2)->value_name("A"),
      "pellet area, cm2 (default: test.pellet_area_cm2)")(
      "batch-mg", po::value(&batch_mg)->value_name("M"),
      "mixing batch per layer, mg (default 500)")("json", po::bool_switch(&json),
                                                  "print one JSON object instead of the table");
  if (PrintHelpIfAsked(args, description)) return kExitOk;
  po::variables_map vm;
  ParseArgs(args, description, nullptr, &vm);
  const Scenario scenario = LoadScenario(common);
  const Design design = ParseDesign(design_text);
  if (vm.count("area-cm2")) CheckFlag("--area-cm2", area_cm2, kAreaRange_cm2);
  CheckFlag("--batch-mg", batch_mg, {0.0, 1e6, true, false});  // at most a kilogram
  const double area_m2 = vm.count("area-cm2") ? area_cm2 * 1e-4 : scenario.pellet_area_m2;
  const Recipe recipe =
      MakeRecipe(scenario.cell.materials, scenario.cell.packing, design, area_m2, batch_mg * 1e-6);
  PrintWarnings(recipe.summary.warnings);
  std::cout << (json ? WithManifestJson(RecipeJson(recipe, design).dump(2) + "\n", &scenario, {})
                     : FormatRecipe(recipe, design));
  return kExitOk;
}

}  // namespace edopt
