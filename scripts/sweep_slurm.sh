#!/usr/bin/env bash
# A nightly sweep on a Slurm cluster: one shard per array task, then one merge job.
# Submit from the project folder (Slurm makes it the jobs' working folder):
#
#   out=results/nightly-$(date +%F)
#   jid=$(sbatch --parsable --array=1-8 scripts/sweep_slurm.sh scenarios/nightly "$out")
#   sbatch --dependency=afterok:"$jid" scripts/sweep_slurm.sh --merge "$out"
#
# sbatch runs a copy of this script from its spool folder, so nothing is found relative to $0:
# the binary is $EDOPT, or build/edopt under the submit folder ($SLURM_SUBMIT_DIR). Relative
# paths are relative to the submit folder. Shard k of N is task k counted from the array's
# first index (--array=0-7 works as well as 1-8), so every task of the array sees the same
# partition. A failed, cancelled or preempted task is requeued (or resubmitted by hand) and
# resumes: it skips the scenarios its shard already committed and redoes partial ones.
#SBATCH --job-name=edopt-sweep
#SBATCH --cpus-per-task=2
#SBATCH --time=04:00:00
#SBATCH --requeue
#SBATCH --output=edopt-sweep-%A_%a.log
set -euo pipefail
root="${SLURM_SUBMIT_DIR:-$PWD}"
cd "$root"
edopt="${EDOPT:-$root/build/edopt}"
[ -x "$edopt" ] || { echo "sweep_slurm.sh: no edopt binary at $edopt (set EDOPT)" >&2; exit 2; }
if [ "${1:-}" = "--merge" ]; then
  out="${2:?usage: sweep_slurm.sh --merge OUT_DIR}"
  exec "$edopt" sweep merge "$out"/shard-* --out "$out/all"
fi
dir="${1:?usage: sweep_slurm.sh SCENARIO_DIR OUT_DIR (as an array job)}"
out="${2:?usage: sweep_slurm.sh SCENARIO_DIR OUT_DIR (as an array job)}"
task="${SLURM_ARRAY_TASK_ID:?run as a Slurm array job (sbatch --array=1-N)}"
n="${SLURM_ARRAY_TASK_COUNT:?run as a Slurm array job}"
k=$((task - ${SLURM_ARRAY_TASK_MIN:-1} + 1))
exec "$edopt" sweep "$dir" --out "$out/shard-$k" --shard "$k/$n" \
  --threads "${SLURM_CPUS_PER_TASK:-0}" --resume --quiet
