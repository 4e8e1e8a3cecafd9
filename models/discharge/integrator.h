// The time integration of one constant-current discharge (docs/numerics.md §3): the solver's
// steps from t = 0+ to the cutoff, the step-length control and the cutoff landing.
#pragma once

#include "models/discharge/problem.h"
#include "models/discharge/result.h"
#include "models/discharge/tolerances.h"

namespace edopt {

DischargeResult IntegrateDischarge(const DischargeProblem& problem,
                                   const SolverTolerances& tolerances,
                                   const SimulationOptions& options);

}  // namespace edopt
