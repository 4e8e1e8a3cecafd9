#!/usr/bin/python3
"""Pareto front of `edopt optimize`, coloured by layer count, with the best uniform electrodes,
the scenario's reference designs and the knee and band picks (with their 95% intervals of a new
measurement when the scenario carried a posterior).

usage: plot_pareto.py RUN_DIR [--format png|pdf|svg]   (reads pareto.csv,
       fronts_by_layer_count.csv, references.csv and recipes.csv; writes pareto.png/.pdf/.svg)
"""
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from edopt_plot import output_format, plotting, rows, save  # noqa: E402


def main(run_dir, fmt):
    def optional(name):
        path = os.path.join(run_dir, name)
        return rows(path) if os.path.exists(path) else []

    fig, ax = plt.subplots(figsize=(7.5, 5.2))
    plotting.draw_front(ax, rows(os.path.join(run_dir, "pareto.csv")),
                        optional("fronts_by_layer_count.csv"), optional("references.csv"),
                        optional("recipes.csv"), title="Pareto front (mean active fraction held)")
    save(fig, os.path.join(run_dir, "pareto." + fmt))


if __name__ == "__main__":
    fmt = output_format()
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1], fmt)
