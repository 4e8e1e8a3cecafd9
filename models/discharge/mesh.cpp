#include "models/discharge/mesh.h"

#include <algorithm>
#include <cmath>

namespace edopt {

namespace {

// Depth, in ohmic lengths, that the reaction can reach into a layer: the electrolyte potential
// drop over it is ~0.3 V (about the voltage window in the main phase) = 10 RT/F.
constexpr double kReachableOhmicLengths = 10.0;
// Growth of cell widths beyond that depth (per cell, at refinement 1).
constexpr double kCellGrowth = 1.2;

}  // namespace

std::vector<double> LayerCellWidths(double thickness_m, double ohmic_length_m,
                                    const NumericsOptions& numerics) {
  const double refinement = numerics.refinement;
  const double coarse = numerics.cell_size_m / refinement;
  const double fine =
      std::min(numerics.cell_size_m, ohmic_length_m / numerics.cells_per_ohmic_length) / refinement;
  const int least = static_cast<int>(std::ceil(numerics.min_cells_per_layer * refinement));
  std::vector<double> widths;
  if (fine >= coarse || !(fine > 0)) {
    const int cells = std::max(least, static_cast<int>(std::ceil(thickness_m / coarse)));
    widths.assign(cells, thickness_m / cells);
    return widths;
  }
  // Uniform fine cells over the reachable depth, then cells growing geometrically to the
  // coarse size: the ohmic drop across a layer is bounded by the voltage window, so the
  // reaction cannot move deeper than about kReachableOhmicLengths ohmic lengths into it.
  const double reach = std::min(thickness_m, kReachableOhmicLengths * ohmic_length_m);
  const int fine_cells = static_cast<int>(std::ceil(reach / fine));
  widths.assign(fine_cells, reach / fine_cells);
  const double growth = std::pow(kCellGrowth, 1.0 / refinement);
  double rest = thickness_m - reach, width = reach / fine_cells, sum = 0.0;
  const size_t first = widths.size();
  while (sum < rest * (1.0 - 1e-12)) {
    width = std::min(coarse, width * growth);
    widths.push_back(width);
    sum += width;
  }
  for (size_t k = first; k < widths.size(); ++k) widths[k] *= rest / sum;  // fit exactly
  while (static_cast<int>(widths.size()) < least) {                        // split the widest cell
    auto widest = std::max_element(widths.begin(), widths.end());
    *widest *= 0.5;
    widths.insert(widest, *widest);
  }
  return widths;
}

Mesh::Mesh(const DischargeProblem& p, double applied_A_m2, double f) {
  const auto& num = p.numerics;
  const auto& size_classes = *p.size_classes;
  classes = static_cast<int>(size_classes.size());
  for (size_t l = 0; l < p.layers.size(); ++l) {
    const DischargeLayer& layer_of = p.layers[l];
    const double cf = layer_of.contact_area_factor, reach = layer_of.reachable_fraction;
    const double ohmic_length_m = layer_of.conductivity_S_m / (f * applied_A_m2);
    const double eps = layer_of.active_volume_fraction;
    for (const double w : LayerCellWidths(layer_of.thickness_m, ohmic_length_m, num)) {
      base_dx.push_back(w);
      base_kappa.push_back(layer_of.conductivity_S_m);
      base_sigma.push_back(layer_of.electronic_conductivity_S_m);
      base_layer.push_back(static_cast<int>(l));
      // Charge of the cell's particles from theta 0 -> 1.
      const double cell_capacity = layer_of.theoretical_capacity_C_m2 * w / layer_of.thickness_m /
                                   p.capacity_stoichiometry_span;
      for (const auto& c : size_classes) {
        // Class k holds the share w_k of the graphite: area a_k = 3 eps w_k cf / R_k.
        // Only the share `reach` of the particles touches the SE network (1 without sizes).
        base_b.push_back(3.0 * eps * c.volume_share * cf / c.radius_m * w * reach);
        // d(theta_mean)/dt = 3 cf j / (R q): the particle takes the current over its surface.
        base_source.push_back(3.0 * cf / (c.radius_m * layer_of.storage_density_C_m3));
        base_gap.push_back(p.particle->surface_gap() * c.radius_m * cf /
                           (p.solid_diffusivity_m2_s * layer_of.storage_density_C_m3));
        base_capacity.push_back(cell_capacity * c.volume_share * reach);
      }
    }
  }
  base_n = static_cast<int>(base_dx.size());
  n = base_n;  // every base cell its own block until the first adaptation
  s = n * classes;
  electronic = p.electronic;
  separator_resistance_ohm_m2 = p.separator_resistance_ohm_m2;
  largest_width_m = num.cell_size_m / num.refinement;
  cells_per_ohmic_length = num.cells_per_ohmic_length * num.refinement;
  for (auto* v : {&start, &next_start}) v->resize(base_n + 1);
  for (int i = 0; i <= base_n; ++i) start[i] = i;
  owner.assign(base_n, 0);
  split.assign(base_n, 0);
  for (auto* v : {&x, &dx, &kappa, &sigma}) v->assign(base_n, 0.0);
  layer.assign(base_n, 0);
  for (auto* v : {&face_k, &face_c, &face_ratio}) v->assign(std::max(base_n - 1, 0), 0.0);
  for (auto* v : {&b, &source, &gap, &site_capacity}) v->assign(s, 0.0);
  BuildActive();
}

void Mesh::BuildActive() {
  double at = 0.0;
  for (int i = 0; i < n; ++i) {
    const int first = start[i], end = start[i + 1];
    double width = 0.0;
    for (int c = first; c < end; ++c) width += base_dx[c];
    dx[i] = width;
    x[i] = at + 0.5 * width;
    at += width;
    layer[i] = base_layer[first];
    kappa[i] = base_kappa[first];
    sigma[i] = base_sigma[first];
    for (int k = 0; k < classes; ++k) {
      const int site = i * classes + k;
      double area = 0.0, capacity = 0.0;
      for (int c = first; c < end; ++c) {
        area += base_b[c * classes + k];
        capacity += base_capacity[c * classes + k];
      }
      b[site] = area;
      site_capacity[site] = capacity;
      source[site] = base_source[first * classes + k];  // per layer and class
      gap[site] = base_gap[first * classes + k];
    }
  }
  for (int i = 0; i + 1 < n; ++i) {
    const double k = 1.0 / (0.5 * dx[i] / kappa[i] + 0.5 * dx[i + 1] / kappa[i + 1]);
    face_k[i] = k;
    if (electronic) {
      const double e = 1.0 / (0.5 * dx[i] / sigma[i] + 0.5 * dx[i + 1] / sigma[i + 1]);
      face_c[i] = k * e / (k + e);
      face_ratio[i] = k / (k + e);
    } else {
      face_c[i] = k;
      face_ratio[i] = 0.0;
    }
  }
  if (electronic) collector_resistance_ohm_m2 = 0.5 * dx[n - 1] / sigma[n - 1];
  first_cell_resistance_ohm_m2 = separator_resistance_ohm_m2 + 0.5 * dx[0] / kappa[0];
}

void Mesh::SetOwners() {
  for (int i = 0; i < n; ++i) {
    for (int c = start[i]; c < start[i + 1]; ++c) owner[c] = i;
  }
}

void Mesh::Remap(std::vector<double>* values, std::vector<double>* scratch, bool sites, int stride,
                 int next_n) const {
  double* out = scratch->data();
  const double* in = values->data();
  const int per_cell = sites ? classes : 1;
  const int width = per_cell * stride;
  for (int i = 0; i < next_n; ++i) {
    double* o = out + static_cast<size_t>(i) * width;
    const int first = owner[next_start[i]], last = owner[next_start[i + 1] - 1];
    if (first == last) {  // an old cell or a part of it: its values
      std::copy(in + static_cast<size_t>(first) * width, in + static_cast<size_t>(last + 1) * width,
                o);
      continue;
    }
    // Whole old cells first..last merged: their average weighted by capacity (sites) or width.
    for (int k = 0; k < per_cell; ++k) {
      double* ok = o + k * stride;
      std::fill(ok, ok + stride, 0.0);
      double total = 0.0;
      for (int a = first; a <= last; ++a) {
        const double w = sites ? site_capacity[a * classes + k] : dx[a];
        const double* v = in + (static_cast<size_t>(a) * per_cell + k) * stride;
        for (int q = 0; q < stride; ++q) ok[q] += w * v[q];
        total += w;
      }
      const double inverse = 1.0 / total;
      for (int q = 0; q < stride; ++q) ok[q] *= inverse;
    }
  }
  values->swap(*scratch);
}

void Mesh::Switch(int next_n) {
  start.swap(next_start);
  n = next_n;
  s = n * classes;
  BuildActive();
}

}  // namespace edopt
