#include "app/scenario.h"

#include <algorithm>
#include <boost/program_options.hpp>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "app/data_files.h"
#include "models/errors.h"
#include "models/ocp.h"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace edopt {

std::string Trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

namespace {

std::string FormatNumber(double v) {
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%.10g", v);
  return buffer;
}

double ParseNumberText(const std::string& raw) {
  const std::string text = Trim(raw);
  if (text.empty()) throw ConfigError("empty value; expected a number");
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size()) throw ConfigError("'" + text + "' is not a number");
  if (!std::isfinite(v)) throw ConfigError("'" + text + "' is not a finite number");
  return v;
}

struct Range {
  double lo = -INFINITY, hi = INFINITY;
  bool lo_open = false, hi_open = false;
  std::string Describe() const {
    std::string s;
    if (std::isfinite(lo)) s += std::string(lo_open ? "> " : ">= ") + FormatNumber(lo);
    if (std::isfinite(hi))
      s += std::string(s.empty() ? "" : " and ") + (hi_open ? "< " : "<= ") + FormatNumber(hi);
    return s;
  }
  void Check(double v) const {
    const bool ok = (lo_open ? v > lo : v >= lo) && (hi_open ? v < hi : v <= hi);
    if (!ok) throw ConfigError(FormatNumber(v) + " is out of range; expected " + Describe());
  }
};
Range Positive() { return {0, INFINITY, true, false}; }
Range NonNegative() { return {0, INFINITY, false, false}; }
Range Open01() { return {0, 1, true, true}; }
Range Between(double lo, double hi) { return {lo, hi, false, false}; }

using Access = std::function<double&(Scenario&)>;

RawScenario ReadScenarioFileChain(const std::string& path, std::vector<std::string>* chain);

// A number stored in SI as value_in_file * scale + offset.
ScenarioKey Number(std::string name, std::string doc, Access access, Range range,
                   double scale = 1.0, double offset = 0.0) {
  ScenarioKey key;
  key.name = std::move(name);
  key.doc = doc + " (" + range.Describe() + ")";
  key.get = [access, scale, offset](const Scenario& s) {
    return FormatNumber((access(const_cast<Scenario&>(s)) - offset) / scale);
  };
  key.set = [access, range, scale, offset](Scenario& s, const std::string& text) {
    const double v = ParseNumberText(text);
    range.Check(v);
    access(s) = v * scale + offset;
  };
  return key;
}

ScenarioKey Integer(std::string name, std::string doc, std::function<int&(Scenario&)> access,
                    int lo, int hi) {
  ScenarioKey key;
  key.name = std::move(name);
  key.doc = doc + " (" + std::to_string(lo) + ".." + std::to_string(hi) + ")";
  key.get = [access](const Scenario& s) {
    return std::to_string(access(const_cast<Scenario&>(s)));
  };
  key.set = [access, lo, hi](Scenario& s, const std::string& text) {
    const double v = ParseNumberText(text);
    if (v != std::floor(v)) throw ConfigError("'" + Trim(text) + "' is not an integer");
    if (v < lo || v > hi) {
      throw ConfigError(Trim(text) + " is out of range; expected an integer in " +
                        std::to_string(lo) + ".." + std::to_string(hi));
    }
    access(s) = static_cast<int>(v);
  };
  return key;
}

ScenarioKey Boolean(std::string name, std::string doc, std::function<bool&(Scenario&)> access) {
  ScenarioKey key;
  key.name = std::move(name);
  key.doc = doc + " (true/false)";
  key.get = [access](const Scenario& s) {
    return access(const_cast<Scenario&>(s)) ? "true" : "false";
  };
  key.set = [access](Scenario& s, const std::string& raw) {
    const std::string text = Trim(raw);
    if (text == "true" || text == "1" || text == "yes") {
      access(s) = true;
    } else if (text == "false" || text == "0" || text == "no") {
      access(s) = false;
    } else {
      throw ConfigError("'" + text + "' is not a boolean; expected true or false");
    }
  };
  return key;
}

