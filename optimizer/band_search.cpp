// The local search on the weighing grid at a band's capacity (optimizer/band_search.h).
#include "optimizer/band_search.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "models/composition.h"
#include "optimizer/design_codec.h"

namespace edopt {
namespace band_search {

namespace {

double FractionStep(const DesignSpace& s) {
  return s.active_weight_fraction_step > 0 ? s.active_weight_fraction_step : 0.01;
}

double Capacity(const Materials& m, const Packing& p, const Design& d) {
  return SummarizeDesign(m, p, d).theoretical_capacity_C_m2;
}

}  // namespace

double ThicknessStep(const DesignSpace& s) {
  return s.thickness_step_m > 0 ? s.thickness_step_m : 1e-6;
}

bool Feasible(const Context& c, const Design& d) {
  const DesignSpace& s = *c.space;
  const int k = static_cast<int>(d.layers.size());
  if (k < s.min_layers || k > s.max_layers) return false;
  for (const auto& l : d.layers) {
    if (l.active_weight_fraction < s.min_active_weight_fraction - 1e-9 ||
        l.active_weight_fraction > s.max_active_weight_fraction + 1e-9 ||
        l.thickness_m < s.min_layer_thickness_m - 1e-12 ||
        l.thickness_m > s.max_layer_thickness_m + 1e-12)
      return false;
  }
  for (size_t i = 1; c.distinct_layers && i < d.layers.size(); ++i) {
    if (std::abs(d.layers[i].active_weight_fraction - d.layers[i - 1].active_weight_fraction) <
        1e-9)
      return false;
  }
  if (DesignCodec(s, k).Violation(d, *c.materials, *c.packing) > 0) return false;
  return Capacity(*c.materials, *c.packing, d) >= c.band * (1 - 1e-9);
}

namespace {

// Brings the design to the least grid capacity >= c AND to the energy-density bound (mean NG
// fraction = the minimum) by the thicknesses of layers j and l together: both conditions are
// linear in the thicknesses (capacity = sum q_i L_i; mean NG >= w_min <=> sum (n_i - w_min
// m_i) L_i >= 0 with n_i, m_i the NG and composite mass per thickness). Where the bound binds,
// this is how a design slides along it; single-layer repairs would leave it.
bool RepairBoth(const Context& c, size_t j, size_t l, Design* design) {
  const DesignSpace& s = *c.space;
  double a_rest = 0.0, g_rest = 0.0, a[2], g[2];
  const size_t pick[2] = {j, l};
  for (size_t i = 0; i < design->layers.size(); ++i) {
    const auto per =
        ComputeLayerComposition(*c.materials, *c.packing, design->layers[i].active_weight_fraction,
                                1.0, design->layers[i].carbon_weight_fraction);
    const double ai = per.theoretical_capacity_C_m2;
    const double gi =
        per.active_mass_kg_m2 - s.min_mean_active_weight_fraction * per.composite_mass_kg_m2;
    if (i == j || i == l) {
      a[i == j ? 0 : 1] = ai;
      g[i == j ? 0 : 1] = gi;
    } else {
      a_rest += ai * design->layers[i].thickness_m;
      g_rest += gi * design->layers[i].thickness_m;
    }
  }
  const double det = a[0] * g[1] - a[1] * g[0];
  if (std::abs(det) < 1e-12 * std::abs(a[0] * g[1]) || det == 0) return false;
  const double rhs_a = c.band - a_rest, rhs_g = -g_rest;
  const double t0 = (rhs_a * g[1] - a[1] * rhs_g) / det, t1 = (a[0] * rhs_g - g[0] * rhs_a) / det;
  const double step = ThicknessStep(s), lo = s.min_layer_thickness_m;
  auto grid = [&](double t, int up) {
    return WholeNanometres(lo + (std::floor((t - lo) / step + 1e-9) + up) * step);
  };
  // The feasible grid neighbour of the exact solution with the least capacity.
  Design best;
  double best_capacity = INFINITY;
  for (int u0 : {0, 1, 2}) {
    for (int u1 : {0, 1, 2}) {
      Design d = *design;
      d.layers[pick[0]].thickness_m = grid(t0, u0);
      d.layers[pick[1]].thickness_m = grid(t1, u1);
      if (!Feasible(c, d)) continue;
      const double cap = Capacity(*c.materials, *c.packing, d);
      if (cap < best_capacity) {
        best_capacity = cap;
        best = d;
      }
    }
  }
  if (!std::isfinite(best_capacity)) return false;
  *design = best;
  return true;
}

}  // namespace

namespace {

// The moves of one neighbourhood around x, each also repaired, in a fixed order.
class MoveList {
 public:
  MoveList(const Context& c, const Design& x) : c_(c), x_(x), dw_(FractionStep(*c.space)), at_(c) {
    // Whether the energy-density bound binds at x (within half a grid step of the fraction).
    bound_binds_ = SummarizeDesign(*c.materials, *c.packing, x).mean_active_weight_fraction <
                   c.space->min_mean_active_weight_fraction + 0.5 * dw_;
    // Repairs go back to the band's least capacity; for delivered capacity, which can peak
    // above the band, to x's capacity (the unrepaired moves change it).
    if (c.objective != Objective::kUtilization)
      at_.band = std::max(c.band, Capacity(*c.materials, *c.packing, x));
  }

