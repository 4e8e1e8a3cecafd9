#include "app/data_files.h"

#include <libfccp/csv.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "models/errors.h"

namespace fs = std::filesystem;

namespace edopt {

unsigned long long ParseSeed(const std::string& raw) {
  std::string text = raw;
  text.erase(0, text.find_first_not_of(" \t"));
  text.erase(text.find_last_not_of(" \t") + 1);
  char* end = nullptr;
  errno = 0;
  const unsigned long long v = std::strtoull(text.c_str(), &end, 10);
  if (text.empty() || text[0] == '-' || end != text.c_str() + text.size() || errno != 0) {
    throw ConfigError("'" + text + "' is not a seed; expected an integer >= 0");
  }
  return v;
}

std::pair<std::vector<double>, std::vector<double>> ReadOcpTable(const std::string& path) {
  std::ifstream probe(path);
  if (!probe) throw InputError(path + ": cannot open OCP table");
  std::string first;
  std::getline(probe, first);
  const bool has_header =
      first.find_first_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") !=
          std::string::npos &&
      first.find_first_not_of("0123456789+-.eE, \t\r") != std::string::npos;
  std::vector<double> x, u;
  try {
    io::CSVReader<2, io::trim_chars<' ', '\t'>, io::no_quote_escape<','>> in(path);
    if (has_header) {
      in.read_header(io::ignore_extra_column, "stoichiometry", "voltage_V");
    } else {
      in.set_header("stoichiometry", "voltage_V");
    }
    char* sx = nullptr;
    char* su = nullptr;
    while (in.read_row(sx, su)) {
      auto parse = [&](const char* text, const char* field) {
        char* end = nullptr;
        const double v = std::strtod(text, &end);
        if (end == text || *end != '\0' || !std::isfinite(v)) {
          throw InputError(path + ":" + std::to_string(in.get_file_line()) + ": field " + field +
                           " = '" + text + "' is not a finite number");
        }
        return v;
      };
      x.push_back(parse(sx, "stoichiometry"));
      u.push_back(parse(su, "voltage_V"));
    }
  } catch (const io::error::base& e) {
    throw InputError(path + ": " + e.what() + " (expected columns stoichiometry,voltage_V)");
  }
  if (x.size() < 2)
    throw InputError(path + ": OCP table needs at least 2 rows, found " + std::to_string(x.size()));
  for (size_t k = 1; k < x.size(); ++k) {
    if (!(x[k] > x[k - 1])) {
      throw InputError(path + ":" + std::to_string(k + 1 + (has_header ? 1 : 0)) +
                       ": stoichiometry must increase strictly (" + std::to_string(x[k]) +
                       " after " + std::to_string(x[k - 1]) + ")");
    }
  }
  return {x, u};
}

void WriteFileAtomically(const std::string& path, const std::string& text) {
  const fs::path target(path);
  if (target.has_parent_path()) fs::create_directories(target.parent_path());
  const fs::path temp = target.parent_path() /
                        ("." + target.filename().string() + ".tmp." + std::to_string(::getpid()));
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (!out) throw InputError(path + ": cannot write (temporary " + temp.string() + ")");
    out << text;
    out.flush();
    if (!out) throw InputError(path + ": write failed");
  }
  std::error_code ec;
  fs::rename(temp, target, ec);
  if (ec) {
    fs::remove(temp);
    throw InputError(path + ": cannot rename the temporary file into place: " + ec.message());
  }
}

}  // namespace edopt
