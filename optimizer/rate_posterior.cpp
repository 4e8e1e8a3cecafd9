#include "optimizer/rate_posterior.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

#include "models/catalogue.h"
#include "models/errors.h"
#include "models/materials.h"
#include "optimizer/posterior_predictive.h"

namespace edopt {

namespace {

constexpr double kMinusInfinity = -std::numeric_limits<double>::infinity();

// Log prior density of a value v at sampling coordinate y (log v for scale parameters).
double LogPrior(const Prior& prior, bool log_scale, double v) {
  const double jacobian = log_scale ? std::log(v) : 0.0;  // dv/dy = v on the log scale
  switch (prior.kind) {
    case PriorKind::kNone:
      return 0.0;
    case PriorKind::kUniform:
      return jacobian;  // flat in v
    case PriorKind::kLogUniform:
      return jacobian - std::log(v);  // flat in log v
    case PriorKind::kNormal: {
      const double z = (v - prior.a) / prior.b;
      return -0.5 * z * z + jacobian;
    }
    case PriorKind::kLogNormal: {
      const double z = (std::log(v) - std::log(prior.a)) / prior.b;
      return -0.5 * z * z - std::log(v) + jacobian;
    }
  }
  return 0.0;
}

}  // namespace

std::vector<FreeParameter> DefaultPosteriorExtras(const CellParameters& base, bool symmetric_cells,
                                                  const std::vector<FreeParameter>& fit_free) {
  std::vector<std::string> keys;
  if (base.transport.law == ConductivityLawKind::kPercolation) {
    keys = {"transport.percolation_threshold", "transport.percolation_exponent"};
    // With particle sizes and the ratio the threshold was measured at, the threshold moves with
    // the size ratio by the exponent beta (docs/physics.md §3b): its uncertainty is the law's.
    if (base.materials.se_particle_radius_m > 0 && base.transport.percolation_size_ratio > 0)
      keys.push_back("transport.percolation_size_exponent");
  } else {
    keys = {"transport.power_law_exponent"};
  }
  keys.push_back("transport.resistivity_factor_exponent");
  if (symmetric_cells && base.transport.reference_resistivity_ohm_m > 0) {
    keys.push_back("transport.reference_resistivity_ohm_m");
  }
  std::vector<FreeParameter> out;
  for (const auto& key : keys) {
    const bool fitted = std::any_of(fit_free.begin(), fit_free.end(),
                                    [&](const FreeParameter& f) { return f.key == key; });
    if (!fitted) out.push_back(FindFittable(key));
  }
  return out;
}

namespace {

// One parameter of the sampled posterior: where it lives and how it is sampled.
struct SampledParameter {
  FreeParameter free;
  const Prior* prior = nullptr;
  double lo = 0.0, hi = 0.0;  // the box in sampling coordinates
  double ToValue(double y) const { return free.log_scale ? std::exp(y) : y; }
  double ToY(double v) const { return free.log_scale ? std::log(v) : v; }
};

std::vector<SampledParameter> Sampled(const RateFitResult& fit,
                                      const RatePosteriorOptions& options) {
  std::vector<SampledParameter> out;
  auto add = [&](const FreeParameter& f) {
    for (const auto& p : out) {
      if (p.free.key == f.key) throw ConfigError("posterior: '" + f.key + "' is sampled twice");
    }
    SampledParameter p{
        f, &MaterialPriorOr(f.key, fit.parameters, CellParameterOrThrow(f.key, "posterior").prior),
        0.0, 0.0};
    p.lo = p.ToY(f.lower);
    p.hi = p.ToY(f.upper);
    out.push_back(p);
  };
  for (const auto& f : fit.free) add(f);
  for (const auto& f : options.extra) add(f);
  return out;
}

// Log likelihood of the symmetric cells (log-normal about the model's resistance).
double CellsLogLikelihood(const CellParameters& p, const std::vector<SymmetricCellPoint>& cells,
                          double scatter) {
  double ll = 0.0;
  for (const auto& c : cells) {
    const double predicted = PredictIonicResistance(p, c);
    const double s = std::hypot(c.r_ion_se_ohm / c.r_ion_ohm, scatter);
    const double r = (std::log(predicted) - std::log(c.r_ion_ohm)) / s;
    if (!std::isfinite(r)) return kMinusInfinity;
    ll += -0.5 * r * r - std::log(s);
  }
  return ll;
}

// A walker's start for an extra: a draw from its prior inside the box (uniform and normal
// priors), else near the base value.
double PriorDraw(const SampledParameter& p, double base_value, std::mt19937_64* rng) {
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::normal_distribution<double> normal(0.0, 1.0);
  double y = 0.0;
  if (p.prior->kind == PriorKind::kUniform || p.prior->kind == PriorKind::kLogUniform) {
    y = p.lo + (p.hi - p.lo) * unit(*rng);
  } else if (p.prior->kind == PriorKind::kNormal && !p.free.log_scale) {
    y = p.prior->a + p.prior->b * normal(*rng);
  } else {
    y = p.ToY(std::clamp(base_value, p.free.lower, p.free.upper)) +
        0.05 * (p.hi - p.lo) * normal(*rng);
  }
  return std::clamp(y, p.lo + 1e-9 * (p.hi - p.lo), p.hi - 1e-9 * (p.hi - p.lo));
}

// Walkers in a small ball around the least-squares fit and its RMS: half the fit's standard
// error (relative on the log scale), so the ensemble starts about the size of the posterior and
// spends little of its burn-in expanding; capped at a tenth of the box when the fit cannot
// identify the parameter; inside the box. The extras start as draws from their priors.
std::vector<std::vector<double>> StartingBall(const CellParameters& base, const RateFitResult& fit,
                                              const std::vector<SampledParameter>& params,
                                              const RatePosteriorOptions& options,
                                              const EnsembleOptions& sampler) {
  const int k = static_cast<int>(fit.free.size());
  const int n = static_cast<int>(params.size());
  std::mt19937_64 rng(sampler.seed ^ 0x9e3779b97f4a7c15ULL);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::vector<double> centre(n + 1), width(n + 1);
  for (int i = 0; i < k; ++i) {
    const auto& p = params[i];
    centre[i] = p.ToY(fit.fitted[i]);
    const double se =
        p.free.log_scale ? fit.standard_errors[i] / fit.fitted[i] : fit.standard_errors[i];
    width[i] = std::isfinite(se) && se > 0 ? std::min(0.5 * se, 0.1 * (p.hi - p.lo))
                                           : 1e-3 * (p.hi - p.lo);
  }
  centre[n] =
      std::log(std::clamp(fit.rms_pp, 2 * options.noise_lower_pp, 0.5 * options.noise_upper_pp));
  width[n] = 0.2;  // the noise of n points is known to about 1/sqrt(2n)
  std::vector<std::vector<double>> start(sampler.walkers, centre);
  for (auto& w : start) {
    for (int i = 0; i <= n; ++i) {
      if (i >= k && i < n) {
        w[i] = PriorDraw(params[i],
                         CellParameterOrThrow(params[i].free.key, "posterior").value(base), &rng);
        continue;
      }
      w[i] += width[i] * normal(rng);
      if (i < k) {
        const auto& p = params[i];
        w[i] = std::clamp(w[i], p.lo + 1e-9 * (p.hi - p.lo), p.hi - 1e-9 * (p.hi - p.lo));
      }
    }
  }
  return start;
}

// Summaries of the kept draws in scenario units.
void Summarize(const std::vector<SampledParameter>& params, RatePosterior* out) {
  const int n = static_cast<int>(params.size());
  auto to_units = [&](const std::vector<double>& y) {
    std::vector<double> v(n + 1);
    for (int i = 0; i < n; ++i) v[i] = params[i].ToValue(y[i]);
    v[n] = std::exp(y[n]);
    return v;
  };
  size_t best = 0;
  for (size_t s = 0; s < out->chain.samples.size(); ++s) {
    out->draws.push_back(to_units(out->chain.samples[s]));
    if (out->chain.log_density[s] > out->chain.log_density[best]) best = s;
  }
  out->map = out->draws.empty() ? std::vector<double>() : out->draws[best];
  // Quantiles are invariant under the monotone maps; the mean is taken in scenario units.
  out->q025 = to_units(out->chain.q025);
  out->q500 = to_units(out->chain.q500);
  out->q975 = to_units(out->chain.q975);
  out->mean.assign(n + 1, 0.0);
  for (const auto& v : out->draws) {
    for (int i = 0; i <= n; ++i) out->mean[i] += v[i] / static_cast<double>(out->draws.size());
  }
  out->summary = out->chain.summary;
  // Mass at the edges of each parameter's box (sampling coordinates): a posterior piled against
  // an edge is the prior's range speaking, not the data.
  out->lower_edge_share.assign(n, 0.0);
  out->upper_edge_share.assign(n, 0.0);
  out->lower_bound.assign(n, 0.0);
  out->upper_bound.assign(n, 0.0);
  const double count = static_cast<double>(std::max<size_t>(1, out->chain.samples.size()));
  for (int i = 0; i < n; ++i) {
    const double lo = params[i].lo, hi = params[i].hi, band = kEdgeBand * (hi - lo);
    out->lower_bound[i] = params[i].ToValue(lo);
    out->upper_bound[i] = params[i].ToValue(hi);
    for (const auto& y : out->chain.samples) {
      if (y[i] <= lo + band) out->lower_edge_share[i] += 1.0 / count;
      if (y[i] >= hi - band) out->upper_edge_share[i] += 1.0 / count;
    }
  }
}

}  // namespace

RatePosterior SampleRatePosterior(const CellParameters& base, const LabTable& table,
                                  const RateFitResult& fit, const RatePosteriorOptions& options) {
  if (!fit.failed_rows.empty()) {
    throw NumericalError("posterior: the model fails numerically on " + fit.failed_rows.front() +
                         " at the least-squares values; no chain can start there (check that "
                         "row, or leave it out)");
  }
  const auto params = Sampled(fit, options);
  const int n = static_cast<int>(params.size());
  if (!(options.noise_lower_pp > 0) || !(options.noise_upper_pp > options.noise_lower_pp)) {
    throw ConfigError("posterior: the noise range must satisfy 0 < lower < upper");
  }
  if (!(options.cell_scatter > 0)) throw ConfigError("posterior: the cell scatter must be > 0");
  const auto& points = table.rate_tests;
  auto log_density = [&](const std::vector<double>& y) {
    CellParameters p = base;
    double log_prior = 0.0;
    for (int i = 0; i < n; ++i) {
      if (!(y[i] >= params[i].lo && y[i] <= params[i].hi)) return kMinusInfinity;
      const double v = params[i].ToValue(y[i]);
      log_prior += LogPrior(*params[i].prior, params[i].free.log_scale, v);
      SetFittable(&p, params[i].free, v);
    }
    const double noise = std::exp(y[n]) / 100.0;  // utilization units
    if (!(noise * 100.0 >= options.noise_lower_pp && noise * 100.0 <= options.noise_upper_pp)) {
      return kMinusInfinity;
    }
    const auto predicted = PredictUtilization(p, points, 1);
    double log_likelihood = CellsLogLikelihood(p, table.symmetric_cells, options.cell_scatter);
    for (size_t j = 0; j < points.size(); ++j) {
      const double r = (predicted[j] - points[j].measured_utilization) / noise;
      if (!std::isfinite(r)) return kMinusInfinity;
      log_likelihood += -0.5 * r * r - std::log(noise);
    }
    return log_likelihood + log_prior;  // log-uniform noise: flat in y[n]
  };
  EnsembleOptions sampler = options.sampler;
  const int d = n + 1;
  if (sampler.walkers <= 0) sampler.walkers = std::max(16, 4 * d + (4 * d) % 2);
  RatePosterior out;
  out.chain =
      SampleEnsemble(log_density, StartingBall(base, fit, params, options, sampler), sampler);
  for (const auto& p : params) out.names.push_back(p.free.key);
  out.names.push_back("noise_pp");
  Summarize(params, &out);
  return out;
}

RatePosterior SampleRatePosterior(const CellParameters& base, const std::vector<RatePoint>& points,
                                  const RateFitResult& fit, const RatePosteriorOptions& options) {
  return SampleRatePosterior(base, LabTable{points, {}}, fit, options);
}

PosteriorSample ToSample(const RatePosterior& posterior) {
  PosteriorSample sample;
  const size_t k = posterior.names.size() - 1;  // the last column is the noise
  sample.keys.assign(posterior.names.begin(), posterior.names.begin() + k);
  for (const auto& d : posterior.draws) {
    sample.values.emplace_back(d.begin(), d.begin() + k);
    sample.noise_pp.push_back(d[k]);
  }
  return sample;
}

PosteriorCrossValidation CrossValidatePosterior(const CellParameters& base,
                                                const std::vector<RatePoint>& points,
                                                const RateFitOptions& fit_options,
                                                const RatePosteriorOptions& options) {
  CheckLeaveOneOut(points.size(), fit_options.free.size());
  PosteriorCrossValidation cv;
  for (size_t i = 0; i < points.size(); ++i) {
    const auto rest = WithoutPoint(points, i);
    const RateFitResult fit = FitRates(base, rest, fit_options);
    const PosteriorSample sample =
        ToSample(SampleRatePosterior(base, rest, fit, options)).Thinned(200);
    const auto draws = UtilizationDraws(PointParameters(base, points[i]), sample, points[i].design,
                                        points[i].c_rate, fit_options.threads);
    cv.interval.push_back(MeasurementInterval(draws, sample.noise_pp));
    const double m = points[i].measured_utilization;
    cv.inside += m >= cv.interval.back().low && m <= cv.interval.back().high ? 1 : 0;
  }
  return cv;
}

}  // namespace edopt
