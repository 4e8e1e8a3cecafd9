// Every tolerance and tuning constant of the discharge solver, in one place (docs/numerics.md
// §1b and §3). From() divides the step and Newton tolerances by numerics.refinement.
#pragma once

#include "models/parameters.h"

namespace edopt {

struct SolverTolerances {
  // Newton on the fully coupled step. A full update whose largest potential change is below
  // newton_V and whose largest reaction-rate change is below `reaction` times the mean
  // interfacial current density has converged. 1% of the mean rate leaves an error far smaller
  // (Newton converges quadratically here), and even 1% of one step's lithiation is well below
  // the step's error tolerance; conservation does not depend on it (a full update carries the
  // applied current exactly).
  double newton_V = 0.0;
  double reaction = 0.0;
  int max_newton_iterations = 40;
  // No potential difference moves by more than this per Newton iteration (damping).
  double max_update_V = 0.05;
  // A time step whose Newton solve damps more updates than this in a row is rejected and
  // retried shorter instead of crawling 50 mV per iteration: it is being solved across a
  // voltage cliff (the surfaces filling), where a shorter step converges in two or three.
  int max_damped_iterations = 3;
  // Time steps accept Newton on the state once the last full update moved no potential
  // difference by more than state_potential_V and no particle's mean stoichiometry by more than
  // state_factor step error tolerances. The error left after an update du is about
  // (alpha F/RT) du^2, under 2e-4 V and 6% of the update for 3 mV, so the state keeps less than
  // a fifth of the step's tolerance from the solve.
  double state_potential_V = 0.0;
  double state_factor = 3.0;
  // Adaptive mesh: neighbours merge while their mean and surface stoichiometries differ by at
  // most `merge`; a block splits when it differs from a neighbour by more than `split`.
  double merge = 0.0;
  double split = 0.0;
  // Time-step control: the local error of every particle's mean stoichiometry per step, and the
  // caps on the change per step of any surface stoichiometry and of the voltage.
  double error = 0.0;
  double surface_step = 0.0;
  double voltage_step_V = 0.0;

  static SolverTolerances From(const NumericsOptions& numerics) {
    constexpr double kReaction = 1e-2;
    constexpr double kStatePotential_V = 3e-3;
    constexpr double kMerge = 0.01, kSplit = 0.03;
    const double r = numerics.refinement;
    SolverTolerances t;
    t.newton_V = numerics.newton_tolerance_V / r;
    t.reaction = kReaction / r;
    t.state_potential_V = kStatePotential_V / r;
    t.merge = kMerge / r;
    t.split = kSplit / r;
    t.error = numerics.stoichiometry_error_tolerance / r;
    t.surface_step = numerics.max_surface_stoichiometry_step / r;
    t.voltage_step_V = numerics.max_voltage_step_V / r;
    return t;
  }
};

}  // namespace edopt
