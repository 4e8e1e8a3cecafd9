#include "app/data_files.h"

#include <fcntl.h>
#include <libfccp/csv.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "models/catalogue.h"
#include "models/errors.h"
#include "models/parameter.h"

namespace fs = std::filesystem;

namespace edopt {

void CheckInputFile(const std::string& path, const std::string& what) {
  std::error_code ec;
  if (path.empty()) throw InputError("empty path given for the " + what);
  const auto status = fs::status(path, ec);
  if (ec || !fs::exists(status)) throw InputError(path + ": " + what + " does not exist");
  if (fs::is_directory(status))
    throw InputError(path + ": is a directory; expected the " + what + " (a file)");
  if (!fs::is_regular_file(status)) {
    throw InputError(path + ": not a regular file (a device or pipe); expected the " + what);
  }
  const auto size = fs::file_size(path, ec);
  if (!ec && size > kMaxTextFileBytes) {
    throw InputError(path + ": " + std::to_string(size >> 20) + " MiB; the " + what +
                     " is expected to be a text file below " +
                     std::to_string(kMaxTextFileBytes >> 20) + " MiB");
  }
  std::ifstream probe(path, std::ios::binary);
  if (!probe) throw InputError(path + ": cannot open the " + what + " (permissions?)");
}

std::string WithoutBom(std::string text) {
  if (text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);
  return text;
}

std::string ReadTextFile(const std::string& path, const std::string& what) {
  CheckInputFile(path, what);
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string text = WithoutBom(buffer.str());
  const size_t probe = std::min<size_t>(text.size(), 4096);
  size_t control = 0;
  for (size_t i = 0; i < probe; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == 0) control += probe;  // any NUL byte: binary
    if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f') ++control;
  }
  if (control * 10 > probe) {
    throw InputError(path + ": binary file, not supported as the " + what +
                     " (export it as text: .mpt, .txt or .csv)");
  }
  return text;
}

