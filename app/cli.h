// Shared pieces of the `edopt` subcommands: common flags, parsing, scenario loading, and the
// subcommands themselves. Writing helpers are in app/output.h.
#pragma once

#include <boost/program_options.hpp>
#include <string>
#include <vector>

#include "formats/optimization_files.h"
#include "formats/output.h"
#include "formats/scenario.h"
#include "models/cell_model.h"
#include "optimizer/front_analysis.h"

namespace edopt {

// Exit codes of the command-line contract (docs/architecture.md).
enum ExitCode { kExitOk = 0, kExitUsage = 2, kExitInput = 3, kExitNumerical = 4 };

struct CommonOptions {
  std::string scenario;                // empty = built-in seed scenario
  std::vector<std::string> overrides;  // --set section.key=value
  bool help = false;
};

// Adds --help, --scenario and --set.
void AddCommonOptions(boost::program_options::options_description* description,
                      CommonOptions* common);

// Parses args into vm; positional names get the given options. Throws ConfigError on bad flags.
void ParseArgs(const std::vector<std::string>& args,
               const boost::program_options::options_description& description,
               const boost::program_options::positional_options_description* positional,
               boost::program_options::variables_map* vm);

Scenario LoadScenario(const CommonOptions& common);

// ParseArgs, then --help (`help` is the flag's variable, set by the parse): prints the
// description and returns false (the command exits 0).
bool ParseCommand(const std::vector<std::string>& args,
                  const boost::program_options::options_description& description,
                  const boost::program_options::positional_options_description* positional,
                  boost::program_options::variables_map* vm, const bool& help);

// Flags shared by the commands that run searches: --max-layers, --evaluations, --threads.
struct SearchFlags {
  int max_layers = 0, evaluations = 0, threads = -1;
};
void AddSearchFlags(boost::program_options::options_description* description, SearchFlags* flags,
                    const std::string& evaluations_doc);
// Validates the given flags (ConfigError naming the flag) and applies them to the scenario.
void ApplySearchFlags(const boost::program_options::variables_map& vm, const SearchFlags& flags,
                      Scenario* scenario);

// For commands with required flags: prints the description and returns true when args hold
// --help or -h (before parsing, which would fail on the missing flags).
bool PrintHelpIfAsked(const std::vector<std::string>& args,
                      const boost::program_options::options_description& description);

// Parses "0.1,0.3" style lists of positive numbers, each within `range`; `what` names the flag
// in errors.
std::vector<double> ParsePositiveList(const std::string& text, const std::string& what,
                                      const ValueRange& range = Positive());

// The value of a flag, checked against its plausible range; throws ConfigError
// "--flag V is out of range; expected ...".
double CheckFlag(const std::string& flag, double value, const ValueRange& range);

// The calibration fragments' provenance: today's date (UTC, YYYY-MM-DD) and the `base =` value,
// the scenario the calibration was made against ("builtin" or its absolute path).
std::string TodayUtc();
std::string FragmentBase(const CommonOptions& common);

// The whole optimize job on a resolved scenario: search, evaluation at 0.1C, summary, recipes;
// writes every output file into out_dir atomically. Used by optimize and sweep.
// `extra_files` (name, text) join the folder; the manifest names `inputs` (default: every file
// this process read).
OptimizationReport Optimize(
    Scenario scenario, const std::string& out_dir, bool progress_bar,
    const std::vector<std::pair<std::string, std::string>>& extra_files = {},
    const std::vector<FileDigest>* inputs = nullptr);
// The subcommands.
int RunSimulate(const std::vector<std::string>& args);
int RunRecipe(const std::vector<std::string>& args);
int RunScenario(const std::vector<std::string>& args);
int RunOptimize(const std::vector<std::string>& args);
int RunCalibrate(const std::vector<std::string>& args);
int RunCalibrateEis(const std::vector<std::string>& args);    // calibrate eis
int RunCalibrateRates(const std::vector<std::string>& args);  // calibrate rates
int RunSensitivity(const std::vector<std::string>& args);
int RunSweep(const std::vector<std::string>& args);
int RunPlan(const std::vector<std::string>& args);

}  // namespace edopt
