#include "formats/eis_measurements.h"

#include "formats/spectrum.h"
#include "models/design.h"
#include "models/errors.h"
#include "models/impedance.h"
#include "models/parameter.h"

namespace edopt {

std::vector<EisMeasurement> EisMeasurements(const EisInputs& in, const CellParameters& cell,
                                            std::vector<std::string>* notes) {
  const auto& imported = in.imported_r_ion;
  for (double r : imported) CheckSetting("--r-ion-ohm", r, Positive());
  if (in.convention != "per-electrode" && in.convention != "single-tlm")
    throw ConfigError("--convention '" + in.convention + "': expected per-electrode or single-tlm");
  if (!imported.empty() && !in.files.empty())
    throw ConfigError("calibrate eis: give spectrum files or --r-ion-ohm values, not both");
  if (in.files.empty() && imported.empty())
    throw ConfigError("calibrate eis: no spectrum files (or --r-ion-ohm values) given");
  const size_t entries = imported.empty() ? in.files.size() : imported.size();
  const std::string what = imported.empty() ? " files" : " --r-ion-ohm values";
  if (!(in.area_cm2 > 0)) throw ConfigError("calibrate eis: --area-cm2 must be given and > 0");
  CheckSetting("--area-cm2", in.area_cm2, kAreaRange_cm2);
  for (double t : in.thickness_um) {
    CheckSetting("--thickness-um", t,
                 {kMinLayerThickness_m * 1e6, kMaxDesignThickness_m * 1e6, false, false});
  }
  if (in.thickness_um.size() != entries) {
    throw ConfigError("calibrate eis: " + std::to_string(entries) + what + " but " +
                      std::to_string(in.thickness_um.size()) +
                      " thicknesses (--thickness-um needs one per entry)");
  }
  std::vector<double> w = in.active_wt;
  for (double v : w) CheckSetting("--active-wt", v, Positive());
  if (w.empty()) w = {cell.transport.reference_active_weight_fraction};
  if (w.size() == 1) w.resize(entries, w[0]);
  if (w.size() != entries) {
    throw ConfigError("calibrate eis: " + std::to_string(entries) + what + " but " +
                      std::to_string(w.size()) +
                      " --active-wt values (one per entry, or one for all)");
  }
  for (double v : w) {
    if (!(v < 1)) throw ConfigError("--active-wt " + FormatG(v) + " must be in (0, 1)");
  }
  std::vector<EisMeasurement> out;
  for (size_t i = 0; i < imported.size(); ++i) {  // values fitted elsewhere: convert, no fit
    EisMeasurement m{"--r-ion-ohm", "imported " + in.convention, {},
                     imported[i],   in.thickness_um[i] * 1e-6,   w[i]};
    m.spectrum.name = "value " + std::to_string(i + 1);
    if (in.convention == "single-tlm")
      m.imported_r_ion_ohm = FromSingleTlm({0, 0, imported[i], 0, 1}).r_ion_ohm;
    out.push_back(m);
  }
  for (size_t i = 0; i < in.files.size(); ++i) {
    const SpectrumFile file = ReadSpectrumFile(in.files[i]);
    for (const auto& note : file.notes) notes->push_back(in.files[i] + ": " + note);
    for (const auto& sweep : file.sweeps) {
      out.push_back(
          {in.files[i], ToString(file.format), sweep, 0.0, in.thickness_um[i] * 1e-6, w[i]});
    }
  }
  return out;
}

}  // namespace edopt
