#include "optimizer/front_analysis.h"

#include <cmath>
#include <map>
#include <set>

#include "optimizer/ensemble_sampler.h"

namespace edopt {

std::vector<ArchiveEntry> Entries(const std::vector<FrontRow>& rows) {
  std::vector<ArchiveEntry> e;
  e.reserve(rows.size());
  for (const auto& r : rows) e.push_back(r.entry);
  return e;
}

namespace {

// The best uniform electrode of at least the pick's capacity, and the pick's gain over it.
void SetUniformRival(const std::vector<FrontRow>* uniform, BandChoice* c) {
  c->uniform = -1;
  c->gain_points = std::numeric_limits<double>::quiet_NaN();
  if (c->best < 0 || uniform == nullptr) return;
  c->uniform = IndexAtCapacity(Entries(*uniform), c->pick.entry.capacity);
  if (c->uniform >= 0) {
    c->gain_points = 100 * (c->pick.at_objective.utilization -
                            (*uniform)[static_cast<size_t>(c->uniform)].at_objective.utilization);
  }
}

}  // namespace

std::vector<BandChoice> BestPerBand(const std::vector<FrontRow>& rows,
                                    const std::vector<FrontRow>* uniform,
                                    const std::vector<double>& bands_C_m2) {
  std::vector<BandChoice> out;
  const auto entries = Entries(rows);
  for (double band : bands_C_m2) {
    BandChoice c;
    c.capacity_C_m2 = band;
    c.best = IndexAtCapacity(entries, band);
    if (c.best >= 0) c.pick = rows[static_cast<size_t>(c.best)];
    SetUniformRival(uniform, &c);
    out.push_back(c);
  }
  return out;
}

ReferenceCheck CheckReference(const std::vector<FrontRow>& rows, const Design& design,
                              const Evaluation& at_objective, double utilization_0p1C) {
  ReferenceCheck c{design, at_objective, utilization_0p1C, -1, 0.0};
  const int by = IndexAtCapacity(Entries(rows), at_objective.theoretical_capacity_C_m2);
  // Weak dominance up to round-off (the same electrode may sit on the front itself).
  if (by >= 0 &&
      rows[static_cast<size_t>(by)].at_objective.utilization >= at_objective.utilization - 1e-9) {
    c.dominated_by = by;
    c.gain_points =
        100 * (rows[static_cast<size_t>(by)].at_objective.utilization - at_objective.utilization);
    if (std::abs(c.gain_points) < 1e-6) c.gain_points = 0;  // the same electrode
  }
  return c;
}

void CountBindingConstraints(const std::vector<FrontRow>& rows, const DesignSpace& space,
                             int* mean_fraction_binds, int* total_thickness_binds) {
  *mean_fraction_binds = *total_thickness_binds = 0;
  for (const auto& r : rows) {
    *mean_fraction_binds +=
        r.summary.mean_active_weight_fraction < space.min_mean_active_weight_fraction + 0.01;
    *total_thickness_binds += r.summary.thickness_m > space.max_total_thickness_m - 2e-6;
  }
}

namespace {

// The search's certificate for a band (bands match to round-off, not by exact equality).
const BandCertificate* MatchingCertificate(const std::vector<BandCertificate>& certificates,
                                           double capacity_C_m2) {
  for (const auto& cert : certificates) {
    if (std::abs(cert.capacity_C_m2 - capacity_C_m2) <= 1e-9 * std::abs(capacity_C_m2))
      return &cert;
  }
  return nullptr;
}

// The fronts' rows at the objective rate and at 0.1C, each design simulated at most once: the
// objective-rate evaluations start from the search's own (the same model, the same designs).
class FrontEvaluator {
 public:
  FrontEvaluator(const CellParameters& cell, const CellModel& model, double c_rate, int threads,
                 std::map<std::string, Evaluation> searched)
      : cell_(cell),
        at_objective_(model, c_rate, threads),
        at_tenth_(model, 0.1, threads),
        fast_(std::move(searched)) {}

  std::vector<FrontRow> Rows(const std::vector<ArchiveEntry>& front) {
    Fill(front, at_objective_, &fast_);
    Fill(front, at_tenth_, &slow_);
    std::vector<FrontRow> rows;
    for (const auto& e : front) {
      const std::string key = FormatDesign(e.design);
      rows.push_back({e, fast_.at(key), slow_.at(key).utilization,
                      SummarizeDesign(cell_.materials, cell_.packing, e.design)});
    }
    return rows;
  }

 private:
  static void Fill(const std::vector<ArchiveEntry>& front, const Evaluator& evaluator,
                   std::map<std::string, Evaluation>* known) {
    std::vector<Design> missing;
    std::vector<std::string> keys;  // of `missing`, in order
    std::set<std::string> listed;
    for (const auto& e : front) {
      std::string key = FormatDesign(e.design);
      if (known->count(key) || !listed.insert(key).second) continue;
      keys.push_back(std::move(key));
      missing.push_back(e.design);
    }
    const auto evaluations = evaluator.EvaluateBatch(missing);
    for (size_t i = 0; i < keys.size(); ++i) known->emplace(keys[i], evaluations[i]);
  }

