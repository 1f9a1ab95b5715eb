//! Failures: constant-latency scenarios whose outcome follows by hand, and checks of the
//! engine's RTO/RPO figures against counts taken from the run's own history.
//!
//! The scenario is `support::two_regions`: regions A and B 100 ms apart, a client population
//! homed in each 10 ms from home, 200 requests/s over 20 s.

use std::collections::{HashMap, HashSet};

use meridian_core::dist::Dist;
use meridian_core::scenario::{
    AgentConfig, FailoverPolicy, FailoverSpec, FaultKindSpec, FaultSpec, FollowerAcks, LwwClock,
    ReplicationSpec, Scenario,
};
use meridian_core::sim::{FailureReport, HistoryEvent, Report, Simulation};

use crate::support::two_regions;

fn leader_a(acks: FollowerAcks, apply_ms: f64) -> ReplicationSpec {
    ReplicationSpec::SingleLeader {
        leader: "A".into(),
        acks,
        apply_delay: Dist::constant(apply_ms),
        agent: AgentConfig::default(),
    }
}

fn down(region: &str, at_s: f64, for_s: Option<f64>) -> FaultSpec {
    FaultSpec {
        at_s,
        for_s,
        kind: FaultKindSpec::RegionDown {
            region: region.into(),
        },
    }
}

fn failover(policy: FailoverPolicy, promotion_delay_ms: f64) -> FailoverSpec {
    FailoverSpec {
        policy,
        heartbeat_interval_ms: 1000.0,
        heartbeat_timeout_ms: 3000.0,
        promotion_delay_ms,
        ..FailoverSpec::default()
    }
}

/// Runs to completion with the history recorded.
fn run_recorded(s: &Scenario) -> (Report, Vec<HistoryEvent>, u32) {
    let model = s.validate().unwrap_or_else(|e| panic!("{}: {e}", s.name));
    let mut sim = Simulation::new(model);
    sim.record_history();
    sim.run();
    (sim.report(), sim.history().to_vec(), sim.divergent_keys())
}

fn failures(r: &Report) -> &FailureReport {
    r.failures.as_ref().expect("a run with faults reports them")
}

/// Per operation: (invoked at, write?, population, completed Ok at).
fn operations(h: &[HistoryEvent]) -> HashMap<u64, (u64, bool, u16, Option<u64>)> {
    let mut ops = HashMap::new();
    for e in h {
        match *e {
            HistoryEvent::Invoke {
                at_us,
                op,
                write,
                pop,
                ..
            } => {
                ops.insert(op, (at_us, write, pop, None));
            }
            HistoryEvent::Ok { at_us, op, .. } => {
                if let Some(o) = ops.get_mut(&op) {
                    o.3 = Some(at_us);
                }
            }
            _ => {}
        }
    }
    ops
}

const S: u64 = 1_000_000;

/// Adds a third region C (no clients), `to_a` and `to_b` ms of round trip from A and B.
fn add_region_c(s: &mut Scenario, to_a: f64, to_b: f64) {
    let mut c = s.topology.regions[0].clone();
    c.id = "C".into();
    s.topology.regions.push(c);
    for (a, ms) in [("A", to_a), ("B", to_b)] {
        let mut link = s.topology.links[0].clone();
        link.a = a.into();
        link.b = "C".into();
        link.rtt = Dist::constant(ms);
        s.topology.links.push(link);
    }
}

