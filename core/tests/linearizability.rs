//! Differential test of Meridian's staleness checker against an established linearizability
//! checker nobody here wrote: `stateright`'s `LinearizabilityTester` with its `Register`
//! sequential specification, fed the Jepsen EDN history Meridian exports
//! (`meridian_core::sim::key_history_edn`, read back by the small parser below).
//!
//! # Which histories are compared, and why the verdicts must agree
//!
//! Runs: three regions, a single leader with **asynchronous** replication (the leader applies
//! and commits a write at the same instant; followers apply it later, in commit order, so a
//! write is visible nowhere before it commits), hybrid clocks, no faults, reads served by the
//! client's local replica. Each key's history is one register history; it is compared when
//!
//! 1. every operation completed `:ok` (nothing failed or was left in doubt),
//! 2. no two writes overlap in real time (so every linearization orders the writes as they
//!    committed, which is also their stamp order),
//! 3. no read was invoked between a write's commit and its client's acknowledgement,
//! 4. it has at most [`MAX_OPS`] operations (the external search is exponential).
//!
//! Meridian calls a read stale when it missed a write committed before the read was invoked
//! (`behind > 0` on the read's completion). Under 1–3, for a read R returning write k's value:
//!
//! * stale ⇒ not linearizable: some later write j committed at or before R's invocation; by 3,
//!   its acknowledgement came at or before it too, so j precedes R in real time and R must see
//!   j or later.
//! * not linearizable ⇒ some read stale: with writes totally ordered, a register history is
//!   linearizable unless a read R returns k although a later write j completed before R began
//!   (then j committed before R began: R is stale), or a read R2 that began after another read
//!   R1 ended returns an older value than R1 (R1's value was visible, so committed, before R1
//!   ended, hence before R2 began: R2 is stale). A read cannot return a value from the future:
//!   values are visible only once committed, after their write was invoked.
//!
//! So on these histories the external verdict is exactly "no read is stale", and the test
//! asserts that for every one, in both directions. It also checks the promise made by **sync
//! replication with leader reads**: every key's history (of at most [`MAX_OPS`] operations,
//! any shape) is linearizable, and Meridian finds no stale read.
//!
//! # Sync replication with leader reads under faults
//!
//! The same promise is checked in runs with faults (partitions both ways and one way, the
//! leader's region down, a follower's region down, promotion, an operator failover during a
//! partition), now with every key's history of at most [`MAX_OPS`] operations, failed and
//! in-doubt operations included: a write the client gave up on is `:info` with the value it
//! was applied under if it was applied anywhere (it may be read there), and one never applied
//! is left out, as are failed reads.
//!
//! * **No stale read, ever.** A sync write commits once every follower holds it, and failover
//!   never rewinds a replica past a committed write (the new leader holds them all), so no
//!   read misses a committed write: Meridian's checker finds nothing, with or without split
//!   brain. The direction "stale ⇒ not linearizable" is therefore empty here.
//! * **Without split brain** (`reject_writes`, or `manual` with no operator action) one
//!   region leads throughout, writes and leader reads both go through its state, and its
//!   state only moves forward (a write is applied there once, idempotency keys answering the
//!   retries; a crash keeps it). Every history is linearizable, in-doubt writes included.
//! * **With split brain allowed** (promotion, or an operator failover) linearizability breaks,
//!   legitimately, and Meridian's checker does not see it: a deposed leader still serves
//!   leader reads of writes it applied but can never commit (sync needs the followers it is
//!   cut off from), and then takes them back when it rejoins, or the client's retry applies
//!   the write again at the new leader under another stamp. A read has returned a value that
//!   later vanished or that no write ended up writing. So the direction "not linearizable ⇒
//!   stale" fails; what holds instead, and is asserted, is "not linearizable ⇒ some read
//!   returned a write that never committed" (a dirty read, which the staleness checker, by
//!   design counting missed *committed* writes, does not measure).

use std::collections::{BTreeMap, BTreeSet};

