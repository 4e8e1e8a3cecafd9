#!/usr/bin/python3
"""Where the high-loading cliff sits: utilization at 0.1C and 1C of uniform cathode layers of
4 mAh/cm2 versus NCM wt% (60-95, 1 wt% carbon), for SE D50 0.5, 1.5 and 5 um and for the
composition law without particle sizes (the model before issue 35). docs/physics.md §3b.

    /usr/bin/python3 scripts/microstructure_cliff.py [--edopt build/edopt] [--capacity 4]

Standard library only; every number is an `edopt simulate --json` of
scenarios/ncm-argyrodite.ini with --set overrides."""

import argparse
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCENARIO = os.path.join(ROOT, "scenarios", "ncm-argyrodite.ini")
CASES = [
    ("no sizes (before)", ["materials.se_particle_radius_um=0", "electrode.contact_area_factor=0.13"]),
    ("SE D50 0.5 um", ["materials.se_particle_radius_um=0.25"]),
    ("SE D50 1.5 um", ["materials.se_particle_radius_um=0.75"]),
    ("SE D50 5 um", ["materials.se_particle_radius_um=2.5"]),
]
WT = list(range(60, 96, 5)) + [88, 92]


def simulate(edopt, sets, designs, rates):
    cmd = [edopt, "simulate", "--scenario", SCENARIO, "--json", "--rate", ",".join(map(str, rates))]
    for s in sets:
        cmd += ["--set", s]
    for d in designs:
        cmd += ["--design", d]
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit("edopt failed: " + out.stderr)
    data = json.loads(out.stdout)
    return data if isinstance(data, list) else data.get("designs", [data])


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--edopt", default=os.path.join(ROOT, "build", "edopt"))
    ap.add_argument("--capacity", type=float, default=4.0, help="mAh/cm2 of every layer")
    args = ap.parse_args()
    wts = sorted(WT)
    label = lambda w, t: f"{w}:{99 - w}:1@{t:g}"
    # Capacity per um of each composition, from one 100 um layer each.
    probe = simulate(args.edopt, CASES[0][1], [label(w, 100) for w in wts], [0.1])
    per_um = {w: d["results"][0]["theoretical_capacity_mAh_cm2"] / 100 for w, d in zip(wts, probe)}
    thick = {w: round(args.capacity / per_um[w]) for w in wts}
    print(f"Uniform layers of {args.capacity:g} mAh/cm2 (thickness per wt%: " +
          ", ".join(f"{w}: {thick[w]} um" for w in wts) + ")\n")
    print("| NCM wt% | " + " | ".join(f"{name} 0.1C | 1C" for name, _ in CASES) + " |")
    print("|---|" + "---|---|" * len(CASES))
    table = {}
    for name, sets in CASES:
        designs = simulate(args.edopt, sets, [label(w, thick[w]) for w in wts], [0.1, 1])
        for w, d in zip(wts, designs):
            table[(name, w)] = [r["utilization"] for r in d["results"]]
    for w in wts:
        print(f"| {w} | " + " | ".join(
            f"{table[(n, w)][0]:.3f} | {table[(n, w)][1]:.3f}" for n, _ in CASES) + " |")


if __name__ == "__main__":
    main()
