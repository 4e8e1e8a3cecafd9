#include "optimizer/design_codec.h"

#include <algorithm>
#include <cmath>

#include "models/composition.h"

namespace edopt {

DesignCodec::DesignCodec(const DesignSpace& space, int layers) : space_(space), layers_(layers) {}

namespace {

double Snap(double value, double step, double lo, double hi) {
  if (step > 0) {
    value = lo + std::round((value - lo) / step) * step;
    while (value > hi + 1e-12 * std::abs(hi)) value -= step;
  }
  return std::clamp(value, lo, hi);
}

}  // namespace

Design DesignCodec::Decode(const std::vector<double>& x, bool snap) const {
  Design d;
  for (int k = 0; k < layers_; ++k) {
    const double w = space_.min_active_weight_fraction +
                     x[k] * (space_.max_active_weight_fraction - space_.min_active_weight_fraction);
    const double t = space_.min_layer_thickness_m +
                     x[layers_ + k] * (space_.max_layer_thickness_m - space_.min_layer_thickness_m);
    if (!snap) {
      d.layers.push_back(
          {std::clamp(w, space_.min_active_weight_fraction, space_.max_active_weight_fraction),
           std::clamp(t, space_.min_layer_thickness_m, space_.max_layer_thickness_m),
           space_.carbon_weight_fraction});
      continue;
    }
    d.layers.push_back(
        {DecimalFraction(Snap(w, space_.active_weight_fraction_step,
                              space_.min_active_weight_fraction,
                              space_.max_active_weight_fraction)),
         WholeNanometres(Snap(t, space_.thickness_step_m, space_.min_layer_thickness_m,
                              space_.max_layer_thickness_m)),
         space_.carbon_weight_fraction});
  }
  return d;
}

std::vector<double> DesignCodec::Encode(const Design& design) const {
  std::vector<double> x(dimension(), 0.0);
  auto unit = [](double v, double lo, double hi) {
    return hi > lo ? std::clamp((v - lo) / (hi - lo), 0.0, 1.0) : 0.0;
  };
  for (int k = 0; k < layers_ && k < static_cast<int>(design.layers.size()); ++k) {
    x[k] = unit(design.layers[k].active_weight_fraction, space_.min_active_weight_fraction,
                space_.max_active_weight_fraction);
    x[layers_ + k] = unit(design.layers[k].thickness_m, space_.min_layer_thickness_m,
                          space_.max_layer_thickness_m);
  }
  return x;
}

double DesignCodec::Violation(const Design& design, const Materials& materials,
                              const Packing& packing) const {
  const auto s = SummarizeDesign(materials, packing, design);
  double v = 0.0;
  if (s.thickness_m > space_.max_total_thickness_m)
    v += s.thickness_m / space_.max_total_thickness_m - 1.0;
  if (s.thickness_m < space_.min_total_thickness_m)
    v += 1.0 - s.thickness_m / space_.min_total_thickness_m;
  if (s.mean_active_weight_fraction < space_.min_mean_active_weight_fraction - 1e-12) {
    v += space_.min_mean_active_weight_fraction - s.mean_active_weight_fraction;
  }
  if (space_.monotone_gradient) {
    for (size_t k = 1; k < design.layers.size(); ++k) {
      v += std::max(0.0, design.layers[k - 1].active_weight_fraction -
                             design.layers[k].active_weight_fraction);
    }
  }
  return v;
}

}  // namespace edopt
