// What a lab acts on, read off a search's front (docs/architecture.md §4): the knee, the best
// design per capacity band with its gain over the best uniform (one-layer) electrode of that
// capacity, which front design weakly dominates each reference design, and which constraints
// bind. RunOptimization is the whole `edopt optimize` job: search, the fronts evaluated at 0.1C
// too, and this analysis.
#pragma once

#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "models/cell_model.h"
#include "models/composition.h"
#include "optimizer/posterior_predictive.h"
#include "optimizer/search.h"

namespace edopt {

struct FrontRow {
  ArchiveEntry entry;
  Evaluation at_objective;        // at the objective rate
  double utilization_0p1C = 0.0;  // at 0.1C
  DesignSummary summary;
};

struct BandChoice {
  double capacity_C_m2 = 0.0;  // the band: capacity >= this
  int best = -1;               // index into the front's rows; -1 = none reaches the band
  // Index into the one-layer front of the best uniform electrode with at least the capacity of
  // `best`; -1 = none (or no one-layer front).
  int uniform = -1;
  double gain_points = std::numeric_limits<double>::quiet_NaN();  // 100 x utilization difference
  // The search's certificate for this band (optimizer/band_polish.h); empty without a polish.
  bool certified = false;
  std::string certificate;
  // With a posterior (docs/physics.md §11): the 95% interval of a new measurement of `best`
  // and of the uniform electrode, and the probability that `best` beats it (paired draws).
  bool has_interval = false;
  PredictiveInterval interval, uniform_interval;
  double p_beats_uniform = std::numeric_limits<double>::quiet_NaN();
};

struct ReferenceCheck {
  Design design;
  Evaluation at_objective;
  double utilization_0p1C = 0.0;
  int dominated_by = -1;     // index into the front's rows of the design that weakly dominates it
  double gain_points = 0.0;  // of that design over the reference (0 when it is the same)
};

struct FrontAnalysis {
  std::vector<FrontRow> rows;                              // the combined front, by capacity
  std::vector<std::vector<FrontRow>> rows_by_layer_count;  // index = layers - min_layers
  int knee = -1;                                           // index into rows; -1 = empty front
  bool knee_has_interval = false;
  PredictiveInterval knee_interval;  // with a posterior
  std::vector<BandChoice> bands;
  std::vector<ReferenceCheck> references;
  int mean_fraction_binds = 0;    // rows within 0.01 of the minimum mean NG fraction
  int total_thickness_binds = 0;  // rows within 2 um of the total-thickness bound
};

// The entries of rows (for the Pareto helpers).
std::vector<ArchiveEntry> Entries(const std::vector<FrontRow>& rows);

// Per band, the first front row with capacity >= the band, and the gain over the best uniform
// electrode of at least its capacity (`uniform` may be null: no gain).
std::vector<BandChoice> BestPerBand(const std::vector<FrontRow>& rows,
                                    const std::vector<FrontRow>* uniform,
                                    const std::vector<double>& bands_C_m2);

// Which front row weakly dominates the reference (at least its capacity and, up to round-off,
// its utilization), and by how many points.
ReferenceCheck CheckReference(const std::vector<FrontRow>& rows, const Design& design,
                              const Evaluation& at_objective, double utilization_0p1C);

// Counts the rows on which the energy-density and total-thickness constraints bind.
void CountBindingConstraints(const std::vector<FrontRow>& rows, const DesignSpace& space,
                             int* mean_fraction_binds, int* total_thickness_binds);

struct OptimizationRun {
  SearchResult search;
  FrontAnalysis analysis;
};

// Searches (the reference designs seeded into the first populations and their capacities added
// to the refinement's levels), evaluates every front at 0.1C and at the objective rate in
// parallel, and analyses the combined front. Deterministic for a seed at any thread count.
// With a non-empty posterior, the knee and every band design (and its uniform rival) get
// their interval from up to 200 of its draws.
OptimizationRun RunOptimization(const CellParameters& cell, const DesignSpace& space,
                                SearchOptions options, double c_rate,
                                const std::vector<Design>& references,
                                const std::function<void(const SearchProgress&)>& progress,
                                const PosteriorSample& posterior = {});

// The intervals of the band designs, their uniform rivals and the knee (RunOptimization does
// this when it has a posterior).
void AddUncertainty(const CellParameters& cell, const PosteriorSample& posterior, double c_rate,
                    int threads, FrontAnalysis* analysis);

}  // namespace edopt
