#include "models/impedance.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "impedance_test.h"
#include "models/errors.h"

namespace edopt {
namespace {

constexpr double kPi = std::numbers::pi;

TEST(Impedance, CothIsSafeEverywhere) {
  for (double x : {1e-8, 1e-3, 0.049, 0.051, 0.5, 5.0, 19.9, 20.1, 300.0, 1e6}) {
    for (double arg : {0.0, 0.3, 0.785}) {
      const Complex z = std::polar(x, arg);
      const Complex c = CothOverZ(z);
      EXPECT_TRUE(std::isfinite(c.real()) && std::isfinite(c.imag())) << z;
      if (x > 1e-3 && x < 15) {  // direct formula is accurate here
        const Complex direct = std::cosh(z) / std::sinh(z) / z;
        EXPECT_NEAR(std::abs(c - direct) / std::abs(direct), 0.0, 1e-9) << z;
      }
    }
  }
}

TEST(Impedance, TlmLimitsAreAnalytic) {
  // Ideal capacitor: Re Z_el -> R_ion / 3 at low frequency, -> 0 (sqrt(R/(i w C)) -> 0) at high.
  const double r = 200, c = 1e-5;
  const Complex low = ElectrodeImpedance(2 * kPi * 1e-4, r, c, 1.0);
  EXPECT_NEAR(low.real(), r / 3, 1e-3 * r);
  EXPECT_NEAR(low.imag(), -1.0 / (2 * kPi * 1e-4 * c), 1e-3 / (2 * kPi * 1e-4 * c));
  // High frequency: Warburg-like 45 degree line, Z = sqrt(R / (i w C)).
  const double w = 2 * kPi * 1e7;
  const Complex high = ElectrodeImpedance(w, r, c, 1.0);
  const Complex expected = std::sqrt(r / (Complex(0, w) * c));
  EXPECT_NEAR(std::abs(high - expected) / std::abs(expected), 0.0, 1e-9);
}

TEST(Impedance, FactorOfTwoIdentityAndConventions) {
  // 2 Z_el(R, Q) == Z_el(2R, Q/2) exactly (docs/physics.md §4), for any gamma.
  for (double gamma : {0.6, 0.85, 1.0}) {
    for (double f : {0.1, 10.0, 1e3, 1e5}) {
      const double w = 2 * kPi * f;
      const Complex a = 2.0 * ElectrodeImpedance(w, 150, 3e-5, gamma);
      const Complex b = ElectrodeImpedance(w, 300, 1.5e-5, gamma);
      EXPECT_NEAR(std::abs(a - b) / std::abs(a), 0.0, 1e-14);
    }
  }
  const TlmParameters p = testing::SeedLikeCell(260, 0.85);
  const TlmParameters single = ToSingleTlm(p);
  EXPECT_DOUBLE_EQ(single.r_ion_ohm, 520);
  EXPECT_DOUBLE_EQ(single.q, 1e-5);
  const TlmParameters back = FromSingleTlm(single);
  EXPECT_DOUBLE_EQ(back.r_ion_ohm, p.r_ion_ohm);
  EXPECT_DOUBLE_EQ(back.q, p.q);
  // The cell seen as one TLM of the converted values is the same impedance.
  const double w = 2 * kPi * 50;
  const Complex one_tlm = Complex(p.r_hf_ohm, w * p.inductance_H) +
                          ElectrodeImpedance(w, single.r_ion_ohm, single.q, single.gamma);
  EXPECT_NEAR(std::abs(one_tlm - SymmetricCellImpedance(w, p)), 0.0, 1e-12);
}

// Round trip (issue 4): 0.5% noise, default starting values, R_ion within 1%, gamma within 0.02.
class RoundTrip : public ::testing::TestWithParam<std::tuple<double, double>> {};

TEST_P(RoundTrip, FitsBackTheParameters) {
  const auto [r_ion, gamma] = GetParam();
  const TlmParameters truth = testing::SeedLikeCell(r_ion, gamma);
  for (unsigned seed : {1u, 2u, 3u}) {
    const auto fit = FitTlm(testing::SyntheticSpectrum(truth, 0.005, seed));
    EXPECT_NEAR(fit.parameters.r_ion_ohm / r_ion, 1.0, 0.01) << "seed " << seed;
    EXPECT_NEAR(fit.parameters.gamma, gamma, 0.02);
    EXPECT_NEAR(fit.parameters.r_hf_ohm, truth.r_hf_ohm, 0.02 * truth.r_hf_ohm + 0.5);
    // Chi-square per degree of freedom ~ the noise variance (|Z| weighting).
    EXPECT_GT(fit.chi2_per_dof, 0.3 * 0.005 * 0.005);
    EXPECT_LT(fit.chi2_per_dof, 3.0 * 0.005 * 0.005);
    // The reported uncertainty covers the error.
    EXPECT_LT(std::abs(fit.parameters.r_ion_ohm - r_ion), 4 * fit.standard_errors.r_ion_ohm + 1e-9);
  }
}

INSTANTIATE_TEST_SUITE_P(Tlm, RoundTrip,
                         ::testing::Values(std::make_tuple(260.0, 0.85),
                                           std::make_tuple(1030.0, 0.9),
                                           std::make_tuple(60.0, 0.75),
                                           std::make_tuple(260.0, 1.0)));

TEST(Impedance, NoiselessFitIsExactAndIdealCapacitorModeWorks) {
  const TlmParameters truth = testing::SeedLikeCell(260, 1.0);
  TlmFitOptions options;
  options.ideal_capacitor = true;
  const auto fit = FitTlm(testing::SyntheticSpectrum(truth, 0.0), options);
  EXPECT_NEAR(fit.parameters.r_ion_ohm / 260, 1.0, 1e-6);
  EXPECT_NEAR(fit.parameters.q / truth.q, 1.0, 1e-6);
  EXPECT_EQ(fit.parameters.gamma, 1.0);
}

TEST(Impedance, TooFewPointsIsAnInputError) {
  auto s = testing::SyntheticSpectrum(testing::SeedLikeCell(260, 0.85), 0.0);
  s.frequency_Hz.resize(4);
  s.impedance_ohm.resize(4);
  EXPECT_THROW(FitTlm(s), InputError);
}

TEST(Impedance, LinKkPassesValidSpectraAndFlagsDrift) {
  const auto good = LinKK(testing::SyntheticSpectrum(testing::SeedLikeCell(260, 0.85), 0.002));
  EXPECT_LT(good.residual_rms, 0.01) << good.elements << " elements, mu " << good.mu;
  // A cell drifting during the sweep (R_HF growing 30% from high to low frequency) is not
  // causal-stationary: its residuals exceed the clean spectrum's several times.
  auto drifting = testing::SyntheticSpectrum(testing::SeedLikeCell(260, 0.85), 0.0);
  for (size_t k = 0; k < drifting.impedance_ohm.size(); ++k) {
    drifting.impedance_ohm[k] +=
        Complex(0.3 * 25.0 * double(k) / 60.0, 0.0) +
        Complex(0, 0.05 * std::abs(drifting.impedance_ohm[k]) * std::sin(double(k)));
  }
  const auto bad = LinKK(drifting);
  EXPECT_GT(bad.residual_rms, 0.01);
}

}  // namespace
}  // namespace edopt
