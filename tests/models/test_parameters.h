// Parameters shared by the model tests: the seed study's materials (physics.md §5, §6).
#pragma once

#include "models/parameters.h"

namespace edopt::testing {

inline CellParameters SeedParameters() {
  CellParameters p;
  p.packing.apparent_density_kg_m3 = 2413.0;
  p.transport.reference_resistivity_ohm_m = 535.0;
  p.transport.reference_ng_weight_fraction = 0.6;
  return p;
}

}  // namespace edopt::testing
