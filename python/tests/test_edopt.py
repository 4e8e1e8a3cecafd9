"""The Python module against the command line (same scenario, same designs, same seed: same
numbers), its exceptions, and Ctrl-C on a long optimize. Run by ctest under /usr/bin/python3
with PYTHONPATH=build/python, EDOPT_BIN=build/edopt and EDOPT_SOURCE_DIR set."""
import csv
import hashlib
import io
import json
import os
import signal
import subprocess
import tempfile
import threading
import unittest

import numpy as np
import pandas as pd

import edopt

BIN = os.environ["EDOPT_BIN"]
SRC = os.environ["EDOPT_SOURCE_DIR"]


def cli(*args):
    out = subprocess.run([BIN, *args], check=True, capture_output=True, text=True)
    return out.stdout


class Simulate(unittest.TestCase):
    def test_equals_the_cli(self):
        designs = ["6:4@63", "5:5@33,6:4@33,7:3@33"]
        df = edopt.simulate(edopt.Scenario(), designs, rates=[0.1, 0.3])
        expected = json.loads(cli("simulate", "--design", designs[0], "--design", designs[1],
                                  "--rate", "0.1,0.3", "--json"))["designs"]
        self.assertEqual(len(df), 4)
        rows = [(d, r) for d in expected for r in d["results"]]
        for (d, r), (_, row) in zip(rows, df.iterrows()):
            self.assertEqual(row["design"], d["design"])
            for key in ("c_rate", "utilization", "delivered_capacity_mAh_cm2", "end_time_s",
                        "initial_voltage_V", "theoretical_capacity_mAh_cm2"):
                self.assertEqual(row[key], r[key], key)
            self.assertEqual(row["end_reason"], r["end_reason"])
            low, high = r["utilization_interval_95"]  # the seed scenario carries a posterior
            self.assertEqual(row["utilization_interval_95_low"], low)
            self.assertEqual(row["utilization_interval_95_high"], high)

    def test_curves_end_where_the_discharge_ends(self):
        df = edopt.simulate(None, "6:4@63", rates=[0.3], curves=True)
        curve = df.loc[0, "curve"]
        self.assertGreater(len(curve), 10)
        self.assertAlmostEqual(curve["capacity_mAh_cm2"].iloc[-1],
                               df.loc[0, "delivered_capacity_mAh_cm2"], places=6)

    def test_set_changes_the_model_and_bad_input_raises(self):
        sc = edopt.Scenario().set("transport.resistivity_factor", 4)
        worse = edopt.simulate(sc, "6:4@63", rates=[0.3]).loc[0, "utilization"]
        base = edopt.simulate(None, "6:4@63", rates=[0.3]).loc[0, "utilization"]
        self.assertLess(worse, base - 0.1)
        self.assertIn("resistivity_factor = 4", sc.to_ini())
        with self.assertRaises(edopt.ConfigError) as e:
            edopt.Scenario().set("transport.resistivity_facter", 2)
        self.assertIn("did you mean 'transport.resistivity_factor'", str(e.exception))
        with self.assertRaises(edopt.ConfigError):
            sc.set("transport.resistivity_factor", -1)
        self.assertEqual(sc.get("transport.resistivity_factor"), 4.0)  # a rejected set keeps it
        with self.assertRaises(edopt.ConfigError):
            edopt.simulate(None, "6:4@", rates=[0.3])
        with self.assertRaises(edopt.DataError):
            edopt.read_spectrum("/nonexistent/spectrum.csv")
        with self.assertRaises(edopt.ConfigError):
            edopt.Scenario("/nonexistent/scenario.ini")
        keys = edopt.keys()
        self.assertIn("transport.percolation_threshold", set(keys["key"]))


class Evaluate(unittest.TestCase):
    def test_vectorized_objective_equals_simulate(self):
        X = np.array([[0.6, 0.0, 63.0, 0.0],        # 6:4@63 (second layer left out)
                      [0.5, 0.7, 40.0, 40.0],       # 5:5@40,7:3@40
                      [0.6, 0.6, -5.0, 10.0]])      # invalid: NaN
        y = edopt.evaluate(None, X, rate=0.3)
        self.assertEqual(y.shape, (3, 3))
        df = edopt.simulate(None, ["6:4@63", "5:5@40,7:3@40"], rates=[0.3])
        np.testing.assert_allclose(y[:2, 1], df["utilization"], rtol=1e-8)
        np.testing.assert_allclose(y[:2, 0], df["theoretical_capacity_mAh_cm2"], rtol=1e-8)
        self.assertTrue(np.isnan(y[2]).all())


