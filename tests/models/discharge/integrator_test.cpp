// The discharge solver driven directly (models/discharge/): the problem CellModel builds, the
// tolerances from the numerics options, and the time integration, checked against the laws
// any discharge must obey and against the model's own front door.
#include "models/discharge/integrator.h"

#include <gtest/gtest.h>

#include "../test_parameters.h"
#include "models/cell_model.h"
#include "models/discharge/tolerances.h"
#include "models/units.h"

namespace edopt {
namespace {

const Design kGradient = ParseDesign("5:5@33,6:4@33,7:3@33");

// Refinement divides every tolerance it scales and leaves the tuning constants alone.
TEST(SolverTolerances, RefinementDividesTheTolerancesOnly) {
  NumericsOptions numerics;
  const SolverTolerances base = SolverTolerances::From(numerics);
  numerics.refinement = 4.0;
  const SolverTolerances fine = SolverTolerances::From(numerics);
  EXPECT_DOUBLE_EQ(fine.newton_V, base.newton_V / 4);
  EXPECT_DOUBLE_EQ(fine.reaction, base.reaction / 4);
  EXPECT_DOUBLE_EQ(fine.error, base.error / 4);
  EXPECT_DOUBLE_EQ(fine.surface_step, base.surface_step / 4);
  EXPECT_DOUBLE_EQ(fine.voltage_step_V, base.voltage_step_V / 4);
  EXPECT_DOUBLE_EQ(fine.merge, base.merge / 4);
  EXPECT_DOUBLE_EQ(fine.split, base.split / 4);
  EXPECT_EQ(fine.safety, base.safety);
  EXPECT_EQ(fine.first_step, base.first_step);
  EXPECT_EQ(fine.boundary_fraction, base.boundary_fraction);
  // The controller's limits bracket 1 and the safety factor is below it.
  EXPECT_LT(base.min_growth, 1.0);
  EXPECT_GT(base.max_growth, 1.0);
  EXPECT_LT(base.safety, 1.0);
  EXPECT_LT(base.min_step, base.short_step);
  EXPECT_LT(base.short_step, base.first_step);
}

// IntegrateDischarge on CellModel's problem is CellModel::Simulate, and the result obeys the
// discharge's laws: the charge delivered is the current times the time and is stored in the
// particles (conservation to round-off), the voltage ends at the cutoff, and a tighter
// tolerance changes the utilization by less than the accuracy budget.
TEST(IntegrateDischarge, IsTheModelsSimulateAndConservesCharge) {
  const CellParameters p = testing::CalibratedSeedParameters();
  const CellModel model(p);
  const DischargeProblem problem = model.Problem(kGradient, 0.3);
  SimulationOptions options;
  options.record_curve = true;
  const DischargeResult direct =
      IntegrateDischarge(problem, SolverTolerances::From(p.numerics), options);
  const DischargeResult simulated = model.Simulate(kGradient, 0.3, options);
  EXPECT_EQ(direct.utilization, simulated.utilization);
  EXPECT_EQ(direct.steps, simulated.steps);
  ASSERT_EQ(direct.end_reason, EndReason::kCutoffVoltage);
  EXPECT_NEAR(direct.final_voltage_V, p.protocol.cutoff_voltage_V, 1e-6);
  EXPECT_NEAR(direct.delivered_capacity_C_m2, direct.current_A_m2 * direct.end_time_s,
              1e-12 * direct.delivered_capacity_C_m2);
  EXPECT_NEAR(direct.stored_charge_C_m2, direct.delivered_capacity_C_m2,
              1e-9 * direct.delivered_capacity_C_m2);
  for (size_t k = 1; k < direct.curve.size(); ++k) {
    EXPECT_GT(direct.curve[k].time_s, direct.curve[k - 1].time_s);
  }
  CellParameters fine = p;
  fine.numerics.refinement = 4.0;
  const DischargeResult refined = CellModel(fine).Simulate(kGradient, 0.3);
  EXPECT_NEAR(direct.utilization, refined.utilization, 0.003);  // 0.3 points (docs/numerics.md)
}

}  // namespace
}  // namespace edopt
