// The Newton step's linear system (models/discharge/tridiagonal.h) against a dense LU solve of
// the same matrix (Eigen), over sizes from one cell to more than the solver ever uses, odd and
// even (the two eliminations meet in a middle row or not), and conductances spanning the
// twelve decades a composite near percolation has beside a dense one.
#include "models/discharge/tridiagonal.h"

#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <cmath>
#include <random>
#include <vector>

namespace edopt {
namespace {

struct System {
  std::vector<double> face, share, rhs;
};

System RandomSystem(int n, std::mt19937_64* rng, double decades) {
  std::uniform_real_distribution<double> unit(0.0, 1.0), sign(-1.0, 1.0);
  System s;
  for (int i = 0; i + 1 < n; ++i) s.face.push_back(std::pow(10.0, decades * (unit(*rng) - 0.5)));
  for (int i = 0; i < n; ++i) {
    // Some cells without reaction (share 0): dominance only through the faces.
    s.share.push_back(unit(*rng) < 0.2 ? 0.0 : std::pow(10.0, decades * (unit(*rng) - 0.5)));
    s.rhs.push_back(sign(*rng) * std::pow(10.0, 3 * unit(*rng)));
  }
  if (n == 1) s.share[0] = std::max(s.share[0], 1e-3);  // one cell: the share is the diagonal
  return s;
}

Eigen::VectorXd DenseSolve(const System& s) {
  const int n = static_cast<int>(s.share.size());
  Eigen::MatrixXd a = Eigen::MatrixXd::Zero(n, n);
  for (int i = 0; i < n; ++i) {
    a(i, i) = s.share[static_cast<size_t>(i)];
    if (i > 0) {
      const double k = s.face[static_cast<size_t>(i - 1)];
      a(i, i) += k;
      a(i, i - 1) = -k;
    }
    if (i + 1 < n) {
      const double k = s.face[static_cast<size_t>(i)];
      a(i, i) += k;
      a(i, i + 1) = -k;
    }
  }
  const Eigen::VectorXd r = Eigen::Map<const Eigen::VectorXd>(s.rhs.data(), n);
  return a.fullPivLu().solve(r);
}

TEST(Tridiagonal, EqualsADenseSolveOfTheSameMatrix) {
  std::mt19937_64 rng(7);
  for (int n = 1; n <= 80; ++n) {
    for (const double decades : {0.0, 4.0, 12.0}) {
      SCOPED_TRACE("n = " + std::to_string(n) + ", decades " + std::to_string(decades));
      const System s = RandomSystem(n, &rng, decades);
      std::vector<double> upper(static_cast<size_t>(n)), x(static_cast<size_t>(n));
      const double largest = SolveCoupledTridiagonal(
          n, s.face.data(), s.share.data(), [&](int i) { return s.rhs[static_cast<size_t>(i)]; },
          upper.data(), x.data());
      const Eigen::VectorXd expected = DenseSolve(s);
      ASSERT_TRUE(std::isfinite(largest));
      EXPECT_DOUBLE_EQ(largest, Eigen::Map<Eigen::VectorXd>(x.data(), n).cwiseAbs().maxCoeff());
      // Residual of the computed solution, relative to the matrix and solution scales.
      double scale = 0.0;
      for (int i = 0; i < n; ++i) {
        const double diag = s.share[static_cast<size_t>(i)] +
                            (i > 0 ? s.face[static_cast<size_t>(i - 1)] : 0.0) +
                            (i + 1 < n ? s.face[static_cast<size_t>(i)] : 0.0);
        scale = std::max(scale, diag * std::abs(x[static_cast<size_t>(i)]));
        scale = std::max(scale, std::abs(s.rhs[static_cast<size_t>(i)]));
      }
      for (int i = 0; i < n; ++i) {
        double r = s.share[static_cast<size_t>(i)] * x[static_cast<size_t>(i)];
        if (i > 0) {
          r += s.face[static_cast<size_t>(i - 1)] *
               (x[static_cast<size_t>(i)] - x[static_cast<size_t>(i - 1)]);
        }
        if (i + 1 < n) {
          r += s.face[static_cast<size_t>(i)] *
               (x[static_cast<size_t>(i)] - x[static_cast<size_t>(i + 1)]);
        }
        EXPECT_NEAR(r, s.rhs[static_cast<size_t>(i)], 1e-12 * scale) << "row " << i;
      }
      // Against the dense solve where the system is well conditioned.
      if (decades == 0.0) {
        for (int i = 0; i < n; ++i) {
          EXPECT_NEAR(x[static_cast<size_t>(i)], expected(i),
                      1e-10 * std::max(1.0, std::abs(expected(i))))
              << "row " << i;
        }
      }
    }
  }
}

// Conservation in the solve: summed over all rows the face terms cancel, so the sum of the
// shares times x equals the sum of the right-hand sides (the charge balance's total).
TEST(Tridiagonal, FaceTermsCancelInTheSum) {
  std::mt19937_64 rng(11);
  for (int n : {2, 3, 17, 64}) {
    const System s = RandomSystem(n, &rng, 2.0);
    std::vector<double> upper(static_cast<size_t>(n)), x(static_cast<size_t>(n));
    SolveCoupledTridiagonal(
        n, s.face.data(), s.share.data(), [&](int i) { return s.rhs[static_cast<size_t>(i)]; },
        upper.data(), x.data());
    double lhs = 0.0, rhs = 0.0, scale = 0.0;
    for (size_t i = 0; i < x.size(); ++i) {
      lhs += s.share[i] * x[i];
      rhs += s.rhs[i];
      scale += std::abs(s.rhs[i]);
    }
    EXPECT_NEAR(lhs, rhs, 1e-9 * scale) << n;
  }
}

}  // namespace
}  // namespace edopt
