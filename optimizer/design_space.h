// The space the search explores and the options of the search (docs/architecture.md).
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "models/design.h"

namespace edopt {

// Most layers a design space may have (the scenario key's range).
inline constexpr int kMaxLayers = 12;
// Most worker threads (beyond this TBB's arena is a typo, not a machine).
inline constexpr int kMaxThreads = 1024;

struct DesignSpace {
  int min_layers = 1;
  int max_layers = 4;
  double min_active_weight_fraction = 0.3;  // per layer: active material of the whole layer
  double max_active_weight_fraction = 0.8;
  // Carbon additive of every layer searched (weight, of the whole layer; the SE is the rest).
  double carbon_weight_fraction = 0.0;
  // What a lab can spread evenly: one 12 um particle of the default graphite (radius 6 um).
  double min_layer_thickness_m = 12e-6;
  // The pressability floor (docs/physics.md §3b): a layer is at least this many diameters of
  // the largest particle thick; the scenario raises min_layer_thickness_m to it.
  double min_layer_particle_multiple = 1.0;
  double max_layer_thickness_m = 150e-6;
  double min_total_thickness_m = 20e-6;
  double max_total_thickness_m = 200e-6;
  double active_weight_fraction_step = 0.05;  // 0 = continuous
  double thickness_step_m = 1e-6;             // 0 = continuous
  bool monotone_gradient = false;  // NG fraction non-decreasing from separator to collector
  // Energy density held (docs/physics.md §7): minimum active (NG or NCM) mass fraction of the
  // whole electrode.
  double min_mean_active_weight_fraction = 0.6;

  // Throws ConfigError naming the scenario keys of an infeasible space.
  void Validate() const;  // defined in settings_catalogue.cpp, beside the ranges it checks
};

// Grid values kept exact in decimal, so the same design always formats and compares the same:
// NG fractions to 1e-6, thicknesses to the nanometre.
double DecimalFraction(double w);
double WholeNanometres(double t_m);

enum class Objective { kUtilization, kDeliveredCapacity };
const char* ToString(Objective objective);
Objective ObjectiveFromString(const std::string& text);  // throws ConfigError

struct SearchOptions {
  static constexpr int kDerived = 0, kNone = -1;  // budgets: a share of `evaluations`, or off
  Objective objective = Objective::kUtilization;  // second objective beside capacity
  int evaluations = 6000;                         // model evaluations, all layer counts together
  int population = 48;                            // NSGA-II population per layer count
  std::uint64_t seed = 1;
  int threads = 0;            // 0 = all cores
  int refinement_points = 8;  // epsilon-constraint refinements per layer count
  // COBYLA evaluations per refinement; 0 by default: the band polish finds the band optima on
  // the grid for fewer evaluations, and gap filling spends the rest on the front (issue 13).
  int refinement_evaluations = 0;
  // Per layer count, after the refinement: designs midway (in the unit box) between the
  // neighbours of the widest front gaps, in batches of kGapFillBatch.
  int gap_fill_evaluations = 400;
  // After the band and front polish, gap filling once more: this many evaluations, shared
  // among the layer counts by their part of the combined front (issue 24; kDerived / kNone).
  int final_gap_fill_evaluations = kDerived;
  // Per capacity band, after the fronts: local searches on the grid at the band's capacity
  // (optimizer/band_polish.h), from this many starts (0 = no polish), with at most this many
  // new evaluations (0 = a quarter of `evaluations`, so a smaller budget is a faster run).
  int band_polish_starts = 4;
  int band_polish_evaluations = 0;
  // Evaluations shared, after the first round, by the bands still without a certificate
  // (0 = `evaluations`); what the certified bands left over is added to it.
  int band_polish_reserve = 0;
  // Per band and layer count from 1 to max_layers + 1: new evaluations of the climb that finds
  // the band's best design of that count (kDerived / kNone).
  int layer_ladder_evaluations = kDerived;
  // After the bands, one climb at every capacity level this far apart across the front (none
  // near a band), with at most front_polish_evaluations each (kDerived / kNone).
  int front_polish_evaluations = kDerived;
  double front_polish_step_C_m2 = 3.6e4;
  // The recommendation per band (optimizer/front_analysis.h): a design with fewer layers is
  // pressed instead of the optimum when the optimum gains at most tie_tolerance_points over it
  // (the model's numerical error) or, with a posterior, beats it with a probability below
  // tie_probability.
  double tie_tolerance_points = 0.3;
  double tie_probability = 0.8;
  std::vector<double> capacity_bands_C_m2 = {2 * 3.6e4, 3 * 3.6e4, 4 * 3.6e4, 5 * 3.6e4, 6 * 3.6e4};
  // Further capacity levels the refinement must visit besides the evenly spread ones and the
  // bands (e.g. the capacities of the scenario's reference designs).
  std::vector<double> focus_capacities_C_m2;
  // Known designs (e.g. the scenario's reference designs) seeded into the first population of
  // the search of their layer count: the front then weakly dominates each of them.
  std::vector<Design> seed_designs;

  // The three budgets above that default to a share of `evaluations` (kDerived) or are off
  // (kNone): final gap fill evaluations / 5, ladder rung evaluations / 15, front polish level
  // evaluations / 24 (1200, 400 and 250 at the default 6000).
  int FinalGapFillEvaluations() const { return Budget(final_gap_fill_evaluations, 5); }
  int LadderEvaluations() const { return Budget(layer_ladder_evaluations, 15); }
  int FrontPolishEvaluations() const { return Budget(front_polish_evaluations, 24); }

  void Validate() const;  // throws ConfigError; defined in settings_catalogue.cpp

 private:
  int Budget(int setting, int share) const {
    return setting == kNone ? 0 : setting == kDerived ? std::max(1, evaluations / share) : setting;
  }
};

}  // namespace edopt
