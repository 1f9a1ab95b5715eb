//! The random schedule generator: from one `u64` seed, a small scenario (three regions, one with
//! two zones) with a replication mode, a failover policy, entity policies, a read strategy, a
//! write policy and a fault schedule of crashes (region, zone, node), partitions, degraded
//! links, lag spikes, clock skew, runbook toggles and operator failovers.
//!
//! Every window ends before the run does, so every fault has healed by the time arrivals stop
//! and the run drains. The same seed always gives the same scenario, on every platform (the
//! generator draws from [`SimRng`] and nothing else), and the scenario always passes
//! [`Scenario::validate`].

use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use crate::dist::Dist;
use crate::rng::SimRng;
use crate::scenario::{
    AgentConfig, ClientSpec, DivergentWrites, EntityPolicy, EntitySpec, Failback, FailoverPolicy,
    FailoverSpec, FaultKindSpec, FaultSpec, FollowerAcks, LinkSpec, LwwClock, OnViolation,
    PartitionBy, Popularity, ReadStrategy, ReadsSpec, RegionSpec, ReplicationSpec, Scenario,
    SessionGuarantee, Toggle, TopologySpec, WorkloadSpec, WritePolicy, ZoneSpec,
};

/// The regions of every generated scenario. `A` has two zones (`a1` with node `A-1`, `a2` with
/// node `A-2`), `B` one zone with node `B-1`, and `C` no zones (its implicit node is `C-node`).
pub const REGIONS: [&str; 3] = ["A", "B", "C"];

/// The nodes of every generated scenario, in topology order.
pub const NODES: [&str; 4] = ["A-1", "A-2", "B-1", "C-node"];

/// The replication modes the generator picks from, by the name [`replication_mode`] gives.
pub const MODES: [&str; 6] = [
    "single_leader/async",
    "single_leader/semi_sync",
    "single_leader/sync",
    "multi_leader",
    "partitioned",
    "quorum",
];

/// The generator's dice: a thin layer over [`SimRng`].
struct Dice(SimRng);

impl Dice {
    fn below(&mut self, n: usize) -> usize {
        self.0.below(n as u64) as usize
    }

    fn chance(&mut self, p: f64) -> bool {
        self.0.chance(p)
    }

    /// A number in `lo..hi`, rounded to a millisecond's worth of digits so documents stay short.
    fn between(&mut self, lo: f64, hi: f64) -> f64 {
        libm::round((lo + (hi - lo) * self.0.next_f64()) * 1000.0) / 1000.0
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn region(&mut self) -> String {
        String::from(*self.pick(&REGIONS))
    }
}

/// How much work a generated schedule carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Size {
    /// As generated: 30 to 90 requests per second. The soak, the regression seeds and the
    /// browser sample run this size.
    #[default]
    Full,
    /// The same schedule (replication mode, policies, faults and every timing) at
    /// [`QUICK_RATE`] of the request rate: the 1,000-schedule sweep of `make test`, a few
    /// seconds in a debug build.
    Quick,
}

impl Size {
    /// The name `MERIDIAN_CHAOS_SIZE` takes.
    pub fn name(self) -> &'static str {
        match self {
            Size::Full => "full",
            Size::Quick => "quick",
        }
    }

    /// The size named `name` ("full" or "quick").
    pub fn from_name(name: &str) -> Option<Size> {
        match name {
            "full" => Some(Size::Full),
            "quick" => Some(Size::Quick),
            _ => None,
        }
    }
}

/// The share of the full request rate a [`Size::Quick`] schedule keeps.
pub const QUICK_RATE: f64 = 0.25;

/// The generated scenario for `seed` at `size`: [`generate`]'s, with the request rate scaled
/// down for [`Size::Quick`] (every other draw is the same, so both sizes cover the same modes,
/// policies and faults).
pub fn generate_sized(seed: u64, size: Size) -> Scenario {
    let mut s = generate(seed);
    if size == Size::Quick {
        let rate = s.workload.requests_per_s * QUICK_RATE;
        s.workload.requests_per_s = libm::round(rate * 1000.0) / 1000.0;
        s.name = format!("chaos-{seed}-quick");
    }
    s
}

