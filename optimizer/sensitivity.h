// Sensitivity studies: how the Pareto front, given designs and the robust recipe move when one
// parameter (by default the composite's resistivity) is scaled, and a one-at-a-time screen of
// every calibrated parameter for a design (tornado).
//
// Fronts at different factors are compared on a common footing: the designs found by a fresh
// search at every factor are pooled, and every pooled design is evaluated at every factor; the
// front at a factor is the Pareto set of the pool there. Search noise then cannot make a harder
// parameter look better, and every design's row is a real simulation.
#pragma once

#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "models/cell_model.h"
#include "models/summary.h"
#include "optimizer/design_space.h"
#include "optimizer/pareto.h"
#include "optimizer/posterior_predictive.h"

namespace edopt {

// The cell parameters with the studied parameter multiplied by `factor` (1 = nominal).
using ParameterScaling = std::function<CellParameters(double factor)>;

// The scaling of one numeric cell parameter of the catalogue (models/catalogue.h): its value in
// scenario units times the factor, range-checked like a scenario value. Throws ConfigError
// naming the key when it is not a numeric cell parameter (design-space and search keys do not
// act on the cell: their variants are sweeps) or, when called, when the scaled value is out of
// range.
ParameterScaling ScaleCellParameter(const CellParameters& base, const std::string& key);

struct SensitivityOptions {
  std::vector<double> factors;  // 1 is added when missing (the baseline)
  DesignSpace space;
  SearchOptions search;
  double c_rate = 0.3;
  std::vector<Design> designs;    // evaluated at every factor; empty = baseline knee + bands
  double elasticity_step = 0.05;  // central difference step in ln(value)
  bool robust_by_mean = false;    // robust recipe maximizes the mean instead of the worst case
  // Robust recipe over a calibration's posterior instead (docs/physics.md §11): per band, the
  // pooled design with the best 5th percentile of utilization at the baseline factor over up
  // to 100 of these draws. Empty = over the factors.
  PosteriorSample posterior;
};

struct RobustChoice {
  double capacity_target_C_m2 = 0.0;
  bool found = false;
  Design robust, nominal;  // robust: best worst case (or mean); nominal: best at factor 1
  std::vector<double> robust_utilization, nominal_utilization;  // per factor
  double robust_worst = 0.0, nominal_worst = 0.0, robust_mean = 0.0, nominal_mean = 0.0;
  // With a posterior: the 5th percentile and the median over its draws (NaN otherwise).
  double robust_p05 = std::numeric_limits<double>::quiet_NaN();
  double nominal_p05 = std::numeric_limits<double>::quiet_NaN();
  double robust_p50 = std::numeric_limits<double>::quiet_NaN();
  double nominal_p50 = std::numeric_limits<double>::quiet_NaN();
};

struct SensitivityResult {
  std::vector<double> factors;  // sorted, with 1
  size_t baseline = 0;          // index of factor 1
  std::vector<Design> pool;     // every design on any factor's search front
  std::vector<double> pool_capacity_C_m2;
  std::vector<std::vector<double>> pool_utilization;    // [design][factor]
  std::vector<std::vector<ArchiveEntry>> fronts;        // per factor, from the pool
  std::vector<double> hypervolume;                      // per factor
  std::vector<Design> designs;                          // the evaluated designs
  std::vector<std::vector<double>> design_utilization;  // [design][factor]
  std::vector<std::vector<double>> design_elasticity;   // d utilization / d ln(value)
  std::vector<RobustChoice> robust;                     // per capacity band
  int evaluations = 0;                                  // model evaluations, searches included
  double seconds = 0.0;
  Summary summary;
};

struct SensitivityProgress {
  const char* phase;  // "search" or "evaluation"
  int done = 0, total = 0;
};

// Throws ConfigError for factors <= 0 or an empty list.
SensitivityResult RunSensitivity(
    const ParameterScaling& scaling, const SensitivityOptions& options,
    const std::function<void(const SensitivityProgress&)>& progress = nullptr);

// One bar of a tornado: utilization of a design with one parameter scaled down and up.
struct TornadoBar {
  std::string parameter;
  double low_factor = 1.0, high_factor = 1.0;
  double utilization_low = 0.0, utilization_nominal = 0.0, utilization_high = 0.0;
  double swing() const;  // |high - low|
};

// One-at-a-time screen: each parameter scaled by (1 - range) and (1 + range), bars sorted by
// swing, largest first. Runs the simulations in parallel; deterministic.
std::vector<TornadoBar> Tornado(const std::vector<std::pair<std::string, ParameterScaling>>& params,
                                const Design& design, double c_rate, double range, int threads);

// The whole study of `edopt sensitivity`: `key` scaled by every factor (RunSensitivity), then
// the one-at-a-time screen of every calibrated parameter in use (ScreenedKeys) for each followed
// design. Every scaling is checked before any work (a bad key or factor costs nothing).
struct SensitivityStudy {
  std::string key;
  double screen_range = 0.3;
  SensitivityResult result;
  std::vector<std::string> screened_keys;
  std::vector<std::vector<TornadoBar>> tornados;  // per followed design (result.designs)
};
SensitivityStudy RunSensitivityStudy(
    const CellParameters& cell, const std::string& key, const SensitivityOptions& options,
    double screen_range, const std::function<void(const SensitivityProgress&)>& progress = nullptr);

}  // namespace edopt
