#include "optimizer/pareto.h"

#include <algorithm>

namespace edopt {

bool ParetoArchive::Covers(const ArchiveEntry& a, const ArchiveEntry& b) const {
  if (a.capacity >= b.capacity && a.score >= b.score) return true;
  return tolerance_ > 0 && a.layer_count < b.layer_count && a.capacity >= b.capacity &&
         a.score >= b.score - tolerance_;
}

bool ParetoArchive::Insert(const ArchiveEntry& entry) {
  const std::string key = FormatDesign(entry.design);  // "" for abstract points: no twins test
  for (size_t i = 0; i < entries_.size(); ++i) {
    if ((!key.empty() && keys_[i] == key) || Covers(entries_[i], entry)) return false;
  }
  size_t kept = 0;
  for (size_t i = 0; i < entries_.size(); ++i) {
    if (Covers(entry, entries_[i])) continue;
    if (kept != i) {  // no self-move: it would empty the design
      entries_[kept] = std::move(entries_[i]);
      keys_[kept] = std::move(keys_[i]);
    }
    ++kept;
  }
  entries_.resize(kept);
  keys_.resize(kept);
  entries_.push_back(entry);
  keys_.push_back(key);
  return true;
}

std::vector<ArchiveEntry> ParetoArchive::Sorted() const {
  auto sorted = entries_;
  std::sort(sorted.begin(), sorted.end(), [](const ArchiveEntry& a, const ArchiveEntry& b) {
    if (a.capacity != b.capacity) return a.capacity < b.capacity;
    if (a.score != b.score) return a.score > b.score;
    return FormatDesign(a.design) < FormatDesign(b.design);
  });
  return sorted;
}

double Hypervolume2D(std::vector<std::pair<double, double>> points, double ref_x, double ref_y) {
  // Sweep by x descending; each point adds the strip between its y and the best y so far.
  std::sort(points.begin(), points.end(),
            [](const auto& a, const auto& b) { return a.first > b.first; });
  double volume = 0.0, best_y = ref_y;
  for (const auto& [x, y] : points) {
    if (x <= ref_x || y <= best_y) continue;
    volume += (x - ref_x) * (y - best_y);
    best_y = y;
  }
  return volume;
}

double Hypervolume(const std::vector<ArchiveEntry>& front) {
  std::vector<std::pair<double, double>> points;
  for (const auto& e : front) points.emplace_back(e.capacity, e.score);
  return Hypervolume2D(std::move(points), 0.0, 0.0);
}

size_t KneeIndex(const std::vector<ArchiveEntry>& front) {
  if (front.size() < 3) return front.size() / 2;
  const double x0 = front.front().capacity, x1 = front.back().capacity;
  const double y0 = front.front().score, y1 = front.back().score;
  double best = -1;
  size_t knee = 0;
  for (size_t i = 0; i < front.size(); ++i) {
    const double x = (front[i].capacity - x0) / std::max(1e-300, x1 - x0);
    const double y = (front[i].score - y1) / std::max(1e-300, y0 - y1);
    const double d = x + y;  // distance from the line x + y = 1, up to a constant
    if (d > best) {
      best = d;
      knee = i;
    }
  }
  return knee;
}

int IndexAtCapacity(const std::vector<ArchiveEntry>& front, double capacity) {
  for (size_t i = 0; i < front.size(); ++i) {
    if (front[i].capacity >= capacity * (1 - 1e-9)) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace edopt
