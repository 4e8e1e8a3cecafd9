// Affine-invariant ensemble sampler (the "stretch move" of Goodman & Weare, Comm. App. Math.
// Comp. Sci. 5, 65, 2010; the parallel half-ensemble scheme of Foreman-Mackey et al.,
// PASP 125, 306, 2013) for a log-density on R^d, with convergence diagnostics.
// Deterministic for a seed at any thread count: every random number is drawn in the calling
// thread before the walkers of a half-ensemble are evaluated in parallel.
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <functional>
#include <vector>

#include "models/summary.h"

namespace edopt {

struct EnsembleOptions {
  int walkers = 32;      // even, at least 2 x dimension
  int steps = 400;       // moves per walker after the burn-in
  int burn_in = 200;     // moves per walker discarded
  int thin = 10;         // keep every thin-th move of every walker
  double stretch = 2.0;  // a of the stretch distribution g(z) ~ 1/sqrt(z) on [1/a, a]
  std::uint64_t seed = 1;
  int threads = 0;  // walkers of a half-ensemble are evaluated in parallel; 0 = all cores
  // Called in the driver thread after every move of the ensemble (burn-in included) with the
  // moves done and burn_in + steps; it may throw to stop the sampling. Empty = none.
  std::function<void(int done, int total)> progress;
};

struct EnsembleResult {
  // Kept draws (walker-major within each kept step), each of dimension d, and their
  // log-densities.
  std::vector<std::vector<double>> samples;
  std::vector<double> log_density;
  int walkers = 0;  // sample s is walker s % walkers at kept step s / walkers
  std::vector<double> mean, sd, q025, q500, q975;  // per coordinate, over the kept draws
  Eigen::MatrixXd correlation;
  // Split R-hat over the walkers' post-burn-in chains (Gelman et al., Bayesian Data Analysis,
  // 3rd ed., §11.4) and the effective sample size from the integrated autocorrelation time of
  // the walker-averaged chain (Sokal's window, c = 5), per coordinate.
  std::vector<double> r_hat, ess, autocorrelation_time;
  // The diagnostics of Vehtari et al. (Bayesian Analysis 16, 667, 2021), per coordinate: the
  // rank-normalized split R-hat (the larger of the bulk and the folded one), and the bulk and
  // tail effective sample sizes (multi-chain autocorrelation, Geyer's initial monotone
  // sequence; tail = the smaller of the 5% and 95% quantile indicators').
  std::vector<double> rank_r_hat, ess_bulk, ess_tail;
  double acceptance = 0.0;  // fraction of accepted moves after the burn-in
  Summary summary;
};

// Samples exp(log_density). start: one point per walker (walkers = start.size()), each with a
// finite log-density. log_density must be thread-safe; -infinity marks points outside the
// support. Throws ConfigError for an odd or too small ensemble or a bad start.
EnsembleResult SampleEnsemble(const std::function<double(const std::vector<double>&)>& log_density,
                              const std::vector<std::vector<double>>& start,
                              const EnsembleOptions& options);

// The q-quantile of values (linear between order statistics); NaN values (draws without a
// result) are left out, and with none left the quantile is NaN.
double Quantile(std::vector<double> values, double q);

// Split R-hat of chains[c][t] (one coordinate), and the integrated autocorrelation time of the
// chain averaged over c, Sokal's automatic window with c = 5 (at least 1).
double SplitRHat(const std::vector<std::vector<double>>& chains);
// Vehtari et al. 2021: rank-normalized split R-hat (max of bulk and folded), and the bulk and tail
// effective sample sizes of chains[c][t].
double RankNormalizedSplitRHat(const std::vector<std::vector<double>>& chains);
double BulkEffectiveSampleSize(const std::vector<std::vector<double>>& chains);
double TailEffectiveSampleSize(const std::vector<std::vector<double>>& chains);
double IntegratedAutocorrelationTime(const std::vector<std::vector<double>>& chains);

}  // namespace edopt
