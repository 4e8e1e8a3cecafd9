#include "app/formats/files.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

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
  return buffer.str();
}

std::string TextOf(std::string bytes, const std::string& path, const std::string& what) {
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
  const fs::path temp = target.parent_path() / TemporaryName(target.filename().string(),
                                                             ".tmp." + std::to_string(::getpid()));
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
  const fs::path staging = parent / TemporaryName(name, ".partial-" + std::to_string(::getpid()));
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
