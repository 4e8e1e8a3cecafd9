// The discharge's time loop allocates nothing: every allocation happens when the solver is set
// up, so a run with 2-3x more time steps allocates exactly as often. Counted by replacing the
// global operator new in this test binary.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include "models/cell_model.h"
#include "models/design.h"
#include "test_parameters.h"

namespace {
std::atomic<long> allocations{0};
}  // namespace

void* operator new(std::size_t size) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace edopt {
namespace {

TEST(CellModel, TimeLoopAllocatesNothing) {
  auto p = testing::CalibratedSeedParameters();
  p.numerics.cells_per_ohmic_length = 1e-3;  // the same mesh at both rates
  const CellModel model(p);
  const Design design = ParseDesign("5:5@33,6:4@33,7:3@33");
  auto count = [&](double rate, int* steps) {
    const long before = allocations.load();
    const auto r = model.Simulate(design, rate);
    *steps = r.steps + r.rejected_steps;
    return allocations.load() - before;
  };
  int steps_fast = 0, steps_slow = 0;
  const long fast = count(1.0, &steps_fast), slow = count(0.1, &steps_slow);
  ASSERT_GT(steps_slow, steps_fast + 50);  // the two runs differ in the number of steps
  EXPECT_EQ(fast, slow) << steps_fast << " vs " << steps_slow << " steps";
}

}  // namespace
}  // namespace edopt
