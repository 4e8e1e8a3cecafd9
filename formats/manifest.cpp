#include "formats/manifest.h"

#include <nlopt.h>
#include <openssl/crypto.h>
#include <openssl/opensslv.h>
#include <tbb/version.h>

#include <Eigen/Core>
#include <algorithm>
#include <boost/version.hpp>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <thread>

#include "edopt_git.h"
#include "edopt_version.h"
#include "formats/files.h"

namespace edopt {

namespace {

struct RunStart {
  std::vector<std::string> command_line;
  std::chrono::system_clock::time_point time = std::chrono::system_clock::now();
};

RunStart& TheRun() {
  static RunStart run;
  return run;
}

std::string Utc(std::chrono::system_clock::time_point t) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

nlohmann::ordered_json Libraries() {
  int major = 0, minor = 0, bugfix = 0;
  nlopt_version(&major, &minor, &bugfix);
  nlohmann::ordered_json j;
  j["compiler"] = std::string("g++ ") + __VERSION__;
  j["eigen"] = std::to_string(EIGEN_WORLD_VERSION) + "." + std::to_string(EIGEN_MAJOR_VERSION) +
               "." + std::to_string(EIGEN_MINOR_VERSION);
  j["tbb"] = std::string(TBB_VERSION_STRING) + " (runtime " + TBB_runtime_version() + ")";
  j["nlopt"] = std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(bugfix);
  j["boost"] = std::to_string(BOOST_VERSION / 100000) + "." +
               std::to_string(BOOST_VERSION / 100 % 1000) + "." +
               std::to_string(BOOST_VERSION % 100);
  j["nlohmann_json"] = std::to_string(NLOHMANN_JSON_VERSION_MAJOR) + "." +
                       std::to_string(NLOHMANN_JSON_VERSION_MINOR) + "." +
                       std::to_string(NLOHMANN_JSON_VERSION_PATCH);
  j["openssl"] = OpenSSL_version(OPENSSL_VERSION);
  return j;
}

nlohmann::ordered_json DigestsJson(const std::vector<FileDigest>& files) {
  nlohmann::ordered_json a = nlohmann::ordered_json::array();
  for (const auto& f : files) {
    nlohmann::ordered_json d;
    d["path"] = f.path;
    d["sha256"] = f.sha256.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(f.sha256);
    d["bytes"] = f.bytes;
    a.push_back(d);
  }
  return a;
}

}  // namespace

void StartRun(const std::vector<std::string>& command_line) {
  StartRun(command_line, std::chrono::system_clock::now());
}

void StartRun(const std::vector<std::string>& command_line,
              std::chrono::system_clock::time_point start) {
  TheRun().command_line = command_line;
  TheRun().time = start;
}

std::string ScenarioDigest(const Scenario& scenario) {
  // The thread count is left out: the same seed gives the same answer at any thread count.
  Scenario canonical = scenario;
  canonical.search.threads = 0;
  return Sha256Hex(ScenarioSettingsText(canonical));
}

std::string CodeCommit() {
  return std::string(EDOPT_GIT_COMMIT) + (EDOPT_GIT_DIRTY ? "+modified" : "");
}

nlohmann::ordered_json Manifest(const Scenario* scenario, const std::vector<NamedText>& outputs,
                                const std::vector<FileDigest>* inputs) {
  nlohmann::ordered_json j;
  j["edopt_version"] = EDOPT_VERSION;
  j["git_commit"] = CodeCommit();
  j["command_line"] = TheRun().command_line;
  std::error_code ec;
  j["working_directory"] = std::filesystem::current_path(ec).string();
  j["started_utc"] = Utc(TheRun().time);
  j["finished_utc"] = Utc(std::chrono::system_clock::now());
  std::vector<FileDigest> read = inputs ? *inputs : InputFilesRead();
  if (scenario) {
    nlohmann::ordered_json s;
    s["name"] = scenario->name;
    s["source"] = scenario->source;
    s["sha256"] = ScenarioDigest(*scenario);
    j["scenario"] = s;
    j["seed"] = scenario->search.seed;
    j["threads"] = scenario->search.threads;
    // The compiled-in texts a scenario used are inputs too.
    for (const auto& d : ScenarioInputDigests(*scenario)) {
      const bool listed = std::any_of(read.begin(), read.end(),
                                      [&](const FileDigest& r) { return r.path == d.path; });
      if (d.path.rfind("builtin:", 0) == 0 && !listed) read.push_back(d);
    }
  }
  j["hardware_threads"] = std::thread::hardware_concurrency();
  j["inputs"] = DigestsJson(read);
  std::vector<FileDigest> written;
  for (const auto& [name, text] : outputs) written.push_back({name, Sha256Hex(text), text.size()});
  j["outputs"] = DigestsJson(written);
  j["libraries"] = Libraries();
  return j;
}

std::string WithManifestJson(const std::string& json, const Scenario* scenario,
                             const std::vector<NamedText>& outputs) {
  nlohmann::ordered_json j = nlohmann::ordered_json::parse(json);
  j["manifest"] = Manifest(scenario, outputs);
  return j.dump(2) + "\n";
}

std::vector<NamedText> WithManifest(std::vector<NamedText> files, const Scenario* scenario,
                                    const std::vector<FileDigest>* inputs) {
  const std::string manifest = Manifest(scenario, files, inputs).dump(2) + "\n";
  files.emplace_back("manifest.json", manifest);
  return files;
}

void PublishFiles(const std::vector<NamedText>& files, const Scenario* scenario) {
  if (files.empty()) return;
  std::vector<NamedText> all = files;
  // `<first>.manifest.json`, the first's name cut where the whole would pass the file system's
  // 255-byte limit.
  const std::filesystem::path first(files.front().first);
  const std::string suffix = ".manifest.json", name = first.filename().string();
  const std::string manifest = name.substr(0, std::min(name.size(), 255 - suffix.size())) + suffix;
  all.emplace_back((first.parent_path() / manifest).string(),
                   Manifest(scenario, files).dump(2) + "\n");
  WriteFilesTogether(all);
}

}  // namespace edopt