#[test]
fn reject_writes_takes_no_write_while_the_leader_is_down_and_reads_go_on() {
    let mut s = two_regions(leader_a(FollowerAcks::Async {}, 0.0), 0.7);
    s.faults = vec![down("A", 5.0, Some(8.0))];
    s.failover = Some(failover(FailoverPolicy::RejectWrites, 0.0));
    let (r, h, divergent) = run_recorded(&s);
    let f = failures(&r);
    // Heartbeats every second, 3 s of silence: detected at 8 s; the leader is back at 13 s.
    assert_eq!(f.faults[0].detected_s, Some(8.0));
    let ops = operations(&h);
    let in_window = |t: u64| (8 * S..13 * S).contains(&t);
    let writes_ok = ops
        .values()
        .filter(|o| o.1 && o.3.is_some_and(in_window))
        .count();
    let reads_ok = ops
        .values()
        .filter(|o| !o.1 && o.3.is_some_and(in_window))
        .count();
    assert_eq!(
        writes_ok, 0,
        "no write succeeds between detection and recovery"
    );
    assert!(reads_ok > 300, "B's clients keep reading: {reads_ok}");
    assert!(f.counters.writes_rejected_no_leader > 0);
    assert_eq!(f.rpo.lost_writes, 0, "nothing is promoted, nothing lost");
    // Writes come back once A is heard again (13 s).
    assert!(f.faults[0].rto_write_ms.unwrap() >= 8000.0);
    assert_eq!(divergent, 0, "the follower catches up after the outage");

    // Staleness grows with the outage: B's replica misses A's last writes for as long as A is
    // down.
    let staleness_max = |outage_s: f64| {
        let mut s = s.clone();
        s.faults = vec![down("A", 5.0, Some(outage_s))];
        run_recorded(&s).0.staleness.max
    };
    let (short, long) = (staleness_max(4.0), staleness_max(10.0));
    assert!(short > 3000.0 && long > short + 5000.0, "{short} vs {long}");
}

#[test]
fn promote_loses_exactly_the_acknowledged_writes_the_follower_never_applied() {
    // 400 ms of apply delay keeps writes in flight to B when A crashes at 5 s for good.
    let mut s = two_regions(leader_a(FollowerAcks::Async {}, 400.0), 0.5);
    s.faults = vec![down("A", 5.0, None)];
    s.failover = Some(failover(FailoverPolicy::Promote, 2000.0));
    let (r, h, _) = run_recorded(&s);
    let f = failures(&r);
    // Independent count from the history: writes A committed before the crash whose stamp B
    // never applied.
    let applied_at_b: HashSet<u64> = h
        .iter()
        .filter_map(|e| match *e {
            HistoryEvent::Apply {
                replica: 1, stamp, ..
            } => Some(stamp),
            _ => None,
        })
        .collect();
    let lost = h
        .iter()
        .filter(|e| {
            matches!(**e, HistoryEvent::Commit { at_us, region: 0, stamp, .. }
                if at_us < 5 * S && !applied_at_b.contains(&stamp))
        })
        .count() as u64;
    assert!(lost > 10, "the scenario leaves writes in flight: {lost}");
    assert_eq!(f.rpo.lost_writes, lost);
    assert!(f.rpo.window_ms > 400.0 && f.rpo.window_ms < 5000.0 + 500.0);

    // Synchronous replication acknowledges nothing B lacks: RPO 0.
    let mut sync = s.clone();
    sync.replication = leader_a(FollowerAcks::Sync {}, 400.0);
    let (r, _, _) = run_recorded(&sync);
    assert_eq!(failures(&r).rpo.lost_writes, 0);
}

#[test]
fn rto_is_detection_plus_promotion_then_the_next_write() {
    let mut s = two_regions(leader_a(FollowerAcks::Async {}, 0.0), 0.5);
    s.faults = vec![down("A", 5.0, None)];
    s.failover = Some(failover(FailoverPolicy::Promote, 2000.0));
    let (r, h, _) = run_recorded(&s);
    let f = failures(&r);
    // Detected at 8 s (the last heartbeat left at 5 s, plus 3 s), B promoted at 10 s.
    assert_eq!(f.faults[0].detected_s, Some(8.0));
    let rto = f.faults[0].rto_write_ms.expect("writes recover");
    assert!(rto >= 3000.0 + 2000.0, "{rto}");
    // No write that arrived after the crash succeeds before the promotion; the first to succeed
    // is one that arrived after it, and it takes 10 ms (B's clients) or 110 ms (A's clients,
    // now sent to B).
    let ops = operations(&h);
    let after_crash = |o: &&(u64, bool, u16, Option<u64>)| o.1 && o.0 >= 5 * S;
    assert!(
        ops.values()
            .filter(after_crash)
            .filter_map(|o| o.3)
            .all(|done| done >= 10 * S)
    );
    let first_done = ops
        .values()
        .filter(after_crash)
        .filter_map(|o| o.3)
        .min()
        .unwrap();
    assert_eq!(rto, (first_done - 5 * S) as f64 / 1000.0);
    let first_arrival = ops
        .values()
        .filter(|o| o.1 && o.0 >= 10 * S)
        .map(|o| o.0)
        .min()
        .unwrap();
    assert!(
        first_done <= first_arrival + 110_000,
        "within one request gap"
    );
}

