#include "optimizer/design_space.h"

#include <cmath>
#include <sstream>

#include "models/errors.h"
#include "optimizer/settings_catalogue.h"

namespace edopt {

namespace {

[[noreturn]] void Infeasible(const std::string& what) {
  throw ConfigError("infeasible design space: " + what);
}

std::string Um(double m) {
  std::ostringstream os;
  os << m * 1e6;
  return os.str();
}

}  // namespace

void DesignSpace::Validate() const {
  CheckRanges(DesignSpaceCatalogue(), *this, "design space");
  if (min_layers < 1)
    Infeasible("design_space.min_layers = " + std::to_string(min_layers) + " must be >= 1");
  if (max_layers < min_layers) {
    Infeasible("design_space.max_layers = " + std::to_string(max_layers) +
               " is below design_space.min_layers = " + std::to_string(min_layers));
  }
  if (!(min_active_weight_fraction > 0 && max_active_weight_fraction < 1 &&
        min_active_weight_fraction <= max_active_weight_fraction)) {
    std::ostringstream os;
    os << "design_space.min_active_weight_fraction = " << min_active_weight_fraction
       << " and design_space.max_active_weight_fraction = " << max_active_weight_fraction
       << " must satisfy 0 < min <= max < 1";
    Infeasible(os.str());
  }
  if (!(carbon_weight_fraction >= 0 && max_active_weight_fraction + carbon_weight_fraction < 1)) {
    std::ostringstream os;
    os << "design_space.carbon_weight_fraction = " << carbon_weight_fraction
       << " with design_space.max_active_weight_fraction = " << max_active_weight_fraction
       << " leaves no solid electrolyte; expected carbon >= 0 and max + carbon < 1";
    Infeasible(os.str());
  }
  if (!(min_layer_thickness_m > 0 && min_layer_thickness_m <= max_layer_thickness_m)) {
    Infeasible("design_space.min_layer_thickness_um = " + Um(min_layer_thickness_m) +
               " and design_space.max_layer_thickness_um = " + Um(max_layer_thickness_m) +
               " must satisfy 0 < min <= max");
  }
  if (!(min_total_thickness_m <= max_total_thickness_m)) {
    Infeasible("design_space.min_total_thickness_um = " + Um(min_total_thickness_m) +
               " exceeds design_space.max_total_thickness_um = " + Um(max_total_thickness_m));
  }
  if (min_layers * min_layer_thickness_m > max_total_thickness_m * (1 + 1e-12)) {
    Infeasible("design_space.min_layers x design_space.min_layer_thickness_um = " +
               Um(min_layers * min_layer_thickness_m) +
               " um exceeds design_space.max_total_thickness_um = " + Um(max_total_thickness_m));
  }
  if (max_layers * max_layer_thickness_m < min_total_thickness_m * (1 - 1e-12)) {
    Infeasible("design_space.max_layers x design_space.max_layer_thickness_um = " +
               Um(max_layers * max_layer_thickness_m) +
               " um is below design_space.min_total_thickness_um = " + Um(min_total_thickness_m));
  }
  if (min_mean_active_weight_fraction > max_active_weight_fraction) {
    std::ostringstream os;
    os << "design_space.min_mean_active_weight_fraction = " << min_mean_active_weight_fraction
       << " exceeds design_space.max_active_weight_fraction = " << max_active_weight_fraction;
    Infeasible(os.str());
  }
  if (active_weight_fraction_step < 0 || thickness_step_m < 0) {
    Infeasible(
        "design_space.active_weight_fraction_step and design_space.thickness_step_um must be >= 0");
  }
}

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

void SearchOptions::Validate() const { CheckRanges(SearchCatalogue(), *this, "search options"); }

}  // namespace edopt
