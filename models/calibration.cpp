#include "models/calibration.h"

#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <set>

#include "models/errors.h"

namespace edopt {

namespace {

struct Line {
  double slope = 0, intercept = 0, slope_se = 0, intercept_se = 0, sse = 0, r_squared = 0;
};

// y = a x + b by ordinary least squares, with standard errors (n > 2).
Line Regress(const std::vector<double>& x, const std::vector<double>& y) {
  const double n = static_cast<double>(x.size());
  double mx = 0, my = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    mx += x[i] / n;
    my += y[i] / n;
  }
  double sxx = 0, sxy = 0, syy = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    sxx += (x[i] - mx) * (x[i] - mx);
    sxy += (x[i] - mx) * (y[i] - my);
    syy += (y[i] - my) * (y[i] - my);
  }
  Line l;
  l.slope = sxy / sxx;
  l.intercept = my - l.slope * mx;
  for (size_t i = 0; i < x.size(); ++i) {
    const double r = y[i] - l.slope * x[i] - l.intercept;
    l.sse += r * r;
  }
  l.r_squared = syy > 0 ? 1.0 - l.sse / syy : 1.0;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  if (x.size() > 2) {
    const double s2 = l.sse / (n - 2);
    l.slope_se = std::sqrt(s2 / sxx);
    l.intercept_se = std::sqrt(s2 * (1.0 / n + mx * mx / sxx));
  } else {
    l.slope_se = l.intercept_se = nan;
  }
  return l;
}

}  // namespace

ThicknessFit FitThicknessSeries(const std::vector<double>& thickness_m,
                                const std::vector<double>& r_ion_ohm, double area_m2) {
  if (thickness_m.size() != r_ion_ohm.size() || thickness_m.empty()) {
    throw InputError("thickness regression: " + std::to_string(thickness_m.size()) +
                     " thicknesses for " + std::to_string(r_ion_ohm.size()) + " resistances");
  }
  if (!(area_m2 > 0)) throw InputError("thickness regression: area must be > 0");
  for (size_t i = 0; i < thickness_m.size(); ++i) {
    if (!(thickness_m[i] > 0) || !(r_ion_ohm[i] > 0)) {
      throw InputError("thickness regression: point " + std::to_string(i + 1) +
                       " has a non-positive thickness or resistance");
    }
  }
  ThicknessFit fit;
  fit.points = static_cast<int>(thickness_m.size());
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::set<double> distinct(thickness_m.begin(), thickness_m.end());
  if (distinct.size() < 2) {
    // Through the origin: R_0 cannot be separated from the bulk with one thickness.
    double mean = 0;
    for (size_t i = 0; i < thickness_m.size(); ++i) mean += r_ion_ohm[i] / thickness_m[i];
    fit.slope_ohm_per_m = mean / static_cast<double>(thickness_m.size());
    fit.intercept_fitted = false;
    fit.resistivity_se_ohm_m = fit.intercept_se_ohm = nan;
    fit.note = "one thickness: resistivity = R_ion A / L through the origin; R_0 not determined";
  } else {
    const Line l = Regress(thickness_m, r_ion_ohm);
    fit.slope_ohm_per_m = l.slope;
    fit.intercept_ohm = l.intercept;
    fit.r_squared = l.r_squared;
    fit.resistivity_se_ohm_m = l.slope_se * area_m2;
    fit.intercept_se_ohm = l.intercept_se;
    fit.note = thickness_m.size() > 2
                   ? "least squares over " + std::to_string(thickness_m.size()) + " points"
                   : "two points: the line is exact, no confidence intervals";
  }
  fit.resistivity_ohm_m = fit.slope_ohm_per_m * area_m2;
  fit.kappa_eff_S_m = 1.0 / fit.resistivity_ohm_m;
  if (thickness_m.size() > 2 && fit.intercept_fitted) {
    const boost::math::students_t t(static_cast<double>(thickness_m.size() - 2));
    const double q = boost::math::quantile(boost::math::complement(t, 0.025));
    fit.resistivity_ci95_ohm_m[0] = fit.resistivity_ohm_m - q * fit.resistivity_se_ohm_m;
    fit.resistivity_ci95_ohm_m[1] = fit.resistivity_ohm_m + q * fit.resistivity_se_ohm_m;
    fit.intercept_ci95_ohm[0] = fit.intercept_ohm - q * fit.intercept_se_ohm;
    fit.intercept_ci95_ohm[1] = fit.intercept_ohm + q * fit.intercept_se_ohm;
  } else {
    fit.resistivity_ci95_ohm_m[0] = fit.resistivity_ci95_ohm_m[1] = nan;
    fit.intercept_ci95_ohm[0] = fit.intercept_ci95_ohm[1] = nan;
  }
  return fit;
}

