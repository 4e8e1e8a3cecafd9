// Grid files (`*.grid` in a sweep folder): one base scenario expanded over lists of values.
//
//   base = builtin                 # or a scenario file, relative to the grid file
//   [axes]                         # key = comma-separated values ("quoted" when they hold commas)
//   transport.resistivity_factor = 0.5, 1, 2
//   test.temperature_C = 25, 60
//   [set]                          # optional: fixed overrides for every expanded scenario
//   search.evaluations = 2000
//
// This reader returns the file's content; app/sweep.h expands it into scenarios.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace edopt {

struct GridFile {
  std::string base;
  std::vector<std::pair<std::string, std::vector<std::string>>> axes;  // key, values
  std::vector<std::string> axis_origins;                               // "grid:line" of each axis
  std::vector<std::string> fixed;                                      // "key=value"
  std::vector<std::string> fixed_origins;
};

// Throws ConfigError (a grid is configuration) naming the file, line and key: unknown
// sections, keys before [axes] other than base, empty or repeated axes, no axes.
GridFile ParseGridFile(const std::string& text, const std::string& path);
GridFile ReadGridFile(const std::string& path);

}  // namespace edopt
