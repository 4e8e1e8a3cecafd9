#include "optimizer/posterior_predictive.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "models/cell_model.h"
#include "models/errors.h"
#include "optimizer/ensemble_sampler.h"
#include "optimizer/parallel.h"
#include "optimizer/rate_fit.h"

namespace edopt {

PosteriorSample PosteriorSample::Thinned(int n) const {
  if (n <= 0 || static_cast<size_t>(n) >= values.size()) return *this;
  PosteriorSample out;
  out.keys = keys;
  for (int i = 0; i < n; ++i) {
    const size_t at = static_cast<size_t>((i + 0.5) * static_cast<double>(values.size()) / n);
    out.values.push_back(values[at]);
    out.noise_pp.push_back(noise_pp[at]);
  }
  return out;
}

CellParameters PosteriorSample::Apply(const CellParameters& base, size_t i) const {
  CellParameters p = base;
  for (size_t k = 0; k < keys.size(); ++k) SetFittable(&p, keys[k], values[i][k]);
  return p;
}

CellParameters PosteriorSample::Apply(const CellParameters& base, size_t i,
                                      const std::vector<FreeParameter>& entries) const {
  CellParameters p = base;
  for (size_t k = 0; k < keys.size(); ++k) SetFittable(&p, entries[k], values[i][k]);
  return p;
}

std::vector<FreeParameter> PosteriorSample::Entries() const {
  std::vector<FreeParameter> entries;
  for (const auto& key : keys) entries.push_back(FindFittable(key));
  return entries;
}

std::vector<double> UtilizationDraws(const CellParameters& base, const PosteriorSample& sample,
                                     const Design& design, double c_rate, int threads) {
  std::vector<double> out(sample.values.size());
  const std::vector<FreeParameter> entries = sample.Entries();  // looked up once
  ParallelFor(threads, out.size(), [&](size_t i) {
    const CellModel model(sample.Apply(base, i, entries));
    const DischargeResult r = model.Simulate(design, c_rate);
    out[i] = r.end_reason == EndReason::kNumericalFailure ? std::numeric_limits<double>::quiet_NaN()
                                                          : r.utilization;
  });
  return out;
}

PredictiveInterval MeasurementInterval(const std::vector<double>& all_model,
                                       const std::vector<double>& all_noise_pp, double level) {
  if (all_model.empty() || all_model.size() != all_noise_pp.size() || !(level > 0 && level < 1)) {
    throw ConfigError("predictive interval: need one noise per draw and 0 < level < 1");
  }
  std::vector<double> model, noise_pp;  // the draws with a result
  for (size_t i = 0; i < all_model.size(); ++i) {
    if (std::isnan(all_model[i])) continue;
    model.push_back(all_model[i]);
    noise_pp.push_back(all_noise_pp[i]);
  }
  if (model.empty()) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    return {nan, nan, nan, static_cast<int>(all_model.size()), static_cast<int>(all_model.size())};
  }
  auto cdf = [&](double u) {
    double sum = 0.0;
    for (size_t i = 0; i < model.size(); ++i) {
      const double s = std::max(noise_pp[i], 1e-9) / 100.0;
      sum += 0.5 * std::erfc(-(u - model[i]) / (s * std::sqrt(2.0)));
    }
    return sum / static_cast<double>(model.size());
  };
  double lo = *std::min_element(model.begin(), model.end()) - 1.0;
  double hi = *std::max_element(model.begin(), model.end()) + 1.0;
  auto quantile = [&](double q) {
    double a = lo, b = hi;
    for (int k = 0; k < 100 && b - a > 1e-12; ++k) {
      const double m = 0.5 * (a + b);
      (cdf(m) < q ? a : b) = m;
    }
    return 0.5 * (a + b);
  };
  PredictiveInterval out;
  // A utilization is measured inside [0, 1]: the Gaussian scatter's tails beyond are cut.
  out.low = std::clamp(quantile(0.5 * (1 - level)), 0.0, 1.0);
  out.high = std::clamp(quantile(0.5 * (1 + level)), 0.0, 1.0);
  out.median = Quantile(model, 0.5);
  out.draws = static_cast<int>(all_model.size());
  out.failed_draws = static_cast<int>(all_model.size() - model.size());
  return out;
}

double ProbabilityBetter(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size() || a.empty()) throw ConfigError("paired draws of unequal count");
  size_t better = 0, pairs = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::isnan(a[i]) || std::isnan(b[i])) continue;
    ++pairs;
    better += a[i] > b[i] ? 1 : 0;
  }
  if (pairs == 0) return std::numeric_limits<double>::quiet_NaN();
  return static_cast<double>(better) / static_cast<double>(pairs);
}

}  // namespace edopt
