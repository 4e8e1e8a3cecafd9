#include "optimizer/nlopt_run.h"

namespace edopt {

double Guarded::Call(const std::vector<double>& x, std::vector<double>& /*grad*/, void* data) {
  auto* self = static_cast<Guarded*>(data);
  try {
    return self->function(x);
  } catch (...) {
    if (!self->error) self->error = std::current_exception();
    throw nlopt::forced_stop();
  }
}

const char* ToString(nlopt::result result) {
  switch (result) {
    case nlopt::FAILURE:
      return "FAILURE";
    case nlopt::INVALID_ARGS:
      return "INVALID_ARGS";
    case nlopt::OUT_OF_MEMORY:
      return "OUT_OF_MEMORY";
    case nlopt::ROUNDOFF_LIMITED:
      return "ROUNDOFF_LIMITED";
    case nlopt::FORCED_STOP:
      return "FORCED_STOP";
    case nlopt::SUCCESS:
      return "SUCCESS";
    case nlopt::STOPVAL_REACHED:
      return "STOPVAL_REACHED";
    case nlopt::FTOL_REACHED:
      return "FTOL_REACHED";
    case nlopt::XTOL_REACHED:
      return "XTOL_REACHED";
    case nlopt::MAXEVAL_REACHED:
      return "MAXEVAL_REACHED";
    case nlopt::MAXTIME_REACHED:
      return "MAXTIME_REACHED";
    default:
      return "UNKNOWN";
  }
}

bool Succeeded(nlopt::result result) { return static_cast<int>(result) > 0; }

nlopt::result RunNlopt(nlopt::opt& opt, std::vector<double>& x, double& f,
                       const std::vector<Guarded*>& guards) {
  nlopt::result result = nlopt::FAILURE;
  try {
    result = opt.optimize(x, f);
  } catch (const nlopt::roundoff_limited&) {
    result = nlopt::ROUNDOFF_LIMITED;
  } catch (const nlopt::forced_stop&) {
    result = nlopt::FORCED_STOP;
  }
  for (const auto* g : guards) {
    if (g->error) std::rethrow_exception(g->error);
  }
  return result;
}

}  // namespace edopt
