//! Consistency properties that hold by construction of the protocols.

use meridian_core::dist::Dist;
use meridian_core::scenario::{
    AgentConfig, FollowerAcks, OnViolation, ReadStrategy, ReplicationSpec, Scenario,
    SessionGuarantee,
};

use crate::support::{region, run, two_regions};

fn quorum(r: u32, w: u32) -> Scenario {
    let mut s = Scenario::preset("quorum-r1w1").unwrap();
    if let ReplicationSpec::Quorum { r: rr, w: ww, .. } = &mut s.replication {
        *rr = r;
        *ww = w;
    }
    s
}

#[test]
fn quorums_that_overlap_never_return_stale_data() {
    for (r, w) in [(2, 2), (1, 3), (3, 1)] {
        let report = run(&quorum(r, w));
        assert!(report.counters.reads > 10_000);
        assert_eq!(report.counters.stale_reads, 0, "R={r} W={w}");
        assert_eq!(report.staleness.max, 0.0, "R={r} W={w}");
    }
    let sloppy = run(&quorum(1, 1));
    assert!(
        sloppy.counters.stale_reads > 0,
        "R=W=1 should sometimes be stale"
    );
}

#[test]
fn bounded_staleness_with_fallback_caps_every_reads_staleness() {
    let mut s = Scenario::preset("sg-us-wallet").unwrap();
    s.reads.strategy = ReadStrategy::BoundedStaleness {
        max_lag_ms: 500.0,
        on_violation: OnViolation::Fallback {},
    };
    let r = run(&s);
    assert!(r.counters.fallback_reads > 0);
    assert!(
        r.staleness.max <= 500.0,
        "max staleness {}",
        r.staleness.max
    );
}

#[test]
fn bounded_staleness_can_wait_instead() {
    let mut s = Scenario::preset("sg-us-wallet").unwrap();
    s.reads.strategy = ReadStrategy::BoundedStaleness {
        max_lag_ms: 500.0,
        on_violation: OnViolation::Wait {
            poll_ms: 50.0,
            max_wait_ms: 10_000.0,
        },
    };
    let r = run(&s);
    assert!(r.counters.waited_reads > 0);
    assert!(
        r.staleness.max <= 500.0,
        "max staleness {}",
        r.staleness.max
    );
    // Waiting makes reads slow instead of stale.
    assert!(r.read_latency.max > 500.0);
}

#[test]
fn session_reads_see_their_own_writes() {
    let mut s = Scenario::preset("sg-us-wallet").unwrap();
    s.workload.sessions_per_client = 5;
    s.workload.keys = 20;
    let plain = run(&s);
    assert!(plain.counters.read_your_writes_violations > 0);
    s.reads.strategy = ReadStrategy::Session {
        guarantee: SessionGuarantee::Both,
        on_violation: OnViolation::Fallback {},
    };
    let session = run(&s);
    assert_eq!(session.counters.read_your_writes_violations, 0);
    assert_eq!(session.counters.monotonic_read_violations, 0);
    assert!(session.counters.fallback_reads > 0);
}

#[test]
fn retries_apply_once_with_idempotency_keys_and_twice_without() {
    // B's writes take 110 ms; a 100 ms deadline makes every one of them time out and retry.
    let mut s = two_regions(
        ReplicationSpec::SingleLeader {
            leader: "A".into(),
            acks: FollowerAcks::Async {},
            apply_delay: Dist::constant(0.0),
            agent: AgentConfig::default(),
        },
        0.5,
    );
    s.writes.deadline_ms = 100.0;
    s.writes.max_attempts = 2;
    let with_keys = run(&s);
    assert!(with_keys.counters.write_retries > 0);
    assert!(with_keys.counters.idempotent_retries > 0);
    assert_eq!(with_keys.counters.duplicate_applies, 0);
    s.writes.idempotency_keys = false;
    let without = run(&s);
    assert!(without.counters.duplicate_applies > 0);
}

#[test]
fn lost_batches_are_retried_then_dropped_and_counted() {
    let mut s = Scenario::preset("sg-us-wallet").unwrap();
    if let ReplicationSpec::SingleLeader { agent, .. } = &mut s.replication {
        agent.loss_probability = 0.5;
        agent.max_retries = 1;
    }
    let r = run(&s);
    assert!(r.counters.batch_retries > 0);
    assert!(r.counters.batch_drops > 0);
    assert_eq!(r.counters.writes_lost_in_transit, r.counters.batch_drops);
}

