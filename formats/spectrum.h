// Impedance spectra as labs export them (docs/physics.md §4): plain CSV (with or without a header),
// Gamry .DTA, BioLogic .mpt and .mpr, ZView/ZPlot .z (with or without comments; the Z60W
// export of Autolab NOVA/FRA), Eco Chemie .P00 and PalmSens .pssession. The format is detected from
// the content, columns are found by header name, -Im(Z) columns are negated to Z'', decimal commas
// are accepted (with tab or semicolon separators), and a file holding several sweeps is split where
// the frequency reverses.
#pragma once

#include <string>
#include <vector>

#include "models/impedance.h"

namespace edopt {

// One row of a spectrum as read: frequency (Hz), Z' and Z'' (ohm), and where it came from (the
// line of a text file, the record of a binary one).
struct SpectrumPoint {
  double f = 0.0, re = 0.0, im = 0.0;
  int line = 0;
};

enum class SpectrumFormat {
  kCsv,
  kGamryDta,
  kBiologicMpt,
  kZviewZ,
  kBiologicMpr,
  kPalmsensSession
};
const char* ToString(SpectrumFormat format);

struct SpectrumFile {
  std::string path;
  SpectrumFormat format = SpectrumFormat::kCsv;
  std::vector<Spectrum> sweeps;    // named "path" or "path#k" (k = 1, 2, ... when several)
  std::vector<std::string> notes;  // how columns and signs were read
};

// The sweeps of a file's points: split where the frequency reverses, each validated (frequency
// > 0 and never repeated, at least 5 points) and named "path" or "path#k". `unit` says what
// SpectrumPoint::line counts in messages ("" for text lines, "record " for binary files).
// Throws InputError.
std::vector<Spectrum> SplitSweeps(const std::vector<SpectrumPoint>& points, const std::string& path,
                                  const std::string& unit = "");

// Parses file text; `path` names it in messages. Throws InputError naming the file, line, field
// and value: empty file, header only, missing or non-numeric columns, NaN, non-positive or
// repeated frequencies, sweeps too short to fit (fewer than 5 points).
SpectrumFile ParseSpectrumText(const std::string& text, const std::string& path);

// BioLogic EC-Lab binary .mpr (biologic_mpr.cpp): whether the bytes start with its magic, and
// the impedance columns (freq/Hz, Re(Z)/Ohm, -Im(Z)/Ohm) of its data module. Every length and
// count is checked against the bytes left before it is used. Throws InputError naming the file
// for a truncated file or an unknown layout.
bool IsBiologicMpr(const std::string& bytes);
SpectrumFile ParseBiologicMpr(const std::string& bytes, const std::string& path);

// PalmSens PSTrace .pssession (palmsens_session.cpp): UTF-16LE JSON; every EIS measurement a
// sweep. Throws InputError naming the file and measurement for a layout it does not know.
bool IsPalmsensSession(const std::string& bytes);
SpectrumFile ParsePalmsensSession(const std::string& bytes, const std::string& path);

// Any of the above from the file's bytes, by content.
SpectrumFile ParseSpectrumBytes(const std::string& bytes, const std::string& path);

// Any of the above, by content: reads the file (checked, size-bounded) and parses it.
SpectrumFile ReadSpectrumFile(const std::string& path);

}  // namespace edopt
