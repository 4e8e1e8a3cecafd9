// Posterior samples (the `_posterior.csv` of `calibrate rates --posterior`, named by a scenario's
// calibration.posterior_file): read and written in one place.
#pragma once

#include <string>
#include <vector>

#include "optimizer/posterior_predictive.h"

namespace edopt {

// A header of fittable scenario keys, `noise_pp` and optionally `log_posterior` and the chain
// ids `walker` and `step` (1-based; the sampler's walker and kept move), then one draw per row.
// Throws InputError naming file:line, field and value (unknown or repeated key, non-finite or
// out-of-range value, non-positive noise, fewer than 2 draws). Parse works on text already read
// (`name` for messages), Read reads the file first.
PosteriorSample ParsePosteriorSample(const std::string& text, const std::string& name);
PosteriorSample ReadPosteriorSample(const std::string& path);

// The sample in that format (keys, noise_pp, and log_posterior when given one per draw);
// ParsePosteriorSample reads it back to the same draws (numbers to 8 significant digits).
// With walkers > 0 the draws are taken as the sampler keeps them (walker-major within each kept
// move) and written with their walker and step.
std::string FormatPosteriorSample(const PosteriorSample& sample,
                                  const std::vector<double>& log_posterior = {}, int walkers = 0);

}  // namespace edopt
