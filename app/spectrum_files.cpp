#include "app/spectrum_files.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "models/errors.h"

namespace edopt {

const char* ToString(SpectrumFormat format) {
  switch (format) {
    case SpectrumFormat::kCsv:
      return "csv";
    case SpectrumFormat::kGamryDta:
      return "gamry-dta";
    case SpectrumFormat::kBiologicMpt:
      return "biologic-mpt";
    case SpectrumFormat::kZviewZ:
      return "zview-z";
  }
  return "?";
}

namespace {

constexpr size_t kMinPoints = 5;  // the TLM fit has up to 5 parameters

std::string Trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r\"");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r\"") - b + 1);
}

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
  }
  return lines;
}

char Delimiter(const std::string& line) {
  if (line.find('\t') != std::string::npos) return '\t';
  if (line.find(';') != std::string::npos) return ';';
  if (line.find(',') != std::string::npos) return ',';
  return ' ';
}

std::vector<std::string> Split(const std::string& line, char delimiter) {
  std::vector<std::string> fields;
  if (delimiter == ' ') {
    std::istringstream in(line);
    std::string token;
    while (in >> token) fields.push_back(token);
    return fields;
  }
  std::string field;
  std::istringstream in(line);
  while (std::getline(in, field, delimiter)) fields.push_back(Trim(field));
  if (!line.empty() && line.back() == delimiter) fields.emplace_back();
  return fields;
}

bool ParseNumber(std::string token, bool decimal_comma, double* value) {
  token = Trim(token);
  if (decimal_comma) std::replace(token.begin(), token.end(), ',', '.');
  if (token.empty()) return false;
  char* end = nullptr;
  *value = std::strtod(token.c_str(), &end);
  return end == token.c_str() + token.size() && std::isfinite(*value);
}

struct Point {
  double f, re, im;
  int line;
};

struct Columns {
  int f = -1, re = -1, im = -1;
  bool im_negated = false;  // the column holds -Im(Z)
};

// Column roles from header names ("freq/Hz", "Re(Z)/Ohm", "-Im(Z)/Ohm", "Zreal", "Z''", ...).
Columns FromHeader(const std::vector<std::string>& names) {
  Columns c;
  for (int i = 0; i < static_cast<int>(names.size()); ++i) {
    std::string n = Lower(names[i]);
    n.erase(std::remove(n.begin(), n.end(), ' '), n.end());
    const bool negated = !n.empty() && n[0] == '-';
    if (negated) n.erase(0, 1);
    n = n.substr(0, n.find('/'));
    n = n.substr(0, n.find('['));
    if (n.rfind("re(z", 0) != 0 && n.rfind("im(z", 0) != 0) n = n.substr(0, n.find('('));
    for (const char* unit : {"_ohms", "_ohm", "_hz"}) {  // unit suffixes: z_real_ohm
      const std::string u = unit;
      if (n.size() > u.size() && n.compare(n.size() - u.size(), u.size(), u) == 0)
        n.erase(n.size() - u.size());
    }
    const bool is_f = n == "f" || n.rfind("freq", 0) == 0;
    const bool is_im = n.rfind("im(z", 0) == 0 || n.rfind("z''", 0) == 0 || n == "zimag" ||
                       n == "zim" || n == "im" || n == "imag" || n == "z_im" || n == "z_imag" ||
                       n == "imz" || n == "imag(z)" || n == "zi" || n == "z\"";
    const bool is_re = !is_im && (n.rfind("re(z", 0) == 0 || n.rfind("z'", 0) == 0 ||
                                  n == "zreal" || n == "zre" || n == "re" || n == "real" ||
                                  n == "z_re" || n == "z_real" || n == "rez" || n == "zr");
    if (is_f && c.f < 0) c.f = i;
    if (is_re && c.re < 0) c.re = i;
    if (is_im && c.im < 0) {
      c.im = i;
      c.im_negated = negated;
    }
  }
  return c;
}

class Parser {
 public:
  Parser(const std::string& text, std::string path)
      : lines_(SplitLines(text)), path_(std::move(path)) {}

  SpectrumFile Parse() {
    SpectrumFile out;
    out.path = path_;
    size_t first = 0;
    while (first < lines_.size() && Trim(lines_[first]).empty()) ++first;
    if (first == lines_.size()) throw InputError(path_ + ": the file is empty");
    const std::string head = Lower(lines_[first]);
    std::vector<Point> points;
    if (Contains("ec-lab ascii file") || Contains("nb header lines")) {
      out.format = SpectrumFormat::kBiologicMpt;
      points = ReadBiologic(&out.notes);
    } else if (Contains("zcurve")) {
      out.format = SpectrumFormat::kGamryDta;
      points = ReadGamry();
    } else if (head.find("zplot") != std::string::npos || Contains("end comments")) {
      out.format = SpectrumFormat::kZviewZ;
      points = ReadZview();
    } else {
      out.format = SpectrumFormat::kCsv;
      while (first < lines_.size() &&
             (Trim(lines_[first]).empty() || Trim(lines_[first])[0] == '#'))
        ++first;  // '#' comment lines before the header
      if (first == lines_.size()) throw InputError(path_ + ": no data rows (only comments)");
      points = ReadCsv(first, &out.notes);
    }
    out.sweeps = Sweeps(points);
    return out;
  }