#[test]
fn a_full_buffer_drops_writes() {
    let mut s = Scenario::preset("sg-us-wallet").unwrap();
    if let ReplicationSpec::SingleLeader { agent, .. } = &mut s.replication {
        agent.buffer = 2;
    }
    assert!(run(&s).counters.buffer_drops > 0);
}

#[test]
fn multi_leader_counts_conflicts_on_hot_keys() {
    let mut s = Scenario::preset("sg-us-multi-leader").unwrap();
    s.workload.keys = 10;
    let r = run(&s);
    assert!(r.counters.conflicts > 0);
    assert_eq!(
        r.counters.conflicts,
        r.counters.discarded_by_lww + r.counters.overwritten_by_lww
    );
}

#[test]
fn multi_leader_wallets_overspend_or_lose_charges_under_lww_and_never_under_escrow() {
    let lww = run(&Scenario::preset("wallet-multi-leader-lww").unwrap());
    let wallet = lww.entities.iter().find(|e| e.name == "wallet").unwrap();
    assert_eq!(wallet.policy, "lww_balance");
    assert!(
        wallet.overspent_wallets + wallet.wallets_with_lost_charges > 0,
        "{wallet:?}"
    );
    assert!(wallet.conflicts > 0);

    let escrow = run(&Scenario::preset("wallet-multi-leader-escrow").unwrap());
    let wallet = escrow.entities.iter().find(|e| e.name == "wallet").unwrap();
    assert_eq!(wallet.policy, "escrow");
    assert!(wallet.accepted_charges > 0 && wallet.refused_charges > 0);
    assert_eq!(wallet.overspent_wallets, 0);
    assert_eq!(wallet.wallets_with_lost_charges, 0);
    assert_eq!(wallet.discarded_writes, 0);
}

#[test]
fn field_merge_only_conflicts_on_the_same_field() {
    let mut s = Scenario::preset("wallet-multi-leader-lww").unwrap();
    s.workload.keys = 20;
    let with = |fields: u32| {
        let mut s = s.clone();
        s.entities.retain(|e| e.name == "profile");
        s.entities[0].share = 1.0;
        s.entities[0].policy = meridian_core::scenario::EntityPolicy::FieldMerge { fields };
        run(&s).entities[0].conflicts
    };
    // One field behaves like whole-record last-write-wins; many fields rarely collide.
    assert!(with(1) > 2 * with(16), "{} vs {}", with(1), with(16));
}

#[test]
fn sync_replication_is_never_stale_even_when_retries_apply_a_write_again() {
    // B's sync writes take 210 ms; a 150 ms deadline retries them, and without idempotency keys
    // every retry applies the write again under a new stamp. Acknowledgements of an earlier
    // application must not commit the later one.
    let mut s = two_regions(
        ReplicationSpec::SingleLeader {
            leader: "A".into(),
            acks: FollowerAcks::Sync {},
            apply_delay: Dist::constant(0.0),
            agent: AgentConfig::default(),
        },
        0.5,
    );
    s.writes.deadline_ms = 150.0;
    s.writes.max_attempts = 3;
    s.writes.idempotency_keys = false;
    let r = run(&s);
    assert!(r.counters.duplicate_applies > 0);
    assert_eq!(r.counters.stale_reads, 0);
    assert_eq!(r.staleness.max, 0.0);
    // Clients in A still pay the round trip to B on every write.
    assert!(region(&r, "A").write_latency.min >= 110.0);
}

#[test]
fn session_reads_under_quorum_fall_back_to_an_overlapping_quorum() {
    // Slow, uneven applies: a W = 1 write often commits at a remote replica first, so the
    // session's next read at its local replica can miss it.
    let mut s = quorum(1, 1);
    if let ReplicationSpec::Quorum { apply_delay, .. } = &mut s.replication {
        *apply_delay = Dist::exponential(200.0);
    }
    s.workload.keys = 20;
    s.workload.sessions_per_client = 5;
    s.reads.strategy = ReadStrategy::Session {
        guarantee: SessionGuarantee::ReadYourWrites,
        on_violation: OnViolation::Fallback {},
    };
    let mut local = s.clone();
    local.reads.strategy = ReadStrategy::Local {};
    assert!(run(&local).counters.read_your_writes_violations > 0);
    let r = run(&s);
    assert!(r.counters.fallback_reads > 0);
    assert_eq!(r.counters.read_your_writes_violations, 0);
}
