#include "formats/spectrum.h"

#include "formats/files.h"
#include "models/errors.h"

namespace edopt {

namespace {

constexpr size_t kMinPoints = 5;  // the TLM fit has up to 5 parameters

// "path:N" for a text line, "path:record N" for a binary record.
std::string At(const std::string& path, const std::string& unit, int line) {
  return path + ":" + unit + std::to_string(line);
}

// Points grouped into runs of one direction of frequency (a reversal starts a new sweep).
std::vector<std::vector<SpectrumPoint>> GroupByDirection(const std::vector<SpectrumPoint>& points,
                                                         const std::string& path,
                                                         const std::string& unit) {
  std::vector<std::vector<SpectrumPoint>> groups(1);
  int direction = 0;
  for (const auto& p : points) {
    if (!(p.f > 0)) {
      throw InputError(At(path, unit, p.line) + ": frequency = " + std::to_string(p.f) +
                       " Hz; expected > 0");
    }
    auto& g = groups.back();
    if (!g.empty()) {
      const double prev = g.back().f;
      if (p.f == prev) {
        throw InputError(At(path, unit, p.line) + ": frequency " + std::to_string(p.f) +
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
  return groups;
}

}  // namespace

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
    case SpectrumFormat::kBiologicMpr:
      return "biologic-mpr";
    case SpectrumFormat::kPalmsensSession:
      return "palmsens-pssession";
  }
  return "?";
}

std::vector<Spectrum> SplitSweeps(const std::vector<SpectrumPoint>& points, const std::string& path,
                                  const std::string& unit) {
  if (points.empty()) throw InputError(path + ": no data rows");
  const auto groups = GroupByDirection(points, path, unit);
  std::vector<Spectrum> sweeps;
  for (size_t k = 0; k < groups.size(); ++k) {
    const auto& g = groups[k];
    // A reversal right after one point leaves a singleton: it belongs to no sweep.
    if (g.size() < kMinPoints) {
      throw InputError(At(path, unit, g.front().line) + ": sweep " + std::to_string(k + 1) +
                       " has " + std::to_string(g.size()) + " points; the fit needs at least " +
                       std::to_string(kMinPoints));
    }
    Spectrum s;
    s.name = groups.size() > 1 ? path + "#" + std::to_string(k + 1) : path;
    s.frequency_Hz.reserve(g.size());
    s.impedance_ohm.reserve(g.size());
    for (const auto& p : g) {
      s.frequency_Hz.push_back(p.f);
      s.impedance_ohm.emplace_back(p.re, p.im);
    }
    sweeps.push_back(std::move(s));
  }
  return sweeps;
}

SpectrumFile ParseSpectrumBytes(const std::string& bytes, const std::string& path) {
  if (IsBiologicMpr(bytes)) return ParseBiologicMpr(bytes, path);
  if (IsPalmsensSession(bytes)) return ParsePalmsensSession(bytes, path);
  return ParseSpectrumText(TextOf(bytes, path, "spectrum file"), path);
}

SpectrumFile ReadSpectrumFile(const std::string& path) {
  return ParseSpectrumBytes(ReadBinaryFile(path, "spectrum file"), path);  // read once
}

}  // namespace edopt