class Cathode(unittest.TestCase):
    def test_cathode_scenario_equals_the_cli(self):
        ini = os.path.join(SRC, "scenarios", "ncm-argyrodite.ini")
        sc = edopt.Scenario(ini)
        self.assertEqual(sc.get("materials.active_material"), "NCM622")
        design = "60:39:1@30,80:19:1@30"
        df = edopt.simulate(sc, design, rates=[0.3])
        r = json.loads(cli("simulate", "--scenario", ini, "--design", design, "--rate", "0.3",
                           "--json"))["results"][0]
        self.assertEqual(df.loc[0, "utilization"], r["utilization"])
        # evaluate() puts the design space's 1 wt% carbon in every layer, as the search does.
        y = edopt.evaluate(sc, np.array([[0.6, 0.8, 30.0, 30.0]]), rate=0.3)
        self.assertAlmostEqual(y[0, 1], r["utilization"], places=8)


class Optimize(unittest.TestCase):
    def test_bands_and_files_equal_the_cli(self):
        with tempfile.TemporaryDirectory() as tmp:
            cli("optimize", "--evaluations", "600", "--seed", "3", "--max-layers", "2",
                "--out", os.path.join(tmp, "cli"), "--quiet")
            calls = []
            run = edopt.optimize(None, evaluations=600, seed=3, max_layers=2,
                                 progress=calls.append)
            self.assertGreater(len(calls), 0)
            self.assertIn("phase", calls[0])
            run.save(os.path.join(tmp, "py"))
            with open(os.path.join(tmp, "cli", "run.json")) as f:
                expected = json.load(f)
            self.assertEqual([b["recommended"] for b in run.bands],
                             [b["recommended"] for b in expected["bands"]])
            for name in ("pareto.csv", "fronts_by_layer_count.csv", "recipes.csv"):
                with open(os.path.join(tmp, "cli", name)) as a, open(os.path.join(tmp, "py", name)) as b:
                    self.assertEqual(a.read(), b.read(), name)
            self.assertEqual(len(run.front), len(pd.read_csv(os.path.join(tmp, "cli", "pareto.csv"))))
            # The same provenance as the CLI's: the canonical scenario digest and every output.
            with open(os.path.join(tmp, "py", "manifest.json")) as a, \
                    open(os.path.join(tmp, "cli", "manifest.json")) as b:
                py_manifest, cli_manifest = json.load(a), json.load(b)
            self.assertEqual(py_manifest["scenario"]["sha256"], cli_manifest["scenario"]["sha256"])
            outputs = {o["path"]: o["sha256"] for o in py_manifest["outputs"]}
            with open(os.path.join(tmp, "py", "pareto.csv"), "rb") as f:
                self.assertEqual(outputs["pareto.csv"], hashlib.sha256(f.read()).hexdigest())
            self.assertIn("What to press", run.summary)
            with open(os.path.join(tmp, "cli", "summary.md")) as f:
                self.assertIn("**Knee** of the front: " + run.knee["design"] + ",", f.read())

    def test_plot_front_writes_vector_and_raster_files(self):
        run = edopt.optimize(None, evaluations=600, seed=1, max_layers=2)
        with tempfile.TemporaryDirectory() as d:
            for ext, magic in (("png", b"\x89PNG"), ("pdf", b"%PDF"), ("svg", b"<?xml")):
                path = os.path.join(d, "front." + ext)
                ax = edopt.plot_front(run, path=path)
                with open(path, "rb") as f:
                    self.assertEqual(f.read(len(magic)), magic, ext)
            # The picks: one star per knee and band design of recipes.csv.
            picks = {r["pick"] for r in csv.DictReader(io.StringIO(run.files["recipes.csv"]))}
            stars = [c for c in ax.collections if c.get_label() == "knee and band picks"]
            self.assertEqual(len(stars), 1)
            self.assertEqual(len(ax.texts), len(picks))
            run.save(os.path.join(d, "run"))
            self.assertEqual(len(edopt.plot_front(os.path.join(d, "run")).texts), len(picks))

    def test_ctrl_c_stops_a_long_optimize(self):
        timer = threading.Timer(1.5, lambda: os.kill(os.getpid(), signal.SIGINT))
        timer.start()
        try:
            with self.assertRaises(KeyboardInterrupt):
                edopt.optimize(None, evaluations=400000, seed=1)
        finally:
            timer.cancel()