ScenarioKey NumberList(std::string name, std::string doc,
                       std::function<std::vector<double>&(Scenario&)> access, Range range,
                       double scale = 1.0) {
  ScenarioKey key;
  key.name = std::move(name);
  key.doc = doc + " (comma-separated, each " + range.Describe() + ")";
  key.get = [access, scale](const Scenario& s) {
    std::string out;
    for (double v : access(const_cast<Scenario&>(s)))
      out += (out.empty() ? "" : ",") + FormatNumber(v / scale);
    return out;
  };
  key.set = [access, range, scale](Scenario& s, const std::string& text) {
    std::vector<double> values;
    std::stringstream ss(text);
    std::string part;
    while (std::getline(ss, part, ',')) {
      const double v = ParseNumberText(part);
      range.Check(v);
      values.push_back(v * scale);
    }
    if (values.empty()) throw ConfigError("empty list; expected comma-separated numbers");
    access(s) = values;
  };
  return key;
}

std::vector<ScenarioKey> MakeKeys() {
  std::vector<ScenarioKey> k;
  // [materials]
  k.push_back(Number(
      "materials.ng_density_g_cm3", "natural graphite density, g/cm3",
      [](Scenario& s) -> double& { return s.cell.materials.ng_density_kg_m3; }, Positive(), 1e3));
  k.push_back(Number(
      "materials.se_density_g_cm3", "LPS solid electrolyte density, g/cm3",
      [](Scenario& s) -> double& { return s.cell.materials.se_density_kg_m3; }, Positive(), 1e3));
  k.push_back(Number(
      "materials.ng_specific_capacity_mAh_g", "graphite capacity, mAh/g",
      [](Scenario& s) -> double& { return s.cell.materials.ng_specific_capacity_C_kg; }, Positive(),
      3.6e3));
  k.push_back(Number(
      "materials.particle_radius_um", "NG particle radius, um",
      [](Scenario& s) -> double& { return s.cell.materials.particle_radius_m; }, Positive(), 1e-6));
  {
    ScenarioKey key;
    key.name = "materials.ocp";
    key.doc = "graphite OCP: Chen2020, Ecker2015, DualfoilMCMB or table";
    key.get = [](const Scenario& s) { return s.cell.materials.ocp_model; };
    key.set = [](Scenario& s, const std::string& raw) {
      const std::string text = Trim(raw);
      const auto& names = BuiltinOcpNames();
      if (text != "table" && std::find(names.begin(), names.end(), text) == names.end()) {
        throw ConfigError(
            "'" + text +
            "' is not an OCP curve; expected Chen2020, Ecker2015, DualfoilMCMB or table");
      }
      s.cell.materials.ocp_model = text;
    };
    k.push_back(key);
  }
  {
    ScenarioKey key;
    key.name = "materials.ocp_table_file";
    key.doc =
        "CSV of stoichiometry,voltage_V used when materials.ocp = table (relative to the scenario "
        "file)";
    key.get = [](const Scenario& s) { return s.ocp_table_file; };
    key.set = [](Scenario& s, const std::string& raw) { s.ocp_table_file = Trim(raw); };
    k.push_back(key);
  }
  // [electrode]
  k.push_back(Number("electrode.porosity",
                     "porosity of the pressed composite, used when apparent_density_g_cm3 = 0",
                     [](Scenario& s) -> double& { return s.cell.packing.porosity; },
                     {0, 1, false, true}));
  k.push_back(Number(
      "electrode.apparent_density_g_cm3",
      "apparent density from loading/thickness, g/cm3; 0 = from porosity",
      [](Scenario& s) -> double& { return s.cell.packing.apparent_density_kg_m3; }, NonNegative(),
      1e3));
  k.push_back(Number(
      "electrode.contact_area_factor", "multiplies the NG/SE interface area 3 eps/R",
      [](Scenario& s) -> double& { return s.cell.packing.contact_area_factor; }, Positive()));
  // [transport]
  {
    ScenarioKey key;
    key.name = "transport.conductivity_law";
    key.doc = "kappa_eff(phi_SE) law: percolation or power_law";
    key.get = [](const Scenario& s) { return std::string(ToString(s.cell.transport.law)); };
    key.set = [](Scenario& s, const std::string& raw) {
      s.cell.transport.law = ConductivityLawFromString(Trim(raw));
    };
    k.push_back(key);
  }
  k.push_back(Number("transport.percolation_threshold", "phi_c of the percolation law",
                     [](Scenario& s) -> double& { return s.cell.transport.percolation_threshold; },
                     {0, 1, false, true}));
  k.push_back(Number(
      "transport.percolation_exponent", "t of the percolation law",
      [](Scenario& s) -> double& { return s.cell.transport.percolation_exponent; }, Positive()));
  k.push_back(Number(
      "transport.power_law_exponent", "p of the power law f = phi^p",
      [](Scenario& s) -> double& { return s.cell.transport.power_law_exponent; }, Positive()));
  k.push_back(Number(
      "transport.reference_resistivity_ohm_m",
      "composite ionic resistivity at reference_ng_weight_fraction and the reference temperature "
      "(TLM, per electrode), Ohm m; 0 = use se_conductivity_S_cm",
      [](Scenario& s) -> double& { return s.cell.transport.reference_resistivity_ohm_m; },
      NonNegative()));
  k.push_back(Number(
      "transport.reference_ng_weight_fraction", "NG weight fraction of that composite",
      [](Scenario& s) -> double& { return s.cell.transport.reference_ng_weight_fraction; },
      Open01()));
  k.push_back(Number(
      "transport.se_conductivity_S_cm",
      "pure SE pellet conductivity at the reference temperature, S/cm",
      [](Scenario& s) -> double& { return s.cell.transport.se_conductivity_S_m; }, Positive(),
      100.0));
  k.push_back(Number(
      "transport.activation_energy_kJ_mol", "SE conductivity activation energy, kJ/mol",
      [](Scenario& s) -> double& { return s.cell.transport.activation_energy_J_mol; },
      NonNegative(), 1e3));
  k.push_back(Number(
      "transport.resistivity_factor", "multiplies the composite ionic resistivity",
      [](Scenario& s) -> double& { return s.cell.transport.resistivity_factor; }, Positive()));
  k.push_back(Number(
      "transport.conductivity_floor_fraction", "f below the percolation threshold",
      [](Scenario& s) -> double& { return s.cell.transport.conductivity_floor_fraction; },
      Positive()));
  // [kinetics]
  k.push_back(Number(
      "kinetics.exchange_current_A_m2",
      "NG/SE exchange current density at theta = 0.5, reference temperature, A/m2",
      [](Scenario& s) -> double& { return s.cell.kinetics.exchange_current_A_m2; }, Positive()));
  k.push_back(Number(
      "kinetics.exchange_current_activation_energy_kJ_mol", "kJ/mol",
      [](Scenario& s) -> double& {
        return s.cell.kinetics.exchange_current_activation_energy_J_mol;
      },
      NonNegative(), 1e3));
  k.push_back(Number(
      "kinetics.alpha_anodic", "anodic transfer coefficient",
      [](Scenario& s) -> double& { return s.cell.kinetics.alpha_anodic; }, Open01()));
  k.push_back(Number(
      "kinetics.alpha_cathodic", "cathodic transfer coefficient",
      [](Scenario& s) -> double& { return s.cell.kinetics.alpha_cathodic; }, Open01()));
  k.push_back(Number(
      "kinetics.solid_diffusivity_m2_s", "graphite D_s at the reference temperature, m2/s",
      [](Scenario& s) -> double& { return s.cell.kinetics.solid_diffusivity_m2_s; }, Positive()));
  k.push_back(Number(
      "kinetics.solid_diffusivity_activation_energy_kJ_mol", "kJ/mol",
      [](Scenario& s) -> double& {
        return s.cell.kinetics.solid_diffusivity_activation_energy_J_mol;
      },
      NonNegative(), 1e3));
  k.push_back(Number(
      "kinetics.separator_resistance_ohm_cm2",
      "separator + Li/SE interface ASR at the reference temperature, Ohm cm2",
      [](Scenario& s) -> double& { return s.cell.kinetics.separator_resistance_ohm_m2; },
      NonNegative(), 1e-4));
  k.push_back(Number(
      "kinetics.separator_activation_energy_kJ_mol", "kJ/mol (also scales the Li exchange current)",
      [](Scenario& s) -> double& { return s.cell.kinetics.separator_activation_energy_J_mol; },
      NonNegative(), 1e3));
  k.push_back(Number(
      "kinetics.lithium_exchange_current_A_m2", "Butler-Volmer at the Li metal, A/m2; 0 = off",
      [](Scenario& s) -> double& { return s.cell.kinetics.lithium_exchange_current_A_m2; },
      NonNegative()));
  // [test]
  k.push_back(Number(
      "test.temperature_C", "cycling temperature, C",
      [](Scenario& s) -> double& { return s.cell.protocol.temperature_K; },
      {-273.15, INFINITY, true, false}, 1.0, 273.15));
  k.push_back(Number(
      "test.reference_temperature_C", "temperature of EIS and the priors, C",
      [](Scenario& s) -> double& { return s.cell.protocol.reference_temperature_K; },
      {-273.15, INFINITY, true, false}, 1.0, 273.15));
  k.push_back(Number(
      "test.cutoff_voltage_V", "lithiation cutoff vs Li, V",
      [](Scenario& s) -> double& { return s.cell.protocol.cutoff_voltage_V; }, Between(-1, 2)));
  k.push_back(Number("test.initial_stoichiometry", "delithiated start",
                     [](Scenario& s) -> double& { return s.cell.protocol.initial_stoichiometry; },
                     {0, 0.5, true, true}));
  k.push_back(Number(
      "test.max_duration_factor", "stop after this many nominal 1/C hours",
      [](Scenario& s) -> double& { return s.cell.protocol.max_duration_factor; }, Between(1, 100)));
  k.push_back(NumberList(
      "test.c_rates", "C-rates simulate runs by default, 1/h",
      [](Scenario& s) -> std::vector<double>& { return s.c_rates; }, Positive()));
  k.push_back(Number(
      "test.objective_c_rate", "C-rate the search optimizes, 1/h",
      [](Scenario& s) -> double& { return s.objective_c_rate; }, Positive()));
  k.push_back(Number(
      "test.pellet_area_cm2", "electrode area for recipes, cm2",
      [](Scenario& s) -> double& { return s.pellet_area_m2; }, Positive(), 1e-4));
  {
    ScenarioKey key;
    key.name = "test.reference_designs";
    key.doc = "designs simulated alongside every run, separated by ';' (NG:LPS@um,...)";
    key.get = [](const Scenario& s) {
      std::string out;
      for (const auto& d : s.reference_designs) out += (out.empty() ? "" : "; ") + FormatDesign(d);
      return out;
    };
    key.set = [](Scenario& s, const std::string& text) {
      s.reference_designs.clear();
      std::stringstream ss(text);
      std::string part;
      while (std::getline(ss, part, ';')) {
        if (!Trim(part).empty()) s.reference_designs.push_back(ParseDesign(part));
      }
    };
    k.push_back(key);
  }
  // [design_space]
  auto ds = [](Scenario& s) -> DesignSpace& { return s.design_space; };
  k.push_back(Integer(
      "design_space.min_layers", "fewest layers searched",
      [ds](Scenario& s) -> int& { return ds(s).min_layers; }, 1, 12));
  k.push_back(Integer(
      "design_space.max_layers", "most layers searched",
      [ds](Scenario& s) -> int& { return ds(s).max_layers; }, 1, 12));
  k.push_back(Number(
      "design_space.min_ng_weight_fraction", "per-layer NG weight fraction, lower bound",
      [ds](Scenario& s) -> double& { return ds(s).min_ng_weight_fraction; }, Open01()));
  k.push_back(Number(
      "design_space.max_ng_weight_fraction", "per-layer NG weight fraction, upper bound",
      [ds](Scenario& s) -> double& { return ds(s).max_ng_weight_fraction; }, Open01()));
  k.push_back(Number(
      "design_space.min_layer_thickness_um", "per-layer thickness, lower bound, um",
      [ds](Scenario& s) -> double& { return ds(s).min_layer_thickness_m; }, Positive(), 1e-6));
  k.push_back(Number(
      "design_space.max_layer_thickness_um", "per-layer thickness, upper bound, um",
      [ds](Scenario& s) -> double& { return ds(s).max_layer_thickness_m; }, Positive(), 1e-6));
  k.push_back(Number(
      "design_space.min_total_thickness_um", "electrode thickness, lower bound, um",
      [ds](Scenario& s) -> double& { return ds(s).min_total_thickness_m; }, NonNegative(), 1e-6));
  k.push_back(Number(
      "design_space.max_total_thickness_um", "electrode thickness, upper bound, um",
      [ds](Scenario& s) -> double& { return ds(s).max_total_thickness_m; }, Positive(), 1e-6));
  k.push_back(Number(
      "design_space.ng_weight_fraction_step", "grid of NG fractions, 0 = continuous",
      [ds](Scenario& s) -> double& { return ds(s).ng_weight_fraction_step; }, Between(0, 0.5)));
  k.push_back(Number(
      "design_space.thickness_step_um", "grid of thicknesses, um, 0 = continuous",
      [ds](Scenario& s) -> double& { return ds(s).thickness_step_m; }, NonNegative(), 1e-6));
  k.push_back(Boolean("design_space.monotone_gradient",
                      "NG fraction non-decreasing from separator to collector",
                      [ds](Scenario& s) -> bool& { return ds(s).monotone_gradient; }));
  k.push_back(Number(
      "design_space.min_mean_ng_weight_fraction",
      "energy density held: NG mass fraction of the whole electrode, lower bound",
      [ds](Scenario& s) -> double& { return ds(s).min_mean_ng_weight_fraction; },
      Between(0, 0.99)));
  // [search]
  {
    ScenarioKey key;
    key.name = "search.objective";
    key.doc = "second objective beside areal capacity: utilization or delivered_capacity";
    key.get = [](const Scenario& s) { return std::string(ToString(s.search.objective)); };
    key.set = [](Scenario& s, const std::string& raw) {
      s.search.objective = ObjectiveFromString(Trim(raw));
    };
    k.push_back(key);
  }
  k.push_back(Integer(
      "search.evaluations", "model evaluations, all layer counts together",
      [](Scenario& s) -> int& { return s.search.evaluations; }, 1, 100000000));
  k.push_back(Integer(
      "search.population", "NSGA-II population per layer count",
      [](Scenario& s) -> int& { return s.search.population; }, 8, 100000));
  {
    ScenarioKey key;
    key.name = "search.seed";
    key.doc = "random seed (integer >= 0)";
    key.get = [](const Scenario& s) { return std::to_string(s.search.seed); };
    key.set = [](Scenario& s, const std::string& raw) { s.search.seed = ParseSeed(raw); };
    k.push_back(key);
  }
  k.push_back(Integer(
      "search.threads", "worker threads, 0 = all cores",
      [](Scenario& s) -> int& { return s.search.threads; }, 0, 1024));
  k.push_back(Integer(
      "search.refinement_points", "epsilon-constraint refinements per layer count",
      [](Scenario& s) -> int& { return s.search.refinement_points; }, 0, 1000));
  k.push_back(Integer(
      "search.refinement_evaluations", "COBYLA evaluations per refinement",
      [](Scenario& s) -> int& { return s.search.refinement_evaluations; }, 0, 100000));
  k.push_back(Integer(
      "search.gap_fill_evaluations",
      "evaluations per layer count spent filling the widest gaps of the front",
      [](Scenario& s) -> int& { return s.search.gap_fill_evaluations; }, 0, 1000000));
  k.push_back(NumberList(
      "search.capacity_bands_mAh_cm2",
      "capacities at which summary.md reports the best design, mAh/cm2",
      [](Scenario& s) -> std::vector<double>& { return s.search.capacity_bands_C_m2; }, Positive(),
      3.6e4));
  // [numerics]
  k.push_back(Number(
      "numerics.refinement", "multiplies every mesh resolution and divides every step tolerance",
      [](Scenario& s) -> double& { return s.cell.numerics.refinement; }, Between(1, 64)));
  k.push_back(Number(
      "numerics.cell_size_um", "largest finite-volume size across the electrode, um",
      [](Scenario& s) -> double& { return s.cell.numerics.cell_size_m; }, Positive(), 1e-6));
  k.push_back(Number("numerics.cells_per_ohmic_length",
                     "finite volumes per ohmic length kappa_eff RT/(F I) of a layer",
                     [](Scenario& s) -> double& { return s.cell.numerics.cells_per_ohmic_length; },
                     {0, 100, true, false}));
  k.push_back(Integer(
      "numerics.min_cells_per_layer", "finite volumes per layer, at least",
      [](Scenario& s) -> int& { return s.cell.numerics.min_cells_per_layer; }, 1, 1000));
  k.push_back(Integer(
      "numerics.particle_shells", "radial finite volumes per particle",
      [](Scenario& s) -> int& { return s.cell.numerics.particle_shells; }, 2, 1000));
  k.push_back(
      Number("numerics.stoichiometry_error_tolerance",
             "time-step control: local error of the cells' mean stoichiometry per step",
             [](Scenario& s) -> double& { return s.cell.numerics.stoichiometry_error_tolerance; },
             {0, 0.1, true, false}));
  k.push_back(
      Number("numerics.max_surface_stoichiometry_step",
             "time-step control: largest surface stoichiometry change per step",
             [](Scenario& s) -> double& { return s.cell.numerics.max_surface_stoichiometry_step; },
             {0, 0.5, true, false}));
  k.push_back(Number("numerics.max_voltage_step_V",
                     "time-step control: largest voltage change per step, V",
                     [](Scenario& s) -> double& { return s.cell.numerics.max_voltage_step_V; },
                     {0, 1, true, false}));
  return k;
}

