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

// Knee of a front sorted by capacity: the point farthest from the line through its extremes
// (both axes normalized to the front's range).
size_t KneeIndex(const std::vector<ArchiveEntry>& front);

// The best score at capacity >= c on a front sorted by capacity (its first such member), or -1.
int IndexAtCapacity(const std::vector<ArchiveEntry>& front, double capacity);

// Hypervolume of archive entries (capacity, score) above the reference point (0, 0).
double Hypervolume(const std::vector<ArchiveEntry>& front);

}  // namespace edopt
