// One parallel loop for the optimizer: each index is its own task and writes its own slot, so
// results never depend on the scheduling or the thread count.
#pragma once

#include <cstddef>
#include <functional>

namespace edopt {

// Runs body(i) for i in [0, n) with TBB on `threads` workers (0 = all cores).
void ParallelFor(int threads, std::size_t n, const std::function<void(std::size_t)>& body);

}  // namespace edopt
