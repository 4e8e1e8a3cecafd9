// The Python door to edopt (docs/python.md): pybind11 bindings of the libraries, not of the
// command line. Long calls release the GIL; optimize checks for Ctrl-C at every progress step
// (KeyboardInterrupt, nothing written); C++ errors become edopt.ConfigError, edopt.DataError
// and edopt.NumericalFailure with the CLI's messages. The pandas layer is python/edopt/
// __init__.py: this module returns plain objects (JSON text, lists, numpy arrays).
#include <locale.h>
#include <pybind11/functional.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <chrono>
#include <tuple>

#include "edopt_version.h"
#include "formats/calibration_files.h"
#include "formats/cycler.h"
#include "formats/eis_measurements.h"
#include "formats/files.h"
#include "formats/manifest.h"
#include "formats/optimization_files.h"
#include "formats/output.h"
#include "formats/posterior_file.h"
#include "formats/pybamm_export.h"
#include "formats/rate_table.h"
#include "formats/scenario.h"
#include "formats/simulation_files.h"
#include "formats/spectrum.h"
#include "models/catalogue.h"
#include "models/errors.h"
#include "models/recipe.h"
#include "models/units.h"
#include "optimizer/design_space.h"
#include "optimizer/evaluator.h"
#include "optimizer/front_analysis.h"
#include "optimizer/rate_calibration.h"
#include "optimizer/rate_posterior.h"
#include "optimizer/simulation.h"

namespace py = pybind11;

namespace edopt {
namespace {

// The "C" locale for the calling thread during a call that reads or writes text: a notebook may
// have set a German LC_NUMERIC (locale.setlocale), and printf would then write decimal commas
// into comma-separated files. The numbers of models/ (FormatG, TryParseNumber) are
// locale-independent anyway; this covers the renderers' printf formats.
class CLocaleScope {
 public:
  CLocaleScope() : c_(newlocale(LC_ALL_MASK, "C", static_cast<locale_t>(nullptr))) {
    if (c_ != static_cast<locale_t>(nullptr)) old_ = uselocale(c_);
  }
  ~CLocaleScope() {
    if (c_ == static_cast<locale_t>(nullptr)) return;
    uselocale(old_);
    freelocale(c_);
  }
  CLocaleScope(const CLocaleScope&) = delete;
  CLocaleScope& operator=(const CLocaleScope&) = delete;

 private:
  locale_t c_;
  locale_t old_ = static_cast<locale_t>(nullptr);
};

// A scenario as Python holds it: the raw keys (file, base chain, set() overrides) and the
// resolved scenario, rebuilt and validated at every set().
class PyScenario {
 public:
  explicit PyScenario(const std::string& path) : path_(path) {
    CLocaleScope c_locale;
    raw_ = path.empty()
               ? ReadScenarioText(BuiltinScenarioText(), "built-in seed-kim-ng-lps.ini", ".")
               : ReadScenarioFile(path);
    Rebuild();
  }
  // What pickling keeps (RawItems) back into a scenario: the same raw keys, rebuilt.
  using RawItem = std::tuple<std::string, std::string, std::string, bool, std::string>;
  PyScenario(const std::string& path, const std::vector<RawItem>& items) : path_(path) {
    CLocaleScope c_locale;
    for (const auto& [key, value, origin, override, old_name] : items)
      raw_[key] = {value, origin, override, old_name};
    Rebuild();
  }
  std::vector<RawItem> RawItems() const {
    std::vector<RawItem> items;
    for (const auto& [key, v] : raw_)
      items.emplace_back(key, v.value, v.origin, v.override, v.old_name);
    return items;
  }
  const std::string& path() const { return path_; }
  void Set(const std::string& key, const std::string& value) { SetMany({{key, value}}); }
  // Several keys at once, validated together (a space's bounds may only fit once all are set).
  void SetMany(const std::vector<std::pair<std::string, std::string>>& values) {
    CLocaleScope c_locale;
    RawScenario raw = raw_;
    std::vector<std::string> texts, origins;
    for (const auto& [key, value] : values) {
      texts.push_back(key + "=" + value);
      origins.push_back("set(" + key + ")");
    }
    ApplyOverrides(texts, &raw, origins);
    std::swap(raw, raw_);
    try {
      Rebuild();
    } catch (...) {
      std::swap(raw, raw_);  // a rejected value leaves the scenario as it was
      throw;
    }
  }
  std::string Get(const std::string& given) const {
    CLocaleScope c_locale;
    const std::string key = CurrentKeyName(given);
    for (const auto& k : ScenarioKeys()) {
      if (k.key == key) return k.get(scenario_);
    }
    throw ConfigError("unknown key '" + key + "'; did you mean '" + SuggestKey(key) + "'?");
  }
  const Scenario& scenario() const { return scenario_; }

