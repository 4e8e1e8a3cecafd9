// Text spectra (docs/formats.md §5): plain CSV with or without a header, Gamry .DTA, BioLogic
// .mpt, ZView/ZPlot .z and instrument text exports with a preamble. The format is detected
// from the content, columns are found by header name, and the rows become SpectrumPoints that
// SplitSweeps (spectrum.cpp) validates.
#include <algorithm>
#include <cctype>
#include <cmath>

#include "formats/fields.h"
#include "formats/files.h"
#include "formats/spectrum.h"
#include "models/errors.h"

namespace edopt {

namespace {

struct Columns {
  int f = -1, re = -1, im = -1;
  bool im_negated = false;  // the column holds -Im(Z)
  // Where Re/Im are absent: the modulus and phase (degrees unless the header says rad).
  int modulus = -1, phase = -1;
  bool phase_radians = false;
  bool polar() const { return re < 0 && im < 0 && modulus >= 0 && phase >= 0; }
};

// A header name reduced to its quantity: lower case, no blanks, no unit ("/Ohm", "[Hz]",
// "(ohm)" after the quantity, "_ohm" suffixes); a leading '-' is reported separately.
std::string Quantity(const std::string& raw, bool* negated, std::string* unit) {
  std::string n = Lower(raw);
  n.erase(std::remove(n.begin(), n.end(), ' '), n.end());
  *negated = !n.empty() && n[0] == '-';
  if (*negated) n.erase(0, 1);
  *unit = "";
  for (char sep : {'/', '['}) {
    const auto at = n.find(sep);
    if (at != std::string::npos) {
      *unit += n.substr(at + 1);
      n.erase(at);
    }
  }
  // "Z'(ohm)", "Freq(Hz)": a trailing parenthesis after a quantity that is not itself "x(z)".
  const auto open = n.find('(');
  if (open != std::string::npos && open > 0 && n.back() == ')' &&
      !(n.size() == open + 3 && n[open + 1] == 'z')) {
    *unit += n.substr(open + 1, n.size() - open - 2);
    n.erase(open);
  }
  for (const char* suffix : {"_ohms", "_ohm", "_hz", "_deg", "_rad"}) {
    const std::string u = suffix;
    if (n.size() > u.size() && n.compare(n.size() - u.size(), u.size(), u) == 0) {
      *unit += u.substr(1);
      n.erase(n.size() - u.size());
    }
  }
  return n;
}

bool OneOf(const std::string& n, std::initializer_list<const char*> names) {
  for (const char* name : names) {
    if (n == name) return true;
  }
  return false;
}

// Column roles from header names ("freq/Hz", "Re(Z)/Ohm", "-Im(Z)/Ohm", "Zreal", "Z''", ...).
// Matching is exact about the quantity: "Re(Y)/Ohm-1" (admittance) is not Re(Z), and a Z column
// whose unit is a conductance is refused.
Columns FromHeader(const std::vector<std::string>& names) {
  Columns c;
  for (int i = 0; i < static_cast<int>(names.size()); ++i) {
    bool negated = false;
    std::string unit;
    const std::string n = Quantity(names[i], &negated, &unit);
    const bool conductance = unit.find("ohm-1") != std::string::npos || unit == "s" ||
                             unit.find("siemens") != std::string::npos;
    const bool is_f = OneOf(n, {"f", "freq", "frequency", "freq.", "frequency(hz)"});
    const bool is_im =
        !conductance && OneOf(n, {"im(z)", "z''", "z\"", "zimag", "zim", "im", "imag", "z_im",
                                  "z_imag", "imz", "zi", "zimg", "imaginary"});
    const bool is_re = !conductance && OneOf(n, {"re(z)", "z'", "zreal", "zre", "re", "real",
                                                 "z_re", "z_real", "rez", "zr"});
    const bool is_mod = !conductance && OneOf(n, {"|z|", "zmod", "mod(z)", "z", "impedance"});
    const bool is_phase = OneOf(n, {"phase(z)", "zphz", "phase", "phz", "theta"});
    if (is_f && c.f < 0) c.f = i;
    if (is_re && c.re < 0) c.re = i;
    if (is_im && c.im < 0) {
      c.im = i;
      c.im_negated = negated;
    }
    if (is_mod && c.modulus < 0) c.modulus = i;
    if (is_phase && c.phase < 0) {
      c.phase = i;
      c.phase_radians = unit.find("rad") != std::string::npos;
    }
  }
  return c;
}

// The names of a header line. A line quoted as a whole ("  Freq(Hz)  Ampl ...", ZPlotW without
// its comment block) is unquoted first: the quote must not become a name of its own and shift
// every column by one. Trailing empty names (a delimiter at the end of the line) are dropped.
std::vector<std::string> HeaderNames(const std::string& line) {
  std::string t = TrimField(line);
  if (t.size() >= 2 && t.front() == '"' && t.back() == '"' &&
      std::count(t.begin(), t.end(), '"') == 2)
    t = t.substr(1, t.size() - 2);
  return SplitRow(t, DetectDelimiter(t));
}

// The number of fields of a data row (a trailing delimiter adds none).
size_t RowWidth(const std::string& line) { return SplitRow(line, DetectDelimiter(line)).size(); }

std::string Joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// ZView/ZPlot rows: Freq, Ampl, Bias, Time, Z', Z'', GD, Err, Range.
constexpr size_t kZviewWidth = 9;

class Parser {
 public:
  Parser(const std::string& text, std::string path)
      : lines_(SplitLines(text)), path_(std::move(path)) {}

