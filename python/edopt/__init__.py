"""edopt from Python: the C++ model and search of edopt, for notebooks and other optimizers.

    import edopt
    sc = edopt.Scenario()                       # the built-in seed scenario
    sc.set("transport.resistivity_factor", 2)
    df = edopt.simulate(sc, ["6:4@63", "5:5@33,6:4@33,7:3@33"], rates=[0.1, 0.3])
    y = edopt.evaluate(sc, X, rate=0.3)         # (n, 3): capacity, utilization, delivered
    run = edopt.optimize(sc, evaluations=2000, seed=1)
    run.front, run.bands, run.knee, run.summary; run.save("results/run")

See docs/python.md. Errors are edopt.ConfigError (a bad key, value or option: the CLI's exit
2), edopt.DataError (a file or table that cannot be read: exit 3) and edopt.NumericalFailure.
"""
import copy
import io
import json
import warnings

import numpy as np
import pandas as pd

from . import _edopt
from ._edopt import ConfigError, DataError, NumericalFailure

__version__ = _edopt.__version__  # CMakeLists.txt's project(VERSION): `edopt --version` says the same

__all__ = ["Scenario", "keys", "simulate", "evaluate", "optimize", "Optimization",
           "calibrate_eis", "read_spectrum", "read_cycler", "cycler_rate_tests", "calibrate_rates", "recipe", "plot_front", "to_pybamm", "ConfigError", "DataError",
           "NumericalFailure"]


def _kinds():
    """Key -> kind (number, integer, boolean, choice, text, number_list, design_list), once."""
    global _KINDS
    if _KINDS is None:
        _KINDS = {k["key"]: k["kind"] for k in _edopt.keys()}
    return _KINDS


_KINDS = None


def _typed(kind, text):
    """A scenario value as Python data: floats, ints, bools, lists of floats or designs."""
    if kind == "number":
        return float(text)
    if kind == "integer":
        return int(text)
    if kind == "boolean":
        return text.strip() == "true"
    if kind == "number_list":
        return [float(v) for v in text.split(",") if v.strip()]
    if kind == "design_list":
        return [d.strip() for d in text.split(";") if d.strip()]
    return text


def _text(value, kind):
    """Python data as the scenario format writes it (bools as true/false, lists joined)."""
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, (list, tuple, np.ndarray)):
        return (";" if kind == "design_list" else ",").join(str(v) for v in value)
    return str(value)


class Scenario:
    """A scenario: the built-in seed study (no path) or an INI file with its base chain.

    Python data: get() returns typed values (float, int, bool, list), to_dict()/from_dict()
    convert the whole scenario, diff() compares two, and a Scenario pickles and deep-copies
    (multiprocessing, joblib, Dask) to the same scenario."""

    def __init__(self, path=None):
        self._s = _edopt.Scenario("" if path is None else str(path))
        self._warned = set()
        self._warn_notes()

    def _warn_notes(self):
        """What loading decided a user should hear (the CLI's warnings: deprecated key names,
        keys held against the posterior), each once per scenario."""
        for note in self._s.notes:
            if note not in self._warned:
                self._warned.add(note)
                category = DeprecationWarning if "is deprecated" in note else UserWarning
                warnings.warn(note, category, stacklevel=3)

    def _kind(self, key):
        name = _edopt.current_key(key)  # an old name's new one (docs/formats.md §10)
        if name not in _kinds():
            self._s.get(key)  # ConfigError naming the key, with a suggestion
        return _kinds()[name]

    def set(self, key, value):
        """Overrides one key (as --set key=value); raises ConfigError naming key and value. A
        deprecated key name (e.g. design_space.min_ng_weight_fraction) sets its new key with a
        DeprecationWarning. Values may be Python data (bools, lists)."""
        self._s.set(key, _text(value, _kinds().get(_edopt.current_key(key))))
        self._warn_notes()
        return self

    def update(self, values):
        """Sets several keys at once ({key: value}), checked together."""
        kinds = _kinds()
        self._s.set_many([(k, _text(v, kinds.get(_edopt.current_key(k))))
                          for k, v in dict(values).items()])
        self._warn_notes()
        return self

    def get(self, key):
        """The value of a key in the scenario's units, as Python data."""
        return _typed(self._kind(key), self._s.get(key))

    def get_text(self, key):
        """The value as the scenario format writes it."""
        return self._s.get(key)

    def to_dict(self):
        """Every key's value, typed, in catalogue order."""
        return {k: _typed(kind, self._s.get(k)) for k, kind in _kinds().items()}

    @classmethod
    def from_dict(cls, values, base=None):
        """A scenario from {key: value} on top of `base` (a path, a Scenario or the built-in)."""
        sc = copy.deepcopy(base) if isinstance(base, Scenario) else cls(base)
        return sc.update(values)

    def diff(self, other):
        """{key: (this value, other's value)} for every key whose values differ."""
        a, b = self.to_dict(), Scenario._of(other).to_dict()
        return {k: (a[k], b[k]) for k in a if a[k] != b[k]}

    @staticmethod
    def _of(sc):
        return sc if isinstance(sc, Scenario) else Scenario(sc)

    def to_ini(self):
        """The fully resolved scenario as INI text (what `edopt scenario` prints)."""
        return self._s.to_ini()

    def __getstate__(self):
        return {"path": self._s.path, "raw": self._s.raw_items(), "warned": sorted(self._warned)}

    def __setstate__(self, state):
        self._s = _edopt.Scenario(state["path"], [tuple(r) for r in state["raw"]])
        self._warned = set(state["warned"])

    def __eq__(self, other):
        return isinstance(other, Scenario) and not self.diff(other)

    @staticmethod
    def keys():
        """Every key with its unit, meaning, range, choices, prior and whether it can be fitted."""
        return keys()

    @property
    def name(self):
        return self._s.name

    @property
    def has_posterior(self):
        return self._s.has_posterior

    @property
    def objective_c_rate(self):
        return self._s.objective_c_rate

    def __repr__(self):
        return f"edopt.Scenario({self.name!r})"


