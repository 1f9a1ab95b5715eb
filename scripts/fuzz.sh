#!/usr/bin/env bash
# Runs each fuzz target of core/fuzz (cargo-fuzz + libFuzzer) for a set time and prints the
# executions per target; fails on the first target that finds a crash, an overflow or a hang.
#
#   scripts/fuzz.sh SECONDS [TARGET...]   # default: every target, 60 s each
#   scripts/fuzz.sh --runs N [TARGET...]  # N inputs per target, from seed 1 and the committed
#                                         # seeds only: the same inputs every time
#
# `make fuzz` runs it with FUZZ_SECONDS (60); `make fuzz-smoke` (part of `make test`) with a fixed
# number of inputs, so that the test command is deterministic: a finding there is the same finding
# on every run, not luck.
# New corpus entries go to $CARGO_TARGET_DIR/fuzz-corpus/<target> (or core/fuzz/target/...), so the
# committed seeds in core/fuzz/corpus/<target>/ stay as they are; a crashing input is saved in
# core/fuzz/artifacts/<target>/ and replays with `cargo fuzz run TARGET -s none -a FILE`.
#
# Flags: `-s none` builds without AddressSanitizer (the code under test is safe Rust, so ASan
# finds nothing the Rust checks do not, and it halves the speed); `-a` keeps debug assertions and
# overflow checks on. With no sanitizer cargo-fuzz passes only stable rustc flags, so the stable
# toolchain builds the targets as it is (no RUSTC_BOOTSTRAP).
set -euo pipefail

LIMIT=(-max_total_time="${1:-60}")
WHAT="in ${1:-60} s"
FRESH=""
if [ "${1:-}" = "--runs" ]; then
  LIMIT=(-runs="${2:?--runs needs a number}" -seed=1)
  WHAT="from seed 1"
  FRESH=1
  shift 2
else
  shift || true
fi
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT/core/fuzz"

if [ "$#" -gt 0 ]; then
  targets=("$@")
else
  mapfile -t targets < <(cargo fuzz list)
fi
work="${CARGO_TARGET_DIR:-$ROOT/core/fuzz/target}/fuzz-corpus"
if [ -n "$FRESH" ]; then
  # Deterministic runs start from the committed seeds alone.
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
fi
logs="${CARGO_TARGET_DIR:-$ROOT/core/fuzz/target}/fuzz-logs"
mkdir -p "$logs"

cargo fuzz build -s none -a

total=0
for t in "${targets[@]}"; do
  mkdir -p "$work/$t"
  log="$logs/$t.log"
  # -timeout: one input running longer than 10 s is a hang; -rss_limit_mb: memory past 2 GiB is
  # a finding (every fuzzed run is held to a small budget, see core/fuzz/src/lib.rs).
  if ! cargo fuzz run -s none -a "$t" "$work/$t" "corpus/$t" -- \
      "${LIMIT[@]}" -timeout=10 -rss_limit_mb=2048 \
      -print_final_stats=1 >"$log" 2>&1; then
    tail -n 60 "$log"
    echo "fuzz: $t FAILED (log: $log; the input is in core/fuzz/artifacts/$t/)"
    exit 1
  fi
  execs="$(awk '/^stat::number_of_executed_units:/ { print $2 }' "$log" | tail -n 1)"
  corpus="$(find "$work/$t" "corpus/$t" -type f | wc -l)"
  total=$((total + ${execs:-0}))
  printf 'fuzz: %-14s %10s executions %s (corpus %s inputs)\n' "$t" "${execs:-?}" "$WHAT" "$corpus"
done
printf 'fuzz: %d executions over %d targets, no crash\n' "$total" "${#targets[@]}"
