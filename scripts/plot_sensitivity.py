#!/usr/bin/python3
"""Plots of `edopt sensitivity`: the fronts overlaid per factor, and a tornado per design.

usage: plot_sensitivity.py DIR [--format png|pdf|svg]   (reads DIR/fronts.csv and
       DIR/tornado.csv; writes DIR/fronts.png and DIR/tornado.png, or .pdf/.svg)
"""
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from edopt_plot import output_format, rows, save  # noqa: E402




def main(run_dir, fmt):
    fronts = rows(os.path.join(run_dir, "fronts.csv"))
    factors = sorted({float(r["factor"]) for r in fronts})
    fig, ax = plt.subplots(figsize=(7, 5))
    cmap = plt.get_cmap("viridis")
    for i, f in enumerate(factors):
        pts = sorted((float(r["theoretical_capacity_mAh_cm2"]), float(r["utilization"]))
                     for r in fronts if float(r["factor"]) == f)
        ax.step([p[0] for p in pts], [p[1] for p in pts], where="post",
                color=cmap(i / max(1, len(factors) - 1)), label=f"x {f:g}")
    ax.set_xlabel("theoretical areal capacity / mAh cm$^{-2}$")
    ax.set_ylabel("utilization at the objective rate")
    ax.set_ylim(0, 1.02)
    ax.legend(title="factor")
    ax.set_title("Pareto fronts per factor (pooled designs)")
    save(fig, os.path.join(run_dir, "fronts." + fmt))

    bars = rows(os.path.join(run_dir, "tornado.csv"))
    designs = list(dict.fromkeys(r["design"] for r in bars))
    if not designs:
        return
    fig, axes = plt.subplots(len(designs), 1, figsize=(8, 2.2 * len(designs)), squeeze=False)
    for ax, d in zip(axes[:, 0], designs):
        mine = sorted((r for r in bars if r["design"] == d), key=lambda r: float(r["swing"]))
        nominal = float(mine[0]["utilization_nominal"])
        for y, r in enumerate(mine):
            lo, hi = float(r["utilization_low"]), float(r["utilization_high"])
            ax.barh(y, lo - nominal, left=nominal, color="tab:blue", height=0.6)
            ax.barh(y, hi - nominal, left=nominal, color="tab:orange", height=0.6)
        ax.axvline(nominal, color="k", lw=0.8)
        ax.set_yticks(range(len(mine)))
        ax.set_yticklabels([r["parameter"] for r in mine], fontsize=7)
        ax.set_title(f"{d}: low factor (blue) / high factor (orange)", fontsize=8)
        ax.set_xlabel("utilization", fontsize=8)
    save(fig, os.path.join(run_dir, "tornado." + fmt))


if __name__ == "__main__":
    fmt = output_format()
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1], fmt)
