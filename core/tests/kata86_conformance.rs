//! Kata 86 conformance: the seed-compatible model against figures recorded from the exercise's
//! reference TypeScript simulation (`tests/fixtures/kata86_reference.jsonl`, written by
//! `scripts/kata86-reference.sh record`), plus the exercise's own three tests.

#[path = "../../tests/support/kata86_fixture.rs"]
mod kata86_fixture;

use kata86_fixture::{golden_params, reference_cases};
use meridian_core::kata86::{Kata86Params, ReadStrategy, Region, SimResult};

fn run(
    iterations: u64,
    client: Region,
    strategy: ReadStrategy,
    leader: Region,
    seed: u64,
) -> SimResult {
    Kata86Params {
        iterations,
        client,
        strategy,
        leader,
        seed,
        ..Kata86Params::default()
    }
    .run()
    .expect("valid parameters")
    .summary
}

#[test]
fn every_recorded_reference_case_matches_to_the_digit() {
    let mut checked = 0;
    for (line_no, case) in reference_cases() {
        let got = case.params().run().expect("valid parameters").summary;
        assert_eq!(got, case.result, "fixture line {line_no}: {case:?}");
        checked += 1;
    }
    assert!(
        checked >= 900,
        "fixture unexpectedly small: {checked} cases"
    );
}

// The exercise's three tests, ported.

#[test]
fn local_reads_are_faster_but_can_be_stale() {
    let local = run(5000, Region::Sg, ReadStrategy::Local, Region::Sg, 1);
    let leader = run(5000, Region::Sg, ReadStrategy::Leader, Region::Sg, 1);
    assert!(local.read_p95 <= leader.read_p95);
    // The exercise asserts staleness >= 0, which an unsigned type guarantees; check instead that
    // a client at the leader sees none.
    assert_eq!(local.staleness_p95, 0);
}

#[test]
fn writes_to_leader_cost_cross_region_latency_for_far_clients() {
    let us_client = run(1000, Region::Us, ReadStrategy::Local, Region::Sg, 2);
    assert!(us_client.write_p95 > 200);
}

#[test]
fn fallback_reduces_extreme_staleness_at_cost_of_latency() {
    let local = run(5000, Region::Us, ReadStrategy::Local, Region::Sg, 3);
    let fallback = run(
        5000,
        Region::Us,
        ReadStrategy::LocalThenLeaderIfStale,
        Region::Sg,
        3,
    );
    assert!(fallback.read_p95 >= local.read_p95);
    assert!(fallback.staleness_p99 <= local.staleness_p99);
}

/// The full report for one setting, pinned so native and browser runs can be compared byte for
/// byte (the browser test reads the same file). Regenerate with `MERIDIAN_BLESS=1` after an
/// intended change to the report's shape.
#[test]
fn full_report_matches_the_golden_file() {
    const PATH: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/kata86_report_us_fallback_seed2024.json"
    );
    let report = golden_params().run().expect("valid parameters");
    let json = serde_json::to_string(&report).expect("serialises");
    if std::env::var_os("MERIDIAN_BLESS").is_some() {
        std::fs::write(PATH, format!("{json}\n")).expect("golden file written");
    }
    let golden = std::fs::read_to_string(PATH).expect("golden file present");
    assert_eq!(json, golden.trim_end());
}
