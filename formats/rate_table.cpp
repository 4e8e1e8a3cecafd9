#include "formats/rate_table.h"

#include <libfccp/csv.h>

#include <algorithm>
#include <cmath>

#include "formats/fields.h"
#include "formats/files.h"
#include "formats/output.h"
#include "formats/scenario.h"
#include "models/errors.h"
#include "models/parameter.h"

namespace edopt {

namespace {

using Table = io::CSVReader<14, io::trim_chars<' ', '\t'>, io::double_quote_escape<',', '"'>>;

// The columns one file has (checked once, from the header).
struct Layout {
  bool by_design = false, has_util = false, has_capacity = false, has_kind = false;
};

Layout ReadLayout(Table* in, const std::string& name) {
  in->read_header(io::ignore_missing_column | io::ignore_extra_column, "design",
                  "active_wt_fraction", "thickness_um", "c_rate", "utilization",
                  "delivered_capacity_mAh_cm2", "theoretical_capacity_mAh_cm2",
                  "resistivity_factor", "r_ion_ohm", "area_cm2", "temperature_C", "kind",
                  "r_ion_se_ohm", "se_d50_um");
  Layout layout;
  layout.by_design = in->has_column("design");
  if (!layout.by_design &&
      !(in->has_column("active_wt_fraction") && in->has_column("thickness_um"))) {
    throw InputError(name +
                     ":1: expected a 'design' column or 'active_wt_fraction' and "
                     "'thickness_um' columns");
  }
  layout.has_kind = in->has_column("kind");
  layout.has_util = in->has_column("utilization");
  layout.has_capacity = in->has_column("theoretical_capacity_mAh_cm2");
  if (layout.has_kind) return layout;  // checked per row: symmetric cells need neither
  if (!in->has_column("c_rate")) throw InputError(name + ":1: missing column 'c_rate'");
  if (!layout.has_util && !(in->has_column("delivered_capacity_mAh_cm2") && layout.has_capacity)) {
    throw InputError(name +
                     ":1: expected a 'utilization' column, or "
                     "'delivered_capacity_mAh_cm2' with 'theoretical_capacity_mAh_cm2'");
  }
  return layout;
}

// The fields of one row (nullptr for a column the file does not have).
struct Row {
  char *design = nullptr, *w = nullptr, *t = nullptr, *rate = nullptr, *util = nullptr,
       *delivered = nullptr, *capacity = nullptr, *factor = nullptr, *r_ion = nullptr,
       *area = nullptr, *temperature = nullptr, *kind = nullptr, *r_ion_se = nullptr,
       *se_d50 = nullptr;
};

bool Given(const char* text) { return text != nullptr && *text != '\0'; }

double Number(const char* text, const std::string& where, const char* field) {
  return NumberField(text ? text : "", where, field);
}

// A number inside its plausible range (docs/formats.md §3), or InputError naming the place.
double Number(const char* text, const std::string& where, const char* field,
              const ValueRange& range) {
  const double v = Number(text, where, field);
  if (!range.Contains(v)) {
    throw InputError(where + ": field " + field + " = '" + text + "' is out of range; expected " +
                     range.Describe());
  }
  return v;
}

// Plausible ranges of a lab table's fields (C-rates and areas: the scenario's, scenario.h).
const ValueRange kCapacity{0.0, 100.0, true, false};  // mAh/cm2
const ValueRange kUtilization{0.0, kMaxUtilization, false, false};
const ValueRange kFactor{0.0, 1000.0, true, false};
const ValueRange kResistance{0.0, 1e9, true, false};       // ohm
const ValueRange kTemperature{-100.0, 300.0, true, true};  // C
const ValueRange kFraction{0.0, 1.0, true, true};
const ValueRange kThickness{0.1, 5000.0, false, false};  // um
const ValueRange kParticle{0.0, 200.0, true, false};     // um, D50

// The SE powder's D50 of the cell (empty = the scenario's), as a radius.
double SeRadius(const Row& r, const std::string& where) {
  return Given(r.se_d50) ? Number(r.se_d50, where, "se_d50_um", kParticle) * 0.5e-6 : 0.0;
}

void ReadDesign(const Row& r, const Layout& layout, const std::string& where, Design* design) {
  const bool columns = Given(r.w) || Given(r.t);
  if (layout.by_design && Given(r.design)) {
    try {
      *design = ParseDesign(r.design);
      ValidateDesign(*design);
    } catch (const std::exception& e) {
      throw InputError(where + ": field design: " + e.what());
    }
    if (!columns) return;
  }
  const double wf = Number(r.w, where, "active_wt_fraction", kFraction);
  const double tu = Number(r.t, where, "thickness_um", kThickness);
  if (design->layers.empty()) {
    design->layers.push_back({wf, tu * 1e-6});
    return;
  }
  // Both given: they must describe the same electrode.
  const bool same = design->layers.size() == 1 &&
                    std::abs(design->layers[0].active_weight_fraction - wf) < 1e-6 &&
                    std::abs(design->layers[0].thickness_m * 1e6 - tu) < 1e-6 * std::max(1.0, tu);
  if (!same) {
    throw InputError(where + ": field design = '" + r.design +
                     "' disagrees with active_wt_fraction = " + r.w + ", thickness_um = " + r.t +
                     "; give one description of the electrode");
  }
}

void ReadMeasurement(const Row& r, const Layout& layout, const std::string& where, RatePoint* p) {
  if (!Given(r.rate)) throw InputError(where + ": a rate test needs its c_rate");
  p->c_rate = Number(r.rate, where, "c_rate", kCRateRange);
  if (layout.has_capacity && Given(r.capacity)) {
    p->theoretical_capacity_C_m2 =
        Number(r.capacity, where, "theoretical_capacity_mAh_cm2", kCapacity) * 3.6e4;
  }
  double derived = -1.0;  // delivered / theoretical, when both are given
  if (Given(r.delivered)) {
    if (!(p->theoretical_capacity_C_m2 > 0))
      throw InputError(where + ": delivered_capacity_mAh_cm2 without theoretical_capacity_mAh_cm2");
    derived = Number(r.delivered, where, "delivered_capacity_mAh_cm2", {0.0, 100.0, false, false}) *
              3.6e4 / p->theoretical_capacity_C_m2;
  }
  if (layout.has_util && Given(r.util)) {
    p->measured_utilization = Number(r.util, where, "utilization", kUtilization);
    if (derived >= 0 && std::abs(derived - p->measured_utilization) > kUtilizationAgreement) {
      throw InputError(
          where + ": utilization = " + r.util +
          " disagrees with delivered / theoretical = " + FormatScenarioNumber(derived) + " (" +
          r.delivered + " / " + r.capacity + " mAh/cm2); correct one of them");
    }
  } else if (derived < 0) {
    throw InputError(where + ": a rate test needs its utilization or delivered_capacity_mAh_cm2");
  } else {
    if (!kUtilization.Contains(derived)) {
      throw InputError(where + ": delivered / theoretical = " + FormatScenarioNumber(derived) +
                       " is out of range; expected " + kUtilization.Describe());
    }
    p->measured_utilization = derived;
  }
}

// Per-cell conditions (empty = the scenario's).
void ReadConditions(const Row& r, const std::string& where, RatePoint* p) {
  if (Given(r.factor))
    p->resistivity_factor = Number(r.factor, where, "resistivity_factor", kFactor);
  if (Given(r.area) && !Given(r.r_ion)) {
    throw InputError(where +
                     ": area_cm2 without r_ion_ohm (the area only converts a measured "
                     "R_ion; give both or neither)");
  }
  if (Given(r.r_ion)) {
    if (Given(r.factor))
      throw InputError(where + ": give resistivity_factor or r_ion_ohm, not both");
    p->r_ion_ohm = Number(r.r_ion, where, "r_ion_ohm", kResistance);
    if (!Given(r.area)) {
      throw InputError(where +
                       ": r_ion_ohm needs the cell's area_cm2 (per electrode, ohm over cm2)");
    }
    p->area_m2 = Number(r.area, where, "area_cm2", kAreaRange_cm2) * 1e-4;
  }
  if (Given(r.temperature)) {
    p->temperature_K = Number(r.temperature, where, "temperature_C", kTemperature) + 273.15;
  }
  p->se_particle_radius_m = SeRadius(r, where);
}

RatePoint ReadRateTest(const Row& r, const Layout& layout, const std::string& where) {
  RatePoint p;
  p.origin = where;
  ReadDesign(r, layout, where, &p.design);
  ReadMeasurement(r, layout, where, &p);
  ReadConditions(r, where, &p);
  return p;
}

SymmetricCellPoint ReadSymmetricCell(const Row& r, const Layout& layout, const std::string& where) {
  for (const char* field : {r.rate, r.util, r.delivered, r.factor}) {
    if (Given(field)) {
      throw InputError(where +
                       ": a symmetric_cell row holds a c_rate, utilization, delivered "
                       "capacity or resistivity_factor; expected r_ion_ohm and area_cm2");
    }
  }
  SymmetricCellPoint c;
  c.origin = where;
  ReadDesign(r, layout, where, &c.design);
  if (!Given(r.r_ion) || !Given(r.area))
    throw InputError(where + ": a symmetric_cell row needs r_ion_ohm and area_cm2");
  c.r_ion_ohm = Number(r.r_ion, where, "r_ion_ohm", kResistance);
  c.area_m2 = Number(r.area, where, "area_cm2", kAreaRange_cm2) * 1e-4;
  if (Given(r.r_ion_se)) {
    c.r_ion_se_ohm = Number(r.r_ion_se, where, "r_ion_se_ohm", {0.0, 1e9, false, false});
  }
  if (Given(r.temperature)) {
    c.temperature_K = Number(r.temperature, where, "temperature_C", kTemperature) + 273.15;
  }
  c.se_particle_radius_m = SeRadius(r, where);
  return c;
}

// Columns renamed since the anode-only days (docs/formats.md §10): the old header still reads,
// with a note naming the new one.
constexpr std::pair<const char*, const char*> kRenamedColumns[] = {
    {"ng_wt_fraction", "active_wt_fraction"}};

// The text with its header's old column names replaced by the current ones.
std::string WithCurrentColumnNames(const std::string& text, const std::string& name,
                                   std::vector<std::string>* notes) {
  const size_t end = std::min(text.find('\n'), text.size());
  std::vector<std::string> fields = SplitFields(text.substr(0, end), ',');
  bool changed = false;
  for (const auto& [old_name, new_name] : kRenamedColumns) {
    const auto has = [&](const char* n) {
      return std::find(fields.begin(), fields.end(), n) != fields.end();
    };
    if (!has(old_name) || has(new_name)) continue;
    std::replace(fields.begin(), fields.end(), std::string(old_name), std::string(new_name));
    notes->push_back(name + ":1: column " + old_name + " is deprecated: it is now " + new_name +
                     " (docs/formats.md §10)");
    changed = true;
  }
  if (!changed) return text;
  std::string header;
  for (const auto& f : fields) {
    header += (header.empty() ? "" : ",") +
              (f.find_first_of(",\"") == std::string::npos ? f : CsvQuote(f));
  }
  return header + text.substr(end);
}

// A token that is a number written with a decimal comma ("0,6", "-1,5e-3").
bool DecimalCommaNumber(const std::string& field) {
  const auto comma = field.find(',');
  if (comma == std::string::npos || field.find(',', comma + 1) != std::string::npos) return false;
  std::string dotted = field;
  dotted[comma] = '.';
  double v = 0.0;
  return TryParseNumber(dotted, &v);
}

// A table a spreadsheet saved with a European locale (';' or tab between fields, decimal
// commas) as the comma-separated text the reader takes: the same lines (line numbers hold),
// numbers with points, fields that hold a comma (a design) quoted.
std::string AsCommaSeparated(const std::string& text) {
  const size_t first_end = std::min(text.find('\n'), text.size());
  const char delimiter = DetectDelimiter(text.substr(0, first_end));
  if (delimiter != ';' && delimiter != '\t') return text;
  std::string out;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t end = std::min(text.find('\n', start), text.size());
    std::string line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!Trim(line).empty()) {
      const std::vector<std::string> fields = SplitFields(line, delimiter);
      for (size_t k = 0; k < fields.size(); ++k) {
        std::string field = fields[k];
        if (DecimalCommaNumber(field)) std::replace(field.begin(), field.end(), ',', '.');
        const bool quote = field.find_first_of(",\"") != std::string::npos;
        out += (k ? "," : "") + (quote ? CsvQuote(field) : field);
      }
    }
    if (end >= text.size()) break;
    out += '\n';
    start = end + 1;
  }
  return out;
}

}  // namespace

