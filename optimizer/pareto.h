// Pareto archive of evaluated designs (both objectives maximized) and exact 2-D hypervolume.
#pragma once

#include <string>
#include <vector>

#include "models/design.h"

namespace edopt {

struct ArchiveEntry {
  Design design;
  double capacity = 0.0;  // first objective (maximized), e.g. theoretical capacity C/m2
  double score = 0.0;     // second objective (maximized), e.g. utilization
  int layer_count = 0;
  std::string provenance;  // "nsga2", "refinement" or "gap_fill"
};

class ParetoArchive {
 public:
  // Inserts when no member weakly dominates the entry; removes members it dominates.
  // Returns whether it was inserted.
  bool Insert(const ArchiveEntry& entry);
  // Members sorted by capacity ascending (ties by score descending, then design text).
  std::vector<ArchiveEntry> Sorted() const;
  size_t size() const { return entries_.size(); }

 private:
  std::vector<ArchiveEntry> entries_;
};

// Area dominated by the points (maximization) above the reference point, exact.
double Hypervolume2D(std::vector<std::pair<double, double>> points, double ref_x, double ref_y);

// Hypervolume of archive entries (capacity, score) above the reference point (0, 0).
double Hypervolume(const std::vector<ArchiveEntry>& front);

}  // namespace edopt
