#!/usr/bin/python3
"""Measured versus predicted utilization of a rate-test calibration.

usage: plot_rates.py PREDICTIONS.csv OUT.png   (PREDICTIONS.csv from
       `edopt calibrate rates ... --predictions FILE`)
"""
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from edopt_plot import rows, save  # noqa: E402


def main(path, out):
    pts = rows(path)
    fig, ax = plt.subplots(figsize=(5, 5))
    ax.plot([0, 1], [0, 1], color="0.6", lw=1)
    for key, label, marker in (("initial_utilization", "priors", "x"),
                               ("fitted_utilization", "fitted", "o")):
        ax.scatter([float(p["measured_utilization"]) for p in pts], [float(p[key]) for p in pts],
                   marker=marker, label=label)
    for p in pts:
        ax.annotate(f"{p['design']} {p['c_rate']}C",
                    (float(p["measured_utilization"]), float(p["fitted_utilization"])),
                    textcoords="offset points", xytext=(4, -8), fontsize=7)
    ax.set_xlabel("measured utilization")
    ax.set_ylabel("model utilization")
    ax.set_xlim(0, 1.02)
    ax.set_ylim(0, 1.02)
    ax.legend()
    save(fig, out)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
