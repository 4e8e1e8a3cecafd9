#include "models/conductivity.h"

#include <algorithm>
#include <cmath>
#include <limits>

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

double ElectronicConductivity(const Transport& t, double phi) {
  if (!(t.electronic_conductivity_S_m > 0)) return std::numeric_limits<double>::infinity();
  double f = 0.0;
  if (phi > t.electronic_percolation_threshold) {
    f = std::pow(
        (phi - t.electronic_percolation_threshold) / (1.0 - t.electronic_percolation_threshold),
        t.electronic_percolation_exponent);
  }
  return t.electronic_conductivity_S_m * std::max(f, t.conductivity_floor_fraction);
}

}  // namespace edopt