  SpectrumFile Parse() {
    SpectrumFile out;
    out.path = path_;
    size_t first = 0;
    while (first < lines_.size() && TrimField(lines_[first]).empty()) ++first;
    if (first == lines_.size()) throw InputError(path_ + ": the file is empty");
    const std::string head = Lower(lines_[first]);
    std::vector<SpectrumPoint> points;
    // Detected by keywords anywhere in the file (a Gamry ZCURVE may follow a long OCV table).
    if (Contains("ec-lab ascii file") || Contains("nb header lines")) {
      out.format = SpectrumFormat::kBiologicMpt;
      points = ReadBiologic(&out.notes);
    } else if (StartsALine("zcurve")) {
      out.format = SpectrumFormat::kGamryDta;
      points = ReadGamry(&out.notes);
    } else if (head.find("zplot") != std::string::npos || head.find("z60w") != std::string::npos ||
               Contains("end comments")) {
      out.format = SpectrumFormat::kZviewZ;
      points = ReadZview(&out.notes);
    } else {
      out.format = SpectrumFormat::kCsv;
      while (first < lines_.size() &&
             (TrimField(lines_[first]).empty() || TrimField(lines_[first])[0] == '#'))
        ++first;  // '#' comment lines before the header
      if (first == lines_.size()) throw InputError(path_ + ": no data rows (only comments)");
      points = ReadCsv(first, &out.notes);
    }
    if (dc_rows_ > 0) {
      out.notes.push_back(std::to_string(dc_rows_) +
                          " row(s) of frequency 0 and impedance 0 (the DC part of the "
                          "experiment) skipped");
    }
    out.sweeps = SplitSweeps(points, path_);
    return out;
  }

 private:
  bool Contains(const std::string& lower_text) const {
    for (const auto& line : lines_) {
      if (Lower(line).find(lower_text) != std::string::npos) return true;
    }
    return false;
  }

  bool StartsALine(const std::string& lower_text) const {
    for (const auto& line : lines_) {
      if (Lower(TrimField(line)).rfind(lower_text, 0) == 0) return true;
    }
    return false;
  }

  // Whether a line's first field is a number (a data row rather than text).
  bool Numeric(const std::string& line) const {
    const auto fields = SplitFields(line, DetectDelimiter(line));
    double v = 0;
    return !fields.empty() && ParseLabNumber(fields[0], true, &v);
  }

  std::string Where(int line) const { return edopt::Where(path_, line); }

