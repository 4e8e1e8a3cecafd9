#!/usr/bin/env bash
# CLI smoke tests: exit codes and messages of the real binary. Usage: cli_smoke_test.sh EDOPT SRC
set -u
edopt="$1"
src="$2"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0

expect() {  # expect CODE PATTERN -- command...
  local code="$1" pattern="$2"
  shift 3
  "$@" >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  if [ "$rc" -ne "$code" ]; then
    echo "FAIL: '$*' exited $rc, expected $code"; cat "$tmp/err"; failed=$((failed + 1)); return
  fi
  if [ -n "$pattern" ] && ! grep -qE -- "$pattern" "$tmp/out" "$tmp/err"; then
    echo "FAIL: '$*' output lacks /$pattern/"; cat "$tmp/out" "$tmp/err"; failed=$((failed + 1)); return
  fi
  passed=$((passed + 1))
}

expect 0 "edopt [0-9]" -- "$edopt" --version
expect 2 "usage" -- "$edopt"
expect 2 "unknown command" -- "$edopt" frobnicate
for cmd in simulate recipe scenario; do
  expect 0 "--scenario" -- "$edopt" "$cmd" --help
done
expect 2 "did you mean" -- "$edopt" simulate --set bogus.key=1 --design 6:4@63
expect 2 "did you mean 'transport.resistivity_factor'" -- "$edopt" simulate --set transport.resistivty_factor=2 --design 6:4@63
expect 2 "transport.resistivity_factor = '-1'" -- "$edopt" simulate --set transport.resistivity_factor=-1 --design 6:4@63
expect 2 "^error: design layer 2" -- "$edopt" simulate --design 6:4@33,7:3@-5
expect 2 "error: design" -- "$edopt" simulate --design ""
expect 2 "error: design layer 1" -- "$edopt" simulate --design 6:4
expect 2 "error: design layer 1" -- "$edopt" simulate --design 10:0@33
expect 2 "error: design layer 1" -- "$edopt" simulate --design 6:4@nan
expect 2 "--rate '0'" -- "$edopt" simulate --design 6:4@63 --rate 0
expect 2 "--rate 'x'" -- "$edopt" simulate --design 6:4@63 --rate x
expect 2 "scenario file does not exist" -- "$edopt" simulate --scenario /nonexistent.ini
expect 0 '"utilization": 0\.[0-9]+' -- "$edopt" simulate --design 5:5@33,6:4@33,7:3@33 --rate 0.3 --json
expect 0 "cutoff_voltage" -- "$edopt" simulate --design 6:4@63 --rate 0.1,0.3 --curve "$tmp/c.csv"
[ -s "$tmp/c.csv" ] && [ -s "$tmp/c_profile.csv" ] && passed=$((passed + 1)) || { echo "FAIL: curve files"; failed=$((failed + 1)); }
expect 0 "deposit in this order" -- "$edopt" recipe --design 5:5@33,6:4@33,7:3@33 --area-cm2 1.327
expect 2 "--area-cm2" -- "$edopt" recipe --design 6:4@63 --area-cm2 -1
expect 0 "resistivity_factor = 1" -- "$edopt" scenario
expect 0 "cutoff_voltage" -- "$edopt" simulate --scenario "$src/scenarios/seed-kim-ng-lps.ini" --design 6:4@33 --rate 0.3
# The seed scenario carries a posterior: predictions come with intervals; without it, none; a
# bad posterior file is a data error naming file and line.
expect 0 "95% interval" -- "$edopt" simulate --design 6:4@63 --rate 0.3
expect 0 '"utilization_interval_95"' -- "$edopt" simulate --design 6:4@63 --rate 0.3 --json
if "$edopt" simulate --design 6:4@63 --rate 0.3 --set calibration.posterior_file= | grep -q "interval"; then
  echo "FAIL: intervals without a posterior"; failed=$((failed + 1))
fi
printf 'kinetics.solid_diffusivity_m2_s,noise_pp\n1e-15,2\n1e-15,-1\n' >"$tmp/bad_posterior.csv"
expect 3 "bad_posterior.csv:3: field noise_pp" -- "$edopt" simulate --design 6:4@63 \
  --set calibration.posterior_file="$tmp/bad_posterior.csv"
