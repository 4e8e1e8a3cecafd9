// One entry of a parameter catalogue: a scenario key with its unit and SI conversion, its valid
// range, documentation, whether the rate fit may move it and within which bounds, whether it acts
// on the cell model, and its literature prior (docs/physics.md §9). The catalogues themselves
// live beside the structs they describe: CellParameters (models/catalogue.h), DesignSpace and
// SearchOptions (optimizer/settings_catalogue.h); the scenario reader (app/scenario.cpp) joins
// them and adds the few keys of the command line's own (test rates, pellet area).
//
// An entry reads and writes its field of a Target struct; Lift() re-targets it to a struct that
// holds a Target (e.g. the cell parameters inside a Scenario), so each key is written once.
#pragma once

#include <cmath>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "models/errors.h"

namespace edopt {

// Valid values of a number in scenario units.
struct ValueRange {
  double lo = -INFINITY, hi = INFINITY;
  bool lo_open = false, hi_open = false;

  bool Contains(double v) const {
    return (lo_open ? v > lo : v >= lo) && (hi_open ? v < hi : v <= hi);
  }
  std::string Describe() const;  // e.g. "> 0 and <= 1"
  // Throws ConfigError "<v> is out of range; expected <Describe()>".
  void Check(double v) const;
};
ValueRange Positive();
ValueRange NonNegative();
ValueRange Open01();
ValueRange Between(double lo, double hi);
// The value of a named setting (a flag, a keyword argument), checked: throws ConfigError
// "NAME V is out of range; expected ..." (NaN and infinities too); returns the value.
double CheckSetting(const std::string& name, double value, const ValueRange& range);

// Plausibility of test rates and pellet areas (scenario keys, flags, lab tables, Python): a
// C-rate above 100 (36 s) or a pellet above 1000 cm2 is a typo, not a cell.
inline const ValueRange kCRateRange{0.0, 100.0, true, false};
inline const ValueRange kAreaRange_cm2{0.0, 1000.0, true, false};

// A literature prior in scenario units. Uniform / log-uniform: [a, b]; normal: mean a, standard
// deviation b; log-normal: median a, standard deviation of ln(value) b.
enum class PriorKind { kNone, kUniform, kLogUniform, kNormal, kLogNormal };
struct Prior {
  PriorKind kind = PriorKind::kNone;
  double a = 0.0, b = 0.0;
  std::string source;  // paper or parameter set, docs/physics.md §9
  // Central 95% interval in scenario units (NaNs for kNone).
  std::pair<double, double> Interval95() const;
  // Whether v is a published value: inside [a, b] for (log-)uniform priors, inside the central
  // 95% for (log-)normal ones; true without a prior.
  bool Admits(double v) const;
  std::string Describe() const;  // e.g. "log-uniform 0.3..8 (Chen2020, Dualfoil, Ecker)"
};

// Bounds the rate fit searches within (scenario units), and the coordinate it searches in.
struct FitBounds {
  bool fittable = false;
  double lower = 0.0, upper = 0.0;
  bool log_scale = true;
};

enum class ValueKind { kNumber, kInteger, kBoolean, kChoice, kText, kNumberList, kDesignList };

// What a catalogue entry says about its parameter, whatever struct holds it.
struct ParameterInfo {
  std::string key;   // "section.name_unit", as in scenario files
  std::string unit;  // of the value in scenario files ("" = dimensionless)
  std::string doc;   // meaning; `edopt scenario` appends the range
  ValueKind kind = ValueKind::kNumber;
  double scale = 1.0, offset = 0.0;  // SI = value * scale + offset
  ValueRange range;                  // numbers and integers, scenario units
  std::vector<std::string> choices;  // kChoice
  bool acts_on_cell = false;         // changes what CellModel computes
  bool calibrated = false;           // set by calibration: screened by sensitivity's tornado
  // A preset (e.g. materials.active_material): sets other keys' values, so a scenario applies it
  // before every other key and the keys it names override it.
  bool preset = false;
  FitBounds fit;
  Prior prior;

