#include "formats/scenario.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "app/sweep.h"
#include "models/catalogue.h"
#include "models/errors.h"
#include "models/materials.h"

namespace edopt {
namespace {

namespace fs = std::filesystem;

std::string ErrorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

Scenario FromText(const std::string& text) {
  return BuildScenario(ReadScenarioText(text, "test.ini", "."), "test.ini");
}

class TempDir {
 public:
  TempDir()
      : path_(fs::temp_directory_path() /
              ("edopt_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter_++))) {
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  std::string Write(const std::string& name, const std::string& text) const {
    std::ofstream(path_ / name) << text;
    return (path_ / name).string();
  }

 private:
  static inline int counter_ = 0;
  fs::path path_;
};

// Every renamed key: the old name is no key of its own, the new one is; a file and an override
// naming the old one set the new key to the same value as the new name does, with one note each.
TEST(Scenario, OldKeyNamesReadAsTheirNewKeysWithOneNoteEach) {
  std::vector<std::string> names;
  for (const auto& k : ScenarioKeys()) names.push_back(k.key);
  ASSERT_FALSE(RenamedScenarioKeys().empty());
  for (const auto& [old_name, new_name] : RenamedScenarioKeys()) {
    SCOPED_TRACE(old_name);
    EXPECT_EQ(std::count(names.begin(), names.end(), old_name), 0);
    ASSERT_EQ(std::count(names.begin(), names.end(), new_name), 1);
    const ScenarioKey& key = *std::find_if(ScenarioKeys().begin(), ScenarioKeys().end(),
                                           [&](const ScenarioKey& k) { return k.key == new_name; });
    const std::string value = key.get(Scenario{});  // the default: always valid
    const auto dot = old_name.find('.');
    const std::string text =
        "[" + old_name.substr(0, dot) + "]\n" + old_name.substr(dot + 1) + " = " + value + "\n";
    const Scenario from_file = FromText(text);
    EXPECT_EQ(key.get(from_file), value);
    ASSERT_EQ(from_file.notes.size(), 1u);
    EXPECT_NE(from_file.notes[0].find("test.ini:2: " + old_name + " is deprecated: it is now " +
                                      new_name),
              std::string::npos)
        << from_file.notes[0];
    RawScenario raw = ReadScenarioText("", "empty.ini", ".");
    ApplyOverrides({old_name + "=" + value}, &raw);
    const Scenario overridden = BuildScenario(raw, "empty.ini");
    EXPECT_EQ(key.get(overridden), value);
    ASSERT_EQ(overridden.notes.size(), 1u);
    EXPECT_NE(overridden.notes[0].find("--set: " + old_name), std::string::npos);
    // Both names at once: one key given twice.
    EXPECT_NE(ErrorOf([&] {
                FromText(text + new_name.substr(dot + 1) + " = " + value + "\n");
              }).find("more than once"),
              std::string::npos);
  }
  // A value set under the old name changes the model as the new name does.
  const Scenario old_name = FromText("[design_space]\nmin_ng_weight_fraction = 0.45\n");
  EXPECT_DOUBLE_EQ(old_name.design_space.min_active_weight_fraction, 0.45);
}

TEST(Scenario, BuiltinSeedScenarioLoadsWithItsValues) {
  const Scenario s = LoadScenario("", {});
  EXPECT_EQ(s.source, "built-in");
  EXPECT_DOUBLE_EQ(s.cell.transport.reference_resistivity_ohm_m, 535.0);
  EXPECT_NEAR(s.cell.protocol.temperature_K, 333.15, 1e-9);
  EXPECT_NEAR(s.cell.packing.apparent_density_kg_m3, 2413.0, 1e-9);
  EXPECT_EQ(s.reference_designs.size(), 4u);
  EXPECT_DOUBLE_EQ(s.design_space.min_mean_active_weight_fraction, 0.6);
}

TEST(Scenario, EveryKeyRoundTrips) {
  const Scenario seed = LoadScenario("", {});
  const std::string ini = ScenarioToIni(seed);
  const Scenario again = FromText(ini);
  const std::string back = ScenarioToIni(again);
  EXPECT_EQ(back.substr(back.find('\n')), ini.substr(ini.find('\n')));  // all but the header
  // Each key individually: a changed value survives set -> get -> set.
  for (const auto& key : ScenarioKeys()) {
    Scenario s = seed;
    const std::string value = key.get(s);
    Scenario t;
    ASSERT_NO_THROW(key.set(t, value)) << key.key << " = " << value;
    EXPECT_EQ(key.get(t), value) << key.key;
  }
}

// Every numeric entry of the cell catalogue, written into a scenario file in scenario units,
// reaches CellParameters through the reader with its SI conversion, passes validation, and
// comes back as the same text; a value outside its range is refused naming key and line.
TEST(Scenario, EveryCatalogueEntryRoundTripsThroughTheReader) {
  for (const auto& p : CellCatalogue()) {
    if (!p.numeric()) continue;
    const CellParameters defaults;
    const double v0 = p.value(defaults);
    double v = v0 == 0 ? 0.5 : v0 * 1.25;
    if (p.kind == ValueKind::kInteger) v = v0 + 1;
    if (!p.range.Contains(v)) v = v0 * 0.75;
    ASSERT_TRUE(p.range.Contains(v)) << p.key;
    const auto dot = p.key.find('.');
    std::string text = "[" + p.key.substr(0, dot) + "]\n" + p.key.substr(dot + 1) + " = " +
                       FormatScenarioNumber(v) + "\n";
    // A shorter capacity window starts later: it must end at full lithiation (Validate).
    if (p.key == "materials.capacity_stoichiometry_span")
      text += "[test]\ninitial_stoichiometry = " + FormatScenarioNumber(1.0 - v) + "\n";
    Scenario s;
    ASSERT_NO_THROW(s = FromText(text)) << text;
    EXPECT_NEAR(p.value(s.cell), v, 1e-9 * std::abs(v)) << p.key;
    EXPECT_NO_THROW(s.cell.Validate()) << p.key;
    EXPECT_EQ(ScenarioKeys().size(), ScenarioKeys().size());
    const auto* key = [&]() -> const ScenarioKey* {
      for (const auto& k : ScenarioKeys()) {
        if (k.key == p.key) return &k;
      }
      return nullptr;
    }();
    ASSERT_NE(key, nullptr) << p.key << " is not a scenario key";
    EXPECT_EQ(key->get(s), FormatScenarioNumber(v)) << p.key;
    if (std::isfinite(p.range.hi)) {
      const std::string bad = "[" + p.key.substr(0, dot) + "]\n" + p.key.substr(dot + 1) + " = " +
                              FormatScenarioNumber(p.range.hi * 2 + 1) + "\n";
      const std::string e = ErrorOf([&] { FromText(bad); });
      EXPECT_NE(e.find(p.key), std::string::npos) << e;
      EXPECT_NE(e.find(":2"), std::string::npos) << e;
    }
  }
}

// Material presets (issue 27) apply before every other key, wherever they stand and whatever
// sorts first, so the keys a scenario names override them; a printed cathode scenario reads back
// to itself.
TEST(Scenario, MaterialPresetsApplyFirstAndKeysOverrideThem) {
  const Scenario ncm = FromText(
      "[kinetics]\nsolid_diffusivity_m2_s = 1e-15\n[materials]\nactive_material = NCM811\n"
      "electrolyte = Li6PS5Cl\n[test]\ncutoff_voltage_V = 2.8\n");
  EXPECT_EQ(ncm.cell.materials.active_material, "NCM811");
  EXPECT_EQ(ncm.cell.materials.ocp_model, "NCM811_Chen2020");
  EXPECT_DOUBLE_EQ(ncm.cell.materials.active_density_kg_m3, 4780.0);
  EXPECT_DOUBLE_EQ(ncm.cell.materials.capacity_stoichiometry_span, 0.74);
  EXPECT_DOUBLE_EQ(ncm.cell.protocol.initial_stoichiometry, 0.26);
  EXPECT_GT(ncm.cell.transport.electronic_conductivity_S_m, 0.0);     // two rails for cathodes
  EXPECT_DOUBLE_EQ(ncm.cell.kinetics.solid_diffusivity_m2_s, 1e-15);  // named: kept
  EXPECT_DOUBLE_EQ(ncm.cell.protocol.cutoff_voltage_V, 2.8);
  EXPECT_DOUBLE_EQ(ncm.cell.materials.se_density_kg_m3, 1860.0);
  // The material's own priors replace graphite's where it has them.
  const auto& ds = *FindCellParameter("kinetics.solid_diffusivity_m2_s");
  EXPECT_EQ(MaterialPriorOr(ds.key, ncm.cell, ds.prior).a, 1e-16);
  EXPECT_EQ(&MaterialPriorOr(ds.key, CellParameters{}, ds.prior), &ds.prior);
  const std::string ini = ScenarioToIni(ncm);
  EXPECT_NE(ini.find("# prior: log-uniform 1e-16..3e-14"), std::string::npos);
  const std::string back = ScenarioToIni(FromText(ini));
  EXPECT_EQ(back.substr(back.find('\n')), ini.substr(ini.find('\n')));
  // Back to graphite: its values return, the named keys stay.
  RawScenario raw = ReadScenarioText(
      "[materials]\nactive_material = NCM622\n[kinetics]\nexchange_current_A_m2 = 2\n", "t.ini",
      ".");
  ApplyOverrides({"materials.active_material=graphite"}, &raw);
  const Scenario back_to_graphite = BuildScenario(raw, "t.ini");
  const CellParameters defaults;
  EXPECT_EQ(back_to_graphite.cell.materials.ocp_model, defaults.materials.ocp_model);
  EXPECT_EQ(back_to_graphite.cell.materials.active_density_kg_m3,
            defaults.materials.active_density_kg_m3);
  EXPECT_EQ(back_to_graphite.cell.transport.electronic_conductivity_S_m, 0.0);
  EXPECT_DOUBLE_EQ(back_to_graphite.cell.kinetics.exchange_current_A_m2, 2.0);
  const std::string e = ErrorOf([] { FromText("[materials]\nactive_material = NCM911\n"); });
  EXPECT_NE(e.find("materials.active_material"), std::string::npos) << e;
  EXPECT_NE(e.find("NCM811, NCM622"), std::string::npos) << e;
}

TEST(Scenario, UnitsConvertToSiAtTheBoundary) {
  const Scenario s = FromText(
      "[materials]\nparticle_radius_um = 7.5\n[kinetics]\nseparator_resistance_ohm_cm2 = 30\n"
      "[test]\ntemperature_C = 25\n[transport]\nactivation_energy_kJ_mol = 17\n");
  EXPECT_DOUBLE_EQ(s.cell.materials.particle_radius_m, 7.5e-6);
  EXPECT_DOUBLE_EQ(s.cell.kinetics.separator_resistance_ohm_m2, 30e-4);
  EXPECT_DOUBLE_EQ(s.cell.protocol.temperature_K, 298.15);
  EXPECT_DOUBLE_EQ(s.cell.transport.activation_energy_J_mol, 17e3);
}

TEST(Scenario, UnknownKeyGetsASuggestion) {
  const std::string e = ErrorOf([] { FromText("[transport]\nresistivty_factor = 2\n"); });
  EXPECT_NE(e.find("transport.resistivty_factor"), std::string::npos) << e;
  EXPECT_NE(e.find("did you mean 'transport.resistivity_factor'"), std::string::npos) << e;
  EXPECT_NE(e.find("test.ini:2"), std::string::npos) << e;
  const std::string wrong_section =
      ErrorOf([] { FromText("[kinetics]\nresistivity_factor = 2\n"); });
  EXPECT_NE(wrong_section.find("did you mean 'transport.resistivity_factor'"), std::string::npos);
  const std::string set = ErrorOf([] {
    RawScenario raw;
    ApplyOverrides({"bogus.key=1"}, &raw);
  });
  EXPECT_NE(set.find("did you mean"), std::string::npos) << set;
}

TEST(Scenario, BadValuesNameTheKey) {
  const char* cases[][2] = {
      {"[transport]\nresistivity_factor = -1\n", "out of range"},
      {"[transport]\nresistivity_factor = abc\n", "not a number"},
      {"[transport]\nresistivity_factor = nan\n", "not a finite number"},
      {"[transport]\nresistivity_factor =\n", "empty"},
      {"[transport]\nresistivity_factor = 1\nresistivity_factor = 2\n", "more than once"},
      {"[transport]\nresistivity_factor = 2 3\n", "not a number"},
      {"[design_space]\nmax_layers = 2.5\n", "not an integer"},
      {"[materials]\nocp = Chen2021\n", "not an OCP curve"},
      {"[test]\nc_rates = 0.1,-3\n", "out of range"},
  };
  for (const auto& c : cases) {
    const std::string e = ErrorOf([&] { FromText(c[0]); });
    EXPECT_NE(e.find(c[1]), std::string::npos) << c[0] << " -> " << e;
    const std::string text = c[0];
    const std::string key =
        text.substr(text.find('\n') + 1, text.find(' ', text.find('\n')) - text.find('\n') - 1);
    EXPECT_NE(e.find(key), std::string::npos) << "message does not name " << key << ": " << e;
  }
}

TEST(Scenario, BaseChainsResolveAndOverride) {
  TempDir dir;
  dir.Write("a.ini", "[transport]\nresistivity_factor = 2\nactivation_energy_kJ_mol = 30\n");
  dir.Write("b.ini", "base = a.ini\n[transport]\nresistivity_factor = 3\n");
  const std::string c = dir.Write("c.ini", "base = b.ini\n[kinetics]\nexchange_current_A_m2 = 5\n");
  const Scenario s = BuildScenario(ReadScenarioFile(c), c);
  EXPECT_DOUBLE_EQ(s.cell.transport.resistivity_factor, 3.0);
  EXPECT_DOUBLE_EQ(s.cell.transport.activation_energy_J_mol, 30e3);
  EXPECT_DOUBLE_EQ(s.cell.kinetics.exchange_current_A_m2, 5.0);
  // --set wins over every file.
  RawScenario raw = ReadScenarioFile(c);
  ApplyOverrides({"transport.resistivity_factor=4"}, &raw);
  EXPECT_DOUBLE_EQ(BuildScenario(raw, c).cell.transport.resistivity_factor, 4.0);
  EXPECT_DOUBLE_EQ(
      LoadScenario(c, {"transport.resistivity_factor=5"}).cell.transport.resistivity_factor, 5.0);
}

TEST(Scenario, BaseCyclesAreReported) {
  TempDir dir;
  dir.Write("x.ini", "base = y.ini\n");
  const std::string y = dir.Write("y.ini", "base = x.ini\n");
  const std::string e = ErrorOf([&] { ReadScenarioFile(y); });
  EXPECT_NE(e.find("cycle"), std::string::npos) << e;
  const std::string self = dir.Write("self.ini", "base = self.ini\n");
  EXPECT_NE(ErrorOf([&] { ReadScenarioFile(self); }).find("cycle"), std::string::npos);
  EXPECT_NE(ErrorOf([&] {
              ReadScenarioFile(dir.Write("m.ini", "base = missing.ini\n"));
            }).find("missing.ini"),
            std::string::npos);
}

TEST(Scenario, InfeasibleDesignSpaceNamesTheKeys) {
  const std::string e =
      ErrorOf([] { FromText("[design_space]\nmin_layers = 3\nmax_layers = 2\n"); });
  EXPECT_NE(e.find("design_space.max_layers"), std::string::npos) << e;
  const std::string t = ErrorOf([] {
    FromText("[design_space]\nmin_layer_thickness_um = 50\nmax_total_thickness_um = 40\n");
  });
  EXPECT_NE(t.find("design_space.max_total_thickness_um"), std::string::npos) << t;
}

// A grid value that would make a scenario's folder name pass the file system's limit gives a
// shortened, still unique name (hardening round three: it was "filesystem error", exit 4).
TEST(Sweep, LongGridNamesStayBelowTheFileNameLimit) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("edopt_grid_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string designs;  // 40 designs: the name would be ~300 bytes
  for (int i = 0; i < 40; ++i)
    designs += std::string(i ? ";" : "") + "6:4@" + std::to_string(30 + i);
  const std::string grid = "base = builtin\n[axes]\ntest.reference_designs = \"" + designs +
                           "\", \"" + designs + ";6:4@99\"\n";
  const auto path = (dir / "long.grid").string();
  { std::ofstream(path) << grid; }
  const auto scenarios = ExpandGrid(path);
  ASSERT_EQ(scenarios.size(), 2u);
  EXPECT_LE(scenarios[0].name.size(), 200u);
  EXPECT_EQ(scenarios[0].name.substr(scenarios[0].name.size() - 19, 3), "__h");
  EXPECT_NE(scenarios[0].name, scenarios[1].name);
  EXPECT_EQ(scenarios[0].name, ExpandGrid(path)[0].name);  // stable
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace edopt
