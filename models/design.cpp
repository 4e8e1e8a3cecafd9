#include "models/design.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "models/errors.h"
#include "models/parameter.h"

namespace edopt {

double Design::TotalThickness_m() const {
  double total = 0.0;
  for (const auto& layer : layers) total += layer.thickness_m;
  return total;
}

namespace {

[[noreturn]] void Fail(const std::string& part, int index, const std::string& why) {
  std::ostringstream os;
  os << "design layer " << index << " '" << part << "': " << why
     << " (expected NG:LPS@thickness_um, e.g. 6:4@63)";
  throw ConfigError(os.str());
}

}  // namespace

Design ParseDesign(const std::string& text) {
  Design design;
  if (Trim(text).empty()) throw ConfigError("design is empty; expected e.g. 5:5@33,6:4@33,7:3@33");
  std::stringstream ss(text);
  std::string part;
  int index = 0;
  while (std::getline(ss, part, ',')) {
    ++index;
    part = Trim(part);
    const auto at = part.find('@');
    if (at == std::string::npos) Fail(part, index, "missing '@thickness_um'");
    const std::string ratio = Trim(part.substr(0, at));
    const std::string thick = Trim(part.substr(at + 1));
    double thickness_um = 0.0;
    if (!TryParseNumber(thick, &thickness_um)) Fail(part, index, "thickness is not a number");
    if (!(thickness_um > 0)) Fail(part, index, "thickness must be > 0 um");
    double w = 0.0;
    const auto colon = ratio.find(':');
    if (colon == std::string::npos) {
      if (!TryParseNumber(ratio, &w)) Fail(part, index, "ratio is not NG:LPS or a fraction");
    } else {
      double ng = 0.0, se = 0.0;
      if (!TryParseNumber(Trim(ratio.substr(0, colon)), &ng) ||
          !TryParseNumber(Trim(ratio.substr(colon + 1)), &se)) {
        Fail(part, index, "ratio parts are not numbers");
      }
      if (ng < 0 || se < 0 || ng + se <= 0) Fail(part, index, "ratio parts must be >= 0");
      w = ng / (ng + se);
    }
    if (!(w > 0 && w < 1)) Fail(part, index, "NG weight fraction must be in (0, 1)");
    design.layers.push_back({w, thickness_um * 1e-6});
  }
  if (text.back() == ',') Fail("", index + 1, "empty layer");
  ValidateDesign(design);  // plausibility: bounded layer count and thickness
  return design;
}

std::string FormatDesign(const Design& design) {
  std::string out;
  char buffer[64];
  for (size_t k = 0; k < design.layers.size(); ++k) {
    const auto& l = design.layers[k];
    const double ng = 100.0 * l.ng_weight_fraction;
    std::snprintf(buffer, sizeof buffer, "%s%.10g:%.10g@%.10g", k ? "," : "", ng, 100.0 - ng,
                  l.thickness_m * 1e6);
    out += buffer;
  }
  return out;
}

void ValidateDesign(const Design& design) {
  if (design.layers.empty()) throw ConfigError("design has no layers");
  if (static_cast<int>(design.layers.size()) > kMaxDesignLayers) {
    throw ConfigError("design has " + std::to_string(design.layers.size()) + " layers; at most " +
                      std::to_string(kMaxDesignLayers) + " are modelled");
  }
  if (!(design.TotalThickness_m() <= kMaxDesignThickness_m)) {
    std::ostringstream os;
    os << "design is " << design.TotalThickness_m() * 1e6 << " um thick; expected at most "
       << kMaxDesignThickness_m * 1e6 << " um (a pressed composite electrode)";
    throw ConfigError(os.str());
  }
  for (size_t k = 0; k < design.layers.size(); ++k) {
    const auto& l = design.layers[k];
    if (!(l.ng_weight_fraction > 0 && l.ng_weight_fraction < 1)) {
      std::ostringstream os;
      os << "design layer " << k + 1 << ": NG weight fraction " << l.ng_weight_fraction
         << " must be in (0, 1)";
      throw ConfigError(os.str());
    }
    if (!(l.thickness_m >= kMinLayerThickness_m) || !std::isfinite(l.thickness_m)) {
      std::ostringstream os;
      os << "design layer " << k + 1 << ": thickness " << l.thickness_m * 1e6
         << " um; expected >= " << kMinLayerThickness_m * 1e6 << " um";
      throw ConfigError(os.str());
    }
  }
}

Design MergeEqualLayers(const Design& design) {
  Design merged;
  for (const auto& layer : design.layers) {
    if (!merged.layers.empty() &&
        std::abs(merged.layers.back().ng_weight_fraction - layer.ng_weight_fraction) < 1e-9) {
      merged.layers.back().thickness_m += layer.thickness_m;
    } else {
      merged.layers.push_back(layer);
    }
  }
  return merged;
}

}  // namespace edopt
