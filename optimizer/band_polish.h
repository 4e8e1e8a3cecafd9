// The per-band optimum on the weighing grid (issue 13). For a capacity band (capacity >= c) the
// best design sits at the smallest capacity the grid allows above c: utilization falls with
// capacity. So each band is polished by a local search on the grid restricted to that
// capacity hyperplane: every move (thickness moved between two layers, one layer thicker, the
// NG fraction of one layer or of a pair changed by one grid step, a layer split into two of
// neighbouring fractions, two layers merged) is repaired back to the least
// capacity >= c by one layer's thickness, a whole neighbourhood is evaluated as one parallel
// batch, the best improvement is taken, and the thickness steps shrink 8 -> 4 -> 2 -> 1 grid
// steps when nothing improves. Several starts (the best evaluated design of every layer count,
// then the next best) guard against local optima. The result carries a certificate: whether the
// final design is a local optimum under every move of 1, 2 and 4 grid steps, and how far the
// starts' optima lie from the best.
//
// The budget is allocated across bands (issue 24): every band first gets `evaluations`; what the
// bands certified in that round leave over, plus `reserve`, goes to the bands still without a
// certificate, in rounds, each re-walking its climbs (free, from the evaluator's cache) and then
// going further. Afterwards a ladder per band: the best design of every layer count from 1 to
// one more than the space allows, each found by a climb restricted to that count (started from
// the band optimum's splits or merges and the best designs evaluated with that count), so that
// the lab sees what a layer more or fewer buys.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "optimizer/band_search.h"
#include "optimizer/cached_evaluator.h"
#include "optimizer/design_space.h"

namespace edopt {

struct BandPolishOptions {
  int starts = 4;          // local searches per band from distinct starts
  int evaluations = 2000;  // new model evaluations per band in the first round
  int reserve = 0;         // further evaluations for the bands the first round left uncertified
  int idle_kicks = 6;      // iterated local search stops after this many kicks without gain
  std::uint64_t seed = 1;  // of the kicks
  Objective objective = Objective::kUtilization;
  // Per band and layer count of the ladder (0 = no ladder): new evaluations of its climb.
  int ladder_evaluations = 0;
};

// The best design of one layer count for a band (the ladder of a BandCertificate).
struct LayerRung {
  int layers = 0;
  bool found = false;         // some feasible design of this count reaches the band
  bool beyond_space = false;  // more layers than design_space.max_layers allows
  Design design;
  double score = 0.0;          // the search's objective (utilization, or delivered C/m2)
  bool local_optimum = false;  // no grid move of this layer count improves it
};

// The per-band answer of the search and how sure it is.
struct BandCertificate {
  double capacity_C_m2 = 0.0;  // the band: capacity >= this
  bool found = false;          // some feasible design reaches the band
  Design design;               // the polished optimum
  double score = 0.0;          // its objective (utilization, or delivered capacity C/m2)
  int layer_count = 0;
  int starts = 0;
  int starts_at_best = 0;          // local searches whose optimum is within 0.05 points of the best
  double spread_points = 0.0;      // best minus worst optimum of the searches, percentage points
  double second_gap_points = 0.0;  // best minus the best of the other optima, points
  int idle_kicks = 0;              // kicks after the last improvement
  bool local_optimum = false;      // no move of 1, 2 or 4 grid steps improves it
  bool budget_exhausted = false;
  int evaluations = 0;             // new model evaluations spent on this band (all rounds)
  int rounds = 0;                  // rounds of the budget allocation this band took part in
  double thickness_step_um = 1.0;  // the grid's thickness step (the moves certified: 1, 2, 4 x)
  std::vector<std::pair<Design, double>> optima;  // every start's optimum and score
  std::vector<LayerRung> ladder;  // layer counts 1 .. max_layers + 1 (empty without a ladder)
  int ladder_evaluations = 0;     // new model evaluations spent on the ladder

  bool converged() const;  // a local optimum that two local searches agree on
};

// Polishes each band from the designs the evaluator has seen (and seeds among them). The
// evaluator's cache holds every design evaluated, the polish's included (ladder rungs with more
// layers than the space allows too: they are not in the space, so no later phase picks them).
std::vector<BandCertificate> PolishBands(CachedEvaluator* evaluator, const DesignSpace& space,
                                         const std::vector<double>& bands_C_m2,
                                         const BandPolishOptions& options);

// One climb per capacity level (capacity >= level), from the best design evaluated at that
// level, with at most `evaluations_per_level` new evaluations each and no kicks: the front
// between and beyond the bands. Returns each climb's optimum and score (levels no design
// reaches give none).
std::vector<std::pair<Design, double>> ClimbLevels(CachedEvaluator* evaluator,
                                                   const DesignSpace& space,
                                                   const std::vector<double>& levels_C_m2,
                                                   int evaluations_per_level, Objective objective);

}  // namespace edopt
