// Particle sizes and the networks they build (docs/physics.md §3b): the size ratio of the
// active and SE powders moves the percolation thresholds, and the contact statistics of a
// random binary sphere packing give the share of the active material an SE network reaches and
// the share of its surface that network touches.
#pragma once

#include "models/parameters.h"

namespace edopt {

// Bouvard & Lange's percolation criterion for random binary packings: a phase percolates when
// its particles touch, on average, this many of their own kind (Bouvard & Lange, Acta Metall.
// Mater. 39, 3083, 1991; used for composite electrodes by Bertei & Nicolella, J. Power Sources
// 196, 9429, 2011), and every particle is in the spanning cluster above kFullClusterContacts.
inline constexpr double kPercolationContacts = 1.764;
inline constexpr double kFullClusterContacts = 4.236;

// lambda = D50_active / D50_SE (the radii's ratio), or 0 when the SE's size is not given.
double SizeRatio(const Materials& materials);

// The transport laws at the scenario's particle sizes. With transport.percolation_size_ratio
// lambda0 > 0 and both sizes given, the thresholds measured at lambda0 move to lambda by the
// closed form of coordination-number percolation, psi_c = s / (s + (1 - s) lambda^beta)
// (Bertei & Nicolella 2011 with beta = 1): in odds, phi_c/(1 - phi_c) scales as
// (lambda0/lambda)^beta for the SE, and as (lambda/lambda0)^beta_e for the active phase's
// electronic network (beta_e = transport.electronic_percolation_size_exponent, 0 by default:
// unchanged). Otherwise the laws are returned unchanged (the thresholds hold at the
// scenario's own sizes).
Transport TransportAtSizes(const Transport& transport, const Materials& materials);

// The SE's contacts with the active particles in a layer (docs/physics.md §3b).
struct ContactStatistics {
  // Share of a particle's neighbours that are SE: the SE's share of the particle surface in
  // the mixture, phi lambda / (phi lambda + 1 - phi).
  double se_neighbour_share = 1.0;
  double coordination = 0.0;         // Z = 1.764 / (se_neighbour_share at the threshold)
  double se_cluster_fraction = 1.0;  // P: share of SE particles in the spanning network
  // Share of the active particles touching the spanning SE network: 1 - (1 - share P)^Z.
  double reachable_fraction = 1.0;
  // Share of the surface of a reachable active particle that touches the spanning network.
  double covered_share = 1.0;
};

// The share of SE particles in the spanning cluster at Z_SE-SE contacts per SE particle: 0 at
// and below 1.764, 1 from 4.236, [1 - ((4.236 - Z)/2.472)^2.5]^0.4 between (the correlation of
// Bouvard & Lange 1991 as used by Bertei & Nicolella 2011).
double SpanningClusterFraction(double same_kind_contacts);

// Contact statistics of a layer of SE volume fraction phi at size ratio lambda with the
// percolation threshold phi_c the size-adjusted law gives (TransportAtSizes). Requires
// lambda > 0 and 0 < phi_c < 1. Never returns a reachable fraction or covered share below
// `floor` (the model stays solvable where the network breaks up).
ContactStatistics LayerContacts(double se_volume_fraction, double size_ratio,
                                double percolation_threshold, double floor);

// Diameter of the largest particles of the powders (D90 of the active material's
// volume-weighted lognormal, D50 of the SE where given): the thinnest pressable layer is a
// multiple of it (design_space.min_layer_particle_multiple).
double LargestParticleDiameter(const Materials& materials);

}  // namespace edopt
