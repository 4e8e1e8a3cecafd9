// Exhaustive search on the grid (optimizer/search.h): the reference a search is measured against.
#include <chrono>

#include "models/composition.h"
#include "models/errors.h"
#include "optimizer/search.h"

namespace edopt {

SearchResult GridSearch(const CellModel& model, const DesignSpace& space, int layers, double c_rate,
                        int threads) {
  space.Validate();
  if (!(space.active_weight_fraction_step > 0) || !(space.thickness_step_m > 0))
    throw ConfigError(
        "GridSearch needs design_space.active_weight_fraction_step and thickness_step_um > 0");
  const auto start = std::chrono::steady_clock::now();
  std::vector<double> ws, ts;
  for (int i = 0;; ++i) {
    const double w = space.min_active_weight_fraction + i * space.active_weight_fraction_step;
    if (w > space.max_active_weight_fraction + 1e-9) break;
    ws.push_back(DecimalFraction(w));
  }
  for (int i = 0;; ++i) {
    const double t = space.min_layer_thickness_m + i * space.thickness_step_m;
    if (t > space.max_layer_thickness_m + 1e-12) break;
    ts.push_back(WholeNanometres(t));
  }
  const DesignCodec codec(space, layers);
  std::vector<Design> designs;
  std::vector<size_t> index(2 * static_cast<size_t>(layers), 0);
  for (bool done = false; !done;) {
    Design d;
    for (int k = 0; k < layers; ++k) {
      d.layers.push_back({ws[index[k]], ts[index[layers + k]], space.carbon_weight_fraction});
    }
    if (codec.Violation(d, model.parameters().materials, model.parameters().packing) == 0)
      designs.push_back(d);
    done = true;
    for (size_t k = 0; k < index.size(); ++k) {  // odometer over the grid
      if (++index[k] < (k < static_cast<size_t>(layers) ? ws.size() : ts.size())) {
        done = false;
        break;
      }
      index[k] = 0;
    }
  }
  const Evaluator evaluator(model, c_rate, threads);
  const auto t0 = std::chrono::steady_clock::now();
  const auto evaluations = evaluator.EvaluateBatch(designs);
  SearchResult result;
  result.model_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  ParetoArchive archive;
  for (size_t i = 0; i < designs.size(); ++i) {
    if (!evaluations[i].failed)
      archive.Insert({designs[i], evaluations[i].theoretical_capacity_C_m2,
                      evaluations[i].utilization, layers, "grid"});
  }
  result.front = archive.Sorted();
  result.fronts_by_layer_count.push_back(result.front);
  result.evaluations = result.candidates = static_cast<int>(designs.size());
  result.hypervolume = Hypervolume(result.front);
  result.total_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  result.summary = {Termination::kConverged, "every grid design evaluated", result.evaluations,
                    result.total_seconds};
  return result;
}

}  // namespace edopt
