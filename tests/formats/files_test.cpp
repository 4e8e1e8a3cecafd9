#include "formats/files.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "formats/ocp_table.h"
#include "formats/posterior_file.h"
#include "formats/rate_table.h"
#include "models/errors.h"

namespace edopt {
namespace {

namespace fs = std::filesystem;

std::string Temp(const std::string& name, const std::string& text) {
  const auto path = fs::temp_directory_path() / ("edopt_df_" + std::to_string(::getpid()) + name);
  std::ofstream(path) << text;
  return path.string();
}

TEST(DataFiles, OcpTableWithAndWithoutHeader) {
  const auto with =
      ReadOcpTable(Temp("a.csv", "stoichiometry,voltage_V\n0.0,1.0\n0.5,0.1\n1.0,0.08\n"));
  EXPECT_EQ(with.first.size(), 3u);
  EXPECT_DOUBLE_EQ(with.second[1], 0.1);
  const auto without = ReadOcpTable(Temp("b.csv", "0.0,1.0\n1.0,0.08\n"));
  EXPECT_EQ(without.first.size(), 2u);
}

TEST(DataFiles, OcpTableErrorsNameFileAndLine) {
  try {
    ReadOcpTable(Temp("c.csv", "stoichiometry,voltage_V\n0.0,1.0\n0.5,abc\n"));
    FAIL();
  } catch (const InputError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("c.csv:3"), std::string::npos) << m;
    EXPECT_NE(m.find("voltage_V"), std::string::npos) << m;
  }
  EXPECT_THROW(ReadOcpTable(Temp("d.csv", "stoichiometry,voltage_V\n")), InputError);
  EXPECT_THROW(ReadOcpTable(Temp("e.csv", "x,y\n0,1\n1,0\n")), InputError);
  EXPECT_THROW(ReadOcpTable("/nonexistent/ocp.csv"), InputError);
  EXPECT_THROW(ReadOcpTable(Temp("f.csv", "0.5,1\n0.2,0.5\n")), InputError);
}

// The posterior sample of calibrate rates --posterior: keys, noise, draws; every bad input names
// file, line, field and value.
TEST(DataFiles, PosteriorSampleRoundTripAndErrors) {
  const std::string good =
      "transport.activation_energy_kJ_mol,kinetics.solid_diffusivity_m2_s,noise_pp,"
      "log_posterior\r\n16.5,4.5e-16,3.1,12.0\r\n15.2,5e-16,2.9,11.5\r\n";
  const auto sample = ReadPosteriorSample(Temp("post.csv", good));
  ASSERT_EQ(sample.keys.size(), 2u);
  EXPECT_EQ(sample.keys[1], "kinetics.solid_diffusivity_m2_s");
  ASSERT_EQ(sample.values.size(), 2u);
  EXPECT_DOUBLE_EQ(sample.values[1][1], 5e-16);
  EXPECT_DOUBLE_EQ(sample.noise_pp[0], 3.1);
  auto error = [](const std::string& text) {
    try {
      ParsePosteriorSample(text, "p.csv");
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(error("kinetics.bogus,noise_pp\n1,2\n3,4\n").find("p.csv:1: column 'kinetics.bogus'"),
            std::string::npos);
  EXPECT_NE(
      error("kinetics.solid_diffusivity_m2_s\n1e-15\n2e-15\n").find("missing column 'noise_pp'"),
      std::string::npos);
  EXPECT_NE(error("kinetics.solid_diffusivity_m2_s,noise_pp\n1e-15,2\nx,2\n")
                .find("p.csv:3: field kinetics.solid_diffusivity_m2_s = 'x'"),
            std::string::npos);
  EXPECT_NE(
      error("kinetics.solid_diffusivity_m2_s,noise_pp\n1e-15,2\n-1e-15,2\n").find("out of range"),
      std::string::npos);
  EXPECT_NE(error("kinetics.solid_diffusivity_m2_s,noise_pp\n1e-15,2\n1e-15,0\n")
                .find("p.csv:3: field noise_pp must be > 0"),
            std::string::npos);
  EXPECT_NE(error("kinetics.solid_diffusivity_m2_s,noise_pp\n1e-15,2\n").find("at least 2"),
            std::string::npos);
  EXPECT_NE(error("kinetics.solid_diffusivity_m2_s,noise_pp\n1e-15,2,3\n1e-15,2\n")
                .find("p.csv:2: 3 fields, expected 2"),
            std::string::npos);
  EXPECT_NE(error("").find("empty"), std::string::npos);
}

// Rate rows from any cell: design, per-cell resistivity or R_ion with area, temperature; the
// errors name the row.
TEST(DataFiles, RateTableWithPerCellConditions) {
  const auto points = ReadRateTable(
      Temp("rates.csv",
           "design,c_rate,utilization,r_ion_ohm,area_cm2,temperature_C,resistivity_factor\n"
           "\"5:5@33,6:4@33,7:3@33\",0.3,0.45,,,,\n"
           "6:4@63,0.3,0.20,1030,1.327,60,\n"
           "6:4@63,0.1,0.60,,,25,3.96\n"));
  ASSERT_EQ(points.size(), 3u);
  EXPECT_EQ(points[0].design.layers.size(), 3u);
  EXPECT_EQ(points[0].r_ion_ohm, 0.0);
  EXPECT_DOUBLE_EQ(points[1].r_ion_ohm, 1030.0);
  EXPECT_NEAR(points[1].area_m2, 1.327e-4, 1e-15);
  EXPECT_NEAR(points[1].temperature_K, 333.15, 1e-9);
  EXPECT_DOUBLE_EQ(points[2].resistivity_factor, 3.96);
  auto error = [](const std::string& text) {
    try {
      ReadRateTable(Temp("bad_rates.csv", text));
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(error("design,c_rate,utilization,r_ion_ohm\n6:4@63,0.3,0.2,1030\n")
                .find("bad_rates.csv:2: r_ion_ohm needs the cell's area_cm2"),
            std::string::npos);
  EXPECT_NE(error("design,c_rate,utilization,r_ion_ohm,area_cm2,resistivity_factor\n"
                  "6:4@63,0.3,0.2,1030,1.3,2\n")
                .find("not both"),
            std::string::npos);
  EXPECT_NE(
      error("design,c_rate,utilization,temperature_C\n6:4@63,0.3,0.2,900\n").find("temperature_C"),
      std::string::npos);
}

TEST(DataFiles, AtomicWriteReplacesWholeFilesOnly) {
  const auto dir = fs::temp_directory_path() / ("edopt_atomic_" + std::to_string(::getpid()));
  const auto path = (dir / "sub" / "out.csv").string();
  WriteFileAtomically(path, "a,b\n1,2\n");
  WriteFileAtomically(path, "a,b\n3,4\n");
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_EQ(ss.str(), "a,b\n3,4\n");
  int files = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir / "sub")) ++files;
  EXPECT_EQ(files, 1);  // no temporary left behind
  fs::remove_all(dir);
}

// Long but valid names (up to the 255-byte limit) are written: the temporary name beside them
// is cut short, not grown past the limit (hardening round three).
TEST(DataFiles, AtomicWritesOfNamesNearTheLengthLimit) {
  const auto dir = fs::temp_directory_path() / ("edopt_long_" + std::to_string(::getpid()));
  for (size_t length : {200u, 245u, 250u, 255u}) {
    const std::string name = std::string(length - 4, 'n') + ".csv";
    WriteFileAtomically((dir / name).string(), "x\n");
    EXPECT_TRUE(fs::exists(dir / name)) << length;
    const std::string folder = std::string(length, 'f');
    WriteFilesAtomically((dir / folder).string(), {{"a.txt", "a"}, {"b.txt", "b"}});
    EXPECT_TRUE(fs::exists(dir / folder / "b.txt")) << length;
  }
  int entries = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir)) ++entries;
  EXPECT_EQ(entries, 8);  // the results, no temporaries
  fs::remove_all(dir);
}

}  // namespace
}  // namespace edopt
