#include "models/parameters.h"

#include "models/catalogue.h"
#include "models/errors.h"

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

void CellParameters::Validate() const {
  // Every field's range lives in the catalogue (docs/architecture.md, "one catalogue").
  CheckRanges(CellCatalogue(), *this, "cell parameters");
}

}  // namespace edopt
