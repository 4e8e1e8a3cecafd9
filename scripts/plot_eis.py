#!/usr/bin/python3
"""Nyquist plots with the TLM fit and Lin-KK residuals per spectrum, and R_ion versus thickness.

usage: plot_eis.py PREFIX   (reads PREFIX_spectra.csv and PREFIX_thickness.csv written by
                             `edopt calibrate eis ... --curves PREFIX`; writes PREFIX_nyquist.png
                             and PREFIX_thickness.png)
"""
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from edopt_plot import rows, save  # noqa: E402




def main(prefix):
    spectra = rows(prefix + "_spectra.csv")
    thick = rows(prefix + "_thickness.csv")
    r_ion = {r["spectrum"]: float(r["r_ion_ohm"]) for r in thick}
    names = list(dict.fromkeys(r["spectrum"] for r in spectra))
    fig, axes = plt.subplots(2, len(names), figsize=(4.5 * len(names), 7), squeeze=False,
                             gridspec_kw={"height_ratios": [3, 1]})
    for i, name in enumerate(names):
        pts = [r for r in spectra if r["spectrum"] == name]
        f = [float(r["frequency_Hz"]) for r in pts]
        ax = axes[0][i]
        ax.plot([float(r["z_real_ohm"]) for r in pts], [-float(r["z_imag_ohm"]) for r in pts],
                "o", ms=3, label="data")
        ax.plot([float(r["fit_real_ohm"]) for r in pts], [-float(r["fit_imag_ohm"]) for r in pts],
                "-", label="TLM fit (per electrode x 2)")
        # Zoom on the transmission-line region (the 45 degree line and the knee at
        # R_HF + 2 R_ion / 3); the capacitive tail beyond would flatten everything else.
        re0 = min(float(r["z_real_ohm"]) for r in pts)
        window = 2.5 * r_ion[name]
        ax.set_xlim(re0 - 0.1 * window, re0 + window)
        ax.set_ylim(-0.1 * window, window)
        ax.set_aspect("equal", adjustable="box")
        ax.set_xlabel("Z' / ohm")
        ax.set_ylabel("-Z'' / ohm")
        ax.set_title(f"{os.path.basename(name)} ({pts[0]['thickness_um']} um)", fontsize=9)
        ax.legend(fontsize=7)
        res = axes[1][i]
        res.semilogx(f, [100 * float(r["kk_residual_real"]) for r in pts], ".", label="real")
        res.semilogx(f, [100 * float(r["kk_residual_imag"]) for r in pts], ".", label="imag")
        res.axhline(1, color="0.6", lw=0.8)
        res.axhline(-1, color="0.6", lw=0.8)
        res.set_xlabel("frequency / Hz")
        res.set_ylabel("Lin-KK residual / %")
        res.legend(fontsize=7)
    save(fig, prefix + "_nyquist.png")

    fig, ax = plt.subplots(figsize=(5.5, 4))
    for w in sorted({r["active_wt_fraction"] for r in thick}):
        pts = [r for r in thick if r["active_wt_fraction"] == w]
        x = [float(r["thickness_um"]) for r in pts]
        ax.errorbar(x, [float(r["r_ion_ohm"]) for r in pts],
                    yerr=[float(r["r_ion_se_ohm"]) for r in pts], fmt="o", label=f"NG {w}")
        slope, intercept = float(pts[0]["fit_slope_ohm_per_um"]), float(pts[0]["fit_intercept_ohm"])
        xs = [0, max(x) * 1.1]
        ax.plot(xs, [intercept + slope * v for v in xs], "-", lw=1)
    ax.set_xlabel("electrode thickness / um")
    ax.set_ylabel("R_ion per electrode / ohm")
    ax.legend()
    save(fig, prefix + "_thickness.png")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
