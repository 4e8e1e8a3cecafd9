#include "optimizer/evaluator.h"

#include "models/errors.h"
#include "models/parameter.h"
#include "optimizer/parallel.h"

namespace edopt {

Evaluation EvaluateDesign(const CellModel& model, const Design& design, double c_rate) {
  const auto r = model.Simulate(design, c_rate);
  return {r.theoretical_capacity_C_m2, r.utilization, r.delivered_capacity_C_m2,
          r.end_reason == EndReason::kNumericalFailure};
}

double SearchScore(const Evaluation& e, Objective objective, double per_capacity_C_m2) {
  if (objective == Objective::kUtilization) return e.utilization;
  return per_capacity_C_m2 > 0 ? e.delivered_capacity_C_m2 / per_capacity_C_m2
                               : e.delivered_capacity_C_m2;
}

Evaluator::Evaluator(const CellModel& model, double c_rate, int threads)
    : model_(model), c_rate_(c_rate), threads_(threads) {}

std::vector<Evaluation> Evaluator::EvaluateBatch(const std::vector<Design>& designs) const {
  std::vector<Evaluation> out(designs.size());
  ParallelFor(threads_, designs.size(),
              [&](size_t i) { out[i] = EvaluateDesign(model_, designs[i], c_rate_); });
  return out;
}

std::vector<Evaluation> EvaluateRows(const CellModel& model, const double* x, size_t rows,
                                     size_t layers, double carbon, double c_rate, int threads) {
  CheckSetting("rate", c_rate, kCRateRange);
  CheckSetting("threads", threads, Between(0, kMaxThreads));
  std::vector<Design> designs;  // the valid rows only; row[k] is the row of designs[k]
  std::vector<size_t> row;
  for (size_t i = 0; i < rows; ++i) {
    Design d;
    for (size_t k = 0; k < layers; ++k) {
      const double w = x[i * 2 * layers + k], t = x[i * 2 * layers + layers + k];
      if (t != 0) d.layers.push_back({w, t * 1e-6, carbon});
    }
    try {
      ValidateDesign(d);
    } catch (const ConfigError&) {
      continue;  // reported as failed, not simulated
    }
    designs.push_back(d);
    row.push_back(i);
  }
  const std::vector<Evaluation> results = Evaluator(model, c_rate, threads).EvaluateBatch(designs);
  std::vector<Evaluation> out(rows);
  for (auto& e : out) e.failed = true;
  for (size_t k = 0; k < designs.size(); ++k) out[row[k]] = results[k];
  return out;
}

}  // namespace edopt
