#!/usr/bin/python3
"""Pareto front of `edopt optimize`, coloured by layer count, with the best uniform electrodes.

usage: plot_pareto.py RUN_DIR   (reads pareto.csv, fronts_by_layer_count.csv, references.csv and
                                 recipes.csv, writes pareto.png)
When the scenario carried a posterior, the knee and band designs of recipes.csv are drawn with
their 95% interval of a new measurement.
"""
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from edopt_plot import rows, save  # noqa: E402



def main(run_dir):
    front = rows(os.path.join(run_dir, "pareto.csv"))
    by_count = rows(os.path.join(run_dir, "fronts_by_layer_count.csv"))
    fig, ax = plt.subplots(figsize=(7, 5))
    uniform = sorted((float(r["theoretical_capacity_mAh_cm2"]), float(r["utilization"]))
                     for r in by_count if r["layer_count"] == "1")
    if uniform:
        ax.plot([u[0] for u in uniform], [u[1] for u in uniform], color="0.6", lw=1,
                label="best uniform (1 layer)")
    counts = sorted({int(r["layer_count"]) for r in front})
    for n in counts:
        pts = [r for r in front if int(r["layer_count"]) == n]
        ax.scatter([float(r["theoretical_capacity_mAh_cm2"]) for r in pts],
                   [float(r["utilization"]) for r in pts], s=14, label=f"{n} layer(s)")
    ref_path = os.path.join(run_dir, "references.csv")
    if os.path.exists(ref_path):
        refs = rows(ref_path)
        for r in refs:
            uniform_ref = r["layer_count"] == "1"
            ax.scatter(float(r["theoretical_capacity_mAh_cm2"]), float(r["utilization"]),
                       marker="s" if uniform_ref else "D", s=40, facecolors="none",
                       edgecolors="k", zorder=5)
            ax.annotate(r["design"], (float(r["theoretical_capacity_mAh_cm2"]),
                                      float(r["utilization"])),
                        textcoords="offset points", xytext=(5, -10), fontsize=7)
        ax.scatter([], [], marker="s", facecolors="none", edgecolors="k",
                   label="reference designs (scenario)")
    recipes_path = os.path.join(run_dir, "recipes.csv")
    if os.path.exists(recipes_path):
        picks = {}
        for r in rows(recipes_path):
            if r.get("utilization_low_95"):
                picks.setdefault(r["pick"], r)  # one row per layer: the first carries the pick
        if picks:
            # Capacity of a pick: the sum of its layers' capacities.
            capacity = {}
            for r in rows(recipes_path):
                capacity[r["pick"]] = capacity.get(r["pick"], 0.0) + float(r["capacity_mAh_cm2"])
            x = [capacity[p] for p in picks]
            y = [float(r["utilization"]) for r in picks.values()]
            low = [yy - float(r["utilization_low_95"]) for yy, r in zip(y, picks.values())]
            high = [float(r["utilization_high_95"]) - yy for yy, r in zip(y, picks.values())]
            ax.errorbar(x, y, yerr=[low, high], fmt="none", ecolor="k", elinewidth=1, capsize=3,
                        zorder=6, label="knee and band designs: 95% interval")
    ax.set_xlabel("theoretical areal capacity / mAh cm$^{-2}$")
    ax.set_ylabel("utilization at the objective rate")
    ax.set_ylim(0, 1.02)
    ax.legend()
    ax.set_title("Pareto front (mean NG fraction held)")
    save(fig, os.path.join(run_dir, "pareto.png"))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
