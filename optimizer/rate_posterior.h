// Bayesian calibration from rate tests (docs/physics.md §11): the posterior of the rate fit's
// free parameters and of the measurement scatter, sampled by the ensemble sampler.
//   y_i = log(value) for scale parameters, the value otherwise; s = log(noise, points).
//   log posterior = sum over rate tests of log N(measured | predicted, noise)
//                   + sum over symmetric cells of log N(ln R_measured | ln R_predicted, s_c)
//                   + log prior(values) + log prior(noise),
// s_c^2 = (standard error / R)^2 + cell_scatter^2 (pellet-to-pellet scatter).
// within the fit bounds of each parameter (the search box, which covers its literature prior).
// Priors from the catalogue: (log-)normal priors as densities; published ranges (uniform,
// log-uniform) are ranges, not distributions, and are flat over the search box in their own
// scale (the Jacobian of y is included). The noise is log-uniform over [noise_lower_pp,
// noise_upper_pp].
#pragma once

#include <string>
#include <vector>

#include "optimizer/ensemble_sampler.h"
#include "optimizer/posterior_predictive.h"
#include "optimizer/rate_fit.h"

namespace edopt {

struct RatePosteriorOptions {
  EnsembleOptions sampler;  // walkers 0 = 4 x (parameters + 1), at least 16
  double noise_lower_pp = 0.1, noise_upper_pp = 20.0;
  // Parameters sampled beside the least-squares fit's free ones, from their catalogue priors
  // (the composition law, gamma, ...): what the data cannot pin stays as uncertain as its
  // prior, and every prediction carries it. See DefaultPosteriorExtras.
  std::vector<FreeParameter> extra;
  // Relative pellet-to-pellet scatter of a symmetric cell's resistance beyond its fit's
  // standard error (docs/physics.md §11).
  double cell_scatter = 0.10;
};

// The extras a posterior samples by default: the scenario's composition-law parameters
// (threshold and exponent, or the power-law exponent; with particle sizes and
// transport.percolation_size_ratio also the size exponent), gamma (transport.resistivity_factor_
// exponent), and, with symmetric cells in the table and a measured reference resistivity, that
// resistivity. Keys already free in `fit_free` are left out.
std::vector<FreeParameter> DefaultPosteriorExtras(const CellParameters& base, bool symmetric_cells,
                                                  const std::vector<FreeParameter>& fit_free);

struct RatePosterior {
  std::vector<std::string> names;  // the free keys, the extras, then "noise_pp"
  // Kept draws in scenario units (noise in percentage points), one row per draw.
  std::vector<std::vector<double>> draws;
  std::vector<double> mean, q025, q500, q975;  // scenario units
  std::vector<double> map;                     // the draw of highest posterior density
  EnsembleResult chain;                        // in sampling coordinates: R-hat, ESS, correlations
  // Per sampled parameter (not the noise): the share of draws within kEdgeBand of the lower and
  // upper edge of its box (in sampling coordinates), and the box's edges in scenario units.
  std::vector<double> lower_edge_share, upper_edge_share, lower_bound, upper_bound;
  Summary summary;
};

// The band (a share of a parameter's box, in sampling coordinates) whose draws count as "at the
// edge": a posterior flat up to an edge holds about this share there, a bounded one almost none.
inline constexpr double kEdgeBand = 0.10;
// A share of draws at an edge above this is reported: the data do not bound the parameter there.
inline constexpr double kEdgeShareReported = 0.05;

// Samples the posterior, the walkers starting in a small ball around the least-squares fit (the
// extras drawn from their priors). Throws ConfigError for options the sampler rejects.
// Deterministic for a seed.
RatePosterior SampleRatePosterior(const CellParameters& base, const LabTable& table,
                                  const RateFitResult& fit, const RatePosteriorOptions& options);
RatePosterior SampleRatePosterior(const CellParameters& base, const std::vector<RatePoint>& points,
                                  const RateFitResult& fit, const RatePosteriorOptions& options);

// The draws of a posterior as a sample predictions can carry (free keys and noise).
PosteriorSample ToSample(const RatePosterior& posterior);

// Leave-one-out intervals (the honest test of the intervals): point i predicted, with the 95%
// interval of a new measurement, by the posterior of a calibration without it (least squares,
// then sampling, from the same options). Throws InputError when a left-out fit would have fewer
// points than free parameters.
struct PosteriorCrossValidation {
  std::vector<PredictiveInterval> interval;  // per point
  int inside = 0;                            // measurements inside their interval
};
PosteriorCrossValidation CrossValidatePosterior(const CellParameters& base,
                                                const std::vector<RatePoint>& points,
                                                const RateFitOptions& fit_options,
                                                const RatePosteriorOptions& options);

}  // namespace edopt
