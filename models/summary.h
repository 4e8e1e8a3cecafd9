// The uniform report every algorithm's result carries (after Ceres' Solver::Summary): why it
// stopped, a one-line message, how much work it did and how long it took. Numerical outcomes
// are reported here; exceptions are for bad input and broken invariants (models/errors.h).
#pragma once

#include <string>

namespace edopt {

enum class Termination {
  kConverged,        // a convergence test was met
  kBudgetExhausted,  // stopped by its evaluation budget (the usual end of a search)
  kNotRun,           // nothing to do or a zero budget: the result is the start
  kFailed,           // no usable answer (the message says why)
};
const char* ToString(Termination termination);

struct Summary {
  Termination termination = Termination::kConverged;
  std::string message;  // one line: why it stopped, what it found doubtful
  int evaluations = 0;  // model (or objective) evaluations
  double seconds = 0.0;

  // "converged: <message> (N evaluations, T s)".
  std::string BriefReport() const;
};

}  // namespace edopt
