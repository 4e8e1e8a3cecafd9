// The pieces every text format shares: lines, fields, numbers and where a value came from.
// Each reader in formats/ is built from these, so a quoted field, a decimal comma or a
// "file:line: field = 'value'" message means the same in every file edopt reads.
#pragma once

#include <string>
#include <vector>

#include "models/parameter.h"  // Trim, TryParseNumber, FormatG

namespace edopt {

// Lines of a text; a '\r' before the '\n' (Windows line ends) is dropped.
std::vector<std::string> SplitLines(const std::string& text);

// Text without surrounding blanks, carriage returns and stray double quotes (how a field or an
// instrument's quoted title line is compared).
std::string TrimField(const std::string& text);

// ASCII lower case.
std::string Lower(std::string text);

// The fields of one line. With delimiter ' ' runs of blanks and tabs separate fields. Otherwise
// RFC 4180: a field that opens with a double quote runs to its closing quote whatever it holds
// (the delimiter, a decimal comma), "" inside it is a quote, and a quote later in a field is an
// ordinary character (Z"/ohm is a name). Fields are trimmed of blanks and stray quotes.
std::vector<std::string> SplitFields(const std::string& line, char delimiter);

// SplitFields without the empty fields a delimiter at the end of the line leaves: the width a
// header names or a table row holds.
std::vector<std::string> SplitRow(const std::string& line, char delimiter);

// BioLogic EC-Lab text (.mpt): N of its "Nb header lines : N" line (the column header is line
// N), or 0 when no line says it. Throws InputError naming the line when N is not a count >= 1.
size_t BiologicHeaderLines(const std::vector<std::string>& lines, const std::string& path);

// The delimiter of a data line: a tab or a semicolon wins; else a comma outside quotes; else
// whitespace (' '). Quoted fields with decimal commas ("9,0000e+04","5,0") are comma-separated.
char DetectDelimiter(const std::string& line);

// A number as instruments write it: the whole token (blanks and quotes trimmed) must be a
// finite number. A comma is a decimal comma when `decimal_comma` (tab- or semicolon-separated
// files, quoted fields) or when the token has no point. Returns false otherwise.
bool ParseLabNumber(const std::string& token, bool decimal_comma, double* value);

// "file:line", how every reader names a place in a file.
std::string Where(const std::string& file, int line);

// The finite number in field `field` at `where`; throws InputError
// "<where>: field <field> = '<text>' is not a finite number".
double NumberField(const std::string& text, const std::string& where, const std::string& field);

}  // namespace edopt
