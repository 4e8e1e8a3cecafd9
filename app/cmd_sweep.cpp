// edopt sweep: every scenario of a folder (grid files expanded), each into its own results
// folder committed atomically with a completion marker; resumable, shardable, compared night
// to night. `edopt sweep merge` joins shard outputs.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "app/cli.h"
#include "app/sweep.h"
#include "formats/digest.h"
#include "formats/files.h"
#include "formats/manifest.h"
#include "models/cell_model.h"
#include "models/errors.h"
#include "models/units.h"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace edopt {

namespace {

constexpr const char* kDone = "DONE";          // completion marker, written last
constexpr const char* kStatus = "status.txt";  // what the scenario recorded
constexpr int kExitFailedScenarios = 1;
constexpr int kExitRegression = 5;

bool Completed(const fs::path& folder) { return fs::exists(folder / kDone); }

ScenarioStatus ReadStatus(const fs::path& folder) {
  return ParseStatus(ReadTextFile((folder / kStatus).string(), "status file"),
                     (folder / kStatus).string());
}

// The scenario's reference designs at its C-rates (simulate.csv of a sweep scenario).
std::string ReferenceSimulations(const Scenario& s) {
  std::ostringstream sim;
  sim << "design,c_rate,theoretical_capacity_mAh_cm2,delivered_capacity_mAh_cm2,utilization,"
         "end_reason\n";
  const CellModel model(s.cell);
  for (const auto& d : s.reference_designs) {
    for (double rate : s.c_rates) {
      const auto r = model.Simulate(d, rate);
      sim << CsvQuote(FormatDesign(d)) << ',' << FormatG(rate, 6) << ','
          << FormatG(r.theoretical_capacity_C_m2 / kC_m2_per_mAh_cm2, 8) << ','
          << FormatG(r.delivered_capacity_C_m2 / kC_m2_per_mAh_cm2, 8) << ','
          << FormatG(r.utilization, 8) << ',' << ToString(r.end_reason) << "\n";
    }
  }
  return sim.str();
}

// Runs one scenario into `work`: the resolved scenario, the optimization, the reference designs'
// simulations. Never throws: failures are recorded in the status.
ScenarioStatus RunOne(const SweepScenario& sc, const std::vector<std::string>& overrides,
                      int threads, const fs::path& work) {
  ScenarioStatus status;
  status.name = sc.name;
  const auto start = std::chrono::steady_clock::now();
  try {
    if (!sc.error.empty()) throw ConfigError(sc.error);
    RawScenario raw = sc.raw;
    ApplyOverrides(overrides, &raw);
    Scenario s = LoadScenarioFromRaw(raw, sc.origin);
    s.name = sc.name;
    if (threads >= 0) s.search.threads = threads;
    s.design_space.Validate();
    status.git_commit = CodeCommit();
    status.scenario_sha256 = ScenarioDigest(s);
    const std::vector<FileDigest> inputs = ScenarioInputDigests(s);
    for (const auto& d : inputs) status.inputs.emplace_back(d.path, d.sha256);
    const OptimizationReport report = Optimize(
        s, work.string(), false,
        {{"scenario.ini", ScenarioToIni(s)}, {"simulate.csv", ReferenceSimulations(s)}}, &inputs);
    status.status = "ok";
    status.hypervolume_mAh_cm2 = report.hypervolume_mAh_cm2;
    status.front_size = report.front_size;
    status.evaluations = report.evaluations;
    status.knee = report.knee;
    for (const auto& b : report.bands)
      status.bands.push_back(b.name + ": " + b.design + " (" + FormatG(b.utilization, 4) + ")");
  } catch (const std::exception& e) {
    status.status = "failed";
    status.error = e.what();
  }
  status.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return status;
}

// Commits a finished work folder: status, then the marker, then one rename into place.
void Commit(const ScenarioStatus& status, const fs::path& work, const fs::path& final_dir) {
  const std::string status_text = FormatStatus(status), done_text = status.status + "\n";
  // The folder's manifest names every file in it, the status and the marker included (a failed
  // scenario, whose run wrote nothing, gets a manifest of these two).
  const fs::path manifest_path = work / "manifest.json";
  std::string manifest;
  if (fs::exists(manifest_path)) {
    std::ifstream in(manifest_path);  // this run's own output: not an input of any manifest
    nlohmann::ordered_json m = nlohmann::ordered_json::parse(in);
    for (const auto& [name, text] :
         {NamedText{kStatus, status_text}, NamedText{kDone, done_text}}) {
      m["outputs"].push_back({{"path", name}, {"sha256", Sha256Hex(text)}, {"bytes", text.size()}});
    }
    manifest = m.dump(2) + "\n";
  } else {
    manifest = Manifest(nullptr, {{kStatus, status_text}, {kDone, done_text}}).dump(2) + "\n";
  }
  WriteFilesTogether(
      {{(work / kStatus).string(), status_text}, {manifest_path.string(), manifest}});
  WriteFileAtomically((work / kDone).string(), done_text);  // the marker last
  ReplaceFolder(work.string(), final_dir.string());
}

// sweep.csv, summary.md (and comparison.csv when given) with the sweep's manifest.json, written
// together. Each scenario folder has its own manifest.
void WriteIndex(const fs::path& out, const std::vector<ScenarioStatus>& statuses,
                const std::string& title, const std::string& extra_md,
                const std::string& comparison_csv = "") {
  std::vector<NamedText> files = {{"sweep.csv", SweepCsv(statuses)},
                                  {"summary.md", SweepSummary(statuses, title) + extra_md}};
  if (!comparison_csv.empty()) files.emplace_back("comparison.csv", comparison_csv);
  std::vector<NamedText> paths;
  for (const auto& [name, text] : WithManifest(files, nullptr))
    paths.emplace_back((out / name).string(), text);
  WriteFilesTogether(paths);
}

// Every completed scenario folder of the shard outputs, by name (a name in two shards is an
// error unless it is the same folder).
std::map<std::string, fs::path> CompletedFolders(const std::vector<std::string>& inputs) {
  std::map<std::string, fs::path> found;
  for (const auto& in : inputs) {
    if (!fs::is_directory(in)) throw ConfigError("sweep merge: '" + in + "' is not a folder");
    for (const auto& entry : fs::directory_iterator(in)) {
      const std::string name = entry.path().filename().string();
      if (!entry.is_directory() || name.front() == '.' || !Completed(entry.path())) continue;
      if (found.count(name) && found[name] != entry.path())
        throw ConfigError("sweep merge: scenario '" + name + "' is in " + found[name].string() +
                          " and " + entry.path().string());
      found[name] = entry.path();
    }
  }
  return found;
}

// Copies a folder into place through a partial copy and one rename.
void CopyFolder(const fs::path& source, const fs::path& out, const std::string& name) {
  const fs::path target = out / name;
  if (fs::weakly_canonical(source) == fs::weakly_canonical(target)) return;
  const fs::path work = out / ("." + name + ".partial");
  fs::remove_all(work);
  fs::copy(source, work, fs::copy_options::recursive);
  ReplaceFolder(work.string(), target.string());
}

int Failed(const std::vector<ScenarioStatus>& statuses) {
  int failed = 0;
  for (const auto& s : statuses) failed += s.status != "ok";
  return failed;
}

int RunMerge(const std::vector<std::string>& args) {
  std::vector<std::string> inputs;
  std::string out_dir;
  po::options_description description(
      "edopt sweep merge OUT... --out MERGED\n"
      "Joins shard outputs: copies every completed scenario folder into MERGED and writes its "
      "index");
  bool help = false;
  description.add_options()("help,h", po::bool_switch(&help), "this help")(
      "input", po::value(&inputs)->composing(), "shard output folders")(
      "out", po::value(&out_dir)->value_name("MERGED"), "merged output folder");
  po::positional_options_description positional;
  positional.add("input", -1);
  po::variables_map vm;
  if (!ParseCommand(args, description, &positional, &vm, help)) return kExitOk;
  if (inputs.empty()) throw ConfigError("sweep merge: no shard folders given");
  if (out_dir.empty()) throw ConfigError("sweep merge: --out MERGED is required");
  CheckOutputFolder(out_dir, "--out");
  const fs::path out(out_dir);
  fs::create_directories(out);
  const OutputLock lock(out);
  std::vector<ScenarioStatus> statuses;
  for (const auto& [name, source] : CompletedFolders(inputs)) {
    CopyFolder(source, out, name);
    statuses.push_back(ReadStatus(out / name));
  }
  WriteIndex(out, statuses,
             "edopt sweep (merged from " + std::to_string(inputs.size()) + " shards)", "");
  std::cout << SweepSummary(statuses, "edopt sweep (merged)");
  return Failed(statuses) > 0 ? kExitFailedScenarios : kExitOk;
}

struct SweepFlags {
  std::string dir, out_dir = "results/sweep", shard = "1/1", compare_dir;
  std::vector<std::string> overrides;
  bool resume = false, fail_on_regression = false, quiet = false, help = false;
  int threads = -1;
  double threshold = 0.01;
};

void AddSweepOptions(po::options_description* d, SweepFlags* f) {
  d->add_options()("help,h", po::bool_switch(&f->help), "this help")("dir", po::value(&f->dir),
                                                                     "scenario folder")(
      "out", po::value(&f->out_dir)->value_name("DIR"), "output folder (default results/sweep)")(
      "resume", po::bool_switch(&f->resume),
      "skip scenarios already committed in OUT; redo partial ones")(
      "shard", po::value(&f->shard)->value_name("K/N"),
      "take scenarios i (in name order) with i % N == K - 1")(
      "threads", po::value(&f->threads)->value_name("T"), "worker threads per scenario, 0 = all")(
      "set", po::value(&f->overrides)->composing()->value_name("K=V"),
      "override a key in every scenario (repeatable)")(
      "compare", po::value(&f->compare_dir)->value_name("PREV"),
      "compare with a previous sweep output: hypervolume and recipe changes")(
      "regression-threshold", po::value(&f->threshold)->value_name("X"),
      "relative hypervolume drop that counts as a regression (default 0.01)")(
      "fail-on-regression", po::bool_switch(&f->fail_on_regression),
      "exit 5 when a regression is found (for cron/CI)")("quiet", po::bool_switch(&f->quiet),
                                                         "no per-scenario lines on stderr");
}

// The statuses of the scenarios of `mine` committed in `out`, in order.
std::vector<ScenarioStatus> CommittedStatuses(const std::vector<const SweepScenario*>& mine,
                                              const fs::path& out) {
  std::vector<ScenarioStatus> statuses;
  for (const auto* sc : mine) {
    if (Completed(out / sc->name)) statuses.push_back(ReadStatus(out / sc->name));
  }
  return statuses;
}

// Runs (or, with --resume, skips) each scenario of the shard and commits its folder; the index
// is rewritten after every commit, so it never lists a result its folder no longer holds.
void RunScenarios(const std::vector<const SweepScenario*>& mine, const SweepFlags& f,
                  const fs::path& out, const std::string& title) {
  for (size_t i = 0; i < mine.size(); ++i) {
    const auto& sc = *mine[i];
    const fs::path final_dir = out / sc.name, work = out / ("." + sc.name + ".partial");
    const std::string counter =
        "[" + std::to_string(i + 1) + "/" + std::to_string(mine.size()) + "] " + sc.name;
    fs::remove_all(work);  // a partial run from a crash (also when the scenario is skipped)
    if (f.resume && Completed(final_dir)) {
      if (!f.quiet) std::cerr << counter << ": done before\n";
      continue;
    }
    fs::create_directories(work);
    if (!f.quiet) std::cerr << counter << " ... ";
    const ScenarioStatus status = RunOne(sc, f.overrides, f.threads, work);
    // The index first leaves the scenario out, then the folder is replaced, then the index
    // lists it again: killed at any point, the index lists no result its folder does not hold.
    if (Completed(final_dir)) {
      std::vector<ScenarioStatus> others;
      for (auto& st : CommittedStatuses(mine, out)) {
        if (st.name != sc.name) others.push_back(std::move(st));
      }
      WriteIndex(out, others, title + " (in progress)", "");
    }
    Commit(status, work, final_dir);
    WriteIndex(out, CommittedStatuses(mine, out), title + " (in progress)", "");
    if (!f.quiet) {
      std::cerr << status.status << " (" << FormatG(status.seconds, 3) << " s)"
                << (status.error.empty() ? "" : ": " + status.error) << "\n";
    }
  }
}

// The comparison with a previous sweep: comparison.csv and a summary section; counts the
// regressions.
std::string CompareWithPrevious(const std::vector<const SweepScenario*>& mine,
                                const std::vector<ScenarioStatus>& statuses, const SweepFlags& f,
                                std::string* csv, int* regressions) {
  std::vector<ScenarioStatus> previous;
  for (const auto* sc : mine) {
    const fs::path p = fs::path(f.compare_dir) / sc->name;
    if (Completed(p)) previous.push_back(ReadStatus(p));
  }
  const auto comparisons = Compare(previous, statuses, f.threshold);
  *csv = ComparisonCsv(comparisons);
  std::ostringstream md;
  md << "\n## Compared with " << f.compare_dir << " (regression: hypervolume down more than "
     << FormatG(100 * f.threshold, 3) << "% or a scenario newly failing)\n\n"
     << "| scenario | hypervolume before | now | change | knee changed | band designs changed "
        "| regression | came with |\n|---|---|---|---|---|---|---|---|\n";
  *regressions = 0;
  for (const auto& c : comparisons) {
    *regressions += c.regression;
    md << "| " << c.name << " | " << FormatG(c.previous_hypervolume, 5) << " | "
       << FormatG(c.hypervolume, 5) << " | " << FormatG(100 * c.relative_change, 3) << "% | "
       << (c.knee == c.previous_knee ? "no" : c.previous_knee + " -> " + c.knee) << " | "
       << c.changed_band_designs << " | " << (c.regression ? "**yes**" : "no") << " | "
       << CauseWords(c) << " |\n";
  }
  md << "\n"
     << *regressions << " regression(s) in " << comparisons.size()
     << " scenarios present in both runs.\n";
  return md.str();
}

}  // namespace