std::pair<std::vector<double>, std::vector<double>> ReadOcpTable(const std::string& path) {
  // Read once (a regular text file of bounded size, without a byte-order mark), parsed from memory.
  const std::string contents = ReadTextFile(path, "OCP table");
  const std::string first = contents.substr(0, contents.find('\n'));
  const bool has_header =
      first.find_first_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") !=
          std::string::npos &&
      first.find_first_not_of("0123456789+-.eE, \t\r") != std::string::npos;
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

std::vector<RatePoint> ReadRateTable(const std::string& path) {
  const std::string contents = ReadTextFile(path, "rate table");  // read once, parsed in memory
  std::vector<RatePoint> points;
  try {
    io::CSVReader<11, io::trim_chars<' ', '\t'>, io::double_quote_escape<',', '"'>> in(
        path, contents.data(), contents.data() + contents.size());
    in.read_header(io::ignore_missing_column | io::ignore_extra_column, "design", "ng_wt_fraction",
                   "thickness_um", "c_rate", "utilization", "delivered_capacity_mAh_cm2",
                   "theoretical_capacity_mAh_cm2", "resistivity_factor", "r_ion_ohm", "area_cm2",
                   "temperature_C");
    const bool by_design = in.has_column("design");
    if (!by_design && !(in.has_column("ng_wt_fraction") && in.has_column("thickness_um"))) {
      throw InputError(path +
                       ":1: expected a 'design' column or 'ng_wt_fraction' and "
                       "'thickness_um' columns");
    }
    if (!in.has_column("c_rate")) throw InputError(path + ":1: missing column 'c_rate'");
    const bool has_util = in.has_column("utilization");
    const bool has_capacity = in.has_column("theoretical_capacity_mAh_cm2");
    if (!has_util && !(in.has_column("delivered_capacity_mAh_cm2") && has_capacity)) {
      throw InputError(path +
                       ":1: expected a 'utilization' column, or "
                       "'delivered_capacity_mAh_cm2' with 'theoretical_capacity_mAh_cm2'");
    }
    char *design = nullptr, *w = nullptr, *t = nullptr, *rate = nullptr, *util = nullptr,
         *delivered = nullptr, *capacity = nullptr, *factor = nullptr, *r_ion = nullptr,
         *area = nullptr, *temperature = nullptr;
    while (in.read_row(design, w, t, rate, util, delivered, capacity, factor, r_ion, area,
                       temperature)) {
      const std::string where = path + ":" + std::to_string(in.get_file_line());
      auto number = [&](const char* text, const char* field) {
        char* end = nullptr;
        const double v = text ? std::strtod(text, &end) : 0.0;
        if (!text || end == text || *end != '\0' || !std::isfinite(v)) {
          throw InputError(where + ": field " + field + " = '" + (text ? text : "") +
                           "' is not a finite number");
        }
        return v;
      };
      RatePoint p;
      p.origin = where;
      if (by_design && design && *design) {
        try {
          p.design = ParseDesign(design);
        } catch (const std::exception& e) {
          throw InputError(where + ": field design: " + e.what());
        }
      } else {
        const double wf = number(w, "ng_wt_fraction");
        const double tu = number(t, "thickness_um");
        if (!(wf > 0 && wf < 1) || !(tu > 0)) {
          throw InputError(where + ": ng_wt_fraction must be in (0, 1) and thickness_um > 0");
        }
        p.design.layers.push_back({wf, tu * 1e-6});
      }
      p.c_rate = number(rate, "c_rate");
      if (!(p.c_rate > 0)) throw InputError(where + ": field c_rate must be > 0");
      if (has_capacity && capacity && *capacity) {
        p.theoretical_capacity_C_m2 = number(capacity, "theoretical_capacity_mAh_cm2") * 3.6e4;
        if (!(p.theoretical_capacity_C_m2 > 0))
          throw InputError(where + ": field theoretical_capacity_mAh_cm2 must be > 0");
      }
      if (has_util && util && *util) {
        p.measured_utilization = number(util, "utilization");
      } else {
        if (!(p.theoretical_capacity_C_m2 > 0))
          throw InputError(where + ": no utilization and no theoretical capacity to derive it");
        p.measured_utilization =
            number(delivered, "delivered_capacity_mAh_cm2") * 3.6e4 / p.theoretical_capacity_C_m2;
      }
      // Per-cell conditions (empty = the scenario's).
      auto given = [](const char* text) { return text != nullptr && *text != '\0'; };
      if (given(factor)) {
        p.resistivity_factor = number(factor, "resistivity_factor");
        if (!(p.resistivity_factor > 0))
          throw InputError(where + ": field resistivity_factor must be > 0");
      }
      if (given(r_ion)) {
        if (given(factor)) {
          throw InputError(where + ": give resistivity_factor or r_ion_ohm, not both");
        }
        p.r_ion_ohm = number(r_ion, "r_ion_ohm");
        if (!(p.r_ion_ohm > 0)) throw InputError(where + ": field r_ion_ohm must be > 0");
        if (!given(area)) {
          throw InputError(where +
                           ": r_ion_ohm needs the cell's area_cm2 (per electrode, "
                           "ohm over cm2)");
        }
        p.area_m2 = number(area, "area_cm2") * 1e-4;
        if (!(p.area_m2 > 0)) throw InputError(where + ": field area_cm2 must be > 0");
      }
      if (given(temperature)) {
        const double c = number(temperature, "temperature_C");
        if (!(c > -100 && c < 300)) {
          throw InputError(where + ": field temperature_C = " + std::to_string(c) +
                           " outside (-100, 300) C");
        }
        p.temperature_K = c + 273.15;
      }
      if (!(p.measured_utilization >= 0 && p.measured_utilization <= 1.05)) {
        throw InputError(where + ": utilization " + std::to_string(p.measured_utilization) +
                         " outside [0, 1]");
      }
      points.push_back(p);
    }
  } catch (const io::error::base& e) {
    throw InputError(path + ": " + e.what());
  }
  if (points.empty()) throw InputError(path + ": a header but no data rows");
  return points;
}

PosteriorSample ParsePosteriorSample(const std::string& text, const std::string& name) {
  std::vector<std::string> lines;
  std::stringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
  }
  auto fields = [](const std::string& line) {
    std::vector<std::string> out;
    std::stringstream ss(line);
    for (std::string f; std::getline(ss, f, ',');) out.push_back(Trim(f));
    if (!line.empty() && line.back() == ',') out.push_back("");
    return out;
  };
  if (lines.empty() || Trim(lines[0]).empty()) throw InputError(name + ": the file is empty");
  const auto header = fields(lines[0]);
  PosteriorSample sample;
  int noise_column = -1;
  std::vector<int> key_columns;
  std::vector<const CellParameter*> entries;
  for (size_t c = 0; c < header.size(); ++c) {
    if (header[c] == "noise_pp") {
      noise_column = static_cast<int>(c);
    } else if (header[c] != "log_posterior") {
      try {
        FindFittable(header[c]);
      } catch (const ConfigError& e) {
        throw InputError(name + ":1: column '" + header[c] + "': " + e.what());
      }
      sample.keys.push_back(header[c]);
      key_columns.push_back(static_cast<int>(c));
      entries.push_back(FindCellParameter(header[c]));
    }
  }
  if (noise_column < 0) throw InputError(name + ":1: missing column 'noise_pp'");
  if (sample.keys.empty()) throw InputError(name + ":1: no parameter columns");
  for (size_t l = 1; l < lines.size(); ++l) {
    if (Trim(lines[l]).empty()) continue;
    const std::string where = name + ":" + std::to_string(l + 1);
    const auto row = fields(lines[l]);
    if (row.size() != header.size()) {
      throw InputError(where + ": " + std::to_string(row.size()) + " fields, expected " +
                       std::to_string(header.size()));
    }
    auto number = [&](int c) {
      char* end = nullptr;
      const double v = std::strtod(row[c].c_str(), &end);
      if (row[c].empty() || *end != '\0' || !std::isfinite(v)) {
        throw InputError(where + ": field " + header[c] + " = '" + row[c] +
                         "' is not a finite number");
      }
      return v;
    };
    std::vector<double> values;
    for (size_t k = 0; k < key_columns.size(); ++k) {
      const double v = number(key_columns[k]);
      if (!entries[k]->range.Contains(v)) {
        throw InputError(where + ": field " + header[key_columns[k]] + " = '" +
                         row[key_columns[k]] + "' is out of range; expected " +
                         entries[k]->range.Describe());
      }
      values.push_back(v);
    }
    const double noise = number(noise_column);
    if (!(noise > 0)) throw InputError(where + ": field noise_pp must be > 0");
    sample.values.push_back(values);
    sample.noise_pp.push_back(noise);
  }
  if (sample.values.size() < 2) {
    throw InputError(name + ": " + std::to_string(sample.values.size()) +
                     " draw(s); a posterior sample needs at least 2");
  }
  return sample;
}

