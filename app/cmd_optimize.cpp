// edopt optimize: Pareto fronts of areal capacity versus utilization at the objective rate.
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <iostream>
#include <sstream>

#include "app/cli.h"
#include "app/data_files.h"
#include "edopt_version.h"
#include "models/errors.h"
#include "models/recipe.h"
#include "models/units.h"
#include "optimizer/search.h"

namespace po = boost::program_options;

namespace edopt {

namespace {

constexpr double kMah = kC_m2_per_mAh_cm2;

struct Row {
  ArchiveEntry entry;
  Evaluation at_objective;
  double utilization_0p1C = 0.0;
};

std::string CsvHeader(int max_layers) {
  std::string h = "design,layer_count,provenance";
  for (int k = 1; k <= max_layers; ++k) h += ",ng_weight_fraction_" + std::to_string(k);
  for (int k = 1; k <= max_layers; ++k) h += ",thickness_um_" + std::to_string(k);
  return h +
         ",thickness_um,mean_ng_weight_fraction,theoretical_capacity_mAh_cm2,volumetric_capacity_"
         "mAh_cm3,"
         "utilization,delivered_capacity_mAh_cm2,utilization_0p1C\n";
}

std::string CsvRow(const Row& r, const Scenario& s, int max_layers) {
  const auto sum = SummarizeDesign(s.cell.materials, s.cell.packing, r.entry.design);
  std::ostringstream os;
  os << CsvQuote(FormatDesign(r.entry.design)) << ',' << r.entry.layer_count << ','
     << r.entry.provenance;
  for (int k = 0; k < max_layers; ++k) {
    os << ',';
    if (k < r.entry.layer_count) os << FormatG(r.entry.design.layers[k].ng_weight_fraction, 6);
  }
  for (int k = 0; k < max_layers; ++k) {
    os << ',';
    if (k < r.entry.layer_count) os << FormatG(r.entry.design.layers[k].thickness_m * 1e6, 6);
  }
  os << ',' << FormatG(sum.thickness_m * 1e6, 6) << ',' << FormatG(sum.mean_ng_weight_fraction, 6)
     << ',' << FormatG(r.at_objective.theoretical_capacity_C_m2 / kMah, 8) << ','
     << FormatG(sum.volumetric_capacity_C_m3 / 3.6e6, 6) << ','
     << FormatG(r.at_objective.utilization, 8) << ','
     << FormatG(r.at_objective.delivered_capacity_C_m2 / kMah, 8) << ','
     << FormatG(r.utilization_0p1C, 8) << '\n';
  return os.str();
}

std::vector<ArchiveEntry> Entries(const std::vector<Row>& rows) {
  std::vector<ArchiveEntry> e;
  for (const auto& r : rows) e.push_back(r.entry);
  return e;
}

size_t Knee(const std::vector<Row>& rows) { return KneeIndex(Entries(rows)); }

const Row* AtCapacity(const std::vector<Row>& rows, double c) {
  const int i = IndexAtCapacity(Entries(rows), c);
  return i < 0 ? nullptr : &rows[static_cast<size_t>(i)];
}

}  // namespace

OptimizationReport Optimize(Scenario s, const std::string& out_dir, bool bar) {
  const CellModel model(s.cell);
  s.search.seed_designs = s.reference_designs;
  for (const auto& d : s.reference_designs) {
    s.search.focus_capacities_C_m2.push_back(
        SummarizeDesign(s.cell.materials, s.cell.packing, d).theoretical_capacity_C_m2);
  }
  const auto result =
      RunSearch(model, s.design_space, s.search, s.objective_c_rate, [&](const SearchProgress& p) {
        if (!bar) return;
        const int width = 30, filled = p.budget > 0 ? width * p.evaluations / p.budget : width;
        std::fprintf(stderr, "\r%d layer(s) %-10s [%-*s] %d/%d   ", p.layer_count, p.phase, width,
                     std::string(filled, '#').c_str(), p.evaluations, p.budget);
      });
  if (bar) std::fprintf(stderr, "\n");

  // Evaluate the fronts at 0.1C too (parallel, by index).
  const Evaluator at_tenth(model, 0.1, s.search.threads);
  const Evaluator at_objective(model, s.objective_c_rate, s.search.threads);
  auto rows_of = [&](const std::vector<ArchiveEntry>& front) {
    std::vector<Design> designs;
    for (const auto& e : front) designs.push_back(e.design);
    const auto slow = at_tenth.EvaluateBatch(designs);
    const auto fast = at_objective.EvaluateBatch(designs);
    std::vector<Row> rows;
    for (size_t i = 0; i < front.size(); ++i)
      rows.push_back({front[i], fast[i], slow[i].utilization});
    return rows;
  };
  const auto rows = rows_of(result.front);
  std::string pareto = CsvHeader(s.design_space.max_layers), by_count = pareto;
  for (const auto& r : rows) pareto += CsvRow(r, s, s.design_space.max_layers);
  std::vector<std::vector<Row>> count_rows;
  for (const auto& f : result.fronts_by_layer_count) {
    count_rows.push_back(rows_of(f));
    for (const auto& r : count_rows.back()) by_count += CsvRow(r, s, s.design_space.max_layers);
  }

  // summary.md
  std::ostringstream md, recipes;
  char line[512];
  md << "# edopt optimize: " << s.name << "\n\n";
  std::snprintf(
      line, sizeof line,
      "Objective: theoretical areal capacity vs %s at %.3gC, %d-%d layers, NG fraction %.2f-%.2f "
      "per layer, "
      "layer %.0f-%.0f um, total %.0f-%.0f um, mean NG fraction >= %.2f%s.\n\n",
      ToString(s.search.objective), s.objective_c_rate, s.design_space.min_layers,
      s.design_space.max_layers, s.design_space.min_ng_weight_fraction,
      s.design_space.max_ng_weight_fraction, s.design_space.min_layer_thickness_m * 1e6,
      s.design_space.max_layer_thickness_m * 1e6, s.design_space.min_total_thickness_m * 1e6,
      s.design_space.max_total_thickness_m * 1e6, s.design_space.min_mean_ng_weight_fraction,
      s.design_space.monotone_gradient ? ", monotone gradient" : "");
  md << line;
  std::snprintf(
      line, sizeof line,
      "Hypervolume %.6g (mAh/cm2 x score, reference 0,0); %d model evaluations (%d candidates); "
      "%.2f s total, %.2f s in the model (%.1f%% optimizer overhead).\n\n",
      result.hypervolume / kMah, result.evaluations, result.candidates, result.total_seconds,
      result.model_seconds,
      100.0 * (1.0 - result.model_seconds / std::max(1e-12, result.total_seconds)));
  md << line;
  md << "## Pareto front\n\n| design | layers | thickness um | mean NG | capacity mAh/cm2 | "
        "mAh/cm3 | utilization | 0.1C utilization |\n|---|---|---|---|---|---|---|---|\n";
  for (const auto& r : rows) {
    const auto sum = SummarizeDesign(s.cell.materials, s.cell.packing, r.entry.design);
    std::snprintf(line, sizeof line, "| %s | %d | %.0f | %.3f | %.3f | %.0f | %.3f | %.3f |\n",
                  FormatDesign(r.entry.design).c_str(), r.entry.layer_count, sum.thickness_m * 1e6,
                  sum.mean_ng_weight_fraction, r.entry.capacity / kMah,
                  sum.volumetric_capacity_C_m3 / 3.6e6, r.at_objective.utilization,
                  r.utilization_0p1C);
    md << line;
  }
  std::vector<const Row*> picks;
  std::vector<std::string> pick_names;
  if (!rows.empty()) {
    const Row& knee = rows[Knee(rows)];
    md << "\n## Knee\n\n"
       << FormatDesign(knee.entry.design) << ": " << FormatG(knee.entry.capacity / kMah, 4)
       << " mAh/cm2 at utilization " << FormatG(knee.at_objective.utilization, 4) << "\n";
    picks.push_back(&knee);
    pick_names.push_back("knee");
  }
  md << "\n## Best design per capacity band, and the gain over the best uniform electrode\n\n"
        "| capacity >= mAh/cm2 | design | capacity | utilization | best uniform (1 layer) | its "
        "utilization | gain, points |\n|---|---|---|---|---|---|---|\n";
  const std::vector<Row>* uniform =
      s.design_space.min_layers == 1 && !count_rows.empty() ? &count_rows[0] : nullptr;
  for (double band : s.search.capacity_bands_C_m2) {
    const Row* best = AtCapacity(rows, band);
    if (best == nullptr) {
      std::snprintf(line, sizeof line, "| %.3g | none on the front | | | | | |\n", band / kMah);
      md << line;
      continue;
    }
    picks.push_back(best);
    pick_names.push_back("capacity>=" + FormatG(band / kMah, 4));
    const Row* u = uniform ? AtCapacity(*uniform, best->entry.capacity) : nullptr;
    std::snprintf(
        line, sizeof line, "| %.3g | %s | %.3f | %.3f | %s | %s | %s |\n", band / kMah,
        FormatDesign(best->entry.design).c_str(), best->entry.capacity / kMah,
        best->at_objective.utilization, u ? FormatDesign(u->entry.design).c_str() : "none",
        u ? FormatG(u->at_objective.utilization, 3).c_str() : "",
        u ? FormatG(100 * (best->at_objective.utilization - u->at_objective.utilization), 3).c_str()
          : "");
    md << line;
  }
  // Binding constraints.
  int mean_binds = 0, thick_binds = 0;
  for (const auto& r : rows) {
    const auto sum = SummarizeDesign(s.cell.materials, s.cell.packing, r.entry.design);
    mean_binds += sum.mean_ng_weight_fraction < s.design_space.min_mean_ng_weight_fraction + 0.01;
    thick_binds += sum.thickness_m > s.design_space.max_total_thickness_m - 2e-6;
  }
  md << "\n## Constraints\n\nThe energy-density constraint (mean NG fraction >= "
     << FormatG(s.design_space.min_mean_ng_weight_fraction, 3) << ") binds (within 0.01) for "
     << mean_binds << " of " << rows.size()
     << " front designs; the total-thickness bound binds for " << thick_binds << ".\n";
  md << "\n## Reference designs\n\n| design | capacity mAh/cm2 | utilization | weakly dominated by "
        "|\n|---|---|---|---|\n";
  std::string references =
      "design,layer_count,theoretical_capacity_mAh_cm2,utilization,utilization_0p1C,"
      "weakly_dominated_by,by_capacity_mAh_cm2,by_utilization,gain_points\n";
  {
    const auto refs = at_objective.EvaluateBatch(s.reference_designs);
    const auto refs_slow = at_tenth.EvaluateBatch(s.reference_designs);
    for (size_t i = 0; i < refs.size(); ++i) {
      const Row* by = AtCapacity(rows, refs[i].theoretical_capacity_C_m2);
      // Weak dominance up to round-off (the same electrode may sit on the front itself).
      const bool dominated = by && by->at_objective.utilization >= refs[i].utilization - 1e-9;
      // Gains below round-off are the same electrode on the front: report 0.
      double gain = dominated ? 100 * (by->at_objective.utilization - refs[i].utilization) : 0;
      if (std::abs(gain) < 1e-6) gain = 0;
      std::snprintf(
          line, sizeof line, "| %s | %.3f | %.3f | %s |\n",
          FormatDesign(s.reference_designs[i]).c_str(), refs[i].theoretical_capacity_C_m2 / kMah,
          refs[i].utilization,
          dominated
              ? (FormatDesign(by->entry.design) + " (+" + FormatG(gain, 3) + " points)").c_str()
              : "no");
      md << line;
      references += CsvQuote(FormatDesign(s.reference_designs[i])) + ',' +
                    std::to_string(s.reference_designs[i].layers.size()) + ',' +
                    FormatG(refs[i].theoretical_capacity_C_m2 / kMah, 8) + ',' +
                    FormatG(refs[i].utilization, 8) + ',' + FormatG(refs_slow[i].utilization, 8) +
                    ',' + (dominated ? CsvQuote(FormatDesign(by->entry.design)) : "") + ',' +
                    (dominated ? FormatG(by->entry.capacity / kMah, 8) : "") + ',' +
                    (dominated ? FormatG(by->at_objective.utilization, 8) : "") + ',' +
                    (dominated ? FormatG(gain, 6) : "") + '\n';
    }
  }
  std::string recipes_csv =
      "pick,design,deposition_order,ng_weight_fraction,thickness_um,composite_mg_cm2,"
      "composite_mg_per_pellet,ng_mg_per_pellet,lps_mg_per_pellet,capacity_mAh_cm2\n";
  for (size_t p = 0; p < picks.size(); ++p) {
    const Row* r = picks[p];
    const Recipe recipe =
        MakeRecipe(s.cell.materials, s.cell.packing, r->entry.design, s.pellet_area_m2, 500e-6);
    recipes << FormatRecipe(recipe, r->entry.design) << "\n";
    const std::string& pick = pick_names[p];
    for (const auto& l : recipe.layers) {
      recipes_csv += pick + ',' + CsvQuote(FormatDesign(r->entry.design)) + ',' +
                     std::to_string(l.deposition_order) + ',' + FormatG(l.ng_weight_fraction, 6) +
                     ',' + FormatG(l.thickness_m * 1e6, 6) + ',' +
                     FormatG(l.composite_mass_kg_m2 * 1e2, 6) + ',' +
                     FormatG(l.composite_mass_per_pellet_kg * 1e6, 6) + ',' +
                     FormatG(l.ng_mass_per_pellet_kg * 1e6, 6) + ',' +
                     FormatG(l.se_mass_per_pellet_kg * 1e6, 6) + ',' +
                     FormatG(l.theoretical_capacity_C_m2 / kMah, 6) + '\n';
    }
  }
  md << "\nRecipes for the knee and band designs: recipes.txt and recipes.csv; reference designs: "
        "references.csv.\n";

  std::ostringstream json;
  const std::string ini = ScenarioToIni(s);
  json << "{\"edopt_version\": \"" << EDOPT_VERSION << "\", \"scenario\": \""
       << JsonEscape(s.source) << "\", \"scenario_digest\": \"" << std::hex
       << std::hash<std::string>{}(ini.substr(ini.find('\n'))) << std::dec
       << "\", \"seed\": " << s.search.seed << ", \"threads\": " << s.search.threads
       << ", \"objective_c_rate\": " << s.objective_c_rate << ", \"objective\": \""
       << ToString(s.search.objective) << "\", \"evaluations_budget\": " << s.search.evaluations
       << ", \"population\": " << s.search.population
       << ", \"max_layers\": " << s.design_space.max_layers
       << ", \"refinement_points\": " << s.search.refinement_points
       << ", \"refinement_evaluations_budget\": " << s.search.refinement_evaluations
       << ", \"model_evaluations\": " << result.evaluations
       << ", \"refinement_model_evaluations\": " << result.refinement_evaluations
       << ", \"refinement_improvements\": " << result.refinement_improvements
       << ", \"gap_fill_model_evaluations\": " << result.gap_fill_evaluations
       << ", \"candidates\": " << result.candidates << ", \"front_size\": " << rows.size()
       << ", \"hypervolume_mAh_cm2\": " << FormatG(result.hypervolume / kMah, 10)
       << ", \"total_seconds\": " << FormatG(result.total_seconds, 6)
       << ", \"model_seconds\": " << FormatG(result.model_seconds, 6) << "}\n";
  namespace fs = std::filesystem;
  WriteFileAtomically((fs::path(out_dir) / "pareto.csv").string(), pareto);
  WriteFileAtomically((fs::path(out_dir) / "fronts_by_layer_count.csv").string(), by_count);
  WriteFileAtomically((fs::path(out_dir) / "recipes.txt").string(), recipes.str());
  WriteFileAtomically((fs::path(out_dir) / "recipes.csv").string(), recipes_csv);
  WriteFileAtomically((fs::path(out_dir) / "references.csv").string(), references);
  WriteFileAtomically((fs::path(out_dir) / "summary.md").string(), md.str());
  WriteFileAtomically((fs::path(out_dir) / "run.json").string(), json.str());
  OptimizationReport report;
  report.summary_md = md.str();
  report.hypervolume_mAh_cm2 = result.hypervolume / kMah;
  report.front_size = static_cast<int>(rows.size());
  report.evaluations = result.evaluations;
  report.seconds = result.total_seconds;
  for (size_t p = 0; p < picks.size(); ++p) {
    if (pick_names[p] == "knee") {
      report.knee = FormatDesign(picks[p]->entry.design);
    } else {
      report.bands.push_back({pick_names[p], FormatDesign(picks[p]->entry.design),
                              picks[p]->at_objective.utilization});
    }
  }
  return report;
}

int RunOptimize(const std::vector<std::string>& args) {
  CommonOptions common;
  SearchFlags flags;
  double rate = 0.0;
  std::string seed_text, out_dir = "results/optimize";
  bool quiet = false;
  po::options_description description(
      "edopt optimize [--max-layers N] [--rate R] [--evaluations N] [--threads T] [--seed S] "
      "[--out DIR]\n"
      "Pareto front of theoretical areal capacity versus utilization at the objective C-rate over "
      "layer\n"
      "count, per-layer NG:LPS ratio and thickness (NSGA-II per layer count, parallel "
      "evaluation).\n"
      "Writes DIR/pareto.csv, fronts_by_layer_count.csv, recipes.txt, recipes.csv, "
      "references.csv,\n"
      "summary.md, run.json");
  AddCommonOptions(&description, &common);
  AddSearchFlags(&description, &flags, "search budget (default search.evaluations)");
  description.add_options()("rate", po::value(&rate)->value_name("R"),
                            "objective C-rate (default test.objective_c_rate)")(
      "seed", po::value(&seed_text)->value_name("S"), "random seed (default search.seed)")(
      "out", po::value(&out_dir)->value_name("DIR"), "output folder (default results/optimize)")(
      "quiet", po::bool_switch(&quiet), "no progress bar");
  po::variables_map vm;
  if (!ParseCommand(args, description, nullptr, &vm, common.help)) return kExitOk;
  Scenario s = LoadScenario(common);
  ApplySearchFlags(vm, flags, &s);
  if (vm.count("rate")) {
    if (!(rate > 0) || !std::isfinite(rate))
      throw ConfigError("--rate " + FormatG(rate) + " must be > 0");
    s.objective_c_rate = rate;
  }
  if (vm.count("seed")) s.search.seed = ParseSeedText(seed_text);
  s.design_space.Validate();

  const OptimizationReport report = Optimize(s, out_dir, !quiet && ::isatty(STDERR_FILENO));
  std::cout << report.summary_md;
  std::cerr
      << "wrote " << out_dir
      << "/{pareto.csv,fronts_by_layer_count.csv,recipes.txt,recipes.csv,references.csv,summary.md,"
         "run.json}\n";
  return kExitOk;
}

}  // namespace edopt
