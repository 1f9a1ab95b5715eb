#!/usr/bin/env bash
# Kata 86 throughput, native against the exercise's reference TypeScript simulation, in one run.
#
#   scripts/bench-kata86.sh REF_DIR [N]
#
# REF_DIR holds a build of the reference model whose `node REF_DIR/dist/bench.js N SEED CLIENT
# STRATEGY LEADER` prints its result and `iterations_per_second=...`. N defaults to 10,000,000.
# Both sides run the same case (US-served client, SG leader, local_then_leader_if_stale, seed 1)
# end to end, percentiles included; whole-process time and peak memory come from /usr/bin/time.
set -euo pipefail
ref="${1:?usage: $0 REF_DIR [N]}"
n="${2:-10000000}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cargo build -q --release -p meridian-core --features cli --manifest-path "$root/Cargo.toml"
args=(--iterations "$n" --seed 1 --client US --strategy local_then_leader_if_stale --leader SG --json)

echo "== meridian (native, whole process)"
/usr/bin/time -f "wall %e s, peak RSS %M KB" "$root/target/release/meridian" kata86 "${args[@]}"
echo "== reference TypeScript under node"
/usr/bin/time -f "wall %e s, peak RSS %M KB" node "$ref/dist/bench.js" "$n" 1 US local_then_leader_if_stale SG
echo "== meridian (criterion, in-process)"
cargo bench -q -p meridian-core --bench kata86 --manifest-path "$root/Cargo.toml" -- "$n" 2>&1 | grep -E "thrpt|time:" | head -2
