//! Constant-latency scenarios whose figures follow by hand.

use meridian_core::dist::Dist;
use meridian_core::scenario::{AgentConfig, FollowerAcks, ReplicationSpec};

use crate::support::{region, run, two_regions};

fn single_leader(acks: FollowerAcks) -> ReplicationSpec {
    ReplicationSpec::SingleLeader {
        leader: "A".into(),
        acks,
        apply_delay: Dist::constant(0.0),
        agent: AgentConfig::default(),
    }
}

#[test]
fn local_reads_cost_the_access_round_trip_exactly() {
    let r = run(&two_regions(single_leader(FollowerAcks::Async {}), 1.0));
    for id in ["A", "B"] {
        let reads = &region(&r, id).read_latency;
        assert!(reads.count > 1000);
        // Every read is one 10 ms round trip to the home replica.
        assert_eq!(
            (reads.min, reads.p50, reads.p99, reads.max),
            (10.0, 10.0, 10.0, 10.0)
        );
    }
}

#[test]
fn async_writes_pay_the_path_to_the_leader() {
    let r = run(&two_regions(single_leader(FollowerAcks::Async {}), 0.5));
    // A's clients: 10 ms to the leader and back. B's: 10 ms access + 100 ms B<->A.
    assert_eq!(region(&r, "A").write_latency.max, 10.0);
    assert_eq!(region(&r, "A").write_latency.min, 10.0);
    assert_eq!(region(&r, "B").write_latency.min, 110.0);
    assert_eq!(region(&r, "B").write_latency.max, 110.0);
    // Clients at the leader never read stale data; B's replica trails by the 50 ms one-way trip.
    assert_eq!(region(&r, "A").staleness.max, 0.0);
    assert!(region(&r, "B").staleness.max <= 50.0 + 1e-9);
    assert!(r.counters.stale_reads > 0);
}

#[test]
fn sync_writes_wait_for_the_follower_and_reads_are_never_stale() {
    let r = run(&two_regions(single_leader(FollowerAcks::Sync {}), 0.5));
    // Commit waits for B's apply (50 ms there) and its acknowledgement (50 ms back).
    assert_eq!(region(&r, "A").write_latency.min, 110.0);
    assert_eq!(region(&r, "A").write_latency.max, 110.0);
    assert_eq!(region(&r, "B").write_latency.max, 210.0);
    assert_eq!(r.staleness.max, 0.0);
    assert_eq!(r.counters.stale_reads, 0);
    assert_eq!(r.versions_behind.max, 0.0);
}

#[test]
fn batching_delays_replication_by_at_most_the_batch_delay() {
    let mut s = two_regions(
        ReplicationSpec::SingleLeader {
            leader: "A".into(),
            acks: FollowerAcks::Async {},
            apply_delay: Dist::constant(0.0),
            agent: AgentConfig {
                batch_size: 1000,
                batch_delay_ms: 200.0,
                ..AgentConfig::default()
            },
        },
        0.5,
    );
    s.seed = 11;
    let r = run(&s);
    let b = region(&r, "B").staleness.max;
    // A write waits at most 200 ms for its batch, then travels 50 ms.
    assert!(b > 50.0 && b <= 250.0 + 1e-9, "staleness max {b}");
}

#[test]
fn arrivals_keep_their_rate_above_one_per_microsecond() {
    // 2,000,000 requests/s for 10 ms: 20,000 expected (Poisson, sd ~141). Gaps average 0.5 µs,
    // so rounding each to a whole µs would distort the count.
    let mut s = two_regions(single_leader(FollowerAcks::Async {}), 0.5);
    s.workload.requests_per_s = 2_000_000.0;
    s.duration_s = 0.01;
    let r = run(&s);
    let requests = r.counters.reads + r.counters.writes;
    assert!((19_300..=20_700).contains(&requests), "{requests} requests");
}
