// The measurements of an EIS calibration, as both front ends name them (`edopt calibrate eis`,
// Python's `edopt.calibrate_eis`): spectrum files (every sweep of each, read by content) or R_ion
// values fitted elsewhere, each with its electrode thickness and active-material weight
// fraction; checked the same way whichever front end asks.
#pragma once

#include <string>
#include <vector>

#include "models/eis_calibration.h"
#include "models/parameters.h"

namespace edopt {

struct EisInputs {
  std::vector<std::string> files;            // spectrum files, or
  std::vector<double> imported_r_ion;        // R_ion values fitted elsewhere (ohm)
  std::string convention = "per-electrode";  // of imported values: or "single-tlm"
  std::vector<double> thickness_um;          // one per file or value
  // One per entry or one for all; empty = the scenario's transport.reference_active_weight_
  // fraction.
  std::vector<double> active_wt;
  double area_cm2 = 0.0;
};

// Checks the inputs (ConfigError naming the flag: counts, ranges, conventions), reads the files
// and returns one measurement per sweep (or imported value). Readers' notes go into `notes` as
// "FILE: note".
std::vector<EisMeasurement> EisMeasurements(const EisInputs& inputs, const CellParameters& cell,
                                            std::vector<std::string>* notes);

}  // namespace edopt
