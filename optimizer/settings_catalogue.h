// The catalogue of the search's settings: every field of DesignSpace and SearchOptions that a
// scenario sets, once, with its key, unit, range and documentation (the same entry type as the
// cell parameters' catalogue, models/parameter.h). DesignSpace::Validate and
// SearchOptions::Validate check these ranges before their cross-field constraints.
#pragma once

#include <vector>

#include "models/parameter.h"
#include "optimizer/design_space.h"

namespace edopt {

const std::vector<Parameter<DesignSpace>>& DesignSpaceCatalogue();
const std::vector<Parameter<SearchOptions>>& SearchCatalogue();

}  // namespace edopt