  // Data rows from `begin` with the given columns; stops at the first blank line when
  // `stop_at_blank` (tables inside instrument files), else skips blanks and '#' comments.
  std::vector<SpectrumPoint> Rows(size_t begin, const Columns& c,
                                  const std::vector<std::string>& names, bool stop_at_blank,
                                  bool stop_at_text, bool whitespace = false) const {
    std::vector<SpectrumPoint> points;
    for (size_t i = begin; i < lines_.size(); ++i) {
      const std::string t = TrimField(lines_[i]);
      if (t.empty() || t[0] == '#') {
        if (stop_at_blank && t.empty() && !points.empty()) break;
        continue;
      }
      if (t[0] == '<') {  // a tag closes the table of XML-like exports (VersaStudio .par)
        if (!points.empty()) break;
        continue;
      }
      const char delimiter = whitespace ? ' ' : DetectDelimiter(lines_[i]);
      const auto fields = SplitFields(lines_[i], delimiter);
      const int line = static_cast<int>(i) + 1;
      const bool polar = c.polar();
      const int cols[3] = {c.f, polar ? c.modulus : c.re, polar ? c.phase : c.im};
      const int need = std::max({cols[0], cols[1], cols[2]});
      if (static_cast<int>(fields.size()) <= need) {
        if (stop_at_text) break;
        throw InputError(
            Where(line) + ": " + std::to_string(fields.size()) + " fields; expected at least " +
            std::to_string(need + 1) +
            (polar ? " (frequency, |Z|, phase columns)" : " (frequency, Z', Z'' columns)"));
      }
      SpectrumPoint p{0, 0, 0, line};
      double* targets[3] = {&p.f, &p.re, &p.im};
      for (int k = 0; k < 3; ++k) {
        if (!ParseLabNumber(fields[cols[k]], delimiter != ',', targets[k])) {
          if (stop_at_text && k == 0 && points.size() > 0) return points;
          const std::string name =
              cols[k] < static_cast<int>(names.size()) && !names[cols[k]].empty()
                  ? names[cols[k]]
                  : "column " + std::to_string(cols[k] + 1);
          throw InputError(Where(line) + ": field " + name + " = '" + fields[cols[k]] +
                           "' is not a finite number");
        }
      }
      if (polar) {  // |Z| and phase -> Z' + i Z''
        const double modulus = p.re;
        const double phase = c.phase_radians ? p.im : p.im * 3.14159265358979323846 / 180.0;
        p.re = modulus * std::cos(phase);
        p.im = modulus * std::sin(phase);
      }
      if (c.im_negated) p.im = -p.im;
      if (p.f == 0 && p.re == 0 && p.im == 0) {  // the DC part of an experiment (Parstat)
        ++dc_rows_;
        continue;
      }
      points.push_back(p);
    }
    return points;
  }

  void RequireColumns(const Columns& c, const std::vector<std::string>& names, int line,
                      std::vector<std::string>* notes) const {
    std::string missing;
    if (c.f < 0) missing += " frequency";
    if (!c.polar()) {
      if (c.re < 0) missing += " Re(Z)";
      if (c.im < 0) missing += " Im(Z)";
    }
    if (missing.empty()) {
      if (c.polar() && notes != nullptr) {
        notes->push_back("no Re(Z)/Im(Z) columns: Z computed from '" + names[c.modulus] +
                         "' and '" + names[c.phase] + "' (" +
                         (c.phase_radians ? "radians" : "degrees") + ")");
      }
      return;
    }
    std::string found;
    for (const auto& n : names) found += (found.empty() ? "" : ", ") + n;
    throw InputError(
        Where(line) + ": missing column(s)" + missing +
        " in the header, and no |Z| and phase columns to compute Z from (found: " + found + ")");
  }

  std::vector<SpectrumPoint> ReadBiologic(std::vector<std::string>* notes) const {
    const size_t header = BiologicHeaderLines(lines_, path_);
    if (header == 0 || header > lines_.size()) {
      throw InputError(path_ +
                       ": BioLogic header line count missing or beyond the end of the file");
    }
    const auto names = SplitFields(lines_[header - 1], '\t');
    const Columns c = FromHeader(names);
    RequireColumns(c, names, static_cast<int>(header), notes);
    if (c.im_negated) notes->push_back("column '" + names[c.im] + "' negated to Z''");
    return Rows(header, c, names, false, false);
  }

