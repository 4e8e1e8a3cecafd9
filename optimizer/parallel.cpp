#include "optimizer/parallel.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

namespace edopt {

void ParallelFor(int threads, std::size_t n, const std::function<void(std::size_t)>& body) {
  auto loop = [&] {
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 1),
                      [&](const tbb::blocked_range<std::size_t>& range) {
                        for (std::size_t i = range.begin(); i != range.end(); ++i) body(i);
                      });
  };
  if (threads > 0) {
    tbb::task_arena arena(threads);
    arena.execute(loop);
  } else {
    loop();
  }
}

}  // namespace edopt
