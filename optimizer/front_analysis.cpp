#include "optimizer/front_analysis.h"

#include <cmath>

namespace edopt {

std::vector<ArchiveEntry> Entries(const std::vector<FrontRow>& rows) {
  std::vector<ArchiveEntry> e;
  e.reserve(rows.size());
  for (const auto& r : rows) e.push_back(r.entry);
  return e;
}

std::vector<BandChoice> BestPerBand(const std::vector<FrontRow>& rows,
                                    const std::vector<FrontRow>* uniform,
                                    const std::vector<double>& bands_C_m2) {
  std::vector<BandChoice> out;
  const auto entries = Entries(rows);
  const auto uniform_entries = uniform ? Entries(*uniform) : std::vector<ArchiveEntry>{};
  for (double band : bands_C_m2) {
    BandChoice c;
    c.capacity_C_m2 = band;
    c.best = IndexAtCapacity(entries, band);
    if (c.best >= 0 && uniform != nullptr) {
      const FrontRow& best = rows[static_cast<size_t>(c.best)];
      c.uniform = IndexAtCapacity(uniform_entries, best.entry.capacity);
      if (c.uniform >= 0) {
        c.gain_points = 100 * (best.at_objective.utilization -
                               (*uniform)[static_cast<size_t>(c.uniform)].at_objective.utilization);
      }
    }
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
        r.summary.mean_ng_weight_fraction < space.min_mean_ng_weight_fraction + 0.01;
    *total_thickness_binds += r.summary.thickness_m > space.max_total_thickness_m - 2e-6;
  }
}

namespace {

std::vector<FrontRow> EvaluateFront(const std::vector<ArchiveEntry>& front,
                                    const CellParameters& cell, const Evaluator& at_objective,
                                    const Evaluator& at_tenth) {
  std::vector<Design> designs;
  for (const auto& e : front) designs.push_back(e.design);
  const auto slow = at_tenth.EvaluateBatch(designs);
  const auto fast = at_objective.EvaluateBatch(designs);
  std::vector<FrontRow> rows;
  for (size_t i = 0; i < front.size(); ++i) {
    rows.push_back({front[i], fast[i], slow[i].utilization,
                    SummarizeDesign(cell.materials, cell.packing, front[i].design)});
  }
  return rows;
}

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
  FrontAnalysis& a = run.analysis;
  a.rows = EvaluateFront(run.search.front, cell, at_objective, at_tenth);
  for (const auto& f : run.search.fronts_by_layer_count)
    a.rows_by_layer_count.push_back(EvaluateFront(f, cell, at_objective, at_tenth));
  if (!a.rows.empty()) a.knee = static_cast<int>(KneeIndex(Entries(a.rows)));
  const std::vector<FrontRow>* uniform =
      space.min_layers == 1 && !a.rows_by_layer_count.empty() ? &a.rows_by_layer_count[0] : nullptr;
  a.bands = BestPerBand(a.rows, uniform, options.capacity_bands_C_m2);
  for (auto& band : a.bands) {
    for (const auto& cert : run.search.bands) {
      if (cert.capacity_C_m2 != band.capacity_C_m2) continue;
      band.certified = cert.converged();
      band.certificate = cert.Describe();
      if (band.best >= 0 && cert.found &&
          !(a.rows[static_cast<size_t>(band.best)].entry.design == MergeEqualLayers(cert.design)))
        band.certificate += "; the front prefers a design with fewer layers within 0.1 points";
    }
  }
  const auto refs = at_objective.EvaluateBatch(references);
  const auto refs_slow = at_tenth.EvaluateBatch(references);
  for (size_t i = 0; i < references.size(); ++i)
    a.references.push_back(
        CheckReference(a.rows, references[i], refs[i], refs_slow[i].utilization));
  CountBindingConstraints(a.rows, space, &a.mean_fraction_binds, &a.total_thickness_binds);
  if (!posterior.empty()) AddUncertainty(cell, posterior, c_rate, options.threads, &a);
  return run;
}

void AddUncertainty(const CellParameters& cell, const PosteriorSample& posterior, double c_rate,
                    int threads, FrontAnalysis* a) {
  const PosteriorSample draws = posterior.Thinned(200);
  auto model_draws = [&](const Design& d) {
    return UtilizationDraws(cell, draws, d, c_rate, threads);
  };
  for (auto& band : a->bands) {
    if (band.best < 0) continue;
    const auto best = model_draws(a->rows[static_cast<size_t>(band.best)].entry.design);
    band.interval = MeasurementInterval(best, draws.noise_pp);
    band.has_interval = true;
    if (band.uniform >= 0) {
      const Design& rival =
          a->rows_by_layer_count[0][static_cast<size_t>(band.uniform)].entry.design;
      const auto uniform = model_draws(rival);
      band.uniform_interval = MeasurementInterval(uniform, draws.noise_pp);
      // The same electrode cannot beat itself: no probability then.
      if (!(MergeEqualLayers(a->rows[static_cast<size_t>(band.best)].entry.design) ==
            MergeEqualLayers(rival))) {
        band.p_beats_uniform = ProbabilityBetter(best, uniform);
      }
    }
  }
  if (a->knee >= 0) {
    a->knee_interval = MeasurementInterval(
        model_draws(a->rows[static_cast<size_t>(a->knee)].entry.design), draws.noise_pp);
    a->knee_has_interval = true;
  }
}

}  // namespace edopt
