// edopt plan: which measurement to make next. Parses options, runs the scenario's search for
// the band recommendations (optimizer/front_analysis.h), builds the menu of candidate
// measurements, calls PlanMeasurements (optimizer/planner.h) and prints the ranking.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "app/cli.h"
#include "formats/fields.h"
#include "formats/manifest.h"
#include "formats/rate_table.h"
#include "models/errors.h"
#include "models/units.h"
#include "optimizer/front_analysis.h"
#include "optimizer/planner.h"

namespace po = boost::program_options;
using Json = nlohmann::ordered_json;

namespace edopt {

namespace {

struct PlanFlags {
  std::string data_file, compositions, seed_text;  // compositions empty: from the space
  double cell_thickness_um = 63.0, rate = 0.0;
  double cost_cell = 1.0, cost_rate = 5.0, cost_replicate = 5.0;
  int batch = 3, draws = 800;
  bool json = false, quiet = false;
};

// Costs are relative: a cost below 1e-3 of another makes every ratio a typo's.
const ValueRange kCostRange{1e-3, 1e6, false, false};
// Distinct compositions of candidate cells (each costs a full preposterior pass).
constexpr size_t kMaxCompositions = 20;

void AddPlanOptions(po::options_description* d, PlanFlags* f) {
  d->add_options()("data", po::value(&f->data_file)->value_name("FILE"),
                   "the lab table the posterior came from: its cells are candidates to replicate")(
      "compositions", po::value(&f->compositions)->value_name("W1,W2"),
      "active weight fractions of candidate symmetric cells (default: six across the design "
      "space's active fractions, on its grid; 0.3,0.4,...,0.8 for the seed study)")(
      "cell-thickness-um", po::value(&f->cell_thickness_um)->value_name("L"),
      "thickness of a candidate symmetric cell's electrodes (default 63)")(
      "cost-symmetric-cell", po::value(&f->cost_cell), "cost of a symmetric cell (default 1)")(
      "cost-rate-test", po::value(&f->cost_rate), "cost of a rate test (default 5)")(
      "cost-replicate", po::value(&f->cost_replicate), "cost of a replicate (default 5)")(
      "batch", po::value(&f->batch), "measurements to choose together, greedily (default 3)")(
      "draws", po::value(&f->draws), "posterior draws used (default 800)")(
      "rate", po::value(&f->rate)->value_name("R"),
      "objective C-rate (default test.objective_c_rate)")(
      "seed", po::value(&f->seed_text)->value_name("S"), "random seed (default search.seed)")(
      "quiet", po::bool_switch(&f->quiet), "no progress bar")("json", po::bool_switch(&f->json),
                                                              "print one JSON object");
}

std::vector<BandDecision> Decisions(const FrontAnalysis& a) {
  std::vector<BandDecision> out;
  for (const auto& c : a.bands) {
    if (c.best < 0) continue;
    BandDecision d;
    d.band = "capacity>=" + FormatG(c.capacity_C_m2 / kC_m2_per_mAh_cm2, 4);
    d.pick = c.pick.entry.design;
    if (c.uniform >= 0 && !a.rows_by_layer_count.empty()) {
      d.uniform = a.rows_by_layer_count[0][static_cast<size_t>(c.uniform)].entry.design;
      d.has_uniform = true;
    }
    out.push_back(d);
  }
  return out;
}

// The compositions of candidate cells, checked against the scenario before any work: strictly
// between 0 and 1 (a cell needs both phases; the design space's bounds are so too), inside the
// design space's active fractions (the cells inform the law where the designs live), each once, at
// most kMaxCompositions.
std::vector<double> Compositions(const PlanFlags& f, const Scenario& s) {
  const ValueRange open{0.0, 1.0, true, true};
  const double lo = s.design_space.min_active_weight_fraction;
  const double hi = s.design_space.max_active_weight_fraction;
  std::vector<double> given;
  if (f.compositions.empty()) {  // six across the space, on its grid
    const double step = s.design_space.active_weight_fraction_step;
    for (int k = 0; k < 6; ++k) {
      double w = lo + (hi - lo) * k / 5.0;
      if (step > 0) w = DecimalFraction(lo + step * std::round((w - lo) / step));
      given.push_back(DecimalFraction(std::clamp(w, lo, hi)));
    }
  } else {
    given = ParsePositiveList(f.compositions, "--compositions", open);
  }
  std::vector<double> out;
  for (double w : given) {
    if (w < lo - 1e-9 || w > hi + 1e-9) {
      throw ConfigError("--compositions " + FormatG(w) + " is outside the design space (" +
                        "design_space.min_active_weight_fraction = " + FormatG(lo) +
                        ", design_space.max_active_weight_fraction = " + FormatG(hi) + ")");
    }
    if (std::find(out.begin(), out.end(), w) == out.end()) out.push_back(w);
  }
  if (out.size() > kMaxCompositions) {
    throw ConfigError("--compositions: " + std::to_string(out.size()) +
                      " distinct compositions; expected at most " +
                      std::to_string(kMaxCompositions));
  }
  return out;
}

std::vector<CandidateMeasurement> Menu(const PlanFlags& f, const Scenario& s,
                                       const std::vector<double>& compositions,
                                       const std::vector<BandDecision>& decisions,
                                       const LabTable* table) {
  std::vector<CandidateMeasurement> menu;
  // Cells hold the carbon of the design space's layers, as the designs they inform.
  const double carbon = s.design_space.carbon_weight_fraction;
  // Where the posterior samples how the threshold moves with the size ratio, cells pressed with
  // a finer and a coarser SE (a third and three times the scenario's D50) pin it (issue 35).
  std::vector<double> se_radii = {0.0};  // 0 = the scenario's powder
  const double radius = s.cell.materials.se_particle_radius_m;
  if (radius > 0 && std::find(s.posterior.keys.begin(), s.posterior.keys.end(),
                              "transport.percolation_size_exponent") != s.posterior.keys.end()) {
    se_radii.push_back(radius / 3.0);
    se_radii.push_back(radius * 3.0);
  }
  for (double se_radius : se_radii) {
    for (double w : compositions) {
      CandidateMeasurement m;
      m.kind = MeasurementKind::kSymmetricCell;
      m.cell.design.layers.push_back({w, f.cell_thickness_um * 1e-6, carbon});
      m.cell.area_m2 = s.pellet_area_m2;
      m.cell.se_particle_radius_m = se_radius;
      m.cost = f.cost_cell;
      menu.push_back(m);
    }
  }
  auto rate_test = [&](const Design& design) {
    for (const auto& m : menu) {
      if (!m.is_cell && m.rate_test.design == design) return;  // a rival shared by two bands
    }
    CandidateMeasurement m;
    m.kind = MeasurementKind::kRateTest;
    m.is_cell = false;
    m.rate_test.design = design;
    m.rate_test.c_rate = s.objective_c_rate;
    m.cost = f.cost_rate;
    menu.push_back(m);
  };
  for (const auto& d : decisions) {
    rate_test(d.pick);
    if (d.has_uniform) rate_test(d.uniform);
  }
  if (table == nullptr) return menu;
  // One replicate per distinct cell or rate test (rows of the same design and conditions are
  // one candidate: replicating any of them is the same measurement).
  auto replicated = [&menu](auto same) {
    return std::any_of(menu.begin(), menu.end(), [&](const CandidateMeasurement& m) {
      return m.kind == MeasurementKind::kReplicate && same(m);
    });
  };
  for (const auto& c : table->symmetric_cells) {
    if (replicated([&c](const CandidateMeasurement& m) {
          return m.is_cell && m.cell.design == c.design && m.cell.area_m2 == c.area_m2 &&
                 m.cell.temperature_K == c.temperature_K &&
                 m.cell.se_particle_radius_m == c.se_particle_radius_m;
        })) {
      continue;
    }
    CandidateMeasurement m;
    m.kind = MeasurementKind::kReplicate;
    m.cell = c;
    m.cost = f.cost_replicate;
    menu.push_back(m);
  }
  for (const auto& r : table->rate_tests) {
    if (replicated([&r](const CandidateMeasurement& m) {
          const RatePoint& o = m.rate_test;
          return !m.is_cell && o.design == r.design && o.c_rate == r.c_rate &&
                 o.temperature_K == r.temperature_K &&
                 o.resistivity_factor == r.resistivity_factor && o.r_ion_ohm == r.r_ion_ohm &&
                 o.theoretical_capacity_C_m2 == r.theoretical_capacity_C_m2;
        })) {
      continue;
    }
    CandidateMeasurement m;
    m.kind = MeasurementKind::kReplicate;
    m.is_cell = false;
    m.rate_test = r;
    m.cost = f.cost_replicate;
    menu.push_back(m);
  }
  return menu;
}

std::string What(const CandidateMeasurement& m) {
  if (m.is_cell) {
    return "symmetric cell " + FormatDesign(m.cell.design) +
           (m.cell.se_particle_radius_m > 0
                ? ", SE D50 " + FormatG(m.cell.se_particle_radius_m * 2e6, 3) + " um"
                : "") +
           (m.cell.origin.empty() ? "" : " (" + m.cell.origin + ")");
  }
  return FormatDesign(m.rate_test.design) + " at " + FormatG(m.rate_test.c_rate, 3) + "C" +
         (m.rate_test.origin.empty() ? "" : " (" + m.rate_test.origin + ")");
}

std::string PlanTable(const Plan& plan, const std::vector<BandDecision>& decisions) {
  std::ostringstream os;
  char line[512];
  os << "decision: the band recommendations at the objective rate; uncertainty = sum over "
     << decisions.size() << " bands of the 95% widths of the pick's utilization and of its gain "
     << "over the uniform rival: " << FormatG(plan.width_before, 4) << " points now\n\n";
  std::snprintf(line, sizeof line, "%4s  %-15s %-62s %5s %13s %13s %8s\n", "rank", "kind", "what",
                "cost", "width after", "gain / cost", "ESS");
  os << line;
  for (size_t i = 0; i < plan.ranked.size(); ++i) {
    const auto& v = plan.ranked[i];
    std::snprintf(line, sizeof line, "%4zu  %-15s %-62s %5.3g %13.2f %13.3f %8.0f\n", i + 1,
                  ToString(v.measurement.kind), What(v.measurement).c_str(), v.measurement.cost,
                  v.width_after, v.value_per_cost, v.effective_draws);
    os << line;
  }
  os << "\nbatch of " << plan.batch.size() << " (greedy, cost " << FormatG(plan.batch_cost, 3)
     << "):";
  for (size_t k = 0; k < plan.batch.size(); ++k) {
    os << (k ? "; " : " ") << What(plan.ranked[static_cast<size_t>(plan.batch[k])].measurement)
       << " -> " << FormatG(plan.batch_width_after[k], 4) << " points";
  }
  os << "\nper band now:";
  for (size_t d = 0; d < decisions.size(); ++d) {
    os << (d ? ", " : " ") << decisions[d].band << " " << FormatG(plan.band_width_before[d], 3);
  }
  os << "\n" << plan.summary.BriefReport() << "\n";
  return os.str();
}

Json CandidateJson(const CandidateValue& v, const std::vector<BandDecision>& decisions) {
  Json j;
  const auto& m = v.measurement;
  j["kind"] = ToString(m.kind);
  if (m.is_cell) {
    j["active_weight_fraction"] = m.cell.design.layers[0].active_weight_fraction;
    j["design"] = FormatDesign(m.cell.design);
  } else {
    j["design"] = FormatDesign(m.rate_test.design);
    j["c_rate"] = m.rate_test.c_rate;
  }
  if (!(m.is_cell ? m.cell.origin : m.rate_test.origin).empty())
    j["replicates"] = m.is_cell ? m.cell.origin : m.rate_test.origin;
  j["cost"] = m.cost;
  j["width_before_points"] = JsonNumber(v.width_before, 6);
  j["width_after_points"] = JsonNumber(v.width_after, 6);
  j["reduction_per_cost"] = JsonNumber(v.value_per_cost, 6);
  j["effective_draws"] = JsonNumber(v.effective_draws, 4);
  Json bands = Json::object();
  for (size_t d = 0; d < decisions.size(); ++d)
    bands[decisions[d].band] = JsonNumber(v.band_width_after[d], 6);
  j["band_width_after_points"] = bands;
  return j;
}

std::string PlanJson(const Plan& plan, const std::vector<BandDecision>& decisions) {
  Json j;
  Json candidates = Json::array();
  for (const auto& v : plan.ranked) candidates.push_back(CandidateJson(v, decisions));
  j["candidates"] = candidates;
  Json batch = Json::array();
  for (size_t k = 0; k < plan.batch.size(); ++k) {
    Json b = CandidateJson(plan.ranked[static_cast<size_t>(plan.batch[k])], decisions);
    b["width_after_batch_points"] = JsonNumber(plan.batch_width_after[k], 6);
    batch.push_back(b);
  }
  j["batch"] = batch;
  Json bands = Json::array();
  for (size_t d = 0; d < decisions.size(); ++d) {
    bands.push_back(
        {{"band", decisions[d].band},
         {"pick", FormatDesign(decisions[d].pick)},
         {"uniform", decisions[d].has_uniform ? FormatDesign(decisions[d].uniform) : ""},
         {"width_before_points", JsonNumber(plan.band_width_before[d], 6)}});
  }
  j["bands"] = bands;
  j["summary"] = SummaryJson(plan.summary);
  return j.dump(2) + "\n";
}

}  // namespace

int RunPlan(const std::vector<std::string>& args) {
  CommonOptions common;
  SearchFlags search_flags;
  PlanFlags f;
  po::options_description description(
      "edopt plan [--data FILE] [--batch N] [--rate R] [--seed S] [--quiet] [--json]\n"
      "Which measurement to make next: ranks candidate measurements (symmetric cells of each\n"
      "composition, rate tests of the band recommendations and their uniform rivals, replicates\n"
      "of the lab table's cells) by the expected narrowing of the band decisions' 95% widths\n"
      "per unit cost (preposterior analysis over the scenario's posterior draws).");
  AddCommonOptions(&description, &common);
  AddSearchFlags(&description, &search_flags, "search budget (default search.evaluations)");
  AddPlanOptions(&description, &f);
  po::variables_map vm;
  if (!ParseCommand(args, description, nullptr, &vm, common.help)) return kExitOk;
  Scenario s = LoadScenario(common);
  ApplySearchFlags(vm, search_flags, &s);
  if (vm.count("rate")) s.objective_c_rate = CheckFlag("--rate", f.rate, kCRateRange);
  if (vm.count("seed")) s.search.seed = ParseSeedText(f.seed_text);
  if (s.posterior.empty()) {
    throw ConfigError(
        "plan: the scenario has no posterior (calibration.posterior_file); run "
        "calibrate rates --posterior first");
  }
  CheckFlag("--batch", f.batch, Between(1, 50));
  CheckFlag("--draws", f.draws, Between(20, 5000));
  CheckFlag("--cell-thickness-um", f.cell_thickness_um, Between(1, 2000));
  CheckFlag("--cost-symmetric-cell", f.cost_cell, kCostRange);
  CheckFlag("--cost-rate-test", f.cost_rate, kCostRange);
  CheckFlag("--cost-replicate", f.cost_replicate, kCostRange);
  const std::vector<double> compositions = Compositions(f, s);
  // Every input is read and checked before the search (minutes).
  std::unique_ptr<LabTable> table;
  if (!f.data_file.empty()) {
    table = std::make_unique<LabTable>(ReadLabTable(f.data_file));
    PrintWarnings(table->notes);
  }
  const bool bar = !f.quiet && ::isatty(STDERR_FILENO) != 0;
  const OptimizationRun run = RunOptimization(s.cell, s.design_space, s.search, s.objective_c_rate,
                                              s.reference_designs, [bar](const SearchProgress& p) {
                                                if (bar)
                                                  ProgressLine(p.phase, p.evaluations, p.budget);
                                              });
  if (bar) std::fprintf(stderr, "\n");
  const auto decisions = Decisions(run.analysis);
  PlanOptions options;
  options.c_rate = s.objective_c_rate;
  options.draws = f.draws;
  options.batch = f.batch;
  options.threads = s.search.threads;
  options.seed = s.search.seed;
  const Plan plan = PlanMeasurements(s.cell, s.posterior, decisions,
                                     Menu(f, s, compositions, decisions, table.get()), options);
  std::cout << (f.json ? WithManifestJson(PlanJson(plan, decisions), &s, {})
                       : PlanTable(plan, decisions));
  return kExitOk;
}

}  // namespace edopt
