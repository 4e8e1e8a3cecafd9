// Files at the boundary: the one checked reader of input files (size bound, directories and
// devices refused, byte-order mark dropped, binary text refused) and the atomic writers of
// outputs (a temporary name and a rename, whole runs published at once, a lock per folder).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

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

// The bytes of a checked input file (binary formats such as BioLogic .mpr). Throws InputError.
std::string ReadBinaryFile(const std::string& path, const std::string& what);

// Bytes already read as text: ReadTextFile's checks (byte-order mark dropped, binary refused)
// for a reader that looks at the bytes first (spectra: .mpr or text). Throws InputError.
std::string TextOf(std::string bytes, const std::string& path, const std::string& what);

// Writes the whole text to `path` through a temporary file in the same folder and a rename, so
// a crash never leaves a half-written result. Throws InputError when it cannot.
void WriteFileAtomically(const std::string& path, const std::string& text);

// Several files (path, text) of one command, all or none: every temporary is written first (a
// full disk removes them all and changes nothing), then each is renamed into place.
// Outputs of one command, as (flag or description, path): ConfigError when two name one file
// (the same path however written), naming both. Commands call it before any work; the writers
// check it again.
void CheckDistinctOutputs(const std::vector<std::pair<std::string, std::string>>& named);

void WriteFilesTogether(const std::vector<std::pair<std::string, std::string>>& files);

// A run's files, published together: all are written into a staging folder beside `dir` first
// (a full disk or a crash there changes nothing and leaves no temporary behind), then the
// staging folder is renamed to `dir` in one step when `dir` does not exist yet; an existing `dir`
// (which may hold the user's own files, e.g. plots: they are hard-linked into the new one) is
// exchanged with the staging folder in one step (renameat2), so a kill at any point leaves the
// old run or the new one, never a mix. Files read and written are recorded (digest.h).
void WriteFilesAtomically(const std::string& dir,
                          const std::vector<std::pair<std::string, std::string>>& files);

// Moves a finished folder `staged` to `target` in one step; a previous `target` is exchanged
// with it (renameat2) and then removed, so `target` is always the old folder or the new one.
void ReplaceFolder(const std::string& staged, const std::string& target);

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
