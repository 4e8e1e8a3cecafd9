#include "models/parameters.h"

#include <algorithm>
#include <cmath>

#include "models/errors.h"
#include "models/ocp.h"

namespace edopt {

const char* ToString(ConductivityLawKind kind) {
  switch (kind) {
    case ConductivityLawKind::kPercolation:
      return "percolation";
    case ConductivityLawKind::kPowerLaw:
      return "power_law";
  }
  return "?";
}

const char* ToString(DiffusivityLaw law) {
  switch (law) {
    case DiffusivityLaw::kConstant:
      return "constant";
    case DiffusivityLaw::kEcker2015:
      return "Ecker2015";
  }
  return "?";
}

ConductivityLawKind ConductivityLawFromString(const std::string& text) {
  if (text == "percolation") return ConductivityLawKind::kPercolation;
  if (text == "power_law") return ConductivityLawKind::kPowerLaw;
  throw ConfigError("conductivity law '" + text + "' unknown; expected percolation or power_law");
}

double CellParameters::LowestCutoff_V() const {
  // A table not read yet (its file is read after the keys) is checked when the model is built.
  if (materials.ocp_model == "table" && materials.ocp_table_voltage_V.empty()) return -INFINITY;
  const OcpCurve curve =
      materials.ocp_model == "table"
          ? OcpCurve::FromTable(materials.ocp_table_stoichiometry, materials.ocp_table_voltage_V)
          : OcpCurve::Builtin(materials.ocp_model);
  double lowest = INFINITY;
  const double x0 = protocol.initial_stoichiometry;
  for (int k = 0; k <= 1024; ++k) lowest = std::min(lowest, curve(x0 + (1.0 - x0) * k / 1024));
  return lowest - protocol.counter_electrode_potential_V - 1.0;
}

}  // namespace edopt