class Calibrate(unittest.TestCase):
    def test_eis_equals_the_cli(self):
        files = [os.path.join(SRC, "tests/data/eis_33um.csv"), os.path.join(SRC, "tests/data/eis_63um.mpt")]
        out = edopt.calibrate_eis(files, thickness_um=[33, 63], area_cm2=1.327)
        expected = json.loads(cli("calibrate", "eis", *files, "--thickness-um", "33,63",
                                  "--area-cm2", "1.327", "--json"))
        self.assertEqual([s["r_ion_ohm"] for s in out["spectra"]],
                         [s["r_ion_ohm"] for s in expected["spectra"]])
        self.assertEqual(out["thickness_fit"]["resistivity_ohm_m"],
                         expected["thickness_fit"]["resistivity_ohm_m"])
        spectrum = edopt.read_spectrum(files[1])
        self.assertEqual(spectrum.attrs["format"], "biologic-mpt")
        self.assertGreater(len(spectrum), 20)

    def test_rates_equal_the_cli(self):
        table = pd.read_csv(os.path.join(SRC, "scenarios/data/seed-uniform-series.csv"))
        out = edopt.calibrate_rates(table, posterior=False)
        expected = json.loads(cli("calibrate", "rates", "--data",
                                  os.path.join(SRC, "scenarios/data/seed-uniform-series.csv"), "--json"))
        self.assertEqual(out["rms_pp"], expected["rms_pp"])
        self.assertEqual(out["parameters"], expected["parameters"])
        with self.assertRaises(edopt.DataError):
            edopt.calibrate_rates(table.drop(columns=["c_rate"]), posterior=False)

    def test_progress_and_ctrl_c_in_the_calibrations(self):
        table = pd.read_csv(os.path.join(SRC, "scenarios/data/seed-uniform-series.csv"))
        seen = []
        edopt.calibrate_rates(table, posterior=True, steps=8, burn_in=2, walkers=16,
                              progress=seen.append)
        fit = [p for p in seen if p["phase"] == "fit"]
        post = [p for p in seen if p["phase"] == "posterior"]
        self.assertTrue(fit and post)
        self.assertEqual([p["done"] for p in post], list(range(1, 11)))  # every move, in order
        self.assertTrue(all(p["done"] <= p["total"] for p in fit))
        files = [os.path.join(SRC, "tests/data/eis_33um.csv"), os.path.join(SRC, "tests/data/eis_63um.mpt")]
        spectra = []
        edopt.calibrate_eis(files, thickness_um=[33, 63], area_cm2=1.327, progress=spectra.append)
        self.assertEqual([p["done"] for p in spectra], [0, 1])
        timer = threading.Timer(1.0, lambda: os.kill(os.getpid(), signal.SIGINT))
        timer.start()
        try:
            with self.assertRaises(KeyboardInterrupt):
                edopt.calibrate_rates(table, posterior=True, steps=100000)
        finally:
            timer.cancel()

    def test_the_cli_checks_reach_python(self):
        # A loading 5x the design's (mAh per pellet typed as mAh/cm2) is refused as by the CLI.
        table = pd.read_csv(os.path.join(SRC, "scenarios/data/seed-uniform-series.csv"))
        slip = table.copy()
        slip.loc[0, ["theoretical_capacity_mAh_cm2", "delivered_capacity_mAh_cm2"]] *= 5
        with self.assertRaisesRegex(edopt.DataError, "unit slip"):
            edopt.calibrate_rates(slip, posterior=False)
        # 60% off is the CLI's warning, as a Python warning.
        off = table.copy()
        off.loc[0, ["theoretical_capacity_mAh_cm2", "delivered_capacity_mAh_cm2"]] *= 1.6
        with self.assertWarnsRegex(UserWarning, "the fit uses the weighed value"):
            edopt.calibrate_rates(off, posterior=False, free=["kinetics.solid_diffusivity_m2_s"])
        files = [os.path.join(SRC, "tests/data/eis_33um.csv")]
        with self.assertRaisesRegex(edopt.ConfigError, "--thickness-um"):
            edopt.calibrate_eis(files, thickness_um=[1e5], area_cm2=1.327)
        with self.assertRaises(edopt.ConfigError):
            edopt.evaluate(edopt.Scenario(), np.array([[0.6, 50.0]]), rate=0.3, threads=-1)


