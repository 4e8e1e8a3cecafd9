#include "models/microstructure.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace edopt {

namespace {

// phi_c with its odds multiplied by `scale`.
double ScaleOdds(double threshold, double scale) {
  if (!(threshold > 0 && threshold < 1)) return threshold;
  const double odds = threshold / (1.0 - threshold) * scale;
  return odds / (1.0 + odds);
}

}  // namespace

double SizeRatio(const Materials& m) {
  if (!(m.se_particle_radius_m > 0)) return 0.0;
  return m.particle_radius_m / m.se_particle_radius_m;
}

Transport TransportAtSizes(const Transport& t, const Materials& m) {
  const double lambda = SizeRatio(m);
  if (!(lambda > 0) || !(t.percolation_size_ratio > 0)) return t;
  Transport out = t;
  // The spanning network of one phase needs fewer of its particles the smaller they are
  // relative to the other phase's (Bertei & Nicolella 2011, eq. for psi_c with s = 1.764/Z).
  const double ratio = t.percolation_size_ratio / lambda;
  out.percolation_threshold =
      ScaleOdds(t.percolation_threshold, std::pow(ratio, t.percolation_size_exponent));
  if (t.electronic_percolation_size_exponent != 0.0) {
    out.electronic_percolation_threshold =
        ScaleOdds(t.electronic_percolation_threshold,
                  std::pow(ratio, -t.electronic_percolation_size_exponent));
  }
  return out;
}

double SpanningClusterFraction(double z) {
  if (!(z > kPercolationContacts)) return 0.0;
  if (z >= kFullClusterContacts) return 1.0;
  const double span = kFullClusterContacts - kPercolationContacts;  // 2.472
  return std::pow(1.0 - std::pow((kFullClusterContacts - z) / span, 2.5), 0.4);
}

ContactStatistics LayerContacts(double phi, double lambda, double threshold, double floor) {
  ContactStatistics c;
  auto share = [lambda](double f) {
    const double se = std::clamp(f, 0.0, 1.0) * lambda;
    return se / (se + 1.0 - std::clamp(f, 0.0, 1.0));
  };
  c.se_neighbour_share = share(phi);
  // Z such that the SE percolates (1.764 SE neighbours per SE particle) exactly at the
  // threshold the conductivity law uses: one packing for both. A threshold of 0 (the catalogue
  // allows it) percolates at any SE content: every SE particle spans, every active one is
  // reached.
  if (!(threshold > 0)) {
    c.coordination = std::numeric_limits<double>::infinity();
    c.se_cluster_fraction = c.se_neighbour_share > 0 ? 1.0 : 0.0;
    c.reachable_fraction = std::max(c.se_cluster_fraction, floor);
    c.covered_share = std::clamp(c.se_neighbour_share, floor, 1.0);
    return c;
  }
  c.coordination = kPercolationContacts / share(threshold);
  c.se_cluster_fraction = SpanningClusterFraction(c.coordination * c.se_neighbour_share);
  const double connected = c.se_neighbour_share * c.se_cluster_fraction;
  c.reachable_fraction = 1.0 - std::pow(1.0 - connected, c.coordination);
  c.covered_share =
      c.reachable_fraction > floor ? connected / c.reachable_fraction : connected / floor;
  c.reachable_fraction = std::max(c.reachable_fraction, floor);
  c.covered_share = std::clamp(c.covered_share, floor, 1.0);
  return c;
}

double LargestParticleDiameter(const Materials& m) {
  // D90 of a lognormal of log-spread sigma: D50 exp(1.2816 sigma) (1.2816 = the normal 90%
  // quantile).
  const double active = 2.0 * m.particle_radius_m * std::exp(1.2816 * m.particle_radius_spread);
  return std::max(active, 2.0 * m.se_particle_radius_m);
}

}  // namespace edopt
