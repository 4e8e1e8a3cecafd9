#!/usr/bin/env bash
# Sweeps (issue 7): a sweep killed with SIGKILL and resumed equals an uninterrupted one; two
# shards merged equal the unsharded sweep; a malformed scenario is reported while the rest
# complete; grid names are deterministic; night-to-night comparison flags regressions.
# usage: sweep_test.sh EDOPT
set -u
edopt="$1"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
check() {  # check NAME COMMAND...
  local name="$1"; shift
  if "$@"; then passed=$((passed + 1)); else echo "FAIL: $name"; failed=$((failed + 1)); fi
}
# Index rows without the timing column (the field before the last, quoted, error field).
strip_time() { sed -E 's/,[0-9.e+-]+,("([^"]|"")*")$/,\1/' "$1"; }
same_results() {  # same_results DIR_A DIR_B: index and every result file apart from timings
  local a="$1" b="$2" name f
  diff <(strip_time "$a/sweep.csv") <(strip_time "$b/sweep.csv") >/dev/null || return 1
  for name in $(cd "$a" && ls -d */); do
    for f in pareto.csv fronts_by_layer_count.csv recipes.csv references.csv simulate.csv \
             scenario.ini DONE; do
      [ -e "$a/$name/$f" ] || continue
      cmp -s "$a/$name/$f" "$b/$name/$f" || { echo "differs: $name$f"; return 1; }
    done
    diff <(grep -v '^seconds=' "$a/$name/status.txt") <(grep -v '^seconds=' "$b/$name/status.txt") \
      >/dev/null || return 1
  done
}

in="$tmp/in"
mkdir -p "$in"
cat >"$in/a-seed.ini" <<'INI'
base = builtin
[design_space]
max_layers = 2
[search]
evaluations = 300
population = 16
refinement_evaluations = 0
gap_fill_evaluations = 40
INI
printf 'base = builtin\n[transport]\nresistivity_factr = 2\n' >"$in/b-broken.ini"
cat >"$in/grid.grid" <<'GRID'
base = a-seed.ini
[axes]
transport.resistivity_factor = 0.5, 2
test.temperature_C = 25, 60
GRID

# Uninterrupted reference run (exit 1: one scenario is malformed).
"$edopt" sweep "$in" --out "$tmp/full" --quiet --threads 2 >/dev/null; rc=$?
check "malformed scenario gives exit 1" [ "$rc" -eq 1 ]
check "malformed scenario is reported" grep -q '"b-broken",failed,.*resistivity_factr' "$tmp/full/sweep.csv"
check "the others complete" [ "$(grep -c ',ok,' "$tmp/full/sweep.csv")" -eq 5 ]
expected="a-seed b-broken grid__resistivity_factor-0.5__temperature_C-25 grid__resistivity_factor-0.5__temperature_C-60 grid__resistivity_factor-2__temperature_C-25 grid__resistivity_factor-2__temperature_C-60"
check "grid names are deterministic" [ "$(cd "$tmp/full" && echo $(ls -d */ | tr -d /))" = "$expected" ]
check "grid values are applied" grep -q '^resistivity_factor = 2$' \
  "$tmp/full/grid__resistivity_factor-2__temperature_C-25/scenario.ini"

# Killed with SIGKILL after the first scenario is committed, then resumed.
"$edopt" sweep "$in" --out "$tmp/killed" --quiet --threads 2 >/dev/null 2>&1 &
pid=$!
for _ in $(seq 1 400); do
  [ -e "$tmp/killed/a-seed/DONE" ] && break
  sleep 0.02
done
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
"$edopt" sweep "$in" --out "$tmp/killed" --resume --quiet --threads 2 >/dev/null
check "no partial folder survives the resume" [ -z "$(ls -A "$tmp/killed" | grep partial)" ]
check "killed + resumed equals uninterrupted" same_results "$tmp/full" "$tmp/killed"

# Two shards merged equal the unsharded sweep.
"$edopt" sweep "$in" --out "$tmp/s1" --shard 1/2 --quiet --threads 2 >/dev/null
"$edopt" sweep "$in" --out "$tmp/s2" --shard 2/2 --quiet --threads 2 >/dev/null
"$edopt" sweep merge "$tmp/s1" "$tmp/s2" --out "$tmp/merged" >/dev/null
check "shards merged equal the unsharded sweep" same_results "$tmp/full" "$tmp/merged"
check "shards are disjoint" [ -z "$(comm -12 <(ls "$tmp/s1") <(ls "$tmp/s2") | grep -v -e sweep.csv -e summary.md -e manifest.json)" ]

