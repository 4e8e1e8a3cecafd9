#include "optimizer/rate_calibration.h"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "models/composition.h"
#include "models/errors.h"
#include "models/units.h"
#include "optimizer/design_space.h"

namespace edopt {

void ValidateRateCalibrationOptions(const RateCalibrationOptions& o) {
  CheckSetting("--global-evaluations", o.fit.global_evaluations, Between(0, 1e6));
  CheckSetting("--local-evaluations", o.fit.local_evaluations, Between(0, 1e6));
  CheckSetting("--threads", o.fit.threads, Between(0, kMaxThreads));
  if (!o.posterior) return;
  CheckSetting("--walkers", o.walkers, Between(0, 4096));
  if (o.walkers % 2 != 0) {
    throw ConfigError("--walkers " + std::to_string(o.walkers) +
                      " is odd; expected an even number, at least twice the free parameters + 1 "
                      "(0 = automatic)");
  }
  CheckSetting("--posterior-steps", o.steps, Between(4, 1e6));
  CheckSetting("--burn-in", o.burn_in, Between(0, 1e6));
  CheckSetting("--cell-scatter", o.cell_scatter, {0.0, 2.0, true, false});
}

RatePosteriorOptions PosteriorSamplingOptions(const CellParameters& cell, const LabTable& table,
                                              const RateCalibrationOptions& o) {
  RatePosteriorOptions options;
  options.sampler.walkers = o.walkers;
  options.sampler.steps = o.steps;
  options.sampler.burn_in = o.burn_in;
  options.sampler.thin = std::max(1, o.steps / 50);  // ~50 kept moves per walker
  options.sampler.seed = o.seed;
  options.sampler.threads = o.fit.threads;
  options.cell_scatter = o.cell_scatter;
  if (o.default_extras) {
    options.extra = DefaultPosteriorExtras(cell, !table.symmetric_cells.empty(), o.fit.free);
  } else {
    for (const auto& key : o.extras) options.extra.push_back(FindFittable(key));
  }
  return options;
}

std::vector<std::string> CheckRateTable(const CellParameters& cell, const LabTable& table,
                                        const std::string& table_name) {
  if (table.rate_tests.empty()) {
    throw InputError(table_name +
                     ": no rate-test rows; the fit needs discharges (symmetric "
                     "cells alone calibrate through calibrate eis)");
  }
  // Each row's weighed loading against its design's at the scenario's packing: a factor 3 off
  // is a unit slip (per pellet instead of per cm2) and refused; 20% off is worth a warning.
  std::vector<std::string> warnings = table.notes;
  for (const auto& p : table.rate_tests) {
    if (!(p.theoretical_capacity_C_m2 > 0)) continue;
    const double model =
        SummarizeDesign(cell.materials, cell.packing, p.design).theoretical_capacity_C_m2;
    const double ratio = p.theoretical_capacity_C_m2 / model;
    const std::string words = p.origin + ": theoretical_capacity_mAh_cm2 = " +
                              FormatG(p.theoretical_capacity_C_m2 / kC_m2_per_mAh_cm2, 4) + " is " +
                              FormatG(ratio, 3) + "x the design's " +
                              FormatG(model / kC_m2_per_mAh_cm2, 4) +
                              " mAh/cm2 at the scenario's packing";
    if (ratio > 3.0 || ratio < 1.0 / 3.0) {
      throw InputError(words +
                       " (a unit slip? per pellet instead of per cm2, mAh instead of "
                       "mAh/cm2)");
    }
    if (std::abs(ratio - 1.0) > 0.2) warnings.push_back(words + "; the fit uses the weighed value");
  }
  return warnings;
}

RateCalibration CalibrateRates(const CellParameters& cell, const LabTable& table,
                               const RateCalibrationOptions& options,
                               const std::string& table_name) {
  ValidateRateCalibrationOptions(options);
  RateCalibration out;
  out.warnings = CheckRateTable(cell, table, table_name);
  const RatePosteriorOptions posterior_options = PosteriorSamplingOptions(cell, table, options);
  const auto& points = table.rate_tests;
  const auto start = std::chrono::steady_clock::now();
  RateFitOptions fit_options = options.fit;
  if (options.progress) {
    fit_options.progress = [&options](int done, int total) {
      options.progress("fit", done, total);
    };
  }
  if (options.cross_validate)
    out.cv = std::make_unique<CrossValidation>(CrossValidate(cell, points, options.fit));
  out.fit = out.cv ? out.cv->full : FitRates(cell, points, fit_options);
  if (options.posterior) {
    RatePosteriorOptions sampled = posterior_options;
    if (options.progress) {
      sampled.sampler.progress = [&options](int done, int total) {
        options.progress("posterior", done, total);
      };
    }
    out.posterior =
        std::make_unique<RatePosterior>(SampleRatePosterior(cell, table, out.fit, sampled));
    if (options.cross_validate) {
      out.pcv = std::make_unique<PosteriorCrossValidation>(
          CrossValidatePosterior(cell, points, options.fit, posterior_options));
    }
  }
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const RateFitResult& fit = out.fit;
  if (fit.at_bound) out.warnings.push_back("a fitted parameter ended at a bound of its range");
  for (const auto& row : fit.failed_rows) {
    out.warnings.push_back(row +
                           ": the model fails numerically at the fitted values; the row is left "
                           "out of the RMS (its prediction is null in --json)");
  }
  for (const auto& key : fit.unidentifiable) {
    out.warnings.push_back(key +
                           " is not identifiable: no row's prediction depends on it (its value is "
                           "the start, its standard error infinite); leave it out of --free");
  }
  if (!fit.optimized)
    out.warnings.push_back("zero budgets: no solver ran, the values are the start");
  if (out.posterior) {
    const RatePosterior& post = *out.posterior;
    for (size_t i = 0; i < post.lower_edge_share.size(); ++i) {
      for (const bool upper : {false, true}) {
        const double share = upper ? post.upper_edge_share[i] : post.lower_edge_share[i];
        if (share <= kEdgeShareReported) continue;
        out.warnings.push_back("posterior: " + post.names[i] + ": " + FormatG(100 * share, 2) +
                               "% of the draws " + "lie in the " + (upper ? "top" : "bottom") +
                               " " + FormatG(100 * kEdgeBand, 2) + "% of its range (up to its " +
                               (upper ? "upper" : "lower") + " edge, " +
                               FormatG(upper ? post.upper_bound[i] : post.lower_bound[i], 3) +
                               "): the data do not bound it there, the range does");
      }
    }
  }
  if (out.posterior && out.posterior->summary.termination != Termination::kConverged) {
    out.warnings.push_back("posterior: " + out.posterior->summary.message +
                           " (not converged: R-hat >= 1.1 or ESS < 100; raise --posterior-steps)");
  }
  return out;
}

}  // namespace edopt
