// Issue 25's virtual lab: does the planner earn its keep? Hidden true cells (the composition
// law drawn from its prior, the rest from the seed posterior), measurements simulated from the
// truth with noise, rounds of plan -> measure -> update, three strategies spending the same
// budget: the planner (edopt plan's ranking, re-planned after every measurement), random
// choices from the same menu, and replicating the seed's cells (6:4 symmetric cells and rate
// tests of 6:4 electrodes). After every measurement: the decision's uncertainty (the sum over
// bands of the 95% widths of each pick's utilization and of its gain over the uniform rival),
// whether each pick's true utilization lies in its 95% interval (coverage), and the error of
// the predicted picks' utilization against the truth.
//
// The update is importance reweighting of a large sample (the seed posterior's 1400 draws,
// each paired with 3 fresh draws of the law: 4200, the law being at its prior there); the
// planner plans on 800 draws resampled from the current weights. Bands and rivals are the
// seed scenario's default `edopt optimize` picks. About 2-4 min on 2 cores:
//   build/tests/edopt_virtual_lab [truths] [budget]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>
#include <string>

#include "formats/scenario.h"
#include "models/units.h"
#include "optimizer/front_analysis.h"
#include "optimizer/planner.h"

namespace {

using namespace edopt;

struct Candidate {
  std::string label;
  double cost;
  std::vector<double> mean;  // predicted observation per draw
  std::vector<double> sigma;
  double truth_mean, truth_sigma;
};

PosteriorSample Expanded(const PosteriorSample& post, int copies, std::mt19937_64* rng) {
  std::uniform_real_distribution<double> u(0.0, 1.0);
  PosteriorSample out;
  out.keys = post.keys;
  const auto ti = std::find(post.keys.begin(), post.keys.end(), "transport.percolation_threshold") -
                  post.keys.begin();
  const auto ei = std::find(post.keys.begin(), post.keys.end(), "transport.percolation_exponent") -
                  post.keys.begin();
  for (size_t d = 0; d < post.values.size(); ++d) {
    for (int c = 0; c < copies; ++c) {
      auto v = post.values[d];
      v[ti] = 0.08 + 0.22 * u(*rng);
      v[ei] = 1.3 + 1.7 * u(*rng);
      out.values.push_back(v);
      out.noise_pp.push_back(post.noise_pp[d]);
    }
  }
  return out;
}

// Systematic resampling of n equally weighted draws.
std::vector<size_t> Resample(const std::vector<double>& w, size_t n, std::uint64_t seed) {
  double total = 0;
  for (double x : w) total += x;
  std::mt19937_64 rng(seed);
  const double start = std::uniform_real_distribution<double>(0.0, 1.0)(rng) / n;
  std::vector<size_t> out;
  double cum = 0;
  size_t i = 0;
  for (size_t k = 0; k < n; ++k) {
    const double target = (start + static_cast<double>(k) / n) * total;
    while (cum + w[i] < target && i + 1 < w.size()) cum += w[i++];
    out.push_back(i);
  }
  return out;
}

double WeightedQuantile(const std::vector<double>& v, const std::vector<double>& w, double p) {
  std::vector<size_t> idx(v.size());
  for (size_t i = 0; i < idx.size(); ++i) idx[i] = i;
  std::sort(idx.begin(), idx.end(), [&](size_t a, size_t b) { return v[a] < v[b]; });
  double total = 0;
  for (double x : w) total += x;
  double cum = 0;
  for (size_t i : idx) {
    cum += w[i] / total;
    if (cum >= p) return v[i];
  }
  return v[idx.back()];
}

struct Track {
  std::vector<double> cost, width, coverage, error, ess;
};

}  // namespace

