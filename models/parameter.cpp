#include "models/parameter.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <sstream>

namespace edopt {

std::string Trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

// Numbers are written and read the same in every locale (a Python process may have set a
// German LC_NUMERIC): std::to_chars with a precision is printf's %.*g in the "C" locale, and
// std::from_chars reads what strtod reads there (a leading '+' aside, handled here).
std::string FormatScenarioNumber(double v) { return FormatG(v, 10); }

bool TryParseNumber(const std::string& text, double* value) {
  if (text.empty() || std::isspace(static_cast<unsigned char>(text.front()))) return false;
  const char* first = text.data();
  const char* last = text.data() + text.size();
  if (*first == '+' && last - first > 1 && first[1] != '-' && first[1] != '+') ++first;
  const auto [end, error] = std::from_chars(first, last, *value);
  return error == std::errc() && end == last && std::isfinite(*value);
}

double ParseNumberText(const std::string& raw) {
  const std::string text = Trim(raw);
  if (text.empty()) throw ConfigError("empty value; expected a number");
  double v = 0.0;
  if (TryParseNumber(text, &v)) return v;
  const char* first = text.data() + (text[0] == '+' && text.size() > 1 ? 1 : 0);
  double v_any = 0.0;
  const auto parsed = std::from_chars(first, text.data() + text.size(), v_any);
  if (parsed.ptr != text.data() + text.size() || parsed.ec == std::errc::invalid_argument) {
    throw ConfigError("'" + text + "' is not a number");
  }
  throw ConfigError("'" + text + "' is not a finite number");
}

std::vector<double> ParseNumberListText(const std::string& text, const ValueRange& range) {
  std::vector<double> values;
  std::stringstream ss(text);
  std::string part;
  while (std::getline(ss, part, ',')) {
    const double v = ParseNumberText(part);
    range.Check(v);
    values.push_back(v);
  }
  if (values.empty()) throw ConfigError("empty list; expected comma-separated numbers");
  return values;
}

bool ParseBooleanText(const std::string& raw) {
  const std::string text = Trim(raw);
  if (text == "true" || text == "1" || text == "yes") return true;
  if (text == "false" || text == "0" || text == "no") return false;
  throw ConfigError("'" + text + "' is not a boolean; expected true or false");
}

unsigned long long ParseSeedText(const std::string& raw) {
  const std::string text = Trim(raw);
  char* end = nullptr;
  errno = 0;
  const unsigned long long v = std::strtoull(text.c_str(), &end, 10);
  if (text.empty() || text[0] == '-' || end != text.c_str() + text.size() || errno != 0) {
    throw ConfigError("'" + text + "' is not a seed; expected an integer >= 0");
  }
  return v;
}

std::string ParameterInfo::Documentation() const {
  std::string d = doc;
  if (!unit.empty()) d += " [" + unit + "]";
  if (kind == ValueKind::kNumber) d += " (" + range.Describe() + ")";
  if (kind == ValueKind::kInteger) {
    d += " (" + FormatScenarioNumber(range.lo) + ".." + FormatScenarioNumber(range.hi) + ")";
  }
  if (kind == ValueKind::kBoolean) d += " (true/false)";
  if (kind == ValueKind::kNumberList) d += " (comma-separated, each " + range.Describe() + ")";
  return d;
}

std::string ValueRange::Describe() const {
  std::string s;
  if (std::isfinite(lo)) s += std::string(lo_open ? "> " : ">= ") + FormatScenarioNumber(lo);
  if (std::isfinite(hi)) {
    s +=
        std::string(s.empty() ? "" : " and ") + (hi_open ? "< " : "<= ") + FormatScenarioNumber(hi);
  }
  return s.empty() ? "any finite number" : s;
}

void ValueRange::Check(double v) const {
  if (!Contains(v)) {
    throw ConfigError(FormatScenarioNumber(v) + " is out of range; expected " + Describe());
  }
}

ValueRange Positive() { return {0, INFINITY, true, false}; }
ValueRange NonNegative() { return {0, INFINITY, false, false}; }
ValueRange Open01() { return {0, 1, true, true}; }
ValueRange Between(double lo, double hi) { return {lo, hi, false, false}; }

std::pair<double, double> Prior::Interval95() const {
  constexpr double z = 1.959963984540054;
  switch (kind) {
    case PriorKind::kUniform:
    case PriorKind::kLogUniform:
      // The central 95% of a uniform distribution.
      if (kind == PriorKind::kUniform) return {a + 0.025 * (b - a), b - 0.025 * (b - a)};
      return {std::exp(std::log(a) + 0.025 * std::log(b / a)),
              std::exp(std::log(b) - 0.025 * std::log(b / a))};
    case PriorKind::kNormal:
      return {a - z * b, a + z * b};
    case PriorKind::kLogNormal:
      return {a * std::exp(-z * b), a * std::exp(z * b)};
    case PriorKind::kNone:
      break;
  }
  const double nan = std::numeric_limits<double>::quiet_NaN();
  return {nan, nan};
}

bool Prior::Admits(double v) const {
  switch (kind) {
    case PriorKind::kNone:
      return true;
    case PriorKind::kUniform:
    case PriorKind::kLogUniform:
      return v >= a && v <= b;
    case PriorKind::kNormal:
    case PriorKind::kLogNormal:
      break;
  }
  const auto [lo, hi] = Interval95();
  return v >= lo && v <= hi;
}

std::string Prior::Describe() const {
  auto n = [](double v) { return FormatScenarioNumber(v); };
  std::string d;
  switch (kind) {
    case PriorKind::kNone:
      return "";
    case PriorKind::kUniform:
      d = "uniform " + n(a) + ".." + n(b);
      break;
    case PriorKind::kLogUniform:
      d = "log-uniform " + n(a) + ".." + n(b);
      break;
    case PriorKind::kNormal:
      d = "normal " + n(a) + " +- " + n(b);
      break;
    case PriorKind::kLogNormal:
      d = "log-normal, median " + n(a) + ", sd of ln " + n(b);
      break;
  }
  return source.empty() ? d : d + " (" + source + ")";
}

namespace {

size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      cur[j] =
          std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    }
    prev.swap(cur);
  }
  return prev[b.size()];
}

}  // namespace

std::string NearestKey(const std::string& unknown, const std::vector<std::string>& keys) {
  std::string best;
  size_t best_distance = std::numeric_limits<size_t>::max();
  const auto dot = unknown.find('.');
  const std::string tail = dot == std::string::npos ? unknown : unknown.substr(dot + 1);
  for (const auto& key : keys) {
    size_t d = EditDistance(unknown, key);
    // A key in the wrong section is a likely slip too.
    const std::string key_tail = key.substr(key.find('.') + 1);
    if (key_tail == tail) d = std::min<size_t>(d, 1);
    if (d < best_distance) {
      best_distance = d;
      best = key;
    }
  }
  return best;  // always the nearest: a far guess still shows the naming scheme
}

std::string FormatG(double value, int digits) {
  if (std::isnan(value)) return std::signbit(value) ? "-nan" : "nan";  // as printf writes them
  if (std::isinf(value)) return value < 0 ? "-inf" : "inf";
  char buffer[48];
  const auto result =
      std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::general, digits);
  return std::string(buffer, result.ptr);
}

double CheckSetting(const std::string& name, double value, const ValueRange& range) {
  if (!std::isfinite(value) || !range.Contains(value)) {
    throw ConfigError(name + " " + FormatG(value) + " is out of range; expected " +
                      range.Describe());
  }
  return value;
}

}  // namespace edopt
