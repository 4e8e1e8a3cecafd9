// The implicit step of the fully coupled discharge (docs/numerics.md §3): variable-step BDF2
// (backward Euler for the first step) of every particle in its eigenbasis, Butler-Volmer
// reaction rates, and the charge balance of the SE phase, solved by one Newton iteration per
// step that eliminates the particles and reduces to a tridiagonal system in
// psi = phi_e - phi_s. Step is a loop of named phases:
//   PrepareParticles (the step's particle factors) -> Predict (the start of Newton) ->
//   per iteration: ReactionTerms (kinetics.cpp: the linearized rates) -> SolveBalance (the
//   tridiagonal system) -> ApplyUpdate (damped, kept inside the surface limits) -> Converged
//   -> FinishStep (the particles' new states).
// All memory is allocated in the constructor; Step, Commit and Adapt allocate nothing.
#pragma once

#include <vector>

#include "models/discharge/mesh.h"
#include "models/discharge/problem.h"
#include "models/discharge/result.h"
#include "models/discharge/tolerances.h"

namespace edopt {

class Solver {
 public:
  Solver(const DischargeProblem& problem, const SolverTolerances& tolerances);

  // Attempts one implicit step of length dt from the committed state. omega = dt / dt_previous
  // selects variable-step BDF2; omega <= 0 selects backward Euler. state_tolerance > 0 accepts
  // the Newton solve once a full update changes no particle's mean stoichiometry by more than
  // that (and no potential by more than the state potential tolerance): the step's own error
  // tolerance bounds the state, while the voltage stays exact to the Newton tolerance only when
  // state_tolerance is 0 (the t = 0+ response, the cutoff). Returns false when Newton does not
  // converge. The result is held as the trial state. `warm` starts Newton from the trial state
  // of the last call (which must have converged) instead of extrapolating the committed ones:
  // the cutoff search's next step length.
  bool Step(double dt, double omega, double state_tolerance = 0.0, bool warm = false);
  void Commit();

  double trial_voltage() const { return trial_.voltage; }
  double voltage() const { return committed_.voltage; }
  double MaxSurfaceChange() const;
  // Local error estimate of the trial step: the largest distance of a cell's mean
  // stoichiometry from the quadratic through the last three committed states, times 2/7.
  // For constant steps BDF2's local error is -2/9 h^3 y''' and that extrapolation's is
  // h^3 y''', so the estimate is the local error (Milne's device; Hairer, Norsett & Wanner,
  // Solving ODEs I, §III.7). 0 until three states at distinct times were committed.
  double MeanStoichiometryError() const;
  // The current the particle surfaces could take up in the last attempted step, over the
  // applied current: below 1, no potential delivers the current (the electrode is full where
  // the current can reach it).
  double SurfaceUptakeRatio() const;
  // The share of the reaction current (committed state) taken by particles whose surface is
  // within `gap` of full: near 1, the current flows only into saturated surfaces, pushed by an
  // overpotential that grows as sqrt(1 - theta_s) -> 0 (the electrode is full where the
  // current reaches it, to the precision of the state).
  double SaturatedCurrentShare(double gap) const;
  double StoredCharge() const;
  // Over the particles the SE network reaches (all of them without particle sizes): the
  // electrode is full when they are (docs/physics.md §3b).
  double MeanStoichiometry() const { return StoredCharge() / reachable_capacity_ + theta0_; }
  void FillProfile(std::vector<ProfilePoint>* profile) const;

  double current() const { return current_; }
  double capacity() const { return capacity_; }
  // Continuation in the applied current for very resistive electrodes at t = 0+: Restart sets
  // a current and the uniform-reaction guess; Ramp multiplies the current and scales the
  // committed potentials and reaction rates with it (ohmic drops are linear in the current).
  void Restart(double current);
  void Ramp(double factor);
  int newton_iterations() const { return newton_iterations_; }
  // Adaptive mesh (docs/numerics.md §1b), called after a commit: plans the next partition
  // (Mesh::PlanPartition) from the electrolyte current through every cell and the states'
  // jumps, and carries the committed and history states over (merged particles averaged by
  // capacity: the stored charge is unchanged). Returns true when the partition changed.
  bool Adapt();

 private:
  // The step's phases (newton.cpp).
  void PrepareParticles(double dt, double omega);
  void Predict(double omega);
  double SolveBalance();  // returns the largest |dpsi| (not finite: a failed solve)
  struct Update {
    double largest_dj = 0.0;
    double largest_dtheta = 0.0;  // per unit step length
    bool clipped = false;
  };
  Update ApplyUpdate(double scale, bool freeze);
  void FinishStep(double dt);
  // kinetics_.rho and kinetics_.slope of every site at the potential differences psi = phi_e -
  // phi_s (per cell) and reaction rates j (per site), and their sums over each cell's sites
  // weighted by area (SumOverCells) (kinetics.cpp).
  void ReactionTerms(const double* psi, const double* j);
  // balance_.cell_bs = sum of b slope and balance_.cell_brj = sum of b (j + rho) over each cell's
  // sites.
  void SumOverCells(const double* j);

