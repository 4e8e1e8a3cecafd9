// Impedance spectra as labs export them (docs/physics.md §4): plain CSV (with or without a header),
// Gamry .DTA, BioLogic .mpt and ZView/ZPlot .z. The format is detected from the content,
// columns are found by header name, -Im(Z) columns are negated to Z'', decimal commas are
// accepted (with tab or semicolon separators), and a file holding several sweeps is split
// where the frequency reverses.
#pragma once

#include <string>
#include <vector>

#include "models/impedance.h"

namespace edopt {

enum class SpectrumFormat { kCsv, kGamryDta, kBiologicMpt, kZviewZ, kBiologicMpr };
const char* ToString(SpectrumFormat format);

struct SpectrumFile {
  std::string path;
  SpectrumFormat format = SpectrumFormat::kCsv;
  std::vector<Spectrum> sweeps;    // named "path" or "path#k" (k = 1, 2, ... when several)
  std::vector<std::string> notes;  // how columns and signs were read
};

// Parses file text; `path` names it in messages. Throws InputError naming the file, line, field
// and value: empty file, header only, missing or non-numeric columns, NaN, non-positive or
// repeated frequencies, sweeps too short to fit (fewer than 5 points).
SpectrumFile ParseSpectrumText(const std::string& text, const std::string& path);
SpectrumFile ReadSpectrumFile(const std::string& path);

// BioLogic EC-Lab binary .mpr (app/biologic_mpr.cpp): whether the bytes start with its magic,
// and the impedance columns (freq/Hz, Re(Z)/Ohm, -Im(Z)/Ohm) of its data module. Throws
// InputError naming the file for a truncated file or an unknown layout.
bool IsBiologicMpr(const std::string& bytes);
SpectrumFile ParseBiologicMpr(const std::string& bytes, const std::string& path);

}  // namespace edopt