  // Gamry: every ZCURVE table (header, units line, rows). Split on whitespace: Gamry's names and
  // values hold no blanks, and exports with spaces instead of tabs must line up the same way.
  std::vector<SpectrumPoint> ReadGamry(std::vector<std::string>* notes) const {
    std::vector<SpectrumPoint> all;
    for (size_t i = 0; i < lines_.size(); ++i) {
      if (Lower(TrimField(lines_[i])).rfind("zcurve", 0) != 0) continue;
      if (i + 2 >= lines_.size())
        throw InputError(Where(static_cast<int>(i) + 1) + ": ZCURVE table has no header");
      const auto names = SplitFields(lines_[i + 1], ' ');
      const Columns c = FromHeader(names);
      RequireColumns(c, names, static_cast<int>(i) + 2, notes);
      auto points = Rows(i + 3, c, names, true, true, true);  // after the units line
      all.insert(all.end(), points.begin(), points.end());
    }
    return all;
  }

  // ZView/ZPlot: rows after 'End Comments', or, without that line, after the text header.
  // ZView/ZPlot: rows after 'End Comments', or, without that line, the first table of data
  // rows (the header may hold a sweep-parameter line such as 0,3,0,1,300000,0.005 and a point
  // count before the table). Columns by the header line just above the table when it names
  // them, else Freq, Ampl, Bias, Time, Z', Z'', GD, Err, Range (or just f, Z', Z'').
  std::vector<SpectrumPoint> ReadZview(std::vector<std::string>* notes) const {
    size_t begin = lines_.size();
    for (size_t i = 0; i < lines_.size(); ++i) {
      if (Lower(lines_[i]).find("end comments") != std::string::npos) begin = i + 1;
    }
    if (begin == lines_.size()) begin = FirstTable(0);
    size_t probe = begin;
    while (probe < lines_.size() && TrimField(lines_[probe]).empty()) ++probe;
    if (probe == lines_.size()) throw InputError(path_ + ": no data rows after the ZPlot header");
    const size_t width = RowWidth(lines_[probe]);
    size_t above = probe;
    while (above > 0 && TrimField(lines_[above - 1]).empty()) --above;
    // A header the comment block ends with (ZPlot) or just above the rows (ZPlotW without
    // comments): its names, when they line up with the rows.
    for (size_t h = above; h > 0 && h + 3 > above; --h) {
      if (Numeric(lines_[h - 1])) break;
      const auto names = HeaderNames(lines_[h - 1]);
      const Columns named = FromHeader(names);
      if (named.f >= 0 && named.re >= 0 && named.im >= 0 && names.size() == width) {
        if (named.im_negated) notes->push_back("column '" + names[named.im] + "' negated to Z''");
        return Rows(probe, named, names, false, false);
      }
    }
    Columns c;
    c.f = 0;
    if (width == kZviewWidth) {  // the layout ZView defines
      c.re = 4;
      c.im = 5;
      notes->push_back(
          "columns by the ZView layout: Freq, Ampl, Bias, Time, Z', Z'', GD, Err, Range");
    } else if (width == 3) {
      c.re = 1;
      c.im = 2;
      notes->push_back("three columns read as Freq, Z', Z''");
    } else {
      throw InputError(Where(static_cast<int>(probe) + 1) + ": " + std::to_string(width) +
                       " fields and no header naming them; a ZView/ZPlot row holds 9 (Freq, "
                       "Ampl, Bias, Time, Z', Z'', GD, Err, Range)");
    }
    return Rows(probe, c, {}, false, false);
  }

  // The first line of a table: three numeric lines in a row with the same number of fields
  // (at least three). Single numbers (a point count) and a parameter line of another width
  // above it are header, not data. lines_.size() when there is none.
  size_t FirstTable(size_t from) const {
    auto width = [&](size_t i) {
      return SplitFields(lines_[i], DetectDelimiter(lines_[i])).size();
    };
    for (size_t i = from; i < lines_.size(); ++i) {
      if (!Numeric(lines_[i]) || width(i) < 3) continue;
      size_t run = 1, k = i + 1;
      for (; k < lines_.size() && run < 3; ++k) {
        if (!Numeric(lines_[k]) || width(k) != width(i)) break;
        ++run;
      }
      if (run >= 3 || k == lines_.size()) return i;
    }
    return lines_.size();
  }

