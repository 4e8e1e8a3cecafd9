// A calibrated scenario as a PyBaMM parameter set (Python's edopt.to_pybamm): the quantities that
// have a PyBaMM counterpart, named as PyBaMM names them, for a half-cell whose working electrode
// is one edopt layer (PyBaMM: {"working electrode": "positive"} against lithium metal), every
// value at the test temperature. docs/python.md lists what has no counterpart.
#pragma once

#include <nlohmann/json.hpp>

#include "formats/scenario.h"
#include "models/design.h"

namespace edopt {

// {"parameters": {PyBaMM name: number}, "ocp": {"stoichiometry": [...], "voltage_V": [...]},
//  "exchange_current_A_m2": i0 at theta = 0.5, "not_exported": [what has no counterpart]}.
// Throws ConfigError for a design of more than one layer (PyBaMM has one composition per
// electrode).
nlohmann::ordered_json PybammParameters(const Scenario& scenario, const Design& design);

}  // namespace edopt
