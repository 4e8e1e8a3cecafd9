// The formats library's shared pieces and its writers: every writer's output reads back through
// its reader to the same data (round trips), and the one field splitter and number parser behave
// the same for every format.
#include <gtest/gtest.h>

#include <algorithm>

#include "formats/fields.h"
#include "formats/fragment.h"
#include "formats/grid_file.h"
#include "formats/posterior_file.h"
#include "formats/rate_table.h"
#include "formats/scenario.h"
#include "formats/sweep_status.h"
#include "models/errors.h"

namespace edopt {
namespace {

TEST(Fields, QuotedFieldsDelimitersAndDecimalCommas) {
  EXPECT_EQ(SplitFields("a, \"b,c\" ,\"d\"\"e\",", ','),
            (std::vector<std::string>{"a", "b,c", "d\"e", ""}));
  EXPECT_EQ(SplitFields("Z\"/ohm,x", ','), (std::vector<std::string>{"Z\"/ohm", "x"}));
  EXPECT_EQ(SplitFields("  1  2\t3 ", ' '), (std::vector<std::string>{"1", "2", "3"}));
  EXPECT_EQ(DetectDelimiter("1,5\t2,5"), '\t');
  EXPECT_EQ(DetectDelimiter("1,5;2,5"), ';');
  EXPECT_EQ(DetectDelimiter("\"9,0e+04\",\"5,0\""), ',');
  EXPECT_EQ(DetectDelimiter("1 2 3"), ' ');
  double v = 0;
  EXPECT_TRUE(ParseLabNumber("1,5", true, &v));
  EXPECT_DOUBLE_EQ(v, 1.5);
  EXPECT_TRUE(ParseLabNumber(" \"2,5\" ", false, &v));  // no point: a decimal comma
  EXPECT_DOUBLE_EQ(v, 2.5);
  EXPECT_FALSE(ParseLabNumber("1,000.5", false, &v));  // a thousands separator is not read
  EXPECT_FALSE(ParseLabNumber("nan", true, &v));
  EXPECT_FALSE(ParseLabNumber("1e999", true, &v));
  EXPECT_FALSE(ParseLabNumber("", true, &v));
  EXPECT_EQ(SplitLines("a\r\nb\n\nc"), (std::vector<std::string>{"a", "b", "", "c"}));
}

TEST(Fields, NumberFieldNamesPlaceFieldAndValue) {
  EXPECT_DOUBLE_EQ(NumberField(" 3.5 ", "f.csv:2", "c_rate"), 3.5);
  try {
    NumberField("0.3x", "f.csv:7", "c_rate");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "f.csv:7: field c_rate = '0.3x' is not a finite number");
  }
  EXPECT_THROW(NumberField("inf", "f.csv:7", "c_rate"), InputError);
}

TEST(Fragment, ReadsBackToTheSameKeysAndValues) {
  ScenarioFragment f;
  f.header = "edopt calibrate rates\nsecond line";
  f.base = "builtin";
  f.lines = {{"transport", "resistivity_factor", "1.25", "fitted 1.25 +- 0.1"},
             {"kinetics", "", "", "a note\nin two lines"},
             {"kinetics", "solid_diffusivity_m2_s", "3.5e-14", ""},
             {"calibration", "posterior_file", "", "cleared"}};
  const std::string text = FormatFragment(f);
  const RawScenario raw = ReadScenarioText(text, "fragment.ini", ".");
  EXPECT_EQ(Trim(raw.at("transport.resistivity_factor").value), "1.25");
  EXPECT_EQ(Trim(raw.at("kinetics.solid_diffusivity_m2_s").value), "3.5e-14");
  EXPECT_EQ(Trim(raw.at("calibration.posterior_file").value), "");  // clears the base's
  EXPECT_EQ(BuildScenario(raw, "fragment.ini").posterior_file, "");
  // What the reader would cut or misread is refused, naming it.
  for (const std::string bad : {"my#run.csv", "a\nb", " padded"}) {
    ScenarioFragment g = f;
    g.lines = {{"calibration", "posterior_file", bad, ""}};
    EXPECT_THROW(FormatFragment(g), ConfigError) << bad;
  }
  ScenarioFragment g = f;
  g.base = "/data/run#3/scenario.ini";
  EXPECT_THROW(FormatFragment(g), ConfigError);
}

TEST(RateTable, WrittenTableReadsBackToTheSamePoints) {
  std::vector<RatePoint> points(3);
  points[0].design = ParseDesign("5:5@33,6:4@33,7:3@33");
  points[0].c_rate = 0.3;
  points[0].measured_utilization = 0.41;
  points[1].design = ParseDesign("0.6@63.5");
  points[1].c_rate = 1.0 / 3.0;
  points[1].measured_utilization = 0.123456789;
  points[1].theoretical_capacity_C_m2 = 2.7 * 3.6e4;
  points[1].resistivity_factor = 1.7;
  points[2].design = ParseDesign("8:2@150");
  points[2].c_rate = 0.1;
  points[2].measured_utilization = 0.9;
  points[2].r_ion_ohm = 12.5;
  points[2].area_m2 = 1.327e-4;
  points[2].temperature_K = 333.15;
  const auto back = ParseRateTable(FormatLabTable({points, {}}), "t.csv");
  ASSERT_EQ(back.size(), points.size());
  for (size_t i = 0; i < points.size(); ++i) {
    EXPECT_EQ(FormatDesign(back[i].design), FormatDesign(points[i].design));
    EXPECT_NEAR(back[i].c_rate, points[i].c_rate, 1e-9 * points[i].c_rate);
    EXPECT_NEAR(back[i].measured_utilization, points[i].measured_utilization, 1e-9);
    EXPECT_NEAR(back[i].theoretical_capacity_C_m2, points[i].theoretical_capacity_C_m2, 1e-3);
    EXPECT_NEAR(back[i].resistivity_factor, points[i].resistivity_factor, 1e-9);
    EXPECT_NEAR(back[i].r_ion_ohm, points[i].r_ion_ohm, 1e-9);
    EXPECT_NEAR(back[i].area_m2, points[i].area_m2, 1e-15);
    EXPECT_NEAR(back[i].temperature_K, points[i].temperature_K, 1e-9);
    EXPECT_EQ(back[i].origin, "t.csv:" + std::to_string(i + 2));
  }
}

TEST(LabTable, SymmetricCellsBesideRateTests) {
  LabTable table;
  table.rate_tests.resize(1);
  table.rate_tests[0].design = ParseDesign("6:4@63");
  table.rate_tests[0].c_rate = 0.3;
  table.rate_tests[0].measured_utilization = 0.7;
  table.symmetric_cells.resize(2);
  table.symmetric_cells[0].design = ParseDesign("8:2@100");
  table.symmetric_cells[0].r_ion_ohm = 1234.5;
  table.symmetric_cells[0].r_ion_se_ohm = 50;
  table.symmetric_cells[0].area_m2 = 1.327e-4;
  table.symmetric_cells[1].design = ParseDesign("6:4@33");
  table.symmetric_cells[1].r_ion_ohm = 133;
  table.symmetric_cells[1].area_m2 = 1.327e-4;
  table.symmetric_cells[1].temperature_K = 298.15;
  const std::string text = FormatLabTable(table);
  const LabTable back = ParseLabTable(text, "lab.csv");
  ASSERT_EQ(back.rate_tests.size(), 1u);
  ASSERT_EQ(back.symmetric_cells.size(), 2u);
  EXPECT_NEAR(back.rate_tests[0].measured_utilization, 0.7, 1e-12);
  for (size_t i = 0; i < 2; ++i) {
    const auto& a = table.symmetric_cells[i];
    const auto& b = back.symmetric_cells[i];
    EXPECT_EQ(FormatDesign(b.design), FormatDesign(a.design));
    EXPECT_NEAR(b.r_ion_ohm, a.r_ion_ohm, 1e-9);
    EXPECT_NEAR(b.r_ion_se_ohm, a.r_ion_se_ohm, 1e-9);
    EXPECT_NEAR(b.area_m2, a.area_m2, 1e-15);
    EXPECT_NEAR(b.temperature_K, a.temperature_K, 1e-9);
  }
  EXPECT_EQ(back.symmetric_cells[1].origin, "lab.csv:4");
  // A symmetric cell cannot carry a rate test's fields, nor miss its resistance.
  EXPECT_THROW(
      ParseLabTable("kind,design,c_rate,r_ion_ohm,area_cm2\nsymmetric_cell,6:4@63,0.3,100,1.3\n",
                    "x.csv"),
      InputError);
  EXPECT_THROW(ParseLabTable("kind,design,area_cm2\nsymmetric_cell,6:4@63,1.3\n", "x.csv"),
               InputError);
  EXPECT_THROW(ParseLabTable("kind,design,c_rate,utilization\nrate,6:4@63,0.3,0.5\n", "x.csv"),
               InputError);
}

// Hardening round three: a table that contradicts itself, or holds values no cell has, is
// refused naming file:line, field and value.
// The anode-era column name reads as the new one, with one note naming both; the points are the
// same as under the new name. Both names at once: the new one is read, no note.
TEST(LabTable, OldColumnNameReadsWithANote) {
  const std::string rows = ",thickness_um,c_rate,utilization\n0.6,33,0.1,0.99\n0.7,63,0.3,0.8\n";
  const LabTable now = ParseLabTable("active_wt_fraction" + rows, "new.csv");
  const LabTable old = ParseLabTable("ng_wt_fraction" + rows, "old.csv");
  EXPECT_TRUE(now.notes.empty());
  ASSERT_EQ(old.notes.size(), 1u);
  EXPECT_NE(old.notes[0].find("old.csv:1: column ng_wt_fraction is deprecated: it is now "
                              "active_wt_fraction"),
            std::string::npos);
  ASSERT_EQ(old.rate_tests.size(), now.rate_tests.size());
  for (size_t i = 0; i < now.rate_tests.size(); ++i) {
    EXPECT_EQ(FormatDesign(old.rate_tests[i].design), FormatDesign(now.rate_tests[i].design));
    EXPECT_EQ(old.rate_tests[i].measured_utilization, now.rate_tests[i].measured_utilization);
  }
  const LabTable both = ParseLabTable(
      "ng_wt_fraction,active_wt_fraction,thickness_um,c_rate,utilization\n0.1,0.6,33,0.1,0.99\n",
      "both.csv");
  EXPECT_TRUE(both.notes.empty());
  EXPECT_DOUBLE_EQ(both.rate_tests[0].design.layers[0].active_weight_fraction, 0.6);
}

// A table a spreadsheet saved in a European locale (';' or tab, decimal commas; designs with
// commas quoted or not needed) reads as the comma-separated one, line numbers kept (issue 38).
TEST(LabTable, SemicolonAndTabTablesWithDecimalCommas) {
  const std::string comma =
      "kind,design,c_rate,utilization,r_ion_ohm,area_cm2\n"
      "rate_test,\"55:45@30,65:35@30\",0.3,0.81,,\n"
      "rate_test,60:40@63,0.1,0.93,,\n"
      "symmetric_cell,60:40@63,,,120.5,1.327\n";
  const std::string semicolon =
      "kind;design;c_rate;utilization;r_ion_ohm;area_cm2\r\n"
      "rate_test;\"55:45@30,65:35@30\";0,3;0,81;;\r\n"
      "rate_test;60:40@63;0,1;0,93;;\r\n"
      "symmetric_cell;60:40@63;;;120,5;1,327\r\n";
  std::string tab = semicolon;
  std::replace(tab.begin(), tab.end(), ';', '\t');
  const LabTable a = ParseLabTable(comma, "comma.csv");
  for (const auto& [text, name] :
       {std::pair{semicolon, "semicolon.csv"}, std::pair{tab, "tab.tsv"}}) {
    const LabTable b = ParseLabTable(text, name);
    ASSERT_EQ(b.rate_tests.size(), a.rate_tests.size()) << name;
    ASSERT_EQ(b.symmetric_cells.size(), a.symmetric_cells.size()) << name;
    for (size_t i = 0; i < a.rate_tests.size(); ++i) {
      EXPECT_EQ(FormatDesign(b.rate_tests[i].design), FormatDesign(a.rate_tests[i].design));
      EXPECT_EQ(b.rate_tests[i].c_rate, a.rate_tests[i].c_rate);
      EXPECT_EQ(b.rate_tests[i].measured_utilization, a.rate_tests[i].measured_utilization);
      EXPECT_EQ(b.rate_tests[i].origin, std::string(name) + ":" + std::to_string(i + 2));
    }
    EXPECT_EQ(b.symmetric_cells[0].r_ion_ohm, 120.5);
    EXPECT_NEAR(b.symmetric_cells[0].area_m2, 1.327e-4, 1e-15);
  }
  // A bad value still names its line and field.
  try {
    ParseLabTable("design;c_rate;utilization\n60:40@63;0,1;x\n", "bad.csv");
    ADD_FAILURE() << "accepted utilization x";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("bad.csv:2"), std::string::npos) << e.what();
  }
}

