// The parameter catalogue: each entry once, its conversions and ranges, and validation reading
// the same ranges. The scenario reader's round trip of every entry is in
// tests/app/scenario_test.cpp.
#include "models/catalogue.h"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "models/cell_model.h"
#include "models/errors.h"
#include "models/ocp.h"
#include "models/units.h"
#include "test_parameters.h"

namespace edopt {
namespace {

TEST(Catalogue, EveryFieldOnceWithDocumentation) {
  std::set<std::string> keys;
  for (const auto& p : CellCatalogue()) {
    EXPECT_TRUE(keys.insert(p.key).second) << p.key << " twice";
    EXPECT_NE(p.key.find('.'), std::string::npos) << p.key;
    EXPECT_FALSE(p.doc.empty()) << p.key;
    EXPECT_TRUE(p.acts_on_cell) << p.key;
    ASSERT_TRUE(p.get && p.set) << p.key;
    if (p.numeric()) {
      ASSERT_TRUE(p.value && p.assign) << p.key;
    }
  }
}

TEST(Catalogue, DefaultsAreInsideEveryRange) {
  const CellParameters defaults;
  for (const auto& p : CellCatalogue()) {
    if (!p.numeric()) continue;
    EXPECT_TRUE(p.range.Contains(p.value(defaults))) << p.key << " = " << p.value(defaults);
  }
  EXPECT_NO_THROW(defaults.Validate());
}

// Validation reads the catalogue's ranges: a value just outside the range of any entry is
// rejected with the key's name, one just inside is accepted.
TEST(Catalogue, ValidationUsesTheCatalogueRanges) {
  for (const auto& p : CellCatalogue()) {
    if (!p.numeric()) continue;
    CellParameters cell;
    if (std::isfinite(p.range.lo)) {
      const double outside = p.range.lo_open ? p.range.lo : p.range.lo - 1;
      CellParameters bad = cell;
      EXPECT_THROW(p.assign(bad, outside), ConfigError) << p.key;
    }
    const double v = p.value(cell);
    EXPECT_NO_THROW(p.assign(cell, v)) << p.key;
    EXPECT_DOUBLE_EQ(p.value(cell), v) << p.key;
  }
  CellParameters cell;
  cell.kinetics.alpha_anodic = 1.5;
  try {
    cell.Validate();
    FAIL() << "alpha 1.5 accepted";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("kinetics.alpha_anodic = 1.5"), std::string::npos)
        << e.what();
  }
}

TEST(Catalogue, ConvertsScenarioUnitsToSi) {
  CellParameters cell;
  FindCellParameter("kinetics.separator_resistance_ohm_cm2")->assign(cell, 30);
  EXPECT_DOUBLE_EQ(cell.kinetics.separator_resistance_ohm_m2, 30e-4);
  FindCellParameter("test.temperature_C")->set(cell, "25");
  EXPECT_DOUBLE_EQ(cell.protocol.temperature_K, 298.15);
  FindCellParameter("transport.se_conductivity_S_cm")->set(cell, "3.2e-3");
  EXPECT_DOUBLE_EQ(cell.transport.se_conductivity_S_m, 0.32);
  FindCellParameter("materials.active_specific_capacity_mAh_g")->set(cell, "372");
  EXPECT_DOUBLE_EQ(cell.materials.active_specific_capacity_C_kg, 372 * 3.6e3);
  EXPECT_THROW(FindCellParameter("materials.ocp")->set(cell, "LGM50"), ConfigError);
}

TEST(Catalogue, PriorsAndFitBoundsAreConsistent) {
  int with_prior = 0;
  for (const auto& p : CellCatalogue()) {
    if (p.fit.fittable) {
      EXPECT_LT(p.fit.lower, p.fit.upper) << p.key;
      EXPECT_TRUE(p.range.Contains(p.fit.lower) && p.range.Contains(p.fit.upper)) << p.key;
      if (p.fit.log_scale) {
        EXPECT_GT(p.fit.lower, 0) << p.key;
      }
    }
    if (p.prior.kind == PriorKind::kNone) continue;
    ++with_prior;
    EXPECT_FALSE(p.prior.source.empty()) << p.key;
    const auto [lo, hi] = p.prior.Interval95();
    EXPECT_LT(lo, hi) << p.key;
    EXPECT_TRUE(p.range.Contains(lo) && p.range.Contains(hi)) << p.key;
    // A fittable parameter's search box covers the bulk of its prior.
    if (p.fit.fittable) {
      EXPECT_TRUE(p.fit.lower <= lo && hi <= p.fit.upper) << p.key;
    }
  }
  EXPECT_GE(with_prior, 10);
  // Published values (docs/physics.md §9).
  const auto* ea = FindCellParameter("transport.activation_energy_kJ_mol");
  EXPECT_EQ(ea->prior.kind, PriorKind::kUniform);
  EXPECT_DOUBLE_EQ(ea->prior.a, 12);
  EXPECT_DOUBLE_EQ(ea->prior.b, 38);
  // The log-normal interval: median x/÷ exp(1.96 sigma).
  Prior ln{PriorKind::kLogNormal, 20, 0.5, "test"};
  EXPECT_NEAR(ln.Interval95().first * ln.Interval95().second, 400, 1e-9);
  // A published value: inside a uniform range's ends, inside a normal's central 95%.
  EXPECT_TRUE(ea->prior.Admits(12.0));
  EXPECT_TRUE(ea->prior.Admits(38.0));
  EXPECT_FALSE(ea->prior.Admits(11.1));
  EXPECT_TRUE(ln.Admits(20 * std::exp(1.9 * 0.5)));
  EXPECT_FALSE(ln.Admits(20 * std::exp(2.0 * 0.5)));
  EXPECT_TRUE(Prior{}.Admits(-1e300));
}

// The sensitivity key bug of issue 12: the screened keys named a key that did not exist when
// the scenario had no reference resistivity. Every screened key must be a numeric catalogue
// entry, for every conductivity setting.
TEST(Catalogue, ScreenedKeysExistForEverySetting) {
  for (double resistivity : {0.0, 535.0}) {
    for (auto law : {ConductivityLawKind::kPercolation, ConductivityLawKind::kPowerLaw}) {
      CellParameters cell;
      cell.transport.reference_resistivity_ohm_m = resistivity;
      cell.transport.law = law;
      const auto keys = ScreenedKeys(cell);
      EXPECT_GE(keys.size(), 8u);
      for (const auto& k : keys) {
        const auto* p = FindCellParameter(k);
        ASSERT_NE(p, nullptr) << k;
        EXPECT_TRUE(p->numeric()) << k;
        EXPECT_GT(p->value(cell), 0) << k << ": scaling a zero moves nothing";
      }
    }
  }
}

TEST(Catalogue, UnknownKeysSuggestTheNearest) {
  try {
    CellParameterOrThrow("transport.se_conductivity_S_m", "--param");
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("transport.se_conductivity_S_cm"), std::string::npos);
  }
}

