// Fuzz targets, one per reader (issue 23): spectra as text, as BioLogic .mpr and as the
// instrument exports of issue 38 (.P00, .pssession, ZPlotW, Z60W), scenarios,
// rate and lab tables, posterior samples, grid files, OCP tables, sweep status files. Each
// target mutates valid seed files with a fixed-seed generator (bit flips, special bytes,
// deleted, duplicated and spliced ranges, truncation, numbers replaced by extremes, lying
// 32-bit counts) and feeds every input to the reader, which must return or throw edopt's
// InputError or ConfigError: any other exception fails the test, and a crash, an
// out-of-bounds read or undefined behaviour fails it under the AddressSanitizer +
// UndefinedBehaviorSanitizer build that CI runs. EDOPT_FUZZ_INPUTS sets the inputs per target
// (default 1000; the readers built on fast-cpp-csv-parser, whose every parse allocates a 16 MiB
// buffer that the sanitizer poisons, take half as many; the closing note of issue 23 reports
// longer runs).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <sstream>

#include "../models/impedance_test.h"
#include "formats/cycler.h"
#include "formats/files.h"
#include "formats/grid_file.h"
#include "formats/ocp_table.h"
#include "formats/posterior_file.h"
#include "formats/rate_table.h"
#include "formats/scenario.h"
#include "formats/spectrum.h"
#include "formats/sweep_status.h"
#include "models/errors.h"
#include "mpr_fixture.h"