  // d repaired by layer j: to the least capacity, and where the bound binds, along the bound
  // with each other layer.
  void Repaired(Design d, size_t j) {
    if (bound_binds_) {
      for (size_t l = 0; l < d.layers.size(); ++l) {
        Design e = d;
        if (l != j && RepairBoth(at_, j, l, &e)) out_.push_back(e);
      }
    }
    if (RepairCapacity(*c_.materials, *c_.packing, *c_.space, at_.band, j, &d)) out_.push_back(d);
  }

  // Layer i thicker or thinner by dt, and that thickness moved to or from each other layer.
  void ThicknessMoves(size_t i, double dt) {
    for (double sign : {1.0, -1.0}) {
      Design d = x_;
      d.layers[i].thickness_m = WholeNanometres(d.layers[i].thickness_m + sign * dt);
      out_.push_back(d);
      for (size_t j = 0; j < x_.layers.size(); ++j) {
        if (j == i) continue;
        Repaired(d, j);
        // Delivered capacity need not sit at the band's least capacity: the same thickness
        // moved without the repair too.
        if (c_.objective == Objective::kUtilization) continue;
        Design e = d;
        e.layers[j].thickness_m = WholeNanometres(e.layers[j].thickness_m - sign * dt);
        out_.push_back(e);
      }
    }
  }

  // Layer i's NG fraction one grid step up or down, alone and with the opposite step of each
  // later layer.
  void FractionMoves(size_t i) {
    const size_t k = x_.layers.size();
    for (double sign : {1.0, -1.0}) {
      Design d = x_;
      d.layers[i].active_weight_fraction =
          DecimalFraction(d.layers[i].active_weight_fraction + sign * dw_);
      out_.push_back(d);
      for (size_t j = 0; j < k; ++j) Repaired(d, j);
      for (size_t j = i + 1; j < k; ++j) {
        Design e = d;
        e.layers[j].active_weight_fraction =
            DecimalFraction(e.layers[j].active_weight_fraction - sign * dw_);
        out_.push_back(e);
        Repaired(e, i);
        Repaired(e, j);
      }
    }
  }

