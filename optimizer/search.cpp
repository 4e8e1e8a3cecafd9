#include "optimizer/search.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <exception>
#include <map>
#include <nlopt.hpp>
#include <set>
#include <tuple>

#include "models/composition.h"
#include "models/errors.h"
#include "optimizer/band_polish.h"
#include "optimizer/cached_evaluator.h"
#include "optimizer/nlopt_run.h"
#include "optimizer/nsga2.h"
#include "optimizer/parallel.h"
#include "optimizer/refinement.h"

namespace edopt {

namespace {

// One search in progress: what every phase reads and the counters it updates. Phases are
// functions of it; a new phase is a new function, not more lines in RunSearch.
struct SearchRun {
  const CellModel& model;
  const DesignSpace& space;
  const SearchOptions& options;
  double c_rate;
  const std::function<void(const SearchProgress&)>& progress;
  CachedEvaluator evaluator;
  SearchResult result;
  double refinement_seconds = 0.0;
  // Capacity scale for the NSGA-II objective (both objectives of order one).
  static constexpr double kCapacityScale = 5 * 3.6e4;

  const Materials& materials() const { return model.parameters().materials; }
  const Packing& packing() const { return model.parameters().packing; }
  double Score(const Evaluation& e) const { return SearchScore(e, options.objective); }
};

// Per layer count: NSGA-II over the unit box, decoded onto the grid, reference designs seeded.
void NsgaPhase(SearchRun& run, const DesignCodec& codec, int layers, ParetoArchive* archive) {
  const int counts = run.space.max_layers - run.space.min_layers + 1;
  BatchEvaluator evaluate = [&](std::vector<Individual>* batch) {
    std::vector<Design> designs(batch->size()), feasible;
    for (size_t i = 0; i < batch->size(); ++i) {
      designs[i] = codec.Decode((*batch)[i].x);
      (*batch)[i].violation = codec.Violation(designs[i], run.materials(), run.packing());
      if ((*batch)[i].violation == 0) feasible.push_back(designs[i]);
    }
    run.evaluator.Evaluate(feasible);
    run.result.candidates += static_cast<int>(batch->size());
    for (size_t i = 0; i < batch->size(); ++i) {
      auto& ind = (*batch)[i];
      ind.objectives = {0.0, 0.0};
      if (ind.violation > 0) continue;
      const Evaluation& e = *run.evaluator.Find(designs[i]);
      if (e.failed) {
        ind.violation = 1.0;
        continue;
      }
      const double score = run.Score(e);
      ind.objectives = {
          -e.theoretical_capacity_C_m2 / SearchRun::kCapacityScale,
          -(run.options.objective == Objective::kUtilization ? score
                                                             : score / SearchRun::kCapacityScale)};
      archive->Insert({designs[i], e.theoretical_capacity_C_m2, score, layers, "nsga2"});
    }
  };
  Nsga2Options nsga;
  nsga.population = run.options.population;
  nsga.evaluations = std::max(run.options.population * 2, run.options.evaluations / counts);
  nsga.seed = run.options.seed * 1000003ULL + static_cast<std::uint64_t>(layers);
  for (const auto& d : run.options.seed_designs) {
    if (static_cast<int>(d.layers.size()) == layers) nsga.initial.push_back(codec.Encode(d));
  }
  RunNsga2(codec.dimension(), evaluate, nsga, [&](int done, int budget) {
    if (run.progress) run.progress({layers, "nsga2", done, budget});
  });
}

// Epsilon-constraint refinement: one COBYLA task per capacity level, levels spread over the
// interior of this layer count's front (plus the bands and focus capacities), each warm started
// from the best front member at or above its level. Tasks run in parallel; results enter the
// archive in level order.
void RefinementPhase(SearchRun& run, const DesignCodec& codec, int layers, ParetoArchive* archive) {
  const auto front = archive->Sorted();
  const SearchOptions& o = run.options;
  if (o.refinement_evaluations <= 0 || front.size() < 2) return;
  const double lo = front.front().capacity, hi = front.back().capacity;
  std::vector<double> levels;
  for (int i = 0; i < o.refinement_points; ++i)
    levels.push_back(lo + (hi - lo) * (i + 1.0) / (o.refinement_points + 1.0));
  for (const auto* extra : {&o.capacity_bands_C_m2, &o.focus_capacities_C_m2}) {
    for (double c : *extra) {
      if (c > lo && c < hi) levels.push_back(c);
    }
  }
  std::sort(levels.begin(), levels.end());
  const int m = static_cast<int>(levels.size());
  std::vector<std::vector<double>> starts(m);
  for (int i = 0; i < m; ++i) {
    const ArchiveEntry* warm = &front.back();
    for (const auto& e : front) {
      if (e.capacity >= levels[i]) {
        warm = &e;
        break;
      }
    }
    starts[i] = codec.Encode(warm->design);
  }
  const double range = run.space.max_layer_thickness_m - run.space.min_layer_thickness_m;
  const double step_unit = range > 0 ? run.space.thickness_step_m / range : 0.0;
  if (run.progress) run.progress({layers, "refinement", 0, m * o.refinement_evaluations});
  std::vector<Refinement> refined(m);
  const auto t0 = std::chrono::steady_clock::now();
  ParallelFor(o.threads, refined.size(), [&](size_t i) {
    refined[i] = Refine(run.model, codec, run.c_rate, o.objective, levels[i],
                        SearchRun::kCapacityScale, step_unit, starts[i], o.refinement_evaluations);
  });
  run.refinement_seconds +=
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  for (auto& r : refined) {
    if (r.error) std::rethrow_exception(r.error);
    run.result.refinement_evaluations += r.evaluations;
    for (const auto& [design, e] : r.results) {
      if (e.failed) continue;
      run.result.refinement_improvements += archive->Insert(
          {design, e.theoretical_capacity_C_m2, run.Score(e), layers, "refinement"});
    }
  }
  if (run.progress) {
    run.progress(
        {layers, "refinement", m * o.refinement_evaluations, m * o.refinement_evaluations});
  }
}

// A gap of a front in the unit box: minus its priority (the area it could add to the
// normalized hypervolume), and its two ends.
using Gap = std::tuple<double, std::vector<double>, std::vector<double>>;

// The gaps between neighbours of front f, and its two open ends towards the thinnest and the
// thickest electrodes, whose priority is the area they could add (utilization at most 1;
// capacity at most that of the thickest design of this layer count); widest first.
std::vector<Gap> FrontGaps(const SearchRun& run, const DesignCodec& codec, int layers,
                           const std::vector<ArchiveEntry>& f) {
  const double capacity_scale = SearchRun::kCapacityScale;
  const bool utilization = run.options.objective == Objective::kUtilization;
  const double score_scale = utilization ? 1.0 : capacity_scale;
  std::vector<Gap> gaps;
  for (size_t i = 0; i + 1 < f.size(); ++i) {
    gaps.emplace_back(-(f[i + 1].capacity - f[i].capacity) / capacity_scale *
                          (f[i].score - f[i + 1].score) / score_scale,
                      codec.Encode(f[i].design), codec.Encode(f[i + 1].design));
  }
  if (!f.empty()) {
    auto thinnest = codec.Encode(f.front().design), thickest = codec.Encode(f.back().design);
    for (int k = 0; k < layers; ++k) {
      thinnest[layers + k] = 0.0;
      thickest[layers + k] = 1.0;
    }
    const double best_score = utilization ? 1.0 : f.front().capacity;
    gaps.emplace_back(
        -f.front().capacity / capacity_scale * (best_score - f.front().score) / score_scale,
        codec.Encode(f.front().design), thinnest);
    const double top = SummarizeDesign(run.materials(), run.packing(), codec.Decode(thickest))
                           .theoretical_capacity_C_m2;
    gaps.emplace_back(
        -std::max(0.0, top - f.back().capacity) / capacity_scale * f.back().score / score_scale,
        codec.Encode(f.back().design), thickest);
  }
  std::sort(gaps.begin(), gaps.end());
  return gaps;
}

// Neighbour moves in the unit box: one ratio grid step (1% of the range when continuous), and
// thickness moves of at least 2% of the range (single-micrometre moves crawl).
std::vector<double> UnitSteps(const DesignSpace& space, const DesignCodec& codec, int layers) {
  const double w_range = space.max_active_weight_fraction - space.min_active_weight_fraction;
  const double w_step = w_range > 0 && space.active_weight_fraction_step > 0
                            ? space.active_weight_fraction_step / w_range
                            : 0.01;
  const double range = space.max_layer_thickness_m - space.min_layer_thickness_m;
  const double t_step = range > 0 ? std::max(space.thickness_step_m / range, 0.02) : 0.0;
  std::vector<double> steps(codec.dimension(), t_step);
  std::fill(steps.begin(), steps.begin() + layers, w_step);
  return steps;
}

// One new design for a gap between a and b: the midpoint, the quarter points, then the grid
// neighbours of either end (Pareto local search, Paquete et al. 2004), the first that is new
// and feasible; false when none is.
bool ProposeForGap(const SearchRun& run, const DesignCodec& codec, const std::vector<double>& steps,
                   const std::vector<double>& a, const std::vector<double>& b,
                   std::set<std::string>* proposed, Design* design) {
  std::vector<std::vector<double>> candidates;
  for (double t : {0.5, 0.25, 0.75}) {
    candidates.emplace_back(a.size());
    for (size_t d = 0; d < a.size(); ++d) candidates.back()[d] = a[d] + t * (b[d] - a[d]);
  }
  for (const auto* end : {&a, &b}) {
    for (size_t d = 0; d < end->size(); ++d) {
      for (double sign : {-1.0, 1.0}) {
        auto x = *end;
        x[d] = std::clamp(x[d] + sign * steps[d], 0.0, 1.0);
        candidates.push_back(x);
      }
    }
  }
  for (const auto& x : candidates) {
    *design = codec.Decode(x);
    if (run.evaluator.Find(*design) || !proposed->insert(FormatDesign(*design)).second) continue;
    if (codec.Violation(*design, run.materials(), run.packing()) > 0) continue;
    return true;
  }
  return false;
}

// Gap filling: the widest gaps of the front (largest rectangle between neighbours in the
// normalized objective plane) get a design between their neighbours, snapped; a fixed batch
// size keeps the answer independent of the thread count.
void GapFillPhase(SearchRun& run, const DesignCodec& codec, int layers, ParetoArchive* archive,
                  int budget) {
  constexpr size_t kGapFillBatch = 8;
  std::set<std::string> proposed;
  const std::vector<double> steps = UnitSteps(run.space, codec, layers);
  while (budget > 0) {
    std::vector<Design> todo;
    for (const auto& [priority, a, b] : FrontGaps(run, codec, layers, archive->Sorted())) {
      if (todo.size() == kGapFillBatch || static_cast<int>(todo.size()) == budget) break;
      Design design;
      if (ProposeForGap(run, codec, steps, a, b, &proposed, &design)) todo.push_back(design);
    }
    if (todo.empty()) break;
    const auto evaluations = run.evaluator.Evaluate(todo);
    budget -= static_cast<int>(todo.size());
    run.result.gap_fill_evaluations += static_cast<int>(todo.size());
    for (size_t i = 0; i < todo.size(); ++i) {
      if (evaluations[i].failed) continue;
      archive->Insert({todo[i], evaluations[i].theoretical_capacity_C_m2, run.Score(evaluations[i]),
                       layers, "gap_fill"});
    }
  }
}

// The electrode as a lab makes it: a split layer is one layer (with the merged design's own
// evaluation when the search has one; the numbers differ by the mesh only, ~1e-6). The archive
// keeps each design text once.
ArchiveEntry AsBuilt(const SearchRun& run, const ArchiveEntry& entry) {
  ArchiveEntry e = entry;
  e.design = MergeEqualLayers(entry.design);
  for (auto& l : e.design.layers) l.thickness_m = WholeNanometres(l.thickness_m);
  e.layer_count = static_cast<int>(e.design.layers.size());
  if (e.layer_count != entry.layer_count) {
    if (const Evaluation* own = run.evaluator.Find(e.design); own && !own->failed) {
      e.capacity = own->theoretical_capacity_C_m2;
      e.score = run.Score(*own);
    }
  }
  return e;
}

// An evaluated design offered to its layer count's front and, as built, to the combined one;
// failed designs and layer counts outside the space are not.
void OfferToFronts(const SearchRun& run, const Design& design, const Evaluation& e, double score,
                   const char* provenance, std::vector<ParetoArchive>* layer_archives,
                   ParetoArchive* combined) {
  const int layers = static_cast<int>(design.layers.size());
  if (e.failed || layers < run.space.min_layers || layers > run.space.max_layers) return;
  const ArchiveEntry entry{design, e.theoretical_capacity_C_m2, score, layers, provenance};
  (*layer_archives)[static_cast<size_t>(layers - run.space.min_layers)].Insert(entry);
  combined->Insert(AsBuilt(run, entry));
}

// Per capacity band: the grid optimum by local search at the band's capacity, with its
// certificate; every start's optimum joins the fronts.
void BandPolishPhase(SearchRun& run, std::vector<ParetoArchive>* layer_archives,
                     ParetoArchive* combined) {
  const SearchOptions& o = run.options;
  if (o.band_polish_starts <= 0 || o.capacity_bands_C_m2.empty()) return;
  const int before = run.evaluator.evaluations();
  BandPolishOptions polish;
  polish.starts = o.band_polish_starts;
  polish.evaluations =
      o.band_polish_evaluations > 0 ? o.band_polish_evaluations : std::max(1, o.evaluations / 4);
  polish.reserve = o.band_polish_reserve > 0 ? o.band_polish_reserve : o.evaluations;
  polish.ladder_evaluations = o.LadderEvaluations();
  polish.objective = o.objective;
  polish.seed = o.seed;
  // Progress in evaluations against the polish's largest budget: every band's first round, the
  // reserve of the later rounds and every band's ladder (the polish usually stops earlier).
  const int bands = static_cast<int>(o.capacity_bands_C_m2.size());
  const int budget =
      bands * (polish.evaluations + std::max(0, polish.ladder_evaluations)) + polish.reserve;
  if (run.progress) {
    run.progress({0, "band polish", 0, budget});
    run.evaluator.SetBatchListener([&run, before, budget](int evaluations) {
      run.progress({0, "band polish", std::min(evaluations - before, budget), budget});
    });
  }
  run.result.bands = PolishBands(&run.evaluator, run.space, o.capacity_bands_C_m2, polish);
  run.evaluator.SetBatchListener(nullptr);
  run.result.band_polish_evaluations = run.evaluator.evaluations() - before;
  // Every start's optimum and every rung of the ladders inside the space join the fronts.
  auto insert = [&](const Design& design, double score) {
    if (const Evaluation* e = run.evaluator.Find(design))
      OfferToFronts(run, design, *e, score, "band_polish", layer_archives, combined);
  };
  for (const auto& band : run.result.bands) {
    for (const auto& [design, score] : band.optima) insert(design, score);
    for (const auto& rung : band.ladder) {
      if (rung.found && !rung.beyond_space) insert(rung.design, rung.score);
    }
  }
  if (run.progress) run.progress({0, "band polish", budget, budget});
}

// Between and beyond the bands: one climb per capacity level across the combined front (every
// search.front_polish_step_mAh_cm2, none within half a step of a band), so that the whole front,
// not only the bands, is close to the optimum (issue 24). Its designs reach the fronts through
// ArchiveEverything.
void FrontPolishPhase(SearchRun& run, const ParetoArchive* combined) {
  const SearchOptions& o = run.options;
  if (o.FrontPolishEvaluations() <= 0 || !(o.front_polish_step_C_m2 > 0)) return;
  const auto front = combined->Sorted();
  if (front.size() < 2) return;
  std::vector<double> levels;
  const double step = o.front_polish_step_C_m2;
  for (double c = std::ceil(front.front().capacity / step) * step; c < front.back().capacity;
       c += step) {
    bool near_band = false;
    for (double b : o.capacity_bands_C_m2) near_band |= std::abs(c - b) < 0.5 * step;
    if (!near_band) levels.push_back(c);
  }
  const int before = run.evaluator.evaluations();
  const int budget = static_cast<int>(levels.size()) * o.FrontPolishEvaluations();
  if (run.progress) {
    run.progress({0, "front polish", 0, budget});
    run.evaluator.SetBatchListener([&run, before, budget](int evaluations) {
      run.progress({0, "front polish", std::min(evaluations - before, budget), budget});
    });
  }
  ClimbLevels(&run.evaluator, run.space, levels, o.FrontPolishEvaluations(), o.objective);
  run.evaluator.SetBatchListener(nullptr);
  if (run.progress) run.progress({0, "front polish", budget, budget});
}

// Every design the search evaluated is a candidate for the fronts, not only those a phase
// proposed as its answer: the band polish's neighbourhoods sample the front densely around each
// band (free: no evaluation).
void ArchiveEverything(const SearchRun& run, std::vector<ParetoArchive>* layer_archives,
                       ParetoArchive* combined) {
  for (const auto& [key, entry] : run.evaluator.evaluated()) {
    const auto& [design, e] = entry;
    OfferToFronts(run, design, e, run.Score(e), "evaluated", layer_archives, combined);
  }
}

}  // namespace

SearchResult RunSearch(const CellModel& model, const DesignSpace& space,
                       const SearchOptions& options, double c_rate,
                       const std::function<void(const SearchProgress&)>& progress) {
  space.Validate();
  options.Validate();
  const auto start = std::chrono::steady_clock::now();
  SearchRun run{model,  space,    options,
                c_rate, progress, CachedEvaluator(model, c_rate, options.threads),
                {},     0.0};
  // Among designs of nearly the same score at no less capacity, the combined front keeps the one
  // with fewer layers (a lab presses the simpler electrode).
  ParetoArchive combined(kFewerLayersTolerance);
  std::vector<ParetoArchive> layer_archives(
      static_cast<size_t>(space.max_layers - space.min_layers + 1));
  for (int layers = space.min_layers; layers <= space.max_layers; ++layers) {
    const DesignCodec codec(space, layers);
    ParetoArchive& archive = layer_archives[static_cast<size_t>(layers - space.min_layers)];
    NsgaPhase(run, codec, layers, &archive);
    RefinementPhase(run, codec, layers, &archive);
    GapFillPhase(run, codec, layers, &archive, options.gap_fill_evaluations);
    for (const auto& e : archive.Sorted()) combined.Insert(AsBuilt(run, e));
  }
  BandPolishPhase(run, &layer_archives, &combined);
  FrontPolishPhase(run, &combined);
  ArchiveEverything(run, &layer_archives, &combined);
  // The polished fronts' gaps, filled again (their neighbours are now the band and level
  // optima), the budget shared among the layer counts by their part of the combined front.
  const auto shares = combined.Sorted();
  for (int layers = space.min_layers; layers <= space.max_layers; ++layers) {
    const auto on_front = std::count_if(shares.begin(), shares.end(), [&](const ArchiveEntry& e) {
      return e.layer_count == layers;
    });
    if (on_front == 0) continue;
    const DesignCodec codec(space, layers);
    ParetoArchive& archive = layer_archives[static_cast<size_t>(layers - space.min_layers)];
    GapFillPhase(run, codec, layers, &archive,
                 static_cast<int>(options.FinalGapFillEvaluations() * on_front /
                                  static_cast<long>(shares.size())));
    for (const auto& e : archive.Sorted()) combined.Insert(AsBuilt(run, e));
  }
  SearchResult& result = run.result;
  for (const auto& [key, entry] : run.evaluator.evaluated())
    result.evaluated.emplace(key, entry.second);
  for (const auto& archive : layer_archives)
    result.fronts_by_layer_count.push_back(archive.Sorted());
  result.front = combined.Sorted();
  result.hypervolume = Hypervolume(result.front);
  result.evaluations = run.evaluator.evaluations() + result.refinement_evaluations;
  result.model_seconds = run.evaluator.model_seconds() + run.refinement_seconds;
  result.total_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  int converged = 0;
  for (const auto& b : result.bands) converged += b.converged();
  result.summary = {
      result.bands.empty() || converged == static_cast<int>(result.bands.size())
          ? Termination::kConverged
          : Termination::kBudgetExhausted,
      std::to_string(result.front.size()) + " designs on the front; " + std::to_string(converged) +
          " of " + std::to_string(result.bands.size()) +
          " capacity bands certified (local optimum on the grid that the starts agree on)",
      result.evaluations, result.total_seconds};
  return result;
}

}  // namespace edopt
