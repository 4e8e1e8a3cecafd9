#!/usr/bin/python3
"""Validation of the cathode model against published NCM/argyrodite results that no one here
fitted (docs/physics.md §14). Prints the markdown table of docs/physics.md: per published effect,
the model's prediction with the scenario's values and the central 95 % of the predictions over
draws from the literature priors of what is not measured (percolation law, porosity, D_s, i0,
contact area, SE conductivity, radius, particle sizes), without particle sizes (the model before
issue 35) and with them.

    /usr/bin/python3 scripts/cathode_validation.py [--edopt build/edopt] [--draws 64] [--seed 1]

Standard library only; every prediction is an `edopt simulate --json` of
scenarios/ncm-argyrodite.ini with the NCM811 preset (the cathode of the cited studies)."""

import argparse
import csv
import json
import math
import os
import random
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCENARIO = os.path.join(ROOT, "scenarios", "ncm-argyrodite.ini")
NCM811 = ["materials.active_material=NCM811", "materials.particle_radius_um=2.5"]
RHO_NCM811, RHO_LPSCL = 4.78, 1.86  # g/cm3, the presets (models/materials.cpp)

# What the cited studies did not measure: the scenario's priors (docs/physics.md §13).
PRIORS = [
    ("transport.percolation_threshold", "uniform", 0.08, 0.30),
    ("transport.percolation_exponent", "uniform", 1.3, 3.0),
    ("electrode.porosity", "uniform", 0.10, 0.20),
    ("kinetics.solid_diffusivity_m2_s", "log", 1e-16, 3e-14),
    ("kinetics.exchange_current_A_m2", "log", 0.1, 3.0),
    ("electrode.contact_area_factor", "log", 0.05, 0.5),
    ("transport.se_conductivity_S_cm", "log", 1e-3, 4e-3),
    ("materials.particle_radius_um", "log", 1.5, 6.0),
    # Particle sizes (docs/physics.md §3b): the studies' SE powders, the ratio the threshold was
    # measured at and the exponent on the ratio (the catalogue's priors).
    ("materials.se_particle_radius_um", "log", 0.25, 5.0),
    ("transport.percolation_size_ratio", "log", 1.0, 4.0),
    ("transport.percolation_size_exponent", "uniform", 0.5, 1.5),
]
SIZE_KEYS = {"materials.se_particle_radius_um", "transport.percolation_size_ratio",
             "transport.percolation_size_exponent"}
# The model before particle sizes (issue 35): the composition law alone, the measured contact
# factor on the whole geometric area.
BEFORE = ["materials.se_particle_radius_um=0", "electrode.contact_area_factor=0.13"]


FAILURES, RUNS = [0], [0]


def draw(rng):
    out = {}
    for key, kind, lo, hi in PRIORS:
        u = rng.random()
        out[key] = lo + u * (hi - lo) if kind == "uniform" else math.exp(
            math.log(lo) + u * (math.log(hi) - math.log(lo)))
    return out


def simulate(edopt, sets, designs, rates, profile=False):
    """{(design, rate): result dict}; with profile, also the final lithiation profiles."""
    cmd = [edopt, "simulate", "--scenario", SCENARIO, "--json"]
    for s in sets:
        cmd += ["--set", s]
    for d in designs:
        cmd += ["--design", d]
    cmd += ["--rate", ",".join(str(r) for r in rates)]
    with tempfile.TemporaryDirectory() as tmp:
        curve = os.path.join(tmp, "c.csv")
        if profile:
            cmd += ["--curve", curve]
        run = subprocess.run(cmd, capture_output=True, text=True)
        if run.returncode not in (0, 4) or not run.stdout:  # 4: a numerical failure, counted
            raise RuntimeError(" ".join(cmd) + "\n" + run.stderr)
        j = json.loads(run.stdout)
        rows = j["designs"] if "designs" in j else [j]
        out = {}
        for d in rows:
            for r in d["results"]:
                out[(d["design"], r["c_rate"])] = r
                FAILURES[0] += r["end_reason"] == "numerical_failure"
                RUNS[0] += 1
        profiles = {}
        if profile:
            with open(os.path.join(tmp, "c_profile.csv")) as f:
                for row in csv.DictReader(f):
                    key = (row["design"], float(row["c_rate"]))
                    profiles.setdefault(key, []).append(
                        (float(row["x_um"]), float(row["mean_stoichiometry"])))
        return out, profiles


def thickness_um(mass_ncm_mg_cm2, w, porosity):
    """Thickness of an NCM811:Li6PS5Cl layer holding that NCM mass at that porosity."""
    dense = 1.0 / (w / RHO_NCM811 + (1 - w) / RHO_LPSCL)
    return mass_ncm_mg_cm2 / w * 1e-3 / ((1 - porosity) * dense) * 1e4


