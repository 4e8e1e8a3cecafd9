#include "optimizer/nsga2.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>

namespace edopt {

bool ConstrainedDominates(const Individual& a, const Individual& b) {
  if (a.violation > 0 || b.violation > 0) return a.violation < b.violation;
  bool strictly = false;
  for (size_t k = 0; k < a.objectives.size(); ++k) {
    if (a.objectives[k] > b.objectives[k]) return false;
    if (a.objectives[k] < b.objectives[k]) strictly = true;
  }
  return strictly;
}

std::vector<std::vector<int>> NonDominatedSort(const std::vector<Individual>& pop) {
  const int n = static_cast<int>(pop.size());
  std::vector<std::vector<int>> dominated(n);
  std::vector<int> count(n, 0);
  std::vector<std::vector<int>> fronts(1);
  for (int p = 0; p < n; ++p) {
    for (int q = 0; q < n; ++q) {
      if (p == q) continue;
      if (ConstrainedDominates(pop[p], pop[q])) {
        dominated[p].push_back(q);
      } else if (ConstrainedDominates(pop[q], pop[p])) {
        ++count[p];
      }
    }
    if (count[p] == 0) fronts[0].push_back(p);
  }
  for (size_t f = 0; !fronts[f].empty(); ++f) {
    std::vector<int> next;
    for (int p : fronts[f]) {
      for (int q : dominated[p]) {
        if (--count[q] == 0) next.push_back(q);
      }
    }
    fronts.push_back(next);
  }
  fronts.pop_back();
  return fronts;
}

namespace {

std::vector<double> CrowdingDistance(const std::vector<Individual>& pop,
                                     const std::vector<int>& front) {
  const size_t n = front.size();
  std::vector<double> distance(n, 0.0);
  if (n == 0) return distance;
  const size_t m = pop[front[0]].objectives.size();
  std::vector<size_t> order(n);
  for (size_t k = 0; k < m; ++k) {
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      return pop[front[a]].objectives[k] < pop[front[b]].objectives[k];
    });
    const double lo = pop[front[order.front()]].objectives[k];
    const double hi = pop[front[order.back()]].objectives[k];
    distance[order.front()] = distance[order.back()] = std::numeric_limits<double>::infinity();
    if (hi - lo <= 0) continue;
    for (size_t i = 1; i + 1 < n; ++i) {
      distance[order[i]] +=
          (pop[front[order[i + 1]]].objectives[k] - pop[front[order[i - 1]]].objectives[k]) /
          (hi - lo);
    }
  }
  return distance;
}

// Rank and crowding of every member, for tournaments.
void RankAndCrowd(const std::vector<Individual>& pop, std::vector<int>* rank,
                  std::vector<double>* crowd) {
  rank->assign(pop.size(), 0);
  crowd->assign(pop.size(), 0.0);
  const auto fronts = NonDominatedSort(pop);
  for (size_t f = 0; f < fronts.size(); ++f) {
    const auto d = CrowdingDistance(pop, fronts[f]);
    for (size_t i = 0; i < fronts[f].size(); ++i) {
      (*rank)[fronts[f][i]] = static_cast<int>(f);
      (*crowd)[fronts[f][i]] = d[i];
    }
  }
}

}  // namespace

