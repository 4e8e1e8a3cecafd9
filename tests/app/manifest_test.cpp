// Provenance and output atomicity (issue 23): SHA-256 against published test vectors, the record
// of files read and written, manifests naming inputs and outputs by digest, the canonical
// scenario digest, the nightly comparison's cause; writes that fail leave nothing, replacements
// that are never a mix, concurrent writers into one new folder.
#include "formats/manifest.h"

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "app/sweep.h"
#include "formats/digest.h"
#include "formats/files.h"
#include "models/errors.h"

namespace edopt {
namespace {

namespace fs = std::filesystem;

fs::path TempDir(const std::string& name) {
  const auto dir = fs::temp_directory_path() / ("edopt_mf_" + std::to_string(::getpid()) + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

std::string Read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

int Entries(const fs::path& dir) {
  int n = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++n;
  return n;
}

// FIPS 180-2 / NIST test vectors.
TEST(Provenance, Sha256OfPublishedVectors) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(Sha256Hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Provenance, FilesReadAndWrittenAreRecordedByDigest) {
  ForgetFiles();
  const auto dir = TempDir("rec");
  const std::string in = (dir / "in.csv").string(), out = (dir / "out.csv").string();
  std::ofstream(in) << "a,b\n1,2\n";
  EXPECT_EQ(ReadTextFile(in, "test table"), "a,b\n1,2\n");
  WriteFileAtomically(out, "x\n");
  EXPECT_EQ(InputFile(in).sha256, Sha256Hex("a,b\n1,2\n"));
  EXPECT_EQ(InputFile(in).bytes, 8u);
  ASSERT_EQ(OutputFilesWritten().size(), 1u);
  EXPECT_EQ(OutputFilesWritten()[0].sha256, Sha256Hex(Read(out)));
  EXPECT_TRUE(InputFile(out).sha256.empty());  // written, not read
  fs::remove_all(dir);
}

TEST(Provenance, ManifestNamesEveryInputAndOutput) {
  ForgetFiles();
  const auto dir = TempDir("man");
  const std::string scenario_file = (dir / "s.ini").string();
  std::ofstream(scenario_file) << "base = builtin\n[transport]\nresistivity_factor = 2\n";
  const Scenario s = LoadScenario(scenario_file, {});
  const auto j = Manifest(&s, {{"result.csv", "abc"}});
  EXPECT_EQ(j["scenario"]["sha256"], ScenarioDigest(s));
  EXPECT_EQ(j["outputs"][0]["path"], "result.csv");
  EXPECT_EQ(j["outputs"][0]["sha256"], Sha256Hex("abc"));
  std::map<std::string, std::string> inputs;
  for (const auto& i : j["inputs"]) inputs[i["path"]] = i["sha256"];
  EXPECT_EQ(inputs[scenario_file], Sha256Hex(Read(scenario_file)));
  EXPECT_EQ(inputs["builtin:seed-kim-ng-lps.ini"], Sha256Hex(BuiltinScenarioText()));
  EXPECT_EQ(inputs["builtin:seed-kim-ng-lps_posterior.csv"], Sha256Hex(BuiltinPosteriorText()));
  EXPECT_EQ(j["seed"], s.search.seed);
  EXPECT_FALSE(j["git_commit"].get<std::string>().empty());
  EXPECT_TRUE(j["libraries"].contains("openssl"));
  // --json: the command's object with the manifest added.
  const auto with = nlohmann::json::parse(WithManifestJson("{\"a\": 1}", &s, {}));
  EXPECT_EQ(with["a"], 1);
  EXPECT_EQ(with["manifest"]["scenario"]["sha256"], ScenarioDigest(s));
  fs::remove_all(dir);
}

// The canonical digest: equal scenarios written differently digest alike; a changed value does
// not.
TEST(Provenance, ScenarioDigestIsCanonical) {
  const auto dir = TempDir("canon");
  std::ofstream(dir / "a.ini") << "base = builtin\n[transport]\nresistivity_factor = 2\n";
  std::ofstream(dir / "b.ini") << "# the same, written otherwise\nbase=builtin\n\n[transport]\n"
                                  "resistivity_factor=2.000\n";
  std::ofstream(dir / "c.ini") << "base = builtin\n[transport]\nresistivity_factor = 2.5\n";
  const auto digest = [&](const char* f) {
    return ScenarioDigest(LoadScenario((dir / f).string(), {}));
  };
  EXPECT_EQ(digest("a.ini"), digest("b.ini"));
  EXPECT_NE(digest("a.ini"), digest("c.ini"));
  EXPECT_EQ(ScenarioDigest(LoadScenario((dir / "a.ini").string(), {})),
            ScenarioDigest(LoadScenario("", {"transport.resistivity_factor=2"})));
  fs::remove_all(dir);
  // Settings only: the digest is of the values, with no comment (documentation, priors, fit
  // bounds) and no source in what it hashes, so a doc string edit changes nothing.
  Scenario s = LoadScenario("", {});
  const std::string settings = ScenarioSettingsText(s);
  EXPECT_EQ(settings.find('#'), std::string::npos);
  EXPECT_EQ(std::count(settings.begin(), settings.end(), '\n'),
            static_cast<long>(ScenarioKeys().size()));
  s.search.threads = 0;
  EXPECT_EQ(ScenarioDigest(s), Sha256Hex(ScenarioSettingsText(s)));
  s.search.threads = 7;
  s.source = "elsewhere.ini";
  EXPECT_EQ(ScenarioDigest(s), Sha256Hex(settings));
}

TEST(Provenance, NightlyComparisonSaysWhatCameWithAChange) {
  ScenarioStatus before;
  before.name = "a";
  before.status = "ok";
  before.hypervolume_mAh_cm2 = 5;
  before.git_commit = "c1";
  before.scenario_sha256 = "s1";
  before.inputs = {{"nightly/a.ini", "h1"}, {"nightly/base.ini", "h2"}};
  auto cause = [&](const ScenarioStatus& now) { return Compare({before}, {now}, 0.01).at(0); };
  ScenarioStatus same = before;
  EXPECT_EQ(Cause(cause(same)), "neither");
  ScenarioStatus code = before;
  code.git_commit = "c2";
  EXPECT_EQ(Cause(cause(code)), "code");
  ScenarioStatus input = before;
  input.inputs[1].second = "h3";
  input.scenario_sha256 = "s2";
  EXPECT_EQ(Cause(cause(input)), "inputs");
  EXPECT_EQ(cause(input).changed_inputs, std::vector<std::string>{"nightly/base.ini"});
  ScenarioStatus both = input;
  both.git_commit = "c2";
  EXPECT_EQ(Cause(cause(both)), "code and inputs");
  ScenarioStatus set = before;
  set.scenario_sha256 = "s3";  // a --set, no file changed
  EXPECT_EQ(Cause(cause(set)), "inputs");
  // A status file keeps the provenance through its text.
  const ScenarioStatus back = ParseStatus(FormatStatus(input), "status.txt");
  EXPECT_EQ(back.git_commit, "c1");
  EXPECT_EQ(back.scenario_sha256, "s2");
  EXPECT_EQ(back.inputs, input.inputs);
}

// A write that fails part-way (here a file-size limit, as a full disk) leaves none of the
// command's files and no temporary behind.
TEST(OutputAtomicity, FailedWritesLeaveNothing) {
  const auto dir = TempDir("full");
  std::signal(SIGXFSZ, SIG_IGN);
  rlimit old{};
  getrlimit(RLIMIT_FSIZE, &old);
  rlimit small = old;
  small.rlim_cur = 4096;
  ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &small), 0);
  const std::string big(100000, 'x');
  EXPECT_THROW(WriteFilesTogether({{(dir / "fragment.ini").string(), "small"},
                                   {(dir / "fragment_posterior.csv").string(), big}}),
               InputError);
  EXPECT_THROW(WriteFilesAtomically((dir / "run").string(), {{"a.csv", "a"}, {"b.csv", big}}),
               InputError);
  setrlimit(RLIMIT_FSIZE, &old);
  std::signal(SIGXFSZ, SIG_DFL);
  EXPECT_EQ(Entries(dir), 0);
  fs::remove_all(dir);
}

// Replacing a results folder: the new run whole, the user's own files kept, nothing staged left.
TEST(OutputAtomicity, ReplacedFolderIsTheNewRunWithTheUsersFiles) {
  const auto dir = TempDir("replace");
  const auto run = dir / "run";
  WriteFilesAtomically(run.string(), {{"pareto.csv", "old"}, {"summary.md", "old"}});
  std::ofstream(run / "my_plot.png") << "user";
  fs::create_directories(run / "notes");
  std::ofstream(run / "notes" / "n.txt") << "note";
  WriteFilesAtomically(run.string(), {{"pareto.csv", "new"}, {"summary.md", "new"}});
  EXPECT_EQ(Read(run / "pareto.csv"), "new");
  EXPECT_EQ(Read(run / "summary.md"), "new");
  EXPECT_EQ(Read(run / "my_plot.png"), "user");
  EXPECT_EQ(Read(run / "notes" / "n.txt"), "note");
  EXPECT_EQ(Entries(dir), 1);  // no staging folder left
  fs::remove_all(dir);
}

// Two writers racing into one new folder both succeed; the folder holds one whole run.
TEST(OutputAtomicity, ConcurrentWritersIntoOneNewFolder) {
  const auto dir = TempDir("race");
  for (int trial = 0; trial < 20; ++trial) {
    const auto run = dir / ("run" + std::to_string(trial));
    CheckOutputFolder(run.string(), "--out");
    EXPECT_FALSE(fs::exists(run));  // checking does not create it
    std::string error_a, error_b;
    auto writer = [&](const std::string& tag, std::string* error) {
      try {
        WriteFilesAtomically(run.string(), {{"a.csv", tag}, {"b.csv", tag}});
      } catch (const std::exception& e) {
        *error = e.what();
      }
    };
    std::thread a(writer, "A", &error_a), b(writer, "B", &error_b);
    a.join();
    b.join();
    EXPECT_EQ(error_a, "");
    EXPECT_EQ(error_b, "");
    EXPECT_EQ(Read(run / "a.csv"), Read(run / "b.csv"));  // never a mix
  }
  EXPECT_EQ(Entries(dir), 20);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace edopt
