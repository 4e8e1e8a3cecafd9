#include "formats/files.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>  // renameat2
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "formats/digest.h"
#include "models/errors.h"

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

std::string ReadBinaryFile(const std::string& path, const std::string& what) {
  CheckInputFile(path, what);
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string bytes = buffer.str();
  RecordInputFile(path, bytes);
  return bytes;
}

std::string TextOf(std::string bytes, const std::string& path, const std::string& what) {
  // Spreadsheets are zip archives (.xlsx, .ods) or OLE2 compound files (.xls): say which export
  // the reader takes instead of "binary".
  if (bytes.rfind("PK\x03\x04", 0) == 0 || bytes.rfind("\xD0\xCF\x11\xE0", 0) == 0) {
    throw InputError(path + ": a spreadsheet (.xlsx, .ods or .xls), not supported as the " + what +
                     "; export the sheet as CSV (comma- or semicolon-separated, decimal points "
                     "or commas both read)");
  }
  std::string text = WithoutBom(std::move(bytes));
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

std::string ReadTextFile(const std::string& path, const std::string& what) {
  return TextOf(ReadBinaryFile(path, what), path, what);
}

namespace {

// A hidden temporary name beside `name`: "." + name + suffix, or, when that would pass the
// 255-byte limit of a file name, the name cut short (a 250-byte result name still works).
std::string TemporaryName(const std::string& name, const std::string& suffix) {
  constexpr size_t kMaxName = 255;
  const size_t room = kMaxName - 1 - suffix.size();
  return "." + (name.size() <= room ? name : name.substr(0, room)) + suffix;
}

// A unique temporary suffix: the process and a counter (two threads, or two processes, never
// share a temporary).
std::string TemporarySuffix(const std::string& kind) {
  static std::atomic<unsigned> counter{0};
  return kind + std::to_string(::getpid()) + "-" + std::to_string(counter++);
}

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
  WriteFilesTogether({{path, text}});
}

void CheckDistinctOutputs(const std::vector<std::pair<std::string, std::string>>& named) {
  std::vector<std::pair<std::string, fs::path>> seen;
  for (const auto& [what, path] : named) {
    if (path.empty()) continue;
    std::error_code ec;
    const fs::path canonical = fs::weakly_canonical(fs::absolute(path, ec), ec);
    for (const auto& [other, other_path] : seen) {
      if (other_path == canonical) {
        throw ConfigError(what + " '" + path + "' is the file " + other +
                          " names too; give each output its own file");
      }
    }
    seen.emplace_back(what, canonical);
  }
}

void WriteFilesTogether(const std::vector<std::pair<std::string, std::string>>& files) {
  {  // two outputs of one command in one file: the second would replace the first
    std::vector<std::pair<std::string, std::string>> named;
    for (const auto& f : files) named.emplace_back("output", f.first);
    CheckDistinctOutputs(named);
  }
  // Every temporary first: a failure here (a full disk) removes them all and changes nothing.
  std::vector<fs::path> temps;
  std::error_code ec;
  try {
    for (const auto& [path, text] : files) {
      const fs::path target(path);
      if (target.has_parent_path()) fs::create_directories(target.parent_path());
      temps.push_back(target.parent_path() /
                      TemporaryName(target.filename().string(), TemporarySuffix(".tmp.")));
      try {
        WriteWhole(temps.back(), text);
      } catch (const InputError& e) {
        temps.pop_back();
        throw InputError(path + ": " + e.what());
      }
    }
  } catch (...) {
    for (const auto& t : temps) fs::remove(t, ec);
    throw;
  }
  // Then the renames, each atomic.
  for (size_t i = 0; i < files.size(); ++i) {
    fs::rename(temps[i], files[i].first, ec);
    if (ec) {
      const std::string why = ec.message();  // before the clean-up resets the error
      for (size_t k = i; k < temps.size(); ++k) fs::remove(temps[k], ec);
      throw InputError(files[i].first + ": cannot rename the temporary file into place: " + why);
    }
    RecordOutputFile(files[i].first, files[i].second);
  }
}

namespace {

// Exchanges two paths in one step (Linux renameat2 RENAME_EXCHANGE); false where the file
// system cannot.
bool Exchange(const fs::path& a, const fs::path& b) {
#ifdef RENAME_EXCHANGE
  return ::renameat2(AT_FDCWD, a.c_str(), AT_FDCWD, b.c_str(), RENAME_EXCHANGE) == 0;
#else
  (void)a;
  (void)b;
  return false;
#endif
}

}  // namespace

void WriteFilesAtomically(const std::string& dir,
                          const std::vector<std::pair<std::string, std::string>>& files) {
  const fs::path target = fs::absolute(fs::path(dir)).lexically_normal();
  const fs::path parent = target.parent_path();
  const std::string name = target.filename().string();
  fs::create_directories(parent);
  const fs::path staging = parent / TemporaryName(name, TemporarySuffix(".partial-"));
  std::error_code ec;
  fs::remove_all(staging, ec);
  std::set<std::string> names;
  try {
    fs::create_directories(staging);
    for (const auto& [file, text] : files) {
      WriteWhole(staging / file, text);
      names.insert(file);
    }
  } catch (const std::exception& e) {
    fs::remove_all(staging, ec);
    throw InputError(dir + ": " + e.what());
  }
  auto record = [&] {
    for (const auto& [file, text] : files) RecordOutputFile((fs::path(dir) / file).string(), text);
  };
  fs::rename(staging, target, ec);  // a new folder: the whole run appears at once
  if (!ec) return record();
  // An existing folder: the user's own files in it (plots, notes) are hard-linked into the
  // staging folder, then the two folders are exchanged in one step, so a reader (or a kill at
  // any point) sees the old run or the new one, never a mix.
  try {
    for (const auto& entry : fs::directory_iterator(target)) {
      const std::string file = entry.path().filename().string();
      if (names.count(file)) continue;
      fs::copy(entry.path(), staging / file,
               fs::copy_options::recursive | fs::copy_options::create_hard_links |
                   fs::copy_options::copy_symlinks);
    }
  } catch (const std::exception& e) {
    fs::remove_all(staging, ec);
    throw InputError(dir + ": cannot keep the folder's other files: " + e.what());
  }
  if (Exchange(staging, target)) {
    fs::remove_all(staging, ec);  // now the old run
    return record();
  }
  // No exchange on this file system: the files one by one (each atomic).
  fs::create_directories(target);
  for (const auto& [file, text] : files) {
    fs::rename(staging / file, target / file, ec);
    if (ec) {
      fs::remove_all(staging, ec);
      throw InputError((target / file).string() +
                       ": cannot move the result into place: " + ec.message());
    }
  }
  fs::remove_all(staging, ec);
  record();
}

void ReplaceFolder(const std::string& staged, const std::string& target) {
  std::error_code ec;
  fs::rename(staged, target, ec);
  if (!ec) return;
  if (Exchange(staged, target)) {
    fs::remove_all(staged, ec);  // now the old folder
    return;
  }
  fs::remove_all(target);  // no exchange on this file system
  fs::rename(staged, target);
}

void CheckOutputFolder(const std::string& dir, const std::string& flag) {
  if (dir.empty()) throw ConfigError(flag + " is empty; expected a folder to write into");
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_directory(dir, ec))
    throw ConfigError(flag + " '" + dir + "' is a file; expected a folder");
  // The folder itself is not created here (two runs racing into one new folder would see each
  // other's test folder): the nearest existing folder on its path must take a new entry.
  fs::path existing = fs::absolute(fs::path(dir), ec).lexically_normal();
  while (!fs::exists(existing, ec) && existing.has_parent_path() &&
         existing != existing.parent_path()) {
    existing = existing.parent_path();
  }
  if (!fs::is_directory(existing, ec)) {
    throw ConfigError(flag + " '" + dir + "': cannot create the folder: " + existing.string() +
                      " is a file");
  }
  const fs::path probe = existing / (".edopt-write-test" + TemporarySuffix("-"));
  {
    std::ofstream out(probe);
    out << "x";
    out.flush();
    if (!out) {
      fs::remove(probe, ec);
      throw ConfigError(flag + " '" + dir + "': cannot write into " + existing.string());
    }
  }
  fs::remove(probe, ec);
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
