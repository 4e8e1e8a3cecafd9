// The finite-volume mesh across the electrode (docs/numerics.md §1, §1b): a base mesh of every
// layer (LayerCellWidths at the applied current) and its partition into active cells, blocks of
// contiguous base cells of one layer that the adaptive mesh solves as one. Every active cell
// holds one particle per size class (a "site", index cell x classes + class); the sites of a
// cell share its electrolyte potential.
#pragma once

#include <vector>

#include "models/discharge/problem.h"
#include "models/discharge/tolerances.h"

namespace edopt {

// Finite-volume widths across one layer, from its separator side (sum: the thickness). Cells are
// at most numerics.cell_size_m; where the layer's ohmic length kappa_eff RT/(F I) is short
// (poor conduction near percolation), cells_per_ohmic_length per ohmic length over the depth
// the reaction can reach, then growing geometrically. refinement divides every width.
std::vector<double> LayerCellWidths(double thickness_m, double ohmic_length_m,
                                    const NumericsOptions& numerics);

class Mesh {
 public:
  // The base mesh of the problem's layers at the applied current; every base cell its own block.
  // f = F / RT.
  Mesh(const DischargeProblem& problem, double applied_A_m2, double f);

  // Derived arrays of the active cells (widths, areas, capacities, face conductances, the
  // collector's and the first cell's resistances) from the partition `start`.
  void BuildActive();

  // The next partition (into next_start, returns its cell count, or -1 when it is the present
  // one): blocks whose width no longer resolves the electrolyte current through them
  // (width x drop > kappa) or whose state jumps past the split tolerance go back to their base
  // cells; smooth runs of neighbours in one layer merge within the size cap and half the width
  // their current allows. drop[i] = |i_e| F/RT cells_per_ohmic_length of active cell i,
  // jump[i] the state difference across the boundary before cell i (0 across layers and at the
  // ends), difference(a, b) that between active cells a and b.
  template <typename Difference>
  int PlanPartition(const std::vector<double>& drop, const std::vector<double>& jump,
                    const SolverTolerances& tolerances, Difference difference);

  // Carries the values of every active cell or site (stride values each) over to the planned
  // partition (of next_n cells), averaging merged sites by capacity and cells by width; the
  // result is swapped in from scratch (same size). owner must be set (SetOwners).
  void Remap(std::vector<double>* values, std::vector<double>* scratch, bool sites, int stride,
             int next_n) const;
  void SetOwners();
  // Makes the planned partition the active one.
  void Switch(int next_n);

  int classes = 1;                      // size classes: sites per cell
  int n = 0;                            // active cells
  int s = 0;                            // active sites (n x classes)
  double largest_width_m = 0.0;         // numerics.cell_size_m / refinement
  double cells_per_ohmic_length = 0.0;  // numerics.cells_per_ohmic_length x refinement
  // Base mesh, per base cell (and per base site).
  int base_n = 0;
  std::vector<double> base_dx, base_kappa, base_sigma;
  std::vector<int> base_layer;
  std::vector<double> base_b, base_capacity, base_source, base_gap;
  // Partition: active cell i is base cells [start[i], start[i + 1]).
  std::vector<int> start, next_start, owner;
  std::vector<char> split;  // per active cell: split in this plan
  // Per active cell.
  std::vector<double> x, dx, kappa, sigma;
  std::vector<int> layer;
  // Conductances between centres i and i+1 (n-1 entries): ionic K, the two phases in series
  // C = K S / (K + S) with S the electronic one, and C / S (0 with a uniform solid potential).
  std::vector<double> face_k, face_c, face_ratio;
  bool electronic = false;
  double collector_resistance_ohm_m2 = 0.0;  // half the last cell, electronic
  double separator_resistance_ohm_m2 = 0.0;
  double first_cell_resistance_ohm_m2 = 0.0;  // separator + half the first cell
  // Per active site: interface area per electrode area (a_k dx), particle source and
  // surface-gap factors, capacity.
  std::vector<double> b, source, gap, site_capacity;
};

template <typename Difference>
int Mesh::PlanPartition(const std::vector<double>& drop, const std::vector<double>& jump,
                        const SolverTolerances& tolerances, Difference difference) {
  for (int i = 0; i < n; ++i) {
    split[i] = start[i + 1] - start[i] > 1 &&
               (dx[i] * drop[i] > kappa[i] || std::max(jump[i], jump[i + 1]) > tolerances.split);
  }
  // Runs of neighbours in one layer merge while the run stays within the size cap and within
  // half the width its current allows (hysteresis against splitting it back), and every
  // member's state is within the merge tolerance of the run's first and of both its neighbours
  // (a smooth stretch, so that the block does not split again at once). Cells just split wait a
  // step, so that they differ as they will.
  int next_n = 0, open = -1;  // open: the active cell that started the open run
  double run_width = 0.0, run_drop = 0.0;
  next_start[0] = 0;
  for (int i = 0; i < n; ++i) {
    if (split[i]) {
      for (int c = start[i]; c < start[i + 1]; ++c) next_start[++next_n] = c + 1;
      open = -1;
      continue;
    }
    const double width = run_width + dx[i], d = std::max(run_drop, drop[i]);
    const bool smooth = std::max(jump[i], jump[i + 1]) <= tolerances.merge;
    if (open >= 0 && smooth && layer[open] == layer[i] && width <= largest_width_m &&
        2.0 * width * d <= kappa[i] && difference(open, i) <= tolerances.merge) {
      next_start[next_n] = start[i + 1];  // extend the open run
      run_width = width;
      run_drop = d;
      continue;
    }
    next_start[++next_n] = start[i + 1];
    open = smooth ? i : -1;
    run_width = dx[i];
    run_drop = drop[i];
  }
  bool same = next_n == n;
  for (int i = 0; same && i <= n; ++i) same = next_start[i] == start[i];
  return same ? -1 : next_n;
}

}  // namespace edopt