def predictions(edopt, values, before=False):
    """The predicted quantities for one set of parameter values (dict key -> value); before:
    without particle sizes (the model before issue 35)."""
    if before:
        values = {k: v for k, v in values.items() if k not in SIZE_KEYS}
    sets = NCM811 + (BEFORE if before else []) + [f"{k}={v:.6g}" for k, v in values.items()]
    p = {}
    # 1. Composition sweep (Yanev et al. 2024; Shi et al. 2020): 60 um layers, carbon-free.
    fractions = [round(0.60 + 0.01 * i, 2) for i in range(33)]
    designs = [f"{100 * w:.0f}:{100 - 100 * w:.0f}@60" for w in fractions]
    res, _ = simulate(edopt, sets, designs, [0.1, 1.0])
    for rate in (0.1, 1.0):
        u = [res[(d, rate)]["utilization"] for d in designs]
        ref = u[fractions.index(0.70)]
        onset = next((100 * w for w, x in zip(fractions, u) if x < 0.8 * ref), float("nan"))
        p[f"onset_{rate}"] = onset
    # Fine vs coarse catholyte (Yanev et al. 2024: "fine particle catholyte ... alleviates the
    # diffusive limitation"): the 1C onset with SE D50 1 um minus with 5 um.
    if not before:
        for name, radius in (("fine", 0.5), ("coarse", 2.5)):
            res, _ = simulate(edopt, sets + [f"materials.se_particle_radius_um={radius}"], designs,
                              [1.0])
            u = [res[(d, 1.0)]["utilization"] for d in designs]
            ref = u[fractions.index(0.70)]
            p[f"onset_{name}"] = next((100 * w for w, x in zip(fractions, u) if x < 0.8 * ref),
                                      float("nan"))
        p["onset_fine_minus_coarse"] = p["onset_fine"] - p["onset_coarse"]
    else:
        p["onset_fine_minus_coarse"] = 0.0  # no sizes: the law cannot tell them apart
    # 50 vol% of the solids NCM: w = rho_NCM / (rho_NCM + rho_SE) = 0.72.
    w50 = RHO_NCM811 / (RHO_NCM811 + RHO_LPSCL)
    d50 = f"{100 * w50:.4g}:{100 - 100 * w50:.4g}@60"
    res, _ = simulate(edopt, sets, [d50], [0.1])
    p["u_50vol"] = res[(d50, 0.1)]["utilization"]
    # 2. High loading (ORNL gradient study): 33 mg/cm2 NCM811 at 80:20, uniform, SE-rich at the
    # separator (75:25 | 85:15, equal thickness) and the reverse.
    por = values.get("electrode.porosity", 0.15)
    t = thickness_um(33.0, 0.80, por)
    uniform = f"80:20@{t:.4g}"
    graded = f"75:25@{t / 2:.4g},85:15@{t / 2:.4g}"
    reverse = f"85:15@{t / 2:.4g},75:25@{t / 2:.4g}"
    mild = f"77:23@{t / 2:.4g},83:17@{t / 2:.4g}"
    res, prof = simulate(edopt, sets, [uniform, graded, reverse, mild], [0.1, 0.3, 1.0],
                         profile=True)
    p["ornl_theoretical"] = res[(uniform, 0.1)]["theoretical_capacity_mAh_cm2"]
    for rate in (0.1, 0.3, 1.0):
        p[f"ornl_delivered_{rate}"] = res[(uniform, rate)]["delivered_capacity_mAh_cm2"]
        p[f"graded_gain_{rate}"] = 100 * (res[(graded, rate)]["utilization"] -
                                          res[(uniform, rate)]["utilization"])
        p[f"reverse_gain_{rate}"] = 100 * (res[(reverse, rate)]["utilization"] -
                                           res[(uniform, rate)]["utilization"])
        p[f"mild_gain_{rate}"] = 100 * (res[(mild, rate)]["utilization"] -
                                        res[(uniform, rate)]["utilization"])
    # Lithiation first at the separator: mean stoichiometry of the separator-side third minus the
    # collector-side third at the end of the 0.3C discharge.
    pts = prof[(uniform, 0.3)]
    third = max(x for x, _ in pts) / 3
    front = [s for x, s in pts if x <= third]
    back = [s for x, s in pts if x >= 2 * third]
    p["separator_first_0.3"] = sum(front) / len(front) - sum(back) / len(back)
    return p