int RunSweep(const std::vector<std::string>& args) {
  if (!args.empty() && args[0] == "merge")
    return RunMerge(std::vector<std::string>(args.begin() + 1, args.end()));
  SweepFlags f;
  po::options_description description(
      "edopt sweep DIR [--out DIR] [--resume] [--shard K/N] [--threads T] [--compare PREV]\n"
      "Runs every scenario in DIR (*.ini; *.grid files expanded) through optimize plus\n"
      "simulations of its reference designs, each into OUT/<name>/ committed atomically with a\n"
      "DONE marker; writes OUT/sweep.csv and OUT/summary.md. Exit 1 if a scenario failed, 5 on a\n"
      "regression with --fail-on-regression. `edopt sweep merge OUT... --out M` joins shards.");
  AddSweepOptions(&description, &f);
  po::positional_options_description positional;
  positional.add("dir", 1);
  po::variables_map vm;
  if (!ParseCommand(args, description, &positional, &vm, f.help)) return kExitOk;
  if (f.dir.empty()) throw ConfigError("sweep: no scenario folder given");
  if (vm.count("threads")) CheckFlag("--threads", f.threads, Between(0, kMaxThreads));
  if (!(f.threshold >= 0)) throw ConfigError("--regression-threshold must be >= 0");
  if (!f.compare_dir.empty() && !fs::is_directory(f.compare_dir))
    throw ConfigError("--compare '" + f.compare_dir + "' is not a folder");
  const auto [k, n] = ParseShard(f.shard);
  const auto all = CollectScenarios(f.dir);
  std::vector<const SweepScenario*> mine;
  for (size_t i = 0; i < all.size(); ++i) {
    if (InShard(i, k, n)) mine.push_back(&all[i]);
  }
  CheckOutputFolder(f.out_dir, "--out");
  const fs::path out(f.out_dir);
  fs::create_directories(out);
  const OutputLock lock(out);  // one sweep at a time per output folder
  const std::string title = "edopt sweep of " + f.dir + (n > 1 ? " (shard " + f.shard + ")" : "");
  RunScenarios(mine, f, out, title);
  std::vector<ScenarioStatus> statuses;
  for (const auto* sc : mine) statuses.push_back(ReadStatus(out / sc->name));
  int regressions = 0;
  std::string comparison_csv;
  const std::string extra =
      f.compare_dir.empty() ? ""
                            : CompareWithPrevious(mine, statuses, f, &comparison_csv, &regressions);
  WriteIndex(out, statuses, title, extra, comparison_csv);
  std::cout << SweepSummary(statuses, title) << extra;
  if (f.fail_on_regression && regressions > 0) return kExitRegression;
  return Failed(statuses) > 0 ? kExitFailedScenarios : kExitOk;
}

}  // namespace edopt
