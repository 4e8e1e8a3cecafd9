// The search's evaluator with memory (after pagmo's problem / batch-evaluator split): every
// design is simulated at most once per search, new designs of a batch in parallel, and every
// phase's evaluations and model time are counted in one place. Designs are listed by their
// command-line text (exact on the weighing grid); a lookup goes through the design's exact
// values (the bit patterns of its fractions and thicknesses), so the text is formatted once per
// distinct design, not once per lookup (issue 40: ~111 k lookups per optimize formatted text).
#pragma once

#include <functional>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "models/cell_model.h"
#include "optimizer/evaluator.h"

namespace edopt {

class CachedEvaluator {
 public:
  CachedEvaluator(const CellModel& model, double c_rate, int threads);

  // The evaluations of the designs, by index; those not seen before are simulated in parallel
  // (each once, whatever the batch holds). Deterministic at any thread count.
  std::vector<Evaluation> Evaluate(const std::vector<Design>& designs);
  // The evaluation of a design seen before, or nullptr.
  const Evaluation* Find(const Design& design) const;

  // Every design evaluated so far with its evaluation, in key order.
  const std::map<std::string, std::pair<Design, Evaluation>>& evaluated() const { return seen_; }
  int evaluations() const { return evaluations_; }
  double model_seconds() const { return model_seconds_; }
  const CellModel& model() const { return evaluator_model_; }
  // Called after every batch that simulated new designs, with the evaluations so far: how a
  // phase without batches of its own (the band polish) reports real progress. Empty = none.
  void SetBatchListener(std::function<void(int evaluations)> listener) {
    listener_ = std::move(listener);
  }

 private:
  const CellModel& evaluator_model_;
  Evaluator evaluator_;
  // The text key of a design, formatted once per distinct bit pattern of its values.
  const std::string& KeyOf(const Design& design) const;

  std::map<std::string, std::pair<Design, Evaluation>> seen_;
  // Exact values (raw bytes of every layer's fractions and thickness) -> text key. Filled by
  // lookups from the driver thread only (Evaluate and Find are not called concurrently).
  mutable std::unordered_map<std::string, std::string> keys_;
  int evaluations_ = 0;
  double model_seconds_ = 0.0;
  std::function<void(int)> listener_;
};

}  // namespace edopt
