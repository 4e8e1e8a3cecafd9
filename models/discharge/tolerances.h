// Every tolerance and tuning constant of the discharge solver, in one place (docs/numerics.md
// §1b and §3). From() divides the step and Newton tolerances by numerics.refinement; the tuning
// constants below them are fixed. The solver's step, kinetics and time-loop code holds no other
// decimal literal than 0, 1 and 2 of its formulas (tests/models/discharge/solver_code_test.py).
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

  // --- Newton's tuning (newton.cpp) ---
  // The error left after a full update is estimated from the contraction q of successive
  // updates, q / (1 - q) ||update||, only while q < contraction_limit (else ||update||).
  double contraction_limit = 0.5;
  // Full updates that shrink by less than cycling_ratio for cycling_count iterations in a row
  // cycle around a kink of the rate law: the next update is scaled by cycling_scale.
  double cycling_ratio = 0.8;
  int cycling_count = 3;
  double cycling_scale = 0.5;
  // An update that would take a surface stoichiometry past its limit goes this fraction of the
  // way to the limit (fraction to the boundary).
  double boundary_fraction = 0.9;

  // --- Kinetics (kinetics.h) ---
  // i0 ~ sqrt(theta (1 - theta)) is evaluated at theta clamped this far inside (0, 1).
  double surface_edge = 1e-12;
  // Butler-Volmer exponents alpha f eta are clamped to +-exponent_clamp (no overflow).
  double exponent_clamp = 300.0;

  // --- The time loop (integrator.cpp); step lengths as fractions of the nominal discharge
  // time 3600 / C ---
  double first_step = 1e-4;          // the first step's length
  double min_step = 1e-12;           // a step that fails shorter than this ends the discharge
  double short_step = 1e-6;          // shortest step the controller rejects or retries to;
                                     // shorter steps need a converged Newton (no state test)
  double failed_step_factor = 0.25;  // a step whose Newton fails is retried this much shorter
  double reject_factor = 2.0;        // a step changing a surface or the voltage by more than this
                                     // times its cap is rejected (the last step: its error too)
  double safety = 0.9;               // the step-size factors' safety factor
  double max_growth = 2.0, min_growth = 0.2;  // step growth per accepted step
  // PI control on the error estimate (Gustafsson; Hairer & Wanner, Solving ODEs II, §IV.2):
  // exponents 0.7/k and 0.4/k for an error of order k = 3; ratios floored at min_error_ratio.
  double pi_error_exponent = 0.7 / 3.0;
  double pi_history_exponent = 0.4 / 3.0;
  double min_error_ratio = 1e-10;
  // Time-limit test: t >= t_max (1 - time_rounding).
  double time_rounding = 1e-12;
  // The cutoff landing: |V - cutoff| below cutoff_exact_V is the root; the bracket closes at
  // min_step; at most cutoff_evaluations solves.
  double cutoff_exact_V = 1e-9;
  int cutoff_evaluations = 100;
  // A voltage collapsing onto the cutoff: at the last step's slope the cutoff is less than
  // collapse_horizon of the nominal time away (less capacity than the accuracy budget).
  double collapse_horizon = 1e-3;
  // The electrode is full where the current can reach it: mean stoichiometry above full_mean,
  // surfaces that can take up less than full_uptake times the current, or more than
  // full_share of the current into surfaces within full_gap of saturation.
  double full_mean = 0.999;
  double full_uptake = 1.05;
  double full_gap = 1e-6;
  double full_share = 0.99;
  // t = 0+ continuation in the current for very resistive electrodes: the first fraction (and
  // its divisor while it fails, down to continuation_floor), the largest increment factor and
  // the smallest (below it the continuation has failed).
  double continuation_start = 1.0 / 1024;
  double continuation_floor = 1e-12;
  double continuation_max_factor = 2.0;
  double continuation_min_increment = 1e-4;
  // Wall-clock-free caps (every discharge ends): step attempts of the time loop (accepted and
  // rejected; a seed discharge takes about 100) and increments of the t = 0+ continuation (a
  // few dozen at most where it converges); past either the discharge ends in a numerical
  // failure.
  int max_step_attempts = 200000;
  // The electrode holds no more than its window: a delivered charge above the theoretical
  // capacity by up to this fraction (the model's accuracy budget, 0.3 points) is the
  // integration's error at full lithiation and ends the discharge at exactly full; more is a
  // numerical failure.
  double full_overshoot = 3e-3;
  int max_continuation_steps = 5000;

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
