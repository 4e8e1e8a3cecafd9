// The catalogue of the cell model's parameters: every field of CellParameters once, with its
// scenario key, unit and SI conversion, range, documentation, fit bounds and literature prior
// (docs/physics.md §9). The scenario reader, `edopt scenario`, CellParameters::Validate, the rate
// fit's free parameters and sensitivity's key checks all read it.
#pragma once

#include <string>
#include <vector>

#include "models/parameter.h"
#include "models/parameters.h"

namespace edopt {

using CellParameter = Parameter<CellParameters>;

// Every cell parameter, in documentation order (sections materials, electrode, transport,
// kinetics, test, numerics).
const std::vector<CellParameter>& CellCatalogue();

// The entry of `key`, or nullptr.
const CellParameter* FindCellParameter(const std::string& key);

// The entry of `key`; throws ConfigError naming the nearest key when there is none.
const CellParameter& CellParameterOrThrow(const std::string& key, const std::string& where);

// The parameters the rate fit may move (fit.fittable), in catalogue order.
std::vector<const CellParameter*> FittableCellParameters();

// The calibrated parameters in use for these cell parameters (the tornado of sensitivity):
// the composition law's own parameters only, and the reference resistivity or the pure-SE
// conductivity, whichever sets kappa; parameters switched off (value 0, e.g. the film
// resistance) are left out.
std::vector<std::string> ScreenedKeys(const CellParameters& p);

}  // namespace edopt
