#include "optimizer/cached_evaluator.h"

#include <chrono>
#include <set>

namespace edopt {

CachedEvaluator::CachedEvaluator(const CellModel& model, double c_rate, int threads)
    : evaluator_model_(model), evaluator_(model, c_rate, threads) {}

const std::string& CachedEvaluator::KeyOf(const Design& design) const {
  std::string bits = DesignValueKey(design);
  const auto it = keys_.find(bits);
  if (it != keys_.end()) return it->second;
  return keys_.emplace(std::move(bits), FormatDesign(design)).first->second;
}

std::vector<Evaluation> CachedEvaluator::Evaluate(const std::vector<Design>& designs) {
  std::vector<const std::string*> keys(designs.size());
  std::vector<Design> todo;
  std::vector<std::string> todo_keys;
  std::set<std::string> queued;
  for (size_t i = 0; i < designs.size(); ++i) {
    keys[i] = &KeyOf(designs[i]);
    if (seen_.count(*keys[i]) || !queued.insert(*keys[i]).second) continue;
    todo.push_back(designs[i]);
    todo_keys.push_back(*keys[i]);
  }
  if (!todo.empty()) {
    const auto t0 = std::chrono::steady_clock::now();
    const auto results = evaluator_.EvaluateBatch(todo);
    model_seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    evaluations_ += static_cast<int>(todo.size());
    for (size_t i = 0; i < todo.size(); ++i) seen_[todo_keys[i]] = {todo[i], results[i]};
    if (listener_) listener_(evaluations_);
  }
  std::vector<Evaluation> out(designs.size());
  for (size_t i = 0; i < designs.size(); ++i) out[i] = seen_.at(*keys[i]).second;
  return out;
}

const Evaluation* CachedEvaluator::Find(const Design& design) const {
  const auto it = seen_.find(KeyOf(design));
  return it == seen_.end() ? nullptr : &it->second.second;
}

}  // namespace edopt
