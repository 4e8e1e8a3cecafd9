#include "formats/digest.h"

#include <openssl/evp.h>

#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>

namespace edopt {

std::string Sha256Hex(std::string_view bytes) {
  const std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(),
                                                                    &EVP_MD_CTX_free);
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), bytes.data(), bytes.size()) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), md, &length) != 1) {
    throw std::runtime_error("SHA-256 failed (OpenSSL)");
  }
  static const char* kHex = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * length);
  for (unsigned int i = 0; i < length; ++i) {
    hex += kHex[md[i] >> 4];
    hex += kHex[md[i] & 15];
  }
  return hex;
}

namespace {

struct Records {
  std::mutex mutex;
  std::map<std::string, FileDigest> inputs, outputs;
};

Records& TheRecords() {
  static Records records;
  return records;
}

void Record(std::map<std::string, FileDigest> Records::*which, const std::string& path,
            std::string_view bytes) {
  FileDigest d{path, Sha256Hex(bytes), bytes.size()};
  Records& r = TheRecords();
  const std::lock_guard<std::mutex> lock(r.mutex);
  (r.*which)[path] = std::move(d);
}

std::vector<FileDigest> List(std::map<std::string, FileDigest> Records::*which) {
  Records& r = TheRecords();
  const std::lock_guard<std::mutex> lock(r.mutex);
  std::vector<FileDigest> out;
  for (const auto& [path, d] : r.*which) out.push_back(d);
  return out;
}

}  // namespace

void RecordInputFile(const std::string& path, std::string_view bytes) {
  Record(&Records::inputs, path, bytes);
}
void RecordOutputFile(const std::string& path, std::string_view bytes) {
  Record(&Records::outputs, path, bytes);
}
std::vector<FileDigest> InputFilesRead() { return List(&Records::inputs); }
std::vector<FileDigest> OutputFilesWritten() { return List(&Records::outputs); }

FileDigest InputFile(const std::string& path) {
  Records& r = TheRecords();
  const std::lock_guard<std::mutex> lock(r.mutex);
  const auto it = r.inputs.find(path);
  return it == r.inputs.end() ? FileDigest{path, "", 0} : it->second;
}

void ForgetFiles() {
  Records& r = TheRecords();
  const std::lock_guard<std::mutex> lock(r.mutex);
  r.inputs.clear();
  r.outputs.clear();
}

}  // namespace edopt
