// The multi-objective design search: per layer count, NSGA-II over (w_1..w_k, L_1..L_k) with
// batches evaluated in parallel (TBB), all feeding one Pareto archive of (theoretical areal
// capacity, utilization or delivered capacity at the objective rate).
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "models/cell_model.h"
#include "models/summary.h"
#include "optimizer/band_polish.h"
#include "optimizer/design_codec.h"
#include "optimizer/design_space.h"
#include "optimizer/evaluator.h"
#include "optimizer/pareto.h"

namespace edopt {

struct SearchProgress {
  int layer_count = 0;
  const char* phase = "nsga2";  // or "refinement"

  int evaluations = 0;
  int budget = 0;
};

struct SearchResult {
  std::vector<ArchiveEntry> front;  // the combined Pareto front, by capacity
  std::vector<std::vector<ArchiveEntry>> fronts_by_layer_count;  // index = layers - min_layers
  int evaluations = 0;                 // model evaluations (unique designs simulated), all phases
  int refinement_evaluations = 0;      // of which in the epsilon-constraint refinement
  int refinement_improvements = 0;     // refinement results that entered a layer-count front
  int gap_fill_evaluations = 0;        // spent filling front gaps
  int band_polish_evaluations = 0;     // spent polishing the capacity bands
  std::vector<BandCertificate> bands;  // per search.capacity_bands_C_m2
  int candidates = 0;                  // designs proposed by the search, duplicates included
  double hypervolume = 0.0;            // of the combined front; reference (0 capacity, 0 score)
  double model_seconds = 0.0;          // wall time inside batch evaluation
  double total_seconds = 0.0;
  Summary summary;
  // Every design evaluated at the objective rate, keyed by its text (FormatDesign).
  std::map<std::string, Evaluation> evaluated;
};

SearchResult RunSearch(const CellModel& model, const DesignSpace& space,
                       const SearchOptions& options, double c_rate,
                       const std::function<void(const SearchProgress&)>& progress = nullptr);

// Exhaustive search: every feasible design of `layers` layers on the space's grid (steps must be
// > 0), evaluated in parallel; the reference a search is measured against.
SearchResult GridSearch(const CellModel& model, const DesignSpace& space, int layers, double c_rate,
                        int threads);

}  // namespace edopt