def _warn(messages):
    """The CLI's `warning:` lines, as Python warnings (each once per call)."""
    for m in dict.fromkeys(messages):
        warnings.warn(m, UserWarning, stacklevel=3)


def _scenario(sc):
    if sc is None:
        return Scenario()._s
    if isinstance(sc, Scenario):
        return sc._s
    return Scenario(sc)._s


def keys():
    """The scenario catalogue as a DataFrame (key, unit, doc, range, choices, prior, fittable)."""
    return pd.DataFrame(_edopt.keys())


def simulate(scenario=None, designs=("6:4@63",), rates=None, curves=False):
    """One row per design and rate with the columns of `edopt simulate --json`; with a posterior
    in the scenario, utilization_interval_95_low/high. curves=True adds a `curve` column holding
    a DataFrame (time_s, capacity_mAh_cm2, voltage_V) per row."""
    if isinstance(designs, str):
        designs = [designs]
    objects, curve_data, warned = _edopt.simulate(
        _scenario(scenario), list(designs), [] if rates is None else [float(r) for r in rates],
        bool(curves))
    _warn(warned)
    rows = []
    for text in objects:
        d = json.loads(text)
        for r in d.pop("results"):
            row = dict(d)
            interval = r.pop("utilization_interval_95", None)
            row.update(r)
            if interval is not None:
                row["utilization_interval_95_low"], row["utilization_interval_95_high"] = interval
            rows.append(row)
    df = pd.DataFrame(rows)
    if curves:
        df["curve"] = [pd.DataFrame({"time_s": t, "capacity_mAh_cm2": q, "voltage_V": v})
                       for t, q, v in curve_data]
    return df


def evaluate(scenario, X, rate=None, threads=0):
    """The model as a vectorized objective. X: array (n, 2 L), per row L active (NG) weight
    fractions (separator -> collector) then L thicknesses in um (a zero thickness leaves the layer
    out); every layer holds design_space.carbon_weight_fraction of carbon, as in the search.
    Returns (n, 3): theoretical capacity mAh/cm2, utilization and delivered capacity mAh/cm2 at
    `rate` (default the scenario's objective rate); NaN for a design outside the model's
    validity or a numerical failure. Runs in parallel in C++ without the GIL."""
    s = _scenario(scenario)
    X = np.atleast_2d(np.asarray(X, dtype=float))
    return _edopt.evaluate(s, X, s.objective_c_rate if rate is None else float(rate), int(threads))


class Optimization:
    """A search's result: .front (DataFrame), .bands (list of dicts, as in run.json), .knee,
    .summary (summary.md), .files, .save(dir) writing the CLI's files atomically."""

    def __init__(self, native):
        self._o = native
        self.run = json.loads(native.files["run.json"])
        self.front = pd.DataFrame(native.front_rows())
        self.bands = self.run.get("bands", [])
        self.knee = native.knee()  # dict: design, capacity, utilization (and its interval)

    @property
    def summary(self):
        return self._o.summary

    @property
    def files(self):
        return dict(self._o.files)

    def save(self, folder):
        self._o.save(str(folder))

    def __repr__(self):
        return f"<edopt.Optimization: {len(self.front)} front designs, {len(self.bands)} bands>"


