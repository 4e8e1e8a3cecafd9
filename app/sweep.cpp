#include "app/sweep.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "app/cli.h"
#include "formats/files.h"
#include "formats/grid_file.h"
#include "models/errors.h"

namespace fs = std::filesystem;

namespace edopt {

namespace {

// A scenario name short enough for a folder with room for its temporaries: names past 200
// bytes keep their first 181 and end in "__h" + 16 hex digits of a stable hash (FNV-1a 64) of
// the whole name, so they stay unique and the same on every machine.
std::string FolderName(const std::string& name) {
  if (name.size() <= 200) return name;
  std::uint64_t h = 14695981039346656037ULL;
  for (unsigned char c : name) h = (h ^ c) * 1099511628211ULL;
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  return name.substr(0, 181) + "__h" + hex;
}

std::string Sanitize(const std::string& value) {
  std::string out;
  for (char c : value) {
    const bool keep =
        std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '+' || c == '-';
    out += keep ? c : '_';
  }
  return out;
}

}  // namespace

std::vector<SweepScenario> ExpandGrid(const std::string& path) {
  const GridFile grid = ReadGridFile(path);
  const auto& axes = grid.axes;
  const std::string& base = grid.base;
  const std::string stem = fs::path(path).stem().string();
  const std::string dir = fs::path(path).parent_path().string();
  const std::string base_text = base.empty() ? "" : "base = " + base + "\n";
  double count = 1;
  for (const auto& [key, values] : axes) count *= static_cast<double>(values.size());
  if (count > kMaxGridScenarios) {
    throw ConfigError(path + ": the grid expands to " + FormatG(count, 6) + " scenarios; at most " +
                      std::to_string(kMaxGridScenarios) + " (split it into several grid files)");
  }
  RawScenario base_raw;
  try {
    base_raw = ReadScenarioText(base_text, path, dir.empty() ? "." : dir);  // once for all
  } catch (const std::exception& e) {
    throw ConfigError(path + ": " + e.what());
  }
  std::vector<SweepScenario> out;
  std::vector<size_t> index(axes.size(), 0);
  while (true) {
    SweepScenario s;
    s.name = stem;
    s.origin = path;
    std::vector<std::string> overrides = grid.fixed, origins = grid.fixed_origins;
    for (size_t a = 0; a < axes.size(); ++a) {
      const auto& [key, values] = axes[a];
      const std::string tail = key.substr(key.find('.') + 1);
      s.name += "__" + tail + "-" + Sanitize(values[index[a]]);
      overrides.push_back(key + "=" + values[index[a]]);
      origins.push_back(grid.axis_origins[a]);
    }
    s.name = FolderName(s.name);
    try {
      s.raw = base_raw;
      ApplyOverrides(overrides, &s.raw, origins);
    } catch (const std::exception& e) {
      throw ConfigError(path + ": " + e.what());
    }
    out.push_back(std::move(s));
    size_t a = axes.size();
    while (a > 0) {  // odometer, last axis fastest
      --a;
      if (++index[a] < axes[a].second.size()) break;
      index[a] = 0;
      if (a == 0) return out;
    }
  }
}

std::vector<SweepScenario> CollectScenarios(const std::string& dir) {
  if (!fs::is_directory(dir)) throw ConfigError("sweep folder '" + dir + "' does not exist");
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const auto ext = entry.path().extension().string();
    if (entry.is_regular_file() && (ext == ".ini" || ext == ".grid")) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<SweepScenario> all;
  for (const auto& f : files) {
    if (f.extension() == ".grid") {
      try {
        auto expanded = ExpandGrid(f.string());
        all.insert(all.end(), expanded.begin(), expanded.end());
      } catch (const std::exception& e) {
        all.push_back({f.stem().string(), f.string(), {}, e.what()});
      }
    } else {
      SweepScenario s{f.stem().string(), f.string(), {}, ""};
      try {
        s.raw = ReadScenarioFile(f.string());
      } catch (const std::exception& e) {
        s.error = e.what();
      }
      all.push_back(std::move(s));
    }
  }
  std::sort(all.begin(), all.end(),
            [](const SweepScenario& a, const SweepScenario& b) { return a.name < b.name; });
  for (size_t i = 1; i < all.size(); ++i) {
    if (all[i].name == all[i - 1].name) {
      throw ConfigError("two scenarios are named '" + all[i].name + "' (" + all[i - 1].origin +
                        ", " + all[i].origin + ")");
    }
  }
  return all;
}

std::pair<int, int> ParseShard(const std::string& text) {
  const auto slash = text.find('/');
  int k = 0, n = 0;
  try {
    if (slash == std::string::npos) throw std::invalid_argument("no slash");
    size_t used = 0;
    k = std::stoi(text.substr(0, slash), &used);
    if (used != slash) throw std::invalid_argument("k");
    const std::string rest = text.substr(slash + 1);
    n = std::stoi(rest, &used);
    if (used != rest.size()) throw std::invalid_argument("n");
  } catch (const std::exception&) {
    throw ConfigError("--shard '" + text + "': expected K/N, e.g. 2/8");
  }
  if (n < 1 || k < 1 || k > n) throw ConfigError("--shard '" + text + "': need 1 <= K <= N");
  return {k, n};
}

bool InShard(size_t index, int k, int n) {
  return static_cast<int>(index % static_cast<size_t>(n)) == k - 1;
}

namespace {

std::string Join(const std::vector<std::string>& items, const std::string& separator) {
  std::string text;
  for (const auto& i : items) text += (text.empty() ? "" : separator) + i;
  return text;
}

// "path=sha256; ..." of a scenario's input files.
std::string InputsText(const ScenarioStatus& s) {
  std::string text;
  for (const auto& [path, sha] : s.inputs) text += (text.empty() ? "" : "; ") + path + "=" + sha;
  return text;
}

// The input files whose digest differs between two runs (matched by path, else by file name),
// new or gone; "the scenario's settings" when only the canonical scenario changed.
std::vector<std::string> ChangedInputs(const ScenarioStatus& before, const ScenarioStatus& now) {
  auto name = [](const std::string& p) { return std::filesystem::path(p).filename().string(); };
  auto find = [&](const ScenarioStatus& s, const std::string& path) -> const std::string* {
    for (const auto& [p, sha] : s.inputs)
      if (p == path) return &sha;
    for (const auto& [p, sha] : s.inputs)
      if (name(p) == name(path)) return &sha;
    return nullptr;
  };
  std::vector<std::string> changed;
  for (const auto& [path, sha] : now.inputs) {
    const std::string* old = find(before, path);
    if (!old)
      changed.push_back(path + " (new)");
    else if (*old != sha)
      changed.push_back(path);
  }
  for (const auto& [path, sha] : before.inputs)
    if (!find(now, path)) changed.push_back(path + " (gone)");
  if (changed.empty() && before.scenario_sha256 != now.scenario_sha256)
    changed.push_back("the scenario's settings (--set or grid values)");
  return changed;
}

}  // namespace

std::string SweepCsv(const std::vector<ScenarioStatus>& statuses) {
  std::ostringstream os;
  os << "scenario,status,hypervolume_mAh_cm2,front_size,evaluations,knee,best_per_band,"
        "git_commit,scenario_sha256,inputs,seconds,error\n";
  for (const auto& s : statuses) {
    std::string bands;
    for (const auto& b : s.bands) bands += (bands.empty() ? "" : "; ") + b;
    os << CsvQuote(s.name) << ',' << s.status << ','
       << (s.status == "ok" ? FormatG(s.hypervolume_mAh_cm2, 10) : "") << ','
       << (s.status == "ok" ? std::to_string(s.front_size) : "") << ','
       << (s.status == "ok" ? std::to_string(s.evaluations) : "") << ',' << CsvQuote(s.knee) << ','
       << CsvQuote(bands) << ',' << CsvQuote(s.git_commit) << ',' << s.scenario_sha256 << ','
       << CsvQuote(InputsText(s)) << ',' << FormatG(s.seconds, 4) << ',' << CsvQuote(s.error)
       << "\n";
  }
  return os.str();
}

std::string SweepSummary(const std::vector<ScenarioStatus>& statuses, const std::string& title) {
  std::ostringstream os;
  int failed = 0;
  double seconds = 0;
  for (const auto& s : statuses) {
    failed += s.status != "ok";
    seconds += s.seconds;
  }
  os << "# " << title << "\n\n"
     << statuses.size() << " scenarios, " << failed << " failed, " << FormatG(seconds, 4)
     << " s of optimization.\n\n"
     << "| scenario | status | hypervolume mAh/cm2 | knee | best per capacity band | s |\n"
     << "|---|---|---|---|---|---|\n";
  for (const auto& s : statuses) {
    std::string bands;
    for (const auto& b : s.bands) bands += (bands.empty() ? "" : "<br>") + b;
    os << "| " << s.name << " | " << (s.status == "ok" ? "ok" : "FAILED: " + s.error) << " | "
       << (s.status == "ok" ? FormatG(s.hypervolume_mAh_cm2, 5) : "") << " | " << s.knee << " | "
       << bands << " | " << FormatG(s.seconds, 3) << " |\n";
  }
  return os.str();
}

std::vector<Comparison> Compare(const std::vector<ScenarioStatus>& previous,
                                const std::vector<ScenarioStatus>& current, double threshold) {
  std::map<std::string, const ScenarioStatus*> before;
  for (const auto& p : previous) before[p.name] = &p;
  std::vector<Comparison> out;
  for (const auto& c : current) {
    const auto it = before.find(c.name);
    if (it == before.end()) continue;
    const ScenarioStatus& p = *it->second;
    Comparison x;
    x.name = c.name;
    x.previous_status = p.status;
    x.status = c.status;
    x.previous_hypervolume = p.hypervolume_mAh_cm2;
    x.hypervolume = c.hypervolume_mAh_cm2;
    x.relative_change =
        p.hypervolume_mAh_cm2 > 0 ? c.hypervolume_mAh_cm2 / p.hypervolume_mAh_cm2 - 1.0 : 0.0;
    x.previous_knee = p.knee;
    x.knee = c.knee;
    // A band's recipe changed when its design changed (utilization text ignored).
    auto design_of = [](const std::string& band) { return band.substr(0, band.rfind(" (")); };
    std::set<std::string> old_designs;
    for (const auto& b : p.bands) old_designs.insert(design_of(b));
    for (const auto& b : c.bands) x.changed_band_designs += !old_designs.count(design_of(b));
    x.code_changed = p.git_commit != c.git_commit;
    x.previous_commit = p.git_commit;
    x.commit = c.git_commit;
    x.changed_inputs = ChangedInputs(p, c);
    x.regression = (p.status == "ok" && c.status != "ok") ||
                   (p.status == "ok" && c.status == "ok" && x.relative_change < -threshold);
    out.push_back(x);
  }
  return out;
}

std::string Cause(const Comparison& c) {
  const bool inputs = !c.changed_inputs.empty();
  if (c.code_changed && inputs) return "code and inputs";
  if (c.code_changed) return "code";
  if (inputs) return "inputs";
  return "neither";
}

std::string CauseWords(const Comparison& c) {
  std::string words = Cause(c);
  if (c.code_changed)
    words += "; code " + c.previous_commit.substr(0, 12) + " -> " + c.commit.substr(0, 12);
  if (!c.changed_inputs.empty()) words += "; changed: " + Join(c.changed_inputs, ", ");
  return words;
}

std::string ComparisonCsv(const std::vector<Comparison>& comparisons) {
  std::ostringstream os;
  os << "scenario,previous_status,status,previous_hypervolume_mAh_cm2,hypervolume_mAh_cm2,"
        "relative_change,previous_knee,knee,changed_band_designs,cause,previous_commit,commit,"
        "changed_inputs,regression\n";
  for (const auto& c : comparisons) {
    os << CsvQuote(c.name) << ',' << c.previous_status << ',' << c.status << ','
       << FormatG(c.previous_hypervolume, 10) << ',' << FormatG(c.hypervolume, 10) << ','
       << FormatG(c.relative_change, 6) << ',' << CsvQuote(c.previous_knee) << ','
       << CsvQuote(c.knee) << ',' << c.changed_band_designs << ',' << Cause(c) << ','
       << CsvQuote(c.previous_commit) << ',' << CsvQuote(c.commit) << ','
       << CsvQuote(Join(c.changed_inputs, "; ")) << ',' << (c.regression ? "yes" : "no") << "\n";
  }
  return os.str();
}

}  // namespace edopt
