// Small writers shared by the subcommands: numbers for CSV, Markdown and JSON, quoted CSV fields,
// warnings and progress lines on stderr, the recipe table.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "formats/fields.h"
#include "models/design.h"
#include "models/recipe.h"
#include "models/summary.h"

namespace edopt {

// A CSV field in double quotes, inner quotes doubled (RFC 4180).
std::string CsvQuote(const std::string& text);

// Prints warnings to stderr as "warning: ...", each text once per run.
void PrintWarnings(const std::vector<std::string>& warnings);

// "\rphase done/total" on stderr (a progress bar's line).
void ProgressLine(const char* phase, int done, int total);

// The value rounded to `digits` significant digits, for JSON (nlohmann-json writes the
// shortest text that reads back as this double; NaN and infinities become null).
double JsonNumber(double value, int digits);

// {"termination", "message", "evaluations", "seconds"}.
nlohmann::ordered_json SummaryJson(const Summary& summary);

// The recipe table of `edopt recipe`, also written by `edopt optimize`.
std::string FormatRecipe(const Recipe& recipe, const Design& design);
// The object of `edopt recipe --json` and of Python's edopt.recipe: the electrode's summary and
// one object per layer in deposition order (masses in mg, capacities in mAh/cm2).
nlohmann::ordered_json RecipeJson(const Recipe& recipe, const Design& design);

}  // namespace edopt
