// Cycler exports (docs/formats.md §11): the rate tests a lab ran, as the instrument wrote them —
// BioLogic GCPL .mpt, Arbin CSV, Maccor text, Neware CSV and BaSyTec text — read into records
// of time, current, voltage and step/cycle indices in SI units, and their constant-current
// lithiation segments turned into lab-table rows (issue 37).
#pragma once

#include <string>
#include <vector>

#include "models/design.h"
#include "models/parameters.h"
#include "optimizer/rate_fit.h"

namespace edopt {

enum class CyclerLayout { kBiologicMpt, kArbin, kMaccor, kNeware, kBasytec };
const char* ToString(CyclerLayout layout);  // "biologic-mpt", "arbin", ...

// One record. Current in A, negative while the working electrode is lithiated (reduction at
// the working electrode: a half cell's discharge), whatever the instrument's convention.
struct CyclerRecord {
  double time_s = 0.0, current_A = 0.0, voltage_V = 0.0;
  long step = 0, cycle = 0;
  int line = 0;  // of the file
};

struct CyclerFile {
  std::string path;
  CyclerLayout layout = CyclerLayout::kArbin;
  std::vector<CyclerRecord> records;
  std::vector<std::string> notes;  // how columns, units and signs were read
};

// The layout is detected from the content (BioLogic's header, BaSyTec's '~' lines, the column
// names of the others); columns are found by name with their units (A/mA/uA, V/mV, s/min/h or
// h:min:s). Throws InputError naming the file, line, field and value; an unknown layout names the
// columns found and the nearest known layout.
CyclerFile ParseCyclerText(const std::string& text, const std::string& path);
CyclerFile ReadCyclerFile(const std::string& path);

// A constant-current lithiation segment: consecutive records of one step whose current is
// negative and within `tolerance` of the step's median (a CV tail after it is left out).
struct CyclerSegment {
  long step = 0, cycle = 0;
  int first_line = 0, last_line = 0;
  double current_A = 0.0;   // median, negative
  double charge_C = 0.0;    // |I| dt over the constant-current part (trapezoids)
  double duration_s = 0.0;  // of that part
  double end_voltage_V = 0.0;
};
std::vector<CyclerSegment> LithiationSegments(const CyclerFile& file, double tolerance = 0.02);

// The lab-table rows of a cell's segments: C-rate = |I| / (Q / 1 h), utilization = charge / Q,
// with Q the cell's theoretical capacity (its weighed loading when `loading_C_m2` > 0, else the
// design's at the scenario's packing) over `area_m2`; each row's origin is "file:lines a-b".
// Segments shorter than `min_points` records are left out (a note says which). Throws
// InputError for a file without lithiation segments or a utilization above 1.02 (a wrong area
// or loading).
std::vector<RatePoint> CyclerRateTests(const CyclerFile& file, const CellParameters& cell,
                                       const Design& design, double area_m2, double loading_C_m2,
                                       std::vector<std::string>* notes);

}  // namespace edopt