PosteriorSample ReadPosteriorSample(const std::string& path) {
  return ParsePosteriorSample(ReadTextFile(path, "posterior sample"), path);
}

namespace {

// Writes one file completely (no rename); removes what it wrote when the write fails (a full
// disk leaves nothing behind). Throws InputError.
void WriteWhole(const fs::path& path, const std::string& text) {
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) throw InputError(path.string() + ": cannot write");
    out << text;
    out.flush();
    if (out) return;
  }
  std::error_code ec;
  fs::remove(path, ec);
  throw InputError(path.string() + ": write failed (disk full?)");
}

}  // namespace

void WriteFileAtomically(const std::string& path, const std::string& text) {
  const fs::path target(path);
  if (target.has_parent_path()) fs::create_directories(target.parent_path());
  const fs::path temp = target.parent_path() /
                        ("." + target.filename().string() + ".tmp." + std::to_string(::getpid()));
  try {
    WriteWhole(temp, text);
  } catch (const InputError& e) {
    throw InputError(path + ": " + e.what());
  }
  std::error_code ec;
  fs::rename(temp, target, ec);
  if (ec) {
    fs::remove(temp);
    throw InputError(path + ": cannot rename the temporary file into place: " + ec.message());
  }
}

void WriteFilesAtomically(const std::string& dir,
                          const std::vector<std::pair<std::string, std::string>>& files) {
  const fs::path target = fs::absolute(fs::path(dir)).lexically_normal();
  const fs::path parent = target.parent_path();
  const std::string name = target.filename().string();
  fs::create_directories(parent);
  const fs::path staging = parent / ("." + name + ".partial-" + std::to_string(::getpid()));
  std::error_code ec;
  fs::remove_all(staging, ec);
  try {
    fs::create_directories(staging);
    for (const auto& [file, text] : files) WriteWhole(staging / file, text);
  } catch (const std::exception& e) {
    fs::remove_all(staging, ec);
    throw InputError(dir + ": " + e.what());
  }
  if (!fs::exists(target)) {
    fs::rename(staging, target, ec);  // the whole run appears at once
    if (!ec) return;
  }
  fs::create_directories(target);
  for (const auto& [file, text] : files) {
    fs::rename(staging / file, target / file, ec);
    if (ec) {
      fs::remove_all(staging);
      throw InputError((target / file).string() +
                       ": cannot move the result into place: " + ec.message());
    }
  }
  fs::remove_all(staging, ec);
}

