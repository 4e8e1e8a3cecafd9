#include "formats/calibration_files.h"

#include <algorithm>
#include <limits>
#include <nlohmann/json.hpp>

#include "formats/output.h"
#include "models/catalogue.h"
#include "models/design.h"
#include "models/materials.h"

namespace edopt {

namespace {

using Json = nlohmann::ordered_json;

double J(double v) { return JsonNumber(v, 8); }

double Correlation(const TlmFit& fit, const std::string& a, const std::string& b) {
  const auto& n = fit.fitted_names;
  const auto i = std::find(n.begin(), n.end(), a) - n.begin();
  const auto j = std::find(n.begin(), n.end(), b) - n.begin();
  if (i == static_cast<long>(n.size()) || j == static_cast<long>(n.size()))
    return std::numeric_limits<double>::quiet_NaN();  // imported values: no fit
  return fit.correlation(i, j);
}

Json EntryJson(const EisEntry& e, bool single_tlm) {
  const auto& p = e.fit.parameters;
  const auto& se = e.fit.standard_errors;
  Json j;
  j["file"] = e.measurement.source;
  j["sweep"] = e.measurement.spectrum.name;
  j["format"] = e.measurement.format;
  j["thickness_um"] = J(e.measurement.thickness_m * 1e6);
  j["active_wt_fraction"] = J(e.measurement.active_weight_fraction);
  j["r_ion_ohm"] = J(p.r_ion_ohm);
  j["r_ion_se_ohm"] = J(se.r_ion_ohm);
  j["r_hf_ohm"] = J(p.r_hf_ohm);
  j["inductance_H"] = J(p.inductance_H);
  j["q"] = J(p.q);
  j["q_se"] = J(se.q);
  j["gamma"] = J(p.gamma);
  j["gamma_se"] = J(se.gamma);
  j["fit"] = e.measurement.imported() ? "imported" : e.fit.summary.BriefReport();
  j["chi2_per_dof"] = J(e.fit.chi2_per_dof);
  j["kk_residual_rms"] = J(e.kk.residual_rms);
  j["corr_log_r_ion_log_q"] = J(Correlation(e.fit, "log_r_ion", "log_q"));
  if (single_tlm) {
    const auto s = ToSingleTlm(p);
    j["single_tlm_r_ohm"] = J(s.r_ion_ohm);
    j["single_tlm_q"] = J(s.q);
  }
  j["flags"] = e.flags;
  return j;
}

Json PosteriorJson(const RatePosterior& post) {
  Json j;
  j["summary"] = SummaryJson(post.summary);
  j["acceptance"] = J(post.chain.acceptance);
  j["draws"] = post.draws.size();
  j["parameters"] = Json::object();
  for (size_t i = 0; i < post.names.size(); ++i) {
    Json p;
    p["mean"] = J(post.mean[i]);
    p["median"] = J(post.q500[i]);
    p["interval_95"] = {J(post.q025[i]), J(post.q975[i])};
    p["map"] = J(post.map[i]);
    p["r_hat"] = J(post.chain.r_hat[i]);
    p["ess"] = J(post.chain.ess[i]);
    p["rank_r_hat"] = J(post.chain.rank_r_hat[i]);
    p["ess_bulk"] = J(post.chain.ess_bulk[i]);
    p["ess_tail"] = J(post.chain.ess_tail[i]);
    if (i < post.lower_edge_share.size()) {
      p["share_at_lower_edge"] = J(post.lower_edge_share[i]);
      p["share_at_upper_edge"] = J(post.upper_edge_share[i]);
    }
    p["autocorrelation_time"] = J(post.chain.autocorrelation_time[i]);
    j["parameters"][post.names[i]] = p;
  }
  j["correlation"] = Json::array();
  for (long r = 0; r < post.chain.correlation.rows(); ++r) {
    Json row = Json::array();
    for (long c = 0; c < post.chain.correlation.cols(); ++c)
      row.push_back(J(post.chain.correlation(r, c)));
    j["correlation"].push_back(row);
  }
  return j;
}

}  // namespace

std::string EisJson(const EisCalibration& c, double area_cm2, bool single_tlm) {
  Json j;
  j["convention"] = "per-electrode";
  j["area_cm2"] = J(area_cm2);
  j["spectra"] = Json::array();
  for (const auto& e : c.entries) j["spectra"].push_back(EntryJson(e, single_tlm));
  const ThicknessFit& ref = c.reference();
  Json t;
  t["active_wt_fraction"] = J(c.reference_active_weight_fraction);
  t["resistivity_ohm_m"] = J(ref.resistivity_ohm_m);
  t["resistivity_se_ohm_m"] = J(ref.resistivity_se_ohm_m);
  t["resistivity_ci95_ohm_m"] = {J(ref.resistivity_ci95_ohm_m[0]),
                                 J(ref.resistivity_ci95_ohm_m[1])};
  t["kappa_eff_S_m"] = J(ref.kappa_eff_S_m);
  t["intercept_ohm"] = J(ref.intercept_ohm);
  t["intercept_ci95_ohm"] = {J(ref.intercept_ci95_ohm[0]), J(ref.intercept_ci95_ohm[1])};
  t["r_squared"] = J(ref.r_squared);
  t["points"] = ref.points;
  t["note"] = ref.note;
  j["thickness_fit"] = t;
  Json law;
  law["compositions"] = c.law.compositions;
  law["percolation_fitted"] = c.law.percolation_fitted;
  law["exponent_fitted"] = c.law.exponent_fitted;
  law["percolation_threshold"] = J(c.law.percolation_threshold);
  law["percolation_exponent"] = J(c.law.percolation_exponent);
  law["power_law_exponent"] = J(c.law.power_law_exponent);
  law["note"] = c.law.note;
  j["composition_law"] = law;
  j["summary"] = SummaryJson(c.summary);
  return j.dump(2) + "\n";
}

std::string RatesJson(const RateFitResult& fit, const std::vector<RatePoint>& points,
                      double seconds, const CrossValidation* cv, const RatePosterior* post,
                      const PosteriorCrossValidation* pcv) {
  Json j;
  if (post != nullptr) j["posterior"] = PosteriorJson(*post);
  if (pcv != nullptr) {
    j["loo_inside_95"] = pcv->inside;
    j["loo_coverage"] = J(static_cast<double>(pcv->inside) / static_cast<double>(points.size()));
  }
  j["rms_pp"] = J(fit.rms_pp);
  j["initial_rms_pp"] = J(fit.initial_rms_pp);
  j["evaluations"] = fit.evaluations;
  j["seconds"] = J(seconds);
  j["optimized"] = fit.optimized;
  j["at_bound"] = fit.at_bound;
  j["terminations"] = fit.terminations;
  j["summary"] = SummaryJson(fit.summary);
  if (cv != nullptr) {
    j["loo_rms_pp"] = J(cv->loo_rms_pp);
    j["aic"] = J(cv->aic);
    j["bic"] = J(cv->bic);
    j["parameters_at_bound"] = cv->parameters_at_bound;
  }
  j["parameters"] = Json::object();
  for (size_t i = 0; i < fit.free.size(); ++i) {
    Json p;
    p["initial"] = J(fit.initial[i]);
    p["fitted"] = J(fit.fitted[i]);
    p["standard_error"] = J(fit.standard_errors[i]);
    p["lower"] = J(fit.free[i].lower);
    p["upper"] = J(fit.free[i].upper);
    const Prior& prior =
        MaterialPriorOr(fit.free[i].key, fit.parameters, FindCellParameter(fit.free[i].key)->prior);
    p["prior"] = prior.Describe();
    p["inside_prior"] = prior.Admits(fit.fitted[i]);
    j["parameters"][fit.free[i].key] = p;
  }
  j["points"] = Json::array();
  for (size_t i = 0; i < points.size(); ++i) {
    Json p;
    p["origin"] = points[i].origin;
    p["design"] = FormatDesign(points[i].design);
    p["c_rate"] = J(points[i].c_rate);
    p["measured"] = J(points[i].measured_utilization);
    p["initial_predicted"] = J(fit.initial_predicted[i]);
    p["predicted"] = J(fit.predicted[i]);
    p["residual_pp"] = J(100 * (fit.predicted[i] - points[i].measured_utilization));
    if (cv != nullptr) p["loo_prediction"] = J(cv->loo_prediction[i]);
    if (pcv != nullptr) p["loo_interval_95"] = {J(pcv->interval[i].low), J(pcv->interval[i].high)};
    j["points"].push_back(p);
  }
  return j.dump(2) + "\n";
}

}  // namespace edopt