def optimize(scenario=None, evaluations=None, seed=None, max_layers=None, threads=None,
             progress=None):
    """The whole `edopt optimize` job in-process. progress: optional callable receiving a dict
    (layers, phase, evaluations, budget). Ctrl-C raises KeyboardInterrupt; nothing is written."""
    return Optimization(_edopt.optimize(_scenario(scenario), evaluations, seed, max_layers,
                                        threads, progress))


def calibrate_eis(paths, thickness_um, area_cm2, active_wt=None, ideal_capacitor=False,
                  scenario=None, ng_wt=None, progress=None):
    """TLM fits of symmetric-cell spectra (every format the CLI reads), the resistivity from the
    thickness series and the composition law: the object of `calibrate eis --json` (a dict),
    with "spectra_table" (a DataFrame) and "notes" added. progress: optional callable receiving
    {"phase", "done", "total"}; Ctrl-C raises KeyboardInterrupt."""
    if isinstance(paths, (str, bytes)):
        paths = [paths]
    thickness = [float(t) for t in np.atleast_1d(thickness_um)]
    if ng_wt is not None:
        if active_wt is not None:
            raise ConfigError("give active_wt or its old name ng_wt, not both")
        warnings.warn("ng_wt is deprecated: it is now active_wt (docs/formats.md §10)",
                      DeprecationWarning, stacklevel=2)
        active_wt = ng_wt
    wt = [] if active_wt is None else [float(w) for w in np.atleast_1d(active_wt)]
    text, notes, warned = _edopt.calibrate_eis(_scenario(scenario), [str(p) for p in paths],
                                               thickness, wt, float(area_cm2),
                                               bool(ideal_capacitor), progress)
    _warn(warned)
    out = json.loads(text)
    out["spectra_table"] = pd.DataFrame(out["spectra"])
    out["notes"] = list(notes)
    return out


def to_pybamm(scenario=None, design="6:4@63", with_notes=False):
    """The scenario as a PyBaMM parameter set for one electrode layer: a dict keyed by PyBaMM's
    parameter names (units in the names, values at the test temperature), for a half-cell
    against lithium with the edopt layer as the working electrode:

        params = pybamm.ParameterValues(edopt.to_pybamm(sc, "6:4@63"))
        model = pybamm.lithium_ion.SPMe({"working electrode": "positive"})

    The OCP is a tabulated interpolant ("edopt OCP", (stoichiometry, voltage)), the
    exchange-current density a function i0(theta) = i0_ref sqrt(theta (1 - theta)) / 0.5 of
    the surface stoichiometry. with_notes=True also returns the list of what has no PyBaMM
    counterpart (docs/python.md)."""
    out = json.loads(_edopt.pybamm_parameters(_scenario(scenario), str(design)))
    params = dict(out["parameters"])
    ocp = out["ocp"]
    params["Positive electrode OCP [V]"] = (
        "edopt OCP", (np.asarray(ocp["stoichiometry"]), np.asarray(ocp["voltage_V"])))
    i0 = float(out["exchange_current_A_m2"])

    def exchange_current_density(c_e, c_s_surf, c_s_max, T):
        theta = c_s_surf / c_s_max
        return 2 * i0 * (theta * (1 - theta)) ** 0.5

    params["Positive electrode exchange-current density [A.m-2]"] = exchange_current_density
    return (params, list(out["not_exported"])) if with_notes else params


def plot_front(run, ax=None, path=None, title=None):
    """The Pareto front of an optimize run (an Optimization, or a folder written by `edopt
    optimize` or run.save) with the best uniform electrodes, the reference designs and the knee
    and band picks (their 95% intervals with a posterior), as scripts/plot_pareto.py draws it.
    Draws into `ax` (a new figure without), writes `path` (.png, .pdf or .svg: the extension
    decides) when given, and returns the axes. Needs matplotlib."""
    import csv
    import os

    import matplotlib.pyplot as plt

    from . import plotting

    def table(name):
        if isinstance(run, Optimization):
            text = run.files.get(name)
            return list(csv.DictReader(io.StringIO(text))) if text else []
        file = os.path.join(str(run), name)
        return plotting.rows(file) if os.path.exists(file) else []

    if ax is None:
        _, ax = plt.subplots(figsize=(7.5, 5.2))
    plotting.draw_front(ax, table("pareto.csv"), table("fronts_by_layer_count.csv"),
                        table("references.csv"), table("recipes.csv"), title=title)
    if path is not None:
        plotting.save(ax.figure, str(path))
    return ax


