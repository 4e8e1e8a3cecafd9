#include "models/conductivity.h"

#include <algorithm>
#include <cmath>

namespace edopt {

double ConductivityFraction(const Transport& t, double phi) {
  double f = 0.0;
  switch (t.law) {
    case ConductivityLawKind::kPercolation:
      if (phi > t.percolation_threshold) {
        f = std::pow((phi - t.percolation_threshold) / (1.0 - t.percolation_threshold),
                     t.percolation_exponent);
      }
      break;
    case ConductivityLawKind::kPowerLaw:
      f = phi > 0 ? std::pow(phi, t.power_law_exponent) : 0.0;
      break;
  }
  return std::max(f, t.conductivity_floor_fraction);
}

bool BelowPercolation(const Transport& t, double phi) {
  return ConductivityFraction(t, phi) <= t.conductivity_floor_fraction;
}

}  // namespace edopt
