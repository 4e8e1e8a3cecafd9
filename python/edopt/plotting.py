"""Figures of edopt's results, shared by the plot scripts (scripts/plot_*.py, which load this
file by path: it needs only matplotlib) and the Python module (edopt.plot_front, edopt.plot_eis).
Every figure is written atomically in the format its file name says (PNG, PDF, SVG: vector for
PDF and SVG)."""
import csv
import os

FORMATS = ("png", "pdf", "svg")


def rows(path):
    """A CSV file as a list of dicts."""
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def save(fig, path, dpi=150):
    """Writes the figure in the format of the path's extension (png, pdf or svg) to a temporary
    file and renames it into place."""
    ext = os.path.splitext(path)[1].lstrip(".").lower()
    if ext not in FORMATS:
        raise ValueError(f"{path}: expected a .png, .pdf or .svg file name")
    fig.tight_layout()
    tmp = f"{path}.tmp.{ext}"
    fig.savefig(tmp, format=ext, dpi=dpi)
    os.replace(tmp, path)


def _picks(recipes):
    """Knee and band picks of recipes.csv rows: [(name, design, capacity, utilization, low,
    high)], capacity summed over the pick's layers."""
    out = {}
    for r in recipes:
        p = out.setdefault(r["pick"], {"design": r["design"], "capacity": 0.0,
                                       "utilization": float(r["utilization"]),
                                       "low": r.get("utilization_low_95", ""),
                                       "high": r.get("utilization_high_95", "")})
        p["capacity"] += float(r["capacity_mAh_cm2"])
    return [(name, p["design"], p["capacity"], p["utilization"],
             float(p["low"]) if p["low"] else None, float(p["high"]) if p["high"] else None)
            for name, p in out.items()]


def draw_front(ax, front, by_count=(), references=(), recipes=(), title=None):
    """The Pareto front coloured by layer count, the best uniform electrodes, the scenario's
    reference designs and the knee and band picks (with their 95% intervals when the run had a
    posterior). Arguments are rows of pareto.csv, fronts_by_layer_count.csv, references.csv and
    recipes.csv (dicts of text, as csv.DictReader gives them)."""
    cap, util = "theoretical_capacity_mAh_cm2", "utilization"
    uniform = sorted((float(r[cap]), float(r[util])) for r in by_count if str(r["layer_count"]) == "1")
    if uniform:
        ax.plot([u[0] for u in uniform], [u[1] for u in uniform], color="0.6", lw=1,
                label="best uniform (1 layer)")
    for n in sorted({int(r["layer_count"]) for r in front}):
        pts = [r for r in front if int(r["layer_count"]) == n]
        ax.scatter([float(r[cap]) for r in pts], [float(r[util]) for r in pts], s=12,
                   label=f"{n} layer(s)", zorder=3)
    for r in references:
        ax.scatter(float(r[cap]), float(r[util]), marker="s" if str(r["layer_count"]) == "1" else "D",
                   s=36, facecolors="none", edgecolors="0.3", zorder=4)
    if references:
        ax.scatter([], [], marker="s", facecolors="none", edgecolors="0.3",
                   label="reference designs (scenario)")
    picks = sorted(_picks(recipes), key=lambda p: p[2])
    for i, (name, design, x, y, low, high) in enumerate(picks):
        ax.scatter(x, y, marker="*", s=140, color="k", zorder=6,
                   label="knee and band picks" if i == 0 else None)
        if low is not None and high is not None:
            ax.errorbar(x, y, yerr=[[y - low], [high - y]], fmt="none", ecolor="k",
                        elinewidth=1, capsize=3, zorder=5)
        # The labels stand in a column in the upper right, in order of capacity, each with a
        # leader line to its pick: none overlaps another, a point or an interval bar.
        short = name.replace("capacity>=", ">= ")
        ax.annotate(f"{short}: {design}", (x, y), xycoords="data", textcoords="axes fraction",
                    xytext=(0.50, 0.95 - 0.06 * i), fontsize=7, ha="left", va="center",
                    arrowprops=dict(arrowstyle="-", color="0.55", lw=0.6, relpos=(0.0, 0.5)),
                    zorder=7)
    ax.set_xlabel("theoretical areal capacity / mAh cm$^{-2}$")
    ax.set_ylabel("utilization at the objective rate")
    ax.set_ylim(0, 1.05)
    ax.legend(fontsize=8, loc="lower left")
    if title:
        ax.set_title(title)
    return ax


