#include "models/summary.h"

#include <cstdio>

namespace edopt {

const char* ToString(Termination termination) {
  switch (termination) {
    case Termination::kConverged:
      return "converged";
    case Termination::kBudgetExhausted:
      return "budget_exhausted";
    case Termination::kNotRun:
      return "not_run";
    case Termination::kFailed:
      return "failed";
  }
  return "?";
}

std::string Summary::BriefReport() const {
  char tail[96];
  std::snprintf(tail, sizeof tail, " (%d evaluations, %.3g s)", evaluations, seconds);
  return std::string(ToString(termination)) + (message.empty() ? "" : ": " + message) + tail;
}

}  // namespace edopt
