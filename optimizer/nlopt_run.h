// Running an NLopt solver without losing what went wrong (docs/architecture.md §5). NLopt's C++
// wrapper turns any exception thrown inside an objective or constraint into NLOPT_FAILURE and a
// generic "nlopt failure"; a configuration error there would be reported as a numerical failure.
// A Guarded function stores the exception and force-stops the solver; RunNlopt rethrows it with
// its own type and message once optimize() has returned.
#pragma once

#include <exception>
#include <functional>
#include <nlopt.hpp>
#include <string>
#include <vector>

namespace edopt {

struct Guarded {
  std::function<double(const std::vector<double>&)> function;
  std::exception_ptr error;  // the first exception thrown by `function`

  // The C callback NLopt calls with `data` = this Guarded.
  static double Call(const std::vector<double>& x, std::vector<double>& grad, void* data);
};

// Why a solver stopped, in NLopt's words ("MAXEVAL_REACHED", "XTOL_REACHED", ...).
const char* ToString(nlopt::result result);
// Whether the result is one of NLopt's successful terminations (positive codes).
bool Succeeded(nlopt::result result);

// opt.optimize(x, f); a round-off limited stop keeps the best point (it is a normal outcome of
// the derivative-free solvers); an exception stored in any of `guards` is rethrown.
nlopt::result RunNlopt(nlopt::opt& opt, std::vector<double>& x, double& f,
                       const std::vector<Guarded*>& guards);

}  // namespace edopt
