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

double CarbonConductivity(const Transport& t, double phi_c) {
  if (!(phi_c > t.carbon_percolation_threshold)) return 0.0;
  return t.carbon_conductivity_S_m *
         std::pow((phi_c - t.carbon_percolation_threshold) / (1.0 - t.carbon_percolation_threshold),
                  t.carbon_percolation_exponent);
}

double ElectronicConductivity(const Transport& t, double phi, double phi_carbon) {
  if (!(t.electronic_conductivity_S_m > 0)) return std::numeric_limits<double>::infinity();
  double f = 0.0;
  if (phi > t.electronic_percolation_threshold) {
    f = std::pow(
        (phi - t.electronic_percolation_threshold) / (1.0 - t.electronic_percolation_threshold),
        t.electronic_percolation_exponent);
  }
  const double active = t.electronic_conductivity_S_m * std::max(f, t.conductivity_floor_fraction);
  return phi_carbon > 0 ? active + CarbonConductivity(t, phi_carbon) : active;
}

}  // namespace edopt