#[test]
fn a_partition_keeps_the_leader_side_writing_and_converges_after_it_heals() {
    let mut s = two_regions(leader_a(FollowerAcks::Async {}, 0.0), 0.5);
    s.faults = vec![FaultSpec {
        at_s: 5.0,
        for_s: Some(7.0),
        kind: FaultKindSpec::Partition {
            a: vec!["A".into()],
            b: vec!["B".into()],
            one_way: false,
        },
    }];
    s.failover = Some(failover(FailoverPolicy::RejectWrites, 0.0));
    let (r, h, divergent) = run_recorded(&s);
    let f = failures(&r);
    let ops = operations(&h);
    let ok_in = |pop: u16, write: bool| {
        ops.values()
            .filter(|o| {
                o.1 == write && o.2 == pop && o.3.is_some_and(|t| (8 * S..12 * S).contains(&t))
            })
            .count()
    };
    assert!(ok_in(0, true) > 100, "A's side keeps writing to its leader");
    assert_eq!(ok_in(1, true), 0, "B's side cannot reach the leader");
    assert!(ok_in(1, false) > 100, "B's side keeps reading, stale");
    assert!(f.counters.writes_rejected_no_leader > 0);
    assert_eq!(f.split_brain_ms, 0.0);
    assert_eq!(divergent, 0, "replicas converge after the heal");

    // Promoting B makes two leaders until A hears of it; the run still converges.
    s.failover = Some(failover(FailoverPolicy::Promote, 1000.0));
    let (r, _, divergent) = run_recorded(&s);
    let f = failures(&r);
    // Promoted at 8 + 1 = 9 s; A learns at the heal, 12 s.
    assert_eq!(f.split_brain_ms, 3000.0);
    assert!(
        f.rpo.lost_writes > 0,
        "A's writes during the split are discarded"
    );
    assert_eq!(divergent, 0);
}

#[test]
fn a_one_way_partition_cuts_requests_or_answers_by_its_direction() {
    // Clients sit on their home's side: with A -> B cut, B's writes reach the leader A and
    // commit there, but no answer comes back; with B -> A cut, they never arrive.
    for (from, to, commits) in [("A", "B", true), ("B", "A", false)] {
        let mut s = two_regions(leader_a(FollowerAcks::Async {}, 0.0), 0.5);
        s.faults = vec![FaultSpec {
            at_s: 5.0,
            for_s: Some(7.0),
            kind: FaultKindSpec::Partition {
                a: vec![from.into()],
                b: vec![to.into()],
                one_way: true,
            },
        }];
        s.failover = Some(failover(FailoverPolicy::RejectWrites, 0.0));
        let (_, h, _) = run_recorded(&s);
        let ops = operations(&h);
        let window = 6 * S..12 * S;
        let acknowledged = ops
            .values()
            .filter(|o| o.1 && o.2 == 1 && o.3.is_some_and(|t| window.contains(&t)))
            .count();
        assert_eq!(acknowledged, 0, "{from} -> {to}: B's writes acknowledged");
        let committed = h
            .iter()
            .filter(|e| match e {
                HistoryEvent::Commit { at_us, op, .. } => {
                    window.contains(at_us) && ops[op].2 == 1 && ops[op].0 >= 6 * S
                }
                _ => false,
            })
            .count();
        assert_eq!(
            committed > 0,
            commits,
            "{from} -> {to}: {committed} commits"
        );
        let a_side = ops
            .values()
            .filter(|o| o.1 && o.2 == 0 && o.3.is_some_and(|t| window.contains(&t)))
            .count();
        assert!(a_side > 100, "A's own clients keep writing");
    }
}