 private:
  bool Contains(const std::string& lower_text) const {
    const size_t scan = std::min<size_t>(lines_.size(), 200);
    for (size_t i = 0; i < scan; ++i) {
      if (Lower(lines_[i]).find(lower_text) != std::string::npos) return true;
    }
    return false;
  }

  std::string Where(int line) const { return path_ + ":" + std::to_string(line); }

  // Data rows from `begin` with the given columns; stops at the first blank line when
  // `stop_at_blank` (tables inside instrument files), else skips blanks and '#' comments.
  std::vector<Point> Rows(size_t begin, const Columns& c, const std::vector<std::string>& names,
                          bool stop_at_blank, bool stop_at_text) const {
    std::vector<Point> points;
    for (size_t i = begin; i < lines_.size(); ++i) {
      const std::string t = Trim(lines_[i]);
      if (t.empty() || t[0] == '#') {
        if (stop_at_blank && t.empty() && !points.empty()) break;
        continue;
      }
      const char delimiter = Delimiter(lines_[i]);
      const auto fields = Split(lines_[i], delimiter);
      const int line = static_cast<int>(i) + 1;
      const int need = std::max({c.f, c.re, c.im});
      if (static_cast<int>(fields.size()) <= need) {
        if (stop_at_text) break;
        throw InputError(Where(line) + ": " + std::to_string(fields.size()) +
                         " fields; expected at least " + std::to_string(need + 1) +
                         " (frequency, Z', Z'' columns)");
      }
      Point p{0, 0, 0, line};
      double* targets[3] = {&p.f, &p.re, &p.im};
      const int cols[3] = {c.f, c.re, c.im};
      for (int k = 0; k < 3; ++k) {
        if (!ParseNumber(fields[cols[k]], delimiter != ',', targets[k])) {
          if (stop_at_text && k == 0 && points.size() > 0) return points;
          const std::string name =
              cols[k] < static_cast<int>(names.size()) && !names[cols[k]].empty()
                  ? names[cols[k]]
                  : "column " + std::to_string(cols[k] + 1);
          throw InputError(Where(line) + ": field " + name + " = '" + fields[cols[k]] +
                           "' is not a finite number");
        }
      }
      if (c.im_negated) p.im = -p.im;
      points.push_back(p);
    }
    return points;
  }

  void RequireColumns(const Columns& c, const std::vector<std::string>& names, int line) const {
    std::string missing;
    if (c.f < 0) missing += " frequency";
    if (c.re < 0) missing += " Re(Z)";
    if (c.im < 0) missing += " Im(Z)";
    if (missing.empty()) return;
    std::string found;
    for (const auto& n : names) found += (found.empty() ? "" : ", ") + n;
    throw InputError(Where(line) + ": missing column(s)" + missing +
                     " in the header (found: " + found + ")");
  }

  std::vector<Point> ReadBiologic(std::vector<std::string>* notes) const {
    size_t header = 0;
    for (size_t i = 0; i < lines_.size() && i < 200; ++i) {
      const std::string l = Lower(lines_[i]);
      const auto at = l.find("nb header lines");
      if (at != std::string::npos) {
        const auto colon = l.find(':', at);
        double n = 0;
        if (colon == std::string::npos || !ParseNumber(l.substr(colon + 1), false, &n) || n < 1) {
          throw InputError(Where(static_cast<int>(i) + 1) + ": field 'Nb header lines' = '" +
                           Trim(lines_[i]) + "' is not a line count");
        }
        header = static_cast<size_t>(n);
        break;
      }
    }
    if (header == 0 || header > lines_.size()) {
      throw InputError(path_ +
                       ": BioLogic header line count missing or beyond the end of the file");
    }
    const auto names = Split(lines_[header - 1], '\t');
    const Columns c = FromHeader(names);
    RequireColumns(c, names, static_cast<int>(header));
    if (c.im_negated) notes->push_back("column '" + names[c.im] + "' negated to Z''");
    return Rows(header, c, names, false, false);
  }

  std::vector<Point> ReadGamry() const {
    std::vector<Point> all;
    for (size_t i = 0; i < lines_.size(); ++i) {
      if (Lower(Trim(lines_[i])).rfind("zcurve", 0) != 0) continue;
      if (i + 2 >= lines_.size())
        throw InputError(Where(static_cast<int>(i) + 1) + ": ZCURVE table has no header");
      const auto names = Split(lines_[i + 1], '\t');
      const Columns c = FromHeader(names);
      RequireColumns(c, names, static_cast<int>(i) + 2);
      auto points = Rows(i + 3, c, names, true, true);  // after the units line
      all.insert(all.end(), points.begin(), points.end());
    }
    return all;
  }

