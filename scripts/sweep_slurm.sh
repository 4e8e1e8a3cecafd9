#!/usr/bin/env bash
# Slurm job-array example: one shard of a sweep per array task, then one merge job.
#
#   sbatch --array=1-8 scripts/sweep_slurm.sh scenarios/nightly results/nightly-$(date +%F)
#   # after the array: (or chain it with --dependency=afterok:<array job id>)
#   sbatch --dependency=afterok:<id> --wrap \
#     "build/edopt sweep merge results/nightly-DATE/shard-* --out results/nightly-DATE/all"
#
# Each task is resumable: resubmitting a failed or preempted task skips the scenarios its
# shard already committed. Shards are deterministic (scenario i of the name-sorted list goes to
# shard i % N + 1), so every task of an array of N sees the same partition.
#SBATCH --job-name=edopt-sweep
#SBATCH --cpus-per-task=4
#SBATCH --time=04:00:00
#SBATCH --output=edopt-sweep-%A_%a.log
set -euo pipefail
dir="${1:?usage: sweep_slurm.sh SCENARIO_DIR OUT_DIR}"
out="${2:?usage: sweep_slurm.sh SCENARIO_DIR OUT_DIR}"
k="${SLURM_ARRAY_TASK_ID:?run as a Slurm array job}"
n="${SLURM_ARRAY_TASK_COUNT:?run as a Slurm array job}"
exec "$(dirname "$0")/../build/edopt" sweep "$dir" --out "$out/shard-$k" --shard "$k/$n" \
  --threads "${SLURM_CPUS_PER_TASK:-0}" --resume --quiet
