// A BioLogic .mpr (binary) laid out as EC-Lab writes it, for the reader's tests and its fuzz
// target: both module header layouts, data module versions 0, 2 and 3, a flags byte and a time
// column between the impedance columns.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/impedance.h"

namespace edopt::testing {

inline std::string Mpr(const Spectrum& s, bool new_header, int version) {
  auto u32 = [](uint32_t v) { return std::string(reinterpret_cast<const char*>(&v), 4); };
  auto f32 = [](double v) {
    float f = static_cast<float>(v);
    return std::string(reinterpret_cast<const char*>(&f), 4);
  };
  auto f64 = [](double v) { return std::string(reinterpret_cast<const char*>(&v), 8); };
  auto module = [&](const std::string& shortname, const std::string& body, uint32_t ver) {
    std::string m =
        "MODULE" + shortname + std::string(10 - shortname.size(), ' ') + std::string(25, ' ');
    if (new_header) m += u32(static_cast<uint32_t>(body.size()));
    m += u32(static_cast<uint32_t>(body.size())) + u32(ver);
    if (new_header) m += u32(0);
    return m + "11/30/26" + body;
  };
  std::string magic = "BIO-LOGIC MODULAR FILE\x1a";
  magic += std::string(48 - magic.size(), ' ') + std::string(4, '\0');
  const std::vector<uint16_t> ids = {1, 3, 32, 4, 37, 38, 24};  // flags, f, t, Re, -Im, cycle
  std::string data = u32(static_cast<uint32_t>(s.frequency_Hz.size()));
  data += static_cast<char>(ids.size());
  for (uint16_t id : ids) {  // one byte each in version 0, two later
    data += version == 0 ? std::string(1, static_cast<char>(id))
                         : std::string(reinterpret_cast<const char*>(&id), 2);
  }
  data += std::string((version == 0 ? 100 : version == 3 ? 406 : 405) - data.size(), '\0');
  for (size_t k = 0; k < s.frequency_Hz.size(); ++k) {
    data += std::string(1, '\x02') + f32(s.frequency_Hz[k]) + f64(double(k)) +
            f32(s.impedance_ohm[k].real()) + f32(-s.impedance_ohm[k].imag()) + f64(1.0);
  }
  return magic + module("VMP Set", std::string(100, '\0'), 0) +
         module("VMP data", data, static_cast<uint32_t>(version));
}

}  // namespace edopt::testing