"$edopt" scenario --set transport.resistivity_factor=3 >"$tmp/resolved.ini"
expect 0 "resistivity_factor = 3" -- "$edopt" scenario --scenario "$tmp/resolved.ini"

expect 0 "What to press" -- "$edopt" optimize --max-layers 2 --evaluations 400 --threads 1 --seed 5 --quiet --out "$tmp/o1"
expect 0 "What to press" -- "$edopt" optimize --max-layers 2 --evaluations 400 --threads 2 --seed 5 --quiet --out "$tmp/o2"
if cmp -s "$tmp/o1/pareto.csv" "$tmp/o2/pareto.csv" && [ -s "$tmp/o1/run.json" ] && [ -s "$tmp/o1/recipes.txt" ]; then
  passed=$((passed + 1))
else
  echo "FAIL: pareto.csv differs between --threads 1 and 2, or outputs missing"; failed=$((failed + 1))
fi
# Provenance (issue 23): every output file of a run is named in its manifest.json with its
# SHA-256; simulate --curve writes <curve>.manifest.json and --json carries "manifest".
manifest_ok=1
for f in pareto.csv fronts_by_layer_count.csv recipes.txt recipes.csv references.csv summary.md run.json; do
  sum=$(sha256sum "$tmp/o1/$f" | cut -d' ' -f1)
  grep -q "\"$sum\"" "$tmp/o1/manifest.json" || { echo "FAIL: $f's SHA-256 not in manifest.json"; manifest_ok=0; }
