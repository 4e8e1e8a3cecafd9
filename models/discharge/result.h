// What one constant-current discharge returns (models/cell_model.h, CellModel::Simulate).
#pragma once

#include <vector>

namespace edopt {

enum class EndReason { kCutoffVoltage, kFullyLithiated, kTimeLimit, kNumericalFailure };
const char* ToString(EndReason reason);

struct SimulationOptions {
  bool record_curve = false;    // time, capacity and voltage at every accepted step
  bool record_profile = false;  // lithiation across x at the end
};

struct CurvePoint {
  double time_s = 0.0;
  double capacity_C_m2 = 0.0;
  double voltage_V = 0.0;
};

struct ProfilePoint {
  double x_m = 0.0;  // from the separator
  int layer = 0;     // 0-based, from the separator
  double mean_stoichiometry = 0.0;
  double surface_stoichiometry = 0.0;
  double reaction_current_A_m3 = 0.0;  // a j, lithiation positive
  double electrolyte_potential_V = 0.0;
};

struct DischargeResult {
  double c_rate = 0.0;
  double current_A_m2 = 0.0;
  double theoretical_capacity_C_m2 = 0.0;
  double delivered_capacity_C_m2 = 0.0;
  double utilization = 0.0;  // delivered / theoretical
  double end_time_s = 0.0;
  // At t = 0+ (ohmic + kinetic + surface drop, no history). An electrode so resistive that a
  // fraction of the current already takes it below the cutoff reports that fraction's voltage
  // (an upper bound) and ends at t = 0.
  double initial_voltage_V = 0.0;
  double final_voltage_V = 0.0;
  double stored_charge_C_m2 = 0.0;  // lithium inserted, from the particle states
  EndReason end_reason = EndReason::kNumericalFailure;
  int steps = 0;
  int rejected_steps = 0;
  int newton_iterations = 0;
  std::vector<CurvePoint> curve;
  std::vector<ProfilePoint> profile;
};

}  // namespace edopt