use meridian_core::scenario::Scenario;
use meridian_core::sim::{HistoryEvent, Simulation, key_history_edn};
use stateright::semantics::register::{Register, RegisterOp, RegisterRet};
use stateright::semantics::{ConsistencyTester, LinearizabilityTester};

/// Largest per-key history handed to the external checker.
const MAX_OPS: usize = 16;

/// Three regions, leader A; `{acks}` and `{reads}` filled in per test.
const SCENARIO: &str = r#"
name = "linearizability"
duration_s = 40.0
[topology]
intra_region_rtt = { kind = "constant", ms = 1.0 }
[[topology.regions]]
id = "A"
[[topology.regions]]
id = "B"
[[topology.regions]]
id = "C"
[[topology.links]]
a = "A"
b = "B"
rtt = { kind = "uniform", min_ms = 60.0, max_ms = 120.0 }
[[topology.links]]
a = "A"
b = "C"
rtt = { kind = "uniform", min_ms = 100.0, max_ms = 180.0 }
[[topology.links]]
a = "B"
b = "C"
rtt = { kind = "uniform", min_ms = 80.0, max_ms = 140.0 }
[[clients]]
name = "near-A"
home = "A"
access_rtt = { kind = "uniform", min_ms = 2.0, max_ms = 20.0 }
[[clients]]
name = "near-B"
home = "B"
access_rtt = { kind = "uniform", min_ms = 2.0, max_ms = 20.0 }
[[clients]]
name = "near-C"
home = "C"
access_rtt = { kind = "uniform", min_ms = 2.0, max_ms = 20.0 }
[workload]
requests_per_s = 50.0
read_fraction = 0.7
keys = 150
[replication]
mode = "single_leader"
leader = "A"
acks = { kind = "ACKS" }
apply_delay = { kind = "uniform", min_ms = 0.0, max_ms = 400.0 }
[reads]
strategy = { kind = "READS" }
"#;

fn run(acks: &str, reads: &str, seed: u64) -> Vec<HistoryEvent> {
    let mut scenario =
        Scenario::from_toml(&SCENARIO.replace("ACKS", acks).replace("READS", reads)).unwrap();
    scenario.seed = seed;
    let mut sim = Simulation::new(scenario.validate().unwrap());
    sim.record_history();
    sim.run();
    sim.history().to_vec()
}

/// One line of an EDN history, as far as a register needs.
#[derive(Debug, Clone, Copy, PartialEq)]
struct EdnOp {
    ty: &'static str,
    write: bool,
    value: Option<u64>,
    process: u64,
}

/// Reads the flat maps `key_history_edn` writes (`{:type :ok, :f :read, :value 3, ...}`).
fn parse_edn(text: &str) -> Vec<EdnOp> {
    text.lines()
        .map(|line| {
            let body = line
                .trim()
                .strip_prefix('{')
                .and_then(|l| l.strip_suffix('}'))
                .unwrap_or_else(|| panic!("not an EDN map: {line}"));
            let mut fields = BTreeMap::new();
            for pair in body.split(", ") {
                let (k, v) = pair.split_once(' ').unwrap();
                fields.insert(k, v);
            }
            let ty = match fields[":type"] {
                ":invoke" => "invoke",
                ":ok" => "ok",
                ":fail" => "fail",
                ":info" => "info",
                other => panic!("unknown type {other}"),
            };
            EdnOp {
                ty,
                write: fields[":f"] == ":write",
                value: match fields[":value"] {
                    "nil" => None,
                    v => Some(v.parse().unwrap()),
                },
                process: fields[":process"].parse().unwrap(),
            }
        })
        .collect()
}

