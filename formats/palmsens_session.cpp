// PalmSens PSTrace session files (.pssession, docs/formats.md §5): a JSON document in UTF-16LE
// (with a byte-order mark, and bytes after the closing brace). Each measurement whose data set
// is an EIS one holds value arrays by unit type: frequency ("Hertz"), "ZRe" and "ZIm", the
// latter stored as -Im(Z) (the PSTrace convention; the open reader pyimpspec negates it the
// same way). Every measurement becomes its own sweep.
#include <nlohmann/json.hpp>

#include "formats/spectrum.h"
#include "models/errors.h"

namespace edopt {

namespace {

// UTF-16LE code units to UTF-8 (surrogate pairs joined; an unpaired one is refused).
std::string Utf8FromUtf16Le(const std::string& bytes, size_t begin, const std::string& path) {
  std::string out;
  out.reserve(bytes.size() / 2);
  auto unit = [&](size_t i) {
    return static_cast<unsigned>(static_cast<unsigned char>(bytes[i])) |
           static_cast<unsigned>(static_cast<unsigned char>(bytes[i + 1])) << 8;
  };
  for (size_t i = begin; i + 1 < bytes.size(); i += 2) {
    unsigned c = unit(i);
    if (c >= 0xD800 && c < 0xDC00) {
      if (i + 3 >= bytes.size() || unit(i + 2) < 0xDC00 || unit(i + 2) >= 0xE000)
        throw InputError(path + ": byte " + std::to_string(i) + ": broken UTF-16 surrogate pair");
      c = 0x10000 + ((c - 0xD800) << 10) + (unit(i + 2) - 0xDC00);
      i += 2;
    }
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else if (c < 0x800) {
      out += static_cast<char>(0xC0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
      out += static_cast<char>(0xE0 | (c >> 12));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (c >> 18));
      out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (c & 0x3F));
    }
  }
  return out;
}

const nlohmann::json& Member(const nlohmann::json& object, const char* key,
                             const std::string& where) {
  if (!object.is_object() || !object.contains(key)) {
    throw InputError(where + ": no '" + key + "' entry (not a PSTrace session layout we know)");
  }
  return object.at(key);
}

}  // namespace

bool IsPalmsensSession(const std::string& bytes) {
  // UTF-16LE with its mark, then '{' (PSTrace writes the document as one JSON object).
  return bytes.size() >= 4 && static_cast<unsigned char>(bytes[0]) == 0xFF &&
         static_cast<unsigned char>(bytes[1]) == 0xFE && bytes[2] == '{' && bytes[3] == '\0';
}

SpectrumFile ParsePalmsensSession(const std::string& bytes, const std::string& path) {
  const std::string text = Utf8FromUtf16Le(bytes, 2, path);
  const size_t open = text.find('{'), close = text.rfind('}');
  if (open == std::string::npos || close == std::string::npos || close < open)
    throw InputError(path + ": no JSON object in the session file");
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text.begin() + static_cast<long>(open),
                                text.begin() + static_cast<long>(close) + 1);
  } catch (const nlohmann::json::exception& e) {
    throw InputError(path + ": not a readable session file (" + e.what() + ")");
  }
  SpectrumFile out;
  out.path = path;
  out.format = SpectrumFormat::kPalmsensSession;
  std::vector<SpectrumPoint> points;
  const auto& measurements = Member(doc, "Measurements", path);
  if (!measurements.is_array()) throw InputError(path + ": 'Measurements' is not a list");
  int index = 0, skipped = 0;
  for (const auto& m : measurements) {
    ++index;
    const std::string where = path + ": measurement " + std::to_string(index);
    const auto& data = Member(m, "DataSet", where);
    const auto& type = Member(data, "Type", where);
    if (!type.is_string() || type.get<std::string>().find("EIS") == std::string::npos) {
      ++skipped;  // a CV, a chronoamperometry: not a spectrum
      continue;
    }
    std::vector<double> columns[3];  // frequency, ZRe, ZIm
    const char* units[3] = {"Hertz", "ZRe", "ZIm"};
    for (const auto& values : Member(data, "Values", where)) {
      if (!values.is_object() || !values.contains("Unit")) continue;
      const auto& unit = Member(values.at("Unit"), "Type", where);
      if (!unit.is_string()) continue;
      const std::string u = unit.get<std::string>();
      for (int k = 0; k < 3; ++k) {
        // Exact unit names: "...Units.ZRe", not "...Units.ZReal..." of another quantity.
        const std::string name = units[k];
        if (u.size() < name.size() || u.compare(u.size() - name.size(), name.size(), name) != 0)
          continue;
        if (!columns[k].empty())
          throw InputError(where + ": two '" + name + "' value arrays; expected one");
        for (const auto& v : Member(values, "DataValues", where)) {
          const auto& x = Member(v, "V", where);
          if (!x.is_number()) throw InputError(where + ": a '" + name + "' value is not a number");
          columns[k].push_back(x.get<double>());
        }
      }
    }
    const size_t n = columns[0].size();
    if (n == 0 || columns[1].size() != n || columns[2].size() != n) {
      throw InputError(where +
                       ": expected frequency (Hertz), ZRe and ZIm arrays of one length; "
                       "found " +
                       std::to_string(columns[0].size()) + ", " +
                       std::to_string(columns[1].size()) + " and " +
                       std::to_string(columns[2].size()) + " values");
    }
    for (size_t k = 0; k < n; ++k) {
      // The record is the point's place in the file (measurement by measurement).
      points.push_back(
          {columns[0][k], columns[1][k], -columns[2][k], static_cast<int>(points.size()) + 1});
    }
  }
  if (points.empty()) {
    throw InputError(path + ": no EIS measurement in the session file (" + std::to_string(skipped) +
                     " other measurement(s))");
  }
  out.notes.push_back("PalmSens ZIm read as -Im(Z) (the PSTrace convention)");
  if (skipped > 0) out.notes.push_back(std::to_string(skipped) + " non-EIS measurement(s) skipped");
  out.sweeps = SplitSweeps(points, path, "point ");
  return out;
}

}  // namespace edopt
