#include "optimizer/settings_catalogue.h"

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

}  // namespace edopt