size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      cur[j] =
          std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    }
    prev.swap(cur);
  }
  return prev[b.size()];
}

const ScenarioKey* FindKey(const std::string& name) {
  for (const auto& key : ScenarioKeys()) {
    if (key.name == name) return &key;
  }
  return nullptr;
}

std::string UnknownKeyMessage(const std::string& key, const std::string& origin) {
  std::string message = origin + ": unknown key '" + key + "'";
  const std::string suggestion = SuggestKey(key);
  if (!suggestion.empty()) message += "; did you mean '" + suggestion + "'?";
  message += " (`edopt scenario` lists every key)";
  return message;
}

// Line of `key` (section.name) in the INI text, for messages; 0 when not found.
int FindLine(const std::string& text, const std::string& dotted) {
  const auto dot = dotted.find('.');
  const std::string section = dot == std::string::npos ? "" : dotted.substr(0, dot);
  const std::string name = dot == std::string::npos ? dotted : dotted.substr(dot + 1);
  std::istringstream in(text);
  std::string line, current;
  int number = 0, found = 0;
  while (std::getline(in, line)) {
    ++number;
    const std::string t = Trim(line);
    if (!t.empty() && t.front() == '[') {
      current = Trim(t.substr(1, t.find(']') - 1));
    } else if (current == section && t.rfind(name, 0) == 0 &&
               Trim(t.substr(name.size())).rfind('=', 0) == 0) {
      found = number;
    }
  }
  return found;
}