done
grep -q '"git_commit"' "$tmp/o1/manifest.json" || manifest_ok=0
if [ "$manifest_ok" = 1 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
expect 0 '"manifest"' -- "$edopt" simulate --design 6:4@63 --rate 0.3 --json --curve "$tmp/curve.csv"
if [ -s "$tmp/curve.csv.manifest.json" ] &&
   grep -q "$(sha256sum "$tmp/curve_profile.csv" | cut -d' ' -f1)" "$tmp/curve.csv.manifest.json"; then
  passed=$((passed + 1))
else
  echo "FAIL: simulate --curve wrote no manifest naming its outputs"; failed=$((failed + 1))
fi
# A name the fragment could not hold ('#' starts a comment) is refused before the fit.
mkdir -p "$tmp/a#b"
printf 'base = builtin\n' >"$tmp/a#b/s.ini"
expect 2 "base '.*a#b/s.ini' cannot be written" -- "$edopt" calibrate rates --scenario "$tmp/a#b/s.ini" \
  --data "$src/scenarios/data/seed-uniform-series.csv" --out "$tmp/never.ini"
grep -q "zero budgets\|rms" "$tmp/out" "$tmp/err" && { echo "FAIL: the fit ran before the refusal"; failed=$((failed + 1)); }
# Every objective end to end (issue 24): each band found and certified, a recipe per band, the
# layer-count table, and the band's recommendation in run.json.
for objective in utilization delivered_capacity; do
  out="$tmp/objective_$objective"
  expect 0 "What more layers buy" -- "$edopt" optimize --max-layers 2 --evaluations 600 --seed 2 \
    --set search.objective="$objective" --set search.capacity_bands_mAh_cm2=2,4 --quiet --out "$out"
  if [ "$(grep -c '"converged": true' "$out/run.json")" -eq 2 ] &&
     [ "$(grep -c '"recommended": ' "$out/run.json")" -eq 2 ] &&
     [ "$(grep -c '"one_more_layer": ' "$out/run.json")" -eq 2 ] &&
     grep -q '^capacity>=2,' "$out/recipes.csv" && grep -q '^capacity>=4,' "$out/recipes.csv" &&
     ! grep -q "no feasible design" "$out/summary.md"; then
    passed=$((passed + 1))
  else
    echo "FAIL: objective $objective: bands, certificates or recipes missing"; cat "$out/summary.md"
    failed=$((failed + 1))
  fi
done
# Cathodes (issue 27): the built-in cathode scenario simulates, searches and writes recipes with
# three powders; a layer without SE and an unknown material are configuration errors.
ncm="$src/scenarios/ncm-argyrodite.ini"
expect 0 "mean NCM622 fraction 0.915" -- "$edopt" simulate --scenario "$ncm" --design 90:9:1@40,93:6:1@40
expect 0 "NCM622:Li6PS5Cl:C" -- "$edopt" recipe --scenario "$ncm" --design 60:39:1@30,80:19:1@30
expect 2 "error: design layer 1" -- "$edopt" simulate --scenario "$ncm" --design 90:0:10@40
expect 2 "materials.active_material = 'NCM911'" -- "$edopt" simulate --scenario "$ncm" --set materials.active_material=NCM911
expect 2 "carbon_weight_fraction" -- "$edopt" optimize --scenario "$ncm" --set design_space.carbon_weight_fraction=0.2 --quiet --out "$tmp/c0"
expect 0 "NCM622 fraction 0.55-0.95 per layer \(\+0.01 carbon\)" -- "$edopt" optimize --scenario "$ncm" --max-layers 2 --evaluations 400 --threads 2 --seed 3 --quiet --out "$tmp/c1"
expect 0 "carbon_weight_fraction" -- head -1 "$tmp/c1/recipes.csv"
expect 0 "NCM622:Li6PS5Cl:C" -- cat "$tmp/c1/recipes.txt"
expect 2 "design_space.max_layers" -- "$edopt" optimize --set design_space.min_layers=3 --max-layers 2 --quiet --out "$tmp/o3"
expect 2 "--evaluations" -- "$edopt" optimize --evaluations 0 --quiet --out "$tmp/o3"
expect 0 "--max-layers" -- "$edopt" optimize --help

# Calibration: synthetic spectra of 33/63/103 um electrodes made with 535 ohm m (tests/data).
d="$src/tests/data"
expect 0 '"resistivity_ohm_m": 5[23][0-9]\.' -- "$edopt" calibrate eis "$d/eis_33um.csv" "$d/eis_63um.mpt" \
  "$d/eis_103um.DTA" --thickness-um 33,63,103 --area-cm2 1.327 --json --out "$tmp/eis.ini"
expect 0 "reference_resistivity_ohm_m = 5" -- "$edopt" scenario --scenario "$tmp/eis.ini"
# Values fitted elsewhere as one TLM for the whole symmetric cell are halved on import.
expect 0 '"resistivity_ohm_m": 53[0-9]\.' -- "$edopt" calibrate eis --r-ion-ohm 266,507,830 \
  --convention single-tlm --thickness-um 33,63,103 --area-cm2 1.327 --json
expect 2 "3 files but 2 thicknesses" -- "$edopt" calibrate eis "$d/eis_33um.csv" "$d/eis_63um.mpt" \
  "$d/eis_103um.DTA" --thickness-um 33,63 --area-cm2 1.327
printf 'frequency_Hz,z_real_ohm,z_imag_ohm\n1000,x,-3\n' >"$tmp/bad.csv"
expect 3 "bad.csv:2: field z_real_ohm = 'x'" -- "$edopt" calibrate eis "$tmp/bad.csv" --thickness-um 63 --area-cm2 1.3
: >"$tmp/empty.csv"
expect 3 "empty.csv: the file is empty" -- "$edopt" calibrate eis "$tmp/empty.csv" --thickness-um 63 --area-cm2 1.3
expect 0 "RMS" -- "$edopt" calibrate rates --data "$src/scenarios/data/seed-uniform-series.csv" \
  --global-evaluations 30 --local-evaluations 10 --out "$tmp/rates.ini"
expect 0 "solid_diffusivity_m2_s" -- "$edopt" scenario --scenario "$tmp/rates.ini"
# Keys held with --set during the fit travel with the fragment (the calibrated model is
# reproduced on its base), fitted keys carry the fitted value.
expect 0 "RMS" -- "$edopt" calibrate rates --data "$src/scenarios/data/seed-uniform-series.csv" \
  --global-evaluations 20 --local-evaluations 10 --set materials.ocp=Verbrugge2017 \
  --set kinetics.solid_diffusivity_m2_s=1e-15 --out "$tmp/rates_set.ini"
expect 0 "^ocp = Verbrugge2017" -- "$edopt" scenario --scenario "$tmp/rates_set.ini"
expect 0 "" -- grep -c "held (--set)" "$tmp/rates_set.ini"
if grep -q "solid_diffusivity_m2_s = 1e-15" "$tmp/rates_set.ini"; then
  echo "FAIL: a fitted key kept its --set value in the fragment"; failed=$((failed + 1))
fi
expect 0 '"loo_rms_pp"' -- "$edopt" calibrate rates --data "$src/scenarios/data/seed-uniform-series.csv" \
  --free kinetics.solid_diffusivity_m2_s --global-evaluations 10 --local-evaluations 10 \
  --cross-validate --json
# The posterior at a cheap setting: its table, the draws beside the fragment, JSON intervals.
expect 0 "noise_pp" -- "$edopt" calibrate rates --data "$src/scenarios/data/seed-uniform-series.csv" \
  --global-evaluations 20 --local-evaluations 10 --posterior --walkers 12 --posterior-steps 20 \
  --burn-in 5 --out "$tmp/post.ini"
expect 0 "^walker,step,transport.activation_energy_kJ_mol,kinetics.solid_diffusivity_m2_s,transport.percolation_threshold,transport.percolation_exponent,transport.resistivity_factor_exponent,noise_pp,log_posterior" \
  -- head -1 "$tmp/post_posterior.csv"
expect 0 '"interval_95"' -- "$edopt" calibrate rates --data \
  "$src/scenarios/data/seed-uniform-series.csv" --global-evaluations 20 --local-evaluations 10 \
  --posterior --walkers 8 --posterior-steps 20 --burn-in 5 --posterior-extra none --json
expect 0 '"loo_interval_95"' -- "$edopt" calibrate rates --data \
  "$src/scenarios/data/seed-uniform-series.csv" --global-evaluations 20 --local-evaluations 10 \
  --posterior --walkers 8 --posterior-steps 10 --burn-in 2 --cross-validate --posterior-extra none \
  --json
expect 2 "--walkers 3" -- "$edopt" calibrate rates --data \
  "$src/scenarios/data/seed-uniform-series.csv" --posterior --walkers 3
expect 2 "not a parameter the rate fit can move" -- "$edopt" calibrate rates \
  --data "$src/scenarios/data/seed-uniform-series.csv" --free kinetics.bogus
# Posterior options without --posterior, and a negative seed, are refused.
expect 2 "add --posterior" -- "$edopt" calibrate rates --data \
  "$src/scenarios/data/seed-uniform-series.csv" --walkers 12
expect 2 "is not a seed" -- "$edopt" calibrate rates --data \
  "$src/scenarios/data/seed-uniform-series.csv" --posterior --seed -1
# A --set key the posterior samples holds in every draw, and says so.
expect 0 "resistivity_factor_exponent is sampled by the posterior" -- "$edopt" simulate \
  --design 6:4@63 --rate 0.3 --set transport.resistivity_factor_exponent=1.5 \
  --set transport.resistivity_factor=4
# A lab table with symmetric cells: they join the posterior (the reference resistivity is sampled).
expect 0 "transport.reference_resistivity_ohm_m" -- "$edopt" calibrate rates --data \
  "$src/scenarios/data/seed-lab-table.csv" --global-evaluations 20 --local-evaluations 10 \
  --posterior --posterior-steps 10 --burn-in 2
printf 'kind,design,c_rate,utilization\nrate,6:4@63,0.3,0.5\n' >"$tmp/kind_bad.csv"
expect 3 "kind_bad.csv:2: field kind = 'rate'; expected rate_test or symmetric_cell" -- "$edopt" \
  calibrate rates --data "$tmp/kind_bad.csv"
# calibrate eis writes its spectra as lab-table rows that calibrate rates reads back.
expect 0 "R_ion" -- "$edopt" calibrate eis "$src/tests/data/eis_33um.csv" "$src/tests/data/eis_63um.mpt" \
  --thickness-um 33,63 --area-cm2 1.327 --lab-table "$tmp/eis_rows.csv"
expect 0 "^symmetric_cell,\"60:40@33\"" -- grep symmetric_cell "$tmp/eis_rows.csv"
# The planner ranks measurements; without a posterior it says how to get one.
expect 0 '"candidates"' -- "$edopt" plan --evaluations 600 --draws 40 --batch 2 --json
expect 2 "no posterior" -- "$edopt" plan --set calibration.posterior_file=
# The planner's corners (issue 38): the flags docs/cli.md promises; inputs checked before the
# search (a missing table fails at once); menus checked against the scenario.
expect 0 '"candidates"' -- "$edopt" plan --evaluations 300 --draws 40 --batch 1 --rate 0.5 --seed 7 --quiet --json
start=$(date +%s)
expect 3 "no-such-table.csv" -- "$edopt" plan --data "$tmp/no-such-table.csv" --evaluations 100000
if [ $(( $(date +%s) - start )) -lt 20 ]; then passed=$((passed + 1)); else echo "FAIL: plan --data checked after the search"; failed=$((failed + 1)); fi
expect 2 "compositions 1 is out of range; expected > 0 and < 1" -- "$edopt" plan --compositions 1 --evaluations 300
expect 2 "outside the design space" -- "$edopt" plan --compositions 0.2,0.5 --evaluations 300
expect 2 "at most 20" -- "$edopt" plan --compositions "$(seq -s, 0.30 0.02 0.76)" --set design_space.active_weight_fraction_step=0.01 --evaluations 300
expect 2 "--cost-rate-test 1e-09 is out of range" -- "$edopt" plan --cost-rate-test 1e-9 --evaluations 300
printf 'active_wt_fraction,thickness_um,c_rate,utilization,theoretical_capacity_mAh_cm2\n0.6,63,0.3,0.7,33.8\n' \
  >"$tmp/rates_unit.csv"
expect 3 "rates_unit.csv:2: theoretical_capacity_mAh_cm2 = 33.8 is 9.96x the design's" -- "$edopt" \
  calibrate rates --data "$tmp/rates_unit.csv"
printf 'c_rate,utilization\n0.1,0.9\n' >"$tmp/rates_bad.csv"
expect 3 "rates_bad.csv:1" -- "$edopt" calibrate rates --data "$tmp/rates_bad.csv"

# Sensitivity.
expect 0 "best 5th percentile over the posterior" -- "$edopt" sensitivity --factors 2 --max-layers 1 \
  --evaluations 60 --set search.gap_fill_evaluations=10 --set search.refinement_evaluations=0 \
  --set search.capacity_bands_mAh_cm2=3 --robust posterior --quiet --out "$tmp/sp"
expect 2 "carries no posterior" -- "$edopt" sensitivity --factors 2 --robust posterior \
  --set calibration.posterior_file= --out "$tmp/sp2"
expect 0 "Robust recipe" -- "$edopt" sensitivity --factors 0.5,2 --max-layers 1 --evaluations 100 \
  --set search.gap_fill_evaluations=10 --set search.refinement_evaluations=0 --quiet --out "$tmp/s"
[ -s "$tmp/s/tornado.csv" ] && [ -s "$tmp/s/fronts.csv" ] && passed=$((passed + 1)) || { echo "FAIL: sensitivity outputs"; failed=$((failed + 1)); }
expect 2 "did you mean 'transport.resistivity_factor'" -- "$edopt" sensitivity --param transport.resistivity_facto --factors 2
expect 2 "not numeric" -- "$edopt" sensitivity --param materials.ocp --factors 2
expect 2 "not a parameter of the cell model" -- "$edopt" sensitivity --param design_space.max_layers --factors 2
# Issue 12's bug: without a reference resistivity the tornado named a key that does not exist
# (transport.se_conductivity_S_m) and the whole study ended in exit 2.
expect 0 "transport.se_conductivity_S_cm" -- "$edopt" sensitivity --factors 2 --max-layers 1 \
  --evaluations 60 --quiet --design 6:4@60 --set transport.reference_resistivity_ohm_m=0 --out "$tmp/s0"
expect 2 "--factors '0'" -- "$edopt" sensitivity --factors 1,0
expect 2 "--factors 'x'" -- "$edopt" sensitivity --factors x

# Hostile input, one case per defect class (issue 14).
# A folder where a file is expected: scenario, base, grid base, spectrum, rate table.
expect 2 "/tmp: is a directory" -- "$edopt" simulate --scenario /tmp --design 6:4@63
printf 'base = %s\n[transport]\nresistivity_factor = 2\n' "$tmp" >"$tmp/dirbase.ini"
expect 2 "is a directory" -- "$edopt" simulate --scenario "$tmp/dirbase.ini" --design 6:4@63
expect 3 "is a directory" -- "$edopt" calibrate eis "$tmp" --thickness-um 63 --area-cm2 1.3
expect 3 "is a directory" -- "$edopt" calibrate rates --data "$tmp"
# A binary export other than .mpr (e.g. Ivium .idf) is refused without echoing its bytes.
printf 'IVIUM\0\0\1\2\3\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0' >"$tmp/cell.idf"
expect 3 "binary file, not supported as the spectrum file \\(export it as text" -- "$edopt" calibrate eis \
  "$tmp/cell.idf" --thickness-um 63 --area-cm2 1.3
# A UTF-8 byte-order mark in a scenario file.
printf '\xef\xbb\xbfbase = builtin\n[transport]\nresistivity_factor = 2\n' >"$tmp/bom.ini"
expect 0 "resistivity_factor = 2" -- "$edopt" scenario --scenario "$tmp/bom.ini"
# Unbounded work: absurd thickness, device files, layer and thread counts.
expect 2 "expected at most 5000 um" -- "$edopt" simulate --design 6:4@1e9
printf 'base = builtin\n[materials]\nocp = table\nocp_table_file = /dev/zero\n' >"$tmp/zero.ini"
expect 3 "not a regular file" -- "$edopt" simulate --scenario "$tmp/zero.ini" --design 6:4@63
expect 2 "--max-layers 1000 is out of range" -- "$edopt" optimize --max-layers 1000 --quiet --out "$tmp/o4"
expect 2 "--threads 100000 is out of range" -- "$edopt" optimize --threads 100000 --quiet --out "$tmp/o5"
expect 2 "--threads 100000 is out of range" -- "$edopt" calibrate rates --threads 100000 \
  --data "$src/scenarios/data/seed-uniform-series.csv"
# Absurd values.
expect 2 "--rate 1e\+09 is out of range" -- "$edopt" optimize --rate 1e9 --quiet --out "$tmp/o6"
expect 2 "--rate 1e\+09 is out of range" -- "$edopt" simulate --design 6:4@63 --rate 1e9
expect 2 "--factors 1e\+300 is out of range" -- "$edopt" sensitivity --factors 1e300 --out "$tmp/s3"
expect 2 "--batch-mg 1e\+308 is out of range" -- "$edopt" recipe --design 6:4@63 --batch-mg 1e308
expect 2 "--area-cm2 1e\+308 is out of range" -- "$edopt" recipe --design 6:4@63 --area-cm2 1e308
expect 2 "--thickness-um 1e\+09 is out of range" -- "$edopt" calibrate eis "$d/eis_33um.csv" \
  --thickness-um 1e9 --area-cm2 1.327
expect 2 "--thickness-um 1e-09 is out of range" -- "$edopt" calibrate eis "$d/eis_33um.csv" \
  --thickness-um 1e-9 --area-cm2 1.327
expect 0 "not fitted" -- "$edopt" calibrate rates --data "$src/scenarios/data/seed-uniform-series.csv" \
  --global-evaluations 0 --local-evaluations 0
# A grid file's bad value names the grid file and line; a huge grid fails fast.
mkdir -p "$tmp/grid"
printf 'base = builtin\n[axes]\ntransport.resistivity_factor = 1, -2\n' >"$tmp/grid/bad.grid"
expect 1 "bad.grid:3" -- "$edopt" sweep "$tmp/grid" --out "$tmp/gridout" --quiet --set search.evaluations=50
mkdir -p "$tmp/huge"
v=$(seq -s, 1 60)
printf 'base = builtin\n[axes]\ntest.cutoff_voltage_V = %s\ntest.temperature_C = %s\ntransport.resistivity_factor = %s\n' "$v" "$v" "$v" >"$tmp/huge/huge.grid"
expect 1 "expands to 216000 scenarios" -- timeout 20 "$edopt" sweep "$tmp/huge" --shard 1/216000 --out "$tmp/hugeout" --quiet
# Spreadsheets are named as such, with the export to use (issue 38).
printf 'PK\003\004\024\000\006\000' > "$tmp/table.xlsx"
expect 3 "a spreadsheet .* export the sheet as CSV" -- "$edopt" calibrate rates --data "$tmp/table.xlsx"

# Two outputs of one command in one file (issue 38: the second replaced the first): refused
# before any work, naming both.
expect 2 "is the file --out names too" -- "$edopt" calibrate rates --data "$src/scenarios/data/seed-uniform-series.csv" --out "$tmp/same.csv" --predictions "$tmp/../$(basename "$tmp")/same.csv"
expect 2 "is the file --out names too" -- "$edopt" calibrate eis "$src/tests/data/eis_33um.csv" --thickness-um 33 --area-cm2 1.327 --out "$tmp/e_spectra.csv" --curves "$tmp/e"
if [ ! -e "$tmp/same.csv" ] && [ ! -e "$tmp/e_spectra.csv" ]; then passed=$((passed + 1)); else echo "FAIL: a refused run wrote"; failed=$((failed + 1)); fi

# Names from the anode-only days (docs/formats.md §10): read, with one deprecation warning each.
expect 0 "warning: --set: design_space.min_ng_weight_fraction is deprecated: it is now design_space.min_active_weight_fraction" -- "$edopt" scenario --set design_space.min_ng_weight_fraction=0.4
if [ "$(grep -c 'is deprecated' "$tmp/err")" = 1 ] && grep -q "^min_active_weight_fraction = 0.4" "$tmp/out"; then passed=$((passed + 1)); else echo "FAIL: old key"; cat "$tmp/err"; failed=$((failed + 1)); fi
sed 's/active_wt_fraction/ng_wt_fraction/' "$src/scenarios/data/seed-uniform-series.csv" > "$tmp/old_table.csv"
expect 0 "column ng_wt_fraction is deprecated" -- "$edopt" calibrate rates --data "$tmp/old_table.csv" --global-evaluations 0 --local-evaluations 0
expect 0 "warning: --ng-wt is deprecated" -- "$edopt" calibrate eis "$src/tests/data/eis_33um.csv" --thickness-um 33 --area-cm2 1.327 --ng-wt 0.6
expect 2 "not both" -- "$edopt" calibrate eis "$src/tests/data/eis_33um.csv" --thickness-um 33 --area-cm2 1.327 --ng-wt 0.6 --active-wt 0.6
# The dense-pellet warning: once per run, naming the key (and not at all for the seed scenario,
# which says it is intended).
"$edopt" simulate --set electrode.dense_pellet_expected=false >/dev/null 2>"$tmp/warn"
if [ "$(grep -c 'electrode.apparent_density_g_cm3' "$tmp/warn")" = 1 ]; then passed=$((passed + 1)); else echo "FAIL: density warning count"; cat "$tmp/warn"; failed=$((failed + 1)); fi
expect 0 "" -- "$edopt" simulate
if grep -q warning "$tmp/err"; then echo "FAIL: seed scenario warns"; failed=$((failed + 1)); else passed=$((passed + 1)); fi

# Outputs: an unusable --out is refused before any work, naming the path; stdout errors count.
expect 2 "--out '/dev/null' is a file" -- "$edopt" optimize --out /dev/null --quiet
expect 2 "--out is empty" -- "$edopt" optimize --out "" --quiet
: >"$tmp/plainfile"
expect 2 "$tmp/plainfile/sub': cannot create" -- "$edopt" sensitivity --out "$tmp/plainfile/sub" --factors 2
expect 2 "--curve '/dev/full' is a device" -- "$edopt" simulate --design 6:4@63 --curve /dev/full
expect 2 "is a folder; expected a file" -- "$edopt" calibrate rates --data \
  "$src/scenarios/data/seed-uniform-series.csv" --out "$tmp"
expect 3 "cannot write to standard output" -- sh -c "'$edopt' scenario >/dev/full"
# A full disk leaves neither a temporary file nor a partial set of results (needs root for a
# 64 KiB tmpfs; skipped elsewhere).
mkdir -p "$tmp/full"
if mount -t tmpfs -o size=64k tmpfs "$tmp/full" 2>/dev/null; then
  expect 3 "write failed" -- "$edopt" optimize --evaluations 200 --max-layers 2 --quiet --out "$tmp/full/run"
  if [ -z "$(ls -A "$tmp/full")" ]; then passed=$((passed + 1)); else echo "FAIL: full disk left files"; ls -la "$tmp/full"; failed=$((failed + 1)); fi
  # A command's several files, all or none: the posterior samples and the fragment, the curve
  # and its profile (the disk nearly full first).
  head -c 56000 /dev/zero >"$tmp/full/filler"
  expect 3 "write failed" -- "$edopt" simulate --design 6:4@150 --rate 0.05 --curve "$tmp/full/c.csv"
  expect 3 "write failed" -- "$edopt" calibrate rates --data "$src/scenarios/data/seed-uniform-series.csv" \
    --global-evaluations 0 --local-evaluations 0 --posterior --posterior-steps 60 --out "$tmp/full/fit.ini"
  if [ "$(ls -A "$tmp/full")" = "filler" ]; then passed=$((passed + 1)); else echo "FAIL: full disk left files"; ls -la "$tmp/full"; failed=$((failed + 1)); fi
  umount "$tmp/full"
fi

# The plot scripts write the format the file name or --format says (vector PDF and SVG, not PNG
# bytes under another name), on the outputs of the commands.
if /usr/bin/python3 -c "import matplotlib" 2>/dev/null; then
  py=/usr/bin/python3
  "$edopt" optimize --evaluations 300 --max-layers 2 --quiet --out "$tmp/plots" >/dev/null 2>&1
  "$edopt" calibrate eis "$src/tests/data/eis_33um.csv" "$src/tests/data/eis_63um.mpt" --thickness-um 33,63 \
    --area-cm2 1.327 --curves "$tmp/plots/eis" >/dev/null 2>&1
  "$edopt" calibrate rates --data "$src/scenarios/data/seed-uniform-series.csv" --global-evaluations 0 \
    --local-evaluations 0 --predictions "$tmp/plots/rates.csv" >/dev/null 2>&1
  for fmt in pdf svg; do
    $py "$src/scripts/plot_pareto.py" "$tmp/plots" --format $fmt
    $py "$src/scripts/plot_eis.py" "$tmp/plots/eis" --format $fmt
    $py "$src/scripts/plot_rates.py" "$tmp/plots/rates.csv" "$tmp/plots/rates.$fmt"
    magic=$([ $fmt = pdf ] && echo "%PDF" || echo "<?xml")
    for f in "$tmp/plots/pareto.$fmt" "$tmp/plots/eis_nyquist.$fmt" "$tmp/plots/eis_thickness.$fmt" "$tmp/plots/rates.$fmt"; do
      if [ "$(head -c ${#magic} "$f" 2>/dev/null)" = "$magic" ]; then passed=$((passed + 1)); else echo "FAIL: $f is not $fmt"; failed=$((failed + 1)); fi
    done
  done
  expect 1 "expected a .png, .pdf or .svg" -- $py "$src/scripts/plot_rates.py" "$tmp/plots/rates.csv" "$tmp/plots/rates.jpg"
fi

echo "cli smoke: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
