// Graphite open-circuit potential versus Li, U(x) with x the lithium stoichiometry of LixC6.
// Built-in curves are the published closed-form fits as used in PyBaMM's parameter sets
// (physics.md §2); a user table is interpolated piecewise-linearly. For speed inside the time
// loop every curve is resampled once onto a uniform cubic-Hermite table.
#pragma once

#include <string>
#include <vector>

namespace edopt {

// Names accepted by MakeOcpCurve: "Chen2020", "Ecker2015", "DualfoilMCMB".
const std::vector<std::string>& BuiltinOcpNames();

// The closed-form curves, exact (no tabulation). x is clamped to [0, 1].
double OcpChen2020(double x);
double OcpEcker2015(double x);
double OcpDualfoilMcmb(double x);

class OcpCurve {
 public:
  // A built-in curve by name; throws ConfigError for unknown names (with the known ones).
  static OcpCurve Builtin(const std::string& name);
  // A table of (stoichiometry, voltage) pairs with strictly increasing stoichiometry covering
  // at least part of [0, 1]; outside it the end values hold. Throws ConfigError.
  static OcpCurve FromTable(const std::vector<double>& stoichiometry,
                            const std::vector<double>& voltage_V);

  // U(x) and dU/dx from the Hermite table; x is clamped to [0, 1].
  void Evaluate(double x, double* u_V, double* du_dx_V) const;
  double operator()(double x) const;
  const std::string& name() const { return name_; }

 private:
  template <typename F>
  static OcpCurve Tabulate(std::string name, F&& exact);

  std::string name_;
  std::vector<double> u_;     // values at nodes
  std::vector<double> dudx_;  // derivatives at nodes
  double inv_h_ = 0.0;
};

}  // namespace edopt