class Cycler(unittest.TestCase):
    """Issue 37: a cycler export read in Python gives the records and the rows the CLI prints."""

    def test_rows_equal_the_cli_and_feed_calibrate_rates(self):
        path = os.path.join(SRC, "tests", "data", "cycler_maccor.txt")
        records = edopt.read_cycler(path)
        self.assertEqual(records.attrs["layout"], "maccor")
        self.assertTrue((records["current_A"] < 0).any())  # discharge signed by the State column
        rows = edopt.cycler_rate_tests(path, "6:4@63", 1.327)
        run = subprocess.run([BIN, "calibrate", "rates", "--cycler", path, "--design", "6:4@63",
                              "--area-cm2", "1.327", "--json", "--global-evaluations", "20",
                              "--local-evaluations", "20", "--free",
                              "kinetics.solid_diffusivity_m2_s"], capture_output=True, text=True)
        self.assertEqual(run.returncode, 0, run.stderr)
        cli = json.loads(run.stdout)
        self.assertEqual(len(rows), len(cli["points"]))
        for row, point in zip(rows.itertuples(), cli["points"]):
            self.assertAlmostEqual(row.c_rate, point["c_rate"], places=5)
            self.assertAlmostEqual(row.utilization, point["measured"], places=5)
            self.assertEqual(row.origin, point["origin"])
        with self.assertRaises(edopt.DataError):
            edopt.cycler_rate_tests(path, "6:4@63", 0.1)  # the cell would deliver too much


class Recipe(unittest.TestCase):
    def test_equals_the_cli_and_the_masses_add_up(self):
        for scenario, design in ((None, "5:5@33,6:4@33,7:3@33"),
                                 (os.path.join(SRC, "scenarios/ncm-argyrodite.ini"), "60:39:1@30,80:19:1@30")):
            args = ["recipe", "--design", design, "--json", "--batch-mg", "400"]
            if scenario:
                args += ["--scenario", scenario]
            expected = json.loads(cli(*args))
            df = edopt.recipe(scenario, design, batch_mg=400)
            self.assertEqual(df.to_dict("records"), expected["layers"])
            self.assertEqual(df.attrs["theoretical_capacity_mAh_cm2"],
                             expected["theoretical_capacity_mAh_cm2"])
            parts = df["active_mg_per_pellet"] + df["se_mg_per_pellet"] + df["carbon_mg_per_pellet"]
            np.testing.assert_allclose(parts, df["composite_mg_per_pellet"], rtol=1e-6)
            batch = df["batch_active_mg"] + df["batch_se_mg"] + df["batch_carbon_mg"]
            np.testing.assert_allclose(batch, 400, rtol=1e-6)
            self.assertAlmostEqual(df["capacity_mAh_cm2"].sum(),
                                   df.attrs["theoretical_capacity_mAh_cm2"], places=5)
        with self.assertRaises(edopt.ConfigError):
            edopt.recipe(design="6:4@63", area_cm2=-1)


class PyBaMM(unittest.TestCase):
    def test_the_export_describes_the_same_electrode(self):
        sc = edopt.Scenario()
        params, notes = edopt.to_pybamm(sc, "6:4@63", with_notes=True)
        recipe = edopt.recipe(sc, "6:4@63")
        # Charge stored between the start and full lithiation per electrode area equals edopt's
        # theoretical capacity: eps_active L c_max F (1 - x0), with graphite's span of 1.
        F = 96485.33212
        eps, L = params["Positive electrode active material volume fraction"], params["Positive electrode thickness [m]"]
        c_max = params["Maximum concentration in positive electrode [mol.m-3]"]
        stored_mAh_cm2 = eps * L * c_max * F / 3.6e4
        self.assertAlmostEqual(stored_mAh_cm2, recipe.attrs["theoretical_capacity_mAh_cm2"], places=6)
        area_cm2 = params["Electrode height [m]"] * params["Electrode width [m]"] * 1e4
        self.assertAlmostEqual(area_cm2, sc.get("test.pellet_area_cm2"), places=9)
        self.assertAlmostEqual(params["Nominal cell capacity [A.h]"],
                               stored_mAh_cm2 * area_cm2 * 1e-3, places=9)
        # Volume fractions and the effective conductivity the Bruggeman exponent gives.
        eps_se = params["Positive electrode porosity"]
        self.assertLess(eps + eps_se, 1.0 + 1e-12)
        self.assertEqual(params["Reference temperature [K]"], sc.get("test.temperature_C") + 273.15)
        name, (x, u) = params["Positive electrode OCP [V]"]
        self.assertTrue(np.all(np.diff(x) > 0))
        j0 = params["Positive electrode exchange-current density [A.m-2]"]
        self.assertAlmostEqual(j0(1000, 0.5 * c_max, c_max, 333.15), j0(1000, 0.5 * c_max, c_max, 300))
        self.assertEqual(j0(1000, 0.0, c_max, 333.15), 0.0)
        self.assertTrue(any("layered" in n for n in notes))
        with self.assertRaisesRegex(edopt.ConfigError, "one composition per electrode"):
            edopt.to_pybamm(sc, "5:5@33,6:4@33")


