#include "formats/fragment.h"

#include <map>

#include "formats/fields.h"
#include "models/errors.h"

namespace edopt {

namespace {

std::string Comments(const std::string& text) {
  std::string out;
  if (text.empty()) return out;
  for (const auto& line : SplitLines(text)) out += line.empty() ? "#\n" : "# " + line + "\n";
  return out;
}

// A value the INI reader returns unchanged (empty only where `may_be_empty`).
const std::string& Writable(const std::string& value, const std::string& what,
                            bool may_be_empty = false) {
  const bool blank_ends = !value.empty() && (value.front() == ' ' || value.front() == '\t' ||
                                             value.back() == ' ' || value.back() == '\t');
  if ((value.empty() && !may_be_empty) || value.find_first_of("#\n\r") != std::string::npos ||
      blank_ends) {
    throw ConfigError(what + " '" + value +
                      "' cannot be written into a scenario file (empty, or holds '#', a line "
                      "break or blanks at its ends); rename it");
  }
  return value;
}

}  // namespace

void CheckFragmentValue(const std::string& value, const std::string& what) {
  Writable(value, what);
}

std::string FormatFragment(const ScenarioFragment& fragment) {
  std::string text = Comments(fragment.header);
  if (!fragment.base.empty()) text += "base = " + Writable(fragment.base, "base") + "\n";
  std::map<std::string, std::string> sections;
  for (const auto& line : fragment.lines) {
    std::string& body = sections[Writable(line.section, "section")];
    body += Comments(line.comment);
    if (line.name.empty()) continue;
    const std::string key = line.section + "." + line.name;
    const std::string& value = Writable(line.value, key, true);
    body += Writable(line.name, "key") + (value.empty() ? " =\n" : " = " + value + "\n");
  }
  for (const auto& [section, body] : sections) text += "\n[" + section + "]\n" + body;
  return text;
}

}  // namespace edopt
