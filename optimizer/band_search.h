// The local search on the weighing grid at a band's capacity, which the band polish, the layer
// ladder and the front polish run (optimizer/band_polish.h; docs/numerics.md §6). Moves:
// thickness moved between two layers, one layer thicker or thinner, one NG step of a layer or
// of a pair, a layer split into two of neighbouring fractions, two layers merged; each repaired
// back to the band's least capacity (and, where the energy-density bound binds, to the bound
// by two layers at once). Batched first improvement with thickness steps 8 -> 4 -> 2 -> 1 grid
// steps, then a check of the 1, 2 and 4 step neighbourhoods together.
#pragma once

#include <cstddef>
#include <vector>

#include "optimizer/cached_evaluator.h"
#include "optimizer/design_space.h"

namespace edopt {

// The least grid thickness of layer `j` that brings the design's capacity to at least `c`
// (other layers fixed); false when that thickness leaves the layer's bounds.
bool RepairCapacity(const Materials& materials, const Packing& packing, const DesignSpace& space,
                    double capacity_C_m2, size_t j, Design* design);

namespace band_search {

// What a climb at one capacity level searches over and with what.
struct Context {
  CachedEvaluator* evaluator;
  const DesignSpace* space;
  const Materials* materials;
  const Packing* packing;
  double band;  // capacity >= this, C/m2
  Objective objective;
  // Adjacent layers must differ in NG fraction (a ladder rung: two equal neighbours are one
  // layer, so the design would not have the rung's count).
  bool distinct_layers = false;
};

// A local search's end: its design and score, whether no move improves it, whether the budget
// cut it short.
struct Climb {
  Design design;
  double score = -1.0;
  bool local_optimum = false;
  bool budget_exhausted = false;
};

double ThicknessStep(const DesignSpace& space);  // grid step, or 1 um when continuous
// In the space (layer count, bounds, constraints) and at least the band's capacity.
bool Feasible(const Context& c, const Design& d);
// The moves of one neighbourhood around x with thickness moves of `steps` grid steps; steps = 0
// gives only the moves that change NG fractions or the layer count (the kicks). Feasible and
// new to the neighbourhood, in a fixed order.
std::vector<Design> Neighbourhood(const Context& c, const Design& x, int steps);
// The climbs compare scores on one scale whatever the objective: utilization, or delivered
// capacity per band capacity (so that 5e-4 is 0.05 points of the band either way); -1 for a
// failed simulation. FromScale converts back to the objective's own units.
double Score(const Context& c, const Evaluation& e);
double FromScale(const Context& c, double score);
// Best-improvement local search from `start` until a local optimum or until the evaluator has
// spent `budget_end` evaluations in all.
Climb LocalSearch(const Context& c, const Design& start, int budget_end);
// The best evaluated feasible designs: the best of every layer count first, then the next best.
std::vector<Design> Starts(const Context& c, int count);

}  // namespace band_search
}  // namespace edopt