def _utilization(sc):
    """A worker of the pool test: the scenario arrives pickled."""
    return float(edopt.simulate(sc, "5:5@33,6:4@33,7:3@33", rates=[0.3])["utilization"][0])


class ScenarioAsData(unittest.TestCase):
    def test_typed_values_and_round_trips(self):
        sc = edopt.Scenario()
        self.assertIsInstance(sc.get("transport.resistivity_factor"), float)
        self.assertIsInstance(sc.get("design_space.max_layers"), int)
        self.assertEqual(sc.get("test.c_rates"), [0.1, 0.3])
        self.assertIsInstance(sc.get("design_space.monotone_gradient"), bool)
        self.assertIsInstance(sc.get("test.reference_designs"), list)
        sc.set("design_space.monotone_gradient", True).set("test.c_rates", [0.2, 1])
        self.assertIs(sc.get("design_space.monotone_gradient"), True)
        self.assertEqual(sc.get("test.c_rates"), [0.2, 1.0])
        sc.set("design_space.monotone_gradient", False)
        self.assertIs(sc.get("design_space.monotone_gradient"), False)
        d = sc.to_dict()
        self.assertEqual(len(d), len(edopt.keys()))
        back = edopt.Scenario.from_dict(d)
        self.assertEqual(back.diff(sc), {})
        self.assertEqual(back.to_ini().split("\n", 1)[1], sc.to_ini().split("\n", 1)[1])
        # diff names exactly what differs, as (this, other)
        other = edopt.Scenario().set("transport.resistivity_factor", 2)
        self.assertEqual(edopt.Scenario().diff(other), {"transport.resistivity_factor": (1.0, 2.0)})
        # Keys checked together: a space whose bounds fit only once both are set.
        sc2 = edopt.Scenario().update({"design_space.min_layers": 5, "design_space.max_layers": 6})
        self.assertEqual(sc2.get("design_space.min_layers"), 5)
        with self.assertRaises(edopt.ConfigError):
            edopt.Scenario().set("design_space.min_layers", 5)

    def test_pickle_deepcopy_and_a_process_pool(self):
        import copy
        import multiprocessing
        import pickle
        sc = edopt.Scenario().set("transport.resistivity_factor", 2)
        for clone in (pickle.loads(pickle.dumps(sc)), copy.deepcopy(sc)):
            self.assertEqual(clone.diff(sc), {})
            self.assertEqual(clone.to_ini(), sc.to_ini())
            self.assertEqual(clone.has_posterior, sc.has_posterior)
        scenarios = [edopt.Scenario().set("transport.resistivity_factor", f) for f in (1, 2, 4)]
        here = [_utilization(s) for s in scenarios]
        with multiprocessing.get_context("spawn").Pool(2) as pool:
            there = pool.map(_utilization, scenarios)
        self.assertEqual(here, there)
        self.assertGreater(here[0], here[2])  # more resistance, less utilization


class Locale(unittest.TestCase):
    """A notebook that set a German numeric locale: files and numbers stay as the CLI writes
    them (decimal points), scenarios read."""

    def test_a_german_locale_changes_nothing(self):
        import locale
        before = edopt.optimize(None, evaluations=400, seed=3, max_layers=2).files
        sim_before = edopt.simulate(edopt.Scenario(), "5:5@33,6:4@33,7:3@33", rates=[0.3])
        saved = locale.setlocale(locale.LC_ALL)
        try:
            try:
                locale.setlocale(locale.LC_ALL, "de_DE.UTF-8")
            except locale.Error:
                self.skipTest("no de_DE.UTF-8 locale on this machine (scripts/setup makes it)")
            self.assertEqual(locale.localeconv()["decimal_point"], ",")
            sc = edopt.Scenario()
            self.assertEqual(sc.get("transport.resistivity_factor"), 1.0)
            sc.set("transport.resistivity_factor", "1.5").set("transport.resistivity_factor", 1)
            after = edopt.optimize(sc, evaluations=400, seed=3, max_layers=2).files
            import re
            untimed = lambda text: re.sub(r"[0-9.]+ s total, [0-9.]+ s in the model \([0-9.]+%",
                                          "T", text)
            for name in ("pareto.csv", "summary.md", "recipes.csv", "recipes.txt"):
                self.assertEqual(untimed(after[name]), untimed(before[name]), name)
            self.assertRegex(after["summary.md"], r"Hypervolume \d+\.\d+ ")
            sim = edopt.simulate(sc, "5:5@33,6:4@33,7:3@33", rates=[0.3])
            self.assertEqual(sim["utilization"][0], sim_before["utilization"][0])
            self.assertEqual(sim["design"][0], "50:50@33,60:40@33,70:30@33")
            self.assertIn("resistivity_factor = 1\n", sc.to_ini())
        finally:
            locale.setlocale(locale.LC_ALL, saved)


