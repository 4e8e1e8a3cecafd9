#!/usr/bin/python3
"""Voltage curves and final lithiation profiles from `edopt simulate --curve FILE`.

usage: plot_curves.py CURVES.csv OUT.png|OUT.pdf|OUT.svg   (reads CURVES_profile.csv beside CURVES.csv)
"""
import csv
import os
import sys
from collections import defaultdict

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from edopt_plot import save  # noqa: E402


def read(path):
    groups = defaultdict(list)
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            groups[(row["design"], float(row["c_rate"]))].append(row)
    return groups


def main(curves_path, out_path):
    curves = read(curves_path)
    stem, _ = os.path.splitext(curves_path)
    profiles = read(stem + "_profile.csv")
    fig, (ax_v, ax_x) = plt.subplots(1, 2, figsize=(12, 4.8))
    for (design, rate), rows in sorted(curves.items()):
        ax_v.plot([float(r["capacity_mAh_cm2"]) for r in rows], [float(r["voltage_V"]) for r in rows],
                  label=f"{design} @ {rate:g}C", linestyle="-" if rate >= 0.3 else "--")
    ax_v.set_xlabel("delivered capacity / mAh cm$^{-2}$")
    ax_v.set_ylabel("cell voltage vs Li / V")
    ax_v.set_ylim(bottom=min(0.0, ax_v.get_ylim()[0]), top=0.6)
    ax_v.set_title("lithiation (constant current)")
    ax_v.legend(fontsize=7)
    for (design, rate), rows in sorted(profiles.items()):
        ax_x.plot([float(r["x_um"]) for r in rows], [float(r["mean_stoichiometry"]) for r in rows],
                  label=f"{design} @ {rate:g}C", linestyle="-" if rate >= 0.3 else "--", marker=".")
    ax_x.set_xlabel("distance from separator / µm")
    ax_x.set_ylabel("mean stoichiometry x in Li$_x$C$_6$ at end")
    ax_x.set_ylim(0, 1.02)
    ax_x.set_title("final lithiation profile")
    save(fig, out_path)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