def draw_rates(ax, predictions):
    """Measured versus model utilization of a rate calibration (rows of --predictions): priors
    as hollow circles on top of the fitted points, each point numbered; the numbers' designs and
    rates are listed beside the axes (no labels on top of each other)."""
    measured = [float(p["measured_utilization"]) for p in predictions]
    ax.plot([0, 1], [0, 1], color="0.6", lw=1)
    ax.scatter(measured, [float(p["fitted_utilization"]) for p in predictions], marker="o",
               s=28, color="tab:blue", label="fitted", zorder=3)
    ax.scatter(measured, [float(p["initial_utilization"]) for p in predictions], marker="o",
               s=44, facecolors="none", edgecolors="tab:orange", linewidths=1.2,
               label="priors", zorder=4)
    legend = []
    for i, p in enumerate(predictions, 1):
        ax.annotate(str(i), (float(p["measured_utilization"]), float(p["fitted_utilization"])),
                    textcoords="offset points", xytext=(5, -3), fontsize=7)
        legend.append(f"{i}: {p['design']} {float(p['c_rate']):g}C")
    ax.text(1.03, 1.0, "\n".join(legend), transform=ax.transAxes, fontsize=7, va="top",
            family="monospace")
    ax.set_xlabel("measured utilization")
    ax.set_ylabel("model utilization")
    ax.set_xlim(0, 1.02)
    ax.set_ylim(0, 1.02)
    ax.set_aspect("equal", adjustable="box")
    ax.legend(fontsize=8, loc="upper left")
    return ax


def draw_spectrum(axes, points, r_ion_ohm=None, title=None):
    """One spectrum of `calibrate eis --curves` (rows of PREFIX_spectra.csv): Nyquist with the
    TLM fit (axes[0]), Bode magnitude and phase of data and fit (axes[1], axes[2]) and the
    Lin-KK residuals (axes[3])."""
    import math
    f = [float(r["frequency_Hz"]) for r in points]
    zr, zi = [float(r["z_real_ohm"]) for r in points], [float(r["z_imag_ohm"]) for r in points]
    fr, fi = [float(r["fit_real_ohm"]) for r in points], [float(r["fit_imag_ohm"]) for r in points]
    ny, bode_m, bode_p, kk = axes
    ny.plot(zr, [-v for v in zi], "o", ms=3, label="data")
    ny.plot(fr, [-v for v in fi], "-", label="TLM fit (per electrode x 2)")
    if r_ion_ohm:
        # The transmission-line region (the 45 degree line and the knee at R_HF + 2 R_ion / 3);
        # the capacitive tail beyond would flatten everything else.
        re0, window = min(zr), 2.5 * r_ion_ohm
        ny.set_xlim(re0 - 0.1 * window, re0 + window)
        ny.set_ylim(-0.1 * window, window)
    ny.set_aspect("equal", adjustable="box")
    ny.set_xlabel("Z' / ohm")
    ny.set_ylabel("-Z'' / ohm")
    if title:
        ny.set_title(title, fontsize=9)
    ny.legend(fontsize=7)
    mag = [math.hypot(a, b) for a, b in zip(zr, zi)]
    fmag = [math.hypot(a, b) for a, b in zip(fr, fi)]
    bode_m.loglog(f, mag, "o", ms=3, label="|Z| data")
    bode_m.loglog(f, fmag, "-", label="|Z| fit")
    bode_m.set_ylabel("|Z| / ohm")
    bode_m.legend(fontsize=7)
    bode_p.semilogx(f, [-math.degrees(math.atan2(b, a)) for a, b in zip(zr, zi)], "o", ms=3,
                    label="data")
    bode_p.semilogx(f, [-math.degrees(math.atan2(b, a)) for a, b in zip(fr, fi)], "-",
                    label="fit")
    bode_p.set_ylabel("-phase / degree")
    bode_p.set_xlabel("frequency / Hz")
    kk.semilogx(f, [100 * float(r["kk_residual_real"]) for r in points], ".", label="real")
    kk.semilogx(f, [100 * float(r["kk_residual_imag"]) for r in points], ".", label="imag")
    kk.axhline(1, color="0.6", lw=0.8)
    kk.axhline(-1, color="0.6", lw=0.8)
    kk.set_xlabel("frequency / Hz")
    kk.set_ylabel("Lin-KK residual / %")
    kk.legend(fontsize=7)
