// Issue 23's physics sweep (a study, not a test): does the discharge end in a result for every
// setting the catalogue documents? Every numeric key of the cell catalogue at its documented
// minimum and maximum (an open bound is approached to 1e-9 of its scale), every choice of the
// model options and both values of its switches, on the seed designs and the corners of the
// search space, at 0.05-3C; and random designs from the search's own space at random rates.
// Each case runs in a forked child with a watchdog (60 s), so a hang is a finding, not a stuck
// study. A case fails when it ends in numerical_failure, crashes, throws anything but a
// ConfigError for a value inside the range, or hangs; runs over 1 s are counted.
//   build/tests/edopt_physics_sweep [--random N] [--print-cases] [--cases FILE] [--jobs J]
//                                   [--timeout S]   (a case past S seconds, default 60, is a hang)
//                                   [--scenario FILE]
// --scenario sweeps another base scenario (e.g. scenarios/ncm-argyrodite.ini, issue 27) on its
// own reference designs, the corners of its design space and random designs of that space.
// --joint N draws N joint extremes instead (issue 38): 5-8 keys at once inside their ranges, a
// random design, at r and 3r; also failing: utilization outside [0, 1] or rising with the rate
// by more than 0.3 points; draws refused by a rule joining keys are counted apart.
// --print-cases writes the case list (key=value|design|rate per line) and --cases runs such a
// list: the same cases against an older build (the before/after count of issue 23).
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "formats/scenario.h"
#include "models/catalogue.h"
#include "models/cell_model.h"
#include "models/ocp.h"

