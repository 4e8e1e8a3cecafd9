#include "formats/optimization_files.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>

#include "edopt_version.h"
#include "formats/band_report.h"
#include "formats/manifest.h"
#include "formats/output.h"
#include "models/materials.h"
#include "models/recipe.h"
#include "models/units.h"

namespace edopt {

namespace {

constexpr double kMah = kC_m2_per_mAh_cm2;

std::string CsvHeader(int max_layers) {
  std::string h = "design,layer_count,provenance";
  for (int k = 1; k <= max_layers; ++k) h += ",active_weight_fraction_" + std::to_string(k);
  for (int k = 1; k <= max_layers; ++k) h += ",thickness_um_" + std::to_string(k);
  return h +
         ",thickness_um,mean_active_weight_fraction,theoretical_capacity_mAh_cm2,volumetric_"
         "capacity_"
         "mAh_cm3,utilization,delivered_capacity_mAh_cm2,utilization_0p1C\n";
}

std::string CsvRow(const FrontRow& r, int max_layers) {
  std::ostringstream os;
  os << CsvQuote(FormatDesign(r.entry.design)) << ',' << r.entry.layer_count << ','
     << r.entry.provenance;
  for (int k = 0; k < max_layers; ++k) {
    os << ',';
    if (k < r.entry.layer_count) os << FormatG(r.entry.design.layers[k].active_weight_fraction, 6);
  }
  for (int k = 0; k < max_layers; ++k) {
    os << ',';
    if (k < r.entry.layer_count) os << FormatG(r.entry.design.layers[k].thickness_m * 1e6, 6);
  }
  os << ',' << FormatG(r.summary.thickness_m * 1e6, 6) << ','
     << FormatG(r.summary.mean_active_weight_fraction, 6) << ','
     << FormatG(r.at_objective.theoretical_capacity_C_m2 / kMah, 8) << ','
     << FormatG(r.summary.volumetric_capacity_C_m3 / 3.6e6, 6) << ','
     << FormatG(r.at_objective.utilization, 8) << ','
     << FormatG(r.at_objective.delivered_capacity_C_m2 / kMah, 8) << ','
     << FormatG(r.utilization_0p1C, 8) << '\n';
  return os.str();
}

std::string FrontCsv(const std::vector<std::vector<FrontRow>>& fronts, int max_layers) {
  std::string csv = CsvHeader(max_layers);
  for (const auto& rows : fronts) {
    for (const auto& r : rows) csv += CsvRow(r, max_layers);
  }
  return csv;
}

std::string ObjectiveLine(const Scenario& s) {
  const DesignSpace& d = s.design_space;
  const std::string active = ActiveLabel(s.cell.materials);
  char carbon[64] = "";
  if (d.carbon_weight_fraction > 0) {
    std::snprintf(carbon, sizeof carbon, " (+%.3g carbon)", d.carbon_weight_fraction);
  }
  char line[640];
  std::snprintf(line, sizeof line,
                "Objective: theoretical areal capacity vs %s at %.3gC, %d-%d layers, %s fraction "
                "%.2f-%.2f per layer%s, layer %.0f-%.0f um, total %.0f-%.0f um, mean %s fraction "
                ">= %.2f%s.\n\n",
                ToString(s.search.objective), s.objective_c_rate, d.min_layers, d.max_layers,
                active.c_str(), d.min_active_weight_fraction, d.max_active_weight_fraction, carbon,
                d.min_layer_thickness_m * 1e6, d.max_layer_thickness_m * 1e6,
                d.min_total_thickness_m * 1e6, d.max_total_thickness_m * 1e6, active.c_str(),
                d.min_mean_active_weight_fraction,
                d.monotone_gradient ? ", monotone gradient" : "");
  return line;
}

std::string SearchMd(const OptimizationRun& run) {
  const SearchResult& r = run.search;
  char line[512];
  std::snprintf(line, sizeof line,
                "\n## The search\n\nHypervolume %.6g (mAh/cm2 x score, reference 0,0); %d model "
                "evaluations (%d candidates, %d for the band polish); %.2f s total, %.2f s in the "
                "model (%.1f%% optimizer overhead). %zu designs on the front: pareto.csv (by "
                "layer count: fronts_by_layer_count.csv).\n",
                r.hypervolume / kMah, r.evaluations, r.candidates, r.band_polish_evaluations,
                r.total_seconds, r.model_seconds,
                100.0 * (1.0 - r.model_seconds / std::max(1e-12, r.total_seconds)),
                run.analysis.rows.size());
  return line;
}

std::string ConstraintsAndReferencesMd(const FrontAnalysis& a, const DesignSpace& space,
                                       const std::string& active) {
  std::ostringstream md;
  char line[512];
  md << "\n## Constraints\n\nThe energy-density constraint (mean " << active
     << " fraction >= " << FormatG(space.min_mean_active_weight_fraction, 3)
     << ") binds (within 0.01) for " << a.mean_fraction_binds << " of " << a.rows.size()
     << " front designs; the total-thickness bound binds for " << a.total_thickness_binds << ".\n";
  md << "\n## Reference designs\n\n| design | capacity mAh/cm2 | utilization | weakly dominated by "
        "|\n|---|---|---|---|\n";
  for (const auto& r : a.references) {
    const std::string by =
        r.dominated_by < 0
            ? "no"
            : FormatDesign(a.rows[static_cast<size_t>(r.dominated_by)].entry.design) + " (+" +
                  FormatG(r.gain_points, 3) + " points)";
    std::snprintf(line, sizeof line, "| %s | %.3f | %.3f | %s |\n", FormatDesign(r.design).c_str(),
                  r.at_objective.theoretical_capacity_C_m2 / kMah, r.at_objective.utilization,
                  by.c_str());
    md << line;
  }
  md << "\nRecipes for the knee and band designs: recipes.txt and recipes.csv; reference designs: "
        "references.csv.\n";
  return md.str();
}

std::string ReferencesCsv(const FrontAnalysis& a) {
  std::string csv =
      "design,layer_count,theoretical_capacity_mAh_cm2,utilization,utilization_0p1C,"
      "weakly_dominated_by,by_capacity_mAh_cm2,by_utilization,gain_points\n";
  for (const auto& r : a.references) {
    const FrontRow* by =
        r.dominated_by < 0 ? nullptr : &a.rows[static_cast<size_t>(r.dominated_by)];
    csv += CsvQuote(FormatDesign(r.design)) + ',' + std::to_string(r.design.layers.size()) + ',' +
           FormatG(r.at_objective.theoretical_capacity_C_m2 / kMah, 8) + ',' +
           FormatG(r.at_objective.utilization, 8) + ',' + FormatG(r.utilization_0p1C, 8) + ',' +
           (by ? CsvQuote(FormatDesign(by->entry.design)) : "") + ',' +
           (by ? FormatG(by->entry.capacity / kMah, 8) : "") + ',' +
           (by ? FormatG(by->at_objective.utilization, 8) : "") + ',' +
           (by ? FormatG(r.gain_points, 6) : "") + '\n';
  }
  return csv;
}

// The knee and the band designs, named as in recipes.csv ("knee", "capacity>=4"), with their
// intervals when the scenario carries a posterior.
struct Pick {
  std::string name;
  const FrontRow* row = nullptr;
  const PredictiveInterval* interval = nullptr;
  double p_beats_uniform = std::numeric_limits<double>::quiet_NaN();
};
std::vector<Pick> Picks(const FrontAnalysis& a) {
  std::vector<Pick> picks;
  if (a.knee >= 0) {
    picks.push_back({"knee", &a.rows[static_cast<size_t>(a.knee)],
                     a.knee_has_interval ? &a.knee_interval : nullptr});
  }
  for (const auto& c : a.bands) {
    if (c.best >= 0) {
      picks.push_back({"capacity>=" + FormatG(c.capacity_C_m2 / kMah, 4), &c.pick,
                       c.has_interval ? &c.interval : nullptr, c.p_beats_uniform});
    }
  }
  return picks;
}

// "0.786 at 0.3C, 95% interval 0.74-0.83 of a new measurement; beats the best uniform
// electrode with probability 0.97" (the parts that exist).
std::string Expectation(const Pick& pick, double c_rate) {
  std::string text =
      FormatG(pick.row->at_objective.utilization, 3) + " at " + FormatG(c_rate, 3) + "C";
  if (pick.interval) {
    char range[64];
    std::snprintf(range, sizeof range, ", 95%% interval %.3f-%.3f of a new measurement",
                  pick.interval->low, pick.interval->high);
    text += range;
  }
  if (std::isfinite(pick.p_beats_uniform)) {
    text +=
        "; beats the best uniform electrode with probability " + FormatG(pick.p_beats_uniform, 2);
  }
  return text;
}

std::pair<std::string, std::string> RecipesTxtAndCsv(const FrontAnalysis& a, const Scenario& s) {
  bool carbon = false;  // the carbon columns appear only where some pick holds carbon
  for (const auto& p : Picks(a)) {
    for (const auto& l : p.row->entry.design.layers) carbon |= l.carbon_weight_fraction > 0;
  }
  std::string txt;
  std::string csv =
      std::string("pick,design,deposition_order,active_weight_fraction,") +
      (carbon ? "carbon_weight_fraction," : "") +
      "thickness_um,composite_mg_cm2,composite_mg_per_pellet,active_mg_per_pellet,se_mg_per_"
      "pellet," +
      (carbon ? "carbon_mg_per_pellet," : "") +
      "capacity_mAh_cm2,utilization,utilization_low_95,utilization_high_95,p_beats_uniform\n";
  for (const auto& p : Picks(a)) {
    const FrontRow* row = p.row;
    const Recipe recipe =
        MakeRecipe(s.cell.materials, s.cell.packing, row->entry.design, s.pellet_area_m2, 500e-6);
    txt += FormatRecipe(recipe, row->entry.design) +
           "Expected: " + Expectation(p, s.objective_c_rate) + ".\n\n";
    const std::string expectation =
        ',' + FormatG(row->at_objective.utilization, 6) + ',' +
        (p.interval ? FormatG(p.interval->low, 4) + ',' + FormatG(p.interval->high, 4) : ",") +
        ',' + (std::isfinite(p.p_beats_uniform) ? FormatG(p.p_beats_uniform, 3) : "");
    for (const auto& l : recipe.layers) {
      csv += p.name + ',' + CsvQuote(FormatDesign(row->entry.design)) + ',' +
             std::to_string(l.deposition_order) + ',' + FormatG(l.active_weight_fraction, 6) + ',' +
             (carbon ? FormatG(l.carbon_weight_fraction, 6) + ',' : "") +
             FormatG(l.thickness_m * 1e6, 6) + ',' + FormatG(l.composite_mass_kg_m2 * 1e2, 6) +
             ',' + FormatG(l.composite_mass_per_pellet_kg * 1e6, 6) + ',' +
             FormatG(l.active_mass_per_pellet_kg * 1e6, 6) + ',' +
             FormatG(l.se_mass_per_pellet_kg * 1e6, 6) + ',' +
             (carbon ? FormatG(l.carbon_mass_per_pellet_kg * 1e6, 6) + ',' : "") +
             FormatG(l.theoretical_capacity_C_m2 / kMah, 6) + expectation + '\n';
    }
  }
  return {txt, csv};
}

std::string RunJson(const OptimizationRun& run, const Scenario& s) {
  const SearchResult& r = run.search;
  nlohmann::ordered_json j;
  j["edopt_version"] = EDOPT_VERSION;
  j["git_commit"] = CodeCommit();
  j["scenario"] = s.source;
  j["scenario_sha256"] = ScenarioDigest(s);  // of the canonical printed scenario
  j["seed"] = s.search.seed;
  j["threads"] = s.search.threads;
  j["objective_c_rate"] = s.objective_c_rate;
  j["objective"] = ToString(s.search.objective);
  j["evaluations_budget"] = s.search.evaluations;
  j["population"] = s.search.population;
  j["max_layers"] = s.design_space.max_layers;
  j["refinement_points"] = s.search.refinement_points;
  j["refinement_evaluations_budget"] = s.search.refinement_evaluations;
  j["model_evaluations"] = r.evaluations;
  j["refinement_model_evaluations"] = r.refinement_evaluations;
  j["refinement_improvements"] = r.refinement_improvements;
  j["gap_fill_model_evaluations"] = r.gap_fill_evaluations;
  j["candidates"] = r.candidates;
  j["front_size"] = run.analysis.rows.size();
  j["hypervolume_mAh_cm2"] = JsonNumber(r.hypervolume / kMah, 10);
  j["total_seconds"] = JsonNumber(r.total_seconds, 6);
  j["model_seconds"] = JsonNumber(r.model_seconds, 6);
  j["summary"] = SummaryJson(r.summary);
  j["band_polish_model_evaluations"] = r.band_polish_evaluations;
  j["bands"] = nlohmann::ordered_json::array();
  for (const auto& b : r.bands) {
    nlohmann::ordered_json band;
    band["capacity_mAh_cm2"] = JsonNumber(b.capacity_C_m2 / kMah, 6);
    band["found"] = b.found;
    band["design"] = b.found ? FormatDesign(b.design) : "";
    if (s.search.objective == Objective::kUtilization) {
      band["utilization"] = JsonNumber(b.score, 8);
    } else {
      band["delivered_capacity_mAh_cm2"] = JsonNumber(b.score / kMah, 8);
    }
    band["converged"] = b.converged();
    band["local_optimum"] = b.local_optimum;
    band["starts"] = b.starts;
    band["starts_at_best"] = b.starts_at_best;
    band["spread_points"] = JsonNumber(b.spread_points, 4);
    band["evaluations"] = b.evaluations;
    band["rounds"] = b.rounds;
    band["ladder_evaluations"] = b.ladder_evaluations;
    band["certificate"] = CertificateWords(b, ActiveLabel(s.cell.materials));
    const auto choice = std::find_if(
        run.analysis.bands.begin(), run.analysis.bands.end(),
        [&](const BandChoice& c) { return std::abs(c.capacity_C_m2 - b.capacity_C_m2) < 1e-6; });
    if (choice != run.analysis.bands.end() && choice->best >= 0)
      AddChoiceJson(*choice, s.search, &band);
    j["bands"].push_back(band);
  }
  return j.dump(2) + "\n";
}

}  // namespace

OptimizationReport Report(const OptimizationRun& run, const std::string& summary_md) {
  OptimizationReport report;
  report.summary_md = summary_md;
  report.hypervolume_mAh_cm2 = run.search.hypervolume / kMah;
  report.front_size = static_cast<int>(run.analysis.rows.size());
  report.evaluations = run.search.evaluations;
  report.seconds = run.search.total_seconds;
  for (const auto& p : Picks(run.analysis)) {
    if (p.name == "knee") {
      report.knee = FormatDesign(p.row->entry.design);
    } else {
      report.bands.push_back(
          {p.name, FormatDesign(p.row->entry.design), p.row->at_objective.utilization});
    }
  }
  return report;
}

OptimizationOutputs RenderOptimization(const OptimizationRun& run, const Scenario& s) {
  const FrontAnalysis& a = run.analysis;
  const int columns = s.design_space.max_layers;
  OptimizationOutputs out;
  out.summary_md =
      "# edopt optimize: " + s.name + "\n\n" +
      RecommendationsMd(a, s.objective_c_rate, s.search, ActiveLabel(s.cell.materials)) + "\n" +
      ObjectiveLine(s) + SearchMd(run) + LayerCountsMd(a, s.search.objective) +
      ConstraintsAndReferencesMd(a, s.design_space, ActiveLabel(s.cell.materials));
  const auto [recipes_txt, recipes_csv] = RecipesTxtAndCsv(a, s);
  out.files = {{"pareto.csv", FrontCsv({a.rows}, columns)},
               {"fronts_by_layer_count.csv", FrontCsv(a.rows_by_layer_count, columns)},
               {"recipes.txt", recipes_txt},
               {"recipes.csv", recipes_csv},
               {"references.csv", ReferencesCsv(a)},
               {"summary.md", out.summary_md},
               {"run.json", RunJson(run, s)}};
  return out;
}

}  // namespace edopt
