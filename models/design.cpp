#include "models/design.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <vector>

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
     << " (expected active:SE@thickness_um or active:SE:carbon@thickness_um, e.g. 6:4@63)";
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
    double w = 0.0, carbon = 0.0;
    std::vector<std::string> parts;
    {
      std::stringstream rs(ratio);
      std::string piece;
      while (std::getline(rs, piece, ':')) parts.push_back(Trim(piece));
      if (!ratio.empty() && ratio.back() == ':') parts.push_back("");
    }
    if (parts.size() == 1) {
      if (!TryParseNumber(ratio, &w)) Fail(part, index, "ratio is not active:SE or a fraction");
    } else if (parts.size() == 2 || parts.size() == 3) {
      double v[3] = {0.0, 0.0, 0.0};
      for (size_t i = 0; i < parts.size(); ++i) {
        if (!TryParseNumber(parts[i], &v[i])) Fail(part, index, "ratio parts are not numbers");
      }
      if (v[0] < 0 || v[1] < 0 || v[2] < 0 || v[0] + v[1] + v[2] <= 0) {
        Fail(part, index, "ratio parts must be >= 0");
      }
      // Parts that sum to a power of ten up to the rounding of their digits (the percents
      // FormatDesign prints) are divided by that power: a printed design reads back to itself.
      double total = v[0] + v[1] + v[2];
      const double decade = std::pow(10.0, std::round(std::log10(total)));
      if (std::abs(total - decade) <= 1e-8 * decade) total = decade;
      w = v[0] / total;
      carbon = v[2] / total;
      if (!(v[1] > 0)) Fail(part, index, "a layer needs solid electrolyte (SE part > 0)");
    } else {
      Fail(part, index, "ratio has more than three parts (active:SE:carbon)");
    }
    if (!(w > 0 && w < 1)) Fail(part, index, "active weight fraction must be in (0, 1)");
    design.layers.push_back({w, thickness_um * 1e-6, carbon});
  }
  if (text.back() == ',') Fail("", index + 1, "empty layer");
  ValidateDesign(design);  // plausibility: bounded layer count and thickness
  return design;
}

std::string FormatDesign(const Design& design) {
  // Percents to 10 digits; the SE's is 100 minus the printed others, so the printed parts sum
  // to 100 up to their rounding and read back (ParseDesign) to the same text.
  auto printed = [](double v, std::string* text) {
    *text = FormatG(v, 10);
    double back = v;
    TryParseNumber(*text, &back);
    return back;
  };
  std::string out;
  for (size_t k = 0; k < design.layers.size(); ++k) {
    const auto& l = design.layers[k];
    std::string active, carbon;
    const double a = printed(100.0 * l.active_weight_fraction, &active);
    out += k ? "," : "";
    if (l.carbon_weight_fraction == 0.0) {
      out += active + ":" + FormatG(100.0 - a, 10);
    } else {
      const double c = printed(100.0 * l.carbon_weight_fraction, &carbon);
      out += active + ":" + FormatG(100.0 - a - c, 10) + ":" + carbon;
    }
    out += "@" + FormatG(l.thickness_m * 1e6, 10);
  }
  return out;
}

std::string DesignValueKey(const Design& design) {
  std::string bytes(design.layers.size() * 3 * sizeof(double), '\0');
  char* at = bytes.data();
  for (const auto& l : design.layers) {
    for (const double v : {l.active_weight_fraction, l.thickness_m, l.carbon_weight_fraction}) {
      std::memcpy(at, &v, sizeof v);
      at += sizeof v;
    }
  }
  return bytes;
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
    if (!(l.active_weight_fraction > 0 && l.active_weight_fraction < 1)) {
      std::ostringstream os;
      os << "design layer " << k + 1 << ": NG weight fraction " << l.active_weight_fraction
         << " must be in (0, 1)";
      throw ConfigError(os.str());
    }
    if (!(l.carbon_weight_fraction >= 0 && l.carbon_weight_fraction < 1) ||
        !(l.se_weight_fraction() > 0)) {
      std::ostringstream os;
      os << "design layer " << k + 1 << ": carbon weight fraction " << l.carbon_weight_fraction
         << " with active fraction " << l.active_weight_fraction
         << " leaves no solid electrolyte; expected carbon >= 0 and active + carbon < 1";
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
        std::abs(merged.layers.back().active_weight_fraction - layer.active_weight_fraction) <
            1e-9 &&
        std::abs(merged.layers.back().carbon_weight_fraction - layer.carbon_weight_fraction) <
            1e-9) {
      merged.layers.back().thickness_m += layer.thickness_m;
    } else {
      merged.layers.push_back(layer);
    }
  }
  return merged;
}

}  // namespace edopt
