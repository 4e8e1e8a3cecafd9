// Deterministic NSGA-II (Deb et al., IEEE Trans. Evol. Comput. 6, 182, 2002): fast
// non-dominated sorting, crowding distance, constraint domination, SBX crossover and polynomial
// mutation on the unit box. All randomness lives in the driver thread; the batch evaluator may
// run in parallel but must write each result into its own slot, so the answer is the same at
// any thread count.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

namespace edopt {

struct Individual {
  std::vector<double> x;           // decision vector in [0, 1]^n
  std::vector<double> objectives;  // minimized
  double violation = 0.0;          // 0 = feasible
};

// Evaluates a batch of decision vectors: fills objectives and violation of each, by index.
using BatchEvaluator = std::function<void(std::vector<Individual>*)>;

struct Nsga2Options {
  int population = 100;  // rounded up to an even number
  int evaluations = 25000;
  double crossover_probability = 0.9;
  double crossover_eta = 15.0;  // SBX distribution index
  double mutation_eta = 20.0;   // polynomial mutation distribution index
  std::uint64_t seed = 1;
  std::vector<std::vector<double>> initial;  // points seeded into the first population
};

struct Nsga2Summary {
  int evaluations = 0;
  int generations = 0;
  std::vector<Individual> population;  // final population, first front first
};

// Called by the driver thread after every generation with (evaluations done, budget).
using ProgressCallback = std::function<void(int, int)>;

Nsga2Summary RunNsga2(int dimension, const BatchEvaluator& evaluate, const Nsga2Options& options,
                      const ProgressCallback& progress = nullptr);

// Constraint domination (minimization): feasible beats infeasible, lower violation beats higher,
// otherwise Pareto dominance.
bool ConstrainedDominates(const Individual& a, const Individual& b);

// Indices of each non-dominated front, best first.
std::vector<std::vector<int>> NonDominatedSort(const std::vector<Individual>& individuals);

}  // namespace edopt
