#include "optimizer/rate_posterior.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

#include "models/catalogue.h"
#include "models/errors.h"
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

namespace {

// Walkers in a small ball around the least-squares fit and its RMS: half the fit's standard
// error (relative on the log scale), so the ensemble starts about the size of the posterior and
// spends little of its burn-in expanding; capped at a tenth of the box when the fit cannot
// identify the parameter; inside the box.
std::vector<std::vector<double>> StartingBall(const RateFitResult& fit,
                                              const RatePosteriorOptions& options,
                                              const EnsembleOptions& sampler) {
  const auto& free = fit.free;
  const int k = static_cast<int>(free.size());
  const int d = k + 1;
  std::mt19937_64 rng(sampler.seed ^ 0x9e3779b97f4a7c15ULL);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::vector<double> centre(d);
  std::vector<double> width(d);
  for (int i = 0; i < k; ++i) {
    const auto& f = free[i];
    centre[i] = f.log_scale ? std::log(fit.fitted[i]) : fit.fitted[i];
    const double box = f.log_scale ? std::log(f.upper / f.lower) : f.upper - f.lower;
    const double se = f.log_scale ? fit.standard_errors[i] / fit.fitted[i] : fit.standard_errors[i];
    width[i] = std::isfinite(se) && se > 0 ? std::min(0.5 * se, 0.1 * box) : 1e-3 * box;
  }
  centre[k] =
      std::log(std::clamp(fit.rms_pp, 2 * options.noise_lower_pp, 0.5 * options.noise_upper_pp));
  width[k] = 0.2;  // the noise of n points is known to about 1/sqrt(2n)
  std::vector<std::vector<double>> start(sampler.walkers, centre);
  for (auto& w : start) {
    for (int i = 0; i < d; ++i) {
      w[i] += width[i] * normal(rng);
      if (i < k) {  // inside the box
        const auto& f = free[i];
        const double lo = f.log_scale ? std::log(f.lower) : f.lower;
        const double hi = f.log_scale ? std::log(f.upper) : f.upper;
        w[i] = std::clamp(w[i], lo + 1e-9 * (hi - lo), hi - 1e-9 * (hi - lo));
      }
    }
  }
  return start;
}

}  // namespace

RatePosterior SampleRatePosterior(const CellParameters& base, const std::vector<RatePoint>& points,
                                  const RateFitResult& fit, const RatePosteriorOptions& options) {
  const auto& free = fit.free;
  const int k = static_cast<int>(free.size());
  const int d = k + 1;
  std::vector<const Prior*> priors;
  for (const auto& f : free) priors.push_back(&CellParameterOrThrow(f.key, "posterior").prior);
  if (!(options.noise_lower_pp > 0) || !(options.noise_upper_pp > options.noise_lower_pp)) {
    throw ConfigError("posterior: the noise range must satisfy 0 < lower < upper");
  }
  auto value = [&](int i, double y) { return free[i].log_scale ? std::exp(y) : y; };
  auto log_density = [&](const std::vector<double>& y) {
    CellParameters p = base;
    double log_prior = 0.0;
    for (int i = 0; i < k; ++i) {
      const double v = value(i, y[i]);
      if (!(v >= free[i].lower && v <= free[i].upper)) return kMinusInfinity;
      log_prior += LogPrior(*priors[i], free[i].log_scale, v);
      SetFittable(&p, free[i], v);
    }
    const double noise = std::exp(y[k]) / 100.0;  // utilization units
    if (!(noise * 100.0 >= options.noise_lower_pp && noise * 100.0 <= options.noise_upper_pp)) {
      return kMinusInfinity;
    }
    const auto predicted = PredictUtilization(p, points, 1);
    double log_likelihood = 0.0;
    for (size_t j = 0; j < points.size(); ++j) {
      const double r = (predicted[j] - points[j].measured_utilization) / noise;
      if (!std::isfinite(r)) return kMinusInfinity;
      log_likelihood += -0.5 * r * r - std::log(noise);
    }
    return log_likelihood + log_prior;  // log-uniform noise: flat in y[k]
  };
  EnsembleOptions sampler = options.sampler;
  if (sampler.walkers <= 0) sampler.walkers = std::max(16, 4 * d + (4 * d) % 2);
  const auto start = StartingBall(fit, options, sampler);
  RatePosterior out;
  out.chain = SampleEnsemble(log_density, start, sampler);
  for (const auto& f : free) out.names.push_back(f.key);
  out.names.push_back("noise_pp");
  auto to_units = [&](const std::vector<double>& y) {
    std::vector<double> v(d);
    for (int i = 0; i < k; ++i) v[i] = value(i, y[i]);
    v[k] = std::exp(y[k]);
    return v;
  };
  size_t best = 0;
  for (size_t s = 0; s < out.chain.samples.size(); ++s) {
    out.draws.push_back(to_units(out.chain.samples[s]));
    if (out.chain.log_density[s] > out.chain.log_density[best]) best = s;
  }
  out.map = out.draws.empty() ? std::vector<double>() : out.draws[best];
  // Quantiles are invariant under the monotone maps; the mean is taken in scenario units.
  const auto lo = to_units(out.chain.q025), mid = to_units(out.chain.q500),
             hi = to_units(out.chain.q975);
  out.q025 = lo;
  out.q500 = mid;
  out.q975 = hi;
  out.mean.assign(d, 0.0);
  for (const auto& v : out.draws) {
    for (int i = 0; i < d; ++i) out.mean[i] += v[i] / static_cast<double>(out.draws.size());
  }
  out.summary = out.chain.summary;
  return out;
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