LabTable ParseLabTable(const std::string& raw_text, const std::string& name) {
  LabTable table;
  const std::string text = WithCurrentColumnNames(AsCommaSeparated(raw_text), name, &table.notes);
  try {
    Table in(name, text.data(), text.data() + text.size());
    const Layout layout = ReadLayout(&in, name);
    Row r;
    while (in.read_row(r.design, r.w, r.t, r.rate, r.util, r.delivered, r.capacity, r.factor,
                       r.r_ion, r.area, r.temperature, r.kind, r.r_ion_se, r.se_d50)) {
      const std::string where = Where(name, static_cast<int>(in.get_file_line()));
      const std::string kind = Given(r.kind) ? r.kind : "rate_test";
      if (kind == "symmetric_cell") {
        table.symmetric_cells.push_back(ReadSymmetricCell(r, layout, where));
      } else if (kind == "rate_test") {
        table.rate_tests.push_back(ReadRateTest(r, layout, where));
      } else {
        throw InputError(where + ": field kind = '" + kind +
                         "'; expected rate_test or symmetric_cell");
      }
    }
  } catch (const io::error::base& e) {
    throw InputError(name + ": " + e.what());
  }
  if (table.rate_tests.empty() && table.symmetric_cells.empty())
    throw InputError(name + ": a header but no data rows");
  return table;
}

