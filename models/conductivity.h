// Effective ionic conductivity of the composite versus SE volume fraction (docs/physics.md §3):
// kappa_eff = kappa_SE(T) * f(phi_SE).
#pragma once

#include "models/parameters.h"

namespace edopt {

// f(phi) for the chosen law. Percolation: ((phi - phi_c)/(1 - phi_c))^t above phi_c, the
// floor fraction below (Minnmann et al., J. Electrochem. Soc. 168 040537, 2021).
// Power law (Bruggeman/Archie): phi^p. Never returns less than the floor.
double ConductivityFraction(const Transport& transport, double se_volume_fraction);

// True when phi is at or below the percolation threshold (the floor is in use).
bool BelowPercolation(const Transport& transport, double se_volume_fraction);

// Effective electronic conductivity of the active-material network at volume fraction phi:
// sigma_AM ((phi - phi_c)/(1 - phi_c))^t, at least the floor fraction of sigma_AM, plus a
// carbon network in parallel at carbon volume fraction phi_C:
// sigma_C ((phi_C - phi_c,C)/(1 - phi_c,C))^t_C above its threshold (docs/physics.md §13).
// Infinite when the option is off (electronic_conductivity_S_m = 0).
double ElectronicConductivity(const Transport& transport, double active_volume_fraction,
                              double carbon_volume_fraction = 0.0);

// The carbon network's share alone (0 below its threshold or without carbon).
double CarbonConductivity(const Transport& transport, double carbon_volume_fraction);

}  // namespace edopt
