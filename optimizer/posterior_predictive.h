// Predictions with their uncertainty (docs/physics.md §11): a calibration's posterior as a
// sample of parameter draws, propagated through the cell model. The interval of a prediction
// is that of a new measurement: parameter uncertainty (the spread of the model over the draws)
// plus the fitted measurement scatter (each draw's noise).
#pragma once

#include <string>
#include <vector>

#include "models/design.h"
#include "models/parameters.h"
#include "optimizer/rate_fit.h"

namespace edopt {

// Draws of a posterior in scenario units: keys are fittable catalogue keys.
struct PosteriorSample {
  std::vector<std::string> keys;
  std::vector<std::vector<double>> values;  // one row per draw, one column per key
  std::vector<double> noise_pp;             // measurement scatter of each draw, points
  // Where each draw came from (1-based walker and kept step), when the file says; else empty.
  std::vector<int> walker, step;
  bool empty() const { return values.empty(); }
  // At most n draws, evenly spaced through the sample (all when n <= 0 or n >= size).
  PosteriorSample Thinned(int n) const;
  // The parameters of draw i on the base. Throws ConfigError for a key the fit cannot move.
  CellParameters Apply(const CellParameters& base, size_t i) const;
  // The same through the keys' catalogue entries (Entries(), resolved once for many draws).
  CellParameters Apply(const CellParameters& base, size_t i,
                       const std::vector<FreeParameter>& entries) const;
  std::vector<FreeParameter> Entries() const;  // throws ConfigError as Apply
};

// Utilization of a design at a C-rate under every draw (parallel over draws, deterministic);
// NaN where the draw's discharge ends in a numerical failure (no utilization to speak of).
std::vector<double> UtilizationDraws(const CellParameters& base, const PosteriorSample& sample,
                                     const Design& design, double c_rate, int threads);

struct PredictiveInterval {
  double low = 0.0, high = 0.0;  // central `level` interval of a new measurement
  double median = 0.0;           // of the model over the draws
  int failed_draws = 0;          // draws without a result (NaN): left out of the mixture
  int draws = 0;                 // all draws; every one failed: low, high, median are NaN
};
// The central interval of the mixture of N(model_i, noise_i) over the draws (exact quantiles of
// the mixture by bisection, no random numbers), its ends held inside [0, 1]. noise_pp in
// points, model in utilization.
PredictiveInterval MeasurementInterval(const std::vector<double>& model,
                                       const std::vector<double>& noise_pp, double level = 0.95);

// Fraction of draws where a beats b (paired draws: the parameter uncertainty they share
// cancels), over the pairs where both have a result; NaN when none has.
double ProbabilityBetter(const std::vector<double>& a, const std::vector<double>& b);

}  // namespace edopt