RawScenario ReadText(const std::string& text, const std::string& origin,
                     const std::string& base_dir, std::vector<std::string>* chain) {
  po::options_description description;
  description.add_options()("base", po::value<std::string>());
  for (const auto& key : ScenarioKeys())
    description.add_options()(key.name.c_str(), po::value<std::string>());
  std::istringstream in(text);
  po::parsed_options parsed(&description);
  try {
    parsed = po::parse_config_file(in, description, /*allow_unregistered=*/true);
  } catch (const po::error& e) {
    throw ConfigError(origin + ": " + e.what());
  }
  RawScenario own;
  std::string base;
  std::set<std::string> seen;
  for (const auto& option : parsed.options) {
    const std::string& key = option.string_key;
    const int line = FindLine(text, key);
    const std::string where = origin + (line > 0 ? ":" + std::to_string(line) : "");
    if (option.unregistered) throw ConfigError(UnknownKeyMessage(key, where));
    if (!seen.insert(key).second) {
      throw ConfigError(where + ": key '" + key + "' is given more than once");
    }
    const std::string value = option.value.empty() ? "" : option.value.front();
    if (key == "base") {
      base = Trim(value);
    } else {
      own[key] = {value, where};
    }
  }
  RawScenario merged;
  if (base == "builtin") {
    merged = ReadText(BuiltinScenarioText(), "built-in seed-kim-ng-lps.ini", ".", chain);
  } else if (!base.empty()) {
    fs::path path = fs::path(base).is_absolute() ? fs::path(base) : fs::path(base_dir) / base;
    merged = ReadScenarioFileChain(path.string(), chain);
  }
  for (auto& [key, value] : own) merged[key] = value;
  return merged;
}

