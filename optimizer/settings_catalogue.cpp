#include "optimizer/settings_catalogue.h"

#include <sstream>

#include "models/errors.h"

namespace edopt {

namespace {

using D = DesignSpace;
using S = SearchOptions;

std::vector<Parameter<D>> MakeDesignSpace() {
  std::vector<Parameter<D>> k;
  k.push_back(IntegerParameter<D>(
      "design_space.min_layers", "fewest layers searched",
      [](D& d) -> int& { return d.min_layers; }, 1, kMaxLayers));
  k.push_back(IntegerParameter<D>(
      "design_space.max_layers", "most layers searched", [](D& d) -> int& { return d.max_layers; },
      1, kMaxLayers));
  k.push_back(NumberParameter<D>(
      "design_space.min_active_weight_fraction", "",
      "per-layer active (NG) weight fraction, lower bound",
      [](D& d) -> double& { return d.min_active_weight_fraction; }, Open01()));
  k.push_back(NumberParameter<D>(
      "design_space.max_active_weight_fraction", "",
      "per-layer active (NG) weight fraction, upper bound",
      [](D& d) -> double& { return d.max_active_weight_fraction; }, Open01()));
  k.push_back(NumberParameter<D>(
      "design_space.carbon_weight_fraction", "",
      "carbon additive of every layer searched, by weight of the layer (the SE is the rest)",
      [](D& d) -> double& { return d.carbon_weight_fraction; }, {0.0, 1.0, false, true}));
  k.push_back(NumberParameter<D>(
      "design_space.min_layer_thickness_um", "um", "per-layer thickness, lower bound",
      [](D& d) -> double& { return d.min_layer_thickness_m; }, Positive(), 1e-6));
  k.push_back(NumberParameter<D>(
      "design_space.min_layer_particle_multiple", "",
      "no layer thinner than this many diameters of the largest particle (D90 of the active "
      "powder, D50 of the SE): raises min_layer_thickness_um; 0 = off",
      [](D& d) -> double& { return d.min_layer_particle_multiple; }, {0.0, 20.0, false, false}));
  k.push_back(NumberParameter<D>(
      "design_space.max_layer_thickness_um", "um", "per-layer thickness, upper bound",
      [](D& d) -> double& { return d.max_layer_thickness_m; }, Positive(), 1e-6));
  k.push_back(NumberParameter<D>(
      "design_space.min_total_thickness_um", "um", "electrode thickness, lower bound",
      [](D& d) -> double& { return d.min_total_thickness_m; }, NonNegative(), 1e-6));
  k.push_back(NumberParameter<D>(
      "design_space.max_total_thickness_um", "um", "electrode thickness, upper bound",
      [](D& d) -> double& { return d.max_total_thickness_m; }, Positive(), 1e-6));
  k.push_back(NumberParameter<D>(
      "design_space.active_weight_fraction_step", "", "grid of NG fractions, 0 = continuous",
      [](D& d) -> double& { return d.active_weight_fraction_step; }, Between(0, 0.5)));
  k.push_back(NumberParameter<D>(
      "design_space.thickness_step_um", "um", "grid of thicknesses, 0 = continuous",
      [](D& d) -> double& { return d.thickness_step_m; }, NonNegative(), 1e-6));
  k.push_back(BooleanParameter<D>("design_space.monotone_gradient",
                                  "NG fraction non-decreasing from separator to collector",
                                  [](D& d) -> bool& { return d.monotone_gradient; }));
  k.push_back(NumberParameter<D>(
      "design_space.min_mean_active_weight_fraction", "",
      "energy density held: NG mass fraction of the whole electrode, lower bound",
      [](D& d) -> double& { return d.min_mean_active_weight_fraction; }, Between(0, 0.99)));
  return k;
}

std::vector<Parameter<S>> MakeSearch() {
  std::vector<Parameter<S>> k;
  k.push_back(TextParameter<S>(
      "search.objective",
      "second objective beside areal capacity: utilization or "
      "delivered_capacity",
      ValueKind::kChoice, [](const S& s) { return std::string(ToString(s.objective)); },
      [](S& s, const std::string& raw) { s.objective = ObjectiveFromString(Trim(raw)); }));
  k.back().choices = {"utilization", "delivered_capacity"};
  k.push_back(IntegerParameter<S>(
      "search.evaluations", "model evaluations, all layer counts together",
      [](S& s) -> int& { return s.evaluations; }, 1, 100000000));
  k.push_back(IntegerParameter<S>(
      "search.population", "NSGA-II population per layer count",
      [](S& s) -> int& { return s.population; }, 8, 100000));
  k.push_back(TextParameter<S>(
      "search.seed", "random seed (integer >= 0)", ValueKind::kText,
      [](const S& s) { return std::to_string(s.seed); },
      [](S& s, const std::string& raw) { s.seed = ParseSeedText(raw); }));
  k.push_back(IntegerParameter<S>(
      "search.threads", "worker threads, 0 = all cores", [](S& s) -> int& { return s.threads; }, 0,
      kMaxThreads));
  k.push_back(IntegerParameter<S>(
      "search.refinement_points", "epsilon-constraint refinements per layer count",
      [](S& s) -> int& { return s.refinement_points; }, 0, 1000));
  k.push_back(IntegerParameter<S>(
      "search.refinement_evaluations", "COBYLA evaluations per refinement",
      [](S& s) -> int& { return s.refinement_evaluations; }, 0, 100000));
  k.push_back(IntegerParameter<S>(
      "search.gap_fill_evaluations",
      "evaluations per layer count spent filling the widest gaps of the front",
      [](S& s) -> int& { return s.gap_fill_evaluations; }, 0, 1000000));
  k.push_back(IntegerParameter<S>(
      "search.final_gap_fill_evaluations",
      "evaluations filling the front's gaps again after the polish, shared among the layer "
      "counts by their part of the front; 0 = search.evaluations / 5, -1 = none",
      [](S& s) -> int& { return s.final_gap_fill_evaluations; }, -1, 1000000));
  k.push_back(IntegerParameter<S>(
      "search.band_polish_starts", "local searches per capacity band (0 = no band polish)",
      [](S& s) -> int& { return s.band_polish_starts; }, 0, 100));
  k.push_back(IntegerParameter<S>(
      "search.band_polish_evaluations",
      "new model evaluations per capacity band for its polish, 0 = a quarter of search.evaluations",
      [](S& s) -> int& { return s.band_polish_evaluations; }, 0, 1000000));
  k.push_back(IntegerParameter<S>(
      "search.band_polish_reserve",
      "evaluations shared by the bands the first polish round left uncertified, 0 = "
      "search.evaluations",
      [](S& s) -> int& { return s.band_polish_reserve; }, 0, 10000000));
  k.push_back(IntegerParameter<S>(
      "search.layer_ladder_evaluations",
      "per band and layer count 1..max_layers+1: evaluations of its best design's climb; 0 = "
      "search.evaluations / 15, -1 = none",
      [](S& s) -> int& { return s.layer_ladder_evaluations; }, -1, 1000000));
  k.push_back(IntegerParameter<S>(
      "search.front_polish_evaluations",
      "per capacity level between and beyond the bands: evaluations of its climb; 0 = "
      "search.evaluations / 24, -1 = none",
      [](S& s) -> int& { return s.front_polish_evaluations; }, -1, 1000000));
  k.push_back(NumberParameter<S>(
      "search.front_polish_step_mAh_cm2", "mAh/cm2", "spacing of those capacity levels",
      [](S& s) -> double& { return s.front_polish_step_C_m2; }, Positive(), 3.6e4));
  k.push_back(NumberParameter<S>(
      "search.tie_tolerance_points", "points",
      "a design with fewer layers is recommended when the optimum gains at most this",
      [](S& s) -> double& { return s.tie_tolerance_points; }, Between(0, 100)));
  k.push_back(NumberParameter<S>(
      "search.tie_probability", "",
      "... or, with a posterior, beats it with a probability below this",
      [](S& s) -> double& { return s.tie_probability; }, Between(0, 1)));
  k.push_back(NumberListParameter<S>(
      "search.capacity_bands_mAh_cm2", "mAh/cm2",
      "capacities at which summary.md reports the best design",
      [](S& s) -> std::vector<double>& { return s.capacity_bands_C_m2; }, Positive(), 3.6e4));
  return k;
}

}  // namespace

const std::vector<Parameter<DesignSpace>>& DesignSpaceCatalogue() {
  static const std::vector<Parameter<DesignSpace>> catalogue = MakeDesignSpace();
  return catalogue;
}

const std::vector<Parameter<SearchOptions>>& SearchCatalogue() {
  static const std::vector<Parameter<SearchOptions>> catalogue = MakeSearch();
  return catalogue;
}

// The settings' Validate()s live beside the ranges they check (one catalogue; and so
// design_space does not include this file's header, which includes it).
namespace {

[[noreturn]] void Infeasible(const std::string& what) {
  throw ConfigError("infeasible design space: " + what);
}

std::string Um(double m) {
  std::ostringstream os;
  os << m * 1e6;
  return os.str();
}

}  // namespace

void DesignSpace::Validate() const {
  CheckRanges(DesignSpaceCatalogue(), *this, "design space");
  if (min_layers < 1)
    Infeasible("design_space.min_layers = " + std::to_string(min_layers) + " must be >= 1");
  if (max_layers < min_layers) {
    Infeasible("design_space.max_layers = " + std::to_string(max_layers) +
               " is below design_space.min_layers = " + std::to_string(min_layers));
  }
  if (!(min_active_weight_fraction > 0 && max_active_weight_fraction < 1 &&
        min_active_weight_fraction <= max_active_weight_fraction)) {
    std::ostringstream os;
    os << "design_space.min_active_weight_fraction = " << min_active_weight_fraction
       << " and design_space.max_active_weight_fraction = " << max_active_weight_fraction
       << " must satisfy 0 < min <= max < 1";
    Infeasible(os.str());
  }
  if (!(carbon_weight_fraction >= 0 && max_active_weight_fraction + carbon_weight_fraction < 1)) {
    std::ostringstream os;
    os << "design_space.carbon_weight_fraction = " << carbon_weight_fraction
       << " with design_space.max_active_weight_fraction = " << max_active_weight_fraction
       << " leaves no solid electrolyte; expected carbon >= 0 and max + carbon < 1";
    Infeasible(os.str());
  }
  if (!(min_layer_thickness_m > 0 && min_layer_thickness_m <= max_layer_thickness_m)) {
    Infeasible("design_space.min_layer_thickness_um = " + Um(min_layer_thickness_m) +
               " and design_space.max_layer_thickness_um = " + Um(max_layer_thickness_m) +
               " must satisfy 0 < min <= max");
  }
  if (!(min_total_thickness_m <= max_total_thickness_m)) {
    Infeasible("design_space.min_total_thickness_um = " + Um(min_total_thickness_m) +
               " exceeds design_space.max_total_thickness_um = " + Um(max_total_thickness_m));
  }
  if (min_layers * min_layer_thickness_m > max_total_thickness_m * (1 + 1e-12)) {
    Infeasible("design_space.min_layers x design_space.min_layer_thickness_um = " +
               Um(min_layers * min_layer_thickness_m) +
               " um exceeds design_space.max_total_thickness_um = " + Um(max_total_thickness_m));
  }
  if (max_layers * max_layer_thickness_m < min_total_thickness_m * (1 - 1e-12)) {
    Infeasible("design_space.max_layers x design_space.max_layer_thickness_um = " +
               Um(max_layers * max_layer_thickness_m) +
               " um is below design_space.min_total_thickness_um = " + Um(min_total_thickness_m));
  }
  if (min_mean_active_weight_fraction > max_active_weight_fraction) {
    std::ostringstream os;
    os << "design_space.min_mean_active_weight_fraction = " << min_mean_active_weight_fraction
       << " exceeds design_space.max_active_weight_fraction = " << max_active_weight_fraction;
    Infeasible(os.str());
  }
  if (active_weight_fraction_step < 0 || thickness_step_m < 0) {
    Infeasible(
        "design_space.active_weight_fraction_step and design_space.thickness_step_um must be >= 0");
  }
}

void SearchOptions::Validate() const { CheckRanges(SearchCatalogue(), *this, "search options"); }

}  // namespace edopt
