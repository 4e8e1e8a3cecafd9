#include "models/ocp.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <mutex>
#include <sstream>

#include "models/errors.h"
#include "models/units.h"

namespace edopt {

namespace {

constexpr int kIntervals = 4096;  // Hermite table resolution; error < 1e-6 V for all curves

double Clamp01(double x) { return std::min(1.0, std::max(0.0, x)); }

}  // namespace

// Chen et al., J. Electrochem. Soc. 167 080534 (2020), LG M50 graphite, as in PyBaMM.
double OcpChen2020(double x) {
  x = Clamp01(x);
  return 1.9793 * std::exp(-39.3631 * x) + 0.2482 - 0.0909 * std::tanh(29.8538 * (x - 0.1234)) -
         0.04478 * std::tanh(14.9159 * (x - 0.2769)) - 0.0205 * std::tanh(30.4444 * (x - 0.6103));
}

// Ecker et al., J. Electrochem. Soc. 162 A1836 (2015), graphite half-cell, as in PyBaMM.
// The fit crosses 0 V near x = 1.04, hence the clamp at x <= 1.
double OcpEcker2015(double x) {
  x = Clamp01(x);
  const double a = 0.716502, b = 369.028, c = 0.12193, d = 35.6478, e = 0.0530947;
  const double g = 0.0169644, h = 27.1365, i = 0.312832, j = 0.0199313, k = 28.5697;
  const double m = 0.614221, n = 0.931153, o = 36.328, p = 1.10743, q = 0.140031;
  const double r = 0.0189193, s = 21.1967, t = 0.196176;
  return a * std::exp(-b * x) + c * std::exp(-d * (x - e)) - r * std::tanh(s * (x - t)) -
         g * std::tanh(h * (x - i)) - j * std::tanh(k * (x - m)) - n * std::exp(o * (x - p)) + q;
}

// Dualfoil MCMB 2528 graphite (Marquis et al. 2019 parameter set in PyBaMM).
double OcpDualfoilMcmb(double x) {
  x = Clamp01(x);
  return 0.194 + 1.5 * std::exp(-120.0 * x) + 0.0351 * std::tanh((x - 0.286) / 0.083) -
         0.0045 * std::tanh((x - 0.849) / 0.119) - 0.035 * std::tanh((x - 0.9233) / 0.05) -
         0.0147 * std::tanh((x - 0.5) / 0.034) - 0.102 * std::tanh((x - 0.194) / 0.142) -
         0.022 * std::tanh((x - 0.9) / 0.0164) - 0.011 * std::tanh((x - 0.124) / 0.0226) +
         0.0155 * std::tanh((x - 0.105) / 0.029);
}

// Multi-site multi-reaction (MSMR) graphite of Verbrugge, Baker, Koch, Xiao & Gu,
// J. Electrochem. Soc. 164, E3243 (2017), Table 1 (as in PyBaMM's MSMR example set): galleries
// j with standard potential U0_j, share X_j of the sites and ideality factor w_j fill as
//   x_j = X_j / (1 + exp(F (U - U0_j) / (w_j R T))),  x = sum_j x_j,
// at T = 298.15 K, the temperature of the fit. The sharp galleries are graphite's staging
// plateaus (0.088 V stage 2 -> 1, 0.128 V, 0.214 V); the broad ones the sloping dilute
// stages.
namespace {
constexpr int kMsmrReactions = 6;
constexpr double kMsmrU0[kMsmrReactions] = {0.08843, 0.12799, 0.14331, 0.16984, 0.21446, 0.36325};
constexpr double kMsmrX[kMsmrReactions] = {0.43336, 0.23963, 0.15018, 0.05462, 0.06744, 0.05476};
constexpr double kMsmrW[kMsmrReactions] = {0.08611, 0.08009, 0.72469, 2.53277, 0.09470, 5.97354};
// The curve is inverted inside this window; beyond it U holds the window's end.
constexpr double kMsmrLowV = -0.5, kMsmrHighV = 1.5;
}  // namespace

namespace {

// x(U) of an MSMR electrode at 298.15 K: the sum of its galleries' fillings.
double MsmrStoichiometry(const double* u0, const double* share, const double* w, int n,
                         double u_V) {
  const double f = kFaraday_C_mol / (kGasConstant_J_molK * 298.15);
  double x = 0.0;
  for (int j = 0; j < n; ++j) {
    x += share[j] / (1.0 + std::exp(std::min(700.0, f * (u_V - u0[j]) / w[j])));
  }
  return x;
}

// U(x) by bisection of the decreasing x(U) on [lo, hi] (to 1e-15 V); beyond the window U holds
// the window's end.
template <typename X>
double InvertMsmr(X&& x_of_u, double x, double lo, double hi) {
  if (x >= x_of_u(lo)) return lo;
  if (x <= x_of_u(hi)) return hi;
  for (int k = 0; k < 200 && hi - lo > 1e-15; ++k) {
    const double mid = 0.5 * (lo + hi);
    (x_of_u(mid) > x ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

}  // namespace

double MsmrGraphiteStoichiometry(double u_V) {
  return MsmrStoichiometry(kMsmrU0, kMsmrX, kMsmrW, kMsmrReactions, u_V);
}

double OcpVerbrugge2017(double x) {
  return InvertMsmr(MsmrGraphiteStoichiometry, Clamp01(x), kMsmrLowV, kMsmrHighV);
}

// LG M50 NMC811 positive electrode, Chen et al., J. Electrochem. Soc. 167 080534 (2020), the
// GITT fit as in PyBaMM (nmc_LGM50_ocp_Chen2020); measured over x = 0.26-0.91 (4.2-3.56 V).
// Beyond x = 0.9084 the fit's extrapolation stays at 3.5 V up to x = 1, where a real layered
// oxide falls steeply as its last sites fill: there the ideal-solution term of those sites,
// (RT/F) [ln((1 - x)/(1 - 0.9084)) + (x - 0.9084)/(1 - 0.9084)], is added (value and slope zero
// at the window's edge: the curve stays smooth), down to
// x = 0.9999 (3.33 V), where the curve is held, as the NCM622 MSMR curve's fall ends at
// x(3.0 V) = 0.9999.
double OcpNcm811Chen2020(double x) {
  x = Clamp01(x);
  const double fit = -0.8090 * x + 4.4875 - 0.0428 * std::tanh(18.5138 * (x - 0.5542)) -
                     17.7326 * std::tanh(15.7890 * (x - 0.3117)) +
                     17.5842 * std::tanh(15.9308 * (x - 0.3120));
  constexpr double kWindowEnd = 0.9084, kHeldFrom = 0.9999;
  if (x <= kWindowEnd) return fit;
  const double rt_f = kGasConstant_J_molK * 298.15 / kFaraday_C_mol;
  const double y = std::min(x, kHeldFrom);
  return fit +
         rt_f * (std::log((1.0 - y) / (1.0 - kWindowEnd)) + (y - kWindowEnd) / (1.0 - kWindowEnd));
}

// NCM622 from the MSMR model of Verbrugge et al., J. Electrochem. Soc. 164, E3243 (2017):
// four galleries (U0 3.623/3.726/3.906/4.230 V, shares 0.134/0.325/0.211/0.330, ideality
// 0.967/1.397/3.505/5.528); their window x = 0.1325 (charged) .. 0.99.
namespace {
constexpr int kNcm622Reactions = 4;
constexpr double kNcm622U0[kNcm622Reactions] = {3.62274, 3.72645, 3.90575, 4.22955};
constexpr double kNcm622X[kNcm622Reactions] = {0.13442, 0.32460, 0.21118, 0.32980};
constexpr double kNcm622W[kNcm622Reactions] = {0.96710, 1.39712, 3.50500, 5.52757};
constexpr double kNcm622LowV = 3.0, kNcm622HighV = 5.5;
}  // namespace

double MsmrNcm622Stoichiometry(double u_V) {
  return MsmrStoichiometry(kNcm622U0, kNcm622X, kNcm622W, kNcm622Reactions, u_V);
}

double OcpNcm622Verbrugge2017(double x) {
  return InvertMsmr(MsmrNcm622Stoichiometry, Clamp01(x), kNcm622LowV, kNcm622HighV);
}

template <typename F>
OcpCurve OcpCurve::Tabulate(std::string name, F&& exact) {
  OcpCurve curve;
  curve.name_ = std::move(name);
  curve.table_.resize(2 * static_cast<size_t>(kIntervals + 1));
  const double h = 1.0 / kIntervals;
  const double dx = 1e-7;  // central differences of a smooth closed form
  for (int k = 0; k <= kIntervals; ++k) {
    const double x = k * h;
    const double lo = std::max(0.0, x - dx), hi = std::min(1.0, x + dx);
    curve.table_[2 * k] = exact(x);
    curve.table_[2 * k + 1] = h * (exact(hi) - exact(lo)) / (hi - lo);
  }
  curve.intervals_ = kIntervals;
  return curve;
}

namespace {
// The built-in curves: name and closed form, in the order BuiltinOcpNames lists them.
struct BuiltinCurve {
  const char* name;
  double (*exact)(double);
};
constexpr std::array<BuiltinCurve, 6> kBuiltinCurves = {
    {{"Chen2020", OcpChen2020},
     {"Ecker2015", OcpEcker2015},
     {"DualfoilMCMB", OcpDualfoilMcmb},
     {"Verbrugge2017", OcpVerbrugge2017},
     {"NCM811_Chen2020", OcpNcm811Chen2020},
     {"NCM622_Verbrugge2017", OcpNcm622Verbrugge2017}}};
}  // namespace

double OcpLowestStart(const std::string& name) {
  if (name == "NCM811_Chen2020") return 0.2;
  if (name == "NCM622_Verbrugge2017") return 0.1;
  return 0.0;
}

const std::vector<std::string>& BuiltinOcpNames() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const auto& c : kBuiltinCurves) out.emplace_back(c.name);
    return out;
  }();
  return names;
}

OcpCurve OcpCurve::Builtin(const std::string& name) {
  // Each curve is tabulated once per process, on first use (std::call_once: thread-safe): the
  // MSMR inversion costs ~0.1 s, and a calibration builds thousands of models.
  static std::array<std::once_flag, kBuiltinCurves.size()> once;
  static std::array<OcpCurve, kBuiltinCurves.size()> curves;
  for (size_t k = 0; k < kBuiltinCurves.size(); ++k) {
    if (name != kBuiltinCurves[k].name) continue;
    std::call_once(once[k],
                   [k] { curves[k] = Tabulate(kBuiltinCurves[k].name, kBuiltinCurves[k].exact); });
    return curves[k];
  }
  std::ostringstream os;
  os << "OCP curve '" << name << "' unknown; expected one of";
  for (const auto& n : BuiltinOcpNames()) os << ' ' << n;
  os << " or table";
  throw ConfigError(os.str());
}

OcpCurve OcpCurve::FromTable(const std::vector<double>& x, const std::vector<double>& u) {
  if (x.size() != u.size() || x.size() < 2) {
    throw ConfigError("OCP table needs at least 2 (stoichiometry, voltage) pairs of equal count");
  }
  for (size_t k = 0; k < x.size(); ++k) {
    if (!std::isfinite(x[k]) || !std::isfinite(u[k])) {
      throw ConfigError("OCP table row " + std::to_string(k + 1) + " is not finite");
    }
    if (k > 0 && !(x[k] > x[k - 1])) {
      std::ostringstream os;
      os << "OCP table stoichiometry must increase strictly; row " << k + 1 << " has " << x[k]
         << " after " << x[k - 1];
      throw ConfigError(os.str());
    }
  }
  if (x.back() < 0.0 || x.front() > 1.0) {
    throw ConfigError("OCP table stoichiometry must overlap [0, 1]");
  }
  auto linear = [&](double s) {
    if (s <= x.front()) return u.front();
    if (s >= x.back()) return u.back();
    const size_t k = std::upper_bound(x.begin(), x.end(), s) - x.begin();
    const double w = (s - x[k - 1]) / (x[k] - x[k - 1]);
    return u[k - 1] + w * (u[k] - u[k - 1]);
  };
  return Tabulate("table", linear);
}

OcpCurve OcpCurve::Shifted(double offset_V) const {
  OcpCurve shifted = *this;
  for (size_t k = 0; k < shifted.table_.size(); k += 2) shifted.table_[k] -= offset_V;
  return shifted;
}

double OcpCurve::operator()(double x) const {
  double u = 0.0;
  Evaluate(x, &u, nullptr);
  return u;
}

}  // namespace edopt