/// The external verdict: is this EDN register history linearizable (initial value 0)?
/// Operations that failed never happened and are left out, and so are writes in doubt that
/// were never applied anywhere (`nil` value); other operations in doubt stay in flight.
fn linearizable(edn: &[EdnOp]) -> bool {
    let failed: BTreeSet<u64> = edn
        .iter()
        .filter(|o| o.ty == "fail" || (o.ty == "invoke" && o.write && o.value.is_none()))
        .map(|o| o.process)
        .collect();
    let mut tester = LinearizabilityTester::new(Register(0u64));
    for o in edn.iter().filter(|o| !failed.contains(&o.process)) {
        match (o.ty, o.write) {
            ("invoke", true) => {
                let v = o.value.expect("a write that took effect has a value");
                tester.on_invoke(o.process, RegisterOp::Write(v)).unwrap();
            }
            ("invoke", false) => {
                tester.on_invoke(o.process, RegisterOp::Read).unwrap();
            }
            ("ok", true) => {
                tester.on_return(o.process, RegisterRet::WriteOk).unwrap();
            }
            ("ok", false) => {
                let v = o.value.expect("a read returns a value");
                tester.on_return(o.process, RegisterRet::ReadOk(v)).unwrap();
            }
            _ => {} // `:info`: in doubt, left in flight
        }
    }
    tester.is_consistent()
}

/// One client operation of a key, from the raw history.
#[derive(Debug, Clone, Copy)]
struct Operation {
    invoked: u64,
    committed: Option<u64>,
    completed: Option<u64>,
    write: bool,
    /// Committed writes the read missed, by Meridian's checker.
    behind: u32,
}

/// Per key, from the raw history: its operations, and whether any failed.
#[derive(Debug, Default)]
struct KeyOps {
    ops: BTreeMap<u64, Operation>,
    failed: bool,
}

fn by_key(history: &[HistoryEvent]) -> BTreeMap<u32, KeyOps> {
    let mut key_of = BTreeMap::new();
    let mut keys: BTreeMap<u32, KeyOps> = BTreeMap::new();
    for e in history {
        match *e {
            HistoryEvent::Invoke {
                at_us,
                op,
                write,
                key,
                ..
            } => {
                key_of.insert(op, key);
                let operation = Operation {
                    invoked: at_us,
                    committed: None,
                    completed: None,
                    write,
                    behind: 0,
                };
                keys.entry(key).or_default().ops.insert(op, operation);
            }
            HistoryEvent::Commit { at_us, op, key, .. } => {
                if let Some(o) = keys.get_mut(&key).and_then(|k| k.ops.get_mut(&op)) {
                    o.committed = Some(at_us);
                }
            }
            HistoryEvent::Ok {
                at_us, op, behind, ..
            } => {
                let k = keys.get_mut(&key_of[&op]).unwrap();
                let o = k.ops.get_mut(&op).unwrap();
                o.completed = Some(at_us);
                o.behind = behind;
            }
            HistoryEvent::Fail { op, .. } => keys.get_mut(&key_of[&op]).unwrap().failed = true,
            HistoryEvent::Accept { .. } | HistoryEvent::Apply { .. } => {}
        }
    }
    keys
}

/// Whether a key's history is in the compared class (conditions 1 to 4 of the module docs).
fn in_class(k: &KeyOps) -> bool {
    if k.failed || k.ops.len() > MAX_OPS || k.ops.values().any(|o| o.completed.is_none()) {
        return false;
    }
    let writes: Vec<(u64, u64, u64)> = k
        .ops
        .values()
        .filter(|o| o.write)
        .map(|o| (o.invoked, o.committed.unwrap(), o.completed.unwrap()))
        .collect();
    for (i, a) in writes.iter().enumerate() {
        for b in &writes[i + 1..] {
            if a.0 < b.2 && b.0 < a.2 {
                return false; // two writes overlap
            }
        }
    }
    let read_starts = k.ops.values().filter(|o| !o.write).map(|o| o.invoked);
    !read_starts
        .clone()
        .any(|t| writes.iter().any(|w| w.1 <= t && t < w.2))
}

#[test]
fn stale_reads_and_linearizability_violations_coincide_on_async_single_register_histories() {
    let (mut compared, mut rejected) = (0, 0);
    for seed in 1..=4 {
        let history = run("async", "local", seed);
        for (key, k) in by_key(&history) {
            if !in_class(&k) {
                continue;
            }
            let edn = key_history_edn(&history, key);
            let external = linearizable(&parse_edn(&edn));
            let stale = k.ops.values().any(|o| o.behind > 0);
            assert_eq!(
                external, !stale,
                "seed {seed} key {key}: stateright says linearizable = {external}, \
                 Meridian says stale = {stale}\n{edn}"
            );
            compared += 1;
            rejected += u32::from(!external);
        }
    }
    println!("{compared} histories compared, {rejected} not linearizable (all with a stale read)");
    assert!(compared >= 200, "{compared} histories in the class");
    assert!(rejected >= 20, "{rejected} non-linearizable histories");
}