/// The generated scenario for `seed` (its run seed is `seed` too), at [`Size::Full`].
pub fn generate(seed: u64) -> Scenario {
    let mut d = Dice(SimRng::fork(seed, 0xC4A0_5EED));
    let duration_s = d.between(6.0, 12.0);
    let mode = d.below(MODES.len());
    let replication = replication(&mut d, mode);
    let single_leader = matches!(replication, ReplicationSpec::SingleLeader { .. });
    let quorum = matches!(replication, ReplicationSpec::Quorum { .. });
    let multi_leader = matches!(replication, ReplicationSpec::MultiLeader { .. });
    let reads = read_strategy(&mut d, multi_leader, quorum);
    let entities = entities(&mut d, quorum, single_leader, multi_leader);
    let faults = faults(&mut d, duration_s, single_leader);
    Scenario {
        name: format!("chaos-{seed}"),
        description: String::from("a generated fault schedule (meridian_core::chaos)"),
        seed,
        duration_s,
        topology: topology(&mut d),
        clients: REGIONS
            .iter()
            .map(|home| ClientSpec {
                name: format!("clients-{home}"),
                home: String::from(*home),
                weight: 1.0,
                access_rtt: Dist::uniform(2.0, 20.0),
                lat: 0.0,
                lon: 0.0,
                failover: Vec::new(),
            })
            .collect(),
        workload: WorkloadSpec {
            requests_per_s: d.between(30.0, 90.0),
            read_fraction: d.between(0.3, 0.8),
            keys: 6 + d.below(30) as u32,
            popularity: if d.chance(0.5) {
                Popularity::Uniform {}
            } else {
                Popularity::Zipf {
                    s: d.between(0.6, 1.2),
                }
            },
            sessions_per_client: 1 + d.below(6) as u32,
        },
        replication,
        reads: ReadsSpec {
            strategy: reads,
            deadline_ms: Some(d.between(500.0, 2500.0)),
        },
        writes: WritePolicy {
            deadline_ms: d.between(400.0, 2500.0),
            max_attempts: 1 + d.below(3) as u32,
            idempotency_keys: d.chance(0.8),
        },
        slos: Vec::new(),
        entities,
        faults,
        failover: single_leader.then(|| failover(&mut d)),
        timeline: None,
        lww_clock: if d.chance(0.25) {
            LwwClock::Physical
        } else {
            LwwClock::Hybrid
        },
    }
}

/// The name of a scenario's replication mode, one of [`MODES`].
pub fn replication_mode(scenario: &Scenario) -> &'static str {
    match &scenario.replication {
        ReplicationSpec::SingleLeader { acks, .. } => match acks {
            FollowerAcks::Async {} => MODES[0],
            FollowerAcks::SemiSync { .. } => MODES[1],
            FollowerAcks::Sync {} => MODES[2],
        },
        ReplicationSpec::MultiLeader { .. } => MODES[3],
        ReplicationSpec::Partitioned { .. } => MODES[4],
        ReplicationSpec::Quorum { .. } => MODES[5],
    }
}

fn topology(d: &mut Dice) -> TopologySpec {
    let region = |id: &str, zones: Vec<ZoneSpec>| RegionSpec {
        zones,
        ..RegionSpec::new(id, "", 0.0, 0.0)
    };
    let zone = |id: &str, node: &str| ZoneSpec {
        id: String::from(id),
        nodes: vec![String::from(node)],
    };
    let mut links = Vec::new();
    for (i, a) in REGIONS.iter().enumerate() {
        for b in &REGIONS[i + 1..] {
            let ms = d.between(20.0, 200.0);
            links.push(LinkSpec {
                a: String::from(*a),
                b: String::from(*b),
                rtt: if d.chance(0.5) {
                    Dist::constant(ms)
                } else {
                    Dist::uniform(ms, ms * 1.5)
                },
            });
        }
    }
    TopologySpec {
        regions: vec![
            region("A", vec![zone("a1", NODES[0]), zone("a2", NODES[1])]),
            region("B", vec![zone("b1", NODES[2])]),
            region("C", Vec::new()),
        ],
        links,
        intra_region_rtt: Dist::constant(1.0),
    }
}

