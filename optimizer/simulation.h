// The simulate job, shared by `edopt simulate` and Python's `edopt.simulate`: each design at each
// rate, with the 95% interval of a new measurement per rate when a posterior is given, and the
// warnings a user should hear (the model's doubts about a design, posterior draws that failed).
#pragma once

#include <string>
#include <vector>

#include "models/cell_model.h"
#include "optimizer/posterior_predictive.h"

namespace edopt {

// Draws a prediction's interval is made of (evenly through the posterior sample).
inline constexpr int kIntervalDraws = 200;

struct Simulated {
  Design design;
  DesignSummary summary;
  std::vector<DischargeResult> results;       // per rate
  std::vector<PredictiveInterval> intervals;  // per rate; empty without a posterior
};

struct SimulationRun {
  std::vector<Simulated> designs;
  std::vector<std::string> warnings;
  bool numerical_failure = false;  // some discharge ended in kNumericalFailure
};

// Checks every rate (kCRateRange) and design (ValidateDesign), then simulates. Throws
// ConfigError naming the first bad one.
SimulationRun SimulateDesigns(const CellParameters& cell, const PosteriorSample& posterior,
                              const std::vector<Design>& designs,
                              const std::vector<double>& c_rates, bool record_curves);

}  // namespace edopt
