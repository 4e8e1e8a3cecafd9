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

// Score difference within which the combined front prefers fewer layers (0.1 points).
inline constexpr double kFewerLayersTolerance = 1e-3;

class ParetoArchive {
 public:
  // fewer_layers_tolerance > 0: an entry with fewer layers, at least the capacity and a score at
  // most this much lower also covers an entry (ties go to the simpler electrode).
  explicit ParetoArchive(double fewer_layers_tolerance = 0.0)
      : tolerance_(fewer_layers_tolerance) {}
  // Inserts when no member covers the entry (weak dominance, the layer tie-break, or the same
  // design text); removes the members it covers. Returns whether it was inserted.
  bool Insert(const ArchiveEntry& entry);
  // Members sorted by capacity ascending (ties by score descending, then design text).
  std::vector<ArchiveEntry> Sorted() const;
  size_t size() const { return entries_.size(); }

 private:
  bool Covers(const ArchiveEntry& a, const ArchiveEntry& b) const;

  double tolerance_ = 0.0;
  std::vector<ArchiveEntry> entries_;
  std::vector<std::string> keys_;  // design text of each entry
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