namespace {

using Uniform = std::uniform_real_distribution<double>;

// Simulated binary crossover of c1 and c2, bounded to [0, 1] (Deb and Agrawal 1995).
void Crossover(const Nsga2Options& options, int dimension, std::mt19937_64& rng, Uniform& uniform,
               Individual* c1, Individual* c2) {
  if (!(uniform(rng) < options.crossover_probability)) return;
  for (int k = 0; k < dimension; ++k) {
    if (uniform(rng) > 0.5) continue;
    const double y1 = std::min(c1->x[k], c2->x[k]), y2 = std::max(c1->x[k], c2->x[k]);
    if (y2 - y1 < 1e-14) continue;
    const double u = uniform(rng);
    auto child = [&](double beta_edge, bool lower) {
      const double alpha = 2.0 - std::pow(beta_edge, -(options.crossover_eta + 1.0));
      const double betaq =
          u <= 1.0 / alpha ? std::pow(u * alpha, 1.0 / (options.crossover_eta + 1.0))
                           : std::pow(1.0 / (2.0 - u * alpha), 1.0 / (options.crossover_eta + 1.0));
      return lower ? 0.5 * ((y1 + y2) - betaq * (y2 - y1)) : 0.5 * ((y1 + y2) + betaq * (y2 - y1));
    };
    double a = child(1.0 + 2.0 * y1 / (y2 - y1), true);
    double b = child(1.0 + 2.0 * (1.0 - y2) / (y2 - y1), false);
    a = std::clamp(a, 0.0, 1.0);
    b = std::clamp(b, 0.0, 1.0);
    if (uniform(rng) <= 0.5) std::swap(a, b);
    c1->x[k] = a;
    c2->x[k] = b;
  }
}

// Polynomial mutation (Deb and Goyal 1996); the child's evaluation is cleared.
void Mutate(const Nsga2Options& options, int dimension, std::mt19937_64& rng, Uniform& uniform,
            Individual* c) {
  const double mutation_probability = 1.0 / dimension;
  for (int k = 0; k < dimension; ++k) {
    if (uniform(rng) >= mutation_probability) continue;
    const double y = c->x[k], u = uniform(rng), power = 1.0 / (options.mutation_eta + 1.0);
    double dq;
    if (u < 0.5) {
      const double v = 2.0 * u + (1.0 - 2.0 * u) * std::pow(1.0 - y, options.mutation_eta + 1.0);
      dq = std::pow(v, power) - 1.0;
    } else {
      const double v = 2.0 * (1.0 - u) + 2.0 * (u - 0.5) * std::pow(y, options.mutation_eta + 1.0);
      dq = 1.0 - std::pow(v, power);
    }
    c->x[k] = std::clamp(y + dq, 0.0, 1.0);
  }
  c->objectives.clear();
  c->violation = 0.0;
}

// Elitist survival: the best fronts of parents and children, the last front by crowding.
std::vector<Individual> Survivors(std::vector<Individual> merged, int n_pop) {
  const auto fronts = NonDominatedSort(merged);
  std::vector<Individual> next;
  next.reserve(n_pop);
  for (const auto& front : fronts) {
    if (static_cast<int>(next.size() + front.size()) <= n_pop) {
      for (int i : front) next.push_back(merged[i]);
    } else {
      const auto d = CrowdingDistance(merged, front);
      std::vector<size_t> order(front.size());
      std::iota(order.begin(), order.end(), 0);
      std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return d[a] > d[b]; });
      for (size_t i = 0; static_cast<int>(next.size()) < n_pop; ++i)
        next.push_back(merged[front[order[i]]]);
      break;
    }
  }
  return next;
}

}  // namespace

Nsga2Summary RunNsga2(int dimension, const BatchEvaluator& evaluate, const Nsga2Options& options,
                      const ProgressCallback& progress) {
  std::mt19937_64 rng(options.seed);
  Uniform uniform(0.0, 1.0);
  const int n_pop = std::max(4, options.population + options.population % 2);
  Nsga2Summary summary;
  std::vector<Individual> pop(n_pop);
  for (auto& ind : pop) {
    ind.x.resize(dimension);
    for (auto& v : ind.x) v = uniform(rng);
  }
  // Known designs replace the first random individuals (the random draws stay the same).
  for (size_t i = 0; i < options.initial.size() && i < pop.size(); ++i) {
    for (int k = 0; k < dimension && k < static_cast<int>(options.initial[i].size()); ++k)
      pop[i].x[k] = std::clamp(options.initial[i][k], 0.0, 1.0);
  }
  evaluate(&pop);
  summary.evaluations = n_pop;
  std::vector<int> rank;
  std::vector<double> crowd;
  RankAndCrowd(pop, &rank, &crowd);
  auto tournament = [&]() {
    const int a = static_cast<int>(uniform(rng) * n_pop) % n_pop;
    const int b = static_cast<int>(uniform(rng) * n_pop) % n_pop;
    if (rank[a] != rank[b]) return rank[a] < rank[b] ? a : b;
    return crowd[a] >= crowd[b] ? a : b;
  };
  while (summary.evaluations + n_pop <= options.evaluations) {
    std::vector<Individual> children;
    children.reserve(n_pop);
    while (static_cast<int>(children.size()) < n_pop) {
      Individual c1 = pop[tournament()], c2 = pop[tournament()];
      Crossover(options, dimension, rng, uniform, &c1, &c2);
      for (Individual* c : {&c1, &c2}) Mutate(options, dimension, rng, uniform, c);
      children.push_back(std::move(c1));
      if (static_cast<int>(children.size()) < n_pop) children.push_back(std::move(c2));
    }
    evaluate(&children);
    summary.evaluations += n_pop;
    std::vector<Individual> merged = std::move(pop);
    for (auto& c : children) merged.push_back(std::move(c));
    pop = Survivors(std::move(merged), n_pop);
    RankAndCrowd(pop, &rank, &crowd);
    ++summary.generations;
    if (progress) progress(summary.evaluations, options.evaluations);
  }
  summary.population = std::move(pop);
  return summary;
}

}  // namespace edopt
