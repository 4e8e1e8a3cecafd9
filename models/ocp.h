// Open-circuit potential of the active material versus Li, U(x) with x its lithium
// stoichiometry (LixC6 for graphite, LixMO2 for NCM).
// Built-in curves are the published closed-form fits as used in PyBaMM's parameter sets
// (docs/physics.md §2); a user table is interpolated piecewise-linearly. For speed inside the time
// loop every curve is resampled once onto a uniform cubic-Hermite table.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

namespace edopt {

// Names accepted by OcpCurve::Builtin: graphite "Chen2020", "Ecker2015", "DualfoilMCMB",
// "Verbrugge2017"; cathodes "NCM811_Chen2020", "NCM622_Verbrugge2017".
const std::vector<std::string>& BuiltinOcpNames();

// The closed-form curves, exact (no tabulation). x is clamped to [0, 1].
double OcpChen2020(double x);
double OcpEcker2015(double x);
double OcpDualfoilMcmb(double x);
// Graphite from the multi-site multi-reaction model (Verbrugge et al. 2017, docs/physics.md §2):
// the lithiation x(U) in closed form, and U(x) its inverse (bisection to 1e-15 V), held at
// -0.5 V above x(-0.5 V) = 0.9998 and at 1.5 V below x(1.5 V) = 3e-5. It reaches 0 V at
// x = 0.991: unlike the fits above, a 0 V cutoff sits at the end of the last plateau.
double MsmrGraphiteStoichiometry(double u_V);
double OcpVerbrugge2017(double x);
// Cathodes (docs/physics.md §13): NCM811 of Chen et al. 2020 (closed form), and NCM622 from the
// MSMR model of Verbrugge et al. 2017 (x(U) in closed form, U(x) by bisection on 2.0-5.5 V).
double OcpNcm811Chen2020(double x);
double MsmrNcm622Stoichiometry(double u_V);
double OcpNcm622Verbrugge2017(double x);

// The lowest stoichiometry a discharge may start from on a built-in curve: a cathode curve is a
// fit of its cycling window (NCM811_Chen2020 measured from x = 0.26, NCM622's MSMR window from
// 0.13); below 0.2 and 0.1 they are extrapolations up a logarithmic end. 0 for graphite.
double OcpLowestStart(const std::string& name);

class OcpCurve {
 public:
  // A built-in curve by name; throws ConfigError for unknown names (with the known ones).
  static OcpCurve Builtin(const std::string& name);
  // A table of (stoichiometry, voltage) pairs with strictly increasing stoichiometry covering
  // at least part of [0, 1]; outside it the end values hold. Throws ConfigError.
  static OcpCurve FromTable(const std::vector<double>& stoichiometry,
                            const std::vector<double>& voltage_V);

  // U(x) and dU/dx from the Hermite table; x is clamped to [0, 1]. Inline: it is called for
  // every cell in every Newton iteration of the cell model.
  void Evaluate(double x, double* u_V, double* du_dx_V) const {
    const double s = std::min(1.0, std::max(0.0, x)) * intervals_;
    int k = static_cast<int>(s);
    if (k >= intervals_) k = intervals_ - 1;
    const double t = s - k;
    const double t2 = t * t, t3 = t2 * t;
    // Cubic Hermite basis on [x_k, x_k+1]; node k holds U and h dU/dx.
    const double* node = &table_[2 * static_cast<size_t>(k)];
    const double u0 = node[0], m0 = node[1], u1 = node[2], m1 = node[3];
    *u_V = (2 * t3 - 3 * t2 + 1) * u0 + (t3 - 2 * t2 + t) * m0 + (-2 * t3 + 3 * t2) * u1 +
           (t3 - t2) * m1;
    if (du_dx_V != nullptr) {
      *du_dx_V =
          ((6 * t2 - 6 * t) * (u0 - u1) + (3 * t2 - 4 * t + 1) * m0 + (3 * t2 - 2 * t) * m1) *
          intervals_;
    }
  }
  double operator()(double x) const;
  // The curve offset_V lower: the potential against a counter electrode at offset_V vs Li.
  OcpCurve Shifted(double offset_V) const;
  const std::string& name() const { return name_; }

 private:
  template <typename F>
  static OcpCurve Tabulate(std::string name, F&& exact);

  std::string name_;
  // Interleaved per node: U, h dU/dx (one cache line serves an interval).
  std::vector<double> table_;
  int intervals_ = 0;
};

}  // namespace edopt
