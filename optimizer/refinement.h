// One epsilon-constraint subproblem (Haimes et al. 1971): maximize the score subject to
// capacity >= epsilon and the design-space constraints, by COBYLA (Powell 1994) on the
// continuous design, warm started from a front member. The best feasible continuous point is
// then snapped to the weighing grid and evaluated; only snapped designs are proposed.
#pragma once

#include <exception>
#include <nlopt.hpp>
#include <utility>
#include <vector>

#include "models/cell_model.h"
#include "optimizer/design_codec.h"
#include "optimizer/evaluator.h"

namespace edopt {

struct Refinement {
  std::vector<std::pair<Design, Evaluation>> results;  // snapped, evaluated
  int evaluations = 0;
  std::exception_ptr error;                    // rethrown by the driver thread, deterministically
  nlopt::result termination = nlopt::FAILURE;  // of COBYLA
};

Refinement Refine(const CellModel& model, const DesignCodec& codec, double c_rate,
                  Objective objective, double epsilon_C_m2, double capacity_scale,
                  double thickness_step_unit, const std::vector<double>& start,
                  int max_evaluations);

}  // namespace edopt
