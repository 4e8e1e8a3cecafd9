// Scenario fragments: the INI that `calibrate eis|rates --out` writes for a scenario to include
// through `base =` (read back by the scenario reader, scenario.h). The writer lives beside the
// reader so everything it writes reads back to the same keys and values.
#pragma once

#include <string>
#include <vector>

namespace edopt {

struct FragmentLine {
  std::string section;  // "transport"
  std::string name;     // "reference_resistivity_ohm_m"; empty: a comment line only
  std::string value;
  std::string comment;  // written as "# ..." lines above the key (may hold newlines)
};

struct ScenarioFragment {
  std::string header;  // comment lines at the top (may hold newlines)
  std::string base;    // "builtin" or a path; empty: no base line
  std::vector<FragmentLine> lines;
};

// The fragment as INI text: header comments, `base = ...`, then each section (sorted by name)
// with its lines in the order given. Throws ConfigError for a base, key or value the scenario
// reader cannot read back: empty (an empty value is allowed: it clears the base's), or holding '#'
// (a comment there), a newline, or blanks at its ends (trimmed by the reader).
std::string FormatFragment(const ScenarioFragment& fragment);

// The same check for one value before any work (a command refuses an output it could not
// write before it fits): throws ConfigError naming `what`.
void CheckFragmentValue(const std::string& value, const std::string& what);

}  // namespace edopt
