// Rate-test tables: the lab's discharge measurements that `calibrate rates` fits (like
// scenarios/data/seed-uniform-series.csv), read and written in one place.
#pragma once

#include <string>
#include <vector>

#include "optimizer/rate_fit.h"

namespace edopt {

// Columns by header name, in any order, extra columns ignored:
//   design (command-line syntax) or ng_wt_fraction + thickness_um;  c_rate;
//   utilization, or delivered_capacity_mAh_cm2 with theoretical_capacity_mAh_cm2;
//   optional theoretical_capacity_mAh_cm2 (the weighed loading), resistivity_factor or
//   r_ion_ohm + area_cm2 (the cell's own resistivity), temperature_C.
// Empty optional fields mean "the scenario's". Throws InputError naming file:line and field.
std::vector<RatePoint> ParseRateTable(const std::string& text, const std::string& name);
std::vector<RatePoint> ReadRateTable(const std::string& path);

// The points as a table ParseRateTable reads back to the same points (design column,
// utilization, and the optional columns any point sets; numbers to 10 significant digits).
std::string FormatRateTable(const std::vector<RatePoint>& points);

}  // namespace edopt
