//! Deterministic fault sweeps: generated fault schedules over every replication mode, failover
//! policy and entity policy, each run checked against the invariants of
//! `meridian_core::chaos::invariants`.
//!
//! * `the_first_thousand_schedules_keep_every_invariant` runs seeds 0..1000 at
//!   [`Size::Quick`] (the same schedules at a quarter of the request rate; in four shards, so the
//!   test harness spreads them over the cores), every 25th twice to see the same outcome.
//! * `seeds_that_found_engine_bugs_stay_clean` and the browser sample's digests run at
//!   [`Size::Full`], the size that found those bugs and that the soak runs.
//! * `reproduce_seed` re-runs one seed, `MERIDIAN_CHAOS_SEED` (0 when unset), at
//!   `MERIDIAN_CHAOS_SIZE` (`full` when unset, or `quick`), printing its schedule and what it
//!   broke: the command every failure prints.
//! * `soak` (ignored; `make soak`) runs `MERIDIAN_SOAK_SCHEDULES` schedules (100,000 by
//!   default) from `MERIDIAN_SOAK_FIRST_SEED` (default 0) on every core.

use meridian_core::chaos::{self, Size, SweepSummary};

/// Schedules in the test command's sweep.
const SCHEDULES: u64 = 1000;
/// Shards of that sweep (one test each).
const SHARDS: u64 = 4;

/// Every this many seeds of the sweep is run twice: the same seed, the same outcome (report
/// digest included).
const DETERMINISM_EVERY: u64 = 25;

fn sweep(seeds: impl Iterator<Item = u64>) -> SweepSummary {
    let mut summary = SweepSummary::default();
    for seed in seeds {
        let mut outcome = chaos::run_schedule_sized(seed, Size::Quick);
        if seed % DETERMINISM_EVERY == 0 && chaos::run_schedule_sized(seed, Size::Quick) != outcome
        {
            outcome.violations.push(chaos::Violation {
                invariant: "determinism",
                detail: String::from("a second run gave another outcome"),
            });
        }
        summary.add(outcome);
    }
    summary
}

fn shard(index: u64) {
    let per = SCHEDULES / SHARDS;
    let summary = sweep(index * per..(index + 1) * per);
    assert!(summary.failures.is_empty(), "{summary}");
}

#[test]
fn the_first_thousand_schedules_keep_every_invariant_shard_0() {
    shard(0);
}

#[test]
fn the_first_thousand_schedules_keep_every_invariant_shard_1() {
    shard(1);
}

#[test]
fn the_first_thousand_schedules_keep_every_invariant_shard_2() {
    shard(2);
}

#[test]
fn the_first_thousand_schedules_keep_every_invariant_shard_3() {
    shard(3);
}

/// Seeds whose schedules found engine bugs, each fixed; they must stay clean. They run at
/// [`Size::Full`], the size the sweep had when they were found.
///
/// * 661, 731 (sync, semi-sync): a follower's acknowledgement reaching a crashed leader
///   committed the write there, while the schedule had the region down.
/// * 173, 228, 368, 638 (semi-sync, split brain): a deposed leader committed a write when an
///   acknowledgement arrived after it stepped down, and the client's retry committed it again at
///   the new leader (two commits of one operation with idempotency keys on).
/// * 568, 622 (sync, operator failover): a retry that reached the new leader was applied again
///   although the new leader already held the first application (idempotency keys on).
/// * 374, 572, 927 (async, promotion with `discard`): the deposed leader's queues to third
///   replicas were dropped, including writes the new leader held, so those replicas never
///   received them and never converged.
/// * 309, 908 (sync, partition then promotion): a write the deposed leader never committed
///   stayed at the followers that had applied it, so they never converged.
/// * 1106, 2897, 19738 (operator failovers while the leader is down or cut off; found by the
///   soak): a deposed leader promoted again before it rejoined brought its discarded writes
///   back with it, and its split-brain writes still in its queues reached some replicas.
/// * 9403, 1115, 3357 (promotion; soak): after a rejoining replica resynchronised from the
///   leader, what the leader still had queued for it counted as lost at the next failover,
///   so third replicas never received writes the new leader held.
/// * 1385 (multi-leader; soak): a retry that failed over to a region which had already
///   received the first attempt applied it again, because a concurrent write had replaced it
///   there.
/// * 21 (async, `reject_writes`), 27 (partitioned), 456 (multi-leader), found by the
///   reachability rule of `write_without_leader`: under a one-way partition from the leader
///   (or owner) to the client's home, the answer to a write still reached the client (the
///   engine checked the client's path in the request's direction for answers too).
/// * 1578 (async, promotion): a retry at the new leader was answered as an idempotent repeat
///   of a first application the new leader never received (it held a later write of its own
///   whose base index was higher), so the client was told a discarded write had succeeded.
#[test]
fn seeds_that_found_engine_bugs_stay_clean() {
    for seed in [
        661, 731, 173, 228, 368, 638, 568, 622, 374, 572, 927, 309, 908, 1106, 2897, 19738, 9403,
        1115, 3357, 1385, 21, 27, 456, 1578,
    ] {
        let outcome = chaos::run_schedule(seed);
        assert!(
            outcome.violations.is_empty(),
            "seed {seed}: {:?}\nreproduce: {}",
            outcome.violations,
            chaos::reproduce_command(seed, Size::Full)
        );
    }
}

