// Lab tables: the measurements `calibrate rates` fits (like scenarios/data/seed-lab-table.csv):
// rate tests (discharge utilizations) and symmetric cells (ionic resistances from `calibrate
// eis`), read and written in one place.
#pragma once

#include <string>
#include <vector>

#include "optimizer/rate_fit.h"

namespace edopt {

// A measured utilization may exceed 1 by a weighing error of the loading, no more (a larger one
// is a unit or transcription slip); utilization and delivered / theoretical, when both are
// given, must agree within 2 points.
inline constexpr double kMaxUtilization = 1.02;
inline constexpr double kUtilizationAgreement = 0.02;

// Columns by header name, in any order, extra columns ignored. `kind` (optional) is
// `rate_test` (the default) or `symmetric_cell`.
// Rate tests: design (command-line syntax) or active_wt_fraction + thickness_um;  c_rate;
//   utilization, or delivered_capacity_mAh_cm2 with theoretical_capacity_mAh_cm2;
//   optional theoretical_capacity_mAh_cm2 (the weighed loading), resistivity_factor or
//   r_ion_ohm + area_cm2 (the cell's own resistivity), temperature_C, se_d50_um (the D50 of the
//   cell's SE powder when it differs from the scenario's; docs/physics.md §3b).
// Symmetric cells: the design (or active_wt_fraction + thickness_um) of one electrode, r_ion_ohm
//   (per electrode, TLM) and area_cm2; optional r_ion_se_ohm (its standard error),
//   temperature_C (default the reference temperature) and se_d50_um.
// Empty optional fields mean "the scenario's". Throws InputError naming file:line and field.
LabTable ParseLabTable(const std::string& text, const std::string& name);
LabTable ReadLabTable(const std::string& path);
// The rate tests of a table (InputError when it has none).
std::vector<RatePoint> ParseRateTable(const std::string& text, const std::string& name);
std::vector<RatePoint> ReadRateTable(const std::string& path);

// The table in that format; ParseLabTable reads it back to the same rows (numbers to 10
// significant digits; the `kind` column only when it holds symmetric cells).
std::string FormatLabTable(const LabTable& table);

}  // namespace edopt