fn agent(d: &mut Dice) -> AgentConfig {
    AgentConfig {
        batch_size: 1 + d.below(4) as u32,
        batch_delay_ms: d.between(0.0, 50.0),
        loss_probability: if d.chance(0.3) {
            d.between(0.0, 0.2)
        } else {
            0.0
        },
        max_retries: d.below(6) as u32,
        retry_base_ms: d.between(20.0, 200.0),
        buffer: 10_000,
    }
}

fn replication(d: &mut Dice, mode: usize) -> ReplicationSpec {
    let apply_delay = Dist::uniform(0.0, d.between(1.0, 300.0));
    let single = |acks| ReplicationSpec::SingleLeader {
        leader: String::from("A"),
        acks,
        apply_delay: apply_delay.clone(),
        agent: AgentConfig::default(),
    };
    let mut spec = match mode {
        0 => single(FollowerAcks::Async {}),
        1 => single(FollowerAcks::SemiSync { k: 1 }),
        2 => single(FollowerAcks::Sync {}),
        3 => ReplicationSpec::MultiLeader {
            apply_delay,
            agent: AgentConfig::default(),
        },
        4 => ReplicationSpec::Partitioned {
            by: PartitionBy::KeyRange {},
            owners: REGIONS.iter().map(|r| String::from(*r)).collect(),
            apply_delay,
            agent: AgentConfig::default(),
        },
        _ => {
            let n = 3 + d.below(2) as u32;
            let r = 1 + d.below(n as usize) as u32;
            let w = 1 + d.below(n as usize) as u32;
            ReplicationSpec::Quorum {
                n,
                r,
                w,
                replicas: Vec::new(),
                apply_delay,
            }
        }
    };
    match &mut spec {
        ReplicationSpec::SingleLeader { agent: a, .. }
        | ReplicationSpec::MultiLeader { agent: a, .. }
        | ReplicationSpec::Partitioned { agent: a, .. } => *a = agent(d),
        ReplicationSpec::Quorum { .. } => {}
    }
    spec
}

fn on_violation(d: &mut Dice, fallback_allowed: bool) -> OnViolation {
    if fallback_allowed && d.chance(0.5) {
        OnViolation::Fallback {}
    } else {
        OnViolation::Wait {
            poll_ms: d.between(10.0, 100.0),
            max_wait_ms: d.between(100.0, 1000.0),
        }
    }
}

fn read_strategy(d: &mut Dice, multi: bool, quorum: bool) -> ReadStrategy {
    let guarantee = *d.pick(&[
        SessionGuarantee::ReadYourWrites,
        SessionGuarantee::MonotonicReads,
        SessionGuarantee::Both,
    ]);
    if quorum {
        return match d.below(3) {
            0 => ReadStrategy::Local {},
            1 => ReadStrategy::Quorum {},
            _ => ReadStrategy::Session {
                guarantee,
                on_violation: OnViolation::Fallback {},
            },
        };
    }
    let leaderless = multi;
    match d.below(6) {
        0 => ReadStrategy::Local {},
        1 if !leaderless => ReadStrategy::Leader {},
        2 => ReadStrategy::Quorum {},
        3 if !leaderless => ReadStrategy::LocalThenLeaderIfStale {
            threshold_ms: d.between(10.0, 500.0),
        },
        4 => ReadStrategy::BoundedStaleness {
            max_lag_ms: d.between(10.0, 500.0),
            on_violation: on_violation(d, !leaderless),
        },
        5 => ReadStrategy::Session {
            guarantee,
            on_violation: on_violation(d, !leaderless),
        },
        _ => ReadStrategy::Local {},
    }
}