namespace {

using namespace edopt;

std::string g_scenario;  // "" = the built-in seed scenario

struct Case {
  std::string setting;  // key=value (several joined by ';'), or empty for the scenario as it is
  std::string design;
  double rate = 0.3;
  double rate2 = 0.0;  // > 0: also at this (higher) rate, for the monotonicity check
};

std::string Number(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

// The documented edges of a range: its bounds, an open bound moved inside by 1e-9 of the
// value's scale (or to 1e-9 when it is 0).
std::vector<double> Edges(const ValueRange& r) {
  std::vector<double> v;
  auto inside = [](double bound, bool up) {
    const double step = bound == 0.0 ? 1e-9 : 1e-9 * std::abs(bound);
    return up ? bound + step : bound - step;
  };
  if (std::isfinite(r.lo)) v.push_back(r.lo_open ? inside(r.lo, true) : r.lo);
  if (std::isfinite(r.hi)) v.push_back(r.hi_open ? inside(r.hi, false) : r.hi);
  return v;
}

Scenario BaseScenario() { return LoadScenario(g_scenario, {"calibration.posterior_file="}); }

std::vector<std::string> Settings(std::vector<std::string>* unbounded) {
  std::vector<std::string> out;
  const CellParameters base = BaseScenario().cell;
  for (const auto& p : CellCatalogue()) {
    if (p.numeric()) {
      auto edges = Edges(p.range);
      // The documented ranges the scenario's curve narrows (CellParameters::Validate): a start
      // inside a cathode curve's window, a cutoff the model describes.
      if (p.key == "test.initial_stoichiometry") {
        edges.front() = std::max({edges.front(), OcpLowestStart(base.materials.ocp_model),
                                  1.0 - base.materials.capacity_stoichiometry_span});
      }
      // The capacity window must end at full lithiation (Validate): the span starts at 1 - x0.
      if (p.key == "materials.capacity_stoichiometry_span") {
        edges.front() = std::max(edges.front(), 1.0 - base.protocol.initial_stoichiometry);
      }
      if (p.key == "test.cutoff_voltage_V") {
        edges.front() = std::max(edges.front(), std::ceil(base.LowestCutoff_V() * 1e3) / 1e3);
      }
      if (edges.size() < 2) unbounded->push_back(p.key + " (" + p.range.Describe() + ")");
      for (double v : edges) {
        out.push_back(p.key + "=" +
                      (p.kind == ValueKind::kInteger ? std::to_string(static_cast<long long>(v))
                                                     : Number(v)));
      }
    } else if (p.kind == ValueKind::kChoice) {
      for (const auto& c : p.choices) {
        if (c == "table") continue;  // needs a file; the table reader has its own tests
        // A cathode curve on a graphite scenario starts below its window (a ConfigError): the
        // active-material presets cover it, with their window.
        if (p.key == "materials.ocp" && OcpLowestStart(c) > base.protocol.initial_stoichiometry)
          continue;
        // A preset material on the scenario's curve of another material (the seed names its
        // graphite curve) is a ConfigError naming both: the cathode scenario sweeps the presets.
        if (p.key == "materials.active_material" && c != "custom" &&
            (c.rfind("NCM", 0) == 0) != (base.materials.ocp_model.rfind("NCM", 0) == 0))
          continue;
        // Nor another material's curve under a preset material (a ConfigError naming both).
        if (p.key == "materials.ocp" && base.materials.active_material != "custom" &&
            (c.rfind("NCM", 0) == 0) != (base.materials.active_material.rfind("NCM", 0) == 0))
          continue;
        out.push_back(p.key + "=" + c);
      }
    } else if (p.kind == ValueKind::kBoolean) {
      out.push_back(p.key + "=true");
      out.push_back(p.key + "=false");
    }
  }
  return out;
}

// A design of `layers` layers alternating between two active fractions (percent), with the
// scenario's carbon in every layer.
std::string Layers(const DesignSpace& space, const std::vector<int>& percent,
                   const std::vector<int>& um) {
  const double carbon = 100.0 * space.carbon_weight_fraction;
  std::string d;
  for (size_t l = 0; l < percent.size(); ++l) {
    d += (l ? "," : "") + std::to_string(percent[l]) + ":" + Number(100.0 - percent[l] - carbon) +
         (carbon > 0 ? ":" + Number(carbon) : "") + "@" + std::to_string(um[l]);
  }
  return d;
}

std::vector<Case> CatalogueCases(std::vector<std::string>* unbounded) {
  // The seed designs (the scenario's reference designs) and the corners of the search space.
  std::vector<std::string> designs = {
      "60:40@33",  "60:40@63", "60:40@103", "50:50@33,60:40@33,70:30@33",
      "80:20@150", "30:70@10", "70:30@116", "30:70@150,80:20@150,30:70@150,80:20@150"};
  if (!g_scenario.empty()) {
    const Scenario sc = BaseScenario();
    const DesignSpace& s = sc.design_space;
    const int lo = static_cast<int>(std::lround(100 * s.min_active_weight_fraction));
    const int hi = static_cast<int>(std::lround(100 * s.max_active_weight_fraction));
    const int tmin = static_cast<int>(std::lround(s.min_layer_thickness_m * 1e6));
    const int tmax = static_cast<int>(std::lround(s.max_layer_thickness_m * 1e6));
    designs.clear();
    for (const auto& d : sc.reference_designs) designs.push_back(FormatDesign(d));
    designs.push_back(Layers(s, {hi}, {tmax}));
    designs.push_back(Layers(s, {lo}, {tmin}));
    designs.push_back(Layers(s, {lo, hi, lo, hi}, {tmax, tmax, tmax, tmax}));
    designs.push_back(Layers(s, {hi, lo}, {tmax / 2, tmax / 2}));
  }
  const std::vector<double> rates = {0.05, 0.3, 1.0, 3.0};
  std::vector<Case> cases;
  for (const auto& s : Settings(unbounded)) {
    for (const auto& d : designs) {
      for (double r : rates) cases.push_back({s, d, r});
    }
  }
  return cases;
}

// Random designs of the search's own space: 1 to max layers, the active fraction on its grid
// (seed: NG 0.30-0.80 in steps of 0.05), 10-150 um in steps of 1 um, log-uniform rates
// 0.05-3C, at the scenario's settings.
std::vector<Case> RandomCases(int n) {
  const Scenario sc = BaseScenario();
  const DesignSpace& s = sc.design_space;
  const double step = s.active_weight_fraction_step > 0 ? s.active_weight_fraction_step : 0.05;
  const int steps = static_cast<int>(
      std::floor((s.max_active_weight_fraction - s.min_active_weight_fraction) / step + 1e-9));
  std::mt19937_64 rng(23);
  std::uniform_int_distribution<int> layers(1, s.max_layers), grid(0, steps), um(10, 150);
  std::uniform_real_distribution<double> log_rate(std::log(0.05), std::log(3.0));
  std::vector<Case> cases;
  for (int i = 0; i < n; ++i) {
    const int k = layers(rng);
    std::vector<int> percent, thickness;
    for (int l = 0; l < k; ++l) {
      percent.push_back(
          static_cast<int>(std::lround(100 * (s.min_active_weight_fraction + step * grid(rng)))));
      thickness.push_back(um(rng));
    }
    cases.push_back({"", Layers(s, percent, thickness), std::exp(log_rate(rng))});
  }
  return cases;
}

// Issue 38's joint extremes: random draws of 5-8 numeric keys of the cell catalogue, each
// uniform inside its documented range (log-uniform where it spans more than two decades), on a
// random design of the space, at a rate r (log-uniform 0.05-1C) and at 3r.
std::vector<Case> JointCases(int n, unsigned seed) {
  const Scenario sc = BaseScenario();
  std::vector<const Parameter<CellParameters>*> keys;
  for (const auto& p : CellCatalogue()) {
    if (p.numeric() && std::isfinite(p.range.lo) && std::isfinite(p.range.hi) &&
        p.key.rfind("numerics.", 0) != 0) {
      keys.push_back(&p);
    }
  }
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::uniform_int_distribution<int> how_many(5, 8);
  const auto designs = RandomCases(n);  // the space's random designs (and rates, unused)
  std::vector<Case> cases;
  for (int i = 0; i < n; ++i) {
    std::vector<size_t> order(keys.size());
    for (size_t k = 0; k < order.size(); ++k) order[k] = k;
    std::shuffle(order.begin(), order.end(), rng);
    std::string setting;
    const int count = how_many(rng);
    for (int k = 0; k < count; ++k) {
      const auto& p = *keys[order[static_cast<size_t>(k)]];
      const double step = 1e-9 * std::max(std::abs(p.range.lo), std::abs(p.range.hi));
      const double lo = p.range.lo_open ? p.range.lo + std::max(step, 1e-12) : p.range.lo;
      const double hi = p.range.hi_open ? p.range.hi - std::max(step, 1e-12) : p.range.hi;
      double v = lo > 0 && hi / lo > 100 ? std::exp(std::log(lo) + u(rng) * std::log(hi / lo))
                                         : lo + u(rng) * (hi - lo);
      const std::string text = p.kind == ValueKind::kInteger
                                   ? std::to_string(static_cast<long long>(std::llround(v)))
                                   : Number(v);
      setting += (setting.empty() ? "" : ";") + p.key + "=" + text;
    }
    const double rate = std::exp(std::log(0.05) + u(rng) * std::log(20.0));
    cases.push_back({setting, designs[static_cast<size_t>(i)].design, rate, 3 * rate});
  }
  return cases;
}

struct Outcome {
  std::string status;  // an end reason, "config_error", "exception", "crash", "hang"
  double utilization = 0.0;
  double seconds = 0.0;
  std::string detail;
  std::string status2 = "-";  // at rate2
  double utilization2 = 0.0;
};

// Runs one case in this process (the child).
Outcome RunHere(const Case& c) {
  Outcome o;
  std::vector<std::string> overrides = {"calibration.posterior_file="};
  if (!c.setting.empty()) {
    std::stringstream ss(c.setting);
    std::string one;
    while (std::getline(ss, one, ';')) overrides.push_back(one);
  }
  const auto start = std::chrono::steady_clock::now();
  try {
    const Scenario sc = LoadScenario(g_scenario, overrides);
    const CellModel model(sc.cell);
    const DischargeResult r = model.Simulate(ParseDesign(c.design), c.rate);
    o.status = ToString(r.end_reason);
    o.utilization = r.utilization;
    if (c.rate2 > 0) {
      const DischargeResult r2 = model.Simulate(ParseDesign(c.design), c.rate2);
      o.status2 = ToString(r2.end_reason);
      o.utilization2 = r2.utilization;
    }
  } catch (const ConfigError& e) {
    o.status = "config_error";
    o.detail = e.what();
  } catch (const std::exception& e) {
    o.status = "exception";
    o.detail = e.what();
  }
  o.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return o;
}

// Forks a child per case, at most `jobs` at a time, each killed after 60 s.
std::vector<Outcome> RunAll(const std::vector<Case>& cases, int jobs, double timeout_s) {
  std::vector<Outcome> out(cases.size());
  struct Child {
    pid_t pid;
    int fd;
    size_t index;
    std::chrono::steady_clock::time_point start;
  };
  std::vector<Child> running;
  size_t next = 0;
  auto reap = [&](Child& ch, bool killed, int status) {
    std::string text;
    char buf[4096];
    ssize_t got;
    while ((got = read(ch.fd, buf, sizeof buf)) > 0) text.append(buf, static_cast<size_t>(got));
    close(ch.fd);
    Outcome& o = out[ch.index];
    o.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - ch.start).count();
    if (killed) {
      o.status = "hang";
    } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || text.empty()) {
      o.status = "crash";
    } else {
      std::istringstream is(text);
      is >> o.status >> o.utilization >> o.seconds >> o.status2 >> o.utilization2;
      std::getline(is, o.detail);
    }
  };
  while (next < cases.size() || !running.empty()) {
    while (next < cases.size() && static_cast<int>(running.size()) < jobs) {
      int fds[2];
      if (pipe(fds) != 0) std::abort();
      const pid_t pid = fork();
      if (pid == 0) {
        close(fds[0]);
        const Outcome o = RunHere(cases[next]);
        const std::string line = o.status + " " + Number(o.utilization) + " " + Number(o.seconds) +
                                 " " + o.status2 + " " + Number(o.utilization2) + " " + o.detail;
        if (write(fds[1], line.data(), line.size()) < 0) _exit(3);
        _exit(0);
      }
      close(fds[1]);
      running.push_back({pid, fds[0], next, std::chrono::steady_clock::now()});
      ++next;
    }
    usleep(2000);
    for (size_t i = 0; i < running.size();) {
      int status = 0;
      const bool done = waitpid(running[i].pid, &status, WNOHANG) != 0;
      const bool late = std::chrono::steady_clock::now() - running[i].start >
                        std::chrono::duration<double>(timeout_s);
      if (!done && late) {
        kill(running[i].pid, SIGKILL);
        waitpid(running[i].pid, &status, 0);
      }
      if (done || late) {
        // A finished child's line waits in its pipe.
        reap(running[i], !done, status);
        running.erase(running.begin() + static_cast<long>(i));
      } else {
        ++i;
      }
    }
  }
  return out;
}