def central95(xs):
    xs = sorted(x for x in xs if not math.isnan(x))
    if not xs:
        return float("nan"), float("nan")
    lo = xs[int(math.floor(0.025 * (len(xs) - 1)))]
    hi = xs[int(math.ceil(0.975 * (len(xs) - 1)))]
    return lo, hi


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--edopt", default=os.path.join(ROOT, "build", "edopt"))
    ap.add_argument("--draws", type=int, default=64)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    values = []
    rng = random.Random(a.seed)
    values = [draw(rng) for _ in range(a.draws)]
    nominal = predictions(a.edopt, {})
    draws = [predictions(a.edopt, v) for v in values]
    nominal_before = predictions(a.edopt, {}, before=True)
    draws_before = [predictions(a.edopt, v, before=True) for v in values]

    def show(value, fmt):  # an onset past the sweep's end (92 wt%) is none
        return "none to 92 wt%" if math.isnan(value) else fmt.format(value)

    def one(key, fmt, nom, ds):
        values = [d[key] for d in ds]
        lo, hi = central95(values)
        past = sum(math.isnan(v) for v in values)
        tail = f"; {past} of {len(values)} draws none" if past else ""
        return f"{show(nom[key], fmt)} ({show(lo, fmt)} .. {show(hi, fmt)}{tail})"

    def cell(key, fmt):
        return (one(key, fmt, nominal_before, draws_before) + " | " +
                one(key, fmt, nominal, draws))

    rows = [
        ("NCM811-Li6PS5Cl, rate losses grow with AM content; 'especially pronounced ... at over "
         "84% AM'", "Yanev et al., J. Electrochem. Soc. (2024), abstract", "84 wt%",
         "AM wt% where 1C utilization of 60 um falls below 0.8x that at 70 wt%",
         cell("onset_1.0", "{:.0f} wt%")),
        ("same, at 0.1C", "same", "84 wt% (rate tests)",
         "same at 0.1C", cell("onset_0.1", "{:.0f} wt%")),
        ("'over 50 vol% cathode active material loading with high cathode utilization' (small "
         "SE particles)", "Shi et al., Adv. Energy Mater. 10, 1902881 (2020), abstract",
         "> 50 vol% CAM, high utilization", "0.1C utilization of 60 um at 50 vol% NCM (72 wt%)",
         cell("u_50vol", "{:.3f}")),
        ("fine catholyte alleviates the high-loading losses", "Yanev et al. 2024, abstract",
         "sign: fine later than coarse", "1C onset wt% with SE D50 1 um minus 5 um",
         cell("onset_fine_minus_coarse", "{:+.0f}")),
        ("33 mg/cm2 NMC811 cathode, '5.0 mAh/cm2'", "ORNL, operando neutron imaging-guided "
         "gradient design (abstract)", "none: 5.0 mAh/cm2 is the loading label (151 mAh/g of "
         "NCM), not a measured delivery",
         "delivered mAh/cm2 at 0.1C of 33 mg/cm2 NCM811 at 80:20 (theoretical "
         f"{nominal['ornl_theoretical']:.2f} at 204 mAh/g)", cell("ornl_delivered_0.1", "{:.2f}")),
        ("same cathode", "same", "(rate not in the abstract)", "delivered at 0.3C",
         cell("ornl_delivered_0.3", "{:.2f}")),
        ("lithiation proceeds from the SE-membrane side to the collector side", "same",
         "sign: separator side first", "separator-third minus collector-third mean x at the end "
         "of 0.3C (> 0 = separator first)", cell("separator_first_0.3", "{:+.3f}")),
        ("catholyte gradient (SE-rich at the separator) improves rate performance", "same",
         "sign: gradient > uniform", "utilization points, 75:25|85:15 minus uniform 80:20, 1C",
         cell("graded_gain_1.0", "{:+.1f}")),
        ("same", "same", "sign: gradient > uniform", "same at 0.3C",
         cell("graded_gain_0.3", "{:+.1f}")),
        ("same", "same", "sign: gradient > uniform", "a milder gradient, 77:23|83:17 minus "
         "uniform 80:20, 1C", cell("mild_gain_1.0", "{:+.1f}")),
        ("same", "same", "sign: gradient > uniform", "same at 0.3C",
         cell("mild_gain_0.3", "{:+.1f}")),
        ("(reverse gradient, not measured)", "", "", "85:15|75:25 minus uniform, 1C",
         cell("reverse_gain_1.0", "{:+.1f}")),
    ]
    print(f"Predictions: scenario values (central 95 % of {a.draws} prior draws, seed {a.seed}); "
          f"{RUNS[0]} discharges, {FAILURES[0]} numerical failures.\n")
    print("| published effect | source | measured | predicted quantity | before: no sizes (95 %) "
          "| now: sizes (95 %) |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        print("| " + " | ".join(r) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
