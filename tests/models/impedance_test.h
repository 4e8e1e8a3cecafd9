// Synthetic symmetric-cell spectra with known parameters (shared by model and reader tests).
#pragma once

#include <cmath>
#include <numbers>
#include <random>

#include "models/impedance.h"

namespace edopt::testing {

// 10 points per decade from 100 kHz down to 0.1 Hz (the seed study's EIS window), with
// relative complex Gaussian noise of the given level (deterministic seed).
inline Spectrum SyntheticSpectrum(const TlmParameters& p, double noise, unsigned seed = 7) {
  Spectrum s;
  s.name = "synthetic";
  std::mt19937 rng(seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  for (int k = 0; k <= 60; ++k) {
    const double f = 1e5 * std::pow(10.0, -k / 10.0);
    const Complex z = SymmetricCellImpedance(2 * std::numbers::pi * f, p);
    const double a = normal(rng), b = normal(rng);
    s.frequency_Hz.push_back(f);
    s.impedance_ohm.push_back(z + noise * std::abs(z) * Complex(a, b));
  }
  return s;
}

inline TlmParameters SeedLikeCell(double r_ion, double gamma) {
  TlmParameters p;
  p.r_hf_ohm = 25.0;
  p.inductance_H = 2e-7;
  p.r_ion_ohm = r_ion;
  p.q = 2e-5;
  p.gamma = gamma;
  return p;
}

}  // namespace edopt::testing
