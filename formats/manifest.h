// Provenance (issue 23): a manifest beside every output and in every --json, saying which code
// (edopt version, git commit, library versions), which inputs (SHA-256 of every file read and
// of the canonical printed scenario), which command (its line, seed, threads, start and end
// time in UTC) made which outputs (their SHA-256). docs/formats.md §"manifest.json".
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "formats/digest.h"
#include "formats/scenario.h"

namespace edopt {

// Called once by main before the command runs: the command line and the start time.
void StartRun(const std::vector<std::string>& command_line);
// The same with the start time given: a Python call's manifest is written later by save().
void StartRun(const std::vector<std::string>& command_line,
              std::chrono::system_clock::time_point start);

// SHA-256 of the scenario's settings (ScenarioSettingsText: every key's value, no comments, no
// source file, search.threads at 0: the same seed gives the same answer at any thread count):
// equal for equal scenarios however they were written, and unchanged by edits of the keys'
// documentation.
std::string ScenarioDigest(const Scenario& scenario);

// The git commit edopt was built from ("unknown" outside a checkout), "+modified" appended
// when the sources differed from it.
std::string CodeCommit();

using NamedText = std::pair<std::string, std::string>;  // (path or name, contents)

// The manifest object. `scenario` may be null (no scenario involved); `inputs` null = every
// file this process read; `outputs` are hashed from their texts.
nlohmann::ordered_json Manifest(const Scenario* scenario, const std::vector<NamedText>& outputs,
                                const std::vector<FileDigest>* inputs = nullptr);

// A command's --json text with a "manifest" object added last (outputs: what it wrote).
std::string WithManifestJson(const std::string& json, const Scenario* scenario,
                             const std::vector<NamedText>& outputs);

// A results folder's files with its manifest.json appended.
std::vector<NamedText> WithManifest(std::vector<NamedText> files, const Scenario* scenario,
                                    const std::vector<FileDigest>* inputs = nullptr);

// A command's output files (paths), written all or none together with one manifest beside the
// first, `<first>.manifest.json`, which lists them all. Nothing is written for no files.
void PublishFiles(const std::vector<NamedText>& files, const Scenario* scenario);

}  // namespace edopt