#[test]
fn physical_clock_lww_loses_updates_under_skew_and_hlc_does_not() {
    let lost = |clock: LwwClock, skew_ms: f64| {
        let mut s = two_regions(
            ReplicationSpec::MultiLeader {
                apply_delay: Dist::constant(0.0),
                agent: AgentConfig::default(),
            },
            0.2,
        );
        s.workload.keys = 5;
        s.lww_clock = clock;
        s.faults = vec![FaultSpec {
            at_s: 0.0,
            for_s: None,
            kind: FaultKindSpec::ClockSkew {
                region: "A".into(),
                offset_ms: -skew_ms,
                drift_ppm: 0.0,
            },
        }];
        failures(&run_recorded(&s).0).counters.lost_updates
    };
    let physical: Vec<u64> = [10.0, 100.0, 1000.0]
        .iter()
        .map(|&ms| lost(LwwClock::Physical, ms))
        .collect();
    assert!(
        physical[0] < physical[1] && physical[1] < physical[2],
        "{physical:?}"
    );
    for ms in [10.0, 100.0, 1000.0] {
        assert_eq!(lost(LwwClock::Hybrid, ms), 0);
    }
}

#[test]
fn clients_of_a_down_region_are_served_by_the_next_region_in_their_list() {
    let mut s = two_regions(
        ReplicationSpec::MultiLeader {
            apply_delay: Dist::constant(0.0),
            agent: AgentConfig::default(),
        },
        1.0,
    );
    // A third region C, 200 ms from A and 150 ms from B; only A has clients, and they fail
    // over to C first.
    add_region_c(&mut s, 200.0, 150.0);
    s.clients.truncate(1);
    s.clients[0].failover = vec!["C".into(), "B".into()];
    s.faults = vec![down("A", 2.0, None)];
    let (r, _, _) = run_recorded(&s);
    let f = failures(&r);
    assert!(f.counters.rerouted_reads > 1000);
    // After detection (5 s) every read goes to C: 10 ms access + 200 ms A<->C.
    for iv in f
        .timeline
        .iter()
        .filter(|iv| iv.start_s >= 8.0 && iv.start_s < 20.0)
    {
        assert!(iv.reads_ok > 0);
        assert!(
            (iv.read_p95_ms - 210.0).abs() <= 1.0,
            "{}: {}",
            iv.start_s,
            iv.read_p95_ms
        );
    }
    // By default the order is nearest first: B, 110 ms.
    s.clients[0].failover.clear();
    let (r, _, _) = run_recorded(&s);
    let late = failures(&r)
        .timeline
        .iter()
        .find(|iv| iv.start_s == 10.0)
        .unwrap()
        .clone();
    assert!(
        (late.read_p95_ms - 110.0).abs() <= 1.0,
        "{}",
        late.read_p95_ms
    );
}

#[test]
fn without_faults_there_is_no_failure_section() {
    let s = two_regions(leader_a(FollowerAcks::Async {}, 0.0), 0.5);
    let (r, _, divergent) = run_recorded(&s);
    assert!(r.failures.is_none());
    assert_eq!(divergent, 0);
}