TEST(LabTable, ContradictionsAndImplausibleValuesAreRefused) {
  const std::string header =
      "design,active_wt_fraction,thickness_um,c_rate,utilization,delivered_capacity_mAh_cm2,"
      "theoretical_capacity_mAh_cm2,r_ion_ohm,area_cm2\n";
  auto refused = [&](const std::string& row, const std::string& words) {
    try {
      ParseLabTable(header + row + "\n", "t.csv");
      ADD_FAILURE() << row << ": accepted";
    } catch (const InputError& e) {
      const std::string m = e.what();
      EXPECT_NE(m.find("t.csv:2"), std::string::npos) << m;
      EXPECT_NE(m.find(words), std::string::npos) << m;
    }
  };
  refused("6:4@33,,,0.3,0.994,0.2,1.69,,", "disagrees with delivered / theoretical");
  refused("6:4@33,0.7,33,0.3,0.5,,,,", "disagrees with active_wt_fraction");
  refused("6:4@33,,,0.3,0.5,,,,1.327", "area_cm2 without r_ion_ohm");
  refused("6:4@33,,,0.3,0.5,,,100,-1", "area_cm2 = '-1' is out of range");
  refused("6:4@33,,,0.3,0.5,,,100,1e300", "area_cm2 = '1e300' is out of range");
  refused("6:4@33,,,0.3,1.04,,,,", "utilization = '1.04' is out of range");
  refused("6:4@33,,,200,0.5,,,,", "c_rate = '200' is out of range");
  refused("6:4@33,,,1e9,0.5,,,,", "c_rate = '1e9' is out of range");
  refused("6:4@33,,,0.3,0.5,,,0,1.3", "r_ion_ohm = '0' is out of range");
  // The same electrode described twice, a utilization within a weighing error of 1, and the
  // two measures of it agreeing: accepted.
  const auto t = ParseLabTable(header + "6:4@33,0.6,33,0.3,1.01,1.7,1.69,,\n", "t.csv");
  ASSERT_EQ(t.rate_tests.size(), 1u);
  EXPECT_DOUBLE_EQ(t.rate_tests[0].measured_utilization, 1.01);
}

