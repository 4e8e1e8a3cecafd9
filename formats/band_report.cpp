// The bands of `edopt optimize` in words and JSON (formats/band_report.h).
#include "formats/band_report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "formats/output.h"
#include "models/units.h"

namespace edopt {

namespace {

constexpr double kMah = kC_m2_per_mAh_cm2;

}  // namespace

// The band polish's certificate in words (optimizer/band_polish.h gives the data).
std::string CertificateWords(const BandCertificate& c, const std::string& active) {
  if (!c.found) return "no feasible design reaches this capacity";
  const std::string moves = FormatG(c.thickness_step_um, 3) + "/" +
                            FormatG(2 * c.thickness_step_um, 3) + "/" +
                            FormatG(4 * c.thickness_step_um, 3) + " um";
  const std::string rerun =
      "rerun with --evaluations " + std::to_string(4 * std::max(6000, c.evaluations));
  if (c.converged()) {
    const std::string kicks = c.idle_kicks > 1 ? ", the last " + std::to_string(c.idle_kicks) +
                                                     " kicks found nothing better"
                              : c.idle_kicks == 1 ? ", the last kick found nothing better"
                                                  : " (the band's budget ended the kicks)";
    return "converged: no grid move (" + moves + ", one " + active +
           " step, split or merge) improves it; " + std::to_string(c.starts_at_best) + " of " +
           std::to_string(c.starts) + " local searches reach it" + kicks;
  }
  if (c.budget_exhausted || !c.local_optimum) {
    return "not converged: the polish budget ran out (" + std::to_string(c.evaluations) +
           " evaluations in " + std::to_string(c.rounds) + " rounds); " + rerun +
           " or a larger search.band_polish_evaluations";
  }
  char gap[32];
  std::snprintf(gap, sizeof gap, "%.2f", c.second_gap_points);
  return "not converged: a local optimum only one of " + std::to_string(c.starts) +
         " local searches reaches (the next best differs by " + gap + " points); " + rerun;
}

namespace {

// A row's objective as the tables show it: utilization, or delivered capacity in mAh/cm2.
double Shown(const FrontRow& row, Objective objective) {
  return objective == Objective::kUtilization ? row.at_objective.utilization
                                              : row.at_objective.delivered_capacity_C_m2 / kMah;
}

// The gain of a over b in the objective's words: "0.35 points" or "0.012 mAh/cm2".
std::string Gain(const FrontRow& a, const FrontRow& b, Objective objective) {
  const double d = Shown(a, objective) - Shown(b, objective);
  return objective == Objective::kUtilization ? FormatG(100 * d, 2) + " points"
                                              : FormatG(d, 2) + " mAh/cm2";
}

}  // namespace

// Why a band's pick is a simpler design than the optimum, in words (empty for the optimum).
// When a rival is better at the 5th percentile of the posterior (docs/physics.md §11).
std::string RobustWords(const BandChoice& c) {
  return "at the 5th percentile of the posterior draws " +
         FormatDesign(c.robust_rival.entry.design) + " (" + FormatG(c.robust_rival_p05, 3) +
         ") does better than the pick (" + FormatG(c.pick_p05, 3) +
         "): the pick wins on the model's best guess, the rival if the composition law is "
         "unkind; a lab averse to that risk presses the rival, or measures first (edopt plan)";
}

std::string TieWords(const BandChoice& c, const SearchOptions& o) {
  if (c.tie == TieReason::kNone) return "";
  const std::string rival =
      FormatDesign(c.rival.entry.design) + " (" + FormatG(Shown(c.rival, o.objective), 3) + ")";
  std::string why = "press " + FormatDesign(c.pick.entry.design) + " (" +
                    FormatG(Shown(c.pick, o.objective), 3) + "), not the model's optimum " + rival +
                    ": the optimum gains " + Gain(c.rival, c.pick, o.objective);
  if (c.tie == TieReason::kWithinError) {
    why += ", within the model's numerical error (search.tie_tolerance_points = " +
           FormatG(o.tie_tolerance_points, 3) + ")";
  } else {
    why += ", and beats it with probability only " + FormatG(c.p_rival_beats, 2) +
           " (< search.tie_probability = " + FormatG(o.tie_probability, 2) + ")";
  }
  const int fewer = c.rival.entry.layer_count - c.pick.entry.layer_count;
  return why + "; " + (fewer == 1 ? std::string("one layer") : std::to_string(fewer) + " layers") +
         " fewer to spread and press";
}

namespace {

// The optimum's gain over the best design with one layer more than the search allowed.
const LadderRow* OneMoreLayer(const BandChoice& c) {
  for (const auto& rung : c.ladder) {
    if (rung.beyond_space) return &rung;
  }
  return nullptr;
}

std::string Ordinal(int n) {
  static const char* words[] = {"",      "first",    "second",  "third",     "fourth",
                                "fifth", "sixth",    "seventh", "eighth",    "ninth",
                                "tenth", "eleventh", "twelfth", "thirteenth"};
  return n >= 0 && n < 14 ? words[n] : std::to_string(n) + "th";
}

}  // namespace

// What more (or fewer) layers buy: per band, the best design of every layer count.
std::string LayerCountsMd(const FrontAnalysis& a, Objective objective) {
  int most = 0, beyond_layers = 0;
  for (const auto& c : a.bands) {
    for (const auto& r : c.ladder) {
      most = std::max(most, r.layers);
      if (r.beyond_space) beyond_layers = r.layers;
    }
  }
  if (most == 0) return "";
  std::ostringstream md;
  md << "\n## What more layers buy\n\nPer band, the best design of each layer count (a climb "
        "restricted to that count; the last column has one layer more than the search allowed). "
     << (objective == Objective::kUtilization ? "Utilization" : "Delivered capacity, mAh/cm2,")
     << " at the objective rate; * = a local optimum of its count.\n\n"
        "| capacity >= mAh/cm2 |";
  for (int k = 1; k <= most; ++k) md << ' ' << k << (k == 1 ? " layer |" : " layers |");
  md << "\n|---|";
  for (int k = 1; k <= most; ++k) md << "---|";
  md << '\n';
  std::string notes;
  for (const auto& c : a.bands) {
    if (c.ladder.empty()) continue;
    md << "| " << FormatG(c.capacity_C_m2 / kMah, 3) << " |";
    for (int k = 1; k <= most; ++k) {
      const auto it = std::find_if(c.ladder.begin(), c.ladder.end(),
                                   [k](const LadderRow& r) { return r.layers == k; });
      if (it == c.ladder.end()) {
        md << " none |";
      } else {
        md << ' ' << FormatDesign(it->row.entry.design) << ": "
           << FormatG(Shown(it->row, objective), 3) << (it->local_optimum ? "*" : "") << " |";
      }
    }
    md << '\n';
    if (OneMoreLayer(c) == nullptr && beyond_layers > 0) {
      notes += "- capacity >= " + FormatG(c.capacity_C_m2 / kMah, 3) + ": no " +
               std::to_string(beyond_layers) +
               "-layer design found for this band (no split of "
               "a layer of its designs gives a feasible one to start from)\n";
    }
    if (const LadderRow* more = OneMoreLayer(c)) {
      const FrontRow& optimum = c.tie == TieReason::kNone ? c.pick : c.rival;
      const bool gains = Shown(more->row, objective) > Shown(optimum, objective);
      notes += "- capacity >= " + FormatG(c.capacity_C_m2 / kMah, 3) + ": a " +
               Ordinal(more->layers) + " layer " +
               (gains ? "would add " + Gain(more->row, optimum, objective) + " (" +
                            FormatDesign(more->row.entry.design) + ")"
                      : "adds nothing (the best " + std::to_string(more->layers) +
                            "-layer design found is " + Gain(optimum, more->row, objective) +
                            " worse)") +
               " over the model's optimum\n";
    }
  }
  if (!notes.empty()) md << '\n' << notes;
  return md.str();
}

// What a lab acts on first: per band, the design to press, its gain over the best uniform
// electrode, and how sure the search is; then the knee.
std::string RecommendationsMd(const FrontAnalysis& a, double c_rate, const SearchOptions& o,
                              const std::string& active) {
  std::ostringstream md;
  char line[1024];
  const bool intervals =
      std::any_of(a.bands.begin(), a.bands.end(), [](const auto& b) { return b.has_interval; });
  md << "## What to press: the best design per capacity band\n\n"
        "| capacity >= mAh/cm2 | design (separator -> collector) | capacity | utilization at "
     << FormatG(c_rate, 3) << "C |" << (intervals ? " 95% interval |" : "")
     << " best uniform (1 layer) | its utilization | gain, points |"
     << (intervals ? " P(beats uniform) |" : "") << " search |\n"
     << (intervals ? "|---|---|---|---|---|---|---|---|---|---|\n"
                   : "|---|---|---|---|---|---|---|---|\n");
  std::string notes;
  for (const auto& c : a.bands) {
    if (c.best < 0) {
      std::snprintf(line, sizeof line, "| %.3g | none on the front | | | | | | |%s\n",
                    c.capacity_C_m2 / kMah, intervals ? " | |" : "");
      md << line;
      continue;
    }
    const FrontRow& best = c.pick;
    const FrontRow* u =
        c.uniform >= 0 ? &a.rows_by_layer_count[0][static_cast<size_t>(c.uniform)] : nullptr;
    char interval[48] = "", p_beats[24] = "";
    if (intervals && c.has_interval) {
      std::snprintf(interval, sizeof interval, " %.3f-%.3f |", c.interval.low, c.interval.high);
    } else if (intervals) {
      std::snprintf(interval, sizeof interval, " |");
    }
    if (intervals) {
      std::snprintf(p_beats, sizeof p_beats, std::isfinite(c.p_beats_uniform) ? " %.2f |" : " |",
                    c.p_beats_uniform);
    }
    std::snprintf(
        line, sizeof line, "| %.3g | %s | %.3f | %.3f |%s %s | %s | %s |%s %s |\n",
        c.capacity_C_m2 / kMah, FormatDesign(best.entry.design).c_str(), best.entry.capacity / kMah,
        best.at_objective.utilization, interval, u ? FormatDesign(u->entry.design).c_str() : "none",
        u ? FormatG(u->at_objective.utilization, 3).c_str() : "",
        u ? FormatG(c.gain_points, 3).c_str() : "", p_beats,
        !c.has_certificate ? "not polished" : (c.certified ? "converged" : "**not converged**"));
    md << line;
    const std::string band = "- capacity >= " + FormatG(c.capacity_C_m2 / kMah, 3) + ": ";
    if (c.has_certificate) notes += band + CertificateWords(c.certificate, active) + "\n";
    if (c.tie != TieReason::kNone) notes += band + TieWords(c, o) + "\n";
    if (c.has_robust_rival) notes += band + RobustWords(c) + "\n";
  }
  if (!notes.empty()) md << "\n" << notes;
  if (a.knee >= 0) {
    const FrontRow& knee = a.rows[static_cast<size_t>(a.knee)];
    md << "\n**Knee** of the front: " << FormatDesign(knee.entry.design) << ", "
       << FormatG(knee.entry.capacity / kMah, 4) << " mAh/cm2 at utilization "
       << FormatG(knee.at_objective.utilization, 4);
    if (a.knee_has_interval) {
      char range[80];
      std::snprintf(range, sizeof range, " (95%% interval %.3f-%.3f of a new measurement)",
                    a.knee_interval.low, a.knee_interval.high);
      md << range;
    }
    md << ".\n";
  }
  return md.str();
}

// The recommendation of a band: the pick, why it is not the optimum, and the best design per
// layer count (the last with one layer more than the search allowed).
void AddChoiceJson(const BandChoice& c, const SearchOptions& o, nlohmann::ordered_json* band) {
  auto& j = *band;
  j["recommended"] = FormatDesign(c.pick.entry.design);
  j["recommended_utilization"] = JsonNumber(c.pick.at_objective.utilization, 8);
  j["decision"] = c.tie == TieReason::kNone          ? "optimum"
                  : c.tie == TieReason::kWithinError ? "fewer_layers_within_numerical_error"
                                                     : "fewer_layers_not_convincingly_beaten";
  if (c.tie != TieReason::kNone) {
    j["rival"] = FormatDesign(c.rival.entry.design);
    j["rival_utilization"] = JsonNumber(c.rival.at_objective.utilization, 8);
    j["rival_gain_points"] = JsonNumber(c.rival_gain_points, 4);
    j["p_rival_beats"] = JsonNumber(c.p_rival_beats, 3);
    j["why"] = TieWords(c, o);
  }
  if (std::isfinite(c.pick_p05)) j["recommended_p05"] = JsonNumber(c.pick_p05, 6);
  if (c.has_robust_rival) {
    j["robust_rival"] = FormatDesign(c.robust_rival.entry.design);
    j["robust_rival_p05"] = JsonNumber(c.robust_rival_p05, 6);
    j["robust_why"] = RobustWords(c);
  }
  j["layer_counts"] = nlohmann::ordered_json::array();
  for (const auto& r : c.ladder) {
    nlohmann::ordered_json rung;
    rung["layers"] = r.layers;
    rung["design"] = FormatDesign(r.row.entry.design);
    rung["utilization"] = JsonNumber(r.row.at_objective.utilization, 8);
    rung["local_optimum"] = r.local_optimum;
    rung["beyond_search"] = r.beyond_space;
    j["layer_counts"].push_back(rung);
  }
  if (const LadderRow* more = OneMoreLayer(c)) {
    const FrontRow& optimum = c.tie == TieReason::kNone ? c.pick : c.rival;
    nlohmann::ordered_json m;
    m["layers"] = more->layers;
    m["design"] = FormatDesign(more->row.entry.design);
    m["utilization"] = JsonNumber(more->row.at_objective.utilization, 8);
    m["gain_points"] = JsonNumber(
        100 * (more->row.at_objective.utilization - optimum.at_objective.utilization), 4);
    m["gain_delivered_mAh_cm2"] = JsonNumber((more->row.at_objective.delivered_capacity_C_m2 -
                                              optimum.at_objective.delivered_capacity_C_m2) /
                                                 kMah,
                                             4);
    j["one_more_layer"] = m;
  }
}

}  // namespace edopt
