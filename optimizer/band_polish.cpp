#include "optimizer/band_polish.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
#include <set>

#include "models/composition.h"
#include "optimizer/design_codec.h"

namespace edopt {

namespace {

using band_search::Climb;
using band_search::Context;
using band_search::Feasible;
using band_search::FromScale;
using band_search::LocalSearch;
using band_search::Neighbourhood;
using band_search::Score;
using band_search::Starts;
using band_search::ThicknessStep;

}  // namespace

namespace {

// The climbs' starts for a band: the best evaluated design of every layer count, then the next
// best, and the best of the previous band's optima brought up to this band's capacity by each of
// their layers (neighbouring bands share structure).
std::vector<Design> BandStarts(const Context& c,
                               const std::vector<std::pair<Design, double>>& previous, int count) {
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
  for (const auto& d : candidates) keys.insert(DesignValueKey(d));
  for (const auto& d : known) {
    if (std::abs(static_cast<int>(d.layers.size()) - layers) != 1) continue;
    for (auto& m : Neighbourhood(c, d, 0)) {
      if (keys.insert(DesignValueKey(m)).second) candidates.push_back(std::move(m));
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
    const Climb climb = LocalSearch(c, starts[0], evaluator->evaluations() + evaluations_per_level);
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
    starts[i] =
        BandStarts(context(i), i > 0 ? out[i - 1].optima : std::vector<std::pair<Design, double>>{},
                   options.starts);
    out[i] = PolishBand(context(i), starts[i], options.evaluations, i, options);
    out[i].rounds = 1;
    pool += options.evaluations - out[i].evaluations;
  }
  // Band i polished again from its starts with `budget` new evaluations until it has a
  // certificate (the earlier walk replays from the cache); returns the new evaluations spent.
  auto again = [&](size_t i, int budget) {
    const int spent = out[i].evaluations, rounds = out[i].rounds;
    out[i] = PolishBand(context(i), starts[i], budget, i, options, true);
    const int fresh = out[i].evaluations;
    out[i].evaluations += spent;
    out[i].rounds = rounds + 1;
    return fresh;
  };
  // Later rounds: what is left goes to the bands without a certificate, in equal shares; each
  // replays its walk from the cache and goes on until it has one.
  constexpr int kMaxRounds = 4;
  for (int round = 2; round <= kMaxRounds && pool > 0; ++round) {
    std::vector<size_t> open;
    for (size_t i = 0; i < n; ++i) {
      if (out[i].found && !out[i].converged()) open.push_back(i);
    }
    for (size_t k = 0; k < open.size() && pool > 0; ++k) {
      pool -= again(open[k], pool / static_cast<int>(open.size() - k));
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
    again(i, options.evaluations);
  }
  for (size_t i = 0; i < n; ++i) BuildLadder(context(i), options, &out[i]);
  return out;
}

}  // namespace edopt