namespace {

// One conductivity per distinct composition: the fractions x (ascending) and the mean
// log-conductivity y at each.
void PerComposition(const std::vector<double>& phi, const std::vector<double>& kappa,
                    std::vector<double>* x, std::vector<double>* y) {
  std::map<double, std::pair<double, int>> by_phi;
  for (size_t i = 0; i < phi.size(); ++i) {
    if (!(phi[i] > 0 && phi[i] < 1) || !(kappa[i] > 0)) {
      throw InputError("composition law: point " + std::to_string(i + 1) +
                       " has phi_SE outside (0, 1) or a non-positive conductivity");
    }
    auto& e = by_phi[phi[i]];
    e.first += std::log(kappa[i]);
    e.second += 1;
  }
  for (const auto& [p, e] : by_phi) {
    x->push_back(p);
    y->push_back(e.first / e.second);
  }
}

}  // namespace

CompositionLawFit FitCompositionLaw(const std::vector<double>& phi,
                                    const std::vector<double>& kappa, double prior_threshold,
                                    double prior_exponent) {
  if (phi.size() != kappa.size() || phi.empty()) {
    throw InputError("composition law: " + std::to_string(phi.size()) + " fractions for " +
                     std::to_string(kappa.size()) + " conductivities");
  }
  std::vector<double> x, y;
  PerComposition(phi, kappa, &x, &y);
  CompositionLawFit fit;
  fit.compositions = static_cast<int>(x.size());
  fit.percolation_threshold = prior_threshold;
  fit.percolation_exponent = prior_exponent;
  auto log_g = [](double p, double pc) { return std::log((p - pc) / (1 - pc)); };
  if (x.size() == 1) {
    fit.kappa_se_S_m = std::exp(y[0] - prior_exponent * log_g(x[0], prior_threshold));
    char buffer[200];
    std::snprintf(buffer, sizeof buffer,
                  "one composition: the composition law is a PRIOR (threshold %.3g, exponent "
                  "%.3g), not fitted; vary it in sensitivity studies",
                  prior_threshold, prior_exponent);
    fit.note = buffer;
    return fit;
  }
  std::vector<double> lx;
  for (double p : x) lx.push_back(std::log(p));
  const Line power = Regress(lx, y);
  fit.power_law_exponent = power.slope;
  if (x.size() == 2) {
    if (x[0] <= prior_threshold) {
      fit.note =
          "two compositions, one at or below the prior threshold: percolation exponent "
          "not fitted";
      return fit;
    }
    std::vector<double> gx = {log_g(x[0], prior_threshold), log_g(x[1], prior_threshold)};
    const Line l = Regress(gx, y);
    fit.percolation_exponent = l.slope;
    fit.kappa_se_S_m = std::exp(l.intercept);
    fit.exponent_fitted = true;
    char buffer[120];
    std::snprintf(buffer, sizeof buffer,
                  "two compositions: exponent fitted at the prior threshold %.3g", prior_threshold);
    fit.note = buffer;
    return fit;
  }
  // Scan the threshold below the smallest fraction; regress (log kappa_SE, t) at each.
  double best = std::numeric_limits<double>::infinity();
  const int steps = 2000;
  for (int i = 0; i < steps; ++i) {
    const double pc = x.front() * i / steps;
    std::vector<double> gx;
    for (double p : x) gx.push_back(log_g(p, pc));
    const Line l = Regress(gx, y);
    if (l.slope > 0 && l.sse < best) {
      best = l.sse;
      fit.percolation_threshold = pc;
      fit.percolation_exponent = l.slope;
      fit.kappa_se_S_m = std::exp(l.intercept);
    }
  }
  fit.percolation_fitted = std::isfinite(best);
  fit.rms_log_residual = std::sqrt(best / static_cast<double>(x.size()));
  fit.note = fit.percolation_fitted ? std::to_string(x.size()) +
                                          " compositions: threshold, exponent and prefactor fitted"
                                    : "percolation law could not be fitted (conductivity falls "
                                      "with SE fraction)";
  return fit;
}

}  // namespace edopt