LabTable ReadLabTable(const std::string& path) {
  return ParseLabTable(ReadTextFile(path, "lab table"), path);  // read once, parsed in memory
}

std::vector<RatePoint> ParseRateTable(const std::string& text, const std::string& name) {
  LabTable table = ParseLabTable(text, name);
  if (table.rate_tests.empty()) throw InputError(name + ": no rate-test rows");
  return std::move(table.rate_tests);
}

std::vector<RatePoint> ReadRateTable(const std::string& path) {
  return ParseRateTable(ReadTextFile(path, "rate table"), path);
}

namespace {

std::string Cell(bool set, double value) { return set ? FormatScenarioNumber(value) : ""; }

// Which optional columns a table needs.
struct Columns {
  bool kind = false, capacity = false, factor = false, r_ion = false, temperature = false,
       se_d50 = false;
};

Columns NeededColumns(const LabTable& table) {
  Columns c;
  c.kind = !table.symmetric_cells.empty();
  c.r_ion = c.kind;
  for (const auto& p : table.rate_tests) {
    c.capacity |= p.theoretical_capacity_C_m2 > 0;
    c.factor |= p.resistivity_factor > 0;
    c.r_ion |= p.r_ion_ohm > 0;
    c.temperature |= p.temperature_K > 0;
    c.se_d50 |= p.se_particle_radius_m > 0;
  }
  for (const auto& s : table.symmetric_cells) {
    c.temperature |= s.temperature_K > 0;
    c.se_d50 |= s.se_particle_radius_m > 0;
  }
  return c;
}

}  // namespace

