#include "formats/fields.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <sstream>

#include "models/errors.h"
#include "models/parameter.h"

namespace edopt {

std::string TrimField(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r\"");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r\"") - b + 1);
}

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
  }
  return lines;
}

std::string Lower(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::vector<std::string> SplitFields(const std::string& line, char delimiter) {
  std::vector<std::string> fields;
  if (delimiter == ' ') {
    std::istringstream in(line);
    for (std::string token; in >> token;) fields.push_back(token);
    return fields;
  }
  std::string field;
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"' && TrimField(field).empty()) {
      quoted = true;  // a quote opens a quoted field only at its start
      field.clear();
    } else if (c == delimiter) {
      fields.push_back(TrimField(field));
      field.clear();
    } else {
      field += c;
    }
  }
  fields.push_back(TrimField(field));
  return fields;
}

char DetectDelimiter(const std::string& line) {
  if (line.find('\t') != std::string::npos) return '\t';
  if (line.find(';') != std::string::npos) return ';';
  bool quoted = false, field_start = true;
  for (char c : line) {
    if (quoted) {
      if (c == '"') quoted = false;
    } else if (c == '"' && field_start) {
      quoted = true;
    } else if (c == ',') {
      return ',';
    }
    if (!quoted) field_start = c == ',' || (field_start && (c == ' ' || c == '"'));
  }
  return ' ';
}

bool ParseLabNumber(const std::string& raw, bool decimal_comma, double* value) {
  std::string token = TrimField(raw);
  const bool has_point = token.find('.') != std::string::npos;
  if (decimal_comma || !has_point) std::replace(token.begin(), token.end(), ',', '.');
  return TryParseNumber(token, value);
}

std::string Where(const std::string& file, int line) { return file + ":" + std::to_string(line); }

std::vector<std::string> SplitRow(const std::string& line, char delimiter) {
  std::vector<std::string> fields = SplitFields(line, delimiter);
  while (!fields.empty() && TrimField(fields.back()).empty()) fields.pop_back();
  return fields;
}

size_t BiologicHeaderLines(const std::vector<std::string>& lines, const std::string& path) {
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string l = Lower(lines[i]);
    const auto at = l.find("nb header lines");
    if (at == std::string::npos) continue;
    const auto colon = l.find(':', at);
    double n = 0;
    if (colon == std::string::npos || !ParseLabNumber(l.substr(colon + 1), false, &n) || n < 1) {
      throw InputError(Where(path, static_cast<int>(i) + 1) + ": field 'Nb header lines' = '" +
                       TrimField(lines[i]) + "' is not a line count");
    }
    return static_cast<size_t>(n);
  }
  return 0;
}

double NumberField(const std::string& text, const std::string& where, const std::string& field) {
  double value = 0.0;
  if (!TryParseNumber(Trim(text), &value)) {
    throw InputError(where + ": field " + field + " = '" + text + "' is not a finite number");
  }
  return value;
}

}  // namespace edopt
