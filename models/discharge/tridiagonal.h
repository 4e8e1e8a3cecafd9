// The linear system of the discharge solver's Newton step (docs/numerics.md §3): a
// tridiagonal system coupling neighbouring cells through their faces,
//   -k_{i-1} x_{i-1} + (k_{i-1} + k_i + d_i) x_i - k_i x_{i+1} = r_i,   i = 0..n-1,
// with k_{-1} = k_{n-1} = 0 (no face beyond the ends), k_i > 0 and d_i >= 0 (the reaction's
// share): symmetric and diagonally dominant, so elimination without pivoting is stable.
#pragma once

#include <algorithm>
#include <cmath>

namespace edopt {

// Solves for x (n >= 1 unknowns) given the faces k = face[0..n-2], the diagonal shares
// d = share[0..n-1] and the right-hand side r_i = rhs_of(i); `upper` is n doubles of workspace.
// Returns max |x_i| (not finite: a failed solve). Elimination from both ends at once, meeting in
// the middle ("burn at both ends"): the two recurrences are independent, so the processor overlaps
// their divisions, which a one-way Thomas sweep must wait for one after another.
template <class Rhs>
inline double SolveCoupledTridiagonal(int n, const double* __restrict face,
                                      const double* __restrict share, Rhs rhs_of,
                                      double* __restrict upper, double* __restrict x) {
  auto row = [&](int i, double* k_lo, double* k_hi, double* diag, double* rhs) {
    *k_lo = i > 0 ? face[i - 1] : 0.0;
    *k_hi = i + 1 < n ? face[i] : 0.0;
    *diag = *k_lo + *k_hi + share[i];
    *rhs = rhs_of(i);
  };
  const int mid = n / 2;
  // After elimination, top rows 0..mid-1: x_i + upper_i x_{i+1} = y_i; bottom rows
  // n-1..mid+1: x_i + upper_i x_{i-1} = y_i (y held in x until the back substitution).
  double c_top = 0.0, y_top = 0.0, c_bottom = 0.0, y_bottom = 0.0;
  for (int t = 0; t < mid; ++t) {
    double k_lo, k_hi, diag, rhs;
    row(t, &k_lo, &k_hi, &diag, &rhs);
    const double inv = 1.0 / (diag + k_lo * c_top);  // one division for two uses
    c_top = -k_hi * inv;
    y_top = (rhs + k_lo * y_top) * inv;
    upper[t] = c_top;
    x[t] = y_top;
    const int b = n - 1 - t;
    if (b > mid) {
      row(b, &k_lo, &k_hi, &diag, &rhs);
      const double inv_b = 1.0 / (diag + k_hi * c_bottom);
      c_bottom = -k_lo * inv_b;
      y_bottom = (rhs + k_hi * y_bottom) * inv_b;
      upper[b] = c_bottom;
      x[b] = y_bottom;
    }
  }
  {  // the middle row, with both neighbours eliminated
    double k_lo, k_hi, diag, rhs;
    row(mid, &k_lo, &k_hi, &diag, &rhs);
    x[mid] = (rhs + k_lo * y_top + k_hi * y_bottom) / (diag + k_lo * c_top + k_hi * c_bottom);
  }
  double largest = std::abs(x[mid]);
  for (int t = 1; t <= mid; ++t) {
    const int a = mid - t, b = mid + t;
    x[a] -= upper[a] * x[a + 1];
    largest = std::max(largest, std::abs(x[a]));
    if (b < n) {
      x[b] -= upper[b] * x[b - 1];
      largest = std::max(largest, std::abs(x[b]));
    }
  }
  return largest;
}

}  // namespace edopt
