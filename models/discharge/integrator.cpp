// The time integration of one constant-current discharge (docs/numerics.md §3), as a loop of
// named phases over the solver: StartResponse (t = 0+, with continuation in the current for very
// resistive electrodes), then per step TryStep (the implicit step, rejected and shortened when
// Newton fails), LandOnCutoff (the step length that ends on the cutoff voltage), Accept or
// Reject (the step-size checks), and ControlStepSize (the PI controller).
#include "models/discharge/integrator.h"

#include <boost/math/tools/toms748_solve.hpp>
#include <cmath>
#include <limits>

#include "models/discharge/solver.h"
#include "models/units.h"

namespace edopt {

namespace {

// Guards a division by a change that may be exactly zero (not a tuning constant).
constexpr double kTiny = std::numeric_limits<double>::min();

class Integrator {
 public:
  Integrator(const DischargeProblem& problem, const SolverTolerances& tolerances,
             const SimulationOptions& options)
      : tol_(tolerances),
        options_(options),
        solver_(problem, tolerances),
        cutoff_(problem.cutoff_voltage_V),
        nominal_s_(kSecondsPerHour / problem.c_rate),
        t_max_(problem.max_duration_factor * nominal_s_),
        dt_min_(tolerances.min_step * nominal_s_),
        dt_(tolerances.first_step * nominal_s_) {
    result_.c_rate = problem.c_rate;
    result_.current_A_m2 = solver_.current();
    result_.theoretical_capacity_C_m2 = solver_.capacity();
    if (options.record_curve) result_.curve.reserve(256);
  }

  DischargeResult Run() {
    if (!StartResponse()) return result_;
    for (int attempt = 0;; ++attempt) {
      if (attempt >= tol_.max_step_attempts) {
        Finish(t_, EndReason::kNumericalFailure);
        return result_;
      }
      dt_ = std::min(dt_, t_max_ - t_);
      switch (TryStep()) {
        case Outcome::kRetry:
          continue;
        case Outcome::kEnded:
          return result_;
        case Outcome::kAccepted:
          break;
      }
    }
  }

 private:
  enum class Outcome { kRetry, kAccepted, kEnded };

  void Finish(double t, EndReason reason) {
    const double full_time = solver_.capacity() / solver_.current();
    if (t > full_time) {  // more than the window holds: the integration's error, or a failure
      if (t > full_time * (1.0 + tol_.full_overshoot)) reason = EndReason::kNumericalFailure;
      t = full_time;
    }
    result_.end_time_s = t;
    result_.end_reason = reason;
    result_.delivered_capacity_C_m2 = solver_.current() * t;
    result_.utilization = result_.delivered_capacity_C_m2 / result_.theoretical_capacity_C_m2;
    result_.final_voltage_V = solver_.voltage();
    result_.stored_charge_C_m2 = solver_.StoredCharge();
    result_.newton_iterations = solver_.newton_iterations();
    if (options_.record_profile) solver_.FillProfile(&result_.profile);
  }
  void Record(double t) {
    if (options_.record_curve) {
      result_.curve.push_back({t, solver_.current() * t, solver_.voltage()});
    }
  }
  // BDF2's step ratio for a step of this length (backward Euler for the first).
  double Omega(double length) const { return dt_prev_ > 0 ? length / dt_prev_ : 0.0; }
  // Step-size factors that would meet each criterion (the error scales with dt^3).
  double Caps(double d_theta, double d_v) const {
    return std::min(tol_.surface_step / std::max(d_theta, kTiny),
                    tol_.voltage_step_V / std::max(d_v, kTiny));
  }
  double Fit(double d_theta, double d_v, double error) const {
    return std::min(Caps(d_theta, d_v), std::cbrt(tol_.error / std::max(error, kTiny)));
  }
  // A step no longer than the shortest the controller works with.
  bool Short(double length) const { return length <= tol_.short_step * nominal_s_; }

  bool StartResponse();
  Outcome TryStep();
  Outcome LandOnCutoff(double v_old, double v_new);
  void ControlStepSize(double d_theta, double d_v, double error);

