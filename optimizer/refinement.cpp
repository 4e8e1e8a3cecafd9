#include "optimizer/refinement.h"

#include <cmath>

#include "models/composition.h"
#include "optimizer/nlopt_run.h"

namespace edopt {

namespace {

struct RefinementProblem {
  const CellModel* model;
  const DesignCodec* codec;
  double c_rate;
  Objective objective;
  double epsilon_C_m2;
  double capacity_scale;
  int evaluations = 0;
  double best_score = -HUGE_VAL;
  std::vector<double> best_x;

  double Capacity(const Design& d) const {
    return SummarizeDesign(model->parameters().materials, model->parameters().packing, d)
        .theoretical_capacity_C_m2;
  }
};

double RefinementObjective(const std::vector<double>& x, std::vector<double>& /*grad*/,
                           void* data) {
  auto* p = static_cast<RefinementProblem*>(data);
  const Design d = p->codec->Decode(x, false);
  const Evaluation e = EvaluateDesign(*p->model, d, p->c_rate);
  ++p->evaluations;
  if (e.failed) return 1.0;  // worse than any feasible score (scores are >= 0, minimized as -s)
  const double score = SearchScore(e, p->objective);
  const double scaled = p->objective == Objective::kUtilization ? score : score / p->capacity_scale;
  const bool feasible = p->codec->Violation(d, p->model->parameters().materials,
                                            p->model->parameters().packing) == 0.0 &&
                        e.theoretical_capacity_C_m2 >= p->epsilon_C_m2;
  if (feasible && score > p->best_score) {
    p->best_score = score;
    p->best_x = x;
  }
  return -scaled;
}

double CapacityConstraint(const std::vector<double>& x, std::vector<double>& /*grad*/, void* data) {
  auto* p = static_cast<RefinementProblem*>(data);
  return (p->epsilon_C_m2 - p->Capacity(p->codec->Decode(x, false))) / p->capacity_scale;
}

double SpaceConstraint(const std::vector<double>& x, std::vector<double>& /*grad*/, void* data) {
  auto* p = static_cast<RefinementProblem*>(data);
  return p->codec->Violation(p->codec->Decode(x, false), p->model->parameters().materials,
                             p->model->parameters().packing);
}

}  // namespace

Refinement Refine(const CellModel& model, const DesignCodec& codec, double c_rate,
                  Objective objective, double epsilon_C_m2, double capacity_scale,
                  double thickness_step_unit, const std::vector<double>& start,
                  int max_evaluations) {
  Refinement out;
  RefinementProblem problem{&model,         &codec, c_rate,    objective, epsilon_C_m2,
                            capacity_scale, 0,      -HUGE_VAL, {}};
  try {
    const auto n = static_cast<unsigned>(codec.dimension());
    nlopt::opt opt(nlopt::LN_COBYLA, n);
    opt.set_lower_bounds(std::vector<double>(n, 0.0));
    opt.set_upper_bounds(std::vector<double>(n, 1.0));
    // Guarded: an exception inside keeps its type and message (optimizer/nlopt_run.h).
    auto bind = [&problem](auto function) {
      return [&problem, function](const std::vector<double>& x) {
        std::vector<double> no_gradient;
        return function(x, no_gradient, &problem);
      };
    };
    Guarded score{bind(RefinementObjective), nullptr};
    Guarded capacity{bind(CapacityConstraint), nullptr};
    Guarded space{bind(SpaceConstraint), nullptr};
    opt.set_min_objective(Guarded::Call, &score);
    opt.add_inequality_constraint(Guarded::Call, &capacity, 1e-9);
    opt.add_inequality_constraint(Guarded::Call, &space, 1e-9);
    opt.set_maxeval(max_evaluations);
    opt.set_xtol_abs(1e-4);
    opt.set_initial_step(std::vector<double>(n, 0.05));
    std::vector<double> x = start;
    double f = 0.0;
    // The best feasible point so far is kept in problem.best_x, whatever the termination.
    out.termination = RunNlopt(opt, x, f, {&score, &capacity, &space});
  } catch (...) {
    out.error = std::current_exception();
  }
  out.evaluations = problem.evaluations;
  if (out.error || problem.best_x.empty()) return out;
  // Snap to the weighing grid: the nearest grid design, and when that falls below the capacity
  // level, the one with every thickness rounded up instead.
  std::vector<Design> snapped = {codec.Decode(problem.best_x, true)};
  if (problem.Capacity(snapped[0]) < epsilon_C_m2) {
    auto up = problem.best_x;
    for (int k = codec.dimension() / 2; k < codec.dimension(); ++k)
      up[k] = std::min(1.0, up[k] + 0.5 * thickness_step_unit);
    const Design d = codec.Decode(up, true);
    if (!(d == snapped[0])) snapped.push_back(d);
  }
  for (const auto& d : snapped) {
    if (codec.Violation(d, model.parameters().materials, model.parameters().packing) > 0.0)
      continue;
    try {
      out.results.emplace_back(d, EvaluateDesign(model, d, c_rate));
      ++out.evaluations;
    } catch (...) {
      out.error = std::current_exception();
    }
  }
  return out;
}

}  // namespace edopt
