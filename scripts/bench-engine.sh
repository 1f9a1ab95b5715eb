#!/usr/bin/env bash
# Engine throughput, Meridian's discrete-event simulator against a SimPy model of the same
# workload, in one run.
#
#   scripts/bench-engine.sh [SIMPY_REPEAT]
#
# Meridian: `cargo bench -p meridian-core --bench engine` (criterion, end to end: Simulation::new,
# run, report) for the sg-us-wallet, aws8-multi-leader and quorum-r2w2 presets, in simulated
# requests per second. SimPy: benches/simpy_sg_us.py, the sg-us-wallet workload over the same 60
# simulated seconds, best of SIMPY_REPEAT runs (default 3). Prints both throughputs, the ratio on
# sg-us-wallet, and both models' latency and staleness percentiles side by side.
#
# Needs SimPy from PyPI (`pip install simpy==4.1.1`).
set -euo pipefail
repeat="${1:-3}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"

if ! python3 -c "import simpy" 2>/dev/null; then
  echo "error: SimPy is not installed; run: pip install simpy==4.1.1" >&2
  exit 1
fi

echo "== meridian engine (criterion)"
cargo bench -q -p meridian-core --bench engine --manifest-path "$root/Cargo.toml" -- engine/ 2>&1 |
  grep -E "^engine/|time:|thrpt:" | grep -v "%"

echo "== SimPy model of sg-us-wallet (60 simulated s, best of $repeat)"
simpy_json="$(python3 "$root/benches/simpy_sg_us.py" 60 --repeat "$repeat")"

cargo build -q --release -p meridian-core --features cli --manifest-path "$root/Cargo.toml"
meridian_json="$("$target/release/meridian" run sg-us-wallet --json)"

python3 - "$target/criterion/engine/requests" "$simpy_json" "$meridian_json" <<'EOF'
import json
import os
import sys

crit_dir, simpy, meridian = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])


def criterion_rate(preset):
    """Requests per second as criterion prints it (slope estimate when sampled linearly)."""
    d = os.path.join(crit_dir, preset, "new")
    with open(os.path.join(d, "benchmark.json")) as f:
        elements = json.load(f)["throughput"]["Elements"]
    with open(os.path.join(d, "estimates.json")) as f:
        est = json.load(f)
    ns = (est.get("slope") or est["mean"])["point_estimate"]
    return elements, elements / (ns * 1e-9)


print("\n== throughput, simulated requests per second of wall time")
rates = {}
for preset in ("sg-us-wallet", "aws8-multi-leader", "quorum-r2w2"):
    n, rate = criterion_rate(preset)
    rates[preset] = rate
    print(f"meridian {preset:<20} {rate:>14,.0f} req/s  ({n} requests per run)")
py = simpy["requests_per_s_wall"]
print(f"simpy    {'sg-us-wallet':<20} {py:>14,.0f} req/s  ({simpy['requests']} requests per run)")
ratio = rates["sg-us-wallet"] / py
print(f"ratio meridian / simpy on sg-us-wallet: {ratio:.1f}x (target >= 20x)")

print("\n== sg-us-wallet figures, meridian (seed 1) vs simpy (seed 1), ms")
rows = [("all", meridian, simpy)]
by_region = {r["region"]: r for r in meridian["regions"]}
for region in ("SG", "US"):
    rows.append((region, by_region[region], simpy["regions"][region]))
print(f"{'':<24}{'meridian p50/p95/p99':>28}{'simpy p50/p95/p99':>28}")
for label, m, s in rows:
    for metric in ("read_latency", "write_latency", "staleness"):
        mm, ss = m[metric], s[metric + "_ms"]
        left = "/".join(f"{mm[q]:.1f}" for q in ("p50", "p95", "p99"))
        right = "/".join(f"{ss[q]:.1f}" for q in ("p50", "p95", "p99"))
        print(f"{label + ' ' + metric:<24}{left:>28}{right:>28}")
left = "/".join(str(meridian["versions_behind"][q]) for q in ("p50", "p95", "p99"))
right = "/".join(str(simpy["versions_behind"][q]) for q in ("p50", "p95", "p99"))
print(f"{'all versions behind':<24}{left:>28}{right:>28}")
EOF