std::string FormatLabTable(const LabTable& table) {
  const Columns c = NeededColumns(table);
  std::string text = std::string(c.kind ? "kind," : "") + "design,c_rate,utilization";
  if (c.capacity) text += ",theoretical_capacity_mAh_cm2";
  if (c.factor) text += ",resistivity_factor";
  if (c.r_ion) text += ",r_ion_ohm,area_cm2";
  if (c.kind) text += ",r_ion_se_ohm";
  if (c.temperature) text += ",temperature_C";
  if (c.se_d50) text += ",se_d50_um";
  text += '\n';
  for (const auto& p : table.rate_tests) {
    text += std::string(c.kind ? "rate_test," : "") + "\"" + FormatDesign(p.design) + "\"," +
            FormatScenarioNumber(p.c_rate) + ',' + FormatScenarioNumber(p.measured_utilization);
    if (c.capacity)
      text += ',' + Cell(p.theoretical_capacity_C_m2 > 0, p.theoretical_capacity_C_m2 / 3.6e4);
    if (c.factor) text += ',' + Cell(p.resistivity_factor > 0, p.resistivity_factor);
    if (c.r_ion)
      text +=
          ',' + Cell(p.r_ion_ohm > 0, p.r_ion_ohm) + ',' + Cell(p.r_ion_ohm > 0, p.area_m2 * 1e4);
    if (c.kind) text += ',';
    if (c.temperature) text += ',' + Cell(p.temperature_K > 0, p.temperature_K - 273.15);
    if (c.se_d50) text += ',' + Cell(p.se_particle_radius_m > 0, p.se_particle_radius_m * 2e6);
    text += '\n';
  }
  for (const auto& s : table.symmetric_cells) {
    text += "symmetric_cell,\"" + FormatDesign(s.design) + "\",,";
    if (c.capacity) text += ',';
    if (c.factor) text += ',';
    text += ',' + FormatScenarioNumber(s.r_ion_ohm) + ',' + FormatScenarioNumber(s.area_m2 * 1e4) +
            ',' + Cell(s.r_ion_se_ohm > 0, s.r_ion_se_ohm);
    if (c.temperature) text += ',' + Cell(s.temperature_K > 0, s.temperature_K - 273.15);
    if (c.se_d50) text += ',' + Cell(s.se_particle_radius_m > 0, s.se_particle_radius_m * 2e6);
    text += '\n';
  }
  return text;
}

}  // namespace edopt