#[test]
fn sync_replication_with_leader_reads_is_linearizable() {
    let mut compared = 0;
    for seed in 1..=2 {
        let history = run("sync", "leader", seed);
        for (key, k) in by_key(&history) {
            assert!(
                k.ops.values().all(|o| o.behind == 0),
                "a stale read of key {key}"
            );
            if k.ops.len() > MAX_OPS {
                continue;
            }
            let edn = key_history_edn(&history, key);
            assert!(
                linearizable(&parse_edn(&edn)),
                "seed {seed} key {key}:\n{edn}"
            );
            compared += 1;
        }
    }
    println!("{compared} histories, all linearizable");
    assert!(compared >= 200, "{compared}");
}

#[test]
fn the_external_checker_rejects_a_stale_read_and_accepts_a_fresh_one() {
    let h = |read_value: u64| {
        format!(
            "{{:type :invoke, :f :write, :value 7, :process 0, :time 0}}\n\
             {{:type :ok, :f :write, :value 7, :process 0, :time 10}}\n\
             {{:type :invoke, :f :read, :value nil, :process 1, :time 20}}\n\
             {{:type :ok, :f :read, :value {read_value}, :process 1, :time 30}}\n"
        )
    };
    assert!(linearizable(&parse_edn(&h(7))));
    assert!(!linearizable(&parse_edn(&h(0))));
}

/// Fault schedules for the runs with faults (leader A; the controller is B, the first region
/// that is not the leader): each starts at 8 s of a 24 s run and heals by 16 s.
const PARTITION: &str = r#"
[[faults]]
kind = "partition"
a = ["A"]
b = ["B", "C"]
at_s = 8.0
for_s = 8.0
"#;
const ONE_WAY: &str = r#"
[[faults]]
kind = "partition"
a = ["A"]
b = ["B", "C"]
one_way = true
at_s = 8.0
for_s = 8.0
"#;
const LEADER_DOWN: &str = r#"
[[faults]]
kind = "region_down"
region = "A"
at_s = 8.0
for_s = 8.0
"#;
const FOLLOWER_DOWN: &str = r#"
[[faults]]
kind = "region_down"
region = "C"
at_s = 8.0
for_s = 8.0
"#;
/// An operator failover to B while A is cut off, and a failback once it is back.
const FAILOVER_IN_PARTITION: &str = r#"
[[faults]]
kind = "partition"
a = ["A"]
b = ["B", "C"]
at_s = 6.0
for_s = 8.0
[[faults]]
kind = "failover"
to = "B"
at_s = 8.0
[[faults]]
kind = "failback"
at_s = 18.0
"#;

/// A 24 s run of [`SCENARIO`] with sync replication and leader reads under the failover
/// `policy` and `faults`; returns whether the scenario allows split brain, and the history.
fn run_with_faults(policy: &str, faults: &str, seed: u64) -> (bool, Vec<HistoryEvent>) {
    let doc = format!(
        "{}\n[failover]\npolicy = \"{policy}\"\nheartbeat_interval_ms = 500.0\n\
         heartbeat_timeout_ms = 1500.0\npromotion_delay_ms = 1000.0\n{faults}",
        SCENARIO
            .replace("ACKS", "sync")
            .replace("READS", "leader")
            .replace("duration_s = 40.0", "duration_s = 24.0")
    );
    let mut scenario = Scenario::from_toml(&doc).unwrap();
    scenario.seed = seed;
    let model = scenario.validate().unwrap();
    let split_brain = meridian_core::chaos::split_brain_allowed(&model);
    let mut sim = Simulation::new(model);
    sim.record_history();
    sim.run();
    (split_brain, sim.history().to_vec())
}

