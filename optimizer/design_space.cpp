#include "optimizer/design_space.h"

#include <cmath>

#include "models/errors.h"

namespace edopt {

double DecimalFraction(double w) { return std::round(w * 1e6) / 1e6; }
double WholeNanometres(double t_m) { return std::round(t_m * 1e9) / 1e9; }

const char* ToString(Objective objective) {
  return objective == Objective::kUtilization ? "utilization" : "delivered_capacity";
}

Objective ObjectiveFromString(const std::string& text) {
  if (text == "utilization") return Objective::kUtilization;
  if (text == "delivered_capacity") return Objective::kDeliveredCapacity;
  throw ConfigError("objective '" + text + "' unknown; expected utilization or delivered_capacity");
}

}  // namespace edopt
