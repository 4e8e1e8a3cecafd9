// The EIS pipeline: spectra made with a known resistivity come back as that resistivity, the
// composition law is fitted across compositions, and doubtful fits are flagged.
#include "models/eis_calibration.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "models/composition.h"
#include "models/conductivity.h"
#include "models/errors.h"
#include "tests/models/impedance_test.h"

namespace edopt {
namespace {

using testing::SeedLikeCell;
using testing::SyntheticSpectrum;

constexpr double kArea_m2 = 1.327e-4;

bool Has(const std::vector<std::string>& flags, const std::string& f) {
  return std::find(flags.begin(), flags.end(), f) != flags.end();
}

// R_ion = L / (A kappa) + R_0 over three thicknesses: the pipeline returns kappa and R_0.
TEST(EisCalibration, ThicknessSeriesRoundTrip) {
  const double resistivity = 535.0, r0 = 12.0;
  std::vector<EisMeasurement> m;
  unsigned seed = 1;
  for (double l_um : {33.0, 63.0, 103.0}) {
    const double r_ion = resistivity * l_um * 1e-6 / kArea_m2 + r0;
    m.push_back({"synthetic", "csv", SyntheticSpectrum(SeedLikeCell(r_ion, 0.85), 0.002, seed++),
                 0.0, l_um * 1e-6, 0.6});
  }
  EisCalibrationOptions options;
  options.area_m2 = kArea_m2;
  const auto c = CalibrateEis(m, CellParameters{}, options);
  ASSERT_EQ(c.entries.size(), 3u);
  EXPECT_NEAR(c.reference().resistivity_ohm_m, resistivity, 0.02 * resistivity);
  EXPECT_NEAR(c.reference().intercept_ohm, r0, 5.0);
  EXPECT_EQ(c.law.compositions, 1);
  EXPECT_FALSE(c.law.percolation_fitted);
  for (const auto& e : c.entries) EXPECT_TRUE(e.flags.empty()) << e.flags.front();
  EXPECT_TRUE(c.warnings.empty());
}

// Three compositions made from a percolation law: the law's parameters come back.
TEST(EisCalibration, CompositionSeriesFitsTheLaw) {
  CellParameters cell;
  const double kappa_se = 0.3, phi_c = 0.21, t = 2.0;
  std::vector<EisMeasurement> m;
  for (double w : {0.5, 0.6, 0.7}) {
    const double phi = SeVolumeFraction(cell.materials, cell.packing, w);
    const double kappa = kappa_se * std::pow((phi - phi_c) / (1 - phi_c), t);
    for (double l_um : {40.0, 80.0}) {
      m.push_back({"imported",
                   "imported per-electrode",
                   {},
                   l_um * 1e-6 / (kArea_m2 * kappa),
                   l_um * 1e-6,
                   w});
    }
  }
  EisCalibrationOptions options;
  options.area_m2 = kArea_m2;
  const auto c = CalibrateEis(m, cell, options);
  EXPECT_EQ(c.law.compositions, 3);
  EXPECT_TRUE(c.law.percolation_fitted);
  EXPECT_NEAR(c.law.percolation_threshold, phi_c, 0.02);
  EXPECT_NEAR(c.law.percolation_exponent, t, 0.1);
  EXPECT_DOUBLE_EQ(c.reference_active_weight_fraction, 0.6);  // the scenario's composition
}

TEST(EisCalibration, NegativeInductanceIsFlagged) {
  TlmParameters p = SeedLikeCell(300, 0.85);
  p.inductance_H = -2e-5;  // a reactance of -12.6 ohm at 100 kHz: a miscompensated lead
  EisCalibrationOptions options;
  options.area_m2 = kArea_m2;
  const auto c = CalibrateEis({{"neg.csv", "csv", SyntheticSpectrum(p, 0.002), 0.0, 63e-6, 0.6}},
                              CellParameters{}, options);
  EXPECT_TRUE(Has(c.entries[0].flags, "negative_inductance"));
  ASSERT_FALSE(c.warnings.empty());
  EXPECT_NE(c.warnings[0].find("negative inductance"), std::string::npos);
}

TEST(EisCalibration, DoubtsOfAFit) {
  Spectrum s = SyntheticSpectrum(SeedLikeCell(300, 0.85), 0.0);
  TlmFit fit;
  fit.parameters = SeedLikeCell(300, 0.5);  // gamma at its lower bound
  fit.standard_errors.r_ion_ohm = 4.5e-43 * 1e30;
  fit.standard_errors.q = 1e-7;
  fit.standard_errors.inductance_H = 1e-9;
  auto names = [](const auto& doubts) {
    std::vector<std::string> n;
    for (const auto& d : doubts) n.push_back(d.first);
    return n;
  };
  auto d = names(FitDoubts(s, fit, {}));
  EXPECT_TRUE(Has(d, "gamma_at_bound"));
  EXPECT_TRUE(Has(d, "standard_error_meaningless"));  // 4.5e-13 of 300 ohm: below round-off
  EXPECT_FALSE(Has(d, "negative_inductance"));
  TlmFitOptions ideal;
  ideal.ideal_capacitor = true;
  EXPECT_FALSE(Has(names(FitDoubts(s, fit, ideal)), "gamma_at_bound"));  // gamma was fixed
  fit.standard_errors.r_ion_ohm = 30;
  fit.parameters.gamma = 0.85;
  EXPECT_TRUE(FitDoubts(s, fit, {}).empty());
}

TEST(EisCalibration, BadInputIsRefused) {
  EisCalibrationOptions options;
  EXPECT_THROW(CalibrateEis({}, CellParameters{}, options), InputError);
  options.area_m2 = kArea_m2;
  EXPECT_THROW(CalibrateEis({{"x", "imported", {}, 100, 0.0, 0.6}}, CellParameters{}, options),
               InputError);
}

}  // namespace
}  // namespace edopt
