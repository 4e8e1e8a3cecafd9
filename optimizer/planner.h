// Which measurement to make next (docs/physics.md §12): the value of a candidate measurement is
// how much it is expected to narrow the uncertainty of the decision, the band recommendations,
// per unit of its cost. Preposterior analysis over the posterior's draws: each draw in turn is
// taken as the truth, the measurement is simulated from it with its noise, the draws are
// reweighted by the measurement's likelihood (importance reweighting, no refit), and the 95%
// widths of every band pick's utilization and of its gain over the uniform rival are taken
// under the new weights; their expectation over the truths is the width after.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/design.h"
#include "models/parameters.h"
#include "models/summary.h"
#include "optimizer/posterior_predictive.h"
#include "optimizer/rate_fit.h"

namespace edopt {

enum class MeasurementKind { kSymmetricCell, kRateTest, kReplicate };
const char* ToString(MeasurementKind kind);  // "symmetric_cell", "rate_test", "replicate"

struct CandidateMeasurement {
  MeasurementKind kind = MeasurementKind::kSymmetricCell;
  // A symmetric cell (or its replicate): the pellet; a rate test (or its replicate): the cell.
  bool is_cell = true;
  SymmetricCellPoint cell;
  RatePoint rate_test;  // design, c_rate and the cell's conditions
  double cost = 1.0;
};

// One decision: a band's pick and the uniform electrode it is compared with.
struct BandDecision {
  std::string band;  // "capacity>=4"
  Design pick, uniform;
  bool has_uniform = false;
};

struct PlanOptions {
  double c_rate = 0.3;  // the objective rate the band designs are judged at
  // Posterior draws used (thinned). Reweighting a few hundred draws credits a measurement that
  // only thins them with a spurious 1-2% narrowing; 800 keeps that below 0.5%.
  int draws = 800;
  double cell_scatter = 0.10;    // relative scatter of a symmetric cell's resistance
  double cell_fit_error = 0.03;  // relative standard error of its TLM fit
  int batch = 1;                 // measurements chosen together (greedy)
  // The batch ends when no candidate narrows its expected width by more than this fraction:
  // the reweighting's resolution (above; a measurement that only thins the draws looks this
  // informative), so that no member is there for noise.
  double min_narrowing = 0.005;
  int threads = 0;
  std::uint64_t seed = 1;
};

// Per draw: the predicted observation of a measurement and the noise it is observed with.
struct DrawPredictions {
  std::vector<double> mean, sigma;
};

struct CandidateValue {
  CandidateMeasurement measurement;
  double width_before = 0.0, width_after = 0.0;  // sum over decisions, utilization points
  std::vector<double> band_width_after;          // per decision: pick + gain widths, points
  double effective_draws = 0.0;                  // mean effective sample size after the update
  double value_per_cost = 0.0;                   // (before - after) / cost
};

struct Plan {
  std::vector<double> band_width_before;  // per decision: pick + gain widths, points
  double width_before = 0.0;
  std::vector<CandidateValue> ranked;     // best value per cost first
  std::vector<int> batch;                 // indices into ranked, in the greedy order
  std::vector<double> batch_width_after;  // the expected width after the first k of the batch
  double batch_cost = 0.0;
  Summary summary;
};

// Ranks the menu. Throws ConfigError for an empty posterior, menu or decision list.
// Deterministic for a seed at any thread count.
Plan PlanMeasurements(const CellParameters& cell, const PosteriorSample& posterior,
                      const std::vector<BandDecision>& decisions,
                      const std::vector<CandidateMeasurement>& menu, const PlanOptions& options);

// The core (exposed for tests): the expected sum over quantities of their 95% widths
// (3.92 x the unbiased weighted standard deviation, so collapsing weights do not fake
// certainty) after observing all `measurements`, each draw taken as the truth once with noise
// from `seed`. quantities[q][s]: quantity q under draw s. `effective_draws` gets the mean
// effective sample size (may be null).
double ExpectedWidthAfter(const std::vector<std::vector<double>>& quantities,
                          const std::vector<const DrawPredictions*>& measurements,
                          std::uint64_t seed, double* effective_draws = nullptr);
// The width of each quantity under weights (normalized inside).
double WeightedWidth(const std::vector<double>& values, const std::vector<double>& weights);

}  // namespace edopt