  // The header of a text export: the first line before the data whose names give a frequency
  // and Z (Re/Im or |Z|/phase). Instrument text exports (CH Instruments, Parstat, PowerSuite,
  // Autolab) put a preamble of settings above it. Returns lines_.size() when there is none.
  size_t FindHeader(size_t first) const {
    for (size_t i = first; i < lines_.size(); ++i) {
      if (Numeric(lines_[i])) return lines_.size();  // data reached without a header
      const Columns c = FromHeader(HeaderNames(lines_[i]));
      if (c.f >= 0 && ((c.re >= 0 && c.im >= 0) || c.polar())) return i;
    }
    return lines_.size();
  }

  std::vector<SpectrumPoint> ReadCsv(size_t first, std::vector<std::string>* notes) const {
    const bool header = !Numeric(lines_[first]);
    Columns c;
    std::vector<std::string> names;
    size_t data = first;
    long count = -1;  // a point count on its own line under the header (Eco Chemie .P00)
    if (header) {
      const size_t at = FindHeader(first);
      if (at == lines_.size()) {  // report the first line's names
        names = HeaderNames(lines_[first]);
        RequireColumns(FromHeader(names), names, static_cast<int>(first) + 1, notes);
      }
      if (at > first) notes->push_back(std::to_string(at - first) + " preamble line(s) skipped");
      first = at;
      names = HeaderNames(lines_[first]);
      c = FromHeader(names);
      RequireColumns(c, names, static_cast<int>(first) + 1, notes);
      if (c.im_negated) notes->push_back("column '" + names[c.im] + "' negated to Z''");
      data = first + 1;
      while (data < lines_.size() && TrimField(lines_[data]).empty()) ++data;
      double n = 0;
      if (data < lines_.size() && RowWidth(lines_[data]) == 1 &&
          ParseLabNumber(TrimField(lines_[data]), false, &n) && n >= 1 && n == std::floor(n)) {
        count = static_cast<long>(n);
        ++data;
      }
      // The names must line up with the rows: a header that splits differently (a unit after a
      // blank, a quote of its own) would shift every column.
      size_t row = data;
      while (row < lines_.size() &&
             (TrimField(lines_[row]).empty() || TrimField(lines_[row])[0] == '#'))
        ++row;
      if (row < lines_.size() && RowWidth(lines_[row]) != names.size()) {
        throw InputError(Where(static_cast<int>(row) + 1) + ": the header (line " +
                         std::to_string(first + 1) + ") has " + std::to_string(names.size()) +
                         " names (" + Joined(names) + ") but this row holds " +
                         std::to_string(RowWidth(lines_[row])) +
                         " fields: which column is which cannot be told; separate the header's "
                         "names as the rows are separated");
      }
    } else {
      c.f = 0;
      c.re = 1;
      c.im = 2;
    }
    auto points = Rows(data, c, names, false, false);
    if (points.empty()) throw InputError(path_ + ": a header but no data rows");
    if (count >= 0 && static_cast<long>(points.size() + dc_rows_) != count) {
      throw InputError(Where(static_cast<int>(first) + 2) + ": point count " +
                       std::to_string(count) + " but " + std::to_string(points.size() + dc_rows_) +
                       " rows follow (a truncated or edited file)");
    }
    if (!header || c.polar()) CapacitiveSign(&points, header ? "phase" : "third", notes);
    return points;
  }

  // Blocking cells are capacitive: where the sign of Z'' is not given by a header, a mostly
  // positive Z'' is taken as -Z'' (and said so).
  static void CapacitiveSign(std::vector<SpectrumPoint>* points, const std::string& what,
                             std::vector<std::string>* notes) {
    std::vector<double> im;
    for (const auto& p : *points) im.push_back(p.im);
    std::nth_element(im.begin(), im.begin() + static_cast<long>(im.size() / 2), im.end());
    if (im[im.size() / 2] > 0) {
      for (auto& p : *points) p.im = -p.im;
      notes->push_back(what == "third"
                           ? "no header: columns read as f, Z', -Z'' (third column mostly positive)"
                           : "phase mostly positive: read as the phase of -Z (capacitive cell)");
    } else if (what == "third") {
      notes->push_back("no header: columns read as f, Z', Z''");
    }
  }

  std::vector<std::string> lines_;
  std::string path_;
  mutable size_t dc_rows_ = 0;
};

}  // namespace

SpectrumFile ParseSpectrumText(const std::string& text, const std::string& path) {
  return Parser(WithoutBom(text), path).Parse();
}

}  // namespace edopt
