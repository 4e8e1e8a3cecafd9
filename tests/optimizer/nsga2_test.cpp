#include "optimizer/nsga2.h"

#include <gtest/gtest.h>

#include <cmath>

#include "optimizer/pareto.h"

namespace edopt {
namespace {

// ZDT test problems (Zitzler, Deb, Thiele, Evol. Comput. 8, 173, 2000), 30 variables.
void Zdt(std::vector<Individual>* batch, bool concave) {
  for (auto& ind : *batch) {
    const auto& x = ind.x;
    double g = 0.0;
    for (size_t k = 1; k < x.size(); ++k) g += x[k];
    g = 1.0 + 9.0 * g / static_cast<double>(x.size() - 1);
    const double f1 = x[0];
    const double f2 = g * (1.0 - (concave ? std::pow(f1 / g, 2) : std::sqrt(f1 / g)));
    ind.objectives = {f1, f2};
    ind.violation = 0.0;
  }
}

// Runs NSGA-II on ZDT and returns the hypervolume of every non-dominated point it evaluated
// (the archive edopt keeps), minimization with reference (1, 1) seen as maximization of
// (1 - f1, 1 - f2) from (0, 0).
double ZdtHypervolume(bool concave, int* evaluations) {
  Nsga2Options o;
  o.population = 100;
  o.evaluations = 25000;
  ParetoArchive archive;
  int count = 0;
  RunNsga2(
      30,
      [&](std::vector<Individual>* b) {
        Zdt(b, concave);
        count += static_cast<int>(b->size());
        for (const auto& ind : *b)
          archive.Insert({{}, 1 - ind.objectives[0], 1 - ind.objectives[1], 0, ""});
      },
      o);
  *evaluations = count;
  std::vector<std::pair<double, double>> points;
  for (const auto& e : archive.Sorted()) points.emplace_back(e.capacity, e.score);
  return Hypervolume2D(points, 0.0, 0.0);
}

TEST(Nsga2, Zdt1ReachesNinetyEightPercentOfAnalyticHypervolume) {
  int evaluations = 0;
  EXPECT_GE(ZdtHypervolume(false, &evaluations), 0.98 * (2.0 / 3.0));  // integral of sqrt(f1)
  EXPECT_LE(evaluations, 25000);
}

TEST(Nsga2, Zdt2ReachesNinetyEightPercentOfAnalyticHypervolume) {
  int evaluations = 0;
  EXPECT_GE(ZdtHypervolume(true, &evaluations), 0.98 * (1.0 / 3.0));  // integral of f1^2
  EXPECT_LE(evaluations, 25000);
}

TEST(Nsga2, SameSeedSameAnswer) {
  Nsga2Options o;
  o.evaluations = 2000;
  o.seed = 7;
  auto f = [](std::vector<Individual>* b) { Zdt(b, false); };
  const auto a = RunNsga2(5, f, o), b = RunNsga2(5, f, o);
  ASSERT_EQ(a.population.size(), b.population.size());
  for (size_t i = 0; i < a.population.size(); ++i) EXPECT_EQ(a.population[i].x, b.population[i].x);
}

TEST(Nsga2, ConstraintDominationPrefersFeasible) {
  Individual feasible{{0.5}, {10.0, 10.0}, 0.0}, infeasible{{0.5}, {0.0, 0.0}, 0.1};
  EXPECT_TRUE(ConstrainedDominates(feasible, infeasible));
  EXPECT_FALSE(ConstrainedDominates(infeasible, feasible));
  Individual worse{{0.5}, {0.0, 0.0}, 0.2};
  EXPECT_TRUE(ConstrainedDominates(infeasible, worse));
}

TEST(Hypervolume, ExactForAStaircase) {
  // Points (1,3), (2,2), (3,1) from (0,0): 3 + 2*1... = 1*3 + 1*2 + 1*1 = 6.
  EXPECT_DOUBLE_EQ(Hypervolume2D({{1, 3}, {2, 2}, {3, 1}}, 0, 0), 6.0);
  EXPECT_DOUBLE_EQ(Hypervolume2D({{1, 3}, {2, 2}, {3, 1}, {1, 1}}, 0, 0),
                   6.0);  // dominated point adds nothing
  EXPECT_DOUBLE_EQ(Hypervolume2D({}, 0, 0), 0.0);
}

TEST(ParetoArchive, KeepsOnlyNonDominated) {
  ParetoArchive a;
  EXPECT_TRUE(a.Insert({ParseDesign("6:4@20"), 1.0, 0.5, 1, "x"}));
  EXPECT_TRUE(a.Insert({ParseDesign("6:4@40"), 2.0, 0.4, 1, "x"}));
  EXPECT_FALSE(a.Insert({ParseDesign("6:4@30"), 1.5, 0.3, 1, "x"}));
  EXPECT_TRUE(a.Insert({ParseDesign("6:4@50"), 2.5, 0.6, 1, "x"}));  // dominates both
  EXPECT_EQ(a.size(), 1u);
}

}  // namespace
}  // namespace edopt
