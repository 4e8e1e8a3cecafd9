#!/usr/bin/env bash
# The nightly sweep on a real Slurm: installs Debian's slurm-wlm and munge when missing, starts
# munged, slurmctld and slurmd on this machine with a one-node configuration written here,
# submits scripts/sweep_slurm.sh as an array job (2 shards) and the merge job with
# --dependency=afterok, waits, and compares the merged index and results with an unsharded
# sweep. Stops the daemons at the end. Needs root (CI runs as root).
# usage: slurm_test.sh EDOPT SRC
set -u
edopt="$(readlink -f "$1")"
src="$(readlink -f "$2")"
if [ "$(id -u)" -ne 0 ]; then echo "slurm: needs root; skipped"; exit 0; fi
if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
  apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive \
    apt-get install -y --no-install-recommends slurm-wlm munge >/dev/null || exit 1
fi
tmp="$(mktemp -d /tmp/edopt-slurm.XXXXXX)"
chmod 755 "$tmp"
passed=0 failed=0
check() { local name="$1"; shift; if "$@"; then passed=$((passed + 1)); else echo "FAIL: $name"; failed=$((failed + 1)); fi; }
host="$(hostname -s)"
export SLURM_CONF="$tmp/slurm.conf"
cleanup() {
  scontrol shutdown >/dev/null 2>&1
  sleep 1
  [ -f "$tmp/slurmd.pid" ] && kill "$(cat "$tmp/slurmd.pid")" 2>/dev/null
  [ -f "$tmp/slurmctld.pid" ] && kill "$(cat "$tmp/slurmctld.pid")" 2>/dev/null
  [ -f "$tmp/munged.pid" ] && kill "$(cat "$tmp/munged.pid")" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT

# munge: a key of our own, the daemon on a socket of our own.
mkdir -p "$tmp/munge"
dd if=/dev/urandom of="$tmp/munge/munge.key" bs=1024 count=1 2>/dev/null
chmod 700 "$tmp/munge"; chmod 400 "$tmp/munge/munge.key"
munged --force --key-file="$tmp/munge/munge.key" --socket="$tmp/munge/socket" \
  --pid-file="$tmp/munged.pid" --log-file="$tmp/munged.log" --seed-file="$tmp/munge/seed" || {
  echo "FAIL: munged did not start"; cat "$tmp/munged.log"; exit 1; }

mkdir -p "$tmp/state" "$tmp/spool"
cat >"$SLURM_CONF" <<CONF
ClusterName=edopttest
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$tmp/munge/socket
CredType=cred/munge
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/slurmctld.log
SlurmdLogFile=$tmp/slurmd.log
SlurmctldPort=16817
SlurmdPort=16818
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
NodeName=$host CPUs=$(nproc) State=UNKNOWN
PartitionName=edopt Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
slurmctld -f "$SLURM_CONF" || { echo "FAIL: slurmctld"; cat "$tmp/slurmctld.log"; exit 1; }
slurmd -f "$SLURM_CONF" || { echo "FAIL: slurmd"; cat "$tmp/slurmd.log"; exit 1; }
for _ in $(seq 1 60); do
  sinfo -h -o %t 2>/dev/null | grep -qE '^(idle|mix|alloc)' && break
  sleep 1
done
check "the node is up" sh -c "sinfo -h -o %t | grep -qE '^(idle|mix|alloc)'"

# A small sweep: two scenarios and a 2 x 1 grid.
in="$tmp/in"
mkdir -p "$in"
printf 'base = builtin\n[design_space]\nmax_layers = 2\n[search]\nevaluations = 200\npopulation = 16\nrefinement_evaluations = 0\ngap_fill_evaluations = 16\n' >"$in/a.ini"
printf 'base = a.ini\n[transport]\nresistivity_factor = 3.96\n' >"$in/b.ini"
printf 'base = a.ini\n[axes]\ntest.temperature_C = 45, 60\n' >"$in/t.grid"
"$edopt" sweep "$in" --out "$tmp/whole" --quiet --threads 1 >/dev/null

# Submitted from a folder that is not the project: the script must not rely on $0.
cd "$tmp"
export EDOPT="$edopt"
jid=$(sbatch --parsable --array=1-2 --cpus-per-task=1 --output="$tmp/task-%a.log" \
  "$src/scripts/sweep_slurm.sh" "$in" "$tmp/night")
mid=$(sbatch --parsable --dependency=afterok:"$jid" --output="$tmp/merge.log" \
  "$src/scripts/sweep_slurm.sh" --merge "$tmp/night")
for _ in $(seq 1 300); do
  [ -z "$(squeue -h -j "$jid,$mid" 2>/dev/null)" ] && break
  sleep 1
done
check "the jobs finished" [ -z "$(squeue -h -j "$jid,$mid" 2>/dev/null)" ]
check "the merged index exists" [ -s "$tmp/night/all/sweep.csv" ]
strip_time() { sed -E 's/,[0-9.e+-]+,("([^"]|"")*")$/,\1/' "$1"; }
check "merged index equals the unsharded one" \
  diff <(strip_time "$tmp/whole/sweep.csv") <(strip_time "$tmp/night/all/sweep.csv")
for name in $(cd "$tmp/whole" && ls -d */); do
  check "$name pareto.csv equals" cmp -s "$tmp/whole/$name/pareto.csv" "$tmp/night/all/$name/pareto.csv"
done
if [ "$failed" -ne 0 ]; then cat "$tmp"/task-*.log "$tmp/merge.log" 2>/dev/null | tail -20; tail -20 "$tmp/slurmctld.log"; fi
echo "slurm: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
