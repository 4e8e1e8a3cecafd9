// Digests and the record of files: SHA-256 (OpenSSL's libcrypto) of bytes, and of every file this
// process read through the checked readers (files.h) or wrote through the atomic writers, for the
// provenance manifest of a run (formats/manifest.h).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace edopt {

// Lower-case hex SHA-256 of the bytes (64 characters).
std::string Sha256Hex(std::string_view bytes);

struct FileDigest {
  std::string path;  // as the reader or writer was given it
  std::string sha256;
  std::uintmax_t bytes = 0;
};

// Records a file read or written (thread-safe; the last record of a path wins).
void RecordInputFile(const std::string& path, std::string_view bytes);
void RecordOutputFile(const std::string& path, std::string_view bytes);

// Every file read (or written) since the start or the last ForgetFiles, sorted by path.
std::vector<FileDigest> InputFilesRead();
std::vector<FileDigest> OutputFilesWritten();
// The record of one input file by its path as given, or an empty digest when it was not read.
FileDigest InputFile(const std::string& path);
// Clears both records (tests; the Python module between calls).
void ForgetFiles();

}  // namespace edopt
