#!/usr/bin/env python3
"""Rules of the source tree that no compiler checks (docs/architecture.md §1):

1. Layering: models <- optimizer <- formats <- {app, python}; a folder includes nothing from a
   folder to its right, and python/ nothing from app/.
2. No include loop: no unit (a .h with its .cpp) reaches itself through the units it includes.
3. The discharge solver's step, kinetics and time loop hold no decimal literal but the 0, 1 and
   2 of their formulas: every tolerance and tuning constant is a named field of SolverTolerances
   (models/discharge/tolerances.h).

Usage: source_rules_test.py SOURCE_DIR. Prints what it checked; exits 1 naming every breach."""
import os
import re
import sys

SRC = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")
LAYERS = {"models": 0, "optimizer": 1, "formats": 2, "app": 3, "python": 3}
FOLDERS = ["models", "models/discharge", "optimizer", "formats", "app", "python"]
SOLVER_CODE = ["models/discharge/integrator.cpp", "models/discharge/newton.cpp",
               "models/discharge/kinetics.h", "models/discharge/tridiagonal.h"]
ALLOWED_LITERALS = {"0.0", "1.0", "2.0"}


def sources():
    for folder in FOLDERS:
        for name in sorted(os.listdir(os.path.join(SRC, folder))):
            if re.search(r"\.(h|cpp)$", name):
                yield folder, os.path.join(folder, name)


def includes(path):
    with open(os.path.join(SRC, path), encoding="utf-8") as f:
        return re.findall(r'^\s*#include "([^"]+)"', f.read(), re.M)


def top(path):
    return path.split("/")[0]


def main():
    failures, checked = [], 0
    graph = {}
    for folder, path in sources():
        unit = re.sub(r"\.(h|cpp)$", "", path)
        for inc in includes(path):
            checked += 1
            target = top(inc)
            if target in LAYERS and LAYERS[target] > LAYERS[top(path)]:
                failures.append(f"{path} includes {inc}: {top(path)} may not depend on {target}")
            if top(path) == "python" and target == "app":
                failures.append(f"{path} includes {inc}: python/ binds the libraries, not app/")
            dep = re.sub(r"\.h$", "", inc)
            if dep != unit and os.path.exists(os.path.join(SRC, inc)):
                graph.setdefault(unit, set()).add(dep)
    # A unit that reaches itself: report the loop's path.
    for start in sorted(graph):
        stack, seen = [(start, [start])], set()
        while stack:
            node, trail = stack.pop()
            for nxt in sorted(graph.get(node, ())):
                if nxt == start:
                    failures.append("include loop: " + " -> ".join(trail + [start]))
                    stack = []
                    break
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append((nxt, trail + [nxt]))
    literal = re.compile(r"(?<![\w.])(\d+\.\d*|\.\d+)([eE][-+]?\d+)?|(?<![\w.])\d+[eE][-+]?\d+")
    for path in SOLVER_CODE:
        with open(os.path.join(SRC, path), encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                code = line.split("//")[0]
                for m in literal.finditer(code):
                    if m.group(0) not in ALLOWED_LITERALS:
                        failures.append(f"{path}:{number}: bare literal {m.group(0)} "
                                        "(name it in SolverTolerances)")
    print(f"source rules: {checked} includes of {len(graph)} units, "
          f"{len(SOLVER_CODE)} solver files checked")
    for f in failures:
        print("FAIL:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