RawScenario ReadScenarioFileChain(const std::string& path, std::vector<std::string>* chain) {
  std::error_code ec;
  const std::string canonical = fs::weakly_canonical(path, ec).string();
  if (std::find(chain->begin(), chain->end(), canonical) != chain->end()) {
    std::string cycle;
    for (const auto& p : *chain) cycle += p + " -> ";
    throw ConfigError("scenario base chain has a cycle: " + cycle + canonical);
  }
  std::ifstream in(path);
  if (!in) throw ConfigError("cannot open scenario file '" + path + "'");
  std::stringstream buffer;
  buffer << in.rdbuf();
  chain->push_back(canonical);
  RawScenario raw = ReadText(buffer.str(), path, fs::path(path).parent_path().string(), chain);
  chain->pop_back();
  return raw;
}

}  // namespace

const std::vector<ScenarioKey>& ScenarioKeys() {
  static const std::vector<ScenarioKey> keys = MakeKeys();
  return keys;
}

std::string SuggestKey(const std::string& unknown) {
  std::string best;
  size_t best_distance = std::string::npos;
  const auto dot = unknown.find('.');
  const std::string tail = dot == std::string::npos ? unknown : unknown.substr(dot + 1);
  for (const auto& key : ScenarioKeys()) {
    size_t d = EditDistance(unknown, key.name);
    // A key in the wrong section is a likely slip too.
    const std::string key_tail = key.name.substr(key.name.find('.') + 1);
    if (key_tail == tail) d = std::min<size_t>(d, 1);
    if (d < best_distance) {
      best_distance = d;
      best = key.name;
    }
  }
  (void)best_distance;  // always offer the nearest key: a far guess still shows the naming scheme
  return best;
}

