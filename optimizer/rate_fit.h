// Rate-test calibration (docs/physics.md §6): the model parameters that impedance
// cannot give (conductivity temperature dependence, D_s, i0, separator/Li resistance) fitted to
// measured utilizations of built cells, with the EIS resistivity held fixed. Bounded global
// search (NLopt CRS2 with local mutation) then a local polish (NLopt BOBYQA), in transformed
// coordinates (log for scale parameters).
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "models/catalogue.h"
#include "models/design.h"
#include "models/parameters.h"
#include "models/summary.h"

namespace edopt {

struct RatePoint {
  Design design;
  double c_rate = 0.0;
  double measured_utilization = 0.0;
  // Weighed loading; 0 = from the scenario's packing. When set, each layer's apparent density
  // is scaled so the model carries this capacity at the given thicknesses.
  double theoretical_capacity_C_m2 = 0.0;
  // Per-cell conditions that differ between batches (0 = the scenario's): the cell's own
  // resistivity factor (relative to the scenario's: it multiplies the scenario's factor), or
  // its measured ionic resistance per electrode at the reference
  // temperature (TLM convention, ohm) over its area (m2), from which the factor follows; the
  // cycling temperature (K).
  double resistivity_factor = 0.0;
  double r_ion_ohm = 0.0, area_m2 = 0.0;
  double temperature_K = 0.0;
  // The SE powder's particle radius of this cell (D50 / 2; 0 = the scenario's): cells pressed
  // with SE of other sizes identify how the ionic network moves with the size ratio.
  double se_particle_radius_m = 0.0;
  std::string origin;  // "file:line" for reports
};

// A symmetric-cell (ion-blocking) measurement, as `calibrate eis` reports it: the ionic
// resistance per electrode (TLM convention) of a pellet of a composition and thickness, with
// its standard error, at a temperature (0 = the reference temperature).
struct SymmetricCellPoint {
  Design design;
  double r_ion_ohm = 0.0, r_ion_se_ohm = 0.0, area_m2 = 0.0;
  double temperature_K = 0.0;
  double se_particle_radius_m = 0.0;  // D50 / 2 of its SE powder; 0 = the scenario's
  std::string origin;                 // "file:line" for reports
};

// The model's ionic resistance of that pellet, sum of L_k / (A kappa_k) over its layers at the
// cell's temperature; the resistivity factor applies as measured (its exponent gamma is about
// discharge transport, not the blocking cell).
double PredictIonicResistance(const CellParameters& parameters, const SymmetricCellPoint& cell);

// Everything a lab table holds: rate tests and symmetric cells.
struct LabTable {
  std::vector<RatePoint> rate_tests;
  std::vector<SymmetricCellPoint> symmetric_cells;
  std::vector<std::string> notes;  // what reading decided a user should hear (renamed columns)
};

// The parameters one point is simulated with: the weighed loading, the cell's resistivity
// (factor or measured R_ion) and temperature applied to the base.
CellParameters PointParameters(const CellParameters& base, const RatePoint& point);

// A parameter the fit may move: its scenario key, bounds in scenario units, and scale.
struct FreeParameter {
  std::string key;                  // e.g. "kinetics.solid_diffusivity_m2_s"
  double lower = 0.0, upper = 0.0;  // scenario units
  bool log_scale = true;
  // The catalogue entry of `key` (resolved by FittableParameters / FindFittable): the fit's hot
  // path sets values through it, not by looking the key up on every evaluation.
  const CellParameter* entry = nullptr;
};

// The parameters the rate fit knows (scenario keys and default bounds, docs/physics.md §9).
const std::vector<FreeParameter>& FittableParameters();
// Default free set: activation energy of the SE conductivity and D_s, the two a table of
// uniform electrodes identifies (docs/physics.md §10); i0, the separator and the other forms'
// parameters join with --free when the data can tell them apart.
std::vector<FreeParameter> DefaultFreeParameters();
// Looks up a key among FittableParameters(); throws ConfigError naming the known keys.
FreeParameter FindFittable(const std::string& key);

// Value of a fittable key in scenario units, and setting it (SI conversions inside).
double GetFittable(const CellParameters& p, const std::string& key);
// Sets a free parameter through its catalogue entry (by key when it has none).
void SetFittable(CellParameters* p, const FreeParameter& free, double value);
void SetFittable(CellParameters* p, const std::string& key, double value);

struct RateFitOptions {
  std::vector<FreeParameter> free = DefaultFreeParameters();
  int global_evaluations = 400;
  // The local polish runs from the global result and from the best of a Halton design of
  // screening_points points (the fit is multimodal: i0 and the separator trade off against
  // D_s), polish_starts starts in all, each with local_evaluations; the best result wins.
  int screening_points = 32;
  int polish_starts = 4;
  int local_evaluations = 300;
  int threads = 0;  // points are simulated in parallel; 0 = all cores
  std::uint64_t seed = 1;
  // Called in the driver thread after every objective evaluation with the evaluations done and
  // the largest number the fit may take (Budget()); it may throw to stop the fit. Empty = none.
  std::function<void(int done, int budget)> progress;
  int Budget() const {
    return global_evaluations + screening_points + polish_starts * local_evaluations + 2;
  }
};

struct RateFitResult {
  std::vector<FreeParameter> free;
  std::vector<double> initial, fitted, standard_errors;  // scenario units
  Eigen::MatrixXd correlation;                           // of the transformed parameters
  std::vector<double> initial_predicted, predicted;      // utilization per point
  double initial_rms_pp = 0.0, rms_pp = 0.0;             // percentage points
  int evaluations = 0;    // objective evaluations (each simulates every point)
  bool at_bound = false;  // some parameter ended within 1% of a bound
  // Free parameters no prediction depends on (standard error infinite; the summary says "not
  // identifiable" and its termination is kFailed).
  std::vector<std::string> unidentifiable;
  // Rows (their origins) the model fails on numerically at the fitted values: predicted NaN,
  // left out of the RMS; the summary's termination is kFailed.
  std::vector<std::string> failed_rows;
  bool optimized = false;  // false: no solver ran (zero budgets), `fitted` are the start values
  // Why each solver stopped, in NLopt's words: "CRS2: MAXEVAL_REACHED",
  // "BOBYQA start 2: XTOL_REACHED", ...
  std::vector<std::string> terminations;
  CellParameters parameters;  // base with the fitted values
  Summary summary;            // termination over all solvers, evaluations, seconds
};

// Least squares in utilization over the points. Throws InputError for no points or fewer
// points than free parameters, ConfigError for bad bounds. Deterministic for a seed at any
// thread count.
RateFitResult FitRates(const CellParameters& base, const std::vector<RatePoint>& points,
                       const RateFitOptions& options = {});

// Model selection by evidence (docs/physics.md §6): leave-one-out cross-validation (each point
// predicted by a fit to the others, from the same start and options) and information criteria
// of the full fit under Gaussian errors: AIC = n ln(RSS/n) + 2k, BIC = n ln(RSS/n) + k ln n,
// k = free parameters + 1 (the noise variance).
struct CrossValidation {
  RateFitResult full;                  // the fit to every point
  std::vector<double> loo_prediction;  // utilization of point i from the fit without it
  double loo_rms_pp = 0.0;             // RMS of (loo_prediction - measured), points
  double aic = 0.0, bic = 0.0;
  int parameters_at_bound = 0;  // of the full fit
};
// Throws InputError when a leave-one-out fit would have fewer points than free parameters.
CrossValidation CrossValidate(const CellParameters& base, const std::vector<RatePoint>& points,
                              const RateFitOptions& options = {});
// Leave-one-out: the points without point i, and the check (InputError) that leaving one out
// keeps at least as many points as free parameters.
std::vector<RatePoint> WithoutPoint(const std::vector<RatePoint>& points, size_t i);
void CheckLeaveOneOut(size_t points, size_t free_parameters);
// AIC and BIC of a least-squares fit with n residuals and k free parameters (noise included).
std::pair<double, double> InformationCriteria(double rss, int n, int k);

// Predicted utilization of each point under the given parameters (parallel, by index); NaN
// where the discharge ends in a numerical failure.
std::vector<double> PredictUtilization(const CellParameters& parameters,
                                       const std::vector<RatePoint>& points, int threads);

}  // namespace edopt