# Night to night: the same inputs show no regression; a worse material does.
"$edopt" sweep "$in" --out "$tmp/again" --compare "$tmp/full" --fail-on-regression --quiet >/dev/null
rc=$?
check "no regression against an identical night (exit 1 for the malformed one only)" [ "$rc" -eq 1 ]
check "comparison written" grep -q '"a-seed",ok,ok,.*,no$' "$tmp/again/comparison.csv"
# Provenance (issue 23): the same code and inputs are "neither"; a changed input file is named.
check "same code and inputs: neither" grep -q '"a-seed",ok,ok,.*,neither,.*,no$' "$tmp/again/comparison.csv"
check "every scenario folder has its manifest" [ -s "$tmp/again/a-seed/manifest.json" ]
check "the index names each scenario's inputs" grep -q 'a-seed.ini=[0-9a-f]\{64\}' "$tmp/again/sweep.csv"
cp -r "$in" "$tmp/in2"
printf '# a comment: the file changes, the scenario does not\n' >>"$tmp/in2/a-seed.ini"
"$edopt" sweep "$tmp/in2" --out "$tmp/changed" --compare "$tmp/full" --quiet >/dev/null
check "a changed input file is named" grep -q '"a-seed",ok,ok,.*,inputs,.*a-seed.ini",no$' "$tmp/changed/comparison.csv"
check "the summary says what came with the change" grep -q 'changed: .*a-seed.ini' "$tmp/changed/summary.md"
"$edopt" sweep "$in" --out "$tmp/worse" --set transport.resistivity_factor=3 --compare "$tmp/full" \
  --fail-on-regression --quiet >/dev/null
rc=$?
check "a regression exits 5 with --fail-on-regression" [ "$rc" -eq 5 ]
check "the regression is flagged" grep -q '"a-seed",ok,ok,.*,yes$' "$tmp/worse/comparison.csv"

# Two sweeps on one output folder: the second refuses at once (flock), the first completes.
"$edopt" sweep "$in" --out "$tmp/locked" --quiet --threads 1 >/dev/null 2>&1 &
pid=$!
for _ in $(seq 1 400); do
  ls -A "$tmp/locked" 2>/dev/null | grep -q partial && break
  sleep 0.02
done
"$edopt" sweep "$in" --out "$tmp/locked" --quiet --threads 1 >/dev/null 2>"$tmp/lock_err"
rc=$?
check "a second sweep on the same folder exits 2" [ "$rc" -eq 2 ]
check "it says the folder is locked" grep -q "another edopt process" "$tmp/lock_err"
wait "$pid"
check "the first sweep completes all the same" [ "$(grep -c ',ok,' "$tmp/locked/sweep.csv")" -eq 5 ]

# Bad usage.
"$edopt" sweep "$in" --shard 3/2 --out "$tmp/x" >/dev/null 2>&1
check "bad shard exits 2" [ "$?" -eq 2 ]
# Round-two leftovers (issue 38): a scenario folder's manifest lists its status and marker with
# their digests, a failed scenario's too; --resume removes a stale partial folder of a scenario
# it skips; the index always matches the committed folders (checked after a rerun killed at
# every point it can be: before, during and after a commit).
manifest_lists() {  # manifest_lists FOLDER: status.txt and DONE named with their SHA-256
  local d="$1" f
  for f in status.txt DONE; do
    grep -q "\"path\": \"$f\"" "$d/manifest.json" || return 1
    grep -q "$(sha256sum "$d/$f" | cut -d' ' -f1)" "$d/manifest.json" || return 1
  done
}
check "a scenario's manifest lists status.txt and DONE" manifest_lists "$tmp/again/a-seed"
check "a failed scenario's manifest too" manifest_lists "$tmp/again/b-broken"
mkdir -p "$tmp/again/.a-seed.partial"
"$edopt" sweep "$in" --out "$tmp/again" --resume --quiet >/dev/null 2>&1
check "--resume removes a skipped scenario's stale partial folder" [ ! -e "$tmp/again/.a-seed.partial" ]
index_matches_folders() {  # every ok row's knee is the knee its folder's status records
  local d="$1" name knee
  for name in $(tail -n +2 "$d/sweep.csv" | cut -d, -f1 | tr -d '"'); do
    [ -e "$d/$name/DONE" ] || return 1
    knee=$(grep '^knee=' "$d/$name/status.txt" | cut -d= -f2-)
    grep -q "^\"$name\",[a-z]*,.*\"$knee\"" "$d/sweep.csv" || [ -z "$knee" ] || return 1
  done
}
for delay in 0.3 1 2; do
  "$edopt" sweep "$in" --out "$tmp/again" --quiet --set search.seed=$RANDOM >/dev/null 2>&1 &
  pid=$!
  sleep "$delay"
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  rm -f "$tmp/again/.edopt.lock"
  check "after a kill -9 at ${delay} s the index lists only committed results" index_matches_folders "$tmp/again"
done

"$edopt" sweep "$tmp/nonexistent" --out "$tmp/x" >/dev/null 2>&1
check "missing folder exits 2" [ "$?" -eq 2 ]

echo "sweep: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
