#include "app/formats/rate_table.h"

#include <libfccp/csv.h>

#include "app/formats/fields.h"
#include "app/formats/files.h"
#include "models/errors.h"
#include "models/parameter.h"

namespace edopt {

namespace {

using Table = io::CSVReader<13, io::trim_chars<' ', '\t'>, io::double_quote_escape<',', '"'>>;

// The columns one file has (checked once, from the header).
struct Layout {
  bool by_design = false, has_util = false, has_capacity = false, has_kind = false;
};

Layout ReadLayout(Table* in, const std::string& name) {
  in->read_header(io::ignore_missing_column | io::ignore_extra_column, "design", "ng_wt_fraction",
                  "thickness_um", "c_rate", "utilization", "delivered_capacity_mAh_cm2",
                  "theoretical_capacity_mAh_cm2", "resistivity_factor", "r_ion_ohm", "area_cm2",
                  "temperature_C", "kind", "r_ion_se_ohm");
  Layout layout;
  layout.by_design = in->has_column("design");
  if (!layout.by_design && !(in->has_column("ng_wt_fraction") && in->has_column("thickness_um"))) {
    throw InputError(name +
                     ":1: expected a 'design' column or 'ng_wt_fraction' and "
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
       *area = nullptr, *temperature = nullptr, *kind = nullptr, *r_ion_se = nullptr;
};

bool Given(const char* text) { return text != nullptr && *text != '\0'; }

double Number(const char* text, const std::string& where, const char* field) {
  return NumberField(text ? text : "", where, field);
}

void ReadDesign(const Row& r, const Layout& layout, const std::string& where, Design* design) {
  if (layout.by_design && Given(r.design)) {
    try {
      *design = ParseDesign(r.design);
    } catch (const std::exception& e) {
      throw InputError(where + ": field design: " + e.what());
    }
    return;
  }
  const double wf = Number(r.w, where, "ng_wt_fraction");
  const double tu = Number(r.t, where, "thickness_um");
  if (!(wf > 0 && wf < 1) || !(tu > 0)) {
    throw InputError(where + ": ng_wt_fraction must be in (0, 1) and thickness_um > 0");
  }
  design->layers.push_back({wf, tu * 1e-6});
}

void ReadMeasurement(const Row& r, const Layout& layout, const std::string& where, RatePoint* p) {
  if (!Given(r.rate)) throw InputError(where + ": a rate test needs its c_rate");
  p->c_rate = Number(r.rate, where, "c_rate");
  if (!(p->c_rate > 0)) throw InputError(where + ": field c_rate must be > 0");
  if (layout.has_capacity && Given(r.capacity)) {
    p->theoretical_capacity_C_m2 = Number(r.capacity, where, "theoretical_capacity_mAh_cm2") * 3.6e4;
    if (!(p->theoretical_capacity_C_m2 > 0))
      throw InputError(where + ": field theoretical_capacity_mAh_cm2 must be > 0");
  }
  if (layout.has_util && Given(r.util)) {
    p->measured_utilization = Number(r.util, where, "utilization");
  } else if (!Given(r.delivered)) {
    throw InputError(where + ": a rate test needs its utilization or delivered_capacity_mAh_cm2");
  } else {
    if (!(p->theoretical_capacity_C_m2 > 0))
      throw InputError(where + ": no utilization and no theoretical capacity to derive it");
    p->measured_utilization = Number(r.delivered, where, "delivered_capacity_mAh_cm2") * 3.6e4 /
                              p->theoretical_capacity_C_m2;
  }
  if (!(p->measured_utilization >= 0 && p->measured_utilization <= 1.05)) {
    throw InputError(where + ": utilization " + std::to_string(p->measured_utilization) +
                     " outside [0, 1]");
  }
}

// Per-cell conditions (empty = the scenario's).
void ReadConditions(const Row& r, const std::string& where, RatePoint* p) {
  if (Given(r.factor)) {
    p->resistivity_factor = Number(r.factor, where, "resistivity_factor");
    if (!(p->resistivity_factor > 0))
      throw InputError(where + ": field resistivity_factor must be > 0");
  }
  if (Given(r.r_ion)) {
    if (Given(r.factor)) throw InputError(where + ": give resistivity_factor or r_ion_ohm, not both");
    p->r_ion_ohm = Number(r.r_ion, where, "r_ion_ohm");
    if (!(p->r_ion_ohm > 0)) throw InputError(where + ": field r_ion_ohm must be > 0");
    if (!Given(r.area)) {
      throw InputError(where + ": r_ion_ohm needs the cell's area_cm2 (per electrode, ohm over cm2)");
    }
    p->area_m2 = Number(r.area, where, "area_cm2") * 1e-4;
    if (!(p->area_m2 > 0)) throw InputError(where + ": field area_cm2 must be > 0");
  }
  if (Given(r.temperature)) {
    const double c = Number(r.temperature, where, "temperature_C");
    if (!(c > -100 && c < 300)) {
      throw InputError(where + ": field temperature_C = " + std::to_string(c) +
                       " outside (-100, 300) C");
    }
    p->temperature_K = c + 273.15;
  }
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
      throw InputError(where + ": a symmetric_cell row holds a c_rate, utilization, delivered "
                               "capacity or resistivity_factor; expected r_ion_ohm and area_cm2");
    }
  }
  SymmetricCellPoint c;
  c.origin = where;
  ReadDesign(r, layout, where, &c.design);
  if (!Given(r.r_ion) || !Given(r.area))
    throw InputError(where + ": a symmetric_cell row needs r_ion_ohm and area_cm2");
  c.r_ion_ohm = Number(r.r_ion, where, "r_ion_ohm");
  c.area_m2 = Number(r.area, where, "area_cm2") * 1e-4;
  if (!(c.r_ion_ohm > 0) || !(c.area_m2 > 0) || !(c.area_m2 <= 0.1))
    throw InputError(where + ": r_ion_ohm must be > 0 and area_cm2 in (0, 1000]");
  if (Given(r.r_ion_se)) {
    c.r_ion_se_ohm = Number(r.r_ion_se, where, "r_ion_se_ohm");
    if (!(c.r_ion_se_ohm >= 0)) throw InputError(where + ": field r_ion_se_ohm must be >= 0");
  }
  if (Given(r.temperature)) {
    const double t = Number(r.temperature, where, "temperature_C");
    if (!(t > -100 && t < 300))
      throw InputError(where + ": field temperature_C outside (-100, 300) C");
    c.temperature_K = t + 273.15;
  }
  return c;
}

}  // namespace

LabTable ParseLabTable(const std::string& text, const std::string& name) {
  LabTable table;
  try {
    Table in(name, text.data(), text.data() + text.size());
    const Layout layout = ReadLayout(&in, name);
    Row r;
    while (in.read_row(r.design, r.w, r.t, r.rate, r.util, r.delivered, r.capacity, r.factor,
                       r.r_ion, r.area, r.temperature, r.kind, r.r_ion_se)) {
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
  bool kind = false, capacity = false, factor = false, r_ion = false, temperature = false;
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
  }
  for (const auto& s : table.symmetric_cells) c.temperature |= s.temperature_K > 0;
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
  text += '\n';
  for (const auto& p : table.rate_tests) {
    text += std::string(c.kind ? "rate_test," : "") + "\"" + FormatDesign(p.design) + "\"," +
            FormatScenarioNumber(p.c_rate) + ',' + FormatScenarioNumber(p.measured_utilization);
    if (c.capacity) text += ',' + Cell(p.theoretical_capacity_C_m2 > 0, p.theoretical_capacity_C_m2 / 3.6e4);
    if (c.factor) text += ',' + Cell(p.resistivity_factor > 0, p.resistivity_factor);
    if (c.r_ion) text += ',' + Cell(p.r_ion_ohm > 0, p.r_ion_ohm) + ',' + Cell(p.r_ion_ohm > 0, p.area_m2 * 1e4);
    if (c.kind) text += ',';
    if (c.temperature) text += ',' + Cell(p.temperature_K > 0, p.temperature_K - 273.15);
    text += '\n';
  }
  for (const auto& s : table.symmetric_cells) {
    text += "symmetric_cell,\"" + FormatDesign(s.design) + "\",,";
    if (c.capacity) text += ',';
    if (c.factor) text += ',';
    text += ',' + FormatScenarioNumber(s.r_ion_ohm) + ',' + FormatScenarioNumber(s.area_m2 * 1e4) +
            ',' + Cell(s.r_ion_se_ohm > 0, s.r_ion_se_ohm);
    if (c.temperature) text += ',' + Cell(s.temperature_K > 0, s.temperature_K - 273.15);
    text += '\n';
  }
  return text;
}

}  // namespace edopt