int main(int argc, char** argv) {
  const int truths = argc > 1 ? std::atoi(argv[1]) : 8;
  const double budget = argc > 2 ? std::atof(argv[2]) : 15.0;
  const auto t0 = std::chrono::steady_clock::now();
  const Scenario s = LoadScenario("", {});
  // The decision: the default run's band picks and their uniform rivals.
  const OptimizationRun run = RunOptimization(s.cell, s.design_space, s.search, s.objective_c_rate,
                                              s.reference_designs, {});
  std::vector<Design> designs;
  std::vector<std::pair<int, int>> bands;  // indices of pick and rival in designs
  for (const auto& c : run.analysis.bands) {
    if (c.best < 0 || c.uniform < 0) continue;
    designs.push_back(c.pick.entry.design);
    designs.push_back(
        run.analysis.rows_by_layer_count[0][static_cast<size_t>(c.uniform)].entry.design);
    bands.emplace_back(static_cast<int>(designs.size()) - 2, static_cast<int>(designs.size()) - 1);
  }
  std::mt19937_64 rng(11);
  const PosteriorSample sample = Expanded(s.posterior, 3, &rng);
  const size_t n = sample.values.size();
  std::printf("virtual lab: %zu bands, %zu draws, %d truths, budget %.0f\n", bands.size(), n,
              truths, budget);
  // Per draw: every decision design's utilization at the objective rate.
  std::vector<std::vector<double>> u;
  for (const auto& d : designs)
    u.push_back(UtilizationDraws(s.cell, sample, d, s.objective_c_rate, 0));
  // The menu: symmetric cells of six compositions (cost 1), rate tests of every decision
  // design (cost 5), and the seed's 6:4 rate tests (the replicate strategy's, cost 5).
  std::vector<Candidate> menu;
  const auto entries = sample.Entries();
  for (double w : {0.3, 0.4, 0.5, 0.6, 0.7, 0.8}) {
    SymmetricCellPoint c;
    c.design.layers.push_back({w, 63e-6});
    c.area_m2 = s.pellet_area_m2;
    Candidate m{"cell " + FormatDesign(c.design),
                1.0,
                std::vector<double>(n),
                std::vector<double>(n, std::hypot(0.03, 0.10)),
                0,
                std::hypot(0.03, 0.10)};
    for (size_t d = 0; d < n; ++d)
      m.mean[d] = std::log(PredictIonicResistance(sample.Apply(s.cell, d, entries), c));
    menu.push_back(m);
  }
  std::vector<std::pair<Design, double>> rate_tests;
  for (const auto& d : designs) rate_tests.emplace_back(d, s.objective_c_rate);
  const size_t first_seed = rate_tests.size();
  for (const char* d : {"6:4@33", "6:4@63", "6:4@103"}) {
    for (double r : {0.1, 0.3}) rate_tests.emplace_back(ParseDesign(d), r);
  }
  for (size_t k = 0; k < rate_tests.size(); ++k) {
    Candidate m{
        FormatDesign(rate_tests[k].first) + " at " +
            std::to_string(rate_tests[k].second).substr(0, 3) + "C",
        5.0,
        k < designs.size() && std::abs(rate_tests[k].second - s.objective_c_rate) < 1e-12
            ? u[k]
            : UtilizationDraws(s.cell, sample, rate_tests[k].first, rate_tests[k].second, 0),
        {},
        0,
        0};
    for (double noise : sample.noise_pp) m.sigma.push_back(noise / 100.0);
    menu.push_back(m);
  }
  const size_t planner_menu = 6 + designs.size();  // planner and random choose from these
  std::printf("precomputed %zu designs and %zu candidates in %.0f s\n", designs.size(), menu.size(),
              std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());

  const char* names[] = {"planner", "random", "replicate"};
  std::vector<std::vector<Track>> tracks(3);
  std::uniform_int_distribution<size_t> pick_truth(0, s.posterior.values.size() - 1);
  for (int t = 0; t < truths; ++t) {
    // The truth: a seed draw with fresh law parameters (not one of the sample's draws).
    PosteriorSample truth_sample = Expanded(s.posterior, 1, &rng);
    const size_t td = pick_truth(rng);
    PosteriorSample truth;
    truth.keys = truth_sample.keys;
    truth.values = {truth_sample.values[td], truth_sample.values[td]};
    truth.noise_pp = {truth_sample.noise_pp[td], truth_sample.noise_pp[td]};
    const CellParameters truth_cell = truth.Apply(s.cell, 0);
    std::vector<double> true_u;
    for (const auto& d : designs)
      true_u.push_back(CellModel(truth_cell).Simulate(d, s.objective_c_rate).utilization);
    std::vector<double> true_obs(menu.size());
    for (size_t k = 0; k < 6; ++k) {
      SymmetricCellPoint c;
      c.design.layers.push_back({0.3 + 0.1 * k, 63e-6});
      c.area_m2 = s.pellet_area_m2;
      true_obs[k] = std::log(PredictIonicResistance(truth_cell, c));
    }
    for (size_t k = 0; k < rate_tests.size(); ++k) {
      true_obs[6 + k] =
          CellModel(truth_cell).Simulate(rate_tests[k].first, rate_tests[k].second).utilization;
      menu[6 + k].truth_sigma = truth.noise_pp[0] / 100.0;
    }
    for (int strategy = 0; strategy < 3; ++strategy) {
      std::mt19937_64 noise_rng(1000 + t), choice_rng(2000 + t);
      std::normal_distribution<double> normal(0.0, 1.0);
      std::vector<double> log_w(n, 0.0);
      Track track;
      double spent = 0;
      int replicate_step = 0;
      for (int round = 0;; ++round) {
        std::vector<double> w(n);
        const double top = *std::max_element(log_w.begin(), log_w.end());
        for (size_t d = 0; d < n; ++d) w[d] = std::exp(log_w[d] - top);
        // Now: width, coverage and error of the picks.
        double width = 0, covered = 0, error = 0;
        for (const auto& [p, r] : bands) {
          std::vector<double> gain(n);
          for (size_t d = 0; d < n; ++d) gain[d] = 100 * (u[p][d] - u[r][d]);
          std::vector<double> pick(n);
          for (size_t d = 0; d < n; ++d) pick[d] = 100 * u[p][d];
          width += WeightedWidth(pick, w) + WeightedWidth(gain, w);
          const double lo = WeightedQuantile(u[p], w, 0.025), hi = WeightedQuantile(u[p], w, 0.975);
          covered += true_u[p] >= lo && true_u[p] <= hi ? 1 : 0;
          double mean = 0, total = 0;
          for (size_t d = 0; d < n; ++d) mean += w[d] * u[p][d], total += w[d];
          error += std::abs(mean / total - true_u[p]) * 100;
        }
        track.cost.push_back(spent);
        track.width.push_back(width);
        track.coverage.push_back(covered / static_cast<double>(bands.size()));
        track.error.push_back(error / static_cast<double>(bands.size()));
        double sw = 0, sw2 = 0;
        for (double x : w) sw += x, sw2 += x * x;
        track.ess.push_back(sw * sw / sw2);
        // Choose the next measurement.
        size_t choice = 0;
        if (strategy == 0) {
          const auto idx = Resample(w, 800, 77 + round);
          std::vector<std::vector<double>> q;
          for (const auto& [p, r] : bands) {
            std::vector<double> a(idx.size()), g(idx.size());
            for (size_t i = 0; i < idx.size(); ++i) {
              a[i] = 100 * u[p][idx[i]];
              g[i] = a[i] - 100 * u[r][idx[i]];
            }
            q.push_back(a);
            q.push_back(g);
          }
          const double now = ExpectedWidthAfter(q, {}, 5);
          double best = -1e300;
          for (size_t k = 0; k < planner_menu; ++k) {
            if (spent + menu[k].cost > budget + 1e-9) continue;
            DrawPredictions pred;
            for (size_t i : idx)
              pred.mean.push_back(menu[k].mean[i]), pred.sigma.push_back(menu[k].sigma[i]);
            const double value = (now - ExpectedWidthAfter(q, {&pred}, 5)) / menu[k].cost;
            if (value > best) best = value, choice = k;
          }
          if (best == -1e300) break;
        } else if (strategy == 1) {
          std::vector<size_t> affordable;
          for (size_t k = 0; k < planner_menu; ++k)
            if (spent + menu[k].cost <= budget + 1e-9) affordable.push_back(k);
          if (affordable.empty()) break;
          choice = affordable[std::uniform_int_distribution<size_t>(
              0, affordable.size() - 1)(choice_rng)];
        } else {
          // The seed's cells again: the 6:4 symmetric cell, then its six rate tests in turn.
          choice = replicate_step == 0 ? 3 : 6 + first_seed + (replicate_step - 1) % 6;
          if (spent + menu[choice].cost > budget + 1e-9) {
            choice = 3;
            if (spent + 1.0 > budget + 1e-9) break;
          }
          ++replicate_step;
        }
        const Candidate& m = menu[choice];
        const double y = true_obs[choice] + m.truth_sigma * normal(noise_rng);
        for (size_t d = 0; d < n; ++d) {
          const double z = (y - m.mean[d]) / m.sigma[d];
          log_w[d] += -0.5 * z * z - std::log(m.sigma[d]);
        }
        spent += m.cost;
      }
      tracks[strategy].push_back(track);
    }
    std::printf("truth %d done (%.0f s)\n", t + 1,
                std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  // Summary: mean width, coverage and error at each cost level (step function of each track).
  std::printf("\ncost   ");
  for (const char* nm : names) std::printf("| %-9s width  cover  error    ESS ", nm);
  std::printf("\n");
  for (double c = 0; c <= budget + 1e-9; c += 1.0) {
    std::printf("%5.0f  ", c);
    for (int st = 0; st < 3; ++st) {
      double w = 0, cov = 0, err = 0, ess = 0;
      for (const auto& tr : tracks[st]) {
        size_t k = 0;
        while (k + 1 < tr.cost.size() && tr.cost[k + 1] <= c + 1e-9) ++k;
        w += tr.width[k] / truths;
        cov += tr.coverage[k] / truths;
        err += tr.error[k] / truths;
        ess += tr.ess[k] / truths;
      }
      std::printf("| %15.1f  %5.2f  %5.2f %6.0f ", w, cov, err, ess);
    }
    std::printf("\n");
  }
  std::printf(
      "(width: sum over bands of the 95%% widths of pick utilization and gain, points; cover: "
      "fraction of band picks whose true utilization is inside its 95%% interval; error: "
      "mean |predicted - true| utilization of the picks, points; ESS: effective draws of the "
      "reweighted sample)\n");
  return 0;
}
