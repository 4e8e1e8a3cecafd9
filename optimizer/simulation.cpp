#include "optimizer/simulation.h"

#include <limits>

#include "models/errors.h"

namespace edopt {

namespace {

std::string FailedDrawWarning(const Simulated& s, size_t k) {
  const PredictiveInterval& i = s.intervals[k];
  return FormatDesign(s.design) + " at " + FormatG(s.results[k].c_rate, 3) +
         "C: " + std::to_string(i.failed_draws) + " of " + std::to_string(i.draws) +
         " posterior draws failed numerically; " +
         (i.failed_draws == i.draws
              ? std::string("no interval")
              : "the interval is of the other " + std::to_string(i.draws - i.failed_draws));
}

}  // namespace

SimulationRun SimulateDesigns(const CellParameters& cell, const PosteriorSample& full_posterior,
                              const std::vector<Design>& designs,
                              const std::vector<double>& c_rates, bool record) {
  for (double c : c_rates) {
    try {
      kCRateRange.Check(c);
    } catch (const ConfigError& e) {
      throw ConfigError("C-rate " + FormatG(c, 6) + ": " + e.what());
    }
  }
  for (const auto& d : designs) ValidateDesign(d);
  const CellModel model(cell);
  const PosteriorSample posterior = full_posterior.Thinned(kIntervalDraws);
  SimulationOptions options;
  options.record_curve = options.record_profile = record;
  SimulationRun run;
  for (const auto& design : designs) {
    for (auto& w : model.Warnings(design)) run.warnings.push_back(std::move(w));
  }
  for (const auto& design : designs) {
    Simulated s{design, SummarizeDesign(cell.materials, cell.packing, design), {}, {}};
    for (double c : c_rates) {
      s.results.push_back(model.Simulate(design, c, options));
      const bool failed = s.results.back().end_reason == EndReason::kNumericalFailure;
      run.numerical_failure |= failed;
      if (posterior.empty()) continue;
      const auto draws = UtilizationDraws(cell, posterior, design, c, 0);
      PredictiveInterval interval = MeasurementInterval(draws, posterior.noise_pp);
      if (failed) {
        // No nominal result: an interval around it would pretend there is one.
        interval.low = interval.high = std::numeric_limits<double>::quiet_NaN();
      }
      s.intervals.push_back(interval);
    }
    for (size_t k = 0; k < s.intervals.size(); ++k) {
      if (s.intervals[k].failed_draws > 0) run.warnings.push_back(FailedDrawWarning(s, k));
    }
    run.designs.push_back(std::move(s));
  }
  return run;
}

}  // namespace edopt
