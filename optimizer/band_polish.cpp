#include "optimizer/band_polish.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
#include <set>

#include "models/composition.h"
#include "optimizer/search.h"

namespace edopt {

namespace {

double ThicknessStep(const DesignSpace& s) { return s.thickness_step_m > 0 ? s.thickness_step_m : 1e-6; }
double FractionStep(const DesignSpace& s) {
  return s.ng_weight_fraction_step > 0 ? s.ng_weight_fraction_step : 0.01;
}

double Capacity(const Materials& m, const Packing& p, const Design& d) {
  return SummarizeDesign(m, p, d).theoretical_capacity_C_m2;
}

struct Context {
  CachedEvaluator* evaluator;
  const DesignSpace* space;
  const Materials* materials;
  const Packing* packing;
  double band;
  Objective objective;
  // Adjacent layers must differ in NG fraction (a ladder rung: two equal neighbours are one
  // layer, so the design would not have the rung's count).
  bool distinct_layers = false;
};

bool Feasible(const Context& c, const Design& d) {
  const DesignSpace& s = *c.space;
  const int k = static_cast<int>(d.layers.size());
  if (k < s.min_layers || k > s.max_layers) return false;
  for (const auto& l : d.layers) {
    if (l.ng_weight_fraction < s.min_ng_weight_fraction - 1e-9 ||
        l.ng_weight_fraction > s.max_ng_weight_fraction + 1e-9 ||
        l.thickness_m < s.min_layer_thickness_m - 1e-12 ||
        l.thickness_m > s.max_layer_thickness_m + 1e-12)
      return false;
  }
  for (size_t i = 1; c.distinct_layers && i < d.layers.size(); ++i) {
    if (std::abs(d.layers[i].ng_weight_fraction - d.layers[i - 1].ng_weight_fraction) < 1e-9)
      return false;
  }
  if (DesignCodec(s, k).Violation(d, *c.materials, *c.packing) > 0) return false;
  return Capacity(*c.materials, *c.packing, d) >= c.band * (1 - 1e-9);
}

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
    const auto per = ComputeLayerComposition(*c.materials, *c.packing,
                                             design->layers[i].ng_weight_fraction, 1.0);
    const double ai = per.theoretical_capacity_C_m2;
    const double gi = per.ng_mass_kg_m2 - s.min_mean_ng_weight_fraction * per.composite_mass_kg_m2;
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

// The moves of one neighbourhood around x, thickness moves of `steps` grid steps.
// steps == 0: only the moves that change the NG fractions or the layer count (the kicks of the
// iterated local search: thickness moves do not leave a basin of the ratio pattern).
std::vector<Design> Neighbourhood(const Context& c, const Design& x, int steps) {
  const DesignSpace& s = *c.space;
  const bool structural_only = steps == 0;
  const double dt = steps * ThicknessStep(s), dw = FractionStep(s);
  const size_t k = x.layers.size();
  std::vector<Design> out;
  // Whether the energy-density bound binds at x (within half a grid step of the fraction).
  const bool bound_binds = SummarizeDesign(*c.materials, *c.packing, x).mean_ng_weight_fraction <
                           s.min_mean_ng_weight_fraction + 0.5 * dw;
  // Repairs go back to the band's least capacity; for delivered capacity, which can peak above
  // the band, to x's capacity (the unrepaired moves change it).
  Context at = c;
  if (c.objective != Objective::kUtilization)
    at.band = std::max(c.band, Capacity(*c.materials, *c.packing, x));
  auto repaired = [&](Design d, size_t j) {
    if (bound_binds) {  // slide along the bound: j with each other layer
      for (size_t l = 0; l < d.layers.size(); ++l) {
        Design e = d;
        if (l != j && RepairBoth(at, j, l, &e)) out.push_back(e);
      }
    }
    if (RepairCapacity(*c.materials, *c.packing, s, at.band, j, &d)) out.push_back(d);
  };
  for (size_t j = 0; j < k && !structural_only; ++j) repaired(x, j);  // least capacity
  for (size_t i = 0; i < k; ++i) {
    for (double sign : {1.0, -1.0}) {  // one layer thicker or thinner
      if (structural_only) break;
      Design d = x;
      d.layers[i].thickness_m = WholeNanometres(d.layers[i].thickness_m + sign * dt);
      out.push_back(d);
      for (size_t j = 0; j < k; ++j) {  // thickness moved between two layers
        if (j == i) continue;
        repaired(d, j);
        // Delivered capacity need not sit at the band's least capacity: the same thickness
        // moved without the repair too.
        if (c.objective == Objective::kUtilization) continue;
        Design e = d;
        e.layers[j].thickness_m = WholeNanometres(e.layers[j].thickness_m - sign * dt);
        out.push_back(e);
      }
    }
    for (double sign : {1.0, -1.0}) {  // one layer's NG fraction, one grid step
      Design d = x;
      d.layers[i].ng_weight_fraction = DecimalFraction(d.layers[i].ng_weight_fraction + sign * dw);
      out.push_back(d);
      for (size_t j = 0; j < k; ++j) repaired(d, j);
      for (size_t j = i + 1; j < k; ++j) {  // and the opposite step of another layer
        Design e = d;
        e.layers[j].ng_weight_fraction =
            DecimalFraction(e.layers[j].ng_weight_fraction - sign * dw);
        out.push_back(e);
        repaired(e, i);
        repaired(e, j);
      }
    }
  }
  // Layer count changes: a layer split into two of neighbouring NG fractions (a gradient
  // appears), or two adjacent layers merged into one of either fraction.
  const double lo = s.min_layer_thickness_m, step = ThicknessStep(s);
  for (size_t i = 0; i < k && static_cast<int>(k) < s.max_layers; ++i) {
    const double half = lo + std::floor((x.layers[i].thickness_m / 2 - lo) / step + 1e-9) * step;
    if (half < lo) continue;
    const double w = x.layers[i].ng_weight_fraction;
    for (const auto& pair : {std::make_pair(w - dw, w), std::make_pair(w, w + dw)}) {
      Design d = x;
      d.layers[i] = {DecimalFraction(pair.first), WholeNanometres(half)};
      d.layers.insert(d.layers.begin() + static_cast<long>(i) + 1,
                      Layer{DecimalFraction(pair.second),
                            WholeNanometres(x.layers[i].thickness_m - half)});
      repaired(d, i);
      repaired(d, i + 1);
    }
  }
  for (size_t i = 0; i + 1 < k && static_cast<int>(k) > s.min_layers; ++i) {
    for (size_t keep : {i, i + 1}) {
      Design d = x;
      d.layers[i] = {x.layers[keep].ng_weight_fraction,
                     WholeNanometres(x.layers[i].thickness_m + x.layers[i + 1].thickness_m)};
      d.layers.erase(d.layers.begin() + static_cast<long>(i) + 1);
      out.push_back(d);
      repaired(d, i);
    }
  }
  // Feasible and new to this neighbourhood, in a fixed order.
  std::vector<Design> unique;
  std::set<std::string> keys = {FormatDesign(x)};
  for (const auto& d : out) {
    if (Feasible(c, d) && keys.insert(FormatDesign(d)).second) unique.push_back(d);
  }
  return unique;
}

struct Climb {
  Design design;
  double score = -1.0;
  bool local_optimum = false;
  bool budget_exhausted = false;
};

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

}  // namespace

bool RepairCapacity(const Materials& materials, const Packing& packing, const DesignSpace& space,
                    double capacity_C_m2, size_t j, Design* design) {
  double others = 0.0;
  for (size_t i = 0; i < design->layers.size(); ++i) {
    if (i == j) continue;
    const auto& l = design->layers[i];
    others += ComputeLayerComposition(materials, packing, l.ng_weight_fraction, l.thickness_m)
                  .theoretical_capacity_C_m2;
  }
  const double per_metre =
      ComputeLayerComposition(materials, packing, design->layers[j].ng_weight_fraction, 1.0)
          .theoretical_capacity_C_m2;
  if (!(per_metre > 0)) return false;
  const double step = ThicknessStep(space), lo = space.min_layer_thickness_m;
  const double need = (capacity_C_m2 - others) / per_metre;
  double t = lo + std::max(0.0, std::ceil((need - lo) / step - 1e-9)) * step;
  for (int tries = 0; tries < 3; ++tries) {  // round-off at the boundary: one step more
    design->layers[j].thickness_m = WholeNanometres(t);
    if (Capacity(materials, packing, *design) >= capacity_C_m2 * (1 - 1e-9)) break;
    t += step;
  }
  return design->layers[j].thickness_m <= space.max_layer_thickness_m + 1e-12 &&
         Capacity(materials, packing, *design) >= capacity_C_m2 * (1 - 1e-9);
}


namespace {

// The climbs' starts for a band: the best evaluated design of every layer count, then the next
// best, and the best of the previous band's optima brought up to this band's capacity by each of
// their layers (neighbouring bands share structure).
std::vector<Design> BandStarts(const Context& c,
                               const std::vector<std::pair<Design, double>>& previous,
                               int count) {
  auto starts = Starts(c, count);
  std::vector<Design> carried;
  for (const auto& [design, score] : previous) {
    for (size_t j = 0; j < design.layers.size(); ++j) {
      Design d = design;
      if (RepairCapacity(*c.materials, *c.packing, *c.space, c.band, j, &d) && Feasible(c, d))
        carried.push_back(d);
    }
  }
  if (!carried.empty()) {
    const auto e = c.evaluator->Evaluate(carried);
    size_t best = 0;
    for (size_t i = 1; i < carried.size(); ++i) {
      if (Score(c, e[i]) > Score(c, e[best])) best = i;
    }
    if (std::find(starts.begin(), starts.end(), carried[best]) == starts.end())
      starts.push_back(carried[best]);
  }
  return starts;
}

// The certificate of a band from its climbs.
BandCertificate Certify(const Context& c, const std::vector<Climb>& climbs, int idle_kicks) {
  BandCertificate cert;
  cert.capacity_C_m2 = c.band;
  cert.thickness_step_um = ThicknessStep(*c.space) * 1e6;
  if (climbs.empty()) return cert;
  const Climb* best = &climbs[0];
  double worst = climbs[0].score;
  for (const auto& cl : climbs) {
    if (cl.score > best->score) best = &cl;
    worst = std::min(worst, cl.score);
  }
  cert.found = true;
  cert.design = best->design;
  cert.score = FromScale(c, best->score);
  cert.layer_count = static_cast<int>(best->design.layers.size());
  cert.starts = static_cast<int>(climbs.size());
  double second = -1.0;
  for (const auto& cl : climbs) {
    const bool at_best = best->score - cl.score <= 5e-4;
    cert.starts_at_best += at_best;
    if (!at_best) second = std::max(second, cl.score);
  }
  cert.spread_points = 100 * (best->score - worst);
  cert.second_gap_points = second < 0 ? 0.0 : 100 * (best->score - second);
  cert.local_optimum = best->local_optimum;
  cert.idle_kicks = idle_kicks;
  for (const auto& cl : climbs) cert.optima.emplace_back(cl.design, FromScale(c, cl.score));
  cert.budget_exhausted = best->budget_exhausted;
  return cert;
}

// One band's polish with at most `budget` new evaluations: a climb from every start, then an
// iterated local search (Lourenco, Martin & Stuetzle 2003) that kicks the best optimum by two
// random structural moves and climbs again, while the budget lasts and kicks still pay off. The
// kicks' generator depends on the seed and the band's index only: called again with the same
// starts, the walk replays from the evaluator's cache (no new evaluations) and then goes on;
// until_certified then ends it as soon as it has a certificate.
BandCertificate PolishBand(const Context& c, const std::vector<Design>& starts, int budget,
                           size_t index, const BandPolishOptions& options,
                           bool until_certified = false) {
  CachedEvaluator* evaluator = c.evaluator;
  const int before = evaluator->evaluations();
  const int budget_end = before + budget;
  std::vector<Climb> climbs;
  for (const auto& s : starts) climbs.push_back(LocalSearch(c, s, budget_end));
  std::mt19937_64 rng(options.seed * 7919ULL + static_cast<std::uint64_t>(index));
  int idle = 0;
  while (!climbs.empty() && idle < options.idle_kicks && evaluator->evaluations() < budget_end) {
    if (until_certified && evaluator->evaluations() > before &&
        Certify(c, climbs, idle).converged())
      break;
    const Climb* best = &climbs[0];
    for (const auto& cl : climbs) {
      if (cl.score > best->score) best = &cl;
    }
    const double best_score = best->score;
    Design kicked = best->design;
    for (int m = 0; m < 2; ++m) {  // structural moves: NG fractions and layer count
      const auto moves = Neighbourhood(c, kicked, 0);
      if (moves.empty()) break;
      kicked = moves[std::uniform_int_distribution<size_t>(0, moves.size() - 1)(rng)];
    }
    climbs.push_back(LocalSearch(c, kicked, budget_end));
    idle = climbs.back().score > best_score + 1e-9 ? 0 : idle + 1;
  }
  BandCertificate cert = Certify(c, climbs, idle);
  cert.evaluations = evaluator->evaluations() - before;
  return cert;
}

// The best design of exactly `layers` layers for the band: one climb restricted to that count,
// from the best of the known designs of that count and of the splits and merges of the band's
// optima and of the rungs already found.
LayerRung Rung(const Context& band_context, const BandCertificate& cert,
               const std::vector<LayerRung>& found, int layers, int budget) {
  DesignSpace space = *band_context.space;
  space.min_layers = space.max_layers = layers;
  Context c = band_context;
  c.space = &space;
  c.distinct_layers = true;
  LayerRung rung;
  rung.layers = layers;
  rung.beyond_space = layers > band_context.space->max_layers;
  std::vector<Design> known;
  for (const auto& [design, score] : cert.optima) known.push_back(design);
  for (const auto& r : found) {
    if (r.found) known.push_back(r.design);
  }
  std::vector<Design> candidates = Starts(c, 1);
  std::set<std::string> keys;
  for (const auto& d : candidates) keys.insert(FormatDesign(d));
  for (const auto& d : known) {
    if (std::abs(static_cast<int>(d.layers.size()) - layers) != 1) continue;
    for (auto& m : Neighbourhood(c, d, 0)) {
      if (keys.insert(FormatDesign(m)).second) candidates.push_back(std::move(m));
    }
  }
  if (candidates.empty()) return rung;
  const int budget_end = c.evaluator->evaluations() + budget;
  const auto e = c.evaluator->Evaluate(candidates);
  size_t best = 0;
  for (size_t i = 1; i < candidates.size(); ++i) {
    if (Score(c, e[i]) > Score(c, e[best])) best = i;
  }
  if (Score(c, e[best]) < 0) return rung;
  const Climb climb = LocalSearch(c, candidates[best], budget_end);
  rung.found = true;
  rung.design = climb.design;
  rung.score = FromScale(c, climb.score);
  rung.local_optimum = climb.local_optimum;
  return rung;
}

// The ladder of a band: its optimum's own layer count is the optimum; the counts below are
// climbed downwards (each from the merges of the one above), those above upwards.
void BuildLadder(const Context& c, const BandPolishOptions& options, BandCertificate* cert) {
  if (!cert->found || options.ladder_evaluations <= 0) return;
  const int before = c.evaluator->evaluations();
  const int top = std::min(c.space->max_layers + 1, kMaxLayers);
  std::vector<LayerRung> rungs;
  LayerRung own;  // as built: equal neighbours are one layer
  own.design = MergeEqualLayers(cert->design);
  own.layers = static_cast<int>(own.design.layers.size());
  own.found = true;
  own.score = cert->score;
  own.local_optimum = cert->local_optimum;
  if (own.design.layers.size() != cert->design.layers.size()) {  // its own evaluation
    own.score = FromScale(c, Score(c, c.evaluator->Evaluate({own.design})[0]));
  }
  rungs.push_back(own);
  for (int k = own.layers - 1; k >= c.space->min_layers; --k)
    rungs.push_back(Rung(c, *cert, rungs, k, options.ladder_evaluations));
  for (int k = own.layers + 1; k <= top; ++k)
    rungs.push_back(Rung(c, *cert, rungs, k, options.ladder_evaluations));
  std::sort(rungs.begin(), rungs.end(),
            [](const LayerRung& a, const LayerRung& b) { return a.layers < b.layers; });
  cert->ladder = rungs;
  cert->ladder_evaluations = c.evaluator->evaluations() - before;
}

}  // namespace

std::vector<std::pair<Design, double>> ClimbLevels(CachedEvaluator* evaluator,
                                                   const DesignSpace& space,
                                                   const std::vector<double>& levels_C_m2,
                                                   int evaluations_per_level, Objective objective) {
  const auto& p = evaluator->model().parameters();
  std::vector<std::pair<Design, double>> out;
  for (double level : levels_C_m2) {
    const Context c{evaluator, &space, &p.materials, &p.packing, level, objective};
    const auto starts = Starts(c, 1);
    if (starts.empty()) continue;
    const Climb climb =
        LocalSearch(c, starts[0], evaluator->evaluations() + evaluations_per_level);
    if (climb.score >= 0) out.emplace_back(climb.design, FromScale(c, climb.score));
  }
  return out;
}

bool BandCertificate::converged() const {
  return found && local_optimum && starts_at_best >= 2 && !budget_exhausted;
}

std::vector<BandCertificate> PolishBands(CachedEvaluator* evaluator, const DesignSpace& space,
                                         const std::vector<double>& bands_C_m2,
                                         const BandPolishOptions& options) {
  const auto& p = evaluator->model().parameters();
  const size_t n = bands_C_m2.size();
  auto context = [&](size_t i) {
    return Context{evaluator, &space, &p.materials, &p.packing, bands_C_m2[i], options.objective};
  };
  std::vector<BandCertificate> out(n);
  std::vector<std::vector<Design>> starts(n);
  // First round: every band its own budget; each band's starts include the previous band's
  // best optimum brought up to it.
  int pool = options.reserve;
  for (size_t i = 0; i < n; ++i) {
    starts[i] = BandStarts(context(i), i > 0 ? out[i - 1].optima
                                             : std::vector<std::pair<Design, double>>{},
                           options.starts);
    out[i] = PolishBand(context(i), starts[i], options.evaluations, i, options);
    out[i].rounds = 1;
    pool += options.evaluations - out[i].evaluations;
  }
  // Later rounds: what is left goes to the bands without a certificate, in equal shares; each
  // replays its walk from the cache and goes on until it has one.
  constexpr int kMaxRounds = 4;
  for (int round = 2; round <= kMaxRounds && pool > 0; ++round) {
    std::vector<size_t> open;
    for (size_t i = 0; i < n; ++i) {
      if (out[i].found && !out[i].converged()) open.push_back(i);
    }
    for (size_t k = 0; k < open.size() && pool > 0; ++k) {
      const size_t i = open[k];
      const int share = pool / static_cast<int>(open.size() - k);
      const int spent = out[i].evaluations;
      out[i] = PolishBand(context(i), starts[i], share, i, options, true);
      pool -= out[i].evaluations;
      out[i].evaluations += spent;
      out[i].rounds = round;
    }
  }
  // A design that reaches a higher band reaches this one too: where a higher band's optimum
  // beats this band's (delivered capacity can peak above the band), it becomes a start and the
  // band is polished again from there.
  for (size_t i = n; i-- > 0;) {
    const Context c = context(i);
    const BandCertificate* better = nullptr;
    for (size_t j = i + 1; j < n; ++j) {
      if (out[j].found && out[j].score > (better ? better->score : out[i].score) &&
          Feasible(c, out[j].design))
        better = &out[j];
    }
    if (better == nullptr || !out[i].found) continue;
    starts[i].push_back(better->design);
    const int spent = out[i].evaluations, rounds = out[i].rounds;
    out[i] = PolishBand(c, starts[i], options.evaluations, i, options, true);
    out[i].evaluations += spent;
    out[i].rounds = rounds + 1;
  }
  for (size_t i = 0; i < n; ++i) BuildLadder(context(i), options, &out[i]);
  return out;
}

}  // namespace edopt
