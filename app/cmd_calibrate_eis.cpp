// edopt calibrate eis: impedance spectra -> TLM fits -> resistivity and composition law. Parses
// options, reads the spectra (formats/spectrum.h), calls CalibrateEis
// (models/eis_calibration.h) and writes the table or JSON, the fragment and the curves.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "app/cli.h"
#include "edopt_version.h"
#include "formats/calibration_files.h"
#include "formats/eis_measurements.h"
#include "formats/files.h"
#include "formats/fragment.h"
#include "formats/manifest.h"
#include "formats/rate_table.h"
#include "formats/spectrum.h"
#include "models/eis_calibration.h"
#include "models/errors.h"

namespace po = boost::program_options;
using Json = nlohmann::ordered_json;

namespace edopt {

namespace {

constexpr const char* kConvention =
    "per electrode: symmetric cell Z = i w L + R_HF + 2 Z_el(R_ion, Q, gamma)";

std::vector<double> Numbers(const std::vector<std::string>& raw, const std::string& what,
                            const ValueRange& range = Positive()) {
  std::vector<double> out;
  for (const auto& r : raw) {
    for (double v : ParsePositiveList(r, what, range)) out.push_back(v);
  }
  return out;
}

struct EisFlags {
  std::vector<std::string> files, thickness, active_wt, ng_wt, r_ion;
  std::string convention = "per-electrode", out_file, curves_prefix, lab_table;
  double area_cm2 = 0.0;
  bool json = false, single_tlm = false, ideal = false, unit_weights = false;
};

void AddEisOptions(po::options_description* d, EisFlags* f) {
  d->add_options()("file", po::value(&f->files)->composing(), "spectrum files")(
      "thickness-um", po::value(&f->thickness)->composing()->value_name("T"),
      "electrode thickness per file, um (repeatable or comma-separated)")(
      "area-cm2", po::value(&f->area_cm2)->value_name("A"), "electrode area, cm2")(
      "active-wt", po::value(&f->active_wt)->composing()->value_name("W"),
      "active-material (NG, NCM) weight fraction per file, or one for all (default "
      "transport.reference_active_weight_fraction)")(
      "ng-wt", po::value(&f->ng_wt)->composing()->value_name("W"),
      "deprecated name of --active-wt")(
      "out", po::value(&f->out_file)->value_name("F"),
      "write a scenario fragment (INI) to include through base =")(
      "json", po::bool_switch(&f->json), "print one JSON object")(
      "single-tlm", po::bool_switch(&f->single_tlm),
      "also report the single-TLM equivalent (R x 2, Q / 2)")(
      "ideal-capacitor", po::bool_switch(&f->ideal), "gamma fixed at 1")(
      "unit-weights", po::bool_switch(&f->unit_weights), "unweighted residuals (default: 1/|Z|)")(
      "r-ion-ohm", po::value(&f->r_ion)->composing()->value_name("R"),
      "instead of spectra: R_ion values fitted elsewhere, one per thickness")(
      "convention", po::value(&f->convention)->value_name("C"),
      "convention of --r-ion-ohm values: per-electrode (default) or single-tlm (a single TLM "
      "fitted to the symmetric cell: R = 2 R_ion, halved on import)")(
      "lab-table", po::value(&f->lab_table)->value_name("FILE"),
      "write the spectra as symmetric_cell rows of a lab table (CSV) for calibrate rates "
      "--posterior and plan --data")(
      "curves", po::value(&f->curves_prefix)->value_name("PREFIX"),
      "write PREFIX_spectra.csv (data, fit, Lin-KK residuals) and PREFIX_thickness.csv for "
      "scripts/plot_eis.py");
}

// The measurements the flags name: imported values, or every sweep of every file.
std::vector<EisMeasurement> Measurements(const EisFlags& f, const Scenario& scenario) {
  EisInputs in;
  in.files = f.files;
  in.imported_r_ion = Numbers(f.r_ion, "--r-ion-ohm");
  in.convention = f.convention;
  in.thickness_um = Numbers(f.thickness, "--thickness-um");
  if (!f.ng_wt.empty()) {
    if (!f.active_wt.empty())
      throw ConfigError("give --active-wt or its old name --ng-wt, not both");
    PrintWarnings({"--ng-wt is deprecated: it is now --active-wt (docs/formats.md §10)"});
  }
  in.active_wt =
      Numbers(f.ng_wt.empty() ? f.active_wt : f.ng_wt, f.ng_wt.empty() ? "--active-wt" : "--ng-wt");
  in.area_cm2 = f.area_cm2;
  std::vector<std::string> notes;
  auto out = EisMeasurements(in, scenario.cell, &notes);
  for (const auto& note : notes) std::cerr << "note: " << note << "\n";
  return out;
}

std::string EisTable(const EisCalibration& c, bool single_tlm) {
  std::ostringstream os;
  char line[512];
  os << "# convention: R_ion and Q " << kConvention << "\n";
  std::snprintf(line, sizeof line, "%-28s %8s %6s %16s %9s %10s %6s %10s %8s\n", "spectrum", "L_um",
                "NG", "R_ion_ohm", "R_HF_ohm", "Q", "gamma", "chi2/dof", "KK_rms");
  os << line;
  for (const auto& e : c.entries) {
    const auto& p = e.fit.parameters;
    std::snprintf(
        line, sizeof line, "%-28s %8.4g %6.3g %9.4g+-%-6.2g %9.4g %10.4g %6.3f %10.3g %7.2g%%\n",
        e.measurement.spectrum.name.c_str(), e.measurement.thickness_m * 1e6,
        e.measurement.active_weight_fraction, p.r_ion_ohm, e.fit.standard_errors.r_ion_ohm,
        p.r_hf_ohm, p.q, p.gamma, e.fit.chi2_per_dof, 100 * e.kk.residual_rms);
    os << line;
    if (single_tlm) {
      const auto s = ToSingleTlm(p);
      std::snprintf(line, sizeof line, "%-28s single-TLM equivalent: R = %.4g ohm, Q = %.4g\n", "",
                    s.r_ion_ohm, s.q);
      os << line;
    }
  }
  for (const auto& [w, t] : c.thickness_fits) {
    std::snprintf(line, sizeof line,
                  "thickness fit, NG %.3g: resistivity %.4g ohm m (95%% CI %.4g..%.4g), "
                  "kappa_eff %.4g S/m = %.4g S/cm, R_0 %.4g ohm (95%% CI %.4g..%.4g), "
                  "R^2 %.4f; %s\n",
                  w, t.resistivity_ohm_m, t.resistivity_ci95_ohm_m[0], t.resistivity_ci95_ohm_m[1],
                  t.kappa_eff_S_m, t.kappa_eff_S_m / 100, t.intercept_ohm, t.intercept_ci95_ohm[0],
                  t.intercept_ci95_ohm[1], t.r_squared, t.note.c_str());
    os << line;
  }
  os << "composition law: " << c.law.note;
  if (c.law.percolation_fitted || c.law.exponent_fitted) {
    os << " -> threshold " << FormatG(c.law.percolation_threshold, 4) << ", exponent "
       << FormatG(c.law.percolation_exponent, 4) << " (power law exponent "
       << FormatG(c.law.power_law_exponent, 4) << ")";
  }
  return os.str() + "\n";
}

std::string EisIni(const EisCalibration& c, const EisFlags& f, const CommonOptions& common) {
  const ThicknessFit& ref = c.reference();
  const double ref_w = c.reference_active_weight_fraction;
  ScenarioFragment fragment;
  std::ostringstream header;
  header << "edopt calibrate eis (edopt " << EDOPT_VERSION << ", " << TodayUtc() << ")\n"
         << c.entries.size() << " spectra, TLM with " << (f.ideal ? "an ideal capacitor" : "a CPE")
         << ", R_ion " << kConvention << "\n";
  for (const auto& e : c.entries) {
    header << "  " << e.measurement.spectrum.name << ": "
           << FormatG(e.measurement.thickness_m * 1e6, 4) << " um, NG "
           << FormatG(e.measurement.active_weight_fraction, 3) << ", R_ion "
           << FormatG(e.fit.parameters.r_ion_ohm, 5) << " ohm, gamma "
           << FormatG(e.fit.parameters.gamma, 3) << "\n";
  }
  header << "thickness fit at NG " << FormatG(ref_w, 3) << ": " << ref.note << "; R_0 "
         << FormatG(ref.intercept_ohm, 4) << " ohm; area " << FormatG(f.area_cm2, 4) << " cm2\n"
         << "measured at test.reference_temperature_C";
  fragment.header = header.str();
  fragment.base = FragmentBase(common);
  fragment.lines = {
      {"transport", "reference_resistivity_ohm_m", FormatG(ref.resistivity_ohm_m, 6), ""},
      {"transport", "reference_active_weight_fraction", FormatG(ref_w, 6), ""},
      {"transport", "", "", "composition law: " + c.law.note}};
  if (c.law.percolation_fitted || c.law.exponent_fitted) {
    fragment.lines.push_back({"transport", "conductivity_law", "percolation", ""});
    fragment.lines.push_back(
        {"transport", "percolation_threshold", FormatG(c.law.percolation_threshold, 6), ""});
    fragment.lines.push_back(
        {"transport", "percolation_exponent", FormatG(c.law.percolation_exponent, 6), ""});
  }
  return FormatFragment(fragment);
}

std::string EisSpectraCsv(const EisCalibration& c) {
  std::ostringstream os;
  os << "spectrum,thickness_um,frequency_Hz,z_real_ohm,z_imag_ohm,fit_real_ohm,fit_imag_"
        "ohm,kk_residual_real,kk_residual_imag\n";
  for (const auto& e : c.entries) {
    const Spectrum& s = e.measurement.spectrum;
    for (size_t k = 0; k < s.frequency_Hz.size(); ++k) {
      os << CsvQuote(s.name) << ',' << FormatG(e.measurement.thickness_m * 1e6, 6) << ','
         << FormatG(s.frequency_Hz[k], 8) << ',' << FormatG(s.impedance_ohm[k].real(), 8) << ','
         << FormatG(s.impedance_ohm[k].imag(), 8) << ',' << FormatG(e.fit.fitted_ohm[k].real(), 8)
         << ',' << FormatG(e.fit.fitted_ohm[k].imag(), 8) << ','
         << FormatG(e.kk.residual_real[k], 6) << ',' << FormatG(e.kk.residual_imag[k], 6) << '\n';
    }
  }
  return os.str();
}

std::string EisThicknessCsv(const EisCalibration& c) {
  std::ostringstream os;
  os << "spectrum,active_wt_fraction,thickness_um,r_ion_ohm,r_ion_se_ohm,fit_slope_ohm_per_um,"
        "fit_intercept_ohm\n";
  for (const auto& e : c.entries) {
    const auto& t = c.thickness_fits.at(e.measurement.active_weight_fraction);
    os << CsvQuote(e.measurement.spectrum.name) << ','
       << FormatG(e.measurement.active_weight_fraction, 4) << ','
       << FormatG(e.measurement.thickness_m * 1e6, 6) << ','
       << FormatG(e.fit.parameters.r_ion_ohm, 8) << ','
       << FormatG(e.fit.standard_errors.r_ion_ohm, 4) << ',' << FormatG(t.slope_ohm_per_m * 1e-6, 8)
       << ',' << FormatG(t.intercept_ohm, 8) << '\n';
  }
  return os.str();
}

// Every fitted spectrum as a symmetric cell of a lab table (at the reference temperature:
// edopt's calibration convention).
LabTable LabRows(const EisCalibration& c, const EisFlags& f) {
  LabTable table;
  for (const auto& e : c.entries) {
    SymmetricCellPoint p;
    p.design.layers.push_back({e.measurement.active_weight_fraction, e.measurement.thickness_m});
    p.r_ion_ohm = e.fit.parameters.r_ion_ohm;
    const double se = e.fit.standard_errors.r_ion_ohm;
    p.r_ion_se_ohm = std::isfinite(se) && se > 0 ? se : 0.0;
    p.area_m2 = f.area_cm2 * 1e-4;
    table.symmetric_cells.push_back(p);
  }
  return table;
}

}  // namespace

int RunCalibrateEis(const std::vector<std::string>& args) {
  CommonOptions common;
  EisFlags f;
  po::options_description description(
      "edopt calibrate eis FILE... --thickness-um T... --area-cm2 A [--active-wt W...] [--out F] "
      "[--json]\n"
      "Fits the transmission-line model to composite symmetric-cell spectra (CSV, Gamry .DTA,\n"
      "BioLogic .mpt, ZView .z), regresses R_ion against thickness and, with several\n"
      "compositions, fits the composition law. R_ion and Q are PER ELECTRODE.");
  AddCommonOptions(&description, &common);
  AddEisOptions(&description, &f);
  po::positional_options_description positional;
  positional.add("file", -1);
  po::variables_map vm;
  if (!ParseCommand(args, description, &positional, &vm, common.help)) return kExitOk;
  const Scenario scenario = LoadScenario(common);
  EisCalibrationOptions options;
  options.fit.ideal_capacitor = f.ideal;
  options.fit.weighting = f.unit_weights ? Weighting::kUnit : Weighting::kModulus;
  options.area_m2 = f.area_cm2 * 1e-4;
  if (!f.out_file.empty()) {
    CheckOutputFile(f.out_file, "--out");
    CheckFragmentValue(FragmentBase(common), "base");  // the fragment names it: before the fit
  }
  if (!f.curves_prefix.empty()) CheckOutputFile(f.curves_prefix + "_spectra.csv", "--curves");
  if (!f.lab_table.empty()) CheckOutputFile(f.lab_table, "--lab-table");
  const std::string curves = f.curves_prefix;
  CheckDistinctOutputs({{"--out", f.out_file},
                        {"--lab-table", f.lab_table},
                        {"--curves (spectra)", curves.empty() ? "" : curves + "_spectra.csv"},
                        {"--curves (thickness)", curves.empty() ? "" : curves + "_thickness.csv"}});
  const EisCalibration c = CalibrateEis(Measurements(f, scenario), scenario.cell, options);
  PrintWarnings(c.warnings);
  std::vector<NamedText> outputs;
  if (!f.out_file.empty()) outputs.emplace_back(f.out_file, EisIni(c, f, common));
  if (!f.lab_table.empty()) outputs.emplace_back(f.lab_table, FormatLabTable(LabRows(c, f)));
  if (!f.curves_prefix.empty()) {
    outputs.emplace_back(f.curves_prefix + "_spectra.csv", EisSpectraCsv(c));
    outputs.emplace_back(f.curves_prefix + "_thickness.csv", EisThicknessCsv(c));
  }
  PublishFiles(outputs, &scenario);
  for (const auto& [path, text] : outputs) std::cerr << "wrote " << path << "\n";
  std::cout << (f.json ? WithManifestJson(EisJson(c, f.area_cm2, f.single_tlm), &scenario, outputs)
                       : EisTable(c, f.single_tlm));
  return kExitOk;
}

}  // namespace edopt
