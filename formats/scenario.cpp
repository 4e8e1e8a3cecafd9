#include "formats/scenario.h"

#include <algorithm>
#include <boost/program_options.hpp>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "formats/files.h"
#include "formats/ocp_table.h"
#include "formats/posterior_file.h"
#include "models/catalogue.h"
#include "models/errors.h"
#include "models/materials.h"
#include "models/microstructure.h"
#include "optimizer/settings_catalogue.h"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace edopt {

namespace {

using Key = ScenarioKey;

RawScenario ReadScenarioFileChain(const std::string& path, std::vector<std::string>* chain);

// The cell parameters' entries of one section, re-targeted to the scenario.
void AddCellSection(const std::string& section, std::vector<Key>* keys) {
  for (const auto& p : CellCatalogue()) {
    if (p.key.rfind(section + ".", 0) == 0) {
      keys->push_back(
          Lift<Scenario, CellParameters>(p, [](Scenario& s) -> CellParameters& { return s.cell; }));
    }
  }
}

// The keys only the command line has: where the OCP table is, which rates and designs a run
// simulates, the pellet area of recipes.
Key OcpTableFileKey() {
  return TextParameter<Scenario>(
      "materials.ocp_table_file",
      "CSV of stoichiometry,voltage_V used when materials.ocp = table (relative to the scenario "
      "file)",
      ValueKind::kText, [](const Scenario& s) { return s.ocp_table_file; },
      [](Scenario& s, const std::string& raw) { s.ocp_table_file = Trim(raw); });
}

Key PosteriorFileKey() {
  return TextParameter<Scenario>(
      "calibration.posterior_file",
      "CSV of posterior draws (calibrate rates --posterior) that give predictions their 95% "
      "intervals (relative to the scenario file); empty = point predictions",
      ValueKind::kText, [](const Scenario& s) { return s.posterior_file; },
      [](Scenario& s, const std::string& raw) { s.posterior_file = Trim(raw); });
}

std::vector<Key> TestKeys() {
  std::vector<Key> k;
  k.push_back(NumberListParameter<Scenario>(
      "test.c_rates", "1/h", "C-rates simulate runs by default",
      [](Scenario& s) -> std::vector<double>& { return s.c_rates; }, kCRateRange));
  k.push_back(NumberParameter<Scenario>(
      "test.objective_c_rate", "1/h", "C-rate the search optimizes",
      [](Scenario& s) -> double& { return s.objective_c_rate; }, kCRateRange));
  k.push_back(NumberParameter<Scenario>(
      "test.pellet_area_cm2", "cm2", "electrode area for recipes",
      [](Scenario& s) -> double& { return s.pellet_area_m2; }, kAreaRange_cm2, 1e-4));
  k.push_back(TextParameter<Scenario>(
      "test.reference_designs",
      "designs simulated alongside every run, separated by ';' (NG:LPS@um,...)",
      ValueKind::kDesignList,
      [](const Scenario& s) {
        std::string out;
        for (const auto& d : s.reference_designs)
          out += (out.empty() ? "" : "; ") + FormatDesign(d);
        return out;
      },
      [](Scenario& s, const std::string& text) {
        s.reference_designs.clear();
        std::stringstream ss(text);
        std::string part;
        while (std::getline(ss, part, ';')) {
          if (!Trim(part).empty()) s.reference_designs.push_back(ParseDesign(part));
        }
      }));
  return k;
}

std::vector<Key> MakeKeys() {
  std::vector<Key> k;
  AddCellSection("materials", &k);
  k.push_back(OcpTableFileKey());
  k.push_back(PosteriorFileKey());
  for (const char* section : {"electrode", "transport", "kinetics", "test"})
    AddCellSection(section, &k);
  for (auto& key : TestKeys()) k.push_back(std::move(key));
  for (const auto& p : DesignSpaceCatalogue()) {
    k.push_back(
        Lift<Scenario, DesignSpace>(p, [](Scenario& s) -> DesignSpace& { return s.design_space; }));
  }
  for (const auto& p : SearchCatalogue()) {
    k.push_back(
        Lift<Scenario, SearchOptions>(p, [](Scenario& s) -> SearchOptions& { return s.search; }));
  }
  AddCellSection("numerics", &k);
  return k;
}

const ScenarioKey* FindKey(const std::string& name) {
  for (const auto& key : ScenarioKeys()) {
    if (key.key == name) return &key;
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
    description.add_options()(key.key.c_str(), po::value<std::string>());
  std::istringstream in(WithoutBom(text));
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
    const std::string& given = option.string_key;
    const int line = FindLine(text, given);
    const std::string where = origin + (line > 0 ? ":" + std::to_string(line) : "");
    const std::string key = CurrentKeyName(given);
    if (option.unregistered && key == given) throw ConfigError(UnknownKeyMessage(key, where));
    if (!seen.insert(key).second) {
      throw ConfigError(where + ": key '" + key + "' is given more than once");
    }
    const std::string value = option.value.empty() ? "" : option.value.front();
    if (key == "base") {
      base = Trim(value);
    } else {
      own[key] = {value, where, false, key == given ? "" : given};
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
  std::string text;
  try {
    text = ReadTextFile(path, "scenario file");
  } catch (const InputError& e) {
    throw ConfigError(e.what());  // a scenario is configuration: exit 2
  }
  chain->push_back(canonical);
  RawScenario raw = ReadText(text, path, fs::path(path).parent_path().string(), chain);
  chain->pop_back();
  return raw;
}

}  // namespace

const std::vector<std::pair<std::string, std::string>>& RenamedScenarioKeys() {
  static const std::vector<std::pair<std::string, std::string>> renamed = {
      {"materials.ng_density_g_cm3", "materials.active_density_g_cm3"},
      {"materials.ng_specific_capacity_mAh_g", "materials.active_specific_capacity_mAh_g"},
      {"transport.reference_ng_weight_fraction", "transport.reference_active_weight_fraction"},
      {"design_space.min_ng_weight_fraction", "design_space.min_active_weight_fraction"},
      {"design_space.max_ng_weight_fraction", "design_space.max_active_weight_fraction"},
      {"design_space.ng_weight_fraction_step", "design_space.active_weight_fraction_step"},
      {"design_space.min_mean_ng_weight_fraction", "design_space.min_mean_active_weight_fraction"},
  };
  return renamed;
}

std::string CurrentKeyName(const std::string& name) {
  for (const auto& [old_name, new_name] : RenamedScenarioKeys()) {
    if (name == old_name) return new_name;
  }
  return name;
}

const std::vector<ScenarioKey>& ScenarioKeys() {
  static const std::vector<ScenarioKey> keys = MakeKeys();
  return keys;
}

std::string SuggestKey(const std::string& unknown) {
  std::vector<std::string> names;
  for (const auto& key : ScenarioKeys()) names.push_back(key.key);
  return NearestKey(unknown, names);
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

void ApplyOverrides(const std::vector<std::string>& overrides, RawScenario* raw,
                    const std::vector<std::string>& origins) {
  for (size_t i = 0; i < overrides.size(); ++i) {
    const std::string& o = overrides[i];
    const std::string origin = i < origins.size() ? origins[i] : "--set";
    const auto eq = o.find('=');
    if (eq == std::string::npos) {
      throw ConfigError(origin + ": '" + o + "': expected section.key=value");
    }
    const std::string given = Trim(o.substr(0, eq)), key = CurrentKeyName(given);
    if (FindKey(key) == nullptr) throw ConfigError(UnknownKeyMessage(key, origin));
    (*raw)[key] = {o.substr(eq + 1), origin, true, key == given ? "" : given};
  }
}

namespace {

// The thinnest layer the search may propose: min_layer_particle_multiple diameters of the
// largest particle (docs/physics.md §3b); a lower design_space.min_layer_thickness_um is raised
// to it, with a note.
void RaiseToPressableFloor(Scenario* scenario) {
  auto& space = scenario->design_space;
  const auto& m = scenario->cell.materials;
  const double largest_m = LargestParticleDiameter(m);
  // Whole nanometres up, so the floor itself is a grid value.
  const double floor_m =
      std::ceil(space.min_layer_particle_multiple * largest_m * 1e9 - 1e-6) / 1e9;
  if (!(space.min_layer_thickness_m < floor_m * (1 - 1e-9))) return;
  if (floor_m > space.max_layer_thickness_m * (1 + 1e-9)) {
    // Powders coarser than any layer the space allows: a note, not an infeasible scenario (the
    // model still simulates and weighs any design).
    scenario->notes.push_back(
        "the largest particle (" + FormatScenarioNumber(largest_m * 1e6) + " um) is thicker than " +
        "design_space.max_layer_thickness_um = " +
        FormatScenarioNumber(space.max_layer_thickness_m * 1e6) +
        " um: no layer of this design space can be pressed (docs/physics.md 3b)");
    return;
  }
  const std::string what =
      2.0 * m.se_particle_radius_m >= largest_m && m.se_particle_radius_m > 0
          ? "the SE's D50 " + FormatScenarioNumber(largest_m * 1e6) + " um"
          : "the active powder's D90 " + FormatScenarioNumber(largest_m * 1e6) + " um";
  scenario->notes.push_back(
      "design_space.min_layer_thickness_um raised from " +
      FormatScenarioNumber(space.min_layer_thickness_m * 1e6) + " to " +
      FormatScenarioNumber(floor_m * 1e6) + " um: a pressed layer is at least " +
      FormatScenarioNumber(space.min_layer_particle_multiple) + " x the largest particle (" + what +
      "; design_space.min_layer_particle_multiple, docs/physics.md 3b)");
  space.min_layer_thickness_m = floor_m;
}

}  // namespace

Scenario BuildScenario(const RawScenario& raw, const std::string& source) {
  Scenario scenario;
  scenario.source = source;
  scenario.name = fs::path(source).stem().string();
  // Presets first (they set other keys' values), then every key the scenario names.
  for (const bool presets : {true, false}) {
    for (const auto& [name, value] : raw) {
      const ScenarioKey* key = FindKey(name);
      if (key == nullptr) throw ConfigError(UnknownKeyMessage(name, value.origin));
      if (key->preset != presets) continue;
      try {
        key->set(scenario, value.value);
      } catch (const ConfigError& e) {
        throw ConfigError(value.origin + ": " + name + " = '" + Trim(value.value) +
                          "': " + e.what());
      }
    }
  }
  for (const auto& [name, value] : raw) {
    if (value.old_name.empty()) continue;
    scenario.notes.push_back(value.origin + ": " + value.old_name + " is deprecated: it is now " +
                             name + " (docs/formats.md §10)");
  }
  if (scenario.cell.materials.ocp_model == "table" && scenario.ocp_table_file.empty()) {
    throw ConfigError(source + ": materials.ocp = table needs materials.ocp_table_file");
  }
  RaiseToPressableFloor(&scenario);
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

namespace {

// A file named by a scenario key: a relative path resolves against the file that named it
// ("--set" paths against the working folder).
std::string ResolveAgainstOrigin(const std::string& file, const RawScenario& raw,
                                 const std::string& key) {
  const auto it = raw.find(key);
  if (!fs::path(file).is_relative() || it == raw.end() || it->second.origin == "--set") return file;
  const std::string origin_file = it->second.origin.substr(0, it->second.origin.rfind(':'));
  return (fs::path(origin_file).parent_path() / file).string();
}

}  // namespace

namespace {

// A key the user set (--set, a grid's axis, set() from Python) that the posterior also samples: the
// set value holds in every draw (its column leaves the sample), and the scenario says so.
void HoldSetKeys(const RawScenario& raw, Scenario* scenario) {
  PosteriorSample& p = scenario->posterior;
  for (size_t k = 0; k < p.keys.size();) {
    const auto it = raw.find(p.keys[k]);
    const bool set = it != raw.end() && it->second.override;
    if (!set) {
      ++k;
      continue;
    }
    scenario->notes.push_back(
        p.keys[k] + " is sampled by the posterior (" + scenario->posterior_file +
        "); the set value " + Trim(it->second.value) +
        " holds in every draw instead (its uncertainty leaves the intervals)");
    p.keys.erase(p.keys.begin() + static_cast<long>(k));
    for (auto& row : p.values) row.erase(row.begin() + static_cast<long>(k));
  }
}

}  // namespace

namespace {

const std::string kBuiltinScenarioName = "builtin:seed-kim-ng-lps.ini";

// The files the raw keys came from ("file:line" origins), each once, in order of first use.
std::vector<std::string> OriginFiles(const RawScenario& raw) {
  std::vector<std::string> files;
  auto add = [&files](const std::string& f) {
    if (std::find(files.begin(), files.end(), f) == files.end()) files.push_back(f);
  };
  for (const auto& [key, value] : raw) {
    const std::string& o = value.origin;
    if (o.rfind("built-in", 0) == 0) {
      add(kBuiltinScenarioName);
    } else if (o != "--set" && o.find(':') != std::string::npos) {
      add(o.substr(0, o.rfind(':')));
    }
  }
  return files;
}

}  // namespace

std::vector<FileDigest> ScenarioInputDigests(const Scenario& scenario) {
  std::vector<FileDigest> out;
  for (const auto& f : scenario.input_files) {
    if (f == kBuiltinScenarioName) {
      out.push_back({f, Sha256Hex(BuiltinScenarioText()), BuiltinScenarioText().size()});
    } else if (f == std::string("builtin:") + kBuiltinPosteriorName) {
      out.push_back({f, Sha256Hex(BuiltinPosteriorText()), BuiltinPosteriorText().size()});
    } else {
      out.push_back(InputFile(f));
    }
  }
  return out;
}

Scenario LoadScenarioFromRaw(const RawScenario& raw, const std::string& source) {
  Scenario scenario = BuildScenario(raw, source);
  scenario.input_files = OriginFiles(raw);
  if (scenario.cell.materials.ocp_model == "table") {
    const std::string file =
        ResolveAgainstOrigin(scenario.ocp_table_file, raw, "materials.ocp_table_file");
    const auto table = ReadOcpTable(file);
    scenario.input_files.push_back(file);
    scenario.ocp_table_file = fs::absolute(file).lexically_normal().string();
    scenario.cell.materials.ocp_table_stoichiometry = table.first;
    scenario.cell.materials.ocp_table_voltage_V = table.second;
  }
  if (!scenario.posterior_file.empty()) {
    const auto it = raw.find("calibration.posterior_file");
    const std::string origin = it != raw.end() ? it->second.origin : "";
    // The compiled-in seed posterior: named by the built-in scenario, or as "builtin:NAME" (how
    // `edopt scenario` prints it); any other name is a file relative to the scenario naming it,
    // kept resolved so a printed scenario loads from anywhere.
    const std::string builtin = std::string("builtin:") + kBuiltinPosteriorName;
    if ((origin.rfind("built-in", 0) == 0 && scenario.posterior_file == kBuiltinPosteriorName) ||
        scenario.posterior_file == builtin) {
      scenario.posterior = ParsePosteriorSample(BuiltinPosteriorText(), builtin);
      scenario.posterior_file = builtin;
      scenario.input_files.push_back(builtin);
    } else {
      const std::string file =
          ResolveAgainstOrigin(scenario.posterior_file, raw, "calibration.posterior_file");
      scenario.posterior = ReadPosteriorSample(file);
      scenario.input_files.push_back(file);
      scenario.posterior_file = fs::absolute(file).lexically_normal().string();
    }
    HoldSetKeys(raw, &scenario);
  }
  return scenario;
}

std::string ScenarioToIni(const Scenario& scenario) {
  std::ostringstream os;
  os << "# resolved scenario " << scenario.name << " (from " << scenario.source << ")\n";
  std::string section;
  for (const auto& key : ScenarioKeys()) {
    const auto dot = key.key.find('.');
    const std::string sec = key.key.substr(0, dot);
    if (sec != section) {
      os << (section.empty() ? "" : "\n") << "[" << sec << "]\n";
      section = sec;
    }
    os << "# " << key.Documentation() << "\n";
    const Prior& prior = MaterialPriorOr(key.key, scenario.cell, key.prior);
    if (prior.kind != PriorKind::kNone) os << "# prior: " << prior.Describe() << "\n";
    if (key.fit.fittable) {
      os << "# calibrate rates --free bounds: " << FormatScenarioNumber(key.fit.lower) << ".."
         << FormatScenarioNumber(key.fit.upper) << (key.fit.log_scale ? " (log)" : "") << "\n";
    }
    os << key.key.substr(dot + 1) << " = " << key.get(scenario) << "\n";
  }
  return os.str();
}

std::string ScenarioSettingsText(const Scenario& scenario) {
  std::string text;
  for (const auto& key : ScenarioKeys()) text += key.key + " = " + key.get(scenario) + "\n";
  return text;
}

}  // namespace edopt