  std::vector<Point> ReadZview() const {
    size_t begin = 0;
    for (size_t i = 0; i < lines_.size(); ++i) {
      if (Lower(lines_[i]).find("end comments") != std::string::npos) begin = i + 1;
    }
    // Data: Freq, Ampl, Bias, Time, Z', Z'', GD, Err, Range (or just f, Z', Z'').
    size_t probe = begin;
    while (probe < lines_.size() && Trim(lines_[probe]).empty()) ++probe;
    if (probe == lines_.size()) throw InputError(path_ + ": no data after 'End Comments'");
    const auto fields = Split(lines_[probe], Delimiter(lines_[probe]));
    Columns c;
    c.f = 0;
    c.re = fields.size() >= 6 ? 4 : 1;
    c.im = fields.size() >= 6 ? 5 : 2;
    return Rows(begin, c, {}, false, false);
  }

  std::vector<Point> ReadCsv(size_t first, std::vector<std::string>* notes) const {
    const char delimiter = Delimiter(lines_[first]);
    const auto fields = Split(lines_[first], delimiter);
    double v = 0;
    const bool header = !ParseNumber(fields.empty() ? "" : fields[0], delimiter != ',', &v);
    Columns c;
    std::vector<std::string> names;
    if (header) {
      names = fields;
      c = FromHeader(names);
      RequireColumns(c, names, static_cast<int>(first) + 1);
      if (c.im_negated) notes->push_back("column '" + names[c.im] + "' negated to Z''");
    } else {
      c.f = 0;
      c.re = 1;
      c.im = 2;
    }
    auto points = Rows(header ? first + 1 : first, c, names, false, false);
    if (points.empty()) throw InputError(path_ + ": a header but no data rows");
    if (!header) {
      // Without a header the sign is read from the data: blocking cells are capacitive, so a
      // mostly positive third column is -Z''.
      std::vector<double> im;
      for (const auto& p : points) im.push_back(p.im);
      std::nth_element(im.begin(), im.begin() + static_cast<long>(im.size() / 2), im.end());
      if (im[im.size() / 2] > 0) {
        for (auto& p : points) p.im = -p.im;
        notes->push_back("no header: columns read as f, Z', -Z'' (third column mostly positive)");
      } else {
        notes->push_back("no header: columns read as f, Z', Z''");
      }
    }
    return points;
  }

  // Splits where the frequency reverses; validates every sweep.
  std::vector<Spectrum> Sweeps(const std::vector<Point>& points) const {
    if (points.empty()) throw InputError(path_ + ": no data rows");
    std::vector<std::vector<Point>> groups(1);
    int direction = 0;
    for (const auto& p : points) {
      if (!(p.f > 0)) {
        throw InputError(Where(p.line) + ": frequency = " + std::to_string(p.f) +
                         " Hz; expected > 0");
      }
      auto& g = groups.back();
      if (!g.empty()) {
        const double prev = g.back().f;
        if (p.f == prev) {
          throw InputError(Where(p.line) + ": frequency " + std::to_string(p.f) +
                           " Hz repeats the previous row");
        }
        const int d = p.f > prev ? 1 : -1;
        if (direction != 0 && d != direction) {
          groups.emplace_back();
          direction = 0;
        } else {
          direction = d;
        }
      }
      groups.back().push_back(p);
    }
    std::vector<Spectrum> sweeps;
    for (size_t k = 0; k < groups.size(); ++k) {
      const auto& g = groups[k];
      // A reversal right after one point leaves a singleton: it belongs to no sweep.
      if (g.size() < kMinPoints) {
        throw InputError(Where(g.front().line) + ": sweep " + std::to_string(k + 1) + " has " +
                         std::to_string(g.size()) + " points; the fit needs at least " +
                         std::to_string(kMinPoints));
      }
      Spectrum s;
      s.name = groups.size() > 1 ? path_ + "#" + std::to_string(k + 1) : path_;
      for (const auto& p : g) {
        s.frequency_Hz.push_back(p.f);
        s.impedance_ohm.emplace_back(p.re, p.im);
      }
      sweeps.push_back(std::move(s));
    }
    return sweeps;
  }

  std::vector<std::string> lines_;
  std::string path_;
};

}  // namespace

SpectrumFile ParseSpectrumText(const std::string& text, const std::string& path) {
  return Parser(text, path).Parse();
}

SpectrumFile ReadSpectrumFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open the spectrum file");
  std::stringstream buffer;
  buffer << in.rdbuf();
  return ParseSpectrumText(buffer.str(), path);
}

}  // namespace edopt
