// What a lab acts on, read off a search's front (docs/architecture.md §4): the knee, the best
// design per capacity band with its gain over the best uniform (one-layer) electrode of that
// capacity, which front design weakly dominates each reference design, and which constraints
// bind. RunOptimization is the whole `edopt optimize` job: search, the fronts evaluated at 0.1C
// too, and this analysis.
#pragma once

#include <functional>
#include <limits>
#include <map>
#include <string>
#include <utility>
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

// The best design of one layer count for a band (from the polish's ladder), evaluated.
struct LadderRow {
  LadderRow() = default;
  LadderRow(int count, bool beyond, bool local, FrontRow evaluated)
      : layers(count), beyond_space(beyond), local_optimum(local), row(std::move(evaluated)) {}
  int layers = 0;
  bool beyond_space = false;   // more layers than the search allowed
  bool local_optimum = false;  // no grid move of this layer count improves it
  FrontRow row;
  bool has_interval = false;  // with a posterior
  PredictiveInterval interval;
  // Probability that the band's optimum beats this design (paired draws); NaN without one.
  double p_optimum_beats = std::numeric_limits<double>::quiet_NaN();
};

// Why a band's pick is not its optimum (issue 24).
enum class TieReason {
  kNone,           // the pick is the optimum
  kWithinError,    // the optimum gains at most search.tie_tolerance_points over the pick
  kNotConvincing,  // the optimum beats the pick with a probability below search.tie_probability
};

struct BandChoice {
  double capacity_C_m2 = 0.0;  // the band: capacity >= this
  int best = -1;               // index into the front's rows; -1 = none reaches the band
  // What to press: rows[best], or (after the search's polish) the band's optimum or the design
  // with fewer layers that the tie rule prefers to it. Valid when best >= 0.
  FrontRow pick;
  // The optimum when the pick is a simpler design (tie != kNone), and how much it gains.
  TieReason tie = TieReason::kNone;
  FrontRow rival;
  double rival_gain_points = std::numeric_limits<double>::quiet_NaN();
  double p_rival_beats = std::numeric_limits<double>::quiet_NaN();
  // The best design of every layer count, 1 .. max_layers + 1 (empty without the polish).
  std::vector<LadderRow> ladder;
  // Index into the one-layer front of the best uniform electrode with at least the capacity of
  // `best`; -1 = none (or no one-layer front).
  int uniform = -1;
  double gain_points = std::numeric_limits<double>::quiet_NaN();  // 100 x utilization difference
  // The search's certificate for this band (optimizer/band_polish.h); absent without a polish.
  bool certified = false;
  bool has_certificate = false;
  BandCertificate certificate;
  // With a posterior (docs/physics.md §11): the 95% interval of a new measurement of `best`
  // and of the uniform electrode, and the probability that `best` beats it (paired draws).
  bool has_interval = false;
  PredictiveInterval interval, uniform_interval;
  double p_beats_uniform = std::numeric_limits<double>::quiet_NaN();
  // With a posterior: the 5th percentile of the pick's modelled utilization over the draws, and
  // the band design (the uniform rival, the tie rival or a ladder rung) whose 5th percentile
  // is higher, if any: the pick a lab averse to the model's uncertainty would press.
  double pick_p05 = std::numeric_limits<double>::quiet_NaN();
  bool has_robust_rival = false;
  FrontRow robust_rival;
  double robust_rival_p05 = std::numeric_limits<double>::quiet_NaN();
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

// Model draws of designs over a posterior thinned to 200 draws, each design simulated once.
class DrawMemo {
 public:
  DrawMemo(const CellParameters& cell, const PosteriorSample& posterior, double c_rate,
           int threads);
  const std::vector<double>& operator()(const Design& design);  // utilization per draw
  const PosteriorSample& sample() const { return draws_; }

 private:
  const CellParameters& cell_;
  PosteriorSample draws_;
  double c_rate_;
  int threads_;
  std::map<std::string, std::vector<double>> memo_;
};

// The tie rule (issue 24): per band with a ladder, the pick becomes the design with the fewest
// layers whose gain the optimum cannot show: at most options.tie_tolerance_points (the model's
// numerical error), or, with draws (memo may be null), a probability below
// options.tie_probability that the optimum beats it. The optimum is then the pick's rival.
// Gains are points of utilization (of delivered capacity per band capacity for that objective).
void ChooseBandDesigns(const SearchOptions& options, DrawMemo* memo, FrontAnalysis* analysis);

// The intervals of the band picks, their uniform rivals and the knee, and each band's robust
// rival (a 5th percentile higher than the pick's by more than margin_points, points of
// utilization). RunOptimization does this when it has a posterior, with the tie tolerance.
void AddUncertainty(const CellParameters& cell, const PosteriorSample& posterior, double c_rate,
                    int threads, FrontAnalysis* analysis, double margin_points = 0.3);
void AddUncertainty(DrawMemo& memo, FrontAnalysis* analysis, double margin_points = 0.3);

}  // namespace edopt
