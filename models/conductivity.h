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

// Effective electronic conductivity of the graphite network at NG volume fraction phi:
// sigma_NG ((phi - phi_c)/(1 - phi_c))^t, at least the floor fraction of sigma_NG; infinite
// when the option is off (electronic_conductivity_S_m = 0).
double ElectronicConductivity(const Transport& transport, double ng_volume_fraction);

}  // namespace edopt