TEST(Catalogue, TextParsing) {
  EXPECT_EQ(ParseSeedText("42"), 42u);
  EXPECT_THROW(ParseSeedText("-1"), ConfigError);
  EXPECT_THROW(ParseSeedText("4x"), ConfigError);
  EXPECT_THROW(ParseNumberText("nan"), ConfigError);
  EXPECT_THROW(ParseNumberText("1e999"), ConfigError);
  EXPECT_THROW(ParseNumberText(""), ConfigError);
  EXPECT_DOUBLE_EQ(ParseNumberText(" 2.5 "), 2.5);
  EXPECT_TRUE(ParseBooleanText("yes"));
  EXPECT_THROW(ParseBooleanText("maybe"), ConfigError);
}

// A cathode curve starts where its fit holds: below its window the start is a configuration
// error naming both keys (issue 27).
TEST(Catalogue, CathodeCurvesStartInsideTheirWindow) {
  CellParameters p;
  p.materials.active_material = "custom";  // the curve alone, whatever the material
  p.materials.ocp_model = "NCM811_Chen2020";
  try {
    p.Validate();
    ADD_FAILURE() << "accepted x0 = 0.01 on NCM811";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("test.initial_stoichiometry"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("materials.ocp"), std::string::npos);
  }
  p.protocol.initial_stoichiometry = 0.26;
  p.protocol.cutoff_voltage_V = 2.5;
  EXPECT_NO_THROW(p.Validate());
  // A cutoff more than 1 V below the curve's lowest value (3.34 V at x = 1) is refused, and
  // the counter electrode moves that bound with every voltage.
  p.protocol.cutoff_voltage_V = 2.2;
  EXPECT_THROW(p.Validate(), ConfigError);
  p.protocol.counter_electrode_potential_V = 0.62;
  EXPECT_NO_THROW(p.Validate());
  EXPECT_NEAR(p.LowestCutoff_V(), OcpNcm811Chen2020(1.0) - 0.62 - 1.0, 1e-6);
  p.protocol.counter_electrode_potential_V = 0.0;
  p.protocol.cutoff_voltage_V = 2.5;
  p.materials.ocp_model = "NCM622_Verbrugge2017";
  p.protocol.initial_stoichiometry = 0.05;
  EXPECT_THROW(p.Validate(), ConfigError);
  p.protocol.initial_stoichiometry = 0.13;
  EXPECT_NO_THROW(p.Validate());
}

