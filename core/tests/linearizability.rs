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
/// Operations that failed never happened and are left out; operations in doubt stay in flight.
fn linearizable(edn: &[EdnOp]) -> bool {
    let failed: BTreeSet<u64> = edn
        .iter()
        .filter(|o| o.ty == "fail")
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
            HistoryEvent::Apply { .. } => {}
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
