#!/usr/bin/python3
"""Measured versus predicted utilization of a rate-test calibration.

usage: plot_rates.py PREDICTIONS.csv OUT.png|OUT.pdf|OUT.svg   (PREDICTIONS.csv from
       `edopt calibrate rates ... --predictions FILE`)
"""
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from edopt_plot import plotting, rows, save  # noqa: E402


def main(path, out):
    fig, ax = plt.subplots(figsize=(7.5, 5))
    plotting.draw_rates(ax, rows(path))
    save(fig, out)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
