#!/usr/bin/env python3
"""Docs that run: every ```bash and ```python block of README.md and docs/python.md, as written,
from a scratch folder that looks like the checkout (its folders linked in, `build` linked to the
build under test, `results/` empty), Python with PYTHONPATH=build/python. A block preceded by
`<!-- docs-test: skip (reason) -->` is listed with its reason and not run.

usage: docs_test.py SOURCE_DIR BUILD_DIR   (prints every block it ran; exits 1 if any failed)"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

DOCS = ["README.md", "docs/python.md"]
LINKED = ["docs", "examples", "python", "scenarios", "scripts", "tests"]
PYTHON = "/usr/bin/python3"


def blocks(path):
    """(line, language, code, skip reason or None) of every fenced bash/python block."""
    lines = open(path, encoding="utf-8").read().split("\n")
    out, i = [], 0
    while i < len(lines):
        m = re.match(r"^```(bash|python)\s*$", lines[i])
        if not m:
            i += 1
            continue
        start, lang = i + 1, m.group(1)
        skip = None
        for back in (i - 1, i - 2):
            s = re.match(r"^<!-- docs-test: skip \((.*)\) -->", lines[back]) if back >= 0 else None
            if s:
                skip = s.group(1)
        j = i + 1
        while j < len(lines) and not lines[j].startswith("```"):
            j += 1
        out.append((start, lang, "\n".join(lines[i + 1:j]) + "\n", skip))
        i = j + 1
    return out


def main(source, build):
    passed = failed = skipped = 0
    with tempfile.TemporaryDirectory(prefix="edopt_docs_") as work:
        for name in LINKED:
            os.symlink(os.path.join(source, name), os.path.join(work, name))
        os.symlink(os.path.abspath(build), os.path.join(work, "build"))
        os.makedirs(os.path.join(work, "results"))
        env = dict(os.environ, PYTHONPATH=os.path.join(work, "build", "python"), MPLBACKEND="Agg")
        for doc in DOCS:
            for line, lang, code, skip in blocks(os.path.join(source, doc)):
                where = f"{doc}:{line} ({lang})"
                if skip:
                    print(f"SKIP {where}: {skip}")
                    skipped += 1
                    continue
                script = os.path.join(work, f"block_{line}.{'py' if lang == 'python' else 'sh'}")
                with open(script, "w", encoding="utf-8") as f:
                    f.write(code if lang == "python" else "set -euo pipefail\n" + code)
                command = [PYTHON, script] if lang == "python" else ["bash", script]
                begin = time.time()
                run = subprocess.run(command, cwd=work, env=env, capture_output=True, text=True)
                seconds = time.time() - begin
                if run.returncode == 0:
                    print(f"RAN  {where}: ok in {seconds:.1f} s")
                    passed += 1
                else:
                    print(f"FAIL {where}: exit {run.returncode}\n{run.stdout[-2000:]}{run.stderr[-3000:]}")
                    failed += 1
    print(f"docs: {passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(os.path.abspath(sys.argv[1]), sys.argv[2]))