// A preset material with another material's curve is refused naming both keys (issue 38: NCM811
// on a graphite OCP started at 0.43 V); custom takes any curve.
TEST(Catalogue, PresetMaterialAndCurveAgree) {
  CellParameters p;
  p.materials.active_material = "NCM811";
  p.protocol.initial_stoichiometry = 0.26;
  p.protocol.cutoff_voltage_V = 2.5;
  p.materials.capacity_stoichiometry_span = 0.74;
  try {
    p.Validate();  // graphite's Chen2020 curve
    ADD_FAILURE() << "accepted NCM811 on a graphite curve";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("materials.active_material = NCM811"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("materials.ocp = Chen2020"), std::string::npos);
  }
  p.materials.ocp_model = "NCM811_Chen2020";
  EXPECT_NO_THROW(p.Validate());
  p.materials.active_material = "graphite";
  EXPECT_THROW(p.Validate(), ConfigError);
  p.materials.active_material = "custom";
  EXPECT_NO_THROW(p.Validate());
}

// The capacity window ends at full lithiation or beyond (issue 38): a start and span that end
// before x = 1 would let the discharge, which runs to x = 1, deliver more than the practical
// capacity (utilization 1.44 was seen). At the edge, the slowest discharge delivers at most it.
TEST(Catalogue, CapacityWindowEndsAtFullLithiation) {
  CellParameters p;
  p.protocol.initial_stoichiometry = 0.3;
  p.materials.capacity_stoichiometry_span = 0.5;
  try {
    p.Validate();
    ADD_FAILURE() << "accepted a window ending at x = 0.8";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("test.initial_stoichiometry"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("materials.capacity_stoichiometry_span"),
              std::string::npos);
  }
  p.materials.capacity_stoichiometry_span = 0.7;  // ends exactly at x = 1
  EXPECT_NO_THROW(p.Validate());
  CellParameters seed = testing::CalibratedSeedParameters();
  seed.protocol.initial_stoichiometry = 0.3;
  seed.materials.capacity_stoichiometry_span = 0.7;
  const DischargeResult r = CellModel(seed).Simulate(ParseDesign("6:4@20"), 0.02);
  EXPECT_LE(r.utilization, 1.0);
  EXPECT_GT(r.utilization, 0.9);
}

}  // namespace
}  // namespace edopt
