// What `edopt calibrate eis --json` and `edopt calibrate rates --json` print, and Python's
// calibrate_eis and calibrate_rates return: the calibrations as JSON objects (docs/cli.md).
#pragma once

#include <string>
#include <vector>

#include "models/eis_calibration.h"
#include "optimizer/rate_fit.h"
#include "optimizer/rate_posterior.h"

namespace edopt {

std::string EisJson(const EisCalibration& calibration, double area_cm2, bool single_tlm);
// cv, post and pcv may be null.
std::string RatesJson(const RateFitResult& fit, const std::vector<RatePoint>& points,
                      double seconds, const CrossValidation* cv, const RatePosterior* post,
                      const PosteriorCrossValidation* pcv);

}  // namespace edopt
