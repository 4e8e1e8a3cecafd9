#!/usr/bin/env bash
# Nightly sweep for cron: runs scenarios/nightly (or $1) into results/nightly/<date>, compares
# with the previous night, and exits non-zero on a failed scenario (1) or a regression (5), so
# cron mails the log. Example crontab line (02:00 every night):
#
#   0 2 * * * cd /path/to/edopt && scripts/sweep_cron.sh >> results/nightly/cron.log 2>&1
#
set -uo pipefail
cd "$(dirname "$0")/.."
dir="${1:-scenarios/nightly}"
root="results/nightly"
today="$root/$(date +%F)"
mkdir -p "$root"
previous="$(ls -d "$root"/20??-??-?? 2>/dev/null | grep -v "$today" | sort | tail -n 1 || true)"
bash scripts/build build >/dev/null
args=(sweep "$dir" --out "$today" --resume --quiet)
[ -n "$previous" ] && args+=(--compare "$previous" --fail-on-regression)
echo "== $(date -Is) edopt ${args[*]}"
./build/edopt "${args[@]}"
rc=$?
echo "== exit $rc (0 ok, 1 failed scenario, 5 regression); index: $today/summary.md"
exit $rc