#[test]
fn fault_schedules_are_validated_with_field_paths() {
    let base = two_regions(leader_a(FollowerAcks::Async {}, 0.0), 0.5);
    let err = |f: FaultSpec| {
        let mut s = base.clone();
        s.faults = vec![f];
        s.validate().unwrap_err().to_string()
    };
    let e = err(down("EU", 1.0, None));
    assert!(e.contains("faults[0].region") && e.contains("A, B"), "{e}");
    let e = err(down("A", 25.0, None));
    assert!(
        e.contains("faults[0].at_s") && e.contains("duration"),
        "{e}"
    );
    let e = err(down("A", 1.0, Some(0.0)));
    assert!(e.contains("faults[0].for_s"), "{e}");
    let e = err(FaultSpec {
        at_s: 1.0,
        for_s: None,
        kind: FaultKindSpec::Partition {
            a: vec!["A".into()],
            b: vec!["A".into()],
            one_way: false,
        },
    });
    assert!(e.contains("faults[0].b"), "{e}");
    let e = err(FaultSpec {
        at_s: 1.0,
        for_s: Some(2.0),
        kind: FaultKindSpec::Failover { to: "B".into() },
    });
    assert!(
        e.contains("faults[0].for_s") && e.contains("operator action"),
        "{e}"
    );

    let mut multi = base.clone();
    multi.replication = ReplicationSpec::MultiLeader {
        apply_delay: Dist::constant(0.0),
        agent: AgentConfig::default(),
    };
    multi.faults = vec![FaultSpec {
        at_s: 1.0,
        for_s: None,
        kind: FaultKindSpec::Failback {},
    }];
    let e = multi.validate().unwrap_err().to_string();
    assert!(
        e.contains("faults[0].kind") && e.contains("single_leader"),
        "{e}"
    );

    let mut bad_hb = base.clone();
    bad_hb.failover = Some(FailoverSpec {
        heartbeat_timeout_ms: 10.0,
        ..FailoverSpec::default()
    });
    let e = bad_hb.validate().unwrap_err().to_string();
    assert!(e.contains("failover.heartbeat_timeout_ms"), "{e}");

    // A typo inside a fault is a parse error naming it.
    let text = "name = 'x'\nduration_s = 1\n[topology]\nregions = [{ id = 'A' }]\nlinks = []\n\
        [[clients]]\nname = 'c'\nhome = 'A'\naccess_rtt = { kind = 'constant', ms = 1 }\n\
        [workload]\nrequests_per_s = 1\nread_fraction = 1\nkeys = 1\n\
        [replication]\nmode = 'multi_leader'\n\
        [[faults]]\nkind = 'region_down'\nregoin = 'A'\nat_s = 0\n";
    let e = Scenario::from_toml(text).unwrap_err().to_string();
    assert!(e.contains("regoin"), "{e}");
}

/// N = 3 quorum replicas on three single-node regions A, B, C (replicas placed on the nodes).
fn three_region_quorum(r: u32, w: u32) -> Scenario {
    let mut s = two_regions(
        ReplicationSpec::Quorum {
            n: 3,
            r,
            w,
            replicas: vec![],
            apply_delay: Dist::constant(0.0),
        },
        0.5,
    );
    s.reads.strategy = meridian_core::scenario::ReadStrategy::Quorum {};
    add_region_c(&mut s, 100.0, 100.0);
    s
}

#[test]
fn quorum_operations_fail_without_enough_replicas() {
    let nodes_down = |nodes: &[&str]| {
        nodes
            .iter()
            .map(|n| FaultSpec {
                at_s: 5.0,
                for_s: Some(5.0),
                kind: FaultKindSpec::NodeDown { node: (*n).into() },
            })
            .collect::<Vec<_>>()
    };
    let writes_ok_in_window = |h: &[HistoryEvent]| {
        operations(h)
            .values()
            .filter(|o| o.1 && (5 * S + 100_000..10 * S).contains(&o.0) && o.3.is_some())
            .count()
    };
    // One replica down: R = W = 2 are still reachable.
    let mut s = three_region_quorum(2, 2);
    s.faults = nodes_down(&["C-node"]);
    let (r, h, _) = run_recorded(&s);
    assert_eq!(failures(&r).counters.quorum_unavailable, 0);
    assert!(writes_ok_in_window(&h) > 100);
    // Two down: neither W = 2 nor R = 2 can be met; both fail at once, and come back after.
    s.faults = nodes_down(&["B-node", "C-node"]);
    let (r, h, _) = run_recorded(&s);
    let f = failures(&r);
    assert!(
        f.counters.quorum_unavailable > 500,
        "{}",
        f.counters.quorum_unavailable
    );
    assert!(f.counters.reads_failed > 200);
    assert_eq!(writes_ok_in_window(&h), 0);
    assert!(r.counters.write_failures > 200);
    // R = W = 1 keeps working on the one replica left.
    let mut one = three_region_quorum(1, 1);
    one.faults = nodes_down(&["B-node", "C-node"]);
    let (r, h, _) = run_recorded(&one);
    assert_eq!(failures(&r).counters.quorum_unavailable, 0);
    assert!(writes_ok_in_window(&h) > 100);
}