std::vector<Case> ReadCases(const std::string& path) {
  std::ifstream in(path);
  std::vector<Case> cases;
  std::string line;
  while (std::getline(in, line)) {
    const auto a = line.find('|'), b = line.rfind('|');
    if (a == std::string::npos || a == b) continue;
    cases.push_back(
        {line.substr(0, a), line.substr(a + 1, b - a - 1), std::stod(line.substr(b + 1))});
  }
  return cases;
}

}  // namespace

int main(int argc, char** argv) {
  int random = 1000, jobs = 2, joint = 0;
  double timeout_s = 60;
  bool print = false;
  std::string cases_file;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--random" && i + 1 < argc)
      random = std::atoi(argv[++i]);
    else if (a == "--jobs" && i + 1 < argc)
      jobs = std::atoi(argv[++i]);
    else if (a == "--timeout" && i + 1 < argc)
      timeout_s = std::atof(argv[++i]);
    else if (a == "--cases" && i + 1 < argc)
      cases_file = argv[++i];
    else if (a == "--joint" && i + 1 < argc)
      joint = std::atoi(argv[++i]);
    else if (a == "--print-cases")
      print = true;
    else if (a == "--scenario" && i + 1 < argc)
      g_scenario = argv[++i];
    else {
      std::cerr << "usage: edopt_physics_sweep [--random N] [--print-cases] [--cases FILE] [--jobs "
                   "J] [--timeout S] [--scenario FILE]\n";
      return 2;
    }
  }
  std::vector<std::string> unbounded;
  std::vector<Case> cases;
  if (!cases_file.empty()) {
    cases = ReadCases(cases_file);
  } else if (joint > 0) {
    cases = JointCases(joint, 38);
  } else {
    cases = CatalogueCases(&unbounded);
    for (auto& c : RandomCases(random)) cases.push_back(c);
  }
  if (print) {
    for (const auto& c : cases)
      std::cout << c.setting << "|" << c.design << "|" << Number(c.rate) << "\n";
    return 0;
  }
  for (const auto& u : unbounded) std::cout << "no documented bound: " << u << "\n";
  const auto start = std::chrono::steady_clock::now();
  const std::vector<Outcome> out = RunAll(cases, jobs, timeout_s);
  std::map<std::string, int> by_status;
  int failures = 0, slow = 0, refused = 0, outside = 0, rising = 0;
  double slowest = 0.0;
  for (size_t i = 0; i < cases.size(); ++i) {
    const Outcome& o = out[i];
    ++by_status[o.status];
    // Joint draws may break a rule that joins keys (a window ending before x = 1, a cutoff
    // below a curve): refused with a ConfigError, counted apart, not a failure.
    if (joint > 0 && o.status == "config_error") {
      ++refused;
      continue;
    }
    const bool numeric_fail = o.status2 == "numerical_failure";
    const bool out_of_range =
        o.utilization < 0 || o.utilization > 1 || o.utilization2 < 0 || o.utilization2 > 1;
    // Utilization falls with the rate; the model's accuracy (0.3 points) is the tolerance.
    const bool rises = cases[i].rate2 > 0 && o.status2 != "-" && o.status2 != "numerical_failure" &&
                       o.status != "numerical_failure" && o.utilization2 > o.utilization + 0.003;
    outside += out_of_range;
    rising += rises;
    const bool bad = o.status == "numerical_failure" || o.status == "crash" || o.status == "hang" ||
                     o.status == "exception" || o.status == "config_error" || numeric_fail ||
                     out_of_range || rises;
    slowest = std::max(slowest, o.seconds);
    if (o.seconds > 1.0) ++slow;
    if (bad || o.seconds > 1.0) {
      if (bad) ++failures;
      std::cout << (bad ? "FAIL " : "SLOW ") << (cases[i].setting.empty() ? "-" : cases[i].setting)
                << " " << cases[i].design << " " << Number(cases[i].rate) << "C: " << o.status
                << " u=" << Number(o.utilization)
                << (cases[i].rate2 > 0 ? " / " + o.status2 + " u=" + Number(o.utilization2) +
                                             " at " + Number(cases[i].rate2) + "C"
                                       : "")
                << " " << Number(o.seconds) << " s"
                << (o.detail.empty() ? "" : " (" + o.detail + ")") << "\n";
    }
  }
  std::cout << "cases " << cases.size() << ", failures " << failures << ", over 1 s " << slow
            << ", slowest " << Number(slowest) << " s, wall "
            << Number(
                   std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count())
            << " s\n";
  for (const auto& [s, n] : by_status) std::cout << "  " << s << ": " << n << "\n";
  if (joint > 0) {
    std::cout << "joint draws " << cases.size() << ": refused by a joint rule " << refused
              << ", utilization outside [0, 1] " << outside << ", rising with the rate " << rising
              << "\n";
  }
  return failures == 0 && slow == 0 ? 0 : 1;
}
