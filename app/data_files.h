// Reading and writing data files at the application boundary: OCP tables, atomic writes.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "models/design.h"

namespace edopt {

// Parses a non-negative integer seed; throws ConfigError.
unsigned long long ParseSeed(const std::string& text);

// CSV with a header naming the columns `stoichiometry` and `voltage_V` (or two unnamed numeric
// columns without a header). Throws InputError naming file, line and field.
std::pair<std::vector<double>, std::vector<double>> ReadOcpTable(const std::string& path);

// Writes the whole text to `path` through a temporary file in the same folder and a rename, so
// a crash never leaves a half-written result. Throws InputError when it cannot.
void WriteFileAtomically(const std::string& path, const std::string& text);

}  // namespace edopt