#[test]
fn multi_leader_keeps_both_sides_writing_through_a_partition_and_conflicts_on_heal() {
    let mut s = two_regions(
        ReplicationSpec::MultiLeader {
            apply_delay: Dist::constant(0.0),
            agent: AgentConfig::default(),
        },
        0.5,
    );
    let healthy = run_recorded(&s).0.counters.conflicts;
    s.faults = vec![FaultSpec {
        at_s: 5.0,
        for_s: Some(5.0),
        kind: FaultKindSpec::Partition {
            a: vec!["A".into()],
            b: vec!["B".into()],
            one_way: false,
        },
    }];
    let (r, h, divergent) = run_recorded(&s);
    let ops = operations(&h);
    for pop in [0, 1] {
        let ok = ops
            .values()
            .filter(|o| o.1 && o.2 == pop && o.3.is_some_and(|t| (6 * S..10 * S).contains(&t)))
            .count();
        assert!(ok > 100, "population {pop} keeps writing: {ok}");
    }
    assert!(
        r.counters.conflicts > healthy + 50,
        "{} vs {healthy}",
        r.counters.conflicts
    );
    assert_eq!(divergent, 0, "last-write-wins converges after the heal");
}

#[test]
fn an_entity_type_can_read_elsewhere_than_the_scenario() {
    use meridian_core::scenario::{EntityPolicy, EntitySpec, ReadStrategy};
    let mut s = two_regions(leader_a(FollowerAcks::Async {}, 400.0), 0.8);
    s.entities = vec![EntitySpec {
        name: "wallet".into(),
        share: 0.5,
        policy: EntityPolicy::Lww,
        reads: Some(ReadStrategy::Leader {}),
        optional: false,
    }];
    let (r, h, _) = run_recorded(&s);
    // B's clients: wallet keys (0..25) read at the leader A (10 + 100 ms, never stale); the
    // rest locally (10 ms).
    let mut keys = HashMap::new();
    for e in &h {
        if let HistoryEvent::Invoke { op, key, .. } = *e {
            keys.insert(op, key);
        }
    }
    let (mut wallet, mut other) = (0, 0);
    for (op, o) in operations(&h) {
        if o.1 || o.2 != 1 {
            continue;
        }
        let latency = o.3.unwrap() - o.0;
        if keys[&op] < 25 {
            assert_eq!(latency, 110_000);
            wallet += 1;
        } else {
            assert_eq!(latency, 10_000);
            other += 1;
        }
    }
    assert!(wallet > 300 && other > 300);
    assert!(
        r.counters.stale_reads > 0,
        "local reads of the other keys lag"
    );
    // Validated like the scenario's strategy, with the entity's path.
    s.replication = ReplicationSpec::MultiLeader {
        apply_delay: Dist::constant(0.0),
        agent: AgentConfig::default(),
    };
    let e = s.validate().unwrap_err().to_string();
    assert!(e.contains("entities[0].reads.kind"), "{e}");
}

#[test]
fn zone_and_node_faults_name_what_exists() {
    let base = two_regions(leader_a(FollowerAcks::Async {}, 0.0), 0.5);
    let with = |kind: FaultKindSpec| {
        let mut s = base.clone();
        s.faults = vec![FaultSpec {
            at_s: 1.0,
            for_s: None,
            kind,
        }];
        s.validate()
    };
    let e = with(FaultKindSpec::ZoneDown { zone: "a-1".into() })
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("faults[0].zone") && e.contains("declares no zones"),
        "{e}"
    );
    let e = with(FaultKindSpec::NodeDown { node: "x".into() })
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("faults[0].node") && e.contains("A-node, B-node"),
        "{e}"
    );
    // A region's only node down is the region down.
    let mut s = base.clone();
    s.faults = vec![FaultSpec {
        at_s: 5.0,
        for_s: Some(8.0),
        kind: FaultKindSpec::NodeDown {
            node: "A-node".into(),
        },
    }];
    let (r, _, _) = run_recorded(&s);
    let f = failures(&r);
    assert_eq!(f.faults[0].detected_s, Some(8.0));
    assert!(f.counters.writes_rejected_no_leader > 0);
}

#[test]
fn anomalies_come_with_examples() {
    let mut s = two_regions(leader_a(FollowerAcks::Async {}, 400.0), 0.5);
    s.faults = vec![down("A", 5.0, Some(5.0))];
    let (r, _, _) = run_recorded(&s);
    let f = failures(&r);
    let stale: Vec<_> = f
        .anomalies
        .iter()
        .filter(|a| a.kind == "stale_read")
        .collect();
    assert_eq!(stale.len(), 3);
    for a in stale {
        assert!(a.expected.starts_with("write stamped"), "{}", a.expected);
        assert_ne!(a.expected, a.seen);
        assert!(a.client.starts_with("clients-"));
    }
}

