#include "optimizer/search.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>

#include "models/composition.h"
#include "optimizer/nsga2.h"

namespace edopt {

DesignCodec::DesignCodec(const DesignSpace& space, int layers) : space_(space), layers_(layers) {}

namespace {

double Snap(double value, double step, double lo, double hi) {
  if (step > 0) {
    value = lo + std::round((value - lo) / step) * step;
    while (value > hi + 1e-12 * std::abs(hi)) value -= step;
  }
  return std::clamp(value, lo, hi);
}

}  // namespace

Design DesignCodec::Decode(const std::vector<double>& x) const {
  Design d;
  for (int k = 0; k < layers_; ++k) {
    const double w = space_.min_ng_weight_fraction +
                     x[k] * (space_.max_ng_weight_fraction - space_.min_ng_weight_fraction);
    const double t = space_.min_layer_thickness_m +
                     x[layers_ + k] * (space_.max_layer_thickness_m - space_.min_layer_thickness_m);
    // Snap to the grids, keeping round numbers exact in decimal (0.05 steps, whole um).
    const double w_snapped =
        std::round(Snap(w, space_.ng_weight_fraction_step, space_.min_ng_weight_fraction,
                        space_.max_ng_weight_fraction) *
                   1e6) /
        1e6;
    const double t_snapped =
        std::round(Snap(t, space_.thickness_step_m, space_.min_layer_thickness_m,
                        space_.max_layer_thickness_m) *
                   1e9) /
        1e9;
    d.layers.push_back({w_snapped, t_snapped});
  }
  return d;
}

double DesignCodec::Violation(const Design& design, const Materials& materials,
                              const Packing& packing) const {
  const auto s = SummarizeDesign(materials, packing, design);
  double v = 0.0;
  if (s.thickness_m > space_.max_total_thickness_m)
    v += s.thickness_m / space_.max_total_thickness_m - 1.0;
  if (s.thickness_m < space_.min_total_thickness_m)
    v += 1.0 - s.thickness_m / space_.min_total_thickness_m;
  if (s.mean_ng_weight_fraction < space_.min_mean_ng_weight_fraction - 1e-12) {
    v += space_.min_mean_ng_weight_fraction - s.mean_ng_weight_fraction;
  }
  if (space_.monotone_gradient) {
    for (size_t k = 1; k < design.layers.size(); ++k) {
      v += std::max(0.0,
                    design.layers[k - 1].ng_weight_fraction - design.layers[k].ng_weight_fraction);
    }
  }
  return v;
}

Evaluator::Evaluator(const CellModel& model, double c_rate, int threads)
    : model_(model), c_rate_(c_rate), threads_(threads) {}

std::vector<Evaluation> Evaluator::EvaluateBatch(const std::vector<Design>& designs) const {
  std::vector<Evaluation> out(designs.size());
  auto body = [&](const tbb::blocked_range<size_t>& range) {
    for (size_t i = range.begin(); i != range.end(); ++i) {
      const auto r = model_.Simulate(designs[i], c_rate_);
      out[i].theoretical_capacity_C_m2 = r.theoretical_capacity_C_m2;
      out[i].utilization = r.utilization;
      out[i].delivered_capacity_C_m2 = r.delivered_capacity_C_m2;
      out[i].failed = r.end_reason == EndReason::kNumericalFailure;
    }
  };
  if (threads_ > 0) {
    tbb::task_arena arena(threads_);
    arena.execute(
        [&] { tbb::parallel_for(tbb::blocked_range<size_t>(0, designs.size(), 1), body); });
  } else {
    tbb::parallel_for(tbb::blocked_range<size_t>(0, designs.size(), 1), body);
  }
  return out;
}

double SearchScore(const Evaluation& e, Objective objective) {
  return objective == Objective::kUtilization ? e.utilization : e.delivered_capacity_C_m2;
}

SearchResult RunSearch(const CellModel& model, const DesignSpace& space,
                       const SearchOptions& options, double c_rate,
                       const std::function<void(const SearchProgress&)>& progress) {
  space.Validate();
  options.Validate();
  const auto start = std::chrono::steady_clock::now();
  SearchResult result;
  const Evaluator evaluator(model, c_rate, options.threads);
  const int counts = space.max_layers - space.min_layers + 1;
  ParetoArchive combined;
  // Capacity scale for the NSGA-II objective (both objectives of order one).
  const double capacity_scale = 5 * 3.6e4;
  for (int layers = space.min_layers; layers <= space.max_layers; ++layers) {
    const DesignCodec codec(space, layers);
    std::map<std::string, Evaluation> cache;  // designs snap to the grid: reuse evaluations
    ParetoArchive archive;
    const auto& materials = model.parameters().materials;
    const auto& packing = model.parameters().packing;
    BatchEvaluator evaluate = [&](std::vector<Individual>* batch) {
      std::vector<Design> designs(batch->size());
      std::vector<std::string> keys(batch->size());
      std::vector<Design> todo;
      std::vector<std::string> todo_keys;
      for (size_t i = 0; i < batch->size(); ++i) {
        designs[i] = codec.Decode((*batch)[i].x);
        keys[i] = FormatDesign(designs[i]);
        (*batch)[i].violation = codec.Violation(designs[i], materials, packing);
        if ((*batch)[i].violation == 0 && !cache.count(keys[i]) &&
            std::find(todo_keys.begin(), todo_keys.end(), keys[i]) == todo_keys.end()) {
          todo.push_back(designs[i]);
          todo_keys.push_back(keys[i]);
        }
      }
      const auto t0 = std::chrono::steady_clock::now();
      const auto evaluations = evaluator.EvaluateBatch(todo);
      result.model_seconds +=
          std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      result.evaluations += static_cast<int>(todo.size());
      for (size_t i = 0; i < todo.size(); ++i) cache[todo_keys[i]] = evaluations[i];
      result.candidates += static_cast<int>(batch->size());
      for (size_t i = 0; i < batch->size(); ++i) {
        auto& ind = (*batch)[i];
        ind.objectives = {0.0, 0.0};
        if (ind.violation > 0) continue;
        const Evaluation& e = cache[keys[i]];
        if (e.failed) {
          ind.violation = 1.0;
          continue;
        }
        const double score = SearchScore(e, options.objective);
        ind.objectives = {
            -e.theoretical_capacity_C_m2 / capacity_scale,
            -(options.objective == Objective::kUtilization ? score : score / capacity_scale)};
        archive.Insert({designs[i], e.theoretical_capacity_C_m2, score, layers, "nsga2"});
      }
    };
    Nsga2Options nsga;
    nsga.population = options.population;
    nsga.evaluations = std::max(options.population * 2, options.evaluations / counts);
    nsga.seed = options.seed * 1000003ULL + static_cast<std::uint64_t>(layers);
    RunNsga2(codec.dimension(), evaluate, nsga, [&](int done, int budget) {
      if (progress) progress({layers, done, budget});
    });
    auto front = archive.Sorted();
    for (const auto& e : front) combined.Insert(e);
    result.fronts_by_layer_count.push_back(std::move(front));
  }
  result.front = combined.Sorted();
  std::vector<std::pair<double, double>> points;
  for (const auto& e : result.front) points.emplace_back(e.capacity, e.score);
  result.hypervolume = Hypervolume2D(points, 0.0, 0.0);
  result.total_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace edopt
