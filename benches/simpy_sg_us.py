#!/usr/bin/env python3
"""A SimPy model of Meridian's `sg-us-wallet` preset, as a speed (and sanity) baseline for
`cargo bench -p meridian-core --bench engine`.

The workload, as in core/presets/sg-us-wallet.toml and core/src/sim/world.rs (times in ms):

- Two client populations, each a Poisson process; arrivals stop after `duration_s`:
  VN (80% of 500 req/s) homed at SG with a 40 ms access round trip, and
  US (20%) homed at US with a 20 ms access round trip. A one-way trip is half a round trip.
- 90% reads, 10% writes, over 10,000 keys with Zipf(s = 1) popularity.
- Single leader at SG. A write travels to SG (US clients: 10 ms to US + 90 ms US-SG), is applied
  and committed there at once (asynchronous followers), and the answer travels back the same way.
- Replication SG -> US: each committed write leaves at once and is applied at US after the 90 ms
  one-way trip plus an apply delay: uniform 60-260 ms, or with probability 2% uniform 4060-8260 ms.
  Delivery is in order: a write is never applied before the one sent ahead of it.
- Reads go to the client's home replica, read the key there, and travel back.
- Staleness of a read: time since the first committed write of that key that the replica had not
  applied when the read was served (0 if it had them all), and how many such writes there were
  (versions behind). SG, the leader, is always current.

Each client request is a SimPy process; the replication link is a `simpy.Store` drained in order
by an applier process. It prints one JSON line: counts, p50/p95/p99 of read and write latency and
of staleness (overall and per home region), and `requests_per_s_wall`: requests simulated per
second of wall time for the whole run (building the model, running it, percentiles), best of
`--repeat` runs.

Usage:
    python3 benches/simpy_sg_us.py [duration_s] [--seed S] [--repeat N] [--ring K]
"""

import argparse
import bisect
import itertools
import json
import math
import random
import time
from collections import deque

import simpy

REQUESTS_PER_S = 500.0
READ_FRACTION = 0.9
KEYS = 10_000
ZIPF_S = 1.0
SG, US = "SG", "US"
LEADER = SG
SG_US_ONE_WAY_MS = 180.0 / 2
# (name, home, weight, access round trip ms)
POPULATIONS = [("VN", SG, 0.8, 40.0), ("US", US, 0.2, 20.0)]


def apply_delay_ms(rng):
    if rng.random() < 0.02:
        return rng.uniform(4060.0, 8260.0)
    return rng.uniform(60.0, 260.0)


def percentile(sorted_values, q):
    """Nearest rank: the smallest sample with at least q of the samples at or below it."""
    if not sorted_values:
        return 0.0
    rank = max(1, math.ceil(q * len(sorted_values)))
    return sorted_values[rank - 1]


def summary(values):
    values = sorted(values)
    return {
        "count": len(values),
        "p50": round(percentile(values, 0.50), 3),
        "p90": round(percentile(values, 0.90), 3),
        "p95": round(percentile(values, 0.95), 3),
        "p99": round(percentile(values, 0.99), 3),
        "max": round(values[-1], 3) if values else 0.0,
    }