/// Seeds whose report digests are committed for the WebAssembly sample.
const DIGEST_SEEDS: std::ops::Range<u64> = 0..20;

/// The committed digests (`<seed> <digest as 16 hex digits>` per line), which the browser test
/// `web/tests/browser_chaos.rs` compares its own runs against.
const DIGEST_FIXTURE: &str = "../tests/fixtures/chaos-digests.txt";

/// The digests of [`DIGEST_SEEDS`] as the fixture writes them.
fn digest_lines() -> String {
    DIGEST_SEEDS
        .map(|seed| format!("{seed} {:016x}\n", chaos::run_schedule(seed).digest))
        .collect()
}

/// The native reports of the WebAssembly sample still have the committed digests; with
/// `MERIDIAN_UPDATE_FIXTURES=1` the fixture is rewritten instead.
#[test]
fn the_committed_report_digests_are_current() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(DIGEST_FIXTURE);
    let fresh = digest_lines();
    if std::env::var_os("MERIDIAN_UPDATE_FIXTURES").is_some() {
        std::fs::write(&path, &fresh).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == fresh,
        "{} is stale (the engine's reports changed). Regenerate it with\n  \
         MERIDIAN_UPDATE_FIXTURES=1 cargo test -p meridian-core --test chaos -- \
         the_committed_report_digests_are_current\nthen run the browser sample \
         (make wasm-test).\ncommitted:\n{committed}\nnow:\n{fresh}",
        path.display()
    );
}

/// Re-runs `MERIDIAN_CHAOS_SEED` (0 when unset) at `MERIDIAN_CHAOS_SIZE` (`full` when unset)
/// and prints its schedule and violations.
#[test]
fn reproduce_seed() {
    let seed = std::env::var("MERIDIAN_CHAOS_SEED")
        .ok()
        .map(|s| {
            s.trim()
                .parse::<u64>()
                .expect("MERIDIAN_CHAOS_SEED is a u64")
        })
        .unwrap_or(0);
    let size = std::env::var("MERIDIAN_CHAOS_SIZE").map_or(Size::Full, |s| {
        Size::from_name(s.trim()).expect("MERIDIAN_CHAOS_SIZE is full or quick")
    });
    let scenario = chaos::generate_sized(seed, size);
    println!("{}", scenario.to_toml().expect("a scenario writes as TOML"));
    let outcome = chaos::run_schedule_sized(seed, size);
    println!("{outcome:#?}");
    assert!(
        outcome.violations.is_empty(),
        "seed {seed} broke invariants"
    );
}

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .map(|s| {
            s.trim()
                .parse()
                .unwrap_or_else(|_| panic!("{name} is a u64"))
        })
        .unwrap_or(default)
}

/// `make soak`: many schedules on every core, printing the summary and, for each failing seed,
/// the command that reproduces it.
#[test]
#[ignore = "long: run by `make soak`"]
fn soak() {
    let count = env_u64("MERIDIAN_SOAK_SCHEDULES", 100_000);
    let first = env_u64("MERIDIAN_SOAK_FIRST_SEED", 0);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()) as u64;
    let started = std::time::Instant::now();
    let summaries: Vec<SweepSummary> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                s.spawn(move || {
                    let seeds = (first..first + count).filter(move |seed| seed % threads == t);
                    let mut summary = SweepSummary::default();
                    for seed in seeds {
                        let mut outcome = chaos::run_schedule(seed);
                        // One run in a hundred is repeated: the same seed, the same report.
                        if seed % 100 == 0 && chaos::run_schedule(seed).digest != outcome.digest {
                            outcome.violations.push(chaos::Violation {
                                invariant: "determinism",
                                detail: String::from("a second run gave another report"),
                            });
                        }
                        summary.add(outcome);
                    }
                    summary
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut summary = SweepSummary::default();
    for s in summaries {
        summary.merge(s);
    }
    let secs = started.elapsed().as_secs_f64();
    println!("{summary}");
    println!(
        "{:.1} s, {:.0} schedules/s on {threads} threads",
        secs,
        summary.runs as f64 / secs
    );
    assert!(summary.failures.is_empty(), "failing seeds above");
}
