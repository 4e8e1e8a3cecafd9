// The rate calibration job, shared by `edopt calibrate rates` and Python's
// `edopt.calibrate_rates`: the lab table's checks (rate-test rows, weighed loadings against the
// design's), the least-squares fit, optional leave-one-out cross-validation, and optionally the
// posterior with its sampling rule (walkers, thinning) and its warnings.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "optimizer/rate_fit.h"
#include "optimizer/rate_posterior.h"

namespace edopt {

struct RateCalibrationOptions {
  RateFitOptions fit;
  bool cross_validate = false;
  bool posterior = false;
  // The posterior's sampling (ignored without `posterior`): walkers 0 = automatic; every
  // steps/50-th move of a walker is kept (about 50 per walker).
  int walkers = 0, steps = 1000, burn_in = 300;
  std::uint64_t seed = 1;
  double cell_scatter = 0.10;
  // Extras sampled beside the free parameters: the defaults (DefaultPosteriorExtras), or these
  // keys when `default_extras` is false (empty = none).
  bool default_extras = true;
  std::vector<std::string> extras;
  // Called in the driver thread as the job goes, with the phase ("fit", "posterior"), the work
  // done and the work the phase may take; it may throw to stop the job. Empty = none. The
  // cross-validations' refits do not report.
  std::function<void(const char* phase, int done, int total)> progress;
};

// Throws ConfigError naming the setting when a budget or sampling setting is out of range (odd
// walkers, steps < 4, ...).
void ValidateRateCalibrationOptions(const RateCalibrationOptions& options);

// The sampler's settings the options give, for a table with or without symmetric cells.
RatePosteriorOptions PosteriorSamplingOptions(const CellParameters& cell, const LabTable& table,
                                              const RateCalibrationOptions& options);

struct RateCalibration {
  RateFitResult fit;
  std::unique_ptr<CrossValidation> cv;            // with cross_validate
  std::unique_ptr<RatePosterior> posterior;       // with posterior
  std::unique_ptr<PosteriorCrossValidation> pcv;  // with both
  std::vector<std::string> warnings;              // loadings, bounds, failed rows, ...
  double seconds = 0.0;                           // the fit and the sampling
};

// Checks the table before any work: InputError "ORIGIN: no rate-test rows" when it has none,
// InputError for a weighed loading 3x off its design's (a unit slip), a warning for 20% off.
// `table_name` names the table in messages. Returns the warnings.
std::vector<std::string> CheckRateTable(const CellParameters& cell, const LabTable& table,
                                        const std::string& table_name);

// CheckRateTable, then the fit, the cross-validation and the posterior as the options ask.
RateCalibration CalibrateRates(const CellParameters& cell, const LabTable& table,
                               const RateCalibrationOptions& options,
                               const std::string& table_name);

}  // namespace edopt