/// Entity types over part of the key space: maybe a wallet (escrow, counter or last-write-wins
/// balance; not under quorum replication, where wallets are refused), maybe field-merged
/// profiles; the rest are plain records.
fn entities(d: &mut Dice, quorum: bool, single: bool, multi: bool) -> Vec<EntitySpec> {
    let mut out = Vec::new();
    if !quorum && d.chance(0.7) {
        let initial_balance = 50 + d.below(200) as u32;
        let max_charge = 1 + d.below(40) as u32;
        let policy = match d.below(3) {
            0 => EntityPolicy::Escrow {
                initial_balance,
                max_charge,
            },
            1 => EntityPolicy::CounterBalance {
                initial_balance,
                max_charge,
            },
            _ => EntityPolicy::LwwBalance {
                initial_balance,
                max_charge,
            },
        };
        let reads = (single && d.chance(0.5)).then_some(ReadStrategy::Leader {});
        out.push(EntitySpec {
            name: String::from("wallet"),
            share: d.between(0.2, 0.5),
            policy,
            reads,
            optional: false,
        });
    }
    if d.chance(0.4) {
        out.push(EntitySpec {
            name: String::from("profile"),
            share: d.between(0.1, 0.3),
            policy: EntityPolicy::FieldMerge {
                fields: 1 + d.below(8) as u32,
            },
            reads: (!multi && !quorum && d.chance(0.3)).then_some(ReadStrategy::Quorum {}),
            optional: false,
        });
    }
    if d.chance(0.3) {
        out.push(EntitySpec {
            name: String::from("recs"),
            share: d.between(0.05, 0.15),
            policy: EntityPolicy::Lww,
            reads: None,
            optional: true,
        });
    }
    out
}

fn failover(d: &mut Dice) -> FailoverSpec {
    let heartbeat = d.between(200.0, 1000.0);
    FailoverSpec {
        policy: *d.pick(&FailoverPolicy::ALL),
        heartbeat_interval_ms: heartbeat,
        heartbeat_timeout_ms: heartbeat * d.between(1.5, 4.0),
        promotion_delay_ms: d.between(100.0, 2000.0),
        controller: d.chance(0.3).then(|| d.region()),
        failback: if d.chance(0.5) {
            Failback::Return
        } else {
            Failback::Stay
        },
        divergent_writes: if d.chance(0.5) {
            DivergentWrites::Merge
        } else {
            DivergentWrites::Discard
        },
        sticky_sessions: d.chance(0.3),
    }
}

/// One to six faults, each starting in the first 80 % of the run and ending before it does;
/// operator failovers and failbacks only with a single leader.
fn faults(d: &mut Dice, duration_s: f64, single_leader: bool) -> Vec<FaultSpec> {
    let count = 1 + d.below(6);
    let mut out = Vec::with_capacity(count);
    for _ in 0..count {
        let at_s = d.between(0.0, duration_s * 0.8);
        let room = duration_s - at_s;
        let for_s = Some(d.between(0.05 * room, 0.95 * room).max(0.001));
        let kinds = if single_leader { 11 } else { 9 };
        let (kind, for_s) = match d.below(kinds) {
            0 => (FaultKindSpec::RegionDown { region: d.region() }, for_s),
            1 => (
                FaultKindSpec::ZoneDown {
                    zone: String::from(*d.pick(&["a1", "a2", "b1"])),
                },
                for_s,
            ),
            2 => (
                FaultKindSpec::NodeDown {
                    node: String::from(*d.pick(&NODES)),
                },
                for_s,
            ),
            3 | 4 => (partition(d), for_s),
            5 => {
                let (a, b) = two_regions(d);
                (
                    FaultKindSpec::LinkDegradation {
                        a,
                        b,
                        extra_rtt_ms: d.between(0.0, 500.0),
                        loss: d.between(0.0, 0.5),
                    },
                    for_s,
                )
            }
            6 => (
                FaultKindSpec::LagSpike {
                    region: d.chance(0.7).then(|| d.region()),
                    apply_delay: Dist::uniform(0.0, d.between(100.0, 3000.0)),
                },
                for_s,
            ),
            7 => (
                FaultKindSpec::ClockSkew {
                    region: d.region(),
                    offset_ms: d.between(-2000.0, 2000.0),
                    drift_ppm: d.between(-5000.0, 5000.0),
                },
                for_s,
            ),
            8 => (
                FaultKindSpec::Toggle {
                    toggle: *d.pick(&[
                        Toggle::ForceLeaderRead,
                        Toggle::WriteReadonlyMode,
                        Toggle::DisableRecs,
                    ]),
                },
                for_s,
            ),
            9 => (FaultKindSpec::Failover { to: d.region() }, None),
            _ => (FaultKindSpec::Failback {}, None),
        };
        out.push(FaultSpec { at_s, for_s, kind });
    }
    out
}

