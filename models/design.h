// Layered electrode designs, ordered from the separator (x = 0) to the current collector.
#pragma once

#include <string>
#include <vector>

namespace edopt {

struct Layer {
  double ng_weight_fraction = 0.6;  // NG / (NG + LPS) by weight, in (0, 1)
  double thickness_m = 0.0;

  bool operator==(const Layer&) const = default;
};

struct Design {
  std::vector<Layer> layers;

  double TotalThickness_m() const;
  bool operator==(const Design&) const = default;
};

// Parses the command-line syntax: comma-separated layers `NG:LPS@thickness_um`, weight ratio
// in any scale (`5:5@33` == `50:50@33`). A bare fraction `0.6@33` is accepted too.
// Throws ConfigError naming the offending part.
Design ParseDesign(const std::string& text);

// Formats in the same syntax with the NG:LPS ratio in percent (`60:40@63`); round-trips.
std::string FormatDesign(const Design& design);

// The same electrode with adjacent layers of equal NG fraction merged (a split layer is one
// layer physically; a lab spreads it once).
Design MergeEqualLayers(const Design& design);

// Plausibility bounds of any design the model is asked about (a pressed composite layer is
// micrometres to millimetres thick): they bound the work of one simulation.
inline constexpr double kMinLayerThickness_m = 0.1e-6;
inline constexpr double kMaxDesignThickness_m = 5e-3;
inline constexpr int kMaxDesignLayers = 50;

// Throws ConfigError when there are no layers or more than kMaxDesignLayers, a ratio outside
// (0, 1), a layer thinner than kMinLayerThickness_m, NaN, or a total above kMaxDesignThickness_m.
void ValidateDesign(const Design& design);

}  // namespace edopt