RawScenario ReadScenarioFile(const std::string& path) {
  std::vector<std::string> chain;
  return ReadScenarioFileChain(path, &chain);
}

RawScenario ReadScenarioText(const std::string& text, const std::string& origin,
                             const std::string& base_dir) {
  std::vector<std::string> chain;
  return ReadText(text, origin, base_dir, &chain);
}

void ApplyOverrides(const std::vector<std::string>& overrides, RawScenario* raw) {
  for (const auto& o : overrides) {
    const auto eq = o.find('=');
    if (eq == std::string::npos) {
      throw ConfigError("--set '" + o + "': expected section.key=value");
    }
    const std::string key = Trim(o.substr(0, eq));
    if (FindKey(key) == nullptr) throw ConfigError(UnknownKeyMessage(key, "--set"));
    (*raw)[key] = {o.substr(eq + 1), "--set"};
  }
}

Scenario BuildScenario(const RawScenario& raw, const std::string& source) {
  Scenario scenario;
  scenario.source = source;
  scenario.name = fs::path(source).stem().string();
  for (const auto& [name, value] : raw) {
    const ScenarioKey* key = FindKey(name);
    if (key == nullptr) throw ConfigError(UnknownKeyMessage(name, value.origin));
    try {
      key->set(scenario, value.value);
    } catch (const ConfigError& e) {
      throw ConfigError(value.origin + ": " + name + " = '" + Trim(value.value) + "': " + e.what());
    }
  }
  if (scenario.cell.materials.ocp_model == "table" && scenario.ocp_table_file.empty()) {
    throw ConfigError(source + ": materials.ocp = table needs materials.ocp_table_file");
  }
  scenario.cell.Validate();
  scenario.design_space.Validate();
  scenario.search.Validate();
  return scenario;
}