  // A layer split into two of neighbouring NG fractions (a gradient appears).
  void Splits() {
    const DesignSpace& s = *c_.space;
    const size_t k = x_.layers.size();
    const double lo = s.min_layer_thickness_m, step = ThicknessStep(s);
    for (size_t i = 0; i < k && static_cast<int>(k) < s.max_layers; ++i) {
      Design base = x_;
      double half = lo + std::floor((x_.layers[i].thickness_m / 2 - lo) / step + 1e-9) * step;
      if (half < lo) {
        // Too thin to halve (thin layers near the pressability floor): two layers of the
        // thinnest thickness, the rest taken from the thickest other layer that keeps the floor.
        const double need = 2 * lo - x_.layers[i].thickness_m;
        size_t donor = k;
        for (size_t j = 0; j < k; ++j) {
          if (j != i && x_.layers[j].thickness_m - need >= lo - 1e-12 &&
              (donor == k || x_.layers[j].thickness_m > x_.layers[donor].thickness_m))
            donor = j;
        }
        if (donor == k) continue;
        base.layers[donor].thickness_m = WholeNanometres(x_.layers[donor].thickness_m - need);
        base.layers[i].thickness_m = WholeNanometres(2 * lo);
        half = lo;
      }
      const double w = x_.layers[i].active_weight_fraction;
      for (const auto& pair : {std::make_pair(w - dw_, w), std::make_pair(w, w + dw_)}) {
        Design d = base;
        const double carbon = x_.layers[i].carbon_weight_fraction;
        d.layers[i] = {DecimalFraction(pair.first), WholeNanometres(half), carbon};
        d.layers.insert(d.layers.begin() + static_cast<long>(i) + 1,
                        Layer{DecimalFraction(pair.second),
                              WholeNanometres(base.layers[i].thickness_m - half), carbon});
        Repaired(d, i);
        Repaired(d, i + 1);
      }
    }
  }

  // Two adjacent layers merged into one of either fraction.
  void Merges() {
    const size_t k = x_.layers.size();
    for (size_t i = 0; i + 1 < k && static_cast<int>(k) > c_.space->min_layers; ++i) {
      for (size_t keep : {i, i + 1}) {
        Design d = x_;
        d.layers[i] = {x_.layers[keep].active_weight_fraction,
                       WholeNanometres(x_.layers[i].thickness_m + x_.layers[i + 1].thickness_m),
                       x_.layers[keep].carbon_weight_fraction};
        d.layers.erase(d.layers.begin() + static_cast<long>(i) + 1);
        out_.push_back(d);
        Repaired(d, i);
      }
    }
  }

  // Feasible and new to this neighbourhood, in the order proposed.
  std::vector<Design> Unique() const {
    std::vector<Design> unique;
    std::set<std::string> keys = {DesignValueKey(x_)};
    for (const auto& d : out_) {
      if (Feasible(c_, d) && keys.insert(DesignValueKey(d)).second) unique.push_back(d);
    }
    return unique;
  }

