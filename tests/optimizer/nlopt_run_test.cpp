// Exceptions inside NLopt objectives keep their type and message (NLopt's C++ wrapper would
// report them as a generic failure), and normal terminations are reported.
#include "optimizer/nlopt_run.h"

#include <gtest/gtest.h>

#include "models/errors.h"

namespace edopt {
namespace {

TEST(NloptRun, ConvergesAndReportsWhy) {
  Guarded f{[](const std::vector<double>& x) { return (x[0] - 0.3) * (x[0] - 0.3); }, nullptr};
  nlopt::opt opt(nlopt::LN_BOBYQA, 1);
  opt.set_lower_bounds({0.0});
  opt.set_upper_bounds({1.0});
  opt.set_min_objective(Guarded::Call, &f);
  opt.set_xtol_abs(1e-8);
  opt.set_maxeval(200);
  std::vector<double> x = {0.9};
  double value = 0;
  const auto result = RunNlopt(opt, x, value, {&f});
  EXPECT_TRUE(Succeeded(result)) << ToString(result);
  EXPECT_NEAR(x[0], 0.3, 1e-6);
  EXPECT_STREQ(ToString(nlopt::MAXEVAL_REACHED), "MAXEVAL_REACHED");
}

TEST(NloptRun, AnExceptionInsideKeepsItsTypeAndMessage) {
  int calls = 0;
  Guarded f{[&calls](const std::vector<double>& x) {
              if (++calls == 4) throw ConfigError("kinetics.bogus = 3: out of range");
              return x[0] * x[0];
            },
            nullptr};
  nlopt::opt opt(nlopt::LN_COBYLA, 1);
  opt.set_lower_bounds({-1.0});
  opt.set_upper_bounds({1.0});
  opt.set_min_objective(Guarded::Call, &f);
  opt.set_maxeval(100);
  std::vector<double> x = {0.5};
  double value = 0;
  try {
    RunNlopt(opt, x, value, {&f});
    FAIL() << "no exception";
  } catch (const ConfigError& e) {
    EXPECT_STREQ(e.what(), "kinetics.bogus = 3: out of range");
  }
  EXPECT_EQ(calls, 4);  // force-stopped at once
}

TEST(NloptRun, AConstraintsExceptionIsRethrownToo) {
  Guarded f{[](const std::vector<double>& x) { return x[0]; }, nullptr};
  Guarded g{[](const std::vector<double>&) -> double { throw InputError("table.csv:3: bad"); },
            nullptr};
  nlopt::opt opt(nlopt::LN_COBYLA, 1);
  opt.set_lower_bounds({0.0});
  opt.set_upper_bounds({1.0});
  opt.set_min_objective(Guarded::Call, &f);
  opt.add_inequality_constraint(Guarded::Call, &g, 1e-9);
  opt.set_maxeval(50);
  std::vector<double> x = {0.5};
  double value = 0;
  EXPECT_THROW(RunNlopt(opt, x, value, {&f, &g}), InputError);
}

}  // namespace
}  // namespace edopt
