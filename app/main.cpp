// edopt: electrode design optimizer for all-solid-state composite electrodes.
// The executable only parses options, calls the libraries and reports (docs/architecture.md §1).
#include <boost/program_options/errors.hpp>
#include <csignal>
#include <cstdio>
#include <functional>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "app/cli.h"
#include "edopt_version.h"
#include "formats/manifest.h"
#include "models/errors.h"

namespace {

const char* kUsage =
    "usage: edopt <command> [options]   (edopt <command> --help for details)\n"
    "commands:\n"
    "  simulate   constant-current lithiation of designs at C-rates\n"
    "  calibrate  eis: impedance files -> TLM fits -> resistivity; rates: rate tests -> kinetics\n"
    "  optimize   Pareto fronts of areal capacity vs utilization, with recipes\n"
    "  sensitivity fronts, designs, robust recipes under a scaled parameter; tornado\n"
    "  plan       which measurement to make next (value per cost for the band decisions)\n"
    "  sweep      every scenario of a folder, resumable and shardable; sweep merge joins shards\n"
    "  recipe     what to weigh and spread for a design\n"
    "  scenario   print the resolved scenario (all keys, units, ranges)\n"
    "common options: --scenario FILE (default: built-in seed study), --set section.key=value\n"
    "exit codes: 0 ok, 2 usage/config error, 3 input-data error, 4 numerical failure;\n"
    "            sweep: 1 some scenario failed, 5 regression (--fail-on-regression)\n";

}  // namespace

int main(int argc, char** argv) {
  using edopt::ExitCode;
  const std::map<std::string, std::function<int(const std::vector<std::string>&)>> commands = {
      {"simulate", edopt::RunSimulate},   {"recipe", edopt::RunRecipe},
      {"scenario", edopt::RunScenario},   {"optimize", edopt::RunOptimize},
      {"calibrate", edopt::RunCalibrate}, {"sensitivity", edopt::RunSensitivity},
      {"sweep", edopt::RunSweep},         {"plan", edopt::RunPlan},
  };
  if (argc < 2) {
    std::cerr << kUsage;
    return edopt::kExitUsage;
  }
  const std::string command = argv[1];
  edopt::StartRun(std::vector<std::string>(argv, argv + argc));
  if (command == "--help" || command == "-h" || command == "help") {
    std::cout << kUsage;
    return edopt::kExitOk;
  }
  if (command == "--version") {
    std::cout << "edopt " << EDOPT_VERSION << "\n";
    return edopt::kExitOk;
  }
  const auto it = commands.find(command);
  if (it == commands.end()) {
    std::cerr << "error: unknown command '" << command << "'\n" << kUsage;
    return edopt::kExitUsage;
  }
  // A closed pipe is an error to report, not a signal that kills us with output half-written.
  std::signal(SIGPIPE, SIG_IGN);
  try {
    const int code = it->second(std::vector<std::string>(argv + 2, argv + argc));
    // Output that did not reach its destination (a full disk, a closed pipe) is a failure.
    std::cout.flush();
    if (!std::cout || std::fflush(stdout) != 0 || std::ferror(stdout)) {
      std::cerr << "error: cannot write to standard output (full disk or closed pipe?)\n";
      return edopt::kExitInput;
    }
    return code;
  } catch (const edopt::ConfigError& e) {
    std::cerr << "error: " << e.what() << "\n";
    return edopt::kExitUsage;
  } catch (const boost::program_options::error& e) {
    std::cerr << "error: " << e.what() << "\n";
    return edopt::kExitUsage;
  } catch (const edopt::InputError& e) {
    std::cerr << "error: " << e.what() << "\n";
    return edopt::kExitInput;
  } catch (const edopt::NumericalError& e) {
    std::cerr << "error: " << e.what() << "\n";
    return edopt::kExitNumerical;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return edopt::kExitNumerical;
  }
}
