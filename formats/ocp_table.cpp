#include "formats/ocp_table.h"

#include <libfccp/csv.h>

#include "formats/fields.h"
#include "formats/files.h"
#include "models/errors.h"

namespace edopt {

namespace {

bool HasHeader(const std::string& contents) {
  const std::string first = contents.substr(0, contents.find('\n'));
  return first.find_first_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") !=
             std::string::npos &&
         first.find_first_not_of("0123456789+-.eE, \t\r") != std::string::npos;
}

}  // namespace

std::pair<std::vector<double>, std::vector<double>> ReadOcpTable(const std::string& path) {
  // Read once (a regular text file of bounded size, without a byte-order mark), parsed from memory.
  const std::string contents = ReadTextFile(path, "OCP table");
  const bool has_header = HasHeader(contents);
  std::vector<double> x, u;
  try {
    io::CSVReader<2, io::trim_chars<' ', '\t'>, io::no_quote_escape<','>> in(
        path, contents.data(), contents.data() + contents.size());
    if (has_header) {
      in.read_header(io::ignore_extra_column, "stoichiometry", "voltage_V");
    } else {
      in.set_header("stoichiometry", "voltage_V");
    }
    char* sx = nullptr;
    char* su = nullptr;
    while (in.read_row(sx, su)) {
      const std::string where = Where(path, static_cast<int>(in.get_file_line()));
      x.push_back(NumberField(sx, where, "stoichiometry"));
      u.push_back(NumberField(su, where, "voltage_V"));
    }
  } catch (const io::error::base& e) {
    throw InputError(path + ": " + e.what() + " (expected columns stoichiometry,voltage_V)");
  }
  if (x.size() < 2)
    throw InputError(path + ": OCP table needs at least 2 rows, found " + std::to_string(x.size()));
  for (size_t k = 1; k < x.size(); ++k) {
    if (!(x[k] > x[k - 1])) {
      throw InputError(Where(path, static_cast<int>(k + 1 + (has_header ? 1 : 0))) +
                       ": stoichiometry must increase strictly (" + std::to_string(x[k]) +
                       " after " + std::to_string(x[k - 1]) + ")");
    }
  }
  return {x, u};
}

}  // namespace edopt
