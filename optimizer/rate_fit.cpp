#include "optimizer/rate_fit.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>
#include <nlopt.hpp>
#include <tuple>

#include "models/catalogue.h"
#include "models/cell_model.h"
#include "models/composition.h"
#include "models/errors.h"
#include "optimizer/nlopt_run.h"
#include "optimizer/parallel.h"

namespace edopt {

namespace {

// Unit box <-> scenario units.
double FromUnit(const FreeParameter& f, double u) {
  return f.log_scale ? std::exp(std::log(f.lower) + u * (std::log(f.upper) - std::log(f.lower)))
                     : f.lower + u * (f.upper - f.lower);
}
double ToUnit(const FreeParameter& f, double v) {
  v = std::clamp(v, f.lower, f.upper);
  return f.log_scale ? (std::log(v) - std::log(f.lower)) / (std::log(f.upper) - std::log(f.lower))
                     : (v - f.lower) / (f.upper - f.lower);
}

struct Problem {
  const CellParameters* base;
  const std::vector<RatePoint>* points;
  const std::vector<FreeParameter>* free;
  int threads;
  int evaluations = 0;
  const std::function<void(int, int)>* progress = nullptr;
  int budget = 0;

  CellParameters At(const std::vector<double>& u) const {
    CellParameters p = *base;
    for (size_t i = 0; i < free->size(); ++i)
      SetFittable(&p, (*free)[i], FromUnit((*free)[i], u[i]));
    return p;
  }
  std::vector<double> Residuals(const std::vector<double>& u) {
    ++evaluations;
    const auto predicted = PredictUtilization(At(u), *points, threads);
    if (progress != nullptr && *progress) (*progress)(std::min(evaluations, budget), budget);
    std::vector<double> r(points->size());
    for (size_t i = 0; i < r.size(); ++i) {
      // A row the model cannot simulate here counts as 100 points off: the search leaves it.
      r[i] = std::isnan(predicted[i]) ? 1.0 : predicted[i] - (*points)[i].measured_utilization;
    }
    return r;
  }
};

double SumOfSquares(const std::vector<double>& r) {
  double s = 0;
  for (double v : r) s += v * v;
  return s;
}

// Radical inverse of k in the given base: the Halton sequence's coordinate (Halton 1960).
double Halton(int k, int base) {
  double value = 0.0, scale = 1.0 / base;
  for (; k > 0; k /= base, scale /= base) value += (k % base) * scale;
  return value;
}
constexpr std::array<int, 8> kPrimes = {2, 3, 5, 7, 11, 13, 17, 19};

// Converged when a local polish met its tolerance; at a bound or without any solver, said so.
Summary FitSummary(const RateFitResult& r) {
  Summary s;
  s.evaluations = r.evaluations;
  std::string stops;
  bool converged = false;
  for (const auto& t : r.terminations) {
    stops += (stops.empty() ? "" : ", ") + t;
    converged |= t.find("XTOL_REACHED") != std::string::npos ||
                 t.find("FTOL_REACHED") != std::string::npos ||
                 t.find(": SUCCESS") != std::string::npos;
  }
  if (!r.optimized) {
    s.termination = Termination::kNotRun;
    s.message = "zero budgets: no solver ran, the values are the start";
    return s;
  }
  s.termination = converged ? Termination::kConverged : Termination::kBudgetExhausted;
  char rms[64];
  std::snprintf(rms, sizeof rms, "RMS %.3g points; ", r.rms_pp);
  s.message = rms + stops + (r.at_bound ? "; a parameter ended at a bound" : "");
  if (!r.failed_rows.empty()) {
    std::string rows;
    for (const auto& o : r.failed_rows) rows += (rows.empty() ? "" : ", ") + o;
    s.termination = Termination::kFailed;
    s.message += "; the model fails numerically on " + rows +
                 " at the fitted values (left out "
                 "of the RMS)";
  }
  if (!r.unidentifiable.empty()) {
    std::string keys;
    for (const auto& k : r.unidentifiable) keys += (keys.empty() ? "" : ", ") + k;
    s.termination = Termination::kFailed;  // the value returned is the start's, not a fit
    s.message += "; not identifiable: " + keys + " (no row's prediction depends on it)";
  }
  return s;
}

}  // namespace

const std::vector<FreeParameter>& FittableParameters() {
  static const std::vector<FreeParameter> list = [] {
    std::vector<FreeParameter> l;
    for (const auto* p : FittableCellParameters())
      l.push_back({p->key, p->fit.lower, p->fit.upper, p->fit.log_scale, p});
    return l;
  }();
  return list;
}

std::vector<FreeParameter> DefaultFreeParameters() {
  return {FindFittable("transport.activation_energy_kJ_mol"),
          FindFittable("kinetics.solid_diffusivity_m2_s")};
}

FreeParameter FindFittable(const std::string& key) {
  for (const auto& f : FittableParameters()) {
    if (f.key == key) return f;
  }
  std::string known;
  for (const auto& f : FittableParameters()) known += (known.empty() ? "" : ", ") + f.key;
  throw ConfigError("'" + key +
                    "' is not a parameter the rate fit can move; expected one of: " + known);
}

double GetFittable(const CellParameters& p, const std::string& key) {
  FindFittable(key);
  return FindCellParameter(key)->value(p);
}

void SetFittable(CellParameters* p, const FreeParameter& free, double value) {
  if (free.entry == nullptr) return SetFittable(p, free.key, value);
  free.entry->assign(*p, value);
}

void SetFittable(CellParameters* p, const std::string& key, double value) {
  FindFittable(key);
  FindCellParameter(key)->assign(*p, value);
}

CellParameters PointParameters(const CellParameters& base, const RatePoint& point) {
  CellParameters p = base;
  if (point.theoretical_capacity_C_m2 > 0) {
    // The weighed loading at the stated thicknesses: apparent density from the capacity.
    double active_volume = 0;  // sum of w_k L_k, m
    for (const auto& l : point.design.layers)
      active_volume += l.active_weight_fraction * l.thickness_m;
    p.packing.apparent_density_kg_m3 = point.theoretical_capacity_C_m2 /
                                       (p.materials.active_specific_capacity_C_kg * active_volume);
  }
  // The cell's resistivity relative to the scenario's (docs/formats.md §3): it multiplies.
  if (point.resistivity_factor > 0) p.transport.resistivity_factor *= point.resistivity_factor;
  if (point.r_ion_ohm > 0) {
    // The ionic resistance the scenario's conductivity law gives this design at the reference
    // temperature (per electrode); the factor makes it the measured.
    CellParameters q = p;
    q.transport.resistivity_factor = 1.0;
    const double r_model =
        PredictIonicResistance(q, {point.design, 0.0, 0.0, point.area_m2, 0.0, 0.0, ""});
    p.transport.resistivity_factor = point.r_ion_ohm / r_model;
  }
  if (point.temperature_K > 0) p.protocol.temperature_K = point.temperature_K;
  if (point.se_particle_radius_m > 0) p.materials.se_particle_radius_m = point.se_particle_radius_m;
  return p;
}

double PredictIonicResistance(const CellParameters& parameters, const SymmetricCellPoint& cell) {
  CellParameters q = parameters;
  q.transport.resistivity_factor_exponent = 1.0;
  q.protocol.temperature_K =
      cell.temperature_K > 0 ? cell.temperature_K : q.protocol.reference_temperature_K;
  if (cell.se_particle_radius_m > 0) q.materials.se_particle_radius_m = cell.se_particle_radius_m;
  const CellModel model(q);
  double r = 0.0;
  for (const auto& l : cell.design.layers) {
    r += l.thickness_m / (cell.area_m2 * model.Layer(l).conductivity_S_m);
  }
  return r;
}

std::vector<double> PredictUtilization(const CellParameters& parameters,
                                       const std::vector<RatePoint>& points, int threads) {
  std::vector<double> out(points.size());
  ParallelFor(threads, points.size(), [&](size_t i) {
    const CellModel model(PointParameters(parameters, points[i]));
    const DischargeResult r = model.Simulate(points[i].design, points[i].c_rate);
    out[i] = r.end_reason == EndReason::kNumericalFailure ? std::numeric_limits<double>::quiet_NaN()
                                                          : r.utilization;
  });
  return out;
}

namespace {

void ValidateFit(const std::vector<RatePoint>& points, const RateFitOptions& options) {
  if (points.empty()) throw InputError("rate fit: no data points");
  const size_t n = options.free.size();
  if (n == 0) throw ConfigError("rate fit: no free parameters");
  if (points.size() < n) {
    throw InputError("rate fit: " + std::to_string(points.size()) + " points for " +
                     std::to_string(n) + " free parameters; need at least as many points");
  }
  for (const auto& f : options.free) {
    FindFittable(f.key);
    if (!(f.lower < f.upper) || (f.log_scale && !(f.lower > 0))) {
      throw ConfigError("rate fit: bounds of " + f.key + " must satisfy 0 < lower < upper");
    }
    const ValueRange& range = FindCellParameter(f.key)->range;
    if (!range.Contains(f.lower) || !range.Contains(f.upper)) {
      throw ConfigError("rate fit: bounds " + FormatScenarioNumber(f.lower) + ".." +
                        FormatScenarioNumber(f.upper) + " of " + f.key +
                        " leave its valid range (" + range.Describe() + ")");
    }
  }
}

// Global phase: CRS2 with local mutation over the unit box from u (updated in place).
void GlobalPhase(const RateFitOptions& options, Guarded* guard, std::vector<double>* u,
                 RateFitResult* result) {
  const size_t n = u->size();
  double f = 0;
  nlopt::opt global(nlopt::GN_CRS2_LM, static_cast<unsigned>(n));
  global.set_lower_bounds(std::vector<double>(n, 0.0));
  global.set_upper_bounds(std::vector<double>(n, 1.0));
  global.set_min_objective(Guarded::Call, guard);
  global.set_maxeval(options.global_evaluations);
  result->terminations.push_back(std::string("CRS2: ") +
                                 ToString(RunNlopt(global, *u, f, {guard})));
}

// Local phase: BOBYQA from the global result and from the best screening points (Halton
// sequence in the unit box, bases 2, 3, 5, ...; deterministic); the best end wins.
void LocalPhase(const RateFitOptions& options, Guarded* guard, std::vector<double>* u,
                RateFitResult* result) {
  const size_t n = u->size();
  std::vector<std::vector<double>> starts = {*u};
  std::vector<std::pair<double, std::vector<double>>> screened;
  for (int k = 1; k <= options.screening_points; ++k) {
    std::vector<double> x(n);
    for (size_t d = 0; d < n; ++d) x[d] = Halton(k, kPrimes[d % kPrimes.size()]);
    screened.emplace_back(guard->function(x), x);
  }
  std::stable_sort(screened.begin(), screened.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& point : screened) {
    if (static_cast<int>(starts.size()) >= options.polish_starts) break;
    starts.push_back(point.second);
  }
  double best = std::numeric_limits<double>::infinity();
  std::vector<double> best_u = *u;
  for (auto& x : starts) {
    nlopt::opt local(nlopt::LN_BOBYQA, static_cast<unsigned>(n));
    local.set_lower_bounds(std::vector<double>(n, 0.0));
    local.set_upper_bounds(std::vector<double>(n, 1.0));
    local.set_min_objective(Guarded::Call, guard);
    local.set_maxeval(options.local_evaluations);
    local.set_xtol_abs(1e-6);
    local.set_initial_step(0.05);
    double value = std::numeric_limits<double>::infinity();
    result->terminations.push_back("BOBYQA start " + std::to_string(&x - &starts[0] + 1) + ": " +
                                   ToString(RunNlopt(local, x, value, {guard})));
    if (value < best) {
      best = value;
      best_u = x;
    }
  }
  *u = best_u;
}

// Covariance s^2 (J^T J)^-1 in the unit box by central differences at u, mapped to scenario
// units: standard errors and correlations.
void Uncertainty(Problem* problem, const std::vector<double>& u, const std::vector<double>& r,
                 const std::vector<FreeParameter>& free, RateFitResult* result) {
  const size_t n = u.size(), m = r.size();
  Eigen::MatrixXd jac(static_cast<long>(m), static_cast<long>(n));
  for (size_t j = 0; j < n; ++j) {
    const double h = 1e-3;
    auto up = u, down = u;
    up[j] = std::min(1.0, u[j] + h);
    down[j] = std::max(0.0, u[j] - h);
    const auto rp = problem->Residuals(up), rm = problem->Residuals(down);
    for (size_t i = 0; i < m; ++i)
      jac(static_cast<long>(i), static_cast<long>(j)) = (rp[i] - rm[i]) / (up[j] - down[j]);
  }
  // A parameter the predictions do not move (a spread with one size class, a resistivity factor
  // every row fixes) is not identifiable: its standard error is infinite, not zero.
  double largest = 0.0;
  for (size_t j = 0; j < n; ++j) largest = std::max(largest, jac.col(static_cast<long>(j)).norm());
  std::vector<bool> seen(n, true);
  for (size_t j = 0; j < n; ++j) {
    const double norm = jac.col(static_cast<long>(j)).norm();
    if (norm <= 1e-10 || norm <= 1e-8 * largest) {
      seen[j] = false;
      result->unidentifiable.push_back(free[j].key);
    }
  }
  const double dof = static_cast<double>(m) - static_cast<double>(n);
  const double s2 = dof > 0 ? SumOfSquares(r) / dof : std::numeric_limits<double>::quiet_NaN();
  const Eigen::MatrixXd cov =
      s2 * (jac.transpose() * jac).completeOrthogonalDecomposition().pseudoInverse();
  result->correlation = cov;
  for (size_t i = 0; i < n; ++i) {
    const double sd_u =
        seen[i] ? std::sqrt(std::max(0.0, cov(static_cast<long>(i), static_cast<long>(i))))
                : std::numeric_limits<double>::infinity();
    const auto& fp = free[i];
    result->standard_errors.push_back(fp.log_scale ? result->fitted[i] * sd_u *
                                                         (std::log(fp.upper) - std::log(fp.lower))
                                                   : sd_u * (fp.upper - fp.lower));
    for (size_t j = 0; j < n; ++j) {
      const double d =
          std::sqrt(std::max(0.0, cov(static_cast<long>(i), static_cast<long>(i)) *
                                      cov(static_cast<long>(j), static_cast<long>(j))));
      result->correlation(static_cast<long>(i), static_cast<long>(j)) =
          d > 0 ? cov(static_cast<long>(i), static_cast<long>(j)) / d : (i == j ? 1.0 : 0.0);
    }
  }
}

}  // namespace

RateFitResult FitRates(const CellParameters& base, const std::vector<RatePoint>& points,
                       const RateFitOptions& options) {
  ValidateFit(points, options);
  const size_t n = options.free.size();
  const auto start = std::chrono::steady_clock::now();
  Problem problem{&base, &points, &options.free, options.threads};
  problem.progress = &options.progress;
  problem.budget = options.Budget();
  RateFitResult result;
  result.free = options.free;
  std::vector<double> u(n);
  for (size_t i = 0; i < n; ++i) {
    result.initial.push_back(GetFittable(base, options.free[i].key));
    u[i] = ToUnit(options.free[i], result.initial[i]);
  }
  result.initial_predicted = PredictUtilization(problem.At(u), points, options.threads);
  {
    double s = 0;
    size_t counted = 0;
    for (size_t i = 0; i < points.size(); ++i) {
      const double d = result.initial_predicted[i] - points[i].measured_utilization;
      if (std::isnan(d)) continue;
      s += d * d;
      ++counted;
    }
    result.initial_rms_pp = 100 * std::sqrt(s / static_cast<double>(std::max<size_t>(counted, 1)));
  }
  Guarded guard{
      [&problem](const std::vector<double>& x) { return SumOfSquares(problem.Residuals(x)); },
      nullptr};
  nlopt::srand(options.seed);
  if (options.global_evaluations > 0) GlobalPhase(options, &guard, &u, &result);
  if (options.local_evaluations > 0) LocalPhase(options, &guard, &u, &result);
  const auto r = problem.Residuals(u);
  result.evaluations = problem.evaluations;
  result.optimized = options.global_evaluations > 0 || options.local_evaluations > 0;
  result.parameters = problem.At(u);
  result.predicted = PredictUtilization(result.parameters, points, options.threads);
  double rss = 0.0;
  size_t counted = 0;
  for (size_t i = 0; i < points.size(); ++i) {
    if (std::isnan(result.predicted[i])) {
      result.failed_rows.push_back(points[i].origin.empty() ? "row " + std::to_string(i + 1)
                                                            : points[i].origin);
      continue;
    }
    rss += std::pow(result.predicted[i] - points[i].measured_utilization, 2);
    ++counted;
  }
  result.rms_pp = 100 * std::sqrt(rss / static_cast<double>(std::max<size_t>(counted, 1)));
  for (size_t i = 0; i < n; ++i) {
    result.fitted.push_back(FromUnit(options.free[i], u[i]));
    result.at_bound |= u[i] < 0.01 || u[i] > 0.99;
  }
  Uncertainty(&problem, u, r, options.free, &result);
  // A parameter no prediction depends on keeps its start: the value the optimizer wandered to
  // means nothing, and the fragment, the JSON and the model all carry the start (as said); nor
  // does its wandering to a bound count as a fitted parameter at a bound.
  auto unidentifiable = [&](size_t i) {
    return std::find(result.unidentifiable.begin(), result.unidentifiable.end(),
                     options.free[i].key) != result.unidentifiable.end();
  };
  result.at_bound = false;
  for (size_t i = 0; i < n; ++i) {
    if (unidentifiable(i)) {
      result.fitted[i] = result.initial[i];
      SetFittable(&result.parameters, options.free[i], result.initial[i]);
    } else {
      result.at_bound |= u[i] < 0.01 || u[i] > 0.99;
    }
  }
  result.summary = FitSummary(result);
  result.summary.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

std::pair<double, double> InformationCriteria(double rss, int n, int k) {
  const double nn = static_cast<double>(n);
  const double fit = nn * std::log(std::max(rss, 1e-300) / nn);
  return {fit + 2.0 * k, fit + k * std::log(nn)};
}

std::vector<RatePoint> WithoutPoint(const std::vector<RatePoint>& points, size_t i) {
  std::vector<RatePoint> rest;
  for (size_t j = 0; j < points.size(); ++j) {
    if (j != i) rest.push_back(points[j]);
  }
  return rest;
}

void CheckLeaveOneOut(size_t points, size_t free_parameters) {
  if (points < free_parameters + 1) {
    throw InputError("cross-validation: " + std::to_string(points) + " points for " +
                     std::to_string(free_parameters) +
                     " free parameters; leaving one out needs at least one more point");
  }
}

CrossValidation CrossValidate(const CellParameters& base, const std::vector<RatePoint>& points,
                              const RateFitOptions& options) {
  CheckLeaveOneOut(points.size(), options.free.size());
  CrossValidation cv;
  cv.full = FitRates(base, points, options);
  double rss = 0.0;
  for (size_t i = 0; i < points.size(); ++i) {
    const double r = cv.full.predicted[i] - points[i].measured_utilization;
    rss += r * r;
  }
  const int n = static_cast<int>(points.size());
  std::tie(cv.aic, cv.bic) = InformationCriteria(rss, n, static_cast<int>(options.free.size()) + 1);
  for (size_t i = 0; i < options.free.size(); ++i) {
    const auto& f = options.free[i];
    const double u = ToUnit(f, cv.full.fitted[i]);
    cv.parameters_at_bound += u < 0.01 || u > 0.99;
  }
  double sum = 0.0;
  for (size_t i = 0; i < points.size(); ++i) {
    const RateFitResult fit = FitRates(base, WithoutPoint(points, i), options);
    cv.loo_prediction.push_back(
        PredictUtilization(fit.parameters, {points[i]}, options.threads)[0]);
    const double d = cv.loo_prediction.back() - points[i].measured_utilization;
    sum += d * d;
  }
  cv.loo_rms_pp = 100 * std::sqrt(sum / static_cast<double>(points.size()));
  return cv;
}

}  // namespace edopt
