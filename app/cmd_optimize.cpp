// edopt optimize: Pareto fronts of areal capacity versus utilization at the objective rate.
// Parses options, calls RunOptimization (optimizer/front_analysis.h), writes the files.
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "app/cli.h"
#include "formats/files.h"
#include "formats/manifest.h"
#include "optimizer/front_analysis.h"

namespace po = boost::program_options;

namespace edopt {

namespace {

void ProgressBar(const SearchProgress& p) {
  const int width = 30, filled = p.budget > 0 ? width * p.evaluations / p.budget : width;
  std::fprintf(stderr, "\r%d layer(s) %-10s [%-*s] %d/%d   ", p.layer_count, p.phase, width,
               std::string(filled, '#').c_str(), p.evaluations, p.budget);
}

}  // namespace

OptimizationReport Optimize(Scenario s, const std::string& out_dir, bool bar,
                            const std::vector<std::pair<std::string, std::string>>& extra_files,
                            const std::vector<FileDigest>* inputs) {
  const OptimizationRun run = RunOptimization(
      s.cell, s.design_space, s.search, s.objective_c_rate, s.reference_designs,
      [bar](const SearchProgress& p) {
        if (bar) ProgressBar(p);
      },
      s.posterior);
  if (bar) std::fprintf(stderr, "\n");
  OptimizationOutputs out = RenderOptimization(run, s);
  for (const auto& f : extra_files) out.files.push_back(f);
  WriteFilesAtomically(out_dir, WithManifest(out.files, &s, inputs));
  return Report(run, out.summary_md);
}

int RunOptimize(const std::vector<std::string>& args) {
  CommonOptions common;
  SearchFlags flags;
  double rate = 0.0;
  std::string seed_text, out_dir = "results/optimize";
  bool quiet = false;
  po::options_description description(
      "edopt optimize [--max-layers N] [--rate R] [--evaluations N] [--threads T] [--seed S] "
      "[--out DIR]\n"
      "Pareto front of theoretical areal capacity versus utilization at the objective C-rate over "
      "layer\ncount, per-layer NG:LPS ratio and thickness (NSGA-II per layer count, parallel "
      "evaluation).\nWrites DIR/pareto.csv, fronts_by_layer_count.csv, recipes.txt, recipes.csv, "
      "references.csv,\nsummary.md, run.json");
  AddCommonOptions(&description, &common);
  AddSearchFlags(&description, &flags, "search budget (default search.evaluations)");
  description.add_options()("rate", po::value(&rate)->value_name("R"),
                            "objective C-rate (default test.objective_c_rate)")(
      "seed", po::value(&seed_text)->value_name("S"), "random seed (default search.seed)")(
      "out", po::value(&out_dir)->value_name("DIR"), "output folder (default results/optimize)")(
      "quiet", po::bool_switch(&quiet), "no progress bar");
  po::variables_map vm;
  if (!ParseCommand(args, description, nullptr, &vm, common.help)) return kExitOk;
  Scenario s = LoadScenario(common);
  ApplySearchFlags(vm, flags, &s);
  if (vm.count("rate")) s.objective_c_rate = CheckFlag("--rate", rate, kCRateRange);
  if (vm.count("seed")) s.search.seed = ParseSeedText(seed_text);
  CheckOutputFolder(out_dir, "--out");
  const OptimizationReport report = Optimize(s, out_dir, !quiet && ::isatty(STDERR_FILENO));
  std::cout << report.summary_md;
  std::cerr
      << "wrote " << out_dir
      << "/{pareto.csv,fronts_by_layer_count.csv,recipes.txt,recipes.csv,references.csv,summary.md,"
         "run.json,manifest.json}\n";
  return kExitOk;
}

}  // namespace edopt
