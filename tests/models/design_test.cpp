#include "models/design.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "models/errors.h"

namespace edopt {
namespace {

TEST(Design, RatiosInAnyScaleAreEqual) {
  EXPECT_EQ(ParseDesign("5:5@33,6:4@33,7:3@33"), ParseDesign("50:50@33,60:40@33,70:30@33"));
  const auto d = ParseDesign(" 6:4 @ 63 ");
  ASSERT_EQ(d.layers.size(), 1u);
  EXPECT_DOUBLE_EQ(d.layers[0].active_weight_fraction, 0.6);
  EXPECT_DOUBLE_EQ(d.layers[0].thickness_m, 63e-6);
  EXPECT_DOUBLE_EQ(ParseDesign("0.7@10").layers[0].active_weight_fraction, 0.7);
}

TEST(Design, FormatRoundTrips) {
  for (const char* text : {"50:50@33,60:40@33,70:30@33", "55:45@12.5", "62.5:37.5@101,45:55@20"}) {
    const auto d = ParseDesign(text);
    EXPECT_EQ(FormatDesign(d), text);
    const auto again = ParseDesign(FormatDesign(d));
    for (size_t k = 0; k < d.layers.size(); ++k) {
      EXPECT_NEAR(again.layers[k].active_weight_fraction, d.layers[k].active_weight_fraction,
                  1e-12);
      EXPECT_NEAR(again.layers[k].thickness_m, d.layers[k].thickness_m, 1e-18);
    }
  }
}

// Three components (issue 27): active:SE:carbon of the whole layer, any scale; a two-number
// layer holds no carbon and prints as before.
TEST(Design, ThreeComponentLayers) {
  const auto d = ParseDesign("90:9:1@40,93:6:1@40");
  ASSERT_EQ(d.layers.size(), 2u);
  EXPECT_DOUBLE_EQ(d.layers[0].active_weight_fraction, 0.9);
  EXPECT_DOUBLE_EQ(d.layers[0].carbon_weight_fraction, 0.01);
  EXPECT_NEAR(d.layers[0].se_weight_fraction(), 0.09, 1e-15);
  EXPECT_NEAR(d.layers[1].se_weight_fraction(), 0.06, 1e-15);
  EXPECT_EQ(d, ParseDesign("0.9:0.09:0.01@40,9.3:0.6:0.1@40"));
  EXPECT_EQ(FormatDesign(d), "90:9:1@40,93:6:1@40");
  EXPECT_EQ(ParseDesign(FormatDesign(d)), d);
  // A zero carbon part is a two-component layer, printed as one.
  EXPECT_EQ(FormatDesign(ParseDesign("70:30:0@50")), "70:30@50");
  EXPECT_EQ(ParseDesign("70:30:0@50"), ParseDesign("70:30@50"));
  // Mixed layers round-trip; equal compositions merge, different carbon does not.
  const auto mixed = ParseDesign("70:30@20,70:29:1@20,70:29:1@10");
  EXPECT_EQ(ParseDesign(FormatDesign(mixed)), mixed);
  const auto merged = MergeEqualLayers(mixed);
  ASSERT_EQ(merged.layers.size(), 2u);
  EXPECT_NEAR(merged.layers[1].thickness_m, 30e-6, 1e-18);
  for (const char* bad :
       {"90:10:0:1@40", "90:0:10@40", "0:90:10@40", "90:9:-1@40", "90:9:@40", "90:9:c@40"}) {
    EXPECT_THROW(ParseDesign(bad), ConfigError) << bad;
  }
  EXPECT_THROW(ValidateDesign(Design{{{0.9, 40e-6, 0.1}}}), ConfigError);  // no SE left
  EXPECT_THROW(ValidateDesign(Design{{{0.6, 40e-6, -0.01}}}), ConfigError);
}

TEST(Design, BadDesignsNameTheOffendingPart) {
  const char* bad[] = {"",         "6:4",     "6:4@",    "6:4@-3",  "6:4@0",          "a:b@3",
                       "10:0@33",  "0:10@33", "6:4@33,", "6:4@nan", "6:4@33,,7:3@33", "1.5@33",
                       "6:4@1e999"};
  for (const char* text : bad) {
    try {
      ParseDesign(text);
      ADD_FAILURE() << "accepted '" << text << "'";
    } catch (const ConfigError& e) {
      EXPECT_NE(std::string(e.what()).find("design"), std::string::npos) << e.what();
    }
  }
  try {
    ParseDesign("6:4@33,7:3@-1");
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("layer 2"), std::string::npos) << e.what();
  }
  EXPECT_THROW(ValidateDesign(Design{}), ConfigError);
  EXPECT_THROW(ValidateDesign(Design{{{0.6, NAN}}}), ConfigError);
  EXPECT_THROW(ValidateDesign(Design{{{1.0, 1e-5}}}), ConfigError);
}

// Printed designs read back to themselves (issue 38: three-component layers changed in their
// tenth digit on every round): random two- and three-component layers, any fractions.
TEST(Design, PrintedDesignsReadBackToTheSameText) {
  std::mt19937_64 rng(17);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  for (int i = 0; i < 2000; ++i) {
    Design d;
    const int layers = 1 + static_cast<int>(u(rng) * 4);
    for (int k = 0; k < layers; ++k) {
      const double carbon = u(rng) < 0.5 ? 0.0 : 0.001 + 0.04 * u(rng);
      const double w = 0.05 + (0.94 - carbon) * u(rng);
      d.layers.push_back({w, (1 + 150 * u(rng)) * 1e-6, carbon});
    }
    const std::string text = FormatDesign(d);
    const Design back = ParseDesign(text);
    ASSERT_EQ(FormatDesign(back), text);
    for (size_t k = 0; k < d.layers.size(); ++k) {
      EXPECT_NEAR(back.layers[k].active_weight_fraction, d.layers[k].active_weight_fraction, 1e-9);
      EXPECT_NEAR(back.layers[k].carbon_weight_fraction, d.layers[k].carbon_weight_fraction, 1e-9);
    }
  }
}

}  // namespace
}  // namespace edopt
