#include "optimizer/ensemble_sampler.h"

#include <algorithm>
#include <boost/math/special_functions/erf.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>
#include <random>

#include "models/errors.h"
#include "optimizer/parallel.h"

namespace edopt {

double Quantile(std::vector<double> values, double q) {
  // Draws without a result (NaN: a numerical failure) are left out.
  values.erase(std::remove_if(values.begin(), values.end(), [](double v) { return std::isnan(v); }),
               values.end());
  if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::sort(values.begin(), values.end());
  const double at = q * static_cast<double>(values.size() - 1);
  const size_t lo = static_cast<size_t>(at);
  const size_t hi = std::min(lo + 1, values.size() - 1);
  return values[lo] + (at - static_cast<double>(lo)) * (values[hi] - values[lo]);
}

double SplitRHat(const std::vector<std::vector<double>>& chains) {
  // Every chain cut in two halves: 2C chains of n draws.
  std::vector<const double*> halves;
  const size_t n = chains.empty() ? 0 : chains[0].size() / 2;
  const double nd = static_cast<double>(n);
  if (n < 2) return std::numeric_limits<double>::quiet_NaN();
  for (const auto& c : chains) {
    halves.push_back(c.data());
    halves.push_back(c.data() + (c.size() - n));
  }
  const double m = static_cast<double>(halves.size());
  std::vector<double> means;
  double within = 0.0;
  for (const double* h : halves) {
    const double mean = std::accumulate(h, h + n, 0.0) / nd;
    double s2 = 0.0;
    for (size_t t = 0; t < n; ++t) s2 += (h[t] - mean) * (h[t] - mean);
    within += s2 / (nd - 1);
    means.push_back(mean);
  }
  within /= m;
  const double grand = std::accumulate(means.begin(), means.end(), 0.0) / m;
  double between = 0.0;  // B / n
  for (double mean : means) between += (mean - grand) * (mean - grand);
  between /= (m - 1);
  if (!(within > 0)) return between > 0 ? std::numeric_limits<double>::infinity() : 1.0;
  const double pooled = (nd - 1.0) / nd * within + between;
  return std::sqrt(pooled / within);
}

double IntegratedAutocorrelationTime(const std::vector<std::vector<double>>& chains) {
  if (chains.empty() || chains[0].size() < 4) return 1.0;
  const size_t n = chains[0].size();
  const double nd = static_cast<double>(n);
  // Autocovariance of each chain about its own mean, averaged over chains (emcee's estimator).
  std::vector<double> acf(n, 0.0);
  for (const auto& c : chains) {
    const double mean = std::accumulate(c.begin(), c.end(), 0.0) / nd;
    for (size_t lag = 0; lag < n; ++lag) {
      double s = 0.0;
      for (size_t t = 0; t + lag < n; ++t) s += (c[t] - mean) * (c[t + lag] - mean);
      acf[lag] += s / nd;
    }
  }
  if (!(acf[0] > 0)) return 1.0;
  // tau(M) = 1 + 2 sum_{t=1..M} rho(t); the smallest M >= 5 tau(M) (Sokal's window).
  double tau = 1.0;
  for (size_t m = 1; m < n; ++m) {
    tau += 2.0 * acf[m] / acf[0];
    if (static_cast<double>(m) >= 5.0 * tau) break;
  }
  return std::max(1.0, tau);
}

namespace {

// Every chain cut in two halves of n draws (the middle draw of an odd chain left out).
std::vector<std::vector<double>> SplitChains(const std::vector<std::vector<double>>& chains) {
  std::vector<std::vector<double>> halves;
  for (const auto& c : chains) {
    const size_t n = c.size() / 2;
    halves.emplace_back(c.begin(), c.begin() + static_cast<long>(n));
    halves.emplace_back(c.end() - static_cast<long>(n), c.end());
  }
  return halves;
}

// Ranks over all draws of all chains (ties get their average rank), mapped to normal scores
// Phi^-1((r - 3/8) / (S + 1/4)) (Vehtari et al. 2021, eq. 14).
std::vector<std::vector<double>> RankNormalized(const std::vector<std::vector<double>>& chains) {
  std::vector<std::pair<double, size_t>> all;
  for (size_t c = 0; c < chains.size(); ++c) {
    for (size_t t = 0; t < chains[c].size(); ++t)
      all.push_back({chains[c][t], c * chains[0].size() + t});
  }
  std::sort(all.begin(), all.end());
  const double count = static_cast<double>(all.size());
  std::vector<double> z(all.size());
  for (size_t i = 0; i < all.size();) {
    size_t j = i;
    while (j + 1 < all.size() && all[j + 1].first == all[i].first) ++j;
    const double rank = 0.5 * static_cast<double>(i + j) + 1.0;  // average of ranks i+1 .. j+1
    const double p = (rank - 0.375) / (count + 0.25);
    const double score = std::sqrt(2.0) * boost::math::erf_inv(2.0 * p - 1.0);
    for (size_t k = i; k <= j; ++k) z[all[k].second] = score;
    i = j + 1;
  }
  std::vector<std::vector<double>> out(chains.size());
  for (size_t c = 0; c < chains.size(); ++c) {
    out[c].assign(z.begin() + static_cast<long>(c * chains[0].size()),
                  z.begin() + static_cast<long>((c + 1) * chains[0].size()));
  }
  return out;
}

// Multi-chain effective sample size of equal-length chains (Vehtari et al. 2021, §3.2; Geyer's
// initial monotone positive sequence), at most S log10 S.
double EffectiveSampleSize(const std::vector<std::vector<double>>& chains) {
  const size_t m = chains.size(), n = m ? chains[0].size() : 0;
  if (m == 0 || n < 4) return std::numeric_limits<double>::quiet_NaN();
  const double nd = static_cast<double>(n), md = static_cast<double>(m);
  std::vector<double> mean(m), var(m);
  for (size_t c = 0; c < m; ++c) {
    mean[c] = std::accumulate(chains[c].begin(), chains[c].end(), 0.0) / nd;
    double s = 0.0;
    for (double x : chains[c]) s += (x - mean[c]) * (x - mean[c]);
    var[c] = s / (nd - 1.0);
  }
  const double w = std::accumulate(var.begin(), var.end(), 0.0) / md;
  const double grand = std::accumulate(mean.begin(), mean.end(), 0.0) / md;
  double b_over_n = 0.0;
  for (double mu : mean) b_over_n += (mu - grand) * (mu - grand);
  b_over_n /= std::max(1.0, md - 1.0);
  const double var_plus = (nd - 1.0) / nd * w + b_over_n;
  if (!(var_plus > 0)) return std::numeric_limits<double>::quiet_NaN();
  auto rho = [&](size_t lag) {  // 1 - (W - mean autocovariance at lag) / var+
    double acov = 0.0;
    for (size_t c = 0; c < m; ++c) {
      double s = 0.0;
      for (size_t t = 0; t + lag < n; ++t)
        s += (chains[c][t] - mean[c]) * (chains[c][t + lag] - mean[c]);
      acov += s / nd;
    }
    return 1.0 - (w - acov / md) / var_plus;
  };
  double tau = -1.0, previous = std::numeric_limits<double>::infinity();
  for (size_t k = 0; 2 * k + 1 < n; ++k) {
    double pair = (k == 0 ? 1.0 : rho(2 * k)) + rho(2 * k + 1);
    if (!(pair > 0)) break;
    pair = std::min(pair, previous);  // monotone
    previous = pair;
    tau += 2.0 * pair;
  }
  const double draws = md * nd;
  return std::min(draws / std::max(tau, 1.0 / std::log10(draws)), draws * std::log10(draws));
}

}  // namespace

double RankNormalizedSplitRHat(const std::vector<std::vector<double>>& chains) {
  if (chains.empty() || chains[0].size() < 4) return std::numeric_limits<double>::quiet_NaN();
  const double bulk = SplitRHat(RankNormalized(chains));
  std::vector<double> all;
  for (const auto& c : chains) all.insert(all.end(), c.begin(), c.end());
  const double median = Quantile(all, 0.5);
  std::vector<std::vector<double>> folded = chains;
  for (auto& c : folded) {
    for (double& x : c) x = std::abs(x - median);
  }
  return std::max(bulk, SplitRHat(RankNormalized(folded)));
}

double BulkEffectiveSampleSize(const std::vector<std::vector<double>>& chains) {
  if (chains.empty() || chains[0].size() < 8) return std::numeric_limits<double>::quiet_NaN();
  return EffectiveSampleSize(SplitChains(RankNormalized(chains)));
}

double TailEffectiveSampleSize(const std::vector<std::vector<double>>& chains) {
  if (chains.empty() || chains[0].size() < 8) return std::numeric_limits<double>::quiet_NaN();
  std::vector<double> all;
  for (const auto& c : chains) all.insert(all.end(), c.begin(), c.end());
  double least = std::numeric_limits<double>::infinity();
  for (const double q : {0.05, 0.95}) {
    const double cut = Quantile(all, q);
    std::vector<std::vector<double>> indicator = chains;
    for (auto& c : indicator) {
      for (double& x : c) x = x <= cut ? 1.0 : 0.0;
    }
    least = std::min(least, EffectiveSampleSize(SplitChains(indicator)));
  }
  return least;
}

namespace {

using LogDensity = std::function<double(const std::vector<double>&)>;

// The walkers' state and the stretch move's workspace (Goodman & Weare 2010).
struct Ensemble {
  std::vector<std::vector<double>> x;  // walkers
  std::vector<double> logp;
  std::vector<std::vector<double>> proposal;
  std::vector<double> proposal_logp, z, log_u;
  long accepted = 0, moves = 0;
  int evaluations = 0;
};

void ValidateEnsemble(int k, int d, const EnsembleOptions& options) {
  if (d == 0 || k % 2 != 0 || k < 2 * d) {
    throw ConfigError("ensemble sampler: " + std::to_string(k) + " walkers for dimension " +
                      std::to_string(d) + "; need an even number, at least twice the dimension");
  }
  if (options.steps < 4 || options.burn_in < 0 || options.thin < 1 || !(options.stretch > 1)) {
    throw ConfigError("ensemble sampler: need steps >= 4, burn-in >= 0, thin >= 1, stretch > 1");
  }
}

// One stretch move of half h of the walkers against the other half. The random numbers are
// drawn first, in this thread (partners, stretches, acceptance draws); the densities of the
// proposals are evaluated in parallel. `counted`: after the burn-in.
void StretchHalf(const LogDensity& log_density, const EnsembleOptions& options, int h, bool counted,
                 std::mt19937_64& rng, std::uniform_real_distribution<double>& uniform,
                 Ensemble* e) {
  const int k = static_cast<int>(e->x.size()), d = static_cast<int>(e->x[0].size());
  const int half = k / 2, first = h * half, other = (1 - h) * half;
  const double a = options.stretch;
  for (int i = 0; i < half; ++i) {
    const int partner = other + static_cast<int>(uniform(rng) * half) % half;
    const double u = uniform(rng);
    e->z[i] = (a - 1.0) * u + 1.0;
    e->z[i] = e->z[i] * e->z[i] / a;
    e->log_u[i] = std::log(uniform(rng));
    for (int c = 0; c < d; ++c) {
      e->proposal[i][c] = e->x[partner][c] + e->z[i] * (e->x[first + i][c] - e->x[partner][c]);
    }
  }
  ParallelFor(options.threads, half,
              [&](size_t i) { e->proposal_logp[i] = log_density(e->proposal[i]); });
  e->evaluations += half;
  for (int i = 0; i < half; ++i) {
    const int w = first + i;
    const double log_ratio = (d - 1) * std::log(e->z[i]) + e->proposal_logp[i] - e->logp[w];
    const bool accept = std::isfinite(e->proposal_logp[i]) && e->log_u[i] < log_ratio;
    if (accept) {
      e->x[w] = e->proposal[i];
      e->logp[w] = e->proposal_logp[i];
    }
    if (counted) {
      ++e->moves;
      e->accepted += accept ? 1 : 0;
    }
  }
}

// Means, spreads, quantiles, correlations, split R-hat and effective sample sizes of the
// draws, and the summary (converged: R-hat below 1.1 and at least 100 effective draws of every
// coordinate).
void Diagnose(const std::vector<std::vector<std::vector<double>>>& chains, int k, int steps,
              EnsembleResult* result) {
  const size_t n = result->samples.size();
  const int d = static_cast<int>(chains.size());
  Eigen::MatrixXd draws(n, d);
  for (size_t s = 0; s < n; ++s) {
    for (int c = 0; c < d; ++c) draws(s, c) = result->samples[s][c];
  }
  const Eigen::RowVectorXd mean = draws.colwise().mean();
  const Eigen::MatrixXd centred = draws.rowwise() - mean;
  const Eigen::MatrixXd covariance =
      centred.transpose() * centred / std::max(1.0, static_cast<double>(n) - 1.0);
  const Eigen::VectorXd sd = covariance.diagonal().cwiseSqrt();
  result->correlation = covariance.array() / (sd * sd.transpose()).array();
  double worst_r = 0.0, least_ess = std::numeric_limits<double>::infinity();
  for (int c = 0; c < d; ++c) {
    std::vector<double> column(draws.col(c).data(), draws.col(c).data() + n);
    result->mean.push_back(mean(c));
    result->sd.push_back(sd(c));
    result->q025.push_back(Quantile(column, 0.025));
    result->q500.push_back(Quantile(column, 0.5));
    result->q975.push_back(Quantile(column, 0.975));
    result->r_hat.push_back(SplitRHat(chains[c]));
    result->autocorrelation_time.push_back(IntegratedAutocorrelationTime(chains[c]));
    result->ess.push_back(static_cast<double>(k) * steps / result->autocorrelation_time[c]);
    result->rank_r_hat.push_back(RankNormalizedSplitRHat(chains[c]));
    result->ess_bulk.push_back(BulkEffectiveSampleSize(chains[c]));
    result->ess_tail.push_back(TailEffectiveSampleSize(chains[c]));
    worst_r = std::max(worst_r, result->r_hat[c]);
    least_ess = std::min(least_ess, result->ess[c]);
  }
  char message[200];
  std::snprintf(message, sizeof message,
                "%zu draws; largest split R-hat %.3f, smallest effective sample size %.0f, "
                "acceptance %.2f",
                n, worst_r, least_ess, result->acceptance);
  result->summary.termination =
      worst_r < 1.1 && least_ess >= 100 ? Termination::kConverged : Termination::kBudgetExhausted;
  result->summary.message = message;
}

}  // namespace

EnsembleResult SampleEnsemble(const std::function<double(const std::vector<double>&)>& log_density,
                              const std::vector<std::vector<double>>& start,
                              const EnsembleOptions& options) {
  const auto begin = std::chrono::steady_clock::now();
  const int k = static_cast<int>(start.size());
  const int d = k > 0 ? static_cast<int>(start[0].size()) : 0;
  ValidateEnsemble(k, d, options);
  Ensemble e;
  e.x = start;
  e.logp.resize(k);
  ParallelFor(options.threads, k, [&](size_t w) { e.logp[w] = log_density(e.x[w]); });
  for (int w = 0; w < k; ++w) {
    if (!std::isfinite(e.logp[w])) {
      throw ConfigError("ensemble sampler: walker " + std::to_string(w + 1) +
                        " starts where the density is zero");
    }
  }
  e.evaluations = k;
  std::mt19937_64 rng(options.seed);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  const int half = k / 2;
  e.proposal.assign(half, std::vector<double>(d));
  e.proposal_logp.resize(half);
  e.z.resize(half);
  e.log_u.resize(half);
  // Post-burn-in chains per coordinate and walker, for the diagnostics.
  std::vector<std::vector<std::vector<double>>> chains(
      d, std::vector<std::vector<double>>(k, std::vector<double>()));
  EnsembleResult result;
  result.walkers = k;
  for (int step = 0; step < options.burn_in + options.steps; ++step) {
    const bool counted = step >= options.burn_in;
    for (int h = 0; h < 2; ++h) StretchHalf(log_density, options, h, counted, rng, uniform, &e);
    if (options.progress) options.progress(step + 1, options.burn_in + options.steps);
    if (!counted) continue;
    for (int w = 0; w < k; ++w) {
      for (int c = 0; c < d; ++c) chains[c][w].push_back(e.x[w][c]);
    }
    if ((step - options.burn_in) % options.thin == 0) {
      for (int w = 0; w < k; ++w) {
        result.samples.push_back(e.x[w]);
        result.log_density.push_back(e.logp[w]);
      }
    }
  }
  result.acceptance =
      e.moves > 0 ? static_cast<double>(e.accepted) / static_cast<double>(e.moves) : 0.0;
  Diagnose(chains, k, options.steps, &result);
  result.summary.evaluations = e.evaluations;
  result.summary.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  return result;
}

}  // namespace edopt