  const SolverTolerances tol_;
  const SimulationOptions& options_;
  Solver solver_;
  DischargeResult result_;
  const double cutoff_, nominal_s_, t_max_, dt_min_;
  double t_ = 0.0, dt_ = 0.0, dt_prev_ = 0.0;
  double voltage_slope_V_s_ = 0.0;  // over the last accepted step
  double slope_s_ = 0.0;  // dV/d(current fraction) over the start's last continuation increment
  double previous_ratio_ = 1.0;  // error / tolerance of the last accepted step
};

// t = 0+: the instantaneous response (no diffusion history). Very resistive electrodes: the
// uniform-reaction start is too far off, so the current is continued from a small fraction,
// each solve starting from the previous one. The t = 0+ voltage falls as the current rises
// (every drop grows with it), so once a fraction of the current already takes it below the
// cutoff, the full current ends the discharge at t = 0; the initial voltage reported is then
// that fraction's (an upper bound). Returns false when the discharge ended at t = 0.
bool Integrator::StartResponse() {
  if (!solver_.Step(0.0, 0.0)) {
    const double full = solver_.current();
    const double start = tol_.continuation_start;
    double s = start;
    solver_.Restart(s * full);
    bool ok = solver_.Step(0.0, 0.0);
    while (!ok && s > tol_.continuation_floor) {  // a layer far below percolation: smaller still
      s *= start;
      solver_.Restart(s * full);
      ok = solver_.Step(0.0, 0.0);
    }
    // Each solve starts from the last (scaled by the current's ratio); where one fails (the
    // overpotential grows faster than linearly near a cliff of the OCP or the kinetics), the
    // increment shrinks.
    double factor = tol_.continuation_max_factor;
    int increments = 0;
    double s_before = 0.0, v_before = 0.0;  // the previous committed fraction and its voltage
    bool have_before = false;
    while (ok && s < 1.0) {
      if (++increments > tol_.max_continuation_steps) {
        ok = false;
        break;
      }
      solver_.Commit();
      if (solver_.voltage() <= cutoff_) {
        result_.initial_voltage_V = solver_.voltage();
        Finish(0.0, EndReason::kCutoffVoltage);
        return false;
      }
      s_before = s;
      v_before = solver_.voltage();
      have_before = true;
      double next = std::min(1.0, factor * s);
      solver_.Ramp(next / s);
      ok = solver_.Step(0.0, 0.0);
      while (!ok && next / s > 1.0 + tol_.continuation_min_increment) {
        solver_.Ramp(s / next);  // back to the committed fraction
        factor = std::sqrt(factor);
        next = std::min(1.0, factor * s);
        solver_.Ramp(next / s);
        ok = solver_.Step(0.0, 0.0);
      }
      if (ok) factor = std::min(tol_.continuation_max_factor, factor * factor);  // longer again
      s = next;
      if (ok) {
        slope_s_ = have_before ? (solver_.voltage() - v_before) / (s - s_before) : 0.0;
      }
    }
    if (!ok) {
      // The continuation stalled at the committed fraction s_before: the t = 0+ voltage falls
      // with the current ever faster (every drop grows with it, the kinetics' exponentially),
      // so the straight line through the last two fractions bounds V(1) from above. Below the
      // cutoff, the full current ends the discharge at t = 0 (issue 38: Newton lost the
      // collapsing branch before the cutoff, a numerical failure for what is a dead cell).
      const double bound = v_before + (1.0 - s_before) * std::min(0.0, slope_s_);
      if (have_before && slope_s_ < 0.0 && bound <= cutoff_) {
        result_.initial_voltage_V = v_before;
        Finish(0.0, EndReason::kCutoffVoltage);
        return false;
      }
      solver_.Restart(full);
      Finish(0.0, EndReason::kNumericalFailure);
      return false;
    }
  }
  solver_.Commit();
  result_.initial_voltage_V = solver_.voltage();
  Record(0.0);
  if (solver_.voltage() <= cutoff_) {
    Finish(0.0, EndReason::kCutoffVoltage);
    return false;
  }
  return true;
}

Integrator::Outcome Integrator::TryStep() {
  // Newton is accepted on the state's tolerance only for steps of ordinary length: in a very
  // short step any reaction rate moves the state little, and rates accepted unconverged there
  // make the voltage chatter from step to step.
  const double state_tolerance = Short(dt_) ? 0.0 : tol_.state_factor * tol_.error;
  if (!solver_.Step(dt_, Omega(dt_), state_tolerance)) {
    ++result_.rejected_steps;
    dt_ *= tol_.failed_step_factor;
    if (dt_ < dt_min_) {
      // No step at all: the electrode is full where the current can reach it when its particle
      // surfaces cannot take up the current at any potential (or it is full everywhere).
      const bool full = solver_.MeanStoichiometry() > tol_.full_mean ||
                        solver_.SurfaceUptakeRatio() < tol_.full_uptake ||
                        solver_.SaturatedCurrentShare(tol_.full_gap) > tol_.full_share;
      // A voltage collapsing onto the cutoff faster than the steps can follow (a reaction front
      // entering a layer below the percolation threshold): at the last step's slope the cutoff
      // is less than collapse_horizon of the nominal time away, less capacity than the model's
      // numerical budget (0.3 points): the discharge ends at the cutoff, with the state it has.
      const double to_cutoff = solver_.voltage() - cutoff_;
      const bool collapsing = voltage_slope_V_s_ < 0.0 &&
                              to_cutoff < -voltage_slope_V_s_ * tol_.collapse_horizon * nominal_s_;
      Finish(t_, full         ? EndReason::kFullyLithiated
                 : collapsing ? EndReason::kCutoffVoltage
                              : EndReason::kNumericalFailure);
      return Outcome::kEnded;
    }
    return Outcome::kRetry;
  }
  const double v_old = solver_.voltage();
  const double v_new = solver_.trial_voltage();
  if (v_new < cutoff_) return LandOnCutoff(v_old, v_new);
  const double d_theta = solver_.MaxSurfaceChange();
  const double d_v = std::abs(v_old - v_new);
  const double error = solver_.MeanStoichiometryError();
  if ((d_theta > tol_.reject_factor * tol_.surface_step ||
       d_v > tol_.reject_factor * tol_.voltage_step_V || error > tol_.error) &&
      !Short(dt_)) {  // rejected: shorter
    ++result_.rejected_steps;
    dt_ *= std::min(tol_.safety, tol_.safety * Fit(d_theta, d_v, error));
    dt_ = std::max(dt_, tol_.short_step * nominal_s_);
    return Outcome::kRetry;
  }
  solver_.Commit();
  solver_.Adapt();
  voltage_slope_V_s_ = (v_new - v_old) / dt_;
  t_ += dt_;
  dt_prev_ = dt_;
  ++result_.steps;
  Record(t_);
  if (t_ >= t_max_ * (1.0 - tol_.time_rounding)) {
    Finish(t_, EndReason::kTimeLimit);
    return Outcome::kEnded;
  }
  ControlStepSize(d_theta, d_v, error);
  return Outcome::kAccepted;
}

// The cutoff lies inside the step: the step length at which the implicit step lands on the
// cutoff voltage, by TOMS 748 (Alefeld, Potra & Shi 1995, as in Boost.Math), each solve started
// from the last one that converged: the voltage can fall off a cliff when the particle surfaces
// fill, where regula falsi creeps. A failed Newton solve counts as below the cutoff. The step
// found is the root (|V - cutoff| < cutoff_exact_V) or the longest step on the feasible side; it is
// searched before the step-size checks, which then judge the step found (shorter than this
// one), so that the end of discharge is not approached by halving steps down a voltage cliff.
Integrator::Outcome Integrator::LandOnCutoff(double v_old, double v_new) {
  double feasible = 0.0, exact = -1.0, solved = -1.0;  // solved: the trial state's length
  auto voltage_above_cutoff = [&](double length) {
    const bool ok = solver_.Step(length, Omega(length), 0.0, solved > 0.0);
    solved = ok ? length : -1.0;
    const double value = ok ? solver_.trial_voltage() - cutoff_ : -1.0;
    if (value >= 0.0) feasible = std::max(feasible, length);
    if (std::abs(value) < tol_.cutoff_exact_V) exact = length;
    return value;
  };
  auto close_enough = [&](double a, double b) {
    return exact >= 0.0 || b - a < tol_.min_step * nominal_s_;
  };
  std::uintmax_t evaluations = static_cast<std::uintmax_t>(tol_.cutoff_evaluations);
  try {
    boost::math::tools::toms748_solve(voltage_above_cutoff, 0.0, dt_, v_old - cutoff_,
                                      v_new - cutoff_, close_enough, evaluations);
  } catch (const std::exception&) {
    // No bracket (the voltages at the ends on one side of the cutoff, e.g. the committed one
    // already on it): the longest feasible length found, or none, ends the discharge below.
  }
  const double found = exact >= 0.0 ? exact : feasible;
  const bool have = found > 0 && (solved == found || solver_.Step(found, Omega(found)));
  if (have) {
    const double d_theta = solver_.MaxSurfaceChange();
    const double error = solver_.MeanStoichiometryError();
    // The last step: no later step inherits its error, which may be twice the tolerance.
    if ((d_theta > tol_.reject_factor * tol_.surface_step ||
         error > tol_.reject_factor * tol_.error) &&
        !Short(found)) {
      // Too long a step even so: approach the cutoff with shorter ones.
      ++result_.rejected_steps;
      dt_ = std::max(found * std::min(tol_.safety, tol_.safety * Fit(d_theta, 0.0, error)),
                     tol_.short_step * nominal_s_);
      return Outcome::kRetry;
    }
    solver_.Commit();
    t_ += found;
  }
  ++result_.steps;
  Record(t_);
  Finish(t_, EndReason::kCutoffVoltage);
  return Outcome::kEnded;
}

// PI step-size control on the error estimate (Gustafsson; Hairer & Wanner, Solving ODEs II,
// §IV.2, exponents 0.7/k and 0.4/k for an error of order k = 3): fewer rejected steps than the
// plain (tol/err)^(1/3) rule as the reaction front crosses cells.
void Integrator::ControlStepSize(double d_theta, double d_v, double error) {
  const double ratio = std::max(error / tol_.error, tol_.min_error_ratio);
  const double pi = std::pow(ratio, -tol_.pi_error_exponent) *
                    std::pow(previous_ratio_, tol_.pi_history_exponent);
  previous_ratio_ = ratio;
  dt_ *= std::min(tol_.max_growth,
                  std::max(tol_.min_growth, tol_.safety * std::min(pi, Caps(d_theta, d_v))));
}

}  // namespace

DischargeResult IntegrateDischarge(const DischargeProblem& problem,
                                   const SolverTolerances& tolerances,
                                   const SimulationOptions& options) {
  return Integrator(problem, tolerances, options).Run();
}

}  // namespace edopt