fn two_regions(d: &mut Dice) -> (String, String) {
    let a = d.below(REGIONS.len());
    let b = (a + 1 + d.below(REGIONS.len() - 1)) % REGIONS.len();
    (String::from(REGIONS[a]), String::from(REGIONS[b]))
}

/// A cut between one region and the others (or one other), both ways or one way.
fn partition(d: &mut Dice) -> FaultKindSpec {
    let alone = d.below(REGIONS.len());
    let others: Vec<String> = (0..REGIONS.len())
        .filter(|&r| r != alone)
        .map(|r| String::from(REGIONS[r]))
        .collect();
    let b = if d.chance(0.3) {
        vec![others[d.below(others.len())].clone()]
    } else {
        others
    };
    FaultKindSpec::Partition {
        a: vec![String::from(REGIONS[alone])],
        b,
        one_way: d.chance(0.2),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_scenario_and_every_one_is_valid() {
        for seed in 0..300 {
            let s = generate(seed);
            assert_eq!(s, generate(seed));
            if let Err(e) = s.validate() {
                panic!("seed {seed}: {e}");
            }
            assert!(!s.faults.is_empty());
            for f in &s.faults {
                if let Some(len) = f.for_s {
                    assert!(f.at_s + len <= s.duration_s, "seed {seed}: {f:?}");
                }
            }
        }
    }

    #[test]
    fn a_quick_schedule_is_the_full_one_at_a_quarter_of_the_rate() {
        for seed in 0..100 {
            let (full, mut quick) = (generate(seed), generate_sized(seed, Size::Quick));
            assert_eq!(generate_sized(seed, Size::Full), full);
            let rate = quick.workload.requests_per_s;
            assert!((rate - full.workload.requests_per_s * QUICK_RATE).abs() < 1e-3);
            quick.workload.requests_per_s = full.workload.requests_per_s;
            quick.name = full.name.clone();
            assert_eq!(quick, full, "seed {seed}");
        }
        for size in [Size::Full, Size::Quick] {
            assert_eq!(Size::from_name(size.name()), Some(size));
        }
    }

    #[test]
    fn every_mode_and_fault_kind_comes_up() {
        let mut modes = Vec::new();
        let mut kinds = Vec::new();
        for seed in 0..300 {
            let s = generate(seed);
            modes.push(replication_mode(&s));
            for f in &s.faults {
                let json = serde_json::to_value(&f.kind).unwrap();
                kinds.push(String::from(json["kind"].as_str().unwrap()));
            }
        }
        for m in MODES {
            assert!(modes.contains(&m), "{m}");
        }
        for k in [
            "region_down",
            "zone_down",
            "node_down",
            "partition",
            "link_degradation",
            "lag_spike",
            "clock_skew",
            "toggle",
            "failover",
            "failback",
        ] {
            assert!(kinds.iter().any(|x| x == k), "{k}");
        }
    }
}
