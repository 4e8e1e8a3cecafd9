#include "app/cli.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <sstream>

#include "models/errors.h"

namespace po = boost::program_options;

namespace edopt {

void AddCommonOptions(po::options_description* description, CommonOptions* common) {
  description->add_options()("help,h", po::bool_switch(&common->help), "show this help")(
      "scenario", po::value(&common->scenario)->value_name("FILE"),
      "scenario file (default: the built-in seed-study scenario)")(
      "set", po::value(&common->overrides)->composing()->value_name("SECTION.KEY=VALUE"),
      "override a scenario key (repeatable)");
}

void ParseArgs(const std::vector<std::string>& args, const po::options_description& description,
               const po::positional_options_description* positional, po::variables_map* vm) {
  try {
    auto parser = po::command_line_parser(args).options(description);
    if (positional != nullptr) parser.positional(*positional);
    po::store(parser.run(), *vm);
    po::notify(*vm);
  } catch (const po::error& e) {
    throw ConfigError(e.what());
  }
}

Scenario LoadScenario(const CommonOptions& common) {
  Scenario scenario = LoadScenario(common.scenario, common.overrides);
  PrintWarnings(scenario.notes);
  return scenario;
}

void AddSearchFlags(boost::program_options::options_description* description, SearchFlags* flags,
                    const std::string& evaluations_doc) {
  namespace po = boost::program_options;
  description->add_options()("max-layers", po::value(&flags->max_layers)->value_name("N"),
                             "most layers (default design_space.max_layers)")(
      "evaluations", po::value(&flags->evaluations)->value_name("N"), evaluations_doc.c_str())(
      "threads", po::value(&flags->threads)->value_name("T"),
      "worker threads, 0 = all (default search.threads)");
}

void ApplySearchFlags(const boost::program_options::variables_map& vm, const SearchFlags& flags,
                      Scenario* s) {
  if (vm.count("max-layers"))
    s->design_space.max_layers =
        static_cast<int>(CheckFlag("--max-layers", flags.max_layers, Between(1, kMaxLayers)));
  if (vm.count("evaluations")) {
    if (flags.evaluations < 1)
      throw ConfigError("--evaluations " + std::to_string(flags.evaluations) + " must be > 0");
    s->search.evaluations = flags.evaluations;
  }
  if (vm.count("threads"))
    s->search.threads =
        static_cast<int>(CheckFlag("--threads", flags.threads, Between(0, kMaxThreads)));
  s->design_space.Validate();
  s->search.Validate();
}

bool ParseCommand(const std::vector<std::string>& args,
                  const boost::program_options::options_description& description,
                  const boost::program_options::positional_options_description* positional,
                  boost::program_options::variables_map* vm, const bool& help) {
  ParseArgs(args, description, positional, vm);
  if (!help) return true;
  std::cout << description << "\n";
  return false;
}

bool PrintHelpIfAsked(const std::vector<std::string>& args,
                      const boost::program_options::options_description& description) {
  if (std::find(args.begin(), args.end(), "--help") == args.end() &&
      std::find(args.begin(), args.end(), "-h") == args.end())
    return false;
  std::cout << description << "\n";
  return true;
}

std::vector<double> ParsePositiveList(const std::string& text, const std::string& what,
                                      const ValueRange& range) {
  std::vector<double> values;
  std::stringstream ss(text);
  std::string part;
  while (std::getline(ss, part, ',')) {
    char* end = nullptr;
    const double v = std::strtod(part.c_str(), &end);
    if (part.empty() || end != part.c_str() + part.size() || !std::isfinite(v) || !(v > 0)) {
      throw ConfigError(what + " '" + part + "' is not a number > 0");
    }
    CheckFlag(what, v, range);
    values.push_back(v);
  }
  if (values.empty()) throw ConfigError(what + " is empty; expected numbers > 0");
  return values;
}

double CheckFlag(const std::string& flag, double value, const ValueRange& range) {
  return CheckSetting(flag, value, range);
}

}  // namespace edopt
