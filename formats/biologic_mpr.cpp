// BioLogic EC-Lab binary .mpr files (docs/formats.md §5). The format is not published; its layout
// is known from open readers (galvani and others), read for understanding:
//   magic "BIO-LOGIC MODULAR FILE\x1a" padded to 48 bytes, then 4 zero bytes;
//   modules, each "MODULE", short name (10 bytes), long name (25), then either
//     length u32, version u32, date (8 bytes, "mm/dd/yy")                       (older EC-Lab), or
//     max length u32, length u32, version u32, unknown u32, date (8 bytes)        (EC-Lab
//     >= 11.50),
//   then `length` bytes of module data.
// The "VMP data" module: points u32, columns u8, column ids (u8 in version 0, u16 later), zero
// padding up to byte 100 (version 0), 405 (version 2) or 406 (version 3), then the records:
// one field per column id in file order, little-endian; the flag ids share one byte.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <map>

#include "formats/spectrum.h"
#include "models/errors.h"

namespace edopt {

namespace {

constexpr char kMagic[] = "BIO-LOGIC MODULAR FILE\x1a";

// Column ids of the data module: name and size in bytes ('f' float, 'd' double, 'u' unsigned).
struct ColumnType {
  const char* name;
  int bytes;
  char kind;
};
const std::map<int, ColumnType>& ColumnTypes() {
  static const std::map<int, ColumnType> types = {
      {4, {"time/s", 8, 'd'}},
      {5, {"control/V/mA", 4, 'f'}},
      {6, {"Ewe/V", 4, 'f'}},
      {7, {"dQ/mA.h", 8, 'd'}},
      {8, {"I/mA", 4, 'f'}},
      {9, {"Ece/V", 4, 'f'}},
      {11, {"I/mA", 8, 'd'}},
      {13, {"(Q-Qo)/mA.h", 8, 'd'}},
      {19, {"control/V", 4, 'f'}},
      {20, {"control/mA", 4, 'f'}},
      {23, {"dQ/mA.h", 8, 'd'}},
      {24, {"cycle number", 8, 'd'}},
      {32, {"freq/Hz", 4, 'f'}},
      {33, {"|Ewe|/V", 4, 'f'}},
      {34, {"|I|/A", 4, 'f'}},
      {35, {"Phase(Z)/deg", 4, 'f'}},
      {36, {"|Z|/Ohm", 4, 'f'}},
      {37, {"Re(Z)/Ohm", 4, 'f'}},
      {38, {"-Im(Z)/Ohm", 4, 'f'}},
      {39, {"I Range", 2, 'u'}},
      {70, {"P/W", 4, 'f'}},
      {74, {"Energy/W.h", 8, 'd'}},
      {76, {"<I>/mA", 4, 'f'}},
      {77, {"<Ewe>/V", 4, 'f'}},
      {96, {"|Ece|/V", 4, 'f'}},
      {98, {"Phase(Zce)/deg", 4, 'f'}},
      {99, {"|Zce|/Ohm", 4, 'f'}},
      {100, {"Re(Zce)/Ohm", 4, 'f'}},
      {101, {"-Im(Zce)/Ohm", 4, 'f'}},
      {123, {"Energy charge/W.h", 8, 'd'}},
      {124, {"Energy discharge/W.h", 8, 'd'}},
      {125, {"Capacitance charge/uF", 8, 'd'}},
      {126, {"Capacitance discharge/uF", 8, 'd'}},
      {131, {"Ns", 2, 'u'}},
      {168, {"Rcmp/Ohm", 4, 'f'}},
      {169, {"Cs/uF", 4, 'f'}},
      {172, {"Cp/uF", 4, 'f'}},
      {434, {"(Q-Qo)/C", 4, 'f'}},
      {435, {"dQ/C", 4, 'f'}},
      {441, {"<Ecv>/V", 4, 'f'}},
      {462, {"Temperature/C", 4, 'f'}},
      {467, {"Q charge/discharge/mA.h", 8, 'd'}},
      {468, {"half cycle", 4, 'u'}},
      {469, {"z cycle", 4, 'u'}},
      {471, {"<Ece>/V", 4, 'f'}},
      {473, {"THD Ewe/%", 4, 'f'}},
      {474, {"THD I/%", 4, 'f'}},
      {476, {"NSD Ewe/%", 4, 'f'}},
      {477, {"NSD I/%", 4, 'f'}},
      {479, {"NSR Ewe/%", 4, 'f'}},
      {480, {"NSR I/%", 4, 'f'}},
  };
  return types;
}
bool IsFlag(int id) { return id == 1 || id == 2 || id == 3 || id == 21 || id == 31 || id == 65; }

class Reader {
 public:
  Reader(const std::string& bytes, std::string path) : b_(bytes), path_(std::move(path)) {}