  const CellParameters& cell_;
  Evaluator at_objective_, at_tenth_;
  std::map<std::string, Evaluation> fast_, slow_;
};

}  // namespace

OptimizationRun RunOptimization(const CellParameters& cell, const DesignSpace& space,
                                SearchOptions options, double c_rate,
                                const std::vector<Design>& references,
                                const std::function<void(const SearchProgress&)>& progress,
                                const PosteriorSample& posterior) {
  const CellModel model(cell);
  options.seed_designs = references;
  for (const auto& d : references) {
    options.focus_capacities_C_m2.push_back(
        SummarizeDesign(cell.materials, cell.packing, d).theoretical_capacity_C_m2);
  }
  OptimizationRun run;
  run.search = RunSearch(model, space, options, c_rate, progress);
  const Evaluator at_tenth(model, 0.1, options.threads);
  const Evaluator at_objective(model, c_rate, options.threads);
  FrontEvaluator evaluate(cell, model, c_rate, options.threads, std::move(run.search.evaluated));
  FrontAnalysis& a = run.analysis;
  a.rows = evaluate.Rows(run.search.front);
  for (const auto& f : run.search.fronts_by_layer_count)
    a.rows_by_layer_count.push_back(evaluate.Rows(f));
  if (!a.rows.empty()) a.knee = static_cast<int>(KneeIndex(Entries(a.rows)));
  const std::vector<FrontRow>* uniform =
      space.min_layers == 1 && !a.rows_by_layer_count.empty() ? &a.rows_by_layer_count[0] : nullptr;
  a.bands = BestPerBand(a.rows, uniform, options.capacity_bands_C_m2);
  for (auto& band : a.bands) {
    const BandCertificate* cert = MatchingCertificate(run.search.bands, band.capacity_C_m2);
    if (cert == nullptr) continue;
    band.certified = cert->converged();
    band.has_certificate = true;
    band.certificate = *cert;
    if (!cert->found) continue;
    // The polish's optimum and its ladder, evaluated as the front's rows are.
    std::vector<ArchiveEntry> entries;
    auto entry = [&](const Design& d, double score, const char* provenance) {
      entries.push_back({d,
                         SummarizeDesign(cell.materials, cell.packing, d).theoretical_capacity_C_m2,
                         score, static_cast<int>(d.layers.size()), provenance});
    };
    entry(MergeEqualLayers(cert->design), cert->score, "band_polish");  // as built
    std::vector<const LayerRung*> rungs;
    for (const auto& rung : cert->ladder) {
      if (!rung.found) continue;
      rungs.push_back(&rung);
      entry(rung.design, rung.score, "layer_ladder");
    }
    const auto rows = evaluate.Rows(entries);
    if (band.best < 0 || rows[0].entry.score >= band.pick.entry.score - 1e-12) {
      band.pick = rows[0];
      if (band.best < 0) band.best = IndexAtCapacity(Entries(a.rows), band.capacity_C_m2);
    }
    for (size_t k = 0; k < rungs.size(); ++k) {
      band.ladder.push_back(
          {rungs[k]->layers, rungs[k]->beyond_space, rungs[k]->local_optimum, rows[k + 1]});
    }
  }
  const auto refs = at_objective.EvaluateBatch(references);
  const auto refs_slow = at_tenth.EvaluateBatch(references);
  for (size_t i = 0; i < references.size(); ++i)
    a.references.push_back(
        CheckReference(a.rows, references[i], refs[i], refs_slow[i].utilization));
  CountBindingConstraints(a.rows, space, &a.mean_fraction_binds, &a.total_thickness_binds);
  // The tie rule, then the uniform rival of every pick and, with a posterior, the intervals
  // (draws shared: the optimum's and the rungs' are simulated once).
  DrawMemo memo(cell, posterior, c_rate, options.threads);
  ChooseBandDesigns(options, posterior.empty() ? nullptr : &memo, &a);
  for (auto& band : a.bands) SetUniformRival(uniform, &band);
  if (!posterior.empty()) AddUncertainty(memo, &a, options.tie_tolerance_points);
  return run;
}

namespace {

// Draws of the objective per band capacity (utilization draws times capacity per band).
std::vector<double> BandDraws(const std::vector<double>& utilization, const FrontRow& row,
                              Objective objective, double band_C_m2) {
  std::vector<double> out = utilization;
  if (objective == Objective::kDeliveredCapacity) {
    for (double& u : out) u *= row.entry.capacity / band_C_m2;
  }
  return out;
}

void ChooseBandDesign(const SearchOptions& options, DrawMemo* memo, BandChoice* band) {
  if (band->best < 0 || band->ladder.empty()) return;
  const FrontRow optimum = band->pick;
  const double b = band->capacity_C_m2;
  const double best = SearchScore(optimum.at_objective, options.objective, b);
  // Fewest layers first: the simplest design the optimum cannot show to be worse.
  for (auto& rung : band->ladder) {
    if (rung.beyond_space || rung.layers >= optimum.entry.layer_count) continue;
    const double gain = 100 * (best - SearchScore(rung.row.at_objective, options.objective, b));
    TieReason tie =
        gain <= options.tie_tolerance_points ? TieReason::kWithinError : TieReason::kNone;
    if (tie == TieReason::kNone && memo != nullptr) {
      rung.p_optimum_beats = ProbabilityBetter(
          BandDraws((*memo)(optimum.entry.design), optimum, options.objective, b),
          BandDraws((*memo)(rung.row.entry.design), rung.row, options.objective, b));
      if (rung.p_optimum_beats < options.tie_probability) tie = TieReason::kNotConvincing;
    }
    if (tie == TieReason::kNone) continue;
    band->tie = tie;
    band->rival = optimum;
    band->rival_gain_points = gain;
    band->p_rival_beats = rung.p_optimum_beats;
    band->pick = rung.row;
    return;
  }
}

}  // namespace

namespace {

// The band design with the highest 5th percentile, when it beats the pick's.
void FindRobustRival(DrawMemo& memo, const FrontAnalysis& a, double margin, BandChoice* band) {
  band->pick_p05 = Quantile(memo(band->pick.entry.design), 0.05);
  std::vector<const FrontRow*> rivals;
  if (band->uniform >= 0)
    rivals.push_back(&a.rows_by_layer_count[0][static_cast<size_t>(band->uniform)]);
  if (band->tie != TieReason::kNone) rivals.push_back(&band->rival);
  for (const auto& rung : band->ladder) {
    if (!rung.beyond_space) rivals.push_back(&rung.row);
  }
  double best = band->pick_p05 + margin;  // beyond the model's numerical error
  for (const FrontRow* r : rivals) {
    if (MergeEqualLayers(r->entry.design) == MergeEqualLayers(band->pick.entry.design)) continue;
    const double p05 = Quantile(memo(r->entry.design), 0.05);
    if (p05 > best) {
      best = p05;
      band->has_robust_rival = true;
      band->robust_rival = *r;
      band->robust_rival_p05 = p05;
    }
  }
}

}  // namespace

void AddUncertainty(DrawMemo& memo, FrontAnalysis* a, double margin_points) {
  const auto& noise = memo.sample().noise_pp;
  for (auto& band : a->bands) {
    if (band.best < 0) continue;
    const auto& best = memo(band.pick.entry.design);
    band.interval = MeasurementInterval(best, noise);
    band.has_interval = true;
    if (band.uniform >= 0) {
      const Design& rival =
          a->rows_by_layer_count[0][static_cast<size_t>(band.uniform)].entry.design;
      const auto& uniform = memo(rival);
      band.uniform_interval = MeasurementInterval(uniform, noise);
      // The same electrode cannot beat itself: no probability then.
      band.p_beats_uniform = std::numeric_limits<double>::quiet_NaN();
      if (!(MergeEqualLayers(band.pick.entry.design) == MergeEqualLayers(rival))) {
        band.p_beats_uniform = ProbabilityBetter(best, uniform);
      }
    }
    for (auto& rung : band.ladder) {
      if (rung.beyond_space || !std::isfinite(rung.p_optimum_beats)) continue;
      rung.interval = MeasurementInterval(memo(rung.row.entry.design), noise);
      rung.has_interval = true;
    }
    FindRobustRival(memo, *a, margin_points / 100.0, &band);
  }
  if (a->knee >= 0) {
    a->knee_interval =
        MeasurementInterval(memo(a->rows[static_cast<size_t>(a->knee)].entry.design), noise);
    a->knee_has_interval = true;
  }
}

void ChooseBandDesigns(const SearchOptions& options, DrawMemo* memo, FrontAnalysis* analysis) {
  for (auto& band : analysis->bands) ChooseBandDesign(options, memo, &band);
}

void AddUncertainty(const CellParameters& cell, const PosteriorSample& posterior, double c_rate,
                    int threads, FrontAnalysis* a, double margin_points) {
  DrawMemo memo(cell, posterior, c_rate, threads);
  AddUncertainty(memo, a, margin_points);
}

DrawMemo::DrawMemo(const CellParameters& cell, const PosteriorSample& posterior, double c_rate,
                   int threads)
    : cell_(cell), draws_(posterior.Thinned(200)), c_rate_(c_rate), threads_(threads) {}

const std::vector<double>& DrawMemo::operator()(const Design& design) {
  auto [it, added] = memo_.try_emplace(FormatDesign(design));
  if (added) it->second = UtilizationDraws(cell_, draws_, design, c_rate_, threads_);
  return it->second;
}

}  // namespace edopt
