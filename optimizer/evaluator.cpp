#include "optimizer/evaluator.h"

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

}  // namespace edopt
