// The unit-box codec of the search: designs of k layers as points of [0, 1]^(2k).
#pragma once

#include <vector>

#include "models/design.h"
#include "models/parameters.h"
#include "optimizer/design_space.h"

namespace edopt {

// Maps the unit box [0, 1]^(2k) to designs of k layers (ratios first, then thicknesses),
// snapped to the grid steps, and measures constraint violation (docs/physics.md §7).
class DesignCodec {
 public:
  DesignCodec(const DesignSpace& space, int layers);
  int dimension() const { return 2 * layers_; }
  // snap = false gives the continuous design (for the gradient-free local refinement).
  Design Decode(const std::vector<double>& x, bool snap = true) const;
  // The unit-box point of a design of this layer count (inverse of Decode off the grid).
  std::vector<double> Encode(const Design& design) const;
  // Sum of relative violations of total thickness, mean NG fraction and monotonicity; 0 = ok.
  double Violation(const Design& design, const Materials& materials, const Packing& packing) const;

 private:
  DesignSpace space_;
  int layers_;
};

}  // namespace edopt
