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
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "optimizer/cached_evaluator.h"
#include "optimizer/design_space.h"

namespace edopt {

struct BandPolishOptions {
  int starts = 4;              // local searches per band from distinct starts
  int evaluations = 2000;      // new model evaluations per band, all searches together
  int idle_kicks = 6;          // iterated local search stops after this many kicks without gain
  std::uint64_t seed = 1;      // of the kicks
  Objective objective = Objective::kUtilization;
};

// Polishes each band from the designs the evaluator has seen (and seeds among them). The
// evaluator's cache holds every design evaluated, the polish's included.
std::vector<BandCertificate> PolishBands(CachedEvaluator* evaluator, const DesignSpace& space,
                                         const std::vector<double>& bands_C_m2,
                                         const BandPolishOptions& options);

// The least grid thickness of layer `j` that brings the design's capacity to at least `c`
// (other layers fixed); false when that thickness leaves the layer's bounds.
bool RepairCapacity(const Materials& materials, const Packing& packing, const DesignSpace& space,
                    double capacity_C_m2, size_t j, Design* design);

}  // namespace edopt
