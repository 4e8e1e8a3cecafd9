#include "formats/grid_file.h"

#include <algorithm>

#include "formats/fields.h"
#include "formats/files.h"
#include "models/errors.h"
#include "models/parameter.h"

namespace edopt {

namespace {

void AddAxis(const std::string& key, const std::string& value, const std::string& where,
             GridFile* g) {
  const auto values = SplitFields(value, ',');
  if (std::any_of(values.begin(), values.end(), [](const std::string& v) { return v.empty(); }))
    throw ConfigError(where + ": axis '" + key + "' has an empty value");
  for (const auto& [k, v] : g->axes) {
    if (k == key) throw ConfigError(where + ": axis '" + key + "' is given twice");
  }
  g->axes.emplace_back(key, values);
  g->axis_origins.push_back(where);
}

}  // namespace

GridFile ParseGridFile(const std::string& text, const std::string& path) {
  GridFile g;
  std::string section;
  const auto lines = SplitLines(text);
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string t = Trim(lines[i].substr(0, lines[i].find('#')));
    if (t.empty()) continue;
    const std::string where = Where(path, static_cast<int>(i) + 1);
    if (t.front() == '[') {
      section = t;
      if (section != "[axes]" && section != "[set]")
        throw ConfigError(where + ": unknown section " + t + "; expected [axes] or [set]");
      continue;
    }
    const auto eq = t.find('=');
    if (eq == std::string::npos) throw ConfigError(where + ": expected key = value");
    const std::string key = Trim(t.substr(0, eq)), value = Trim(t.substr(eq + 1));
    if (section.empty()) {
      if (key != "base") throw ConfigError(where + ": '" + key + "' before [axes]; expected base");
      g.base = value;
    } else if (section == "[set]") {
      g.fixed.push_back(key + "=" + value);
      g.fixed_origins.push_back(where);
    } else {
      AddAxis(key, value, where, &g);
    }
  }
  if (g.axes.empty()) throw ConfigError(path + ": a grid needs at least one key under [axes]");
  return g;
}

GridFile ReadGridFile(const std::string& path) {
  try {
    return ParseGridFile(ReadTextFile(path, "grid file"), path);
  } catch (const InputError& e) {
    throw ConfigError(e.what());  // a grid is configuration: exit 2
  }
}

}  // namespace edopt
