// Reading and writing data files at the application boundary: OCP tables, atomic writes.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "models/design.h"
#include "models/parameters.h"
#include "optimizer/posterior_predictive.h"
#include "optimizer/rate_fit.h"

namespace edopt {

// Largest text file edopt reads (spectra, tables, scenarios): bounds memory and time on a wrong
// path such as /dev/zero.
inline constexpr std::uintmax_t kMaxTextFileBytes = 64u << 20;

// Checks that `path` names a readable regular file of at most kMaxTextFileBytes; throws
// InputError "<path>: <what> is a directory / does not exist / ..." otherwise.
void CheckInputFile(const std::string& path, const std::string& what);

// The whole text of a checked input file, without a UTF-8 byte-order mark. A file with NUL
// bytes or mostly control characters is refused as binary ("binary file, not supported
// (export as text)"). Throws InputError.
std::string ReadTextFile(const std::string& path, const std::string& what);

// Text without a leading UTF-8 byte-order mark.
std::string WithoutBom(std::string text);

// CSV with a header naming the columns `stoichiometry` and `voltage_V` (or two unnamed numeric
// columns without a header). Throws InputError naming file, line and field.
std::pair<std::vector<double>, std::vector<double>> ReadOcpTable(const std::string& path);

// A rate-test table (like shared/data/seed-uniform-series.csv), columns by header name:
// `design` (command-line syntax) or `ng_wt_fraction` + `thickness_um`; `c_rate`; `utilization`
// or `delivered_capacity_mAh_cm2`; optional `theoretical_capacity_mAh_cm2` (the weighed
// loading; required with delivered capacity). Throws InputError naming file, line and field.
std::vector<RatePoint> ReadRateTable(const std::string& path);

// A posterior sample (the `_posterior.csv` of `calibrate rates --posterior`): a header of
// fittable scenario keys, `noise_pp` and optionally `log_posterior`, then one draw per row.
// Throws InputError naming file:line, field and value (unknown key, non-finite or out-of-range
// value, non-positive noise, fewer than 2 draws). Parse works on text already read (`name`
// for messages), Read reads the file first.
PosteriorSample ParsePosteriorSample(const std::string& text, const std::string& name);
PosteriorSample ReadPosteriorSample(const std::string& path);

// Writes the whole text to `path` through a temporary file in the same folder and a rename, so
// a crash never leaves a half-written result. Throws InputError when it cannot.
void WriteFileAtomically(const std::string& path, const std::string& text);

// A run's files, published together: all are written into a staging folder beside `dir` first
// (a full disk or a crash there changes nothing and leaves no temporary behind), then the
// staging folder is renamed to `dir` in one step when `dir` does not exist yet, or each file is
// renamed into the existing `dir` (which may hold the user's own files, e.g. plots).
void WriteFilesAtomically(const std::string& dir,
                          const std::vector<std::pair<std::string, std::string>>& files);

// Checks, before any work, that an output folder can be created and written; throws
// ConfigError naming the path (an existing file, a path under a file, a read-only place, "").
void CheckOutputFolder(const std::string& dir, const std::string& flag);
// The same for an output file: its folder must be writable and the path not a folder.
void CheckOutputFile(const std::string& path, const std::string& flag);

// An exclusive lock (flock) on `dir`/.edopt.lock for the lifetime of the object: a second
// process writing into the same folder fails at once with ConfigError naming the folder.
class OutputLock {
 public:
  explicit OutputLock(const std::string& dir);
  ~OutputLock();
  OutputLock(const OutputLock&) = delete;
  OutputLock& operator=(const OutputLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace edopt