def recipe(scenario=None, design="5:5@33,6:4@33,7:3@33", area_cm2=None, batch_mg=500.0):
    """What to weigh and spread, per layer in deposition order (1 = onto the SE pellet): a
    DataFrame with the columns of `edopt recipe --json`'s layers (masses in mg); the electrode's
    summary (thickness, mass, capacity, materials, pellet area) in .attrs."""
    text, warned = _edopt.recipe(_scenario(scenario), str(design),
                                 None if area_cm2 is None else float(area_cm2), float(batch_mg))
    _warn(warned)
    out = json.loads(text)
    df = pd.DataFrame(out.pop("layers"))
    df.attrs.update(out)
    return df


def read_spectrum(path):
    """A spectrum file as a DataFrame (sweep, frequency_Hz, z_real_ohm, z_imag_ohm); the format
    and the reader's notes in .attrs."""
    d = _edopt.read_spectrum(str(path))
    df = pd.DataFrame({"sweep": pd.Categorical.from_codes(d["sweep"], d["names"]),
                       "frequency_Hz": d["frequency_Hz"], "z_real_ohm": d["z_real_ohm"],
                       "z_imag_ohm": d["z_imag_ohm"]})
    df.attrs["format"] = d["format"]
    df.attrs["notes"] = list(d["notes"])
    return df


def read_cycler(path):
    """A cycler export (BioLogic .mpt, Arbin CSV, Maccor text, Neware CSV, BaSyTec text) as a
    DataFrame of records: time_s, current_A (negative while the electrode is lithiated),
    voltage_V, step, cycle, line; the layout and the reader's notes in .attrs."""
    d = _edopt.read_cycler(str(path))
    df = pd.DataFrame({k: d[k] for k in ("time_s", "current_A", "voltage_V", "step", "cycle",
                                         "line")})
    df.attrs["layout"] = d["layout"]
    df.attrs["notes"] = list(d["notes"])
    return df


def cycler_rate_tests(path, design, area_cm2, loading_mAh_cm2=None, scenario=None):
    """The rate tests of one cell's cycler export as lab-table rows (design, c_rate, utilization,
    theoretical_capacity_mAh_cm2 when the loading is given; origin = file:lines): every
    constant-current lithiation segment, its C-rate and utilization from the cell's theoretical
    capacity (the weighed loading, or the design's at the scenario's packing). The rows go to
    calibrate_rates as they are (concatenate several cells' first)."""
    loading = 0.0 if loading_mAh_cm2 is None else float(loading_mAh_cm2)
    d = _edopt.cycler_rows(_scenario(scenario), str(path), str(design), float(area_cm2), loading)
    df = pd.DataFrame({"design": [d["design"]] * len(d["c_rate"]), "c_rate": d["c_rate"],
                       "utilization": d["utilization"]})
    if loading_mAh_cm2 is not None:
        df["theoretical_capacity_mAh_cm2"] = loading
    df["origin"] = d["origin"]
    df.attrs["notes"] = list(d["notes"])
    return df


def calibrate_rates(table, posterior=True, free=None, scenario=None, walkers=0, steps=1000,
                    burn_in=300, seed=1, threads=0, progress=None):
    """Fits a lab table (a DataFrame, or a path) with the columns of `calibrate rates --data`:
    the object of `calibrate rates --json` (a dict) with "parameters_table" and, with the
    posterior, "draws" (a DataFrame of the sample, the _posterior.csv's columns). progress:
    optional callable receiving {"phase": "fit" or "posterior", "done", "total"}; Ctrl-C raises
    KeyboardInterrupt (nothing is returned or written)."""
    if isinstance(table, pd.DataFrame):
        csv = table.to_csv(index=False)
    else:
        with open(table, encoding="utf-8") as f:
            csv = f.read()
    text, draws, warned = _edopt.calibrate_rates(_scenario(scenario), csv, list(free or []),
                                         bool(posterior), int(walkers), int(steps), int(burn_in),
                                         int(seed), int(threads), progress)
    _warn(warned)
    out = json.loads(text)
    params = out.get("parameters", {})
    out["parameters_table"] = pd.DataFrame(
        [dict(key=k, **v) for k, v in params.items()] if isinstance(params, dict) else params)
    if draws is not None:
        out["draws"] = pd.read_csv(io.StringIO(draws))
    return out
