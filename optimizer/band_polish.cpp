#include "optimizer/band_polish.h"

#include <algorithm>
#include <cmath>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <set>

#include "models/composition.h"

namespace edopt {

namespace {

// Grid values kept exact in decimal (the same rounding as the search's decoder).
double DecimalFraction(double w) { return std::round(w * 1e6) / 1e6; }
double WholeNanometres(double t_m) { return std::round(t_m * 1e9) / 1e9; }

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
  if (DesignCodec(s, k).Violation(d, *c.materials, *c.packing) > 0) return false;
  return Capacity(*c.materials, *c.packing, d) >= c.band * (1 - 1e-9);
}

// The moves of one neighbourhood around x, thickness moves of `steps` grid steps.
std::vector<Design> Neighbourhood(const Context& c, const Design& x, int steps) {
  const DesignSpace& s = *c.space;
  const double dt = steps * ThicknessStep(s), dw = FractionStep(s);
  const size_t k = x.layers.size();
  std::vector<Design> out;
  auto repaired = [&](Design d, size_t j) {
    if (RepairCapacity(*c.materials, *c.packing, s, c.band, j, &d)) out.push_back(d);
  };
  for (size_t j = 0; j < k; ++j) repaired(x, j);  // the least capacity by one layer
  for (size_t i = 0; i < k; ++i) {
    for (double sign : {1.0, -1.0}) {  // one layer thicker or thinner
      Design d = x;
      d.layers[i].thickness_m = WholeNanometres(d.layers[i].thickness_m + sign * dt);
      out.push_back(d);
      for (size_t j = 0; j < k; ++j) {  // thickness moved between two layers
        if (j != i) repaired(d, j);
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

double Score(const Evaluation& e) { return e.failed ? -1.0 : e.utilization; }

// Best-improvement local search from `start`; thickness steps 8 -> 4 -> 2 -> 1, then a final
// check of the 1, 2 and 4 step neighbourhoods together.
Climb LocalSearch(const Context& c, const Design& start, int budget_end) {
  Climb r{start, Score(c.evaluator->Evaluate({start})[0]), false, false};
  const int levels[] = {8, 4, 2, 1};
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
    if (c.evaluator->evaluations() >= budget_end) {
      r.budget_exhausted = true;
      return r;
    }
    const int n0 = c.evaluator->evaluations();
    const auto t0 = std::chrono::steady_clock::now();
    const auto e = c.evaluator->Evaluate(candidates);
    if (std::getenv("EDOPT_DEBUG_POLISH"))
      std::fprintf(stderr, "band %.3g level %zu: %zu candidates, %d new, %.3f s\n", c.band / 3.6e4,
                   level, candidates.size(), c.evaluator->evaluations() - n0,
                   std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    size_t best = candidates.size();
    double best_score = r.score + 1e-9;
    for (size_t i = 0; i < candidates.size(); ++i) {
      if (Score(e[i]) > best_score) {
        best_score = Score(e[i]);
        best = i;
      }
    }
    if (best < candidates.size()) {
      r.design = candidates[best];
      r.score = best_score;
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
      pool.emplace_back(Score(entry.second), entry.first);
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

bool BandCertificate::converged() const {
  return found && local_optimum && (starts_at_best >= 2 || spread_points <= 0.2);
}

std::string BandCertificate::Describe() const {
  char text[256];
  if (!found) return "no feasible design reaches this capacity";
  if (converged()) {
    std::snprintf(text, sizeof text,
                  "converged: no move of 1/2/4 um or one NG step improves it; %d of %d starts "
                  "reach it (spread %.2f points)",
                  starts_at_best, starts, spread_points);
  } else if (budget_exhausted) {
    std::snprintf(text, sizeof text,
                  "not converged: the polish budget ran out (%d evaluations); rerun with a larger "
                  "search.band_polish_evaluations",
                  evaluations);
  } else {
    std::snprintf(text, sizeof text,
                  "not converged: a local optimum only %d of %d starts reach; the best restart "
                  "differs by %.2f points; rerun with --evaluations %d",
                  starts_at_best, starts, spread_points, 4 * std::max(6000, evaluations));
  }
  return text;
}

std::vector<BandCertificate> PolishBands(CachedEvaluator* evaluator, const DesignSpace& space,
                                         const std::vector<double>& bands_C_m2,
                                         const BandPolishOptions& options) {
  std::vector<BandCertificate> out;
  const auto& p = evaluator->model().parameters();
  std::vector<std::pair<Design, double>> previous;  // the last band's optima
  for (double band : bands_C_m2) {
    const Context c{evaluator, &space, &p.materials, &p.packing, band};
    BandCertificate cert;
    cert.capacity_C_m2 = band;
    const int before = evaluator->evaluations();
    const int budget_end = before + options.evaluations;
    std::vector<Climb> climbs;
    if (options.objective == Objective::kUtilization) {
      auto starts = Starts(c, options.starts);
      // Neighbouring bands share structure: the previous band's optima, brought up to this
      // band's capacity by each of their layers, start a climb too (the best of them).
      std::vector<Design> carried;
      for (const auto& [design, score] : previous) {
        for (size_t j = 0; j < design.layers.size(); ++j) {
          Design d = design;
          if (RepairCapacity(p.materials, p.packing, space, band, j, &d) && Feasible(c, d))
            carried.push_back(d);
        }
      }
      if (!carried.empty()) {
        const auto e = evaluator->Evaluate(carried);
        size_t best = 0;
        for (size_t i = 1; i < carried.size(); ++i) {
          if (Score(e[i]) > Score(e[best])) best = i;
        }
        if (std::find(starts.begin(), starts.end(), carried[best]) == starts.end())
          starts.push_back(carried[best]);
      }
      for (const auto& s : starts) climbs.push_back(LocalSearch(c, s, budget_end));
    }
    cert.evaluations = evaluator->evaluations() - before;
    if (climbs.empty()) {
      out.push_back(cert);
      continue;
    }
    const Climb* best = &climbs[0];
    double worst = climbs[0].score;
    for (const auto& climb : climbs) {
      if (climb.score > best->score) best = &climb;
      worst = std::min(worst, climb.score);
    }
    cert.found = true;
    cert.design = best->design;
    cert.score = best->score;
    cert.layer_count = static_cast<int>(best->design.layers.size());
    cert.starts = static_cast<int>(climbs.size());
    for (const auto& climb : climbs) cert.starts_at_best += best->score - climb.score <= 5e-4;
    cert.spread_points = 100 * (best->score - worst);
    cert.local_optimum = best->local_optimum;
    for (const auto& climb : climbs) cert.optima.emplace_back(climb.design, climb.score);
    previous = cert.optima;
    cert.budget_exhausted = best->budget_exhausted;
    out.push_back(cert);
  }
  return out;
}

}  // namespace edopt