class StrictAsTheCli(unittest.TestCase):
    """Python makes the CLI's checks with the CLI's exception types (issue 38)."""

    def test_arguments_outputs_and_manifests(self):
        for kw in ({"evaluations": "abc"}, {"seed": -1}, {"threads": True}, {"max_layers": 2.5},
                   {"threads": 5000}):
            with self.assertRaises(edopt.ConfigError, msg=str(kw)):
                edopt.optimize(None, **kw)
        with self.assertRaises(edopt.ConfigError):
            edopt.calibrate_rates(os.path.join(SRC, "scenarios/data/seed-uniform-series.csv"),
                                  posterior=True, walkers=7)
        sc = edopt.Scenario()
        sc.set("design_space.monotone_gradient", False)  # Python's bools are the format's
        self.assertIs(sc.get("design_space.monotone_gradient"), False)
        run = edopt.optimize(None, evaluations=300, seed=2, max_layers=2)
        with tempfile.TemporaryDirectory() as d:
            blocker = os.path.join(d, "a-file")
            open(blocker, "w").close()
            with self.assertRaisesRegex(edopt.ConfigError, "is a file"):
                run.save(blocker)
            run.save(os.path.join(d, "run"))
            with open(os.path.join(d, "run", "manifest.json")) as f:
                manifest = json.load(f)
            self.assertEqual(manifest["command_line"][:1], ["python: edopt.optimize"])
            self.assertIn("seed=2", manifest["command_line"])
            self.assertLessEqual(manifest["started_utc"], manifest["finished_utc"])


class OldNames(unittest.TestCase):
    """Names from the anode-only days still work, once each with a DeprecationWarning."""

    def test_old_scenario_keys_set_the_new_ones(self):
        sc = edopt.Scenario()
        with self.assertWarnsRegex(DeprecationWarning, "min_active_weight_fraction"):
            sc.set("design_space.min_ng_weight_fraction", 0.4)
        self.assertEqual(sc.get("design_space.min_active_weight_fraction"), 0.4)
        self.assertEqual(sc.get("design_space.min_ng_weight_fraction"), 0.4)
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "old.ini")
            with open(path, "w") as f:
                f.write("base = builtin\n[materials]\nng_density_g_cm3 = 2.2\n")
            with self.assertWarnsRegex(DeprecationWarning, "active_density_g_cm3"):
                old = edopt.Scenario(path)
            self.assertEqual(old.get("materials.active_density_g_cm3"), 2.2)

    def test_old_lab_table_column_and_keyword(self):
        table = pd.read_csv(os.path.join(SRC, "scenarios/data/seed-uniform-series.csv"))
        old = table.rename(columns={"active_wt_fraction": "ng_wt_fraction"})
        with self.assertWarnsRegex(UserWarning, "ng_wt_fraction is deprecated"):
            out = edopt.calibrate_rates(old, posterior=False)
        self.assertEqual(out["rms_pp"], edopt.calibrate_rates(table, posterior=False)["rms_pp"])
        files = [os.path.join(SRC, "tests/data/eis_33um.csv"),
                 os.path.join(SRC, "tests/data/eis_63um.mpt")]
        with self.assertWarnsRegex(DeprecationWarning, "active_wt"):
            a = edopt.calibrate_eis(files, thickness_um=[33, 63], area_cm2=1.327, ng_wt=0.6)
        b = edopt.calibrate_eis(files, thickness_um=[33, 63], area_cm2=1.327, active_wt=0.6)
        self.assertEqual(a["thickness_fit"], b["thickness_fit"])


if __name__ == "__main__":
    unittest.main()