#[test]
fn sticky_sessions_stay_where_they_moved_and_no_healthy_region_means_retry_after() {
    // Multi-leader A and B; only A has clients. A is down from 2 s to 8 s.
    let mut s = two_regions(
        ReplicationSpec::MultiLeader {
            apply_delay: Dist::constant(0.0),
            agent: AgentConfig::default(),
        },
        1.0,
    );
    s.clients.truncate(1);
    s.faults = vec![down("A", 2.0, Some(6.0))];
    let late_p95 = |s: &Scenario| {
        let (r, _, _) = run_recorded(s);
        let f = failures(&r).clone();
        f.timeline
            .iter()
            .find(|iv| iv.start_s == 15.0)
            .unwrap()
            .read_p95_ms
    };
    // Without stickiness the clients return home (10 ms) once A is heard again; with it, the
    // sessions that moved to B (10 + 100 ms) stay there.
    assert!((late_p95(&s) - 10.0).abs() < 0.5);
    s.failover = Some(FailoverSpec {
        sticky_sessions: true,
        ..FailoverSpec::default()
    });
    assert!((late_p95(&s) - 110.0).abs() < 1.0);

    // B down too, and B is the clients' only failover region: nothing healthy; the router
    // says so at once and the client retries after a heartbeat interval, until its deadline.
    // (A third region C keeps the controller alive.)
    add_region_c(&mut s, 100.0, 100.0);
    s.clients[0].failover = vec!["B".into()];
    s.failover = Some(FailoverSpec {
        controller: Some("C".into()),
        ..FailoverSpec::default()
    });
    s.faults.push(down("B", 2.0, Some(6.0)));
    let (r, _, _) = run_recorded(&s);
    let f = failures(&r);
    assert!(f.counters.reads_region_unavailable > 0);
    assert!(f.counters.reads_failed > 500);
}

#[test]
fn rto_and_rpo_objectives_are_judged_from_the_failure_figures() {
    use meridian_core::scenario::{SloMetric, SloSpec};
    let slo = |metric, below_ms| SloSpec {
        metric,
        percentile: 95.0,
        below_ms,
        region: None,
    };
    let mut s = two_regions(leader_a(FollowerAcks::Async {}, 400.0), 0.5);
    s.slos = vec![slo(SloMetric::Rto, 20_000.0), slo(SloMetric::Rpo, 100.0)];
    // Without faults there is nothing to judge.
    let (r, _, _) = run_recorded(&s);
    assert!(r.slos.iter().all(|v| v.samples == 0 && !v.pass));
    s.faults = vec![down("A", 5.0, None)];
    s.failover = Some(failover(FailoverPolicy::Promote, 2000.0));
    let (r, _, _) = run_recorded(&s);
    let f = failures(&r);
    assert_eq!(r.slos[0].label, "RTO < 20000 ms");
    assert_eq!(r.slos[0].measured_ms, f.faults[0].rto_write_ms.unwrap());
    assert!(r.slos[0].pass);
    assert_eq!(r.slos[1].measured_ms, f.rpo.window_ms);
    assert!(
        !r.slos[1].pass,
        "the promotion lost writes older than 100 ms"
    );
    // A region makes no sense for them.
    s.slos[0].region = Some("A".into());
    let e = s.validate().unwrap_err().to_string();
    assert!(e.contains("slos[0].region"), "{e}");
}

#[test]
fn wallet_anomalies_come_with_examples_too() {
    let mut s = Scenario::preset("wallet-multi-leader-lww").unwrap();
    s.faults = vec![FaultSpec {
        at_s: 5.0,
        for_s: Some(10.0),
        kind: FaultKindSpec::Partition {
            a: vec!["SG".into()],
            b: vec!["US".into()],
            one_way: false,
        },
    }];
    let (r, _, _) = run_recorded(&s);
    let f = failures(&r);
    let overspent = r.entities.iter().map(|e| e.overspent_wallets).sum::<u64>();
    assert!(overspent > 0);
    let examples: Vec<_> = f
        .anomalies
        .iter()
        .filter(|a| a.kind == "overspend")
        .collect();
    assert_eq!(examples.len() as u64, overspent.min(3));
    assert!(
        examples[0].seen.ends_with("charged"),
        "{}",
        examples[0].seen
    );
}