TEST(PosteriorFile, WrittenSampleReadsBackToTheSameDraws) {
  PosteriorSample sample;
  sample.keys = {"transport.activation_energy_kJ_mol", "kinetics.solid_diffusivity_m2_s"};
  sample.values = {{16.4005, 3.1e-14}, {17.00125, 2.9e-14}, {15.999, 3.3e-14}};
  sample.noise_pp = {2.5, 3.0, 2.75};
  for (const bool density : {false, true}) {
    const std::string text = FormatPosteriorSample(
        sample, density ? std::vector<double>{-1, -2, -3} : std::vector<double>{});
    EXPECT_EQ(text.find("log_posterior") != std::string::npos, density);
    const PosteriorSample back = ParsePosteriorSample(text, "p.csv");
    EXPECT_EQ(back.keys, sample.keys);
    EXPECT_EQ(back.values, sample.values);
    EXPECT_EQ(back.noise_pp, sample.noise_pp);
  }
  // With the sampler's walkers: every draw carries its walker and kept step (issue 36), and the
  // ids read back; a non-integer id is refused.
  const std::string chained = FormatPosteriorSample(sample, {}, 2);
  EXPECT_EQ(chained.rfind("walker,step,", 0), 0u);
  const PosteriorSample ids = ParsePosteriorSample(chained, "p.csv");
  EXPECT_EQ(ids.values, sample.values);
  EXPECT_EQ(ids.walker, (std::vector<int>{1, 2, 1}));
  EXPECT_EQ(ids.step, (std::vector<int>{1, 1, 2}));
  std::string bad = chained;
  bad.replace(bad.find("\n1,1,") + 1, 1, "0.5");
  EXPECT_THROW(ParsePosteriorSample(bad, "p.csv"), InputError);
  // A column given twice would silently win: refused.
  EXPECT_THROW(ParsePosteriorSample("transport.percolation_threshold,noise_pp,"
                                    "transport.percolation_threshold\n0.2,3,0.1\n0.2,3,0.1\n",
                                    "dup.csv"),
               InputError);
}