class Wallet:
    def __init__(self, env, rng, duration_ms, ring):
        self.env = env
        self.ring = ring
        self.rng = rng
        self.duration_ms = duration_ms
        acc = list(itertools.accumulate(1.0 / (k**ZIPF_S) for k in range(1, KEYS + 1)))
        self.zipf_cdf = [c / acc[-1] for c in acc]
        # Commit times of the writes of each key that US has not applied yet, oldest first.
        self.unapplied_at_us = {}
        self.link = simpy.Store(env)
        self.reads = {SG: [], US: []}
        self.writes = {SG: [], US: []}
        self.staleness = {SG: [], US: []}
        self.versions_behind = []
        self.requests = 0
        env.process(self.us_applier())
        for _name, home, weight, access_rtt in POPULATIONS:
            env.process(self.clients(home, REQUESTS_PER_S * weight, access_rtt))

    def choose_key(self):
        return min(bisect.bisect_left(self.zipf_cdf, self.rng.random()), KEYS - 1)

    def clients(self, home, rate_per_s, access_rtt):
        while True:
            yield self.env.timeout(self.rng.expovariate(rate_per_s) * 1000.0)
            if self.env.now > self.duration_ms:
                return
            self.requests += 1
            key = self.choose_key()
            if self.rng.random() < READ_FRACTION:
                self.env.process(self.read(home, access_rtt, key))
            else:
                self.env.process(self.write(home, access_rtt, key))

    def read(self, home, access_rtt, key):
        start = self.env.now
        yield self.env.timeout(access_rtt / 2)
        stale, behind = 0.0, 0
        if home != LEADER:
            pending = self.unapplied_at_us.get(key)
            if pending:
                # With --ring K, charge from the oldest of the key's last K commits, as an
                # engine that remembers only K commits per key would (a lower bound).
                first = pending[0] if not self.ring else pending[max(0, len(pending) - self.ring)]
                stale = self.env.now - first
                behind = len(pending)
        yield self.env.timeout(access_rtt / 2)
        self.reads[home].append(self.env.now - start)
        self.staleness[home].append(stale)
        self.versions_behind.append(behind)

    def write(self, home, access_rtt, key):
        start = self.env.now
        one_way = access_rtt / 2 + (SG_US_ONE_WAY_MS if home != LEADER else 0.0)
        yield self.env.timeout(one_way)
        # Applied and committed at the leader; replicate asynchronously to US.
        commit = self.env.now
        self.unapplied_at_us.setdefault(key, deque()).append(commit)
        ready = commit + SG_US_ONE_WAY_MS + apply_delay_ms(self.rng)
        yield self.link.put((ready, key))
        yield self.env.timeout(one_way)
        self.writes[home].append(self.env.now - start)

    def us_applier(self):
        """Applies replicated writes at US in the order they were sent."""
        while True:
            ready, key = yield self.link.get()
            if ready > self.env.now:
                yield self.env.timeout(ready - self.env.now)
            pending = self.unapplied_at_us[key]
            pending.popleft()
            if not pending:
                del self.unapplied_at_us[key]


def run(duration_s, seed, ring):
    t0 = time.perf_counter()
    env = simpy.Environment()
    model = Wallet(env, random.Random(seed), duration_s * 1000.0, ring)
    env.run()  # until no event is left: arrivals stop, replication drains
    result = {
        "model": "simpy sg-us-wallet",
        "simpy": simpy.__version__,
        "duration_s": duration_s,
        "seed": seed,
        "staleness_rule": "exact" if not ring else f"last {ring} commits per key",
        "requests": model.requests,
        "reads": sum(len(v) for v in model.reads.values()),
        "writes": sum(len(v) for v in model.writes.values()),
        "read_latency_ms": summary(model.reads[SG] + model.reads[US]),
        "write_latency_ms": summary(model.writes[SG] + model.writes[US]),
        "staleness_ms": summary(model.staleness[SG] + model.staleness[US]),
        "versions_behind": summary(model.versions_behind),
        "regions": {
            home: {
                "read_latency_ms": summary(model.reads[home]),
                "write_latency_ms": summary(model.writes[home]),
                "staleness_ms": summary(model.staleness[home]),
            }
            for home in (SG, US)
        },
    }
    return result, time.perf_counter() - t0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("duration_s", nargs="?", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3, help="runs; the fastest is reported")
    parser.add_argument(
        "--ring",
        type=int,
        default=0,
        help="diagnostic: measure staleness from only the last RING commits per key (0 = exact)",
    )
    args = parser.parse_args()
    if not args.duration_s > 0 or args.repeat < 1 or args.ring < 0:
        parser.error("duration_s must be > 0, --repeat >= 1 and --ring >= 0")
    best = None
    for _ in range(args.repeat):
        result, wall = run(args.duration_s, args.seed, args.ring)
        best = wall if best is None else min(best, wall)
    result["wall_s"] = round(best, 4)
    result["requests_per_s_wall"] = round(result["requests"] / best, 1)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