 private:
  void Rebuild() {
    scenario_ = LoadScenarioFromRaw(raw_, path_.empty() ? "seed-kim-ng-lps.ini" : path_);
    if (path_.empty()) scenario_.source = "built-in";
  }
  std::string path_;
  RawScenario raw_;
  Scenario scenario_;
};

const char* KindName(ValueKind kind) {
  switch (kind) {
    case ValueKind::kNumber:
      return "number";
    case ValueKind::kInteger:
      return "integer";
    case ValueKind::kBoolean:
      return "boolean";
    case ValueKind::kChoice:
      return "choice";
    case ValueKind::kText:
      return "text";
    case ValueKind::kNumberList:
      return "number_list";
    case ValueKind::kDesignList:
      return "design_list";
  }
  return "text";
}

py::list Keys() {
  CLocaleScope c_locale;
  py::list out;
  for (const auto& k : ScenarioKeys()) {
    py::dict d;
    d["key"] = k.key;
    d["unit"] = k.unit;
    d["doc"] = k.doc;
    d["range"] =
        k.kind == ValueKind::kNumber || k.kind == ValueKind::kInteger ? k.range.Describe() : "";
    d["choices"] = k.choices;
    d["prior"] = k.prior.kind == PriorKind::kNone ? "" : k.prior.Describe();
    d["fittable"] = k.fit.fittable;
    d["kind"] = KindName(k.kind);
    out.append(d);
  }
  return out;
}

// Ctrl-C: with the GIL, let Python run its signal handlers; a raised KeyboardInterrupt
// unwinds the C++ call (nothing has been written) and reaches the caller.
void CheckSignals() {
  py::gil_scoped_acquire gil;
  if (PyErr_CheckSignals() != 0) throw py::error_already_set();
}

// A long call's progress: Ctrl-C checked (KeyboardInterrupt unwinds the call, nothing written)
// and, when given, progress({"phase", "done", "total"}) called, both with the GIL.
std::function<void(const char*, int, int)> Reporter(py::object progress) {
  return [progress](const char* phase, int done, int total) {
    CheckSignals();
    if (progress.is_none()) return;
    py::gil_scoped_acquire gil;
    py::dict d;
    d["phase"] = phase;
    d["done"] = done;
    d["total"] = total;
    progress(d);
  };
}

std::vector<std::string> Simulate(const PyScenario& sc, const std::vector<std::string>& designs,
                                  std::vector<double> rates, bool curves, py::list* curve_data,
                                  py::list* warnings) {
  CLocaleScope c_locale;
  std::vector<Design> parsed;
  for (const auto& d : designs) parsed.push_back(ParseDesign(d));
  if (rates.empty()) rates = sc.scenario().c_rates;
  SimulationRun run;
  {
    py::gil_scoped_release release;
    run = SimulateDesigns(sc.scenario().cell, sc.scenario().posterior, parsed, rates, curves);
  }
  for (const auto& w : run.warnings) warnings->append(w);
  std::vector<std::string> out;
  for (const auto& s : run.designs) {
    out.push_back(SimulatedJson(s).dump());
    if (!curves) continue;
    for (const auto& r : s.results) {
      std::vector<double> t, q, v;
      for (const auto& p : r.curve) {
        t.push_back(p.time_s);
        q.push_back(p.capacity_C_m2 / kC_m2_per_mAh_cm2);
        v.push_back(p.voltage_V);
      }
      curve_data->append(py::make_tuple(t, q, v));
    }
  }
  return out;
}

// Rows of X: active fractions of L layers then their thicknesses (um) (EvaluateRows). Returns
// (n, 3): capacity mAh/cm2, utilization, delivered mAh/cm2; NaN for a design outside the model's
// validity or a numerical failure.
py::array_t<double> Evaluate(const PyScenario& sc,
                             py::array_t<double, py::array::c_style | py::array::forcecast> x,
                             double rate, int threads) {
  if (x.ndim() != 2 || x.shape(1) < 2 || x.shape(1) % 2 != 0) {
    throw ConfigError(
        "evaluate: X must be 2-D with 2 L columns (L active fractions, L thicknesses in um)");
  }
  const size_t n = static_cast<size_t>(x.shape(0)), layers = static_cast<size_t>(x.shape(1) / 2);
  const CellModel model(sc.scenario().cell);
  // Every layer holds the carbon of the scenario's design space, as in the search.
  const double carbon = sc.scenario().design_space.carbon_weight_fraction;
  std::vector<Evaluation> results;
  {
    py::gil_scoped_release release;
    results = EvaluateRows(model, x.data(), n, layers, carbon, rate, threads);
  }
  py::array_t<double> out({n, size_t{3}});
  auto o = out.mutable_unchecked<2>();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (size_t i = 0; i < n; ++i) {
    const Evaluation& e = results[i];
    o(i, 0) = e.failed ? nan : e.theoretical_capacity_C_m2 / kC_m2_per_mAh_cm2;
    o(i, 1) = e.failed ? nan : e.utilization;
    o(i, 2) = e.failed ? nan : e.delivered_capacity_C_m2 / kC_m2_per_mAh_cm2;
  }
  return out;
}

struct PyOptimization {
  OptimizationRun run;
  Scenario scenario;
  OptimizationOutputs outputs;
  // What its manifest names as the command and its start (the CLI's command line and start).
  std::vector<std::string> call;
  std::chrono::system_clock::time_point started;
};

// A keyword argument as C++ wants it: ConfigError naming it (the CLI's exit 2), not pybind11's
// RuntimeError, when it is not one.
template <class T>
T Argument(const py::object& value, const char* name, const char* expected) {
  try {
    if (py::isinstance<py::bool_>(value)) throw py::cast_error();  // True is no count
    return value.cast<T>();
  } catch (const py::cast_error&) {
    throw ConfigError(std::string(name) + " = " + std::string(py::str(py::repr(value))) +
                      "; expected " + expected);
  }
}

PyOptimization PyOptimize(const PyScenario& sc, py::object evaluations, py::object seed,
                          py::object max_layers, py::object threads, py::object progress) {
  CLocaleScope c_locale;
  Scenario s = sc.scenario();
  PyOptimization out;
  out.started = std::chrono::system_clock::now();
  out.call = {"python: edopt.optimize", "scenario=" + s.source};
  if (!evaluations.is_none()) {
    s.search.evaluations = Argument<int>(evaluations, "evaluations", "an integer");
    out.call.push_back("evaluations=" + std::to_string(s.search.evaluations));
  }
  if (!seed.is_none()) {
    s.search.seed = Argument<unsigned long long>(seed, "seed", "an integer >= 0");
    out.call.push_back("seed=" + std::to_string(s.search.seed));
  }
  if (!max_layers.is_none()) {
    s.design_space.max_layers = Argument<int>(max_layers, "max_layers", "an integer");
    out.call.push_back("max_layers=" + std::to_string(s.design_space.max_layers));
  }
  if (!threads.is_none()) {
    s.search.threads = Argument<int>(threads, "threads", "an integer");
    out.call.push_back("threads=" + std::to_string(s.search.threads));
  }
  s.design_space.Validate();
  s.search.Validate();
  {
    py::gil_scoped_release release;
    auto report = [&](const SearchProgress& p) {
      CheckSignals();
      if (progress.is_none()) return;
      py::gil_scoped_acquire gil;
      py::dict d;
      d["layers"] = p.layer_count;
      d["phase"] = p.phase;
      d["evaluations"] = p.evaluations;
      d["budget"] = p.budget;
      progress(d);
    };
    out.run = RunOptimization(s.cell, s.design_space, s.search, s.objective_c_rate,
                              s.reference_designs, report, s.posterior);
  }
  out.scenario = s;
  out.outputs = RenderOptimization(out.run, s);
  return out;
}

py::list FrontRows(const PyOptimization& o) {
  py::list rows;
  for (const auto& r : o.run.analysis.rows) {
    py::dict d;
    d["design"] = FormatDesign(r.entry.design);
    d["layers"] = r.entry.design.layers.size();
    d["capacity_mAh_cm2"] = r.entry.capacity / kC_m2_per_mAh_cm2;
    d["utilization"] = r.at_objective.utilization;
    d["utilization_0p1C"] = r.utilization_0p1C;
    d["delivered_capacity_mAh_cm2"] = r.at_objective.delivered_capacity_C_m2 / kC_m2_per_mAh_cm2;
    d["thickness_um"] = r.summary.thickness_m * 1e6;
    d["mean_active_weight_fraction"] = r.summary.mean_active_weight_fraction;
    d["source"] = r.entry.provenance;
    rows.append(d);
  }
  return rows;
}

std::string CalibrateEisJson(const PyScenario& sc, const std::vector<std::string>& paths,
                             std::vector<double> thickness_um, std::vector<double> active_wt,
                             double area_cm2, bool ideal, py::object progress, py::list* notes,
                             py::list* warnings) {
  CLocaleScope c_locale;
  EisInputs in;
  in.files = paths;
  in.thickness_um = std::move(thickness_um);
  in.active_wt = std::move(active_wt);
  in.area_cm2 = area_cm2;
  std::vector<std::string> reader_notes;
  const std::vector<EisMeasurement> measurements =
      EisMeasurements(in, sc.scenario().cell, &reader_notes);
  for (const auto& n : reader_notes) notes->append(n);
  EisCalibrationOptions options;
  options.fit.ideal_capacitor = ideal;
  options.area_m2 = area_cm2 * 1e-4;
  const auto report = Reporter(progress);
  options.progress = [&report](int done, int total) { report("spectra", done, total); };
  EisCalibration c;
  {
    py::gil_scoped_release release;
    c = CalibrateEis(measurements, sc.scenario().cell, options);
  }
  for (const auto& w : c.warnings) warnings->append(w);
  return EisJson(c, area_cm2, false);
}

// The recipe's JSON object (formats/output.h RecipeJson), its warnings beside it.
std::string RecipeText(const PyScenario& sc, const std::string& design_text, py::object area_cm2,
                       double batch_mg, py::list* warnings) {
  CLocaleScope c_locale;
  const Design design = ParseDesign(design_text);
  double area_m2 = sc.scenario().pellet_area_m2;
  if (!area_cm2.is_none())
    area_m2 = CheckSetting("area_cm2", area_cm2.cast<double>(), kAreaRange_cm2) * 1e-4;
  CheckSetting("batch_mg", batch_mg, {0.0, 1e6, true, false});  // at most a kilogram
  const Recipe recipe = MakeRecipe(sc.scenario().cell.materials, sc.scenario().cell.packing, design,
                                   area_m2, batch_mg * 1e-6);
  for (const auto& w : recipe.summary.warnings) warnings->append(w);
  return RecipeJson(recipe, design).dump();
}

// Flat arrays (one entry per point) and the sweeps' names: cheap for files of many sweeps.
py::dict ReadSpectrum(const std::string& path) {
  CLocaleScope c_locale;
  const SpectrumFile file = ReadSpectrumFile(path);
  size_t n = 0;
  for (const auto& s : file.sweeps) n += s.frequency_Hz.size();
  py::array_t<int> sweep(static_cast<py::ssize_t>(n));
  py::array_t<double> f(static_cast<py::ssize_t>(n)), re(static_cast<py::ssize_t>(n)),
      im(static_cast<py::ssize_t>(n));
  auto ps = sweep.mutable_unchecked<1>();
  auto pf = f.mutable_unchecked<1>(), pre = re.mutable_unchecked<1>(),
       pim = im.mutable_unchecked<1>();
  std::vector<std::string> names;
  py::ssize_t i = 0;
  for (size_t k = 0; k < file.sweeps.size(); ++k) {
    const auto& s = file.sweeps[k];
    names.push_back(s.name);
    for (size_t p = 0; p < s.frequency_Hz.size(); ++p, ++i) {
      ps(i) = static_cast<int>(k);
      pf(i) = s.frequency_Hz[p];
      pre(i) = s.impedance_ohm[p].real();
      pim(i) = s.impedance_ohm[p].imag();
    }
  }
  py::dict d;
  d["format"] = ToString(file.format);
  d["notes"] = file.notes;
  d["names"] = names;
  d["sweep"] = sweep;
  d["frequency_Hz"] = f;
  d["z_real_ohm"] = re;
  d["z_imag_ohm"] = im;
  return d;
}

// A cycler export's records (issue 37): arrays of time, current (negative = lithiation),
// voltage, step, cycle and line, the layout and the reader's notes.
py::dict ReadCycler(const std::string& path) {
  CLocaleScope c_locale;
  const CyclerFile file = ReadCyclerFile(path);
  const auto n = static_cast<py::ssize_t>(file.records.size());
  py::array_t<double> t(n), i(n), v(n);
  py::array_t<long> step(n), cycle(n);
  py::array_t<int> line(n);
  auto pt = t.mutable_unchecked<1>(), pi = i.mutable_unchecked<1>(), pv = v.mutable_unchecked<1>();
  auto ps = step.mutable_unchecked<1>(), pc = cycle.mutable_unchecked<1>();
  auto pl = line.mutable_unchecked<1>();
  for (py::ssize_t k = 0; k < n; ++k) {
    const auto& r = file.records[static_cast<size_t>(k)];
    pt(k) = r.time_s;
    pi(k) = r.current_A;
    pv(k) = r.voltage_V;
    ps(k) = r.step;
    pc(k) = r.cycle;
    pl(k) = r.line;
  }
  py::dict d;
  d["layout"] = ToString(file.layout);
  d["notes"] = file.notes;
  d["time_s"] = t;
  d["current_A"] = i;
  d["voltage_V"] = v;
  d["step"] = step;
  d["cycle"] = cycle;
  d["line"] = line;
  return d;
}

// Its rate tests as lab-table rows (CyclerRateTests) on the scenario's packing.
py::dict CyclerRows(const PyScenario& sc, const std::string& path, const std::string& design,
                    double area_cm2, double loading_mAh_cm2) {
  CLocaleScope c_locale;
  const CyclerFile file = ReadCyclerFile(path);
  std::vector<std::string> notes = file.notes;
  const Design d = ParseDesign(design);
  CheckSetting("area_cm2", area_cm2, kAreaRange_cm2);
  const auto rows = CyclerRateTests(file, sc.scenario().cell, d, area_cm2 * 1e-4,
                                    loading_mAh_cm2 * 3.6e4, &notes);
  std::vector<double> rate, utilization;
  std::vector<std::string> origin;
  for (const auto& r : rows) {
    rate.push_back(r.c_rate);
    utilization.push_back(r.measured_utilization);
    origin.push_back(r.origin);
  }
  py::dict out;
  out["design"] = FormatDesign(d);
  out["c_rate"] = rate;
  out["utilization"] = utilization;
  out["origin"] = origin;
  out["notes"] = notes;
  return out;
}

std::string CalibrateRatesJson(const PyScenario& sc, const std::string& table_csv,
                               const std::vector<std::string>& free, bool posterior, int walkers,
                               int steps, int burn_in, unsigned long long seed, int threads,
                               py::object progress, py::list* draws_csv, py::list* warnings) {
  CLocaleScope c_locale;
  const std::string name = "<DataFrame>";
  const LabTable table = ParseLabTable(table_csv, name);
  RateCalibrationOptions options;
  options.fit.threads = threads;
  if (!free.empty()) {
    options.fit.free.clear();
    for (const auto& k : free) options.fit.free.push_back(FindFittable(k));
  }
  options.posterior = posterior;
  options.walkers = walkers;
  options.steps = steps;
  options.burn_in = burn_in;
  options.seed = seed;
  options.progress = Reporter(progress);
  RateCalibration c;
  {
    py::gil_scoped_release release;
    c = CalibrateRates(sc.scenario().cell, table, options, name);
  }
  for (const auto& w : c.warnings) warnings->append(w);
  if (c.posterior) {
    draws_csv->append(FormatPosteriorSample(ToSample(*c.posterior), c.posterior->chain.log_density,
                                            c.posterior->chain.walkers));
  }
  return RatesJson(c.fit, table.rate_tests, c.seconds, nullptr, c.posterior.get(), nullptr);
}

}  // namespace
}  // namespace edopt