/// Whether a read of `key` returned a value no write of it ever committed (a write applied at
/// a leader and read there, but never committed).
fn read_of_an_uncommitted_write(history: &[HistoryEvent], key: u32) -> bool {
    let mut committed = BTreeSet::from([0u64]);
    let mut reads = BTreeSet::new();
    for e in history {
        match *e {
            HistoryEvent::Invoke {
                op,
                write: false,
                key: k,
                ..
            } if k == key => {
                reads.insert(op);
            }
            HistoryEvent::Commit { key: k, stamp, .. } if k == key => {
                committed.insert(stamp);
            }
            _ => {}
        }
    }
    history.iter().any(|e| {
        matches!(*e, HistoryEvent::Ok { op, stamp, .. }
            if reads.contains(&op) && !committed.contains(&stamp))
    })
}

/// Per run: (histories compared, rejected by stateright, with a stale read, rejected with a
/// read of an uncommitted write, writes in doubt).
fn compare_with_faults(policy: &str, faults: &str, seed: u64) -> (bool, [u32; 5]) {
    let (split_brain, history) = run_with_faults(policy, faults, seed);
    let mut counts = [0u32; 5];
    for (key, k) in by_key(&history) {
        if k.ops.len() > MAX_OPS {
            continue;
        }
        let edn = key_history_edn(&history, key);
        let parsed = parse_edn(&edn);
        let external = linearizable(&parsed);
        let stale = k.ops.values().any(|o| o.behind > 0);
        let uncommitted = read_of_an_uncommitted_write(&history, key);
        assert!(
            external || split_brain,
            "{policy} seed {seed} key {key}: not linearizable without split brain\n{edn}"
        );
        assert!(
            external || uncommitted,
            "{policy} seed {seed} key {key}: not linearizable, and no read of an uncommitted \
             write\n{edn}"
        );
        assert!(
            !stale,
            "{policy} seed {seed} key {key}: a stale read\n{edn}"
        );
        counts[0] += 1;
        counts[1] += u32::from(!external);
        counts[2] += u32::from(stale);
        counts[3] += u32::from(!external && uncommitted);
        counts[4] += parsed.iter().filter(|o| o.write && o.ty == "info").count() as u32;
    }
    (split_brain, counts)
}

#[test]
fn sync_replication_with_leader_reads_stays_linearizable_under_faults_without_split_brain() {
    let mut total = [0u32; 5];
    for (policy, faults) in [
        ("reject_writes", PARTITION),
        ("reject_writes", ONE_WAY),
        ("reject_writes", LEADER_DOWN),
        ("manual", FOLLOWER_DOWN),
    ] {
        let (split_brain, counts) = compare_with_faults(policy, faults, 1);
        assert!(!split_brain, "{policy}");
        println!("{policy}: {counts:?}");
        for (t, c) in total.iter_mut().zip(counts) {
            *t += c;
        }
    }
    println!(
        "{} histories with faults, none rejected, no stale read; {} writes in doubt",
        total[0], total[4]
    );
    assert_eq!(total[1], 0);
    assert!(total[0] >= 400, "{total:?}");
    assert!(total[4] >= 20, "the faults put writes in doubt: {total:?}");
}

#[test]
fn split_brain_breaks_linearizability_only_through_reads_of_writes_that_never_committed() {
    let mut total = [0u32; 5];
    for (policy, faults) in [
        ("promote", PARTITION),
        ("reject_writes", FAILOVER_IN_PARTITION),
    ] {
        let (split_brain, counts) = compare_with_faults(policy, faults, 1);
        assert!(split_brain, "{policy}");
        println!("{policy}: {counts:?}");
        for (t, c) in total.iter_mut().zip(counts) {
            *t += c;
        }
    }
    println!(
        "{} histories with split brain allowed: {} not linearizable, each with a read of a \
         write that never committed; no stale read",
        total[0], total[1]
    );
    assert!(total[0] >= 250, "{total:?}");
    assert!(total[1] > 0, "split brain broke no history: {total:?}");
}
