// OCP tables (materials.ocp = table): the open-circuit potential of the active material as data.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace edopt {

// CSV with a header naming the columns `stoichiometry` and `voltage_V` (or two unnamed numeric
// columns without a header); stoichiometry strictly increasing, at least two rows. Returns
// (stoichiometry, voltage_V). Throws InputError naming file, line and field.
std::pair<std::vector<double>, std::vector<double>> ReadOcpTable(const std::string& path);

}  // namespace edopt