void CheckOutputFolder(const std::string& dir, const std::string& flag) {
  if (dir.empty()) throw ConfigError(flag + " is empty; expected a folder to write into");
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_directory(dir, ec))
    throw ConfigError(flag + " '" + dir + "' is a file; expected a folder");
  const bool existed = fs::exists(dir, ec);
  fs::create_directories(dir, ec);
  if (ec) throw ConfigError(flag + " '" + dir + "': cannot create the folder: " + ec.message());
  const fs::path probe = fs::path(dir) / (".edopt-write-test-" + std::to_string(::getpid()));
  {
    std::ofstream out(probe);
    out << "x";
    out.flush();
    if (!out) {
      fs::remove(probe, ec);
      throw ConfigError(flag + " '" + dir + "': cannot write into the folder");
    }
  }
  fs::remove(probe, ec);
  if (!existed) fs::remove(dir, ec);  // created only to test it: the run publishes it whole
}

OutputLock::OutputLock(const std::string& dir) {
  const std::string path = (fs::path(dir) / ".edopt.lock").string();
  fd_ = ::open(path.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0644);
  if (fd_ < 0) throw ConfigError(dir + ": cannot create the lock file " + path);
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd_);
    fd_ = -1;
    throw ConfigError(dir + ": another edopt process is writing into this folder (" + path +
                      " is locked); wait for it or choose another --out");
  }
}

OutputLock::~OutputLock() {
  if (fd_ >= 0) ::close(fd_);  // releases the lock
}

void CheckOutputFile(const std::string& path, const std::string& flag) {
  if (path.empty()) throw ConfigError(flag + " is empty; expected a file to write");
  std::error_code ec;
  if (fs::is_directory(path, ec))
    throw ConfigError(flag + " '" + path + "' is a folder; expected a file");
  if (fs::exists(path, ec) && !fs::is_regular_file(path, ec))
    throw ConfigError(flag + " '" + path + "' is a device or pipe; expected a regular file");
  const fs::path parent = fs::path(path).parent_path();
  CheckOutputFolder(parent.empty() ? "." : parent.string(), flag + " '" + path + "':");
}

}  // namespace edopt
