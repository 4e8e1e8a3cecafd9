// What `edopt optimize` writes into its folder and Python's `edopt.optimize` returns:
// summary.md, pareto.csv, fronts_by_layer_count.csv, recipes.txt/csv, references.csv, run.json
// (docs/formats.md), and the report a sweep's index keeps of a run.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "formats/scenario.h"
#include "optimizer/front_analysis.h"

namespace edopt {

// What optimize writes for a run: summary.md's text and every file (name, text).
struct OptimizationOutputs {
  std::string summary_md;
  std::vector<std::pair<std::string, std::string>> files;
};
OptimizationOutputs RenderOptimization(const OptimizationRun& run, const Scenario& scenario);

// A run in brief (a sweep's index and comparison).
struct OptimizationReport {
  std::string summary_md;
  double hypervolume_mAh_cm2 = 0.0;
  int front_size = 0;
  int evaluations = 0;
  double seconds = 0.0;
  std::string knee;  // design, command-line syntax
  struct Band {
    std::string name;  // "capacity>=4"
    std::string design;
    double utilization = 0.0;
  };
  std::vector<Band> bands;
};
OptimizationReport Report(const OptimizationRun& run, const std::string& summary_md);

}  // namespace edopt
