// The analysis of a front: bands, gains over uniform electrodes, dominance of reference designs,
// binding constraints, on hand-made fronts whose answers are known.
#include "optimizer/front_analysis.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

namespace edopt {
namespace {

constexpr double kMah = 3.6e4;

FrontRow Row(const std::string& design, double capacity_mAh_cm2, double utilization) {
  FrontRow r;
  r.entry.design = ParseDesign(design);
  r.entry.capacity = capacity_mAh_cm2 * kMah;
  r.entry.score = utilization;
  r.entry.layer_count = static_cast<int>(r.entry.design.layers.size());
  r.at_objective.theoretical_capacity_C_m2 = r.entry.capacity;
  r.at_objective.utilization = utilization;
  return r;
}

// Draws that differ only in D_s, with a tiny scatter: the model's spread over them is the
// interval.
PosteriorSample DiffusivityDraws() {
  PosteriorSample sample;
  sample.keys = {"kinetics.solid_diffusivity_m2_s"};
  for (double d : {3e-16, 4e-16, 5e-16, 6e-16, 8e-16}) {
    sample.values.push_back({d});
    sample.noise_pp.push_back(1e-4);
  }
  return sample;
}

CellParameters SeedLikeCell() {
  CellParameters cell;
  cell.packing.apparent_density_kg_m3 = 2413.0;
  cell.transport.reference_resistivity_ohm_m = 535.0;
  return cell;
}

std::vector<FrontRow> Front() {
  return {Row("6:4@20", 1.0, 0.95), Row("5:5@20,7:3@30", 2.5, 0.90),
          Row("5:5@30,7:3@40", 3.5, 0.70), Row("5:5@40,7:3@60", 5.2, 0.40)};
}

std::vector<FrontRow> Uniform() {
  return {Row("6:4@20", 1.0, 0.95), Row("6:4@50", 2.6, 0.85), Row("6:4@70", 3.6, 0.60),
          Row("6:4@100", 5.3, 0.31)};
}

TEST(FrontAnalysis, BestPerBandAndGainOverUniform) {
  const auto front = Front();
  const auto uniform = Uniform();
  const auto bands = BestPerBand(front, &uniform, {2 * kMah, 3 * kMah, 5 * kMah, 6 * kMah});
  ASSERT_EQ(bands.size(), 4u);
  EXPECT_EQ(bands[0].best, 1);     // first front member with capacity >= 2
  EXPECT_EQ(bands[0].uniform, 1);  // the uniform electrode of at least its 2.5 mAh/cm2
  EXPECT_NEAR(bands[0].gain_points, 5.0, 1e-9);
  EXPECT_EQ(bands[1].best, 2);
  EXPECT_NEAR(bands[1].gain_points, 10.0, 1e-9);
  EXPECT_EQ(bands[2].best, 3);
  EXPECT_NEAR(bands[2].gain_points, 9.0, 1e-9);
  EXPECT_EQ(bands[3].best, -1);  // nothing reaches 6 mAh/cm2
  EXPECT_TRUE(std::isnan(bands[3].gain_points));
  // Without a one-layer front there is no gain to report.
  const auto no_uniform = BestPerBand(front, nullptr, {2 * kMah});
  EXPECT_EQ(no_uniform[0].uniform, -1);
  EXPECT_TRUE(std::isnan(no_uniform[0].gain_points));
}

// Issue 16: with a posterior every band design and its uniform rival get the interval of a new
// measurement from the draws, and the paired probability that the design beats the rival; a
// design that is its own rival gets no probability. Draws that differ only in D_s: the model's
// spread over them sits inside each interval, and with a tiny scatter the interval is that spread.
TEST(FrontAnalysis, UncertaintyOfTheBandDesigns) {
  FrontAnalysis a;
  a.rows = {Row("6:4@30", 1.7, 0.9), Row("5:5@33,6:4@33,7:3@33", 5.3, 0.4)};
  a.rows_by_layer_count = {{Row("6:4@30", 1.7, 0.9), Row("6:4@100", 5.5, 0.3)}};
  a.bands = BestPerBand(a.rows, &a.rows_by_layer_count[0], {1.5 * kMah, 5 * kMah});
  a.knee = 0;
  const PosteriorSample sample = DiffusivityDraws();
  const CellParameters cell = SeedLikeCell();
  AddUncertainty(cell, sample, 0.3, 2, &a);
  ASSERT_TRUE(a.bands[0].has_interval && a.bands[1].has_interval && a.knee_has_interval);
  EXPECT_TRUE(std::isnan(a.bands[0].p_beats_uniform));  // 6:4@30 is its own rival
  EXPECT_GE(a.bands[1].p_beats_uniform, 0.0);
  EXPECT_LE(a.bands[1].p_beats_uniform, 1.0);
  const auto gradient = UtilizationDraws(cell, sample, ParseDesign("5:5@33,6:4@33,7:3@33"), 0.3, 2);
  EXPECT_NEAR(a.bands[1].interval.low, *std::min_element(gradient.begin(), gradient.end()), 0.01);
  EXPECT_NEAR(a.bands[1].interval.high, *std::max_element(gradient.begin(), gradient.end()), 0.01);
  EXPECT_LT(a.bands[1].interval.low, a.bands[1].interval.high);
}

// Issue 24: the tie rule on a constructed band whose optimum (3 layers) is known with its
// ladder: the simplest design within the tolerance is pressed, fewest layers first, and the
// optimum is shown as its rival; a rung beyond the search's layer count is never pressed.
TEST(FrontAnalysis, TieRulePressesTheSimplestDesignWithinTheNumericalError) {
  auto band_with = [](double one_layer, double two_layers) {
    FrontAnalysis a;
    BandChoice band;
    band.capacity_C_m2 = 3 * kMah;
    band.best = 0;
    band.pick = Row("5:5@30,6:4@10,7:3@20", 3.0, 0.800);
    band.ladder = {{1, false, true, Row("6:4@60", 3.1, one_layer)},
                   {2, false, true, Row("5:5@30,7:3@30", 3.0, two_layers)},
                   {3, false, true, band.pick},
                   {4, true, true, Row("5:5@20,6:4@10,7:3@20,8:2@10", 3.0, 0.900)}};
    a.bands = {band};
    return a;
  };
  SearchOptions options;  // tolerance 0.3 points
  auto a = band_with(0.760, 0.798);
  ChooseBandDesigns(options, nullptr, &a);
  EXPECT_EQ(FormatDesign(a.bands[0].pick.entry.design), "50:50@30,70:30@30");
  EXPECT_EQ(a.bands[0].tie, TieReason::kWithinError);
  EXPECT_EQ(FormatDesign(a.bands[0].rival.entry.design), "50:50@30,60:40@10,70:30@20");
  EXPECT_NEAR(a.bands[0].rival_gain_points, 0.2, 1e-9);
  a = band_with(0.799, 0.798);  // the uniform electrode ties too: fewest layers first
  ChooseBandDesigns(options, nullptr, &a);
  EXPECT_EQ(FormatDesign(a.bands[0].pick.entry.design), "60:40@60");
  options.tie_tolerance_points = 0.1;  // a tighter tolerance keeps the optimum
  a = band_with(0.760, 0.798);
  ChooseBandDesigns(options, nullptr, &a);
  EXPECT_EQ(FormatDesign(a.bands[0].pick.entry.design), "50:50@30,60:40@10,70:30@20");
  EXPECT_EQ(a.bands[0].tie, TieReason::kNone);
  EXPECT_TRUE(std::isnan(a.bands[0].rival_gain_points));
}

// Issue 24: with posterior draws, a simpler design the optimum does not beat with probability
// tie_probability is pressed even when the nominal gain exceeds the tolerance; one the optimum
// beats in every draw is not. The first band's "optimum" is the simpler design itself, listed
// as two layers and scored one point higher (its draws are the rung's, so it never beats it).
TEST(FrontAnalysis, TieRuleWithDrawsPressesWhatTheOptimumDoesNotConvincinglyBeat) {
  const PosteriorSample sample = DiffusivityDraws();
  const CellParameters cell = SeedLikeCell();
  FrontAnalysis a;
  BandChoice same;
  same.capacity_C_m2 = 1.5 * kMah;
  same.best = 0;
  same.pick = Row("6:4@30", 1.7, 0.91);
  same.pick.entry.layer_count = 2;
  same.ladder = {{1, false, true, Row("6:4@30", 1.7, 0.90)}, {2, false, true, same.pick}};
  BandChoice gradient;
  gradient.capacity_C_m2 = 5 * kMah;
  gradient.best = 0;
  gradient.pick = Row("5:5@33,6:4@33,7:3@33", 5.3, 0.40);
  gradient.ladder = {{1, false, true, Row("6:4@100", 5.5, 0.30)}, {3, false, true, gradient.pick}};
  a.bands = {same, gradient};
  DrawMemo memo(cell, sample, 0.3, 2);
  SearchOptions options;
  ChooseBandDesigns(options, &memo, &a);
  EXPECT_EQ(a.bands[0].tie, TieReason::kNotConvincing);
  EXPECT_EQ(a.bands[0].p_rival_beats, 0.0);
  EXPECT_EQ(a.bands[0].pick.entry.layer_count, 1);
  EXPECT_EQ(a.bands[1].tie, TieReason::kNone);  // the gradient beats 6:4@100 in every draw
  EXPECT_EQ(a.bands[1].ladder[0].p_optimum_beats, 1.0);
  EXPECT_EQ(FormatDesign(a.bands[1].pick.entry.design), "50:50@33,60:40@33,70:30@33");
}

TEST(FrontAnalysis, ReferenceDominance) {
  const auto front = Front();
  Evaluation e;
  e.theoretical_capacity_C_m2 = 3.4 * kMah;
  e.utilization = 0.65;
  auto c = CheckReference(front, ParseDesign("6:4@68"), e, 0.9);
  EXPECT_EQ(c.dominated_by, 2);
  EXPECT_NEAR(c.gain_points, 5.0, 1e-9);
  e.utilization = 0.75;  // better than the front there: not dominated
  c = CheckReference(front, ParseDesign("6:4@68"), e, 0.9);
  EXPECT_EQ(c.dominated_by, -1);
  EXPECT_EQ(c.gain_points, 0.0);
  e.theoretical_capacity_C_m2 = 3.5 * kMah;  // the front's own member: dominated, gain 0
  e.utilization = 0.70 - 1e-12;
  c = CheckReference(front, ParseDesign("5:5@30,7:3@40"), e, 0.9);
  EXPECT_EQ(c.dominated_by, 2);
  EXPECT_EQ(c.gain_points, 0.0);
  e.theoretical_capacity_C_m2 = 9 * kMah;  // beyond the front
  EXPECT_EQ(CheckReference(front, ParseDesign("6:4@200"), e, 0.5).dominated_by, -1);
}

TEST(FrontAnalysis, BindingConstraints) {
  auto front = Front();
  DesignSpace space;
  space.min_mean_active_weight_fraction = 0.6;
  space.max_total_thickness_m = 100e-6;
  const double mean[] = {0.6, 0.605, 0.62, 0.7};
  const double thickness[] = {20e-6, 50e-6, 70e-6, 99e-6};
  for (size_t i = 0; i < front.size(); ++i) {
    front[i].summary.mean_active_weight_fraction = mean[i];
    front[i].summary.thickness_m = thickness[i];
  }
  int m = -1, t = -1;
  CountBindingConstraints(front, space, &m, &t);
  EXPECT_EQ(m, 2);  // within 0.01 of 0.6
  EXPECT_EQ(t, 1);  // within 2 um of 100 um
}

TEST(FrontAnalysis, KneeOfAConvexFront) {
  // The knee of a front bent at one point is that point.
  const std::vector<FrontRow> front = {Row("6:4@10", 1, 1.0), Row("6:4@20", 2, 0.99),
                                       Row("6:4@30", 3, 0.98), Row("6:4@40", 4, 0.5),
                                       Row("6:4@50", 5, 0.1)};
  EXPECT_EQ(KneeIndex(Entries(front)), 2u);
}

}  // namespace
}  // namespace edopt