  // Electrolyte potential (vs the Li reference) at the first cell centre: the Li interface
  // (symmetric Butler-Volmer, I = 2 i0 sinh(F eta / 2RT)), the separator ASR and half a cell
  // of composite all carry the full current.
  double FirstCentrePotential() const;
  void InitialGuess();
  // Cell voltage (phi_s at the collector vs the Li reference) for the differences psi.
  double Voltage(const double* psi) const;
  // Electrolyte current across face f (between cells f and f+1).
  double FaceCurrent(const double* psi, int f) const {
    return mesh_.face_c[f] * (psi[f] - psi[f + 1]) + current_ * mesh_.face_ratio[f];
  }
  // Largest difference of mean or surface stoichiometry between active cells a and b (over the
  // size classes).
  double Difference(int a, int b) const;

  const DischargeProblem& problem_;
  const OcpCurve& ocp_;
  const SphericalDiffusion& particle_;
  SolverTolerances tolerances_;
  int m_ = 0;  // shells per particle
  double current_ = 0.0, capacity_ = 0.0, reachable_capacity_ = 0.0, theta0_ = 0.0;
  double phi0_ = 0.0;  // electrolyte potential at the first cell centre (fixed by the current)
  double f_ = 0.0;     // F / RT
  bool symmetric_ = true;
  double alpha_a_ = 0.5, alpha_c_ = 0.5, i0_ = 0.0;
  std::vector<double> class_rate_;  // D / R_k^2 of every size class
  double film_ = 0.0;               // film resistance per active area, Ohm m2
  Mesh mesh_;
  bool adaptive_ = true;
  std::vector<double> scratch_modes_, scratch_sites_, scratch_cells_;  // for Remap
  std::vector<double> jump_;  // per active cell and one more: state jumps (Adapt)
  std::vector<double> drop_;  // per active cell: |i_e| F/RT cells_per_ohmic_length (Adapt)

  // One solution of the discharge: potentials per active cell, the rest per site (a cell's
  // size class). `committed_` is the last accepted step, `trial_` the step being solved,
  // `previous_` the committed solution before the last (BDF2 needs its particles; Predict
  // extrapolates its potentials and rates).
  struct State {
    std::vector<double> theta;     // sites x m modal coefficients of every particle
    std::vector<double> psi;       // per cell: psi = phi_e - phi_s, V
    std::vector<double> reaction;  // per site: interfacial current density j, A/m2
    std::vector<double> surface;   // per site: surface stoichiometry
    double voltage = 0.0;          // cell voltage vs the counter electrode, V
  };
  State committed_, trial_, previous_;
  // The committed states at distinct times (a zero-length step replaces the state: back to 1)
  // with their mean stoichiometries and step lengths, for the error estimate.
  struct History {
    int count = 0;
    double dt[2] = {0.0, 0.0};        // the last two committed steps, newest first
    std::vector<double> mean;         // per site: mean stoichiometry, last commit
    std::vector<double> mean_before;  // and the one before
  };
  History history_;
  double step_dt_ = 0.0;  // the step being solved
  // Step workspace. Particle step per unit (a size class; every site when D_s depends on
  // stoichiometry) x mode, for the current step, and the unit's surface response to a source.
  std::vector<double> mode_scale_, mode_source_, response_;
  bool variable_diffusivity_ = false;
  std::vector<double> d_factor_;  // per site: D_s(mean stoichiometry) / D_s(0.5), this step
  // The linearized Butler-Volmer rate of every site (ReactionTerms, kinetics.h):
  // delta_j = rho + slope delta_psi.
  struct Kinetics {
    std::vector<double> free;     // surface stoichiometry the step gives without reaction
    std::vector<double> gamma;    // its change per unit reaction rate
    std::vector<double> j_fill;   // the rate that would fill the surface in this step
    std::vector<double> j_empty;  // and empty it
    std::vector<double> theta_s, ocp, docp;  // surface stoichiometry, U and dU/dtheta there
    std::vector<double> root, i0, di0;       // sqrt(th (1 - th)), i0 and d i0 / d theta
    std::vector<double> eta;                 // overpotential
    // exp(alpha_c f eta) and exp(-alpha_a f eta); then reused for their difference and for
    // 1 / (d residual / d j).
    std::vector<double> forward, backward;
    std::vector<double> rho, slope;
  };
  Kinetics kinetics_;
  // The tridiagonal charge balance (SolveBalance), per cell.
  struct Balance {
    std::vector<double> cell_bs;   // sum over the cell's sites of b slope
    std::vector<double> cell_brj;  // and of b (j + rho)
    std::vector<double> upper;     // the elimination's off-diagonal factors
    std::vector<double> dpsi;      // the Newton update of psi
    std::vector<double> flux;      // electrolyte current into every cell and out of the last
  };
  Balance balance_;
  std::vector<char> clipped_;  // per site: the last Newton update was truncated
  int newton_iterations_ = 0;
  double j_scale_ = 0.0;  // mean interfacial current density, for the Newton test
};

}  // namespace edopt
