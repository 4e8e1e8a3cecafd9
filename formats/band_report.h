// The bands of `edopt optimize` for the lab (summary.md) and for programs (run.json): the design
// to press per band with its certificate and, where the tie rule chose a simpler design, why;
// the best design of every layer count. The optimizer library returns the data
// (optimizer/front_analysis.h, optimizer/band_polish.h); the words are here.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "optimizer/front_analysis.h"

namespace edopt {

// The band polish's certificate in one line.
// `active` names the active material's fraction step ("NG" in the seed study).
std::string CertificateWords(const BandCertificate& certificate, const std::string& active);
// Why a band's pick is a simpler design than its optimum (empty for the optimum).
std::string TieWords(const BandChoice& band, const SearchOptions& options);
// "## What to press": the band table, its notes and the knee.
std::string RecommendationsMd(const FrontAnalysis& analysis, double c_rate,
                              const SearchOptions& options, const std::string& active);
// "## What more layers buy": the best design of every layer count per band.
std::string LayerCountsMd(const FrontAnalysis& analysis, Objective objective);
// The recommendation fields of a band in run.json (docs/cli.md).
void AddChoiceJson(const BandChoice& band, const SearchOptions& options,
                   nlohmann::ordered_json* json);

}  // namespace edopt