PYBIND11_MODULE(_edopt, m) {
  using namespace edopt;
  m.doc() = "edopt: layered composite electrodes for all-solid-state batteries (C++ core)";
  m.attr("__version__") = EDOPT_VERSION;  // CMakeLists.txt's project(VERSION), the one place
  py::register_exception<ConfigError>(m, "ConfigError", PyExc_ValueError);
  py::register_exception<InputError>(m, "DataError", PyExc_ValueError);
  py::register_exception<NumericalError>(m, "NumericalFailure", PyExc_RuntimeError);
  py::class_<PyScenario>(m, "Scenario")
      .def(py::init<const std::string&>(), py::arg("path") = "")
      .def(py::init<const std::string&, const std::vector<PyScenario::RawItem>&>())
      .def("set", &PyScenario::Set)
      .def("set_many", &PyScenario::SetMany)
      .def("raw_items", &PyScenario::RawItems)
      .def_property_readonly("path", &PyScenario::path)
      .def_property_readonly("source", [](const PyScenario& s) { return s.scenario().source; })
      .def("get", &PyScenario::Get)
      .def("to_ini",
           [](const PyScenario& s) {
             CLocaleScope c_locale;
             return ScenarioToIni(s.scenario());
           })
      .def_property_readonly("name", [](const PyScenario& s) { return s.scenario().name; })
      .def_property_readonly("notes", [](const PyScenario& s) { return s.scenario().notes; })
      .def_property_readonly("has_posterior",
                             [](const PyScenario& s) { return !s.scenario().posterior.empty(); })
      .def_property_readonly("objective_c_rate",
                             [](const PyScenario& s) { return s.scenario().objective_c_rate; });
  m.def("keys", &Keys);
  m.def("current_key", &CurrentKeyName);
  m.def("simulate", [](const PyScenario& sc, const std::vector<std::string>& designs,
                       const std::vector<double>& rates, bool curves) {
    py::list curve_data, warnings;
    auto rows = Simulate(sc, designs, rates, curves, &curve_data, &warnings);
    return py::make_tuple(rows, curve_data, warnings);
  });
  m.def("evaluate", &Evaluate, py::arg("scenario"), py::arg("x"), py::arg("rate"),
        py::arg("threads") = 0);
  py::class_<PyOptimization>(m, "Optimization")
      .def_property_readonly("summary",
                             [](const PyOptimization& o) { return o.outputs.summary_md; })
      .def_property_readonly("files",
                             [](const PyOptimization& o) {
                               py::dict d;
                               for (const auto& [name, text] : o.outputs.files)
                                 d[py::str(name)] = text;
                               return d;
                             })
      .def("front_rows", &FrontRows)
      .def("knee",
           [](const PyOptimization& o) -> py::object {
             const auto& a = o.run.analysis;
             if (a.knee < 0) return py::none();
             const FrontRow& r = a.rows[static_cast<size_t>(a.knee)];
             py::dict d;
             d["design"] = FormatDesign(r.entry.design);
             d["capacity_mAh_cm2"] = r.entry.capacity / kC_m2_per_mAh_cm2;
             d["utilization"] = r.at_objective.utilization;
             if (a.knee_has_interval) {
               d["utilization_interval_95"] =
                   py::make_tuple(a.knee_interval.low, a.knee_interval.high);
             }
             return d;
           })
      .def("save", [](const PyOptimization& o, const std::string& dir) {
        CLocaleScope c_locale;
        CheckOutputFolder(dir, "save(folder)");  // as the CLI checks --out, before writing
        StartRun(o.call, o.started);
        // The manifest names the scenario's inputs (a Python session reads more than one run's).
        const std::vector<FileDigest> inputs = ScenarioInputDigests(o.scenario);
        WriteFilesAtomically(dir, WithManifest(o.outputs.files, &o.scenario, &inputs));
      });
  m.def("optimize", &PyOptimize, py::arg("scenario"), py::arg("evaluations") = py::none(),
        py::arg("seed") = py::none(), py::arg("max_layers") = py::none(),
        py::arg("threads") = py::none(), py::arg("progress") = py::none());
  m.def("calibrate_eis",
        [](const PyScenario& sc, const std::vector<std::string>& paths,
           const std::vector<double>& thickness_um, const std::vector<double>& active_wt,
           double area_cm2, bool ideal, py::object progress) {
          py::list notes, warnings;
          auto json = CalibrateEisJson(sc, paths, thickness_um, active_wt, area_cm2, ideal,
                                       progress, &notes, &warnings);
          return py::make_tuple(json, notes, warnings);
        });
  m.def("read_spectrum", &ReadSpectrum);
  m.def("read_cycler", &ReadCycler);
  m.def("cycler_rows", &CyclerRows);
  m.def("pybamm_parameters", [](const PyScenario& sc, const std::string& design) {
    CLocaleScope c_locale;
    return PybammParameters(sc.scenario(), ParseDesign(design)).dump();
  });
  m.def("recipe",
        [](const PyScenario& sc, const std::string& design, py::object area_cm2, double batch_mg) {
          py::list warnings;
          auto json = RecipeText(sc, design, area_cm2, batch_mg, &warnings);
          return py::make_tuple(json, warnings);
        });
  m.def("calibrate_rates",
        [](const PyScenario& sc, const std::string& csv, const std::vector<std::string>& free,
           bool posterior, int walkers, int steps, int burn_in, unsigned long long seed,
           int threads, py::object progress) {
          py::list draws, warnings;
          auto json = CalibrateRatesJson(sc, csv, free, posterior, walkers, steps, burn_in, seed,
                                         threads, progress, &draws, &warnings);
          return py::make_tuple(json, draws.empty() ? py::object(py::none()) : py::object(draws[0]),
                                warnings);
        });
}