namespace edopt {
namespace {

namespace fs = std::filesystem;

int Inputs() {
  const char* env = std::getenv("EDOPT_FUZZ_INPUTS");
  return env ? std::max(1, std::atoi(env)) : 1000;
}

std::string ReadSource(const std::string& relative) {
  std::ifstream in(std::string(EDOPT_SOURCE_DIR) + "/" + relative, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_FALSE(ss.str().empty()) << relative;
  return ss.str();
}

class Mutator {
 public:
  explicit Mutator(uint64_t seed) : rng_(seed) {}

  std::string Mutate(const std::vector<std::string>& seeds) {
    std::string s = seeds[Below(seeds.size())];
    const size_t rounds = 1 + Below(4);
    for (size_t r = 0; r < rounds; ++r) Once(&s, seeds);
    return s;
  }

 private:
  size_t Below(size_t n) {
    return n == 0 ? 0 : std::uniform_int_distribution<size_t>(0, n - 1)(rng_);
  }

  void Once(std::string* s, const std::vector<std::string>& seeds) {
    static const char kBytes[] = {'\0', '\xFF', '\n', '\r', ',', ';', '\t', '"', '#', '=',   '-',
                                  '.',  'e',    '[',  ']',  ' ', '@', ':',  'E', '+', '\x1a'};
    static const char* kNumbers[] = {
        "nan", "inf", "-inf", "1e308", "-1e308",     "1e-320", "0",          "-0",  "1e999",
        "",    "1e",  "--1",  "0x10",  "4294967295", "-1",     "2147483648", "1,5", "9e9"};
    const size_t n = s->size();
    switch (Below(8)) {
      case 0:  // flip a bit
        if (n) (*s)[Below(n)] ^= static_cast<char>(1 << Below(8));
        break;
      case 1:  // a special byte
        if (n) (*s)[Below(n)] = kBytes[Below(sizeof kBytes)];
        break;
      case 2: {  // delete a range
        if (!n) break;
        const size_t at = Below(n);
        s->erase(at, 1 + Below(std::min<size_t>(64, n - at)));
        break;
      }
      case 3: {  // duplicate a range
        if (!n) break;
        const size_t at = Below(n), len = 1 + Below(std::min<size_t>(256, n - at));
        s->insert(Below(n + 1), s->substr(at, len));
        break;
      }
      case 4:  // truncate
        s->resize(Below(n + 1));
        break;
      case 5: {  // a number replaced by an extreme
        if (!n) break;
        size_t at = Below(n);
        while (at < n && !std::isdigit(static_cast<unsigned char>((*s)[at]))) ++at;
        size_t end = at;
        while (end < n && (std::isdigit(static_cast<unsigned char>((*s)[end])) ||
                           (*s)[end] == '.' || (*s)[end] == 'e' || (*s)[end] == '-'))
          ++end;
        s->replace(at, end - at, kNumbers[Below(sizeof kNumbers / sizeof *kNumbers)]);
        break;
      }
      case 6: {  // a lying 32-bit count (binary formats)
        if (n < 4) break;
        static const uint32_t kCounts[] = {0, 1, 2, 255, 256, 65535, 0x7FFFFFFF, 0xFFFFFFFF};
        const uint32_t v = kCounts[Below(8)];
        s->replace(Below(n - 3), 4, reinterpret_cast<const char*>(&v), 4);
        break;
      }
      default: {  // splice with another seed
        const std::string& other = seeds[Below(seeds.size())];
        if (other.empty()) break;
        const size_t cut = Below(n + 1), from = Below(other.size());
        *s = s->substr(0, cut) + other.substr(from);
        break;
      }
    }
  }

  std::mt19937_64 rng_;
};

// Runs the reader on every input; counts the inputs read and refused; fails on anything else.
void Fuzz(const char* target, uint64_t seed, const std::vector<std::string>& seeds,
          const std::function<void(const std::string&)>& reader, double share = 1.0) {
  for (const auto& s : seeds) {
    ASSERT_NO_THROW(reader(s)) << target << ": a seed input must be valid";
  }
  Mutator mutator(seed);
  int read = 0, refused = 0;
  const int n = std::max(1, static_cast<int>(share * Inputs()));
  for (int i = 0; i < n; ++i) {
    const std::string input = mutator.Mutate(seeds);
    try {
      reader(input);
      ++read;
    } catch (const InputError&) {
      ++refused;
    } catch (const ConfigError&) {
      ++refused;
    } catch (const std::exception& e) {
      ADD_FAILURE() << target << " input " << i << ": unexpected " << typeid(e).name() << ": "
                    << e.what();
    }
  }
  std::cout << target << ": " << n << " inputs, " << read << " read, " << refused
            << " refused with a message\n";
}

TEST(Fuzz, SpectrumText) {
  Fuzz("spectrum text", 1,
       {ReadSource("tests/data/eis_33um.csv"), ReadSource("tests/data/eis_63um.mpt"),
        ReadSource("tests/data/eis_103um.DTA")},
       [](const std::string& text) { ParseSpectrumText(text, "fuzz.txt"); });
}

// The instrument exports of issue 38: ZPlotW without comments, the Z60W export, Eco Chemie
// .P00 (text) and PalmSens .pssession (UTF-16 JSON), synthetic spectra in those layouts.
TEST(Fuzz, SpectrumInstrumentExports) {
  Fuzz(
      "spectrum exports", 5,
      {ReadSource("tests/data/eis_zplotw_nocomments.z"), ReadSource("tests/data/eis_nova_z60w.z"),
       ReadSource("tests/data/eis_ecochemie.P00"), ReadSource("tests/data/eis_palmsens.pssession")},
      [](const std::string& bytes) { ParseSpectrumBytes(bytes, "fuzz.dat"); });
}

// Cycler exports (issue 37): the five layouts, records to lithiation segments to rows.
TEST(Fuzz, CyclerExports) {
  Fuzz("cycler exports", 6,
       {ReadSource("tests/data/cycler_arbin.csv"), ReadSource("tests/data/cycler_biologic.mpt"),
        ReadSource("tests/data/cycler_maccor.txt"), ReadSource("tests/data/cycler_neware.csv"),
        ReadSource("tests/data/cycler_basytec.txt")},
       [](const std::string& text) {
         const CyclerFile f = ParseCyclerText(text, "fuzz.txt");
         CellParameters cell;
         cell.packing.apparent_density_kg_m3 = 2413.0;
         CyclerRateTests(f, cell, ParseDesign("6:4@63"), 1.327e-4, 0.0, nullptr);
       });
}

TEST(Fuzz, SpectrumBiologicMpr) {
  const Spectrum s = testing::SyntheticSpectrum(testing::SeedLikeCell(260.0, 0.85), 0.005, 3);
  std::vector<std::string> seeds;
  for (bool new_header : {false, true}) {
    for (int version : {0, 2, 3}) seeds.push_back(testing::Mpr(s, new_header, version));
  }
  Fuzz("spectrum .mpr", 2, seeds, [](const std::string& bytes) {
    if (IsBiologicMpr(bytes)) ParseBiologicMpr(bytes, "fuzz.mpr");
  });
}

TEST(Fuzz, Scenario) {
  Fuzz("scenario", 3,
       {BuiltinScenarioText(), ReadSource("scenarios/nightly/seed.ini"),
        "base = builtin\n[transport]\nresistivity_factor = 2\n[test]\nc_rates = 0.1, 0.3\n"},
       [](const std::string& text) {
         BuildScenario(ReadScenarioText(text, "fuzz.ini",
                                        std::string(EDOPT_SOURCE_DIR) + "/scenarios/nightly"),
                       "fuzz.ini");
       });
}

TEST(Fuzz, RateAndLabTables) {
  const std::vector<std::string> seeds = {ReadSource("scenarios/data/seed-uniform-series.csv"),
                                          ReadSource("scenarios/data/seed-lab-table.csv")};
  Fuzz(
      "rate table", 4, seeds, [](const std::string& text) { ParseRateTable(text, "fuzz.csv"); },
      0.5);
  Fuzz(
      "lab table", 5, seeds, [](const std::string& text) { ParseLabTable(text, "fuzz.csv"); }, 0.5);
}

TEST(Fuzz, PosteriorSample) {
  // The built-in sample's header and first 40 draws (the whole file is 118 kB).
  std::istringstream in(BuiltinPosteriorText());
  std::string head, line;
  for (int i = 0; i < 41 && std::getline(in, line); ++i) head += line + "\n";
  Fuzz("posterior", 6, {head},
       [](const std::string& text) { ParsePosteriorSample(text, "fuzz.csv"); });
}

TEST(Fuzz, GridFile) {
  Fuzz("grid", 7,
       {ReadSource("scenarios/nightly/resistivity-temperature.grid"),
        "base = builtin\n[axes]\ntest.reference_designs = \"6:4@63\", \"5:5@30,7:3@30\"\n"},
       [](const std::string& text) { ParseGridFile(text, "fuzz.grid"); });
}

TEST(Fuzz, OcpTableAndStatusFiles) {
  const std::string path =
      (fs::temp_directory_path() / ("edopt_fuzz_ocp_" + std::to_string(::getpid()) + ".csv"))
          .string();
  Fuzz(
      "ocp table", 8,
      {"stoichiometry,voltage_V\n0.0,1.5\n0.2,0.2\n0.5,0.12\n0.8,0.09\n1.0,0.0\n",
       "0,1.2\n0.5,0.1\n1,0.01\n"},
      [&](const std::string& text) {
        std::ofstream(path, std::ios::binary) << text;
        ReadOcpTable(path);
      },
      0.5);
  fs::remove(path);
  ScenarioStatus st;
  st.name = "a";
  st.status = "ok";
  st.knee = "6:4@63";
  st.bands = {"capacity>=2: 6:4@40 (0.8)"};
  st.inputs = {{"a.ini", std::string(64, 'a')}};
  Fuzz("sweep status", 9, {FormatStatus(st)},
       [](const std::string& text) { ParseStatus(text, "status.txt"); });
}

}  // namespace
}  // namespace edopt
