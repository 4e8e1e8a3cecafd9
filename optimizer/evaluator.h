// One design's score at the objective rate, and the batch evaluator every search phase uses:
// designs simulated in parallel (TBB), result k belonging to design k whatever the scheduling.
#pragma once

#include <vector>

#include "models/cell_model.h"
#include "optimizer/design_space.h"

namespace edopt {

struct Evaluation {
  double theoretical_capacity_C_m2 = 0.0;
  double utilization = 0.0;
  double delivered_capacity_C_m2 = 0.0;
  bool failed = false;  // numerical failure: treated as infeasible
};

// One constant-current discharge of the design at c_rate, as the search scores it.
Evaluation EvaluateDesign(const CellModel& model, const Design& design, double c_rate);

// The search's second objective of an evaluation: utilization, or delivered capacity (C/m2),
// divided by per_capacity_C_m2 when that is > 0 (a band's designs compared on one scale, so
// that tolerances in points mean the same for both objectives). The one scorer of the search.
double SearchScore(const Evaluation& e, Objective objective, double per_capacity_C_m2 = 0.0);

// Evaluates designs in parallel; result k belongs to design k whatever the scheduling.
class Evaluator {
 public:
  Evaluator(const CellModel& model, double c_rate, int threads);
  std::vector<Evaluation> EvaluateBatch(const std::vector<Design>& designs) const;

 private:
  const CellModel& model_;
  double c_rate_;
  int threads_;
};

// The vectorized objective of the Python module: row i of the (rows x 2 L) matrix `x` (row
// major) holds L active weight fractions (separator to collector) then L thicknesses in um; a
// zero thickness leaves its layer out, every layer holds `carbon`. Results by row; a row that is
// no valid design (ValidateDesign) is not simulated and comes back `failed`. Rate and threads
// are checked (ConfigError).
std::vector<Evaluation> EvaluateRows(const CellModel& model, const double* x, size_t rows,
                                     size_t layers, double carbon, double c_rate, int threads);

}  // namespace edopt
