// Layered electrode designs, ordered from the separator (x = 0) to the current collector.
#pragma once

#include <string>
#include <vector>

namespace edopt {

struct Layer {
  // Active material (NG, or NCM in a cathode) by weight of the whole layer, in (0, 1); with no
  // carbon it is NG / (NG + LPS).
  double active_weight_fraction = 0.6;
  double thickness_m = 0.0;
  // Carbon additive by weight of the whole layer, in [0, 1); the SE is the rest,
  // 1 - active_weight_fraction - carbon_weight_fraction.
  double carbon_weight_fraction = 0.0;

  double se_weight_fraction() const {
    return 1.0 - active_weight_fraction - carbon_weight_fraction;
  }

  bool operator==(const Layer&) const = default;
};

struct Design {
  std::vector<Layer> layers;

  double TotalThickness_m() const;
  bool operator==(const Design&) const = default;
};

// Parses the command-line syntax: comma-separated layers `active:SE@thickness_um` or
// `active:SE:carbon@thickness_um`, weight ratios in any scale (`5:5@33` == `50:50@33`,
// `90:9:1@40` == `0.9:0.09:0.01@40`). A bare active fraction `0.6@33` is accepted too.
// Throws ConfigError naming the offending part.
Design ParseDesign(const std::string& text);

// Formats in the same syntax with the ratio in percent (`60:40@63`; `90:9:1@40` when the layer
// holds carbon); round-trips.
std::string FormatDesign(const Design& design);
// The design's exact values as bytes (every layer's fractions and thickness): a key for sets
// and caches that costs no number formatting. Designs on the search's grid (DecimalFraction,
// WholeNanometres) have one key per text; off the grid it also tells apart values that the
// text's 10 digits would merge.
std::string DesignValueKey(const Design& design);

// The same electrode with adjacent layers of equal composition merged (a split layer is one
// layer physically; a lab spreads it once).
Design MergeEqualLayers(const Design& design);

// Plausibility bounds of any design the model is asked about (a pressed composite layer is
// micrometres to millimetres thick): they bound the work of one simulation.
inline constexpr double kMinLayerThickness_m = 0.1e-6;
inline constexpr double kMaxDesignThickness_m = 5e-3;
inline constexpr int kMaxDesignLayers = 50;

// Throws ConfigError when there are no layers or more than kMaxDesignLayers, an active fraction
// outside (0, 1), a carbon fraction outside [0, 1) or no SE left, a layer thinner than
// kMinLayerThickness_m, NaN, or a total above kMaxDesignThickness_m.
void ValidateDesign(const Design& design);

}  // namespace edopt