  uint32_t U32(size_t at) const {
    Need(at, 4);
    uint32_t v = 0;
    for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(b_[at + i]);
    return v;
  }
  uint16_t U16(size_t at) const { return static_cast<uint16_t>(U32Part(at, 2)); }
  double Field(size_t at, const ColumnType& t) const {
    Need(at, static_cast<size_t>(t.bytes));
    if (t.kind == 'f') {
      float v;
      std::memcpy(&v, b_.data() + at, 4);  // little-endian hosts (x86-64, arm64)
      return v;
    }
    if (t.kind == 'd') {
      double v;
      std::memcpy(&v, b_.data() + at, 8);
      return v;
    }
    return static_cast<double>(U32Part(at, t.bytes));
  }
  void Need(size_t at, size_t n) const {
    if (at + n > b_.size()) {
      throw InputError(path_ + ": BioLogic .mpr truncated at byte " + std::to_string(at) +
                       " (export it as .mpt)");
    }
  }
  const std::string& bytes() const { return b_; }
  const std::string& path() const { return path_; }

 private:
  uint32_t U32Part(size_t at, int n) const {
    Need(at, static_cast<size_t>(n));
    uint32_t v = 0;
    for (int i = n - 1; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(b_[at + i]);
    return v;
  }
  const std::string& b_;
  std::string path_;
};

bool LooksLikeDate(const std::string& s) {
  return s.size() == 8 && (s[2] == '/' || s[2] == '-') && (s[5] == '/' || s[5] == '-');
}

struct Module {
  std::string name;
  uint32_t version = 0;
  size_t data = 0, length = 0;
};

std::vector<Module> Modules(const Reader& r) {
  std::vector<Module> modules;
  size_t at = 52;  // magic (48) + 4 zero bytes
  while (at < r.bytes().size()) {
    r.Need(at, 6);
    if (r.bytes().compare(at, 6, "MODULE") != 0) {
      throw InputError(r.path() + ": BioLogic .mpr: no MODULE at byte " + std::to_string(at) +
                       " (export it as .mpt)");
    }
    Module m;
    r.Need(at + 6, 35);
    m.name = r.bytes().substr(at + 6, 10);
    const size_t fields = at + 6 + 35;
    r.Need(fields, 20);
    if (LooksLikeDate(r.bytes().substr(fields + 8, 8))) {  // length, version, date
      m.length = r.U32(fields);
      m.version = r.U32(fields + 4);
      m.data = fields + 16;
    } else {  // max length, length, version, unknown, date
      r.Need(fields, 24);
      m.length = r.U32(fields + 4);
      m.version = r.U32(fields + 8);
      m.data = fields + 24;
    }
    r.Need(m.data, m.length);
    modules.push_back(m);
    at = m.data + m.length;
  }
  return modules;
}

}  // namespace

bool IsBiologicMpr(const std::string& bytes) { return bytes.rfind(kMagic, 0) == 0; }

namespace {

// The impedance fields of one record: offset in the record and type, and the record's length.
struct RecordLayout {
  size_t bytes = 0;
  std::map<std::string, std::pair<size_t, ColumnType>> fields;
};

std::vector<int> ColumnIds(const Reader& r, const Module& data) {
  r.Need(data.data, 5);
  const int columns = static_cast<unsigned char>(r.bytes()[data.data + 4]);
  const size_t id_bytes = data.version == 0 ? 1 : 2;
  r.Need(data.data + 5, id_bytes * static_cast<size_t>(columns));
  if (5 + id_bytes * static_cast<size_t>(columns) > data.length) {
    throw InputError(r.path() + ": BioLogic .mpr data module of " + std::to_string(data.length) +
                     " bytes cannot hold its " + std::to_string(columns) + " column ids");
  }
  std::vector<int> ids;
  for (int c = 0; c < columns; ++c) {
    const size_t at = data.data + 5 + id_bytes * static_cast<size_t>(c);
    ids.push_back(data.version == 0 ? static_cast<unsigned char>(r.bytes()[at]) : r.U16(at));
  }
  return ids;
}

RecordLayout Layout(const std::vector<int>& ids, const std::string& path) {
  RecordLayout layout;
  bool flags = false;
  for (int id : ids) {
    if (IsFlag(id)) {
      if (!flags) layout.bytes += 1;  // the flag ids share one byte
      flags = true;
      continue;
    }
    const auto it = ColumnTypes().find(id);
    if (it == ColumnTypes().end()) {
      throw InputError(path + ": BioLogic .mpr column id " + std::to_string(id) +
                       " is not known (export it as .mpt)");
    }
    layout.fields.emplace(it->second.name, std::make_pair(layout.bytes, it->second));
    layout.bytes += static_cast<size_t>(it->second.bytes);
  }
  for (const char* need : {"freq/Hz", "Re(Z)/Ohm", "-Im(Z)/Ohm"}) {
    if (!layout.fields.count(need)) {
      throw InputError(path + ": BioLogic .mpr has no '" + std::string(need) +
                       "' column (not an impedance file?)");
    }
  }
  return layout;
}

size_t RecordsStart(const Module& data, const std::string& path) {
  const size_t offset = data.version == 0   ? 100
                        : data.version == 2 ? 405
                        : data.version == 3 ? 406
                                            : 0;
  if (offset == 0) {
    throw InputError(path + ": BioLogic .mpr data module version " + std::to_string(data.version) +
                     " is not known (export it as .mpt)");
  }
  return data.data + offset;
}

}  // namespace

SpectrumFile ParseBiologicMpr(const std::string& bytes, const std::string& path) {
  const Reader r(bytes, path);
  const auto modules = Modules(r);
  const Module* data = nullptr;
  for (const auto& m : modules) {
    if (m.name.rfind("VMP data", 0) == 0) data = &m;
  }
  if (data == nullptr) throw InputError(path + ": BioLogic .mpr without a data module");
  const uint32_t points = r.U32(data->data);
  const RecordLayout layout = Layout(ColumnIds(r, *data), path);
  const size_t start = RecordsStart(*data, path);
  // The count is checked against the bytes left before anything is allocated for it.
  if (start > bytes.size() || (bytes.size() - start) / layout.bytes < points) {
    throw InputError(path + ": BioLogic .mpr truncated: " + std::to_string(points) +
                     " records of " + std::to_string(layout.bytes) + " bytes do not fit in the " +
                     std::to_string(start > bytes.size() ? 0 : bytes.size() - start) +
                     " bytes left (export it as .mpt)");
  }
  const auto& [f_at, f_type] = layout.fields.at("freq/Hz");
  const auto& [re_at, re_type] = layout.fields.at("Re(Z)/Ohm");
  const auto& [im_at, im_type] = layout.fields.at("-Im(Z)/Ohm");
  std::vector<SpectrumPoint> rows(points);
  for (uint32_t p = 0; p < points; ++p) {
    const size_t row = start + p * layout.bytes;
    // Z'' = -(-Im Z); values pass through float like the instrument's own text export.
    rows[p] = {r.Field(row + f_at, f_type), r.Field(row + re_at, re_type),
               -r.Field(row + im_at, im_type), static_cast<int>(p) + 1};
    if (!std::isfinite(rows[p].f) || !std::isfinite(rows[p].re) || !std::isfinite(rows[p].im)) {
      throw InputError(path + ":record " + std::to_string(p + 1) +
                       ": freq/Hz, Re(Z)/Ohm or -Im(Z)/Ohm is not a finite number");
    }
  }
  SpectrumFile file;
  file.path = path;
  file.format = SpectrumFormat::kBiologicMpr;
  file.notes.push_back("column '-Im(Z)/Ohm' negated to Z''");
  file.sweeps = SplitSweeps(rows, path, "record ");
  file.notes.push_back("BioLogic .mpr (binary): " + std::to_string(points) +
                       " points, data module version " + std::to_string(data->version));
  return file;
}

}  // namespace edopt