  bool numeric() const { return kind == ValueKind::kNumber || kind == ValueKind::kInteger; }
  std::string Documentation() const;  // doc, unit and range for `edopt scenario`
};

template <class Target>
struct Parameter : ParameterInfo {
  // Scenario-file text of the value, and parsing it (range-checked; throws ConfigError naming
  // the value and the expectation, not the key: the caller adds where it was given).
  std::function<std::string(const Target&)> get;
  std::function<void(Target&, const std::string&)> set;
  // Numbers and integers only (empty otherwise): the value in scenario units.
  std::function<double(const Target&)> value;
  std::function<void(Target&, double)> assign;  // range-checked like set
};

// Text without leading and trailing blanks (spaces, tabs, carriage returns).
std::string Trim(const std::string& text);
// "%.10g": how scenario values are written.
std::string FormatScenarioNumber(double value);
// "%.<digits>g": how numbers are written into files, tables and messages.
std::string FormatG(double value, int digits = 6);
// Whether the whole text is a finite number (no blanks, no trailing characters): the one strict
// number parse every reader builds on.
bool TryParseNumber(const std::string& text, double* value);
// A finite number; throws ConfigError ("'x' is not a number") otherwise.
double ParseNumberText(const std::string& text);
// Comma-separated numbers, each checked against the range.
std::vector<double> ParseNumberListText(const std::string& text, const ValueRange& range);
// Boolean words: true/false, 1/0, yes/no.
bool ParseBooleanText(const std::string& text);
// A random seed: an integer in 0..2^64-1.
unsigned long long ParseSeedText(const std::string& text);

// --- Builders -----------------------------------------------------------------------------

template <class Target>
using FieldOf = std::function<double&(Target&)>;

// An entry with its name, unit, documentation and kind; the builders below add the rest.
template <class Target>
Parameter<Target> Named(std::string key, std::string unit, std::string doc, ValueKind kind) {
  Parameter<Target> p;
  p.key = std::move(key);
  p.unit = std::move(unit);
  p.doc = std::move(doc);
  p.kind = kind;
  return p;
}

// A number stored in SI as value_in_file * scale + offset.
template <class Target>
Parameter<Target> NumberParameter(std::string key, std::string unit, std::string doc,
                                  FieldOf<Target> field, ValueRange range, double scale = 1.0,
                                  double offset = 0.0) {
  auto p = Named<Target>(std::move(key), std::move(unit), std::move(doc), ValueKind::kNumber);
  p.scale = scale;
  p.offset = offset;
  p.range = range;
  p.value = [field, scale, offset](const Target& t) {
    return (field(const_cast<Target&>(t)) - offset) / scale;
  };
  p.assign = [field, range, scale, offset](Target& t, double v) {
    range.Check(v);
    field(t) = v * scale + offset;
  };
  p.get = [value = p.value](const Target& t) { return FormatScenarioNumber(value(t)); };
  p.set = [assign = p.assign](Target& t, const std::string& text) {
    assign(t, ParseNumberText(text));
  };
  return p;
}

template <class Target>
Parameter<Target> IntegerParameter(std::string key, std::string doc,
                                   std::function<int&(Target&)> field, int lo, int hi) {
  auto p = Named<Target>(std::move(key), "", std::move(doc), ValueKind::kInteger);
  p.range = Between(lo, hi);
  p.value = [field](const Target& t) { return double(field(const_cast<Target&>(t))); };
  p.assign = [field, lo, hi](Target& t, double v) {
    if (v != std::floor(v)) {
      throw ConfigError("'" + FormatScenarioNumber(v) + "' is not an integer");
    }
    if (v < lo || v > hi) {
      throw ConfigError(FormatScenarioNumber(v) + " is out of range; expected an integer in " +
                        std::to_string(lo) + ".." + std::to_string(hi));
    }
    field(t) = static_cast<int>(v);
  };
  p.get = [field](const Target& t) { return std::to_string(field(const_cast<Target&>(t))); };
  p.set = [assign = p.assign](Target& t, const std::string& text) {
    assign(t, ParseNumberText(text));
  };
  return p;
}

template <class Target>
Parameter<Target> BooleanParameter(std::string key, std::string doc,
                                   std::function<bool&(Target&)> field) {
  auto p = Named<Target>(std::move(key), "", std::move(doc), ValueKind::kBoolean);
  p.get = [field](const Target& t) {
    return std::string(field(const_cast<Target&>(t)) ? "true" : "false");
  };
  p.set = [field](Target& t, const std::string& text) { field(t) = ParseBooleanText(text); };
  return p;
}

template <class Target>
Parameter<Target> NumberListParameter(std::string key, std::string unit, std::string doc,
                                      std::function<std::vector<double>&(Target&)> field,
                                      ValueRange range, double scale = 1.0) {
  auto p = Named<Target>(std::move(key), std::move(unit), std::move(doc), ValueKind::kNumberList);
  p.range = range;
  p.scale = scale;
  p.get = [field, scale](const Target& t) {
    std::string out;
    for (double v : field(const_cast<Target&>(t)))
      out += (out.empty() ? "" : ",") + FormatScenarioNumber(v / scale);
    return out;
  };
  p.set = [field, range, scale](Target& t, const std::string& text) {
    std::vector<double> values = ParseNumberListText(text, range);
    for (double& v : values) v *= scale;
    field(t) = std::move(values);
  };
  return p;
}

// A parameter whose text is parsed and printed by the given functions (choices, names, lists).
template <class Target>
Parameter<Target> TextParameter(std::string key, std::string doc, ValueKind kind,
                                std::function<std::string(const Target&)> get,
                                std::function<void(Target&, const std::string&)> set) {
  auto p = Named<Target>(std::move(key), "", std::move(doc), kind);
  p.get = std::move(get);
  p.set = std::move(set);
  return p;
}

// The entry re-targeted to an Outer struct through `inner` (e.g. Scenario -> its CellParameters).
template <class Outer, class Target>
Parameter<Outer> Lift(const Parameter<Target>& p, std::function<Target&(Outer&)> inner) {
  Parameter<Outer> q;
  static_cast<ParameterInfo&>(q) = p;
  q.get = [g = p.get, inner](const Outer& o) { return g(inner(const_cast<Outer&>(o))); };
  q.set = [s = p.set, inner](Outer& o, const std::string& text) { s(inner(o), text); };
  if (p.value) {
    q.value = [v = p.value, inner](const Outer& o) { return v(inner(const_cast<Outer&>(o))); };
    q.assign = [a = p.assign, inner](Outer& o, double x) { a(inner(o), x); };
  }
  return q;
}

// The entry of `key`, or nullptr.
template <class Target>
const Parameter<Target>* FindParameter(const std::vector<Parameter<Target>>& catalogue,
                                       const std::string& key) {
  for (const auto& p : catalogue) {
    if (p.key == key) return &p;
  }
  return nullptr;
}

// Checks every numeric value of `t` against its range; throws ConfigError
// "<what>: <key> = <value>; expected <range>" for the first that is outside.
template <class Target>
void CheckRanges(const std::vector<Parameter<Target>>& catalogue, const Target& t,
                 const std::string& what) {
  for (const auto& p : catalogue) {
    if (!p.numeric()) continue;
    const double v = p.value(t);
    if (!std::isfinite(v) || !p.range.Contains(v)) {
      throw ConfigError(what + ": " + p.key + " = " + FormatScenarioNumber(v) + "; expected " +
                        (p.kind == ValueKind::kInteger
                             ? "an integer in " + FormatScenarioNumber(p.range.lo) + ".." +
                                   FormatScenarioNumber(p.range.hi)
                             : p.range.Describe()));
    }
  }
}

// The key nearest to `unknown` by edit distance (a key in the wrong section counts as 1).
std::string NearestKey(const std::string& unknown, const std::vector<std::string>& keys);

}  // namespace edopt