#[test]
fn disable_recs_sheds_the_optional_reads_while_it_is_on() {
    use meridian_core::scenario::{EntityPolicy, EntitySpec, Toggle};
    let mut s = two_regions(leader_a(FollowerAcks::Async {}, 0.0), 0.8);
    s.entities = vec![EntitySpec {
        name: "recommendations".into(),
        share: 0.5,
        policy: EntityPolicy::Lww,
        reads: None,
        optional: true,
    }];
    s.faults = vec![FaultSpec {
        at_s: 5.0,
        for_s: Some(5.0),
        kind: FaultKindSpec::Toggle {
            toggle: Toggle::DisableRecs,
        },
    }];
    let (r, h, _) = run_recorded(&s);
    let shed = failures(&r).counters.reads_shed;
    assert!(shed > 200, "{shed}");
    let optional_reads_in = |from: u64, to: u64| {
        h.iter()
            .filter(|e| {
                matches!(**e, HistoryEvent::Invoke { at_us, write: false, key, .. }
                    if key < 25 && (from..to).contains(&at_us))
            })
            .count()
    };
    assert_eq!(optional_reads_in(5 * S, 10 * S), 0);
    assert!(optional_reads_in(10 * S, 15 * S) > 200);
    // Other reads and writes go on.
    let ops = operations(&h);
    assert!(
        ops.values()
            .filter(|o| (5 * S..10 * S).contains(&o.0))
            .count()
            > 300
    );
}

#[test]
fn double_charges_come_with_examples() {
    use meridian_core::scenario::WritePolicy;
    // B's writes take 110 ms against a 100 ms deadline: every one is retried, and without
    // idempotency keys applied twice. A short outage makes it a run with a failure section.
    let mut s = two_regions(leader_a(FollowerAcks::Async {}, 0.0), 0.5);
    s.writes = WritePolicy {
        deadline_ms: 100.0,
        max_attempts: 2,
        idempotency_keys: false,
    };
    s.faults = vec![down("A", 15.0, Some(1.0))];
    let (r, _, _) = run_recorded(&s);
    assert!(r.counters.duplicate_applies > 100);
    let f = failures(&r);
    let doubles: Vec<_> = f
        .anomalies
        .iter()
        .filter(|a| a.kind == "double_charge")
        .collect();
    assert_eq!(doubles.len(), 3);
    assert_eq!(doubles[0].client, "clients-B");
}

#[test]
fn the_timeline_routes_clients_to_the_promoted_leader() {
    // A down at 5 s for 10 s: detected at 8 s, B promoted 2 s later, A back at 15 s.
    let mut s = two_regions(leader_a(FollowerAcks::Async {}, 0.0), 0.5);
    s.faults = vec![down("A", 5.0, Some(10.0))];
    s.failover = Some(failover(FailoverPolicy::Promote, 2000.0));
    let r = crate::support::run(&s);
    let f = failures(&r);
    let at = |t: f64| {
        let iv = f.timeline.iter().find(|iv| iv.start_s == t).unwrap();
        iv.routes
            .iter()
            .map(|r| (r.client.as_str(), r.reads.as_deref(), r.writes.as_deref()))
            .collect::<Vec<_>>()
    };
    // Before the fault: reads at home, writes to A.
    assert_eq!(
        at(2.0),
        [
            ("clients-A", Some("A"), Some("A")),
            ("clients-B", Some("B"), Some("A"))
        ]
    );
    // Detected, not yet promoted: A's clients read at B, writes are refused.
    assert_eq!(
        at(8.0),
        [
            ("clients-A", Some("B"), None),
            ("clients-B", Some("B"), None)
        ]
    );
    // B leads: every write goes there, and A's clients read there until A is back.
    assert_eq!(
        at(12.0),
        [
            ("clients-A", Some("B"), Some("B")),
            ("clients-B", Some("B"), Some("B"))
        ]
    );
    assert_eq!(at(16.0)[0].1, Some("A"));
}
