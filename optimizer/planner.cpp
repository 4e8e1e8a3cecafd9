#include "optimizer/planner.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <random>

#include "models/errors.h"
#include "optimizer/parallel.h"

namespace edopt {

const char* ToString(MeasurementKind kind) {
  switch (kind) {
    case MeasurementKind::kSymmetricCell:
      return "symmetric_cell";
    case MeasurementKind::kRateTest:
      return "rate_test";
    case MeasurementKind::kReplicate:
      return "replicate";
  }
  return "?";
}

namespace {

// The width of `values` under normalized weights p (summing to 1; p = 0 leaves a value out) with
// sum_w2 = sum of p^2: WeightedWidth's arithmetic, shared with the planner's hot path (which
// normalizes once per truth for every quantity without a failed draw).
double NormalizedWidth(const std::vector<double>& values, const double* p, double sum_w2) {
  double mean = 0.0;
  for (size_t s = 0; s < values.size(); ++s) {
    if (p[s] == 0) continue;
    mean += p[s] * values[s];
  }
  double var = 0.0;
  for (size_t s = 0; s < values.size(); ++s) {
    if (p[s] > 0) var += p[s] * (values[s] - mean) * (values[s] - mean);
  }
  if (1.0 / sum_w2 < 2.0) {  // one draw carries it all: no width can be read; credit nothing
    // The draws' own width (uniform weights, which have an effective size of at least two when
    // two values are finite); fewer than two finite values have no width.
    const auto finite =
        std::count_if(values.begin(), values.end(), [](double v) { return !std::isnan(v); });
    if (finite < 2) return std::numeric_limits<double>::quiet_NaN();
    return WeightedWidth(values, std::vector<double>(values.size(), 1.0));
  }
  // Unbiased variance for reliability weights, and the standard deviation's small-sample bias
  // (c4 of the effective sample size n = 1 / sum w^2, E[s] = c4 sigma) removed: a measurement
  // that only thins the draws must not look informative.
  const double n = 1.0 / sum_w2;
  const double c4 = 1.0 - 1.0 / (4.0 * (n - 1.0)) - 7.0 / (32.0 * (n - 1.0) * (n - 1.0));
  return 3.92 * std::sqrt(var / (1.0 - sum_w2)) / c4;
}

}  // namespace

double WeightedWidth(const std::vector<double>& values, const std::vector<double>& raw_weights) {
  // A draw without a result (NaN: a numerical failure) carries no weight.
  std::vector<double> p(raw_weights);
  for (size_t s = 0; s < values.size(); ++s) {
    if (std::isnan(values[s])) p[s] = 0.0;
  }
  double total = 0.0;
  for (double w : p) total += w;
  if (!(total > 0)) return std::numeric_limits<double>::quiet_NaN();
  double sum_w2 = 0.0;
  for (double& w : p) {
    w = w / total;
    sum_w2 += w * w;
  }
  return NormalizedWidth(values, p.data(), sum_w2);
}

namespace {

// Expected width per quantity after the measurements (each draw as the truth once).
std::vector<double> ExpectedWidths(const std::vector<std::vector<double>>& quantities,
                                   const std::vector<const DrawPredictions*>& measurements,
                                   std::uint64_t seed, double* effective_draws) {
  const size_t draws = quantities.empty() ? 0 : quantities[0].size();
  std::vector<std::vector<double>> per_truth(draws, std::vector<double>(quantities.size()));
  std::vector<double> ess(draws);
  std::vector<char> truth(draws, 1);  // a draw whose measurement has no result is no truth
  for (const auto* m : measurements) {
    for (size_t t = 0; t < draws; ++t) truth[t] &= !std::isnan(m->mean[t]);
  }
  // Per truth and quantity the same arithmetic as WeightedWidth, with what does not depend on
  // the truth computed once: the noise's log per draw, the weights normalized once per truth
  // for every quantity without a failed draw (bit for bit the widths of WeightedWidth; 2.5x
  // fewer operations per candidate, issue 40).
  std::vector<std::vector<double>> log_sigma;
  for (const auto* m : measurements) {
    log_sigma.emplace_back(draws);
    for (size_t s = 0; s < draws; ++s) log_sigma.back()[s] = std::log(m->sigma[s]);
  }
  std::vector<char> complete(quantities.size());
  for (size_t q = 0; q < quantities.size(); ++q) {
    complete[q] = std::none_of(quantities[q].begin(), quantities[q].end(),
                               [](double v) { return std::isnan(v); });
  }
  ParallelFor(0, draws, [&](size_t t) {
    if (!truth[t]) return;
    std::mt19937_64 rng(seed ^ (0x9e3779b97f4a7c15ULL * (t + 1)));
    std::normal_distribution<double> normal(0.0, 1.0);
    std::vector<double> log_w(draws, 0.0);
    for (size_t k = 0; k < measurements.size(); ++k) {
      const DrawPredictions& m = *measurements[k];
      const double* ls = log_sigma[k].data();
      const double y = m.mean[t] + m.sigma[t] * normal(rng);
      for (size_t s = 0; s < draws; ++s) {
        const double z = (y - m.mean[s]) / m.sigma[s];
        log_w[s] += std::isnan(z) ? -std::numeric_limits<double>::infinity() : -0.5 * z * z - ls[s];
      }
    }
    const double top = *std::max_element(log_w.begin(), log_w.end());
    std::vector<double> w(draws);
    double total = 0.0, sum_w2 = 0.0;
    for (size_t s = 0; s < draws; ++s) total += w[s] = std::exp(log_w[s] - top);
    std::vector<double> p(draws);
    for (size_t s = 0; s < draws; ++s) {
      p[s] = w[s] / total;
      sum_w2 += p[s] * p[s];
    }
    ess[t] = 1.0 / sum_w2;
    for (size_t q = 0; q < quantities.size(); ++q) {
      per_truth[t][q] = complete[q] && total > 0 ? NormalizedWidth(quantities[q], p.data(), sum_w2)
                                                 : WeightedWidth(quantities[q], w);
    }
  });
  // Averages over the truths that have a width (a truth whose reweighting leaves no width,
  // every draw failed or one draw left, is left out, as simulate leaves out failed draws).
  std::vector<double> out(quantities.size(), 0.0), counted(quantities.size(), 0.0);
  double mean_ess = 0.0, truths = 0.0;
  for (size_t t = 0; t < draws; ++t) {
    if (!truth[t]) continue;
    truths += 1.0;
    for (size_t q = 0; q < quantities.size(); ++q) counted[q] += !std::isnan(per_truth[t][q]);
  }
  for (size_t t = 0; t < draws; ++t) {
    if (!truth[t]) continue;
    for (size_t q = 0; q < quantities.size(); ++q) {
      if (!std::isnan(per_truth[t][q])) out[q] += per_truth[t][q] / counted[q];
    }
    mean_ess += ess[t] / truths;
  }
  for (size_t q = 0; q < quantities.size(); ++q) {
    if (counted[q] == 0) out[q] = std::numeric_limits<double>::quiet_NaN();
  }
  if (effective_draws != nullptr) *effective_draws = mean_ess;
  return out;
}

// Per decision: its pick's width, plus its gain's when it has a uniform rival (the quantities'
// order, DecisionQuantities).
std::vector<double> PerDecision(const std::vector<double>& widths,
                                const std::vector<BandDecision>& decisions) {
  std::vector<double> out;
  for (size_t d = 0, q = 0; d < decisions.size(); ++d) {
    double w = widths[q++];
    if (decisions[d].has_uniform) w += widths[q++];
    out.push_back(w);
  }
  return out;
}

double Sum(const std::vector<double>& v) {
  double s = 0.0;
  for (double x : v) s += x;
  return s;
}

}  // namespace

double ExpectedWidthAfter(const std::vector<std::vector<double>>& quantities,
                          const std::vector<const DrawPredictions*>& measurements,
                          std::uint64_t seed, double* effective_draws) {
  return Sum(ExpectedWidths(quantities, measurements, seed, effective_draws));
}

namespace {

// The decision quantities per draw: each band's pick utilization and its gain over the
// uniform rival, in points.
std::vector<std::vector<double>> DecisionQuantities(const CellParameters& cell,
                                                    const PosteriorSample& sample,
                                                    const std::vector<BandDecision>& decisions,
                                                    const PlanOptions& options) {
  std::vector<std::vector<double>> q;
  for (const auto& d : decisions) {
    auto pick = UtilizationDraws(cell, sample, d.pick, options.c_rate, options.threads);
    for (auto& v : pick) v *= 100.0;
    q.push_back(pick);
    if (!d.has_uniform) continue;
    auto gain = UtilizationDraws(cell, sample, d.uniform, options.c_rate, options.threads);
    for (size_t s = 0; s < gain.size(); ++s) gain[s] = pick[s] - 100.0 * gain[s];
    q.push_back(gain);
  }
  return q;
}

DrawPredictions Predict(const CellParameters& cell, const PosteriorSample& sample,
                        const CandidateMeasurement& m, const PlanOptions& options) {
  DrawPredictions p;
  const size_t n = sample.values.size();
  if (m.is_cell) {
    const auto entries = sample.Entries();
    p.mean.resize(n);
    ParallelFor(options.threads, n, [&](size_t s) {
      p.mean[s] = std::log(PredictIonicResistance(sample.Apply(cell, s, entries), m.cell));
    });
    p.sigma.assign(n, std::hypot(options.cell_fit_error, options.cell_scatter));
    return p;
  }
  p.mean = UtilizationDraws(PointParameters(cell, m.rate_test), sample, m.rate_test.design,
                            m.rate_test.c_rate, options.threads);
  for (double noise : sample.noise_pp) p.sigma.push_back(noise / 100.0);
  return p;
}

// Greedy batch: each step adds the candidate with the largest further reduction per its cost.
void GreedyBatch(const std::vector<std::vector<double>>& quantities,
                 const std::vector<DrawPredictions>& predictions, const PlanOptions& options,
                 Plan* plan) {
  std::vector<const DrawPredictions*> chosen;
  double width = plan->width_before;
  const int size = std::min<int>(options.batch, static_cast<int>(plan->ranked.size()));
  for (int step = 0; step < size; ++step) {
    int best = -1;
    double best_value = -1e300, best_width = width;
    for (int i = 0; i < static_cast<int>(plan->ranked.size()); ++i) {
      if (std::find(plan->batch.begin(), plan->batch.end(), i) != plan->batch.end()) continue;
      auto trial = chosen;
      trial.push_back(&predictions[i]);
      const double after = ExpectedWidthAfter(quantities, trial, options.seed);
      const double value = (width - after) / plan->ranked[i].measurement.cost;
      if (std::isfinite(value) && value > best_value)
        best = i, best_value = value, best_width = after;
    }
    // No candidate left narrows the batch's expected width by more than the reweighting
    // resolves (or none has a width): the batch ends.
    if (best < 0 || !(width - best_width > options.min_narrowing * width)) break;
    plan->batch.push_back(best);
    plan->batch_width_after.push_back(best_width);
    plan->batch_cost += plan->ranked[best].measurement.cost;
    chosen.push_back(&predictions[best]);
    width = best_width;
  }
}

}  // namespace

Plan PlanMeasurements(const CellParameters& cell, const PosteriorSample& posterior,
                      const std::vector<BandDecision>& decisions,
                      const std::vector<CandidateMeasurement>& menu, const PlanOptions& options) {
  if (posterior.values.size() < 2) throw ConfigError("plan: the scenario has no posterior sample");
  if (decisions.empty()) throw ConfigError("plan: no band recommendations to decide");
  if (menu.empty()) throw ConfigError("plan: no candidate measurements");
  const auto start = std::chrono::steady_clock::now();
  const PosteriorSample sample = posterior.Thinned(options.draws);
  const auto quantities = DecisionQuantities(cell, sample, decisions, options);
  const std::vector<double> uniform(sample.values.size(), 1.0);
  Plan plan;
  std::vector<double> widths_before;
  for (const auto& q : quantities) widths_before.push_back(WeightedWidth(q, uniform));
  plan.band_width_before = PerDecision(widths_before, decisions);
  plan.width_before = Sum(plan.band_width_before);
  std::vector<DrawPredictions> predictions;
  for (const auto& m : menu) {
    if (!(m.cost > 0)) throw ConfigError("plan: a measurement's cost must be > 0");
    predictions.push_back(Predict(cell, sample, m, options));
    CandidateValue v;
    v.measurement = m;
    v.width_before = plan.width_before;
    const auto widths =
        ExpectedWidths(quantities, {&predictions.back()}, options.seed, &v.effective_draws);
    v.band_width_after = PerDecision(widths, decisions);
    v.width_after = Sum(v.band_width_after);
    v.value_per_cost = (v.width_before - v.width_after) / m.cost;
    plan.ranked.push_back(v);
  }
  // Best first (stable: the menu's order breaks ties); predictions follow the order.
  std::vector<size_t> order(menu.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return plan.ranked[a].value_per_cost > plan.ranked[b].value_per_cost;
  });
  std::vector<CandidateValue> ranked;
  std::vector<DrawPredictions> ranked_predictions;
  for (size_t i : order) {
    ranked.push_back(plan.ranked[i]);
    ranked_predictions.push_back(predictions[i]);
  }
  plan.ranked = std::move(ranked);
  GreedyBatch(quantities, ranked_predictions, options, &plan);
  plan.summary.evaluations =
      static_cast<int>(sample.values.size() * (quantities.size() + menu.size()));
  plan.summary.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  plan.summary.message = std::to_string(menu.size()) + " candidates ranked over " +
                         std::to_string(sample.values.size()) + " posterior draws";
  return plan;
}

}  // namespace edopt
