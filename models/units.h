// Physical constants and the few unit conversions the libraries need. SI everywhere inside.
#pragma once

#include <cmath>

namespace edopt {

inline constexpr double kFaraday_C_mol = 96485.33212;
inline constexpr double kGasConstant_J_molK = 8.314462618;
inline constexpr double kZeroCelsius_K = 273.15;

// 1 mAh = 3.6 C; 1 cm^2 = 1e-4 m^2, so 1 mAh/cm^2 = 3.6e4 C/m^2.
inline constexpr double kC_m2_per_mAh_cm2 = 3.6e4;
inline constexpr double kSecondsPerHour = 3600.0;

// Arrhenius scaling of a rate-like property from the reference temperature to T:
// k(T) = k(T_ref) exp(-Ea/R (1/T - 1/T_ref)).
inline double ArrheniusFactor(double activation_energy_J_mol, double temperature_K,
                              double reference_temperature_K) {
  return std::exp(-activation_energy_J_mol / kGasConstant_J_molK *
                  (1.0 / temperature_K - 1.0 / reference_temperature_K));
}

}  // namespace edopt
