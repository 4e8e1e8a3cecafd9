// Scenario files: INI read through Boost.Program_options, every key with its unit in its name,
// converted to SI at this boundary. A scenario may name a `base = other.ini` (or `base = builtin`,
// the seed scenario compiled into edopt) and override some
// of its keys; `--set section.key=value` overrides win over both.
#pragma once

#include <functional>
#include <istream>
#include <map>
#include <string>
#include <vector>

#include "formats/digest.h"
#include "models/design.h"
#include "models/parameter.h"
#include "models/parameters.h"
#include "optimizer/design_space.h"
#include "optimizer/posterior_predictive.h"

namespace edopt {

struct Scenario {
  std::string name = "seed-kim-ng-lps";
  std::string source = "built-in";  // file the scenario came from
  CellParameters cell;
  std::string ocp_table_file;  // resolved path when materials.ocp = table
  // Posterior draws of a Bayesian calibration (calibration.posterior_file): predictions carry
  // intervals when it is not empty.
  std::string posterior_file;
  PosteriorSample posterior;
  std::vector<double> c_rates = {0.1, 0.3};  // rates simulate runs by default
  double objective_c_rate = 0.3;             // the rate the search optimizes
  double pellet_area_m2 = 1.327e-4;          // 13 mm die
  std::vector<Design> reference_designs;     // simulated alongside every run
  DesignSpace design_space;
  SearchOptions search;
  // What loading decided that a user should hear (commands print them as warnings), e.g. a
  // key set with --set that the posterior samples, held at the set value in every draw.
  std::vector<std::string> notes;
  // The files this scenario was read from, as their readers were given them (scenario files
  // that set a key, grid files, the OCP table, the posterior samples), and "builtin:NAME" for
  // the compiled-in texts: the inputs its provenance manifest names.
  std::vector<std::string> input_files;
};

// One key of the scenario format: an entry of the parameter catalogues (models/catalogue.h,
// optimizer/settings_catalogue.h) re-targeted to the Scenario, or one of the command line's own.
using ScenarioKey = Parameter<Scenario>;

// Every key, in documentation order.
const std::vector<ScenarioKey>& ScenarioKeys();

// "did you mean ...?" for an unknown key (empty when nothing is close).
std::string SuggestKey(const std::string& unknown);

// Keys renamed since edopt named only graphite anodes (docs/formats.md §10): (old, new). An old
// name still reads, as the new key, with a deprecation note.
const std::vector<std::pair<std::string, std::string>>& RenamedScenarioKeys();
// The current name of a key given under its old one (the name itself otherwise).
std::string CurrentKeyName(const std::string& name);

// Raw key/value pairs with where they came from, after resolving `base =` chains.
struct RawValue {
  std::string value;
  std::string origin;     // "file:line" or "--set"
  bool override = false;  // from ApplyOverrides (--set, a grid's axes, set() in Python)
  std::string old_name;   // the deprecated name the key was given under, if any
};
using RawScenario = std::map<std::string, RawValue>;

// Reads one scenario file (and its bases). Throws ConfigError (unknown or duplicated keys,
// missing files, cycles in base chains).
RawScenario ReadScenarioFile(const std::string& path);
// Reads scenario text; bases resolve relative to base_dir. `origin` names it in messages.
RawScenario ReadScenarioText(const std::string& text, const std::string& origin,
                             const std::string& base_dir);
// Applies `section.key=value` overrides; origins[i] names where override i was given (for
// messages; default "--set").
void ApplyOverrides(const std::vector<std::string>& overrides, RawScenario* raw,
                    const std::vector<std::string>& origins = {});
// Converts and validates. Throws ConfigError naming the key, value, origin and expectation.
Scenario BuildScenario(const RawScenario& raw, const std::string& source);

// The built-in seed-study scenario text (scenarios/seed-kim-ng-lps.ini, compiled in), and the
// posterior sample it names (scenarios/seed-kim-ng-lps_posterior.csv, compiled in).
const std::string& BuiltinScenarioText();
const std::string& BuiltinPosteriorText();
inline constexpr const char* kBuiltinPosteriorName = "seed-kim-ng-lps_posterior.csv";

// Loads --scenario (or the built-in one), applies --set, validates, loads the OCP table.
Scenario LoadScenario(const std::string& path, const std::vector<std::string>& overrides);

// BuildScenario plus the OCP table and posterior files (relative to the file that named them).
Scenario LoadScenarioFromRaw(const RawScenario& raw, const std::string& source);

// The digests of a scenario's input files: from the record of files read (digest.h), or of the
// compiled-in text for "builtin:NAME".
std::vector<FileDigest> ScenarioInputDigests(const Scenario& scenario);

// The fully resolved scenario as INI text (every key, with its documentation, prior and fit
// bounds as comments); reading it back gives the same scenario.
std::string ScenarioToIni(const Scenario& scenario);

// The settings alone, one "section.key = value" line per key in catalogue order, no comments:
// what the scenario digest hashes (manifest.h ScenarioDigest), so that editing a key's
// documentation changes no digest.
std::string ScenarioSettingsText(const Scenario& scenario);

}  // namespace edopt
