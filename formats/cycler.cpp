// Cycler exports to records and lab-table rows (formats/cycler.h). Column names and sign
// conventions per instrument are those documented by the open readers cellpy, PyProBE and beep
// (docs/formats.md §11 lists them); every layout here is a table with one header line.
#include "formats/cycler.h"

#include <algorithm>
#include <cmath>

#include "formats/fields.h"
#include "formats/files.h"
#include "models/composition.h"
#include "models/errors.h"
#include "models/parameter.h"

namespace edopt {

const char* ToString(CyclerLayout layout) {
  switch (layout) {
    case CyclerLayout::kBiologicMpt:
      return "biologic-mpt";
    case CyclerLayout::kArbin:
      return "arbin";
    case CyclerLayout::kMaccor:
      return "maccor";
    case CyclerLayout::kNeware:
      return "neware";
    case CyclerLayout::kBasytec:
      return "basytec";
  }
  return "?";
}

namespace {

// A header name as quantity and unit: lower case without blanks and underscores, the unit from
// "(...)", "[...]" or after '/': "I/mA" -> (i, ma), "Current (A)" -> (current, a),
// "~Time[h]" -> (~time, h), "Test (Sec)" -> (test, sec), "Amps" -> (amps, "").
struct Name {
  std::string quantity, unit;
};

Name Split(const std::string& raw) {
  std::string n = Lower(TrimField(raw));
  n.erase(std::remove_if(n.begin(), n.end(), [](char c) { return c == ' ' || c == '_'; }), n.end());
  Name out;
  for (const char open : {'(', '['}) {
    const auto at = n.find(open);
    if (at != std::string::npos && at > 0) {
      const auto close = n.find(open == '(' ? ')' : ']', at);
      out.unit = n.substr(at + 1, close == std::string::npos ? std::string::npos : close - at - 1);
      out.quantity = n.substr(0, at);
      return out;
    }
  }
  const auto slash = n.find('/');
  if (slash != std::string::npos && slash > 0) {
    out.quantity = n.substr(0, slash);
    out.unit = n.substr(slash + 1);
    return out;
  }
  out.quantity = n;
  return out;
}

struct Columns {
  int time = -1, current = -1, voltage = -1, step = -1, cycle = -1, state = -1;
  std::string time_unit, current_unit, voltage_unit;
};

int Find(const std::vector<Name>& names, std::initializer_list<const char*> quantities,
         std::string* unit = nullptr) {
  for (const char* q : quantities) {
    for (int i = 0; i < static_cast<int>(names.size()); ++i) {
      if (names[static_cast<size_t>(i)].quantity == q) {
        if (unit) *unit = names[static_cast<size_t>(i)].unit;
        return i;
      }
    }
  }
  return -1;
}

// The columns of a layout by its names (the open readers' tables, docs/formats.md §11).
Columns ColumnsOf(CyclerLayout layout, const std::vector<Name>& n) {
  Columns c;
  switch (layout) {
    case CyclerLayout::kBiologicMpt:
      c.time = Find(n, {"time"}, &c.time_unit);
      c.current = Find(n, {"i", "<i>"}, &c.current_unit);
      c.voltage = Find(n, {"ewe", "ecell", "<ewe>"}, &c.voltage_unit);
      c.step = Find(n, {"ns"});
      c.cycle = Find(n, {"cyclenumber"});
      break;
    case CyclerLayout::kArbin:
      c.time = Find(n, {"testtime"}, &c.time_unit);
      c.current = Find(n, {"current"}, &c.current_unit);
      c.voltage = Find(n, {"voltage"}, &c.voltage_unit);
      c.step = Find(n, {"stepindex"});
      c.cycle = Find(n, {"cycleindex"});
      break;
    case CyclerLayout::kMaccor:
      c.time = Find(n, {"test", "testtime"}, &c.time_unit);
      c.current = Find(n, {"amps", "current"}, &c.current_unit);
      c.voltage = Find(n, {"volts", "voltage"}, &c.voltage_unit);
      c.step = Find(n, {"step"});
      c.cycle = Find(n, {"cyc#", "cycle"});
      c.state = Find(n, {"state", "md"});
      break;
    case CyclerLayout::kNeware:
      c.time = Find(n, {"totaltime", "testtime", "time"}, &c.time_unit);
      c.current = Find(n, {"current"}, &c.current_unit);
      c.voltage = Find(n, {"voltage"}, &c.voltage_unit);
      c.step = Find(n, {"stepid", "stepindex", "step"});
      c.cycle = Find(n, {"cycleid", "cycleindex", "cycle"});
      c.state = Find(n, {"steptype", "status"});
      break;
    case CyclerLayout::kBasytec:
      c.time = Find(n, {"~time", "time"}, &c.time_unit);
      c.current = Find(n, {"i"}, &c.current_unit);
      c.voltage = Find(n, {"u"}, &c.voltage_unit);
      c.step = Find(n, {"line"});
      c.cycle = Find(n, {"cyc-count", "count"});
      break;
  }
  if (layout == CyclerLayout::kMaccor && c.current_unit.empty()) c.current_unit = "a";
  if (layout == CyclerLayout::kMaccor && c.voltage_unit.empty()) c.voltage_unit = "v";
  return c;
}

const char* Expected(CyclerLayout layout) {
  switch (layout) {
    case CyclerLayout::kBiologicMpt:
      return "time/s, Ewe/V (or Ecell/V), I/mA, Ns, cycle number";
    case CyclerLayout::kArbin:
      return "Test_Time(s), Current(A), Voltage(V), Step_Index, Cycle_Index";
    case CyclerLayout::kMaccor:
      return "Test (Sec), Amps, Volts, Step, Cyc#, State";
    case CyclerLayout::kNeware:
      return "Total Time or Time(h:min:s.ms), Current(mA), Voltage(V), Step ID, Cycle ID";
    case CyclerLayout::kBasytec:
      return "~Time[h], U[V], I[A], Line, Cyc-Count";
  }
  return "";
}

double Scale(const std::string& unit, const std::string& what, const std::string& where) {
  if (what == "time") {
    if (unit.empty() || unit == "s" || unit == "sec" || unit == "secs") return 1.0;
    if (unit == "min") return 60.0;
    if (unit == "h" || unit == "hr" || unit == "hrs") return 3600.0;
    if (unit.find(':') != std::string::npos) return -1.0;  // h:min:s(.ms): parsed as a clock
  } else if (what == "current") {
    if (unit == "a") return 1.0;
    if (unit == "ma") return 1e-3;
    if (unit == "ua" ||
        unit ==
            "\xc2\xb5"
            "a" ||
        unit ==
            "\xce\xbc"
            "a")
      return 1e-6;
  } else {
    if (unit == "v") return 1.0;
    if (unit == "mv") return 1e-3;
  }
  throw InputError(where + ": the " + what + " column's unit '" + unit +
                   "' is not one edopt reads (time s/min/h or h:min:s, current A/mA/uA, "
                   "voltage V/mV)");
}

// "12:34:56.789" (hours may exceed 24; "1 d 02:00:00" is not a format these cyclers write).
bool ParseClock(const std::string& text, double* seconds) {
  double parts[3] = {0, 0, 0};
  size_t start = 0;
  int k = 0;
  const std::string t = TrimField(text);
  while (k < 3) {
    const auto colon = t.find(':', start);
    const std::string piece =
        t.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
    if (!ParseLabNumber(piece, false, &parts[k])) return false;
    ++k;
    if (colon == std::string::npos) break;
    start = colon + 1;
  }
  if (k < 2) return false;
  // The last part is seconds, the one before minutes, the first hours (when three).
  *seconds = k == 3 ? parts[0] * 3600 + parts[1] * 60 + parts[2] : parts[0] * 60 + parts[1];
  return std::isfinite(*seconds);
}

// The layout and its header line (0-based); false when the file is of no known layout.
bool Detect(const std::vector<std::string>& lines, const std::string& path, CyclerLayout* layout,
            size_t* header) {
  for (size_t i = 0; i < lines.size() && i < 200; ++i) {
    if (Lower(lines[i]).find("ec-lab ascii file") == std::string::npos) continue;
    const size_t n = BiologicHeaderLines(lines, path);  // the header is line n
    if (n == 0 || n > lines.size()) {
      throw InputError(path + ": BioLogic header line count missing or beyond the end of the file");
    }
    *header = n - 1;
    *layout = CyclerLayout::kBiologicMpt;
    return true;
  }
  // BaSyTec: '~' comment lines, the last of them the header.
  if (!lines.empty() && TrimField(lines[0]).rfind('~', 0) == 0) {
    size_t last = 0;
    while (last + 1 < lines.size() && TrimField(lines[last + 1]).rfind('~', 0) == 0) ++last;
    *header = last;
    *layout = CyclerLayout::kBasytec;
    return true;
  }
  for (size_t i = 0; i < lines.size() && i < 50; ++i) {
    std::vector<Name> names;
    for (const auto& f : SplitFields(lines[i], DetectDelimiter(lines[i])))
      names.push_back(Split(f));
    auto has = [&](const char* q) { return Find(names, {q}) >= 0; };
    *header = i;
    if (has("rec#") || (has("amps") && has("volts"))) {
      *layout = CyclerLayout::kMaccor;
    } else if (has("stepindex") && has("testtime") && has("cycleindex")) {
      *layout = CyclerLayout::kArbin;
    } else if ((has("stepid") || has("stepindex")) && has("current") && has("voltage")) {
      *layout = CyclerLayout::kNeware;
    } else {
      continue;
    }
    return true;
  }
  return false;
}

}  // namespace

CyclerFile ParseCyclerText(const std::string& raw, const std::string& path) {
  const std::vector<std::string> lines = SplitLines(WithoutBom(raw));
  CyclerFile out;
  out.path = path;
  size_t header = 0;
  if (!Detect(lines, path, &out.layout, &header)) {
    std::string found;
    for (size_t i = 0; i < lines.size() && i < 3; ++i) found += (i ? " | " : "") + lines[i];
    throw InputError(path +
                     ": not a cycler export edopt reads (BioLogic .mpt, Arbin CSV, Maccor "
                     "text, Neware CSV, BaSyTec text); the first lines are: " +
                     found.substr(0, 300));
  }
  const char delimiter = DetectDelimiter(lines[header]);
  const std::vector<std::string> raw_names = SplitRow(lines[header], delimiter);
  std::vector<Name> names;
  for (const auto& f : raw_names) names.push_back(Split(f));
  const Columns c = ColumnsOf(out.layout, names);
  const std::string where_header = Where(path, static_cast<int>(header) + 1);
  if (c.time < 0 || c.current < 0 || c.voltage < 0 || c.step < 0) {
    std::string found;
    for (const auto& n : raw_names) found += (found.empty() ? "" : ", ") + n;
    throw InputError(where_header + ": a " + ToString(out.layout) +
                     " export without its time, current, voltage or step column (found: " + found +
                     "; expected " + Expected(out.layout) + ")");
  }
  const double time_scale = Scale(c.time_unit, "time", where_header);
  const double current_scale = Scale(c.current_unit, "current", where_header);
  const double voltage_scale = Scale(c.voltage_unit, "voltage", where_header);
  const bool decimal_comma = delimiter != ',';
  double offset_s = 0.0, last_raw = -1.0;
  bool reset_noted = false, state_noted = false;
  for (size_t i = header + 1; i < lines.size(); ++i) {
    const std::string t = TrimField(lines[i]);
    if (t.empty() || t[0] == '~' || t[0] == '#') continue;
    const auto fields = SplitRow(lines[i], delimiter);
    const int line = static_cast<int>(i) + 1;
    const std::string where = Where(path, line);
    // Every record lines up with the header: a field too many or too few shifts the columns.
    if (fields.size() != raw_names.size()) {
      throw InputError(where + ": " + std::to_string(fields.size()) + " fields; the header (line " +
                       std::to_string(header + 1) + ") names " + std::to_string(raw_names.size()));
    }
    auto field = [&](int col, const char* what) -> const std::string& {
      if (col >= static_cast<int>(fields.size())) {
        throw InputError(where + ": " + std::to_string(fields.size()) + " fields; the " + what +
                         " column is number " + std::to_string(col + 1));
      }
      return fields[static_cast<size_t>(col)];
    };
    auto number = [&](int col, const char* what) {
      double v = 0;
      const std::string& f = field(col, what);
      if (!ParseLabNumber(f, decimal_comma, &v)) {
        throw InputError(where + ": field " + raw_names[static_cast<size_t>(col)] + " = '" + f +
                         "' is not a finite number");
      }
      return v;
    };
    CyclerRecord r;
    r.line = line;
    double time_raw = 0;
    if (time_scale < 0) {
      if (!ParseClock(field(c.time, "time"), &time_raw)) {
        throw InputError(where + ": field " + raw_names[static_cast<size_t>(c.time)] + " = '" +
                         field(c.time, "time") + "' is not a time (h:min:s)");
      }
    } else {
      time_raw = number(c.time, "time") * time_scale;
    }
    // A time that restarts (Neware's step time, a resumed test) continues from where it was.
    if (time_raw < last_raw) {
      offset_s += last_raw;
      if (!reset_noted) out.notes.push_back("the time column restarts (step time): accumulated");
      reset_noted = true;
    }
    last_raw = time_raw;
    r.time_s = offset_s + time_raw;
    r.current_A = number(c.current, "current") * current_scale;
    r.voltage_V = number(c.voltage, "voltage") * voltage_scale;
    r.step = std::lround(number(c.step, "step"));
    r.cycle = c.cycle >= 0 ? std::lround(number(c.cycle, "cycle")) : 0;
    if (c.state >= 0) {
      // Maccor's magnitude with a state (C/D/R), Neware's step type (CC_DChg): discharge is
      // lithiation of the working electrode.
      const std::string s = Lower(TrimField(field(c.state, "state")));
      const bool discharge = s == "d" || s.find("dchg") != std::string::npos ||
                             s.find("discharge") != std::string::npos;
      const bool charge = s == "c" || (!discharge && (s.find("chg") != std::string::npos ||
                                                      s.find("charge") != std::string::npos));
      if (discharge && r.current_A > 0) r.current_A = -r.current_A;
      if (charge && r.current_A < 0) r.current_A = -r.current_A;
      if ((discharge || charge) && !state_noted) {
        out.notes.push_back("current signed by the " + raw_names[static_cast<size_t>(c.state)] +
                            " column (discharge = lithiation, negative)");
        state_noted = true;
      }
    }
    if (!std::isfinite(r.time_s) || !std::isfinite(r.current_A) || !std::isfinite(r.voltage_V)) {
      throw InputError(where + ": a value is not finite");
    }
    out.records.push_back(r);
  }
  if (out.records.empty()) throw InputError(path + ": a header but no records");
  out.notes.push_back(std::string("read as ") + ToString(out.layout) + " (" +
                      std::to_string(out.records.size()) + " records)");
  return out;
}

CyclerFile ReadCyclerFile(const std::string& path) {
  return ParseCyclerText(ReadTextFile(path, "cycler export"), path);
}

std::vector<CyclerSegment> LithiationSegments(const CyclerFile& file, double tolerance) {
  std::vector<CyclerSegment> out;
  const auto& r = file.records;
  size_t begin = 0;
  while (begin < r.size()) {
    size_t end = begin + 1;
    while (end < r.size() && r[end].step == r[begin].step && r[end].cycle == r[begin].cycle) ++end;
    std::vector<double> currents;
    for (size_t k = begin; k < end; ++k) currents.push_back(r[k].current_A);
    std::nth_element(currents.begin(), currents.begin() + static_cast<long>(currents.size() / 2),
                     currents.end());
    const double median = currents[currents.size() / 2];
    if (median < 0) {
      auto constant = [&](size_t k) {
        return std::abs(r[k].current_A - median) <= tolerance * std::abs(median);
      };
      size_t first = begin;
      while (first < end && !constant(first)) ++first;  // a first record at zero current
      size_t last = first;
      while (last + 1 < end && constant(last + 1)) ++last;  // a CV tail ends the CC part
      if (first < end && last > first) {
        CyclerSegment s;
        s.step = r[first].step;
        s.cycle = r[first].cycle;
        s.first_line = r[first].line;
        s.last_line = r[last].line;
        s.current_A = median;
        for (size_t k = first; k < last; ++k) {
          s.charge_C += 0.5 * (std::abs(r[k].current_A) + std::abs(r[k + 1].current_A)) *
                        (r[k + 1].time_s - r[k].time_s);
        }
        s.duration_s = r[last].time_s - r[first].time_s;
        s.end_voltage_V = r[last].voltage_V;
        out.push_back(s);
      }
    }
    begin = end;
  }
  return out;
}

std::vector<RatePoint> CyclerRateTests(const CyclerFile& file, const CellParameters& cell,
                                       const Design& design, double area_m2, double loading_C_m2,
                                       std::vector<std::string>* notes) {
  ValidateDesign(design);
  if (!(area_m2 > 0)) throw ConfigError("the cell's area must be > 0");
  const double per_area =
      loading_C_m2 > 0
          ? loading_C_m2
          : SummarizeDesign(cell.materials, cell.packing, design).theoretical_capacity_C_m2;
  const double capacity_C = per_area * area_m2;
  std::vector<RatePoint> rows;
  for (const auto& s : LithiationSegments(file)) {
    const std::string origin =
        file.path + ":" + std::to_string(s.first_line) + "-" + std::to_string(s.last_line);
    if (s.last_line - s.first_line < 4) {
      if (notes)
        notes->push_back(origin +
                         ": a lithiation segment of fewer than 5 records left "
                         "out (a pulse, not a rate test)");
      continue;
    }
    RatePoint p;
    p.design = design;
    p.c_rate = std::abs(s.current_A) * 3600.0 / capacity_C;
    p.measured_utilization = s.charge_C / capacity_C;
    if (loading_C_m2 > 0) p.theoretical_capacity_C_m2 = loading_C_m2;
    p.origin = origin;
    if (!(p.measured_utilization <= 1.02)) {
      throw InputError(origin + ": the segment delivered " + FormatG(s.charge_C / 3.6, 4) +
                       " mAh, " + FormatG(p.measured_utilization, 3) +
                       " of the cell's theoretical " + FormatG(capacity_C / 3.6, 4) +
                       " mAh; check the area and the loading (or the design)");
    }
    if (!(p.c_rate >= kCRateRange.lo && p.c_rate <= kCRateRange.hi)) {
      throw InputError(origin + ": C-rate " + FormatG(p.c_rate, 4) + " out of range; expected " +
                       kCRateRange.Describe() + " (check the area and the loading)");
    }
    rows.push_back(p);
  }
  if (rows.empty()) {
    throw InputError(file.path +
                     ": no constant-current lithiation segment (negative current "
                     "in one step) to make a rate test of");
  }
  return rows;
}

}  // namespace edopt
