#include "formats/sweep_status.h"

#include <algorithm>
#include <cmath>

#include "formats/fields.h"
#include "models/errors.h"

namespace edopt {

namespace {

std::string OneLine(std::string value) {
  std::replace(value.begin(), value.end(), '\n', ' ');
  std::replace(value.begin(), value.end(), '\r', ' ');
  return value;
}

int Count(const std::string& text, const std::string& where, const std::string& field) {
  const double v = NumberField(text, where, field);
  if (!(v >= 0 && v <= 2e9 && v == std::floor(v))) {
    throw InputError(where + ": field " + field + " = '" + text + "' is not a count");
  }
  return static_cast<int>(v);
}

}  // namespace

std::string FormatStatus(const ScenarioStatus& s) {
  std::string text = "name=" + OneLine(s.name) + "\nstatus=" + OneLine(s.status) +
                     "\nhypervolume_mAh_cm2=" + FormatG(s.hypervolume_mAh_cm2, 10) +
                     "\nfront_size=" + std::to_string(s.front_size) +
                     "\nevaluations=" + std::to_string(s.evaluations) +
                     "\nseconds=" + FormatG(s.seconds, 6) + "\nknee=" + OneLine(s.knee) + "\n";
  for (const auto& b : s.bands) text += "band=" + OneLine(b) + "\n";
  text += "git_commit=" + OneLine(s.git_commit) +
          "\nscenario_sha256=" + OneLine(s.scenario_sha256) + "\n";
  for (const auto& [path, sha] : s.inputs)
    text += "input=" + OneLine(sha) + "  " + OneLine(path) + "\n";
  return text + "error=" + OneLine(s.error) + "\n";
}

ScenarioStatus ParseStatus(const std::string& text, const std::string& origin) {
  ScenarioStatus s;
  const auto lines = SplitLines(text);
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string where = Where(origin, static_cast<int>(i) + 1);
    const auto eq = lines[i].find('=');
    if (eq == std::string::npos) throw InputError(where + ": expected key=value");
    const std::string key = lines[i].substr(0, eq), value = lines[i].substr(eq + 1);
    if (key == "name") s.name = value;
    if (key == "status") s.status = value;
    if (key == "hypervolume_mAh_cm2") s.hypervolume_mAh_cm2 = NumberField(value, where, key);
    if (key == "front_size") s.front_size = Count(value, where, key);
    if (key == "evaluations") s.evaluations = Count(value, where, key);
    if (key == "seconds") s.seconds = NumberField(value, where, key);
    if (key == "knee") s.knee = value;
    if (key == "band") s.bands.push_back(value);
    if (key == "error") s.error = value;
    if (key == "git_commit") s.git_commit = value;
    if (key == "scenario_sha256") s.scenario_sha256 = value;
    if (key == "input") {
      const auto gap = value.find("  ");
      if (gap == std::string::npos)
        throw InputError(where + ": field input = '" + value + "'; expected 'SHA256  PATH'");
      s.inputs.emplace_back(value.substr(gap + 2), value.substr(0, gap));
    }
  }
  if (s.status != "ok" && s.status != "failed")
    throw InputError(origin + ": status '" + s.status + "'; expected ok or failed");
  return s;
}

}  // namespace edopt
