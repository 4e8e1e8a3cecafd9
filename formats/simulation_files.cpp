#include "formats/simulation_files.h"

#include <sstream>

#include "formats/output.h"
#include "models/units.h"

namespace edopt {

namespace {

constexpr double kMah = kC_m2_per_mAh_cm2;

}  // namespace

nlohmann::ordered_json SimulatedJson(const Simulated& s) {
  nlohmann::ordered_json j;
  j["design"] = FormatDesign(s.design);
  j["layer_count"] = s.design.layers.size();
  j["thickness_um"] = JsonNumber(s.summary.thickness_m * 1e6, 8);
  j["mean_active_weight_fraction"] = JsonNumber(s.summary.mean_active_weight_fraction, 8);
  j["volumetric_capacity_mAh_cm3"] = JsonNumber(s.summary.volumetric_capacity_C_m3 / 3.6e6, 8);
  j["results"] = nlohmann::ordered_json::array();
  for (size_t k = 0; k < s.results.size(); ++k) {
    const auto& r = s.results[k];
    nlohmann::ordered_json o;
    o["c_rate"] = JsonNumber(r.c_rate, 8);
    o["theoretical_capacity_mAh_cm2"] = JsonNumber(r.theoretical_capacity_C_m2 / kMah, 10);
    o["delivered_capacity_mAh_cm2"] = JsonNumber(r.delivered_capacity_C_m2 / kMah, 10);
    o["utilization"] = JsonNumber(r.utilization, 10);
    if (!s.intervals.empty()) {
      o["utilization_interval_95"] = {JsonNumber(s.intervals[k].low, 6),
                                      JsonNumber(s.intervals[k].high, 6)};
    }
    o["end_reason"] = ToString(r.end_reason);
    o["end_time_s"] = JsonNumber(r.end_time_s, 10);
    o["initial_voltage_V"] = JsonNumber(r.initial_voltage_V, 10);
    j["results"].push_back(o);
  }
  return j;
}

// One design: the object of the contract; several: the list under "designs".
std::string SimulationJson(const std::vector<Simulated>& all, const std::string& active) {
  if (all.size() == 1) return SimulatedJson(all[0]).dump(2) + "\n";
  nlohmann::ordered_json j;
  j["convention"] =
      active == "NG"
          ? "lithiation of the NG composite vs Li; utilization = delivered / theoretical"
          : "lithiation (discharge) of the " + active +
                " composite vs the counter electrode; utilization = delivered / practical";
  j["designs"] = nlohmann::ordered_json::array();
  for (const auto& s : all) j["designs"].push_back(SimulatedJson(s));
  return j.dump(2) + "\n";
}

std::string CurveCsv(const std::vector<Simulated>& all) {
  std::ostringstream curve;
  curve << "design,c_rate,time_s,capacity_mAh_cm2,voltage_V\n";
  for (const auto& s : all) {
    const std::string name = CsvQuote(FormatDesign(s.design));
    for (const auto& r : s.results) {
      for (const auto& p : r.curve) {
        curve << name << ',' << r.c_rate << ',' << FormatG(p.time_s, 10) << ','
              << FormatG(p.capacity_C_m2 / kMah, 10) << ',' << FormatG(p.voltage_V, 10) << '\n';
      }
    }
  }
  return curve.str();
}

std::string ProfileCsv(const std::vector<Simulated>& all) {
  std::ostringstream profile;
  profile << "design,c_rate,x_um,layer,mean_stoichiometry,surface_stoichiometry,reaction_current_"
             "A_cm3,electrolyte_potential_V\n";
  for (const auto& s : all) {
    const std::string name = CsvQuote(FormatDesign(s.design));
    for (const auto& r : s.results) {
      for (const auto& p : r.profile) {
        profile << name << ',' << r.c_rate << ',' << FormatG(p.x_m * 1e6, 8) << ',' << p.layer + 1
                << ',' << FormatG(p.mean_stoichiometry, 8) << ','
                << FormatG(p.surface_stoichiometry, 8) << ','
                << FormatG(p.reaction_current_A_m3 * 1e-6, 8) << ','
                << FormatG(p.electrolyte_potential_V, 8) << '\n';
      }
    }
  }
  return profile.str();
}

}  // namespace edopt
