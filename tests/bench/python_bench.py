#!/usr/bin/python3
"""Issue 26's benchmark: edopt.evaluate of 1,000 designs in-process against 1,000 `edopt
simulate` processes (wall time on this machine's cores), and the per-call overhead of one
edopt.simulate from Python against the model's own time.
Usage: PYTHONPATH=build/python /usr/bin/python3 tests/bench/python_bench.py [build/edopt]"""
import os
import subprocess
import sys
import time

import numpy as np

import edopt

binary = sys.argv[1] if len(sys.argv) > 1 else "build/edopt"
rng = np.random.default_rng(1)
n = 1000
w = rng.uniform(0.3, 0.8, size=(n, 2))
t = rng.uniform(10, 100, size=(n, 2))
X = np.hstack([w, t])
sc = edopt.Scenario()

start = time.perf_counter()
y = edopt.evaluate(sc, X, rate=0.3)
in_process = time.perf_counter() - start

designs = [f"{100 * a:.4f}:{100 - 100 * a:.4f}@{c:.4f},{100 * b:.4f}:{100 - 100 * b:.4f}@{d:.4f}"
           for a, b, c, d in X]
start = time.perf_counter()
procs = []
for i, d in enumerate(designs):  # two at a time, one per core
    procs.append(subprocess.Popen([binary, "simulate", "--design", d, "--rate", "0.3", "--json",
                                   "--set", "calibration.posterior_file="],
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL))
    if len(procs) >= os.cpu_count():
        procs.pop(0).communicate()
for p in procs:
    p.communicate()
processes = time.perf_counter() - start

# One simulate call from Python (no posterior, so only the discharge) vs evaluate of one design.
plain = edopt.Scenario().set("calibration.posterior_file", "")
calls = 200
start = time.perf_counter()
for _ in range(calls):
    edopt.simulate(plain, "6:4@63", rates=[0.3])
per_simulate = (time.perf_counter() - start) / calls
start = time.perf_counter()
for _ in range(calls):
    edopt.evaluate(plain, np.array([[0.6, 63.0]]), rate=0.3)
per_evaluate = (time.perf_counter() - start) / calls

print(f"evaluate, {n} designs in-process: {in_process:.2f} s ({1e3 * in_process / n:.3f} ms per design)")
print(f"{n} edopt simulate processes ({os.cpu_count()} at a time): {processes:.2f} s "
      f"({1e3 * processes / n:.2f} ms per design) -> {processes / in_process:.0f}x")
print(f"one edopt.simulate call (DataFrame included): {1e3 * per_simulate:.2f} ms; "
      f"one-design evaluate: {1e3 * per_evaluate:.3f} ms")
print(f"failed designs: {int(np.isnan(y[:, 1]).sum())}")
