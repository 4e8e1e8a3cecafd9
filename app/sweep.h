// Scenario sweeps (nightly runs over a folder of scenarios): collecting scenarios, expanding
// grid files, deterministic shards, per-scenario results committed atomically with a completion
// marker, the index, night-to-night comparison.
//
// Grid files (`*.grid` in the sweep folder) expand one base scenario over lists of values:
//
//   base = builtin                 # or a scenario file, relative to the grid file
//   [axes]                         # key = comma-separated values ("quoted" when they hold commas)
//   transport.resistivity_factor = 0.5, 1, 2
//   test.temperature_C = 25, 60
//   [set]                          # optional: fixed overrides for every expanded scenario
//   search.evaluations = 2000
//
// The expanded scenarios are the Cartesian product, the last axis varying fastest, named
// `<grid stem>__<key>-<value>__<key>-<value>` with each key's part after the section dot and
// characters other than [A-Za-z0-9.+-] in values replaced by '_'
// (e.g. `nightly__resistivity_factor-0.5__temperature_C-25`); a name past 200 bytes keeps its
// first 181 and ends in `__h` + 16 hex digits of a stable hash of the whole name (a folder
// name must stay below the file system's 255 bytes with room for temporaries).
#pragma once

#include <string>
#include <vector>

#include "formats/scenario.h"
#include "formats/sweep_status.h"

namespace edopt {

// Most scenarios one grid file may expand to (a sweep is nightly work, not a census).
inline constexpr int kMaxGridScenarios = 10000;

struct SweepScenario {
  std::string name;    // unique within the sweep; the results folder's name
  std::string origin;  // the .ini or .grid file it came from
  RawScenario raw;     // resolved keys (empty when `error` is set)
  std::string error;   // why it cannot be read (recorded as a failed scenario)
};

// Every `*.ini` (one scenario, named by its stem) and every `*.grid` (expanded) in dir, sorted
// by name. A malformed file becomes a scenario with `error` set; the others are unaffected.
// Throws ConfigError when dir is missing or two scenarios share a name.
std::vector<SweepScenario> CollectScenarios(const std::string& dir);

// Expands one grid file; throws ConfigError naming the file, line and key.
std::vector<SweepScenario> ExpandGrid(const std::string& path);

// Parses "K/N" (1 <= K <= N); throws ConfigError.
std::pair<int, int> ParseShard(const std::string& text);
// Scenario i (in name order) belongs to shard K of N when i % N == K - 1.
bool InShard(size_t index, int k, int n);

// The index: sweep.csv text (one row per scenario, in the given order) and summary.md.
std::string SweepCsv(const std::vector<ScenarioStatus>& statuses);
std::string SweepSummary(const std::vector<ScenarioStatus>& statuses, const std::string& title);

// Night-to-night comparison of scenarios present in both runs.
struct Comparison {
  std::string name;
  double previous_hypervolume = 0.0, hypervolume = 0.0, relative_change = 0.0;
  std::string previous_knee, knee;
  int changed_band_designs = 0;
  std::string previous_status, status;
  bool regression = false;
  // Provenance: whether the code changed (git commits differ) and which inputs did.
  bool code_changed = false;
  std::string previous_commit, commit;
  std::vector<std::string> changed_inputs;
};
// "code", "inputs", "code and inputs" or "neither": what came with a change.
std::string Cause(const Comparison& comparison);
// The cause in words: "code; code abc -> def", "inputs; changed: a.ini, b.csv", ...
std::string CauseWords(const Comparison& comparison);
std::vector<Comparison> Compare(const std::vector<ScenarioStatus>& previous,
                                const std::vector<ScenarioStatus>& current, double threshold);
std::string ComparisonCsv(const std::vector<Comparison>& comparisons);

}  // namespace edopt