Scenario LoadScenario(const std::string& path, const std::vector<std::string>& overrides) {
  RawScenario raw =
      path.empty() ? ReadScenarioText(BuiltinScenarioText(), "built-in seed-kim-ng-lps.ini", ".")
                   : ReadScenarioFile(path);
  ApplyOverrides(overrides, &raw);
  Scenario scenario = LoadScenarioFromRaw(raw, path.empty() ? "seed-kim-ng-lps.ini" : path);
  if (path.empty()) scenario.source = "built-in";
  return scenario;
}

Scenario LoadScenarioFromRaw(const RawScenario& raw, const std::string& source) {
  Scenario scenario = BuildScenario(raw, source);
  if (scenario.cell.materials.ocp_model == "table") {
    // Relative table paths resolve against the file that named them.
    std::string file = scenario.ocp_table_file;
    const auto it = raw.find("materials.ocp_table_file");
    if (fs::path(file).is_relative() && it != raw.end() && it->second.origin != "--set") {
      const std::string origin_file = it->second.origin.substr(0, it->second.origin.rfind(':'));
      file = (fs::path(origin_file).parent_path() / file).string();
    }
    const auto table = ReadOcpTable(file);
    scenario.cell.materials.ocp_table_stoichiometry = table.first;
    scenario.cell.materials.ocp_table_voltage_V = table.second;
  }
  return scenario;
}

std::string ScenarioToIni(const Scenario& scenario) {
  std::ostringstream os;
  os << "# resolved scenario " << scenario.name << " (from " << scenario.source << ")\n";
  std::string section;
  for (const auto& key : ScenarioKeys()) {
    const auto dot = key.name.find('.');
    const std::string sec = key.name.substr(0, dot);
    if (sec != section) {
      os << (section.empty() ? "" : "\n") << "[" << sec << "]\n";
      section = sec;
    }
    os << "# " << key.doc << "\n" << key.name.substr(dot + 1) << " = " << key.get(scenario) << "\n";
  }
  return os.str();
}

}  // namespace edopt
