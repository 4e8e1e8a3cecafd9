#include "optimizer/sensitivity.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <memory>

#include "models/catalogue.h"
#include "models/composition.h"
#include "models/errors.h"
#include "optimizer/ensemble_sampler.h"
#include "optimizer/parallel.h"
#include "optimizer/search.h"

namespace edopt {

namespace {

std::vector<double> Utilizations(const CellParameters& cell, const std::vector<Design>& designs,
                                 double c_rate, int threads) {
  const CellModel model(cell);
  const auto e = Evaluator(model, c_rate, threads).EvaluateBatch(designs);
  std::vector<double> u;
  for (const auto& v : e)
    u.push_back(v.failed ? std::numeric_limits<double>::quiet_NaN() : v.utilization);
  return u;
}

}  // namespace

namespace {

// Three decades either way: beyond, a factor is a typo and the model leaves its validity.
void CheckFactors(const std::vector<double>& factors) {
  if (factors.empty()) throw ConfigError("sensitivity: no factors given");
  for (double f : factors) {
    if (!(f >= 1e-3 && f <= 1e3)) {
      char text[64];
      std::snprintf(text, sizeof text, "%g", f);
      throw ConfigError(std::string("--factors ") + text +
                        " is out of range; expected 0.001..1000");
    }
  }
}

}  // namespace

ParameterScaling ScaleCellParameter(const CellParameters& base, const std::string& key) {
  const CellParameter* p = nullptr;
  try {
    p = &CellParameterOrThrow(key, "");
  } catch (const ConfigError& e) {
    throw ConfigError(std::string(e.what()) +
                      "; sensitivity studies scale materials, electrode, transport, kinetics, "
                      "test temperature/cutoff or numerics keys (design-space variants are "
                      "sweeps)");
  }
  if (!p->numeric()) {
    throw ConfigError("'" + key + "' is not numeric (value '" + p->get(base) +
                      "'); expected a numeric cell parameter");
  }
  const double value = p->value(base);
  return [base, p, value](double factor) {
    CellParameters cell = base;
    try {
      p->assign(cell, value * factor);
    } catch (const ConfigError& e) {
      char f[32];
      std::snprintf(f, sizeof f, "%g", factor);
      throw ConfigError(p->key + " x " + f + ": " + e.what());
    }
    cell.Validate();
    return cell;
  };
}

SensitivityStudy RunSensitivityStudy(
    const CellParameters& cell, const std::string& key, const SensitivityOptions& options,
    double screen_range, const std::function<void(const SensitivityProgress&)>& progress) {
  if (!(screen_range > 0 && screen_range < 1)) {
    throw ConfigError("sensitivity: screen range " + std::to_string(screen_range) +
                      " must be in (0, 1)");
  }
  SensitivityStudy study;
  study.key = key;
  study.screen_range = screen_range;
  const ParameterScaling scaling = ScaleCellParameter(cell, key);
  CheckFactors(options.factors);
  for (double f : options.factors) scaling(f);  // every factor gives a valid cell, or fail now
  std::vector<std::pair<std::string, ParameterScaling>> screen;
  study.screened_keys = ScreenedKeys(cell);
  for (const auto& k : study.screened_keys) {
    screen.emplace_back(k, ScaleCellParameter(cell, k));
    screen.back().second(1 - screen_range);
    screen.back().second(1 + screen_range);
  }
  study.result = RunSensitivity(scaling, options, progress);
  for (const auto& d : study.result.designs) {
    study.tornados.push_back(
        Tornado(screen, d, options.c_rate, screen_range, options.search.threads));
  }
  return study;
}

double TornadoBar::swing() const { return std::abs(utilization_high - utilization_low); }

namespace {

using Progress = std::function<void(const SensitivityProgress&)>;

// 1. A search at every factor; the fronts' designs pooled (unique, in a deterministic order).
void PoolFronts(const std::vector<CellParameters>& cells, const SensitivityOptions& options,
                const Progress& progress, SensitivityResult* r) {
  const size_t nf = cells.size();
  std::map<std::string, Design> pool;
  for (size_t i = 0; i < nf; ++i) {
    if (progress) progress({"search", static_cast<int>(i), static_cast<int>(nf)});
    const CellModel model(cells[i]);
    const auto s = RunSearch(model, options.space, options.search, options.c_rate);
    r->evaluations += s.evaluations;
    for (const auto& e : s.front) pool.emplace(FormatDesign(e.design), e.design);
  }
  for (const auto& d : options.designs) pool.emplace(FormatDesign(d), d);
  for (auto& [key, d] : pool) r->pool.push_back(d);
}

// 2. Every pooled design at every factor; the fronts and hypervolumes from the pool.
void EvaluatePool(const std::vector<CellParameters>& cells, const SensitivityOptions& options,
                  const Progress& progress, SensitivityResult* r) {
  const size_t nf = cells.size();
  const auto& base = cells[r->baseline];
  for (const auto& d : r->pool) {
    r->pool_capacity_C_m2.push_back(
        SummarizeDesign(base.materials, base.packing, d).theoretical_capacity_C_m2);
  }
  r->pool_utilization.assign(r->pool.size(), std::vector<double>(nf));
  for (size_t i = 0; i < nf; ++i) {
    if (progress) progress({"evaluation", static_cast<int>(i), static_cast<int>(nf)});
    const auto u = Utilizations(cells[i], r->pool, options.c_rate, options.search.threads);
    r->evaluations += static_cast<int>(r->pool.size());
    ParetoArchive archive;
    for (size_t k = 0; k < r->pool.size(); ++k) {
      r->pool_utilization[k][i] = u[k];
      const auto cap = SummarizeDesign(cells[i].materials, cells[i].packing, r->pool[k])
                           .theoretical_capacity_C_m2;
      if (std::isfinite(u[k]))
        archive.Insert({r->pool[k], cap, u[k], static_cast<int>(r->pool[k].layers.size()), "pool"});
    }
    r->fronts.push_back(archive.Sorted());
    r->hypervolume.push_back(Hypervolume(r->fronts.back()));
  }
}

// 3. The designs to follow (given, or the baseline front's knee and band designs): their
// utilization and elasticity at every factor.
void FollowDesigns(const ParameterScaling& scaling, const std::vector<CellParameters>& cells,
                   const SensitivityOptions& options, SensitivityResult* r) {
  const size_t nf = cells.size();
  r->designs = options.designs;
  if (r->designs.empty()) {
    const auto& front = r->fronts[r->baseline];
    if (!front.empty()) r->designs.push_back(front[KneeIndex(front)].design);
    for (double band : options.search.capacity_bands_C_m2) {
      const int i = IndexAtCapacity(front, band);
      if (i >= 0 &&
          std::find(r->designs.begin(), r->designs.end(), front[i].design) == r->designs.end())
        r->designs.push_back(front[i].design);
    }
  }
  r->design_utilization.assign(r->designs.size(), std::vector<double>(nf));
  r->design_elasticity.assign(r->designs.size(), std::vector<double>(nf));
  const double h = options.elasticity_step;
  for (size_t i = 0; i < nf; ++i) {
    const auto u = Utilizations(cells[i], r->designs, options.c_rate, options.search.threads);
    const auto up = Utilizations(scaling(r->factors[i] * std::exp(h)), r->designs, options.c_rate,
                                 options.search.threads);
    const auto down = Utilizations(scaling(r->factors[i] * std::exp(-h)), r->designs,
                                   options.c_rate, options.search.threads);
    r->evaluations += 3 * static_cast<int>(r->designs.size());
    for (size_t k = 0; k < r->designs.size(); ++k) {
      r->design_utilization[k][i] = u[k];
      r->design_elasticity[k][i] = (up[k] - down[k]) / (2 * h);
    }
  }
}

// With a posterior: the 5th and 50th percentiles of every pooled design's utilization over
// (up to 100 of) its draws; NaN without one.
void PosteriorQuantiles(const ParameterScaling& scaling, const SensitivityOptions& options,
                        const Progress& progress, SensitivityResult* r, std::vector<double>* p05,
                        std::vector<double>* p50) {
  p05->assign(r->pool.size(), std::numeric_limits<double>::quiet_NaN());
  *p50 = *p05;
  if (options.posterior.empty()) return;
  const PosteriorSample draws = options.posterior.Thinned(100);
  const CellParameters baseline = scaling(1.0);
  for (size_t k = 0; k < r->pool.size(); ++k) {
    if (progress) progress({"posterior", static_cast<int>(k), static_cast<int>(r->pool.size())});
    const auto u =
        UtilizationDraws(baseline, draws, r->pool[k], options.c_rate, options.search.threads);
    r->evaluations += static_cast<int>(u.size());
    (*p05)[k] = Quantile(u, 0.05);
    (*p50)[k] = Quantile(u, 0.5);
  }
}

// 4. The robust recipe of a band: among pooled designs that reach it, the best worst case (or
// mean) over the factors, or the best 5th percentile over the posterior, against the nominal
// optimum.
RobustChoice Robust(const SensitivityResult& r, const SensitivityOptions& options, double band,
                    const std::vector<double>& p05, const std::vector<double>& p50) {
  const size_t nf = r.factors.size();
  const bool by_posterior = !options.posterior.empty();
  RobustChoice c;
  c.capacity_target_C_m2 = band;
  double best_robust = -1, best_nominal = -1;
  size_t robust = 0, nominal = 0;
  auto worst = [&](size_t k) {
    double w = std::numeric_limits<double>::infinity();
    for (double u : r.pool_utilization[k]) w = std::min(w, std::isfinite(u) ? u : -1.0);
    return w;
  };
  auto mean = [&](size_t k) {
    double m = 0;
    for (double u : r.pool_utilization[k]) m += (std::isfinite(u) ? u : -1.0) / double(nf);
    return m;
  };
  for (size_t k = 0; k < r.pool.size(); ++k) {
    if (r.pool_capacity_C_m2[k] < band * (1 - 1e-9)) continue;
    const double score = by_posterior ? p05[k] : options.robust_by_mean ? mean(k) : worst(k);
    if (score > best_robust) {
      best_robust = score;
      robust = k;
    }
    const double u = r.pool_utilization[k][r.baseline];
    if (std::isfinite(u) && u > best_nominal) {
      best_nominal = u;
      nominal = k;
    }
  }
  if (best_robust >= 0 && best_nominal >= 0) {
    c.found = true;
    c.robust = r.pool[robust];
    c.nominal = r.pool[nominal];
    c.robust_utilization = r.pool_utilization[robust];
    c.nominal_utilization = r.pool_utilization[nominal];
    c.robust_worst = worst(robust);
    c.nominal_worst = worst(nominal);
    c.robust_mean = mean(robust);
    c.nominal_mean = mean(nominal);
    c.robust_p05 = p05[robust];
    c.nominal_p05 = p05[nominal];
    c.robust_p50 = p50[robust];
    c.nominal_p50 = p50[nominal];
  }
  return c;
}

}  // namespace

SensitivityResult RunSensitivity(const ParameterScaling& scaling, const SensitivityOptions& options,
                                 const std::function<void(const SensitivityProgress&)>& progress) {
  const auto start = std::chrono::steady_clock::now();
  CheckFactors(options.factors);
  SensitivityResult r;
  r.factors = options.factors;
  if (std::find(r.factors.begin(), r.factors.end(), 1.0) == r.factors.end())
    r.factors.push_back(1.0);
  std::sort(r.factors.begin(), r.factors.end());
  r.factors.erase(std::unique(r.factors.begin(), r.factors.end()), r.factors.end());
  r.baseline =
      static_cast<size_t>(std::find(r.factors.begin(), r.factors.end(), 1.0) - r.factors.begin());
  std::vector<CellParameters> cells;
  for (double f : r.factors) cells.push_back(scaling(f));
  PoolFronts(cells, options, progress, &r);
  EvaluatePool(cells, options, progress, &r);
  FollowDesigns(scaling, cells, options, &r);
  std::vector<double> p05, p50;
  PosteriorQuantiles(scaling, options, progress, &r, &p05, &p50);
  for (double band : options.search.capacity_bands_C_m2)
    r.robust.push_back(Robust(r, options, band, p05, p50));
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  r.summary = {Termination::kConverged,
               std::to_string(r.factors.size()) + " factors, " + std::to_string(r.pool.size()) +
                   " pooled designs, " + std::to_string(r.designs.size()) + " followed",
               r.evaluations, r.seconds};
  return r;
}

std::vector<TornadoBar> Tornado(const std::vector<std::pair<std::string, ParameterScaling>>& params,
                                const Design& design, double c_rate, double range, int threads) {
  if (!(range > 0 && range < 1))
    throw ConfigError("tornado range " + std::to_string(range) + " must be in (0, 1)");
  if (params.empty()) return {};
  // Task 0: nominal; then (low, high) per parameter. Each writes its own slot.
  const size_t n = 1 + 2 * params.size();
  std::vector<double> u(n);
  std::vector<std::string> errors(n);
  ParallelFor(threads, n, [&](size_t t) {
    const size_t p = t == 0 ? 0 : (t - 1) / 2;
    const double factor = t == 0 ? 1.0 : (t % 2 == 1 ? 1 - range : 1 + range);
    try {
      const CellModel model(params[p].second(factor));
      u[t] = model.Simulate(design, c_rate).utilization;
    } catch (const ConfigError& e) {
      errors[t] = (t == 0 ? std::string("nominal") : params[p].first) + " x " +
                  std::to_string(factor) + ": " + e.what();
    }
  });
  for (const auto& e : errors) {
    if (!e.empty()) throw ConfigError("tornado: " + e);
  }
  std::vector<TornadoBar> bars;
  for (size_t p = 0; p < params.size(); ++p) {
    bars.push_back({params[p].first, 1 - range, 1 + range, u[1 + 2 * p], u[0], u[2 + 2 * p]});
  }
  std::stable_sort(bars.begin(), bars.end(),
                   [](const TornadoBar& a, const TornadoBar& b) { return a.swing() > b.swing(); });
  return bars;
}

}  // namespace edopt
