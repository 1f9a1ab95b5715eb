#!/usr/bin/env bash
# Records the Kata 86 reference TypeScript simulation's results as a test fixture, or checks
# Meridian's CLI against it live on random seeds.
#
#   scripts/kata86-reference.sh record REF_DIR > tests/fixtures/kata86_reference.jsonl
#   scripts/kata86-reference.sh check REF_DIR [COUNT]
#
# REF_DIR holds a build of the exercise's TypeScript model whose `node REF_DIR/dist/bench.js
# N SEED CLIENT STRATEGY LEADER` prints one JSON line with a `result` object (readP95, writeP95,
# stalenessP95, stalenessP99).
set -euo pipefail

mode="${1:?usage: $0 record|check REF_DIR [COUNT]}"
ref="${2:?usage: $0 record|check REF_DIR [COUNT]}"
count="${3:-200}"
bench="$ref/dist/bench.js"
[ -f "$bench" ] || { echo "error: $bench not found; build the reference first" >&2; exit 2; }

reference() { # N SEED CLIENT STRATEGY LEADER -> one fixture line
  node "$bench" "$@" | head -n1 | node -e '
    const l = JSON.parse(require("fs").readFileSync(0, "utf8"));
    console.log(JSON.stringify({iterations: l.N, seed: l.seed, client: l.clientRegion,
      strategy: l.readStrategy, leader: l.leader, result: l.result}));'
}

cases() {
  local sizes=(1 2 3 10 99 1000 5000 20000)
  local seeds=(0 1 2 3 42 12345 2147483647 2147483648 4294967296 9007199254740991)
  for n in "${sizes[@]}"; do for s in "${seeds[@]}"; do
    for c in SG US; do for l in SG US; do
      for st in local leader local_then_leader_if_stale; do echo "$n $s $c $st $l"; done
    done; done
  done; done
  # A few large runs, where tail percentiles rest on many spikes.
  for s in 1 7 2024; do
    for st in local leader local_then_leader_if_stale; do echo "1000000 $s US $st SG"; done
  done
}

case "$mode" in
  record)
    cases | while read -r n s c st l; do reference "$n" "$s" "$c" "$st" "$l"; done ;;
  check)
    root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
    cargo build -q --release -p meridian-core --features cli --manifest-path "$root/Cargo.toml"
    meridian="$root/target/release/meridian"
    fails=0
    for ((i = 0; i < count; i++)); do
      n=$(( (RANDOM * 32768 + RANDOM) % 200000 + 1 ))
      s=$(( (RANDOM * 32768 + RANDOM) * 32768 + RANDOM ))
      c=$([ $((RANDOM % 2)) = 0 ] && echo SG || echo US)
      l=$([ $((RANDOM % 2)) = 0 ] && echo SG || echo US)
      strategies=(local leader local_then_leader_if_stale); st=${strategies[$((RANDOM % 3))]}
      want=$(reference "$n" "$s" "$c" "$st" "$l" | node -e 'console.log(JSON.stringify(JSON.parse(require("fs").readFileSync(0,"utf8")).result))')
      got=$("$meridian" kata86 --iterations "$n" --seed "$s" --client "$c" --strategy "$st" --leader "$l" --json)
      if [ "$want" != "$got" ]; then
        echo "MISMATCH n=$n seed=$s client=$c strategy=$st leader=$l: reference $want, meridian $got"
        fails=$((fails + 1))
      fi
    done
    echo "$((count - fails)) passed, $fails failed"
    [ "$fails" = 0 ] ;;
  *) echo "error: unknown mode '$mode'; allowed: record, check" >&2; exit 2 ;;
esac