TEST(SweepStatus, WrittenStatusReadsBack) {
  ScenarioStatus s;
  s.name = "nightly__resistivity_factor-0.5";
  s.status = "failed";
  s.hypervolume_mAh_cm2 = 4.123456789;
  s.front_size = 17;
  s.evaluations = 4000;
  s.seconds = 4.25;
  s.knee = "6:4@63";
  s.bands = {"capacity>=4: 6:4@63 (0.5)", "capacity>=5: 5:5@80 (0.4)"};
  s.error = "line one\nline two";
  const ScenarioStatus back = ParseStatus(FormatStatus(s), "status.txt");
  EXPECT_EQ(back.name, s.name);
  EXPECT_EQ(back.status, s.status);
  EXPECT_DOUBLE_EQ(back.hypervolume_mAh_cm2, s.hypervolume_mAh_cm2);
  EXPECT_EQ(back.front_size, s.front_size);
  EXPECT_EQ(back.evaluations, s.evaluations);
  EXPECT_DOUBLE_EQ(back.seconds, s.seconds);
  EXPECT_EQ(back.bands, s.bands);
  EXPECT_EQ(back.error, "line one line two");
  EXPECT_THROW(ParseStatus("status=ok\nfront_size=1.5\n", "s.txt"), InputError);
}