 private:
  const Context& c_;
  const Design& x_;
  const double dw_;
  Context at_;
  bool bound_binds_ = false;
  std::vector<Design> out_;
};

}  // namespace

std::vector<Design> Neighbourhood(const Context& c, const Design& x, int steps) {
  MoveList moves(c, x);
  const bool structural_only = steps == 0;
  const double dt = steps * ThicknessStep(*c.space);
  const size_t k = x.layers.size();
  for (size_t j = 0; j < k && !structural_only; ++j) moves.Repaired(x, j);  // least capacity
  for (size_t i = 0; i < k; ++i) {
    if (!structural_only) moves.ThicknessMoves(i, dt);
    moves.FractionMoves(i);
  }
  moves.Splits();
  moves.Merges();
  return moves.Unique();
}

// The climbs compare scores on one scale whatever the objective: utilization, or delivered
// capacity per band capacity (so that 5e-4 is 0.05 points of the band either way).
double Score(const Context& c, const Evaluation& e) {
  return e.failed ? -1.0 : SearchScore(e, c.objective, c.band);
}
double FromScale(const Context& c, double score) {
  return c.objective == Objective::kUtilization ? score : score * c.band;
}

// Best-improvement local search from `start`; thickness steps 8 -> 4 -> 2 -> 1, then a final
// check of the 1, 2 and 4 step neighbourhoods together.
Climb LocalSearch(const Context& c, const Design& start, int budget_end) {
  Climb r{start, Score(c, c.evaluator->Evaluate({start})[0]), false, false};
  const int levels[] = {8, 4, 2, 1};
  // Batched first improvement: the neighbourhood is evaluated in fixed chunks (in parallel) and
  // the best of the first chunk that improves is taken; only a local optimum costs the whole
  // neighbourhood. Chunks are fixed, so the walk does not depend on the thread count.
  constexpr size_t kChunk = 16;
  size_t level = 0;
  while (true) {
    std::vector<Design> candidates;
    const bool final_check = level == 4;
    if (final_check) {
      for (int steps : {1, 2, 4}) {
        for (auto& d : Neighbourhood(c, r.design, steps)) candidates.push_back(std::move(d));
      }
    } else {
      candidates = Neighbourhood(c, r.design, levels[level]);
    }
    bool improved = false;
    for (size_t from = 0; from < candidates.size() && !improved; from += kChunk) {
      if (c.evaluator->evaluations() >= budget_end) {
        r.budget_exhausted = true;
        return r;
      }
      const std::vector<Design> chunk(
          candidates.begin() + static_cast<long>(from),
          candidates.begin() + static_cast<long>(std::min(candidates.size(), from + kChunk)));
      const auto e = c.evaluator->Evaluate(chunk);
      double best_score = r.score + 1e-9;
      for (size_t i = 0; i < chunk.size(); ++i) {
        if (Score(c, e[i]) > best_score) {
          best_score = Score(c, e[i]);
          r.design = chunk[i];
          improved = true;
        }
      }
      if (improved) r.score = best_score;
    }
    if (improved) {
      if (final_check) level = 1;  // improved at the end: resume at 4 steps
      continue;
    }
    if (final_check) {
      r.local_optimum = true;
      return r;
    }
    ++level;
  }
}

std::vector<Design> Starts(const Context& c, int count) {
  std::vector<std::pair<double, Design>> pool;
  for (const auto& [key, entry] : c.evaluator->evaluated()) {
    if (!entry.second.failed && Feasible(c, entry.first))
      pool.emplace_back(Score(c, entry.second), entry.first);
  }
  std::stable_sort(pool.begin(), pool.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<Design> starts;
  std::set<size_t> counts;
  for (const auto& [score, d] : pool) {  // the best of every layer count first
    if (static_cast<int>(starts.size()) < count && counts.insert(d.layers.size()).second)
      starts.push_back(d);
  }
  for (const auto& [score, d] : pool) {
    if (static_cast<int>(starts.size()) >= count) break;
    if (std::find(starts.begin(), starts.end(), d) == starts.end()) starts.push_back(d);
  }
  return starts;
}

}  // namespace band_search

bool RepairCapacity(const Materials& materials, const Packing& packing, const DesignSpace& space,
                    double capacity_C_m2, size_t j, Design* design) {
  double others = 0.0;
  for (size_t i = 0; i < design->layers.size(); ++i) {
    if (i == j) continue;
    const auto& l = design->layers[i];
    others += ComputeLayerComposition(materials, packing, l.active_weight_fraction, l.thickness_m,
                                      l.carbon_weight_fraction)
                  .theoretical_capacity_C_m2;
  }
  const double per_metre =
      ComputeLayerComposition(materials, packing, design->layers[j].active_weight_fraction, 1.0,
                              design->layers[j].carbon_weight_fraction)
          .theoretical_capacity_C_m2;
  if (!(per_metre > 0)) return false;
  const double step = band_search::ThicknessStep(space), lo = space.min_layer_thickness_m;
  const double need = (capacity_C_m2 - others) / per_metre;
  double t = lo + std::max(0.0, std::ceil((need - lo) / step - 1e-9)) * step;
  for (int tries = 0; tries < 3; ++tries) {  // round-off at the boundary: one step more
    design->layers[j].thickness_m = WholeNanometres(t);
    if (SummarizeDesign(materials, packing, *design).theoretical_capacity_C_m2 >=
        capacity_C_m2 * (1 - 1e-9))
      break;
    t += step;
  }
  return design->layers[j].thickness_m <= space.max_layer_thickness_m + 1e-12 &&
         SummarizeDesign(materials, packing, *design).theoretical_capacity_C_m2 >=
             capacity_C_m2 * (1 - 1e-9);
}

}  // namespace edopt
