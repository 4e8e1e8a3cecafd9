// edopt calibrate: impedance spectra (eis, cmd_calibrate_eis.cpp) and rate tests (rates,
// cmd_calibrate_rates.cpp) -> the parameters a scenario is calibrated with.
#include <ctime>
#include <filesystem>
#include <iostream>

#include "app/cli.h"
#include "models/errors.h"

namespace edopt {

std::string TodayUtc() {
  const std::time_t now = std::time(nullptr);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%d", std::gmtime(&now));
  return buffer;
}

std::string FragmentBase(const CommonOptions& common) {
  if (common.scenario.empty()) return "builtin";
  return std::filesystem::absolute(common.scenario).string();
}

int RunCalibrate(const std::vector<std::string>& args) {
  const char* usage =
      "usage: edopt calibrate eis FILE... --thickness-um T... --area-cm2 A [--active-wt W...] "
      "[--out F] [--json]\n"
      "       edopt calibrate rates --data FILE [--out F] [--json]\n"
      "(edopt calibrate eis --help, edopt calibrate rates --help for details)\n";
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    std::cout << usage;
    return args.empty() ? kExitUsage : kExitOk;
  }
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (args[0] == "eis") return RunCalibrateEis(rest);
  if (args[0] == "rates") return RunCalibrateRates(rest);
  throw ConfigError("calibrate: unknown mode '" + args[0] + "'; expected eis or rates");
}

}  // namespace edopt
