#!/usr/bin/python3
"""edopt's model as the objective of scipy's optimizer: for each capacity target, differential
evolution finds the two-layer electrode (NG fraction and thickness per layer) of the highest
0.3C utilization that reaches the target; the resulting front is plotted beside the uniform
electrodes'. Usage: /usr/bin/python3 examples/scipy_front.py [out.png]   (~1 min on 2 cores)
"""
import sys

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
from scipy.optimize import differential_evolution

import edopt

sc = edopt.Scenario()  # the built-in seed study, with its posterior


def front_point(target, layers=2, seed=1):
    """Highest utilization at capacity >= target (mAh/cm2) and mean NG fraction >= 0.6."""
    bounds = [(0.3, 0.8)] * layers + [(10.0, 150.0)] * layers

    def batch_objective(population):
        # scipy hands the whole population (vectorized=True): one parallel C++ call.
        X = np.atleast_2d(population.T)
        y = edopt.evaluate(sc, X, rate=0.3)
        w, t = X[:, :layers], X[:, layers:]
        mean_active = (w * t).sum(axis=1) / t.sum(axis=1)
        penalty = 10 * np.maximum(0, target - y[:, 0]) + 10 * np.maximum(0, 0.6 - mean_active)
        return np.where(np.isnan(y[:, 1]), 1.0, -y[:, 1] + penalty)

    r = differential_evolution(batch_objective, bounds, seed=seed, vectorized=True,
                               updating="deferred", maxiter=60, popsize=20, tol=1e-6, polish=False)
    y = edopt.evaluate(sc, r.x[None, :], rate=0.3)[0]
    return r.x, y


targets = np.arange(2.0, 6.01, 0.5)
points = [front_point(c) for c in targets]
uniform_t = np.linspace(20, 150, 40)
uniform = edopt.evaluate(sc, np.column_stack([np.full_like(uniform_t, 0.6), uniform_t]), rate=0.3)

for c, (x, y) in zip(targets, points):
    print(f">= {c:.1f} mAh/cm2: {x[0]:.2f}@{x[2]:.0f} um, {x[1]:.2f}@{x[3]:.0f} um -> "
          f"{y[0]:.2f} mAh/cm2, utilization {y[1]:.3f}")
plt.plot(uniform[:, 0], uniform[:, 1], "k--", label="uniform 6:4")
plt.plot([y[0] for _, y in points], [y[1] for _, y in points], "o-", label="two layers (scipy DE)")
plt.xlabel("theoretical capacity, mAh/cm2")
plt.ylabel("utilization at 0.3C")
plt.legend()
out = sys.argv[1] if len(sys.argv) > 1 else "results/scipy_front.png"
plt.savefig(out, dpi=120)
print("wrote", out)
