// What `edopt simulate` writes and Python's `edopt.simulate` returns: the JSON object of a
// simulated design, the --json text, and the voltage curves and final profiles (CSV).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "optimizer/simulation.h"

namespace edopt {

// A design's object of `simulate --json`.
nlohmann::ordered_json SimulatedJson(const Simulated& simulated);
// One design: its object; several: {"convention", "designs": [...]}. `active` names the active
// material (ActiveLabel).
std::string SimulationJson(const std::vector<Simulated>& all, const std::string& active);
// design,c_rate,time_s,capacity_mAh_cm2,voltage_V
std::string CurveCsv(const std::vector<Simulated>& all);
// design,c_rate,x_um,layer,mean_stoichiometry,... (the final lithiation profile)
std::string ProfileCsv(const std::vector<Simulated>& all);

}  // namespace edopt
