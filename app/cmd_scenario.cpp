// edopt scenario: print the resolved scenario (every key, with its documentation).
#include <iostream>

#include "app/cli.h"

namespace po = boost::program_options;

namespace edopt {

int RunScenario(const std::vector<std::string>& args) {
  CommonOptions common;
  po::options_description description(
      "edopt scenario [--scenario FILE] [--set K=V]...\n"
      "Prints the resolved scenario as INI: every key with its unit, range and value.\n"
      "The output is itself a valid scenario file.");
  AddCommonOptions(&description, &common);
  po::variables_map vm;
  if (!ParseCommand(args, description, nullptr, &vm, common.help)) return kExitOk;
  std::cout << ScenarioToIni(LoadScenario(common));
  return kExitOk;
}

}  // namespace edopt
