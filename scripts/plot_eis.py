#!/usr/bin/python3
"""Nyquist and Bode plots with the TLM fit and Lin-KK residuals per spectrum, and R_ion versus
thickness.

usage: plot_eis.py PREFIX [--format png|pdf|svg]   (reads PREFIX_spectra.csv and
       PREFIX_thickness.csv written by `edopt calibrate eis ... --curves PREFIX`; writes
       PREFIX_nyquist.png and PREFIX_thickness.png, or .pdf/.svg)
"""
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from edopt_plot import output_format, plotting, rows, save  # noqa: E402




def main(prefix, fmt):
    spectra = rows(prefix + "_spectra.csv")
    thick = rows(prefix + "_thickness.csv")
    r_ion = {r["spectrum"]: float(r["r_ion_ohm"]) for r in thick}
    names = list(dict.fromkeys(r["spectrum"] for r in spectra))
    fig, axes = plt.subplots(4, len(names), figsize=(4.5 * len(names), 12), squeeze=False,
                             gridspec_kw={"height_ratios": [3, 1.3, 1.3, 1]})
    for i, name in enumerate(names):
        pts = [r for r in spectra if r["spectrum"] == name]
        plotting.draw_spectrum([axes[k][i] for k in range(4)], pts, r_ion.get(name),
                               f"{os.path.basename(name)} ({pts[0]['thickness_um']} um)")
    save(fig, prefix + "_nyquist." + fmt)

    fig, ax = plt.subplots(figsize=(5.5, 4))
    for w in sorted({r["active_wt_fraction"] for r in thick}):
        pts = [r for r in thick if r["active_wt_fraction"] == w]
        x = [float(r["thickness_um"]) for r in pts]
        ax.errorbar(x, [float(r["r_ion_ohm"]) for r in pts],
                    yerr=[float(r["r_ion_se_ohm"]) for r in pts], fmt="o", label=f"active {w}")
        slope, intercept = float(pts[0]["fit_slope_ohm_per_um"]), float(pts[0]["fit_intercept_ohm"])
        xs = [0, max(x) * 1.1]
        ax.plot(xs, [intercept + slope * v for v in xs], "-", lw=1)
    ax.set_xlabel("electrode thickness / um")
    ax.set_ylabel("R_ion per electrode / ohm")
    ax.legend()
    save(fig, prefix + "_thickness." + fmt)


if __name__ == "__main__":
    fmt = output_format()
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1], fmt)
