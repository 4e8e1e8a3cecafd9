// A sweep scenario's status.txt: what a finished scenario recorded, one `key=value` per line.
// Written when the scenario finishes, read back to build the sweep's index and comparisons.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace edopt {

struct ScenarioStatus {
  std::string name;
  std::string status;  // "ok" or "failed"
  double hypervolume_mAh_cm2 = 0.0;
  int front_size = 0;
  int evaluations = 0;
  double seconds = 0.0;
  std::string knee;
  std::vector<std::string> bands;  // "capacity>=4: design (utilization)"
  std::string error;
  // Provenance: the code, the canonical scenario and every input file (sha256 and path).
  std::string git_commit;
  std::string scenario_sha256;
  std::vector<std::pair<std::string, std::string>> inputs;  // (path, sha256)
};

// Line breaks inside values are written as blanks, so every value reads back on its line.
std::string FormatStatus(const ScenarioStatus& status);
// Throws InputError naming the file, line, field and value.
ScenarioStatus ParseStatus(const std::string& text, const std::string& origin);

}  // namespace edopt