TEST(GridFile, AxesFixedKeysAndErrors) {
  const GridFile g = ParseGridFile(
      "base = builtin # the seed\n[axes]\ntransport.resistivity_factor = 0.5, 1, 2\n"
      "test.reference_designs = \"6:4@63\", \"5:5@33,6:4@33\"\n[set]\nsearch.evaluations = 200\n",
      "n.grid");
  EXPECT_EQ(g.base, "builtin");
  ASSERT_EQ(g.axes.size(), 2u);
  EXPECT_EQ(g.axes[0].second, (std::vector<std::string>{"0.5", "1", "2"}));
  EXPECT_EQ(g.axes[1].second, (std::vector<std::string>{"6:4@63", "5:5@33,6:4@33"}));
  EXPECT_EQ(g.axis_origins[1], "n.grid:4");
  EXPECT_EQ(g.fixed, (std::vector<std::string>{"search.evaluations=200"}));
  EXPECT_THROW(ParseGridFile("[axes]\na.b = 1,,2\n", "e.grid"), ConfigError);
  EXPECT_THROW(ParseGridFile("[axes]\na.b = 1\na.b = 2\n", "e.grid"), ConfigError);
  EXPECT_THROW(ParseGridFile("[other]\n", "e.grid"), ConfigError);
  EXPECT_THROW(ParseGridFile("base = builtin\n", "e.grid"), ConfigError);
}

}  // namespace
}  // namespace edopt
