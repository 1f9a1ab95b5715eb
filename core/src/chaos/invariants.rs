//! What every run of a fault schedule must satisfy, judged from the finished simulation: its
//! report, its recorded history and its replicas, with the fault schedule read from the model
//! (not from the engine's own view of failures wherever the history allows it).
//!
//! | invariant | applies to | rule |
//! | --- | --- | --- |
//! | `escrow_overspend` | escrow wallets | accepted charges never exceed a wallet's balance |
//! | `double_charge` | idempotency keys on | no write is applied twice (engine counter); a retry commits again only where the first commit had not arrived (see [`RepeatedCommits`]), apart from writes a failover took back |
//! | `lost_acknowledged_write` | single leader, sync | no failover loses an acknowledged write (RPO 0), and every replica ends holding each key's newest acknowledged write or a newer one |
//! | `write_without_leader` | single leader | no write commits in a region while the schedule has it down; under `reject_writes` with no operator failover every write commits at the original leader |
//! | `split_brain` | single leader | two leaders at once only where the scenario allows it (automatic promotion, or an operator failover); elsewhere the reported split-brain window is 0 and every timeline interval has at most one leader |
//! | `divergence` | every mode but quorum | once every fault has healed and replication drained, every replica holds the same write of every key, unless the replication agent gave writes up (batches dropped after their last retry, or a full buffer) |
//!
//! Idempotency keys are kept per region in the engine's model (the record travels with the
//! write), so a retry that fails over to a region the first attempt has not reached yet applies
//! again: the sweep counts such runs ([`RepeatedCommits::cross_region`]) instead of failing them.
//!
//! Quorum replication has no anti-entropy in the engine (a replica down while a write is sent
//! never receives it), so convergence is not promised there; the sweep reports its divergent
//! runs instead of failing them.

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::sim::{
    FailoverPolicy, FaultKind, HistoryEvent, Model, ReplicationModel, Report, Simulation,
};

/// An invariant a run broke, with what was seen.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Violation {
    /// The invariant's name (see the module documentation).
    pub invariant: &'static str,
    /// What broke it, e.g. "op 812 committed 2 times".
    pub detail: String,
}

fn violation(invariant: &'static str, detail: String) -> Violation {
    Violation { invariant, detail }
}

/// Whether the scenario allows two leaders at once: automatic promotion, or an operator
/// failover or failback (either can promote a region while the old leader, cut off from the
/// controller, still takes writes).
pub fn split_brain_allowed(model: &Model) -> bool {
    model.failover.policy == FailoverPolicy::Promote
        || model.faults.iter().any(|f| f.kind.is_action())
}

/// Every invariant of the module documentation, checked on a finished run whose history was
/// recorded from the start. Returns the violations (empty when the run is sound).
pub fn check_run(sim: &Simulation, report: &Report) -> Vec<Violation> {
    check_run_with(sim, report, repeated_commits(sim.history()))
}

/// [`check_run`] with the run's [`repeated_commits`] already counted.
pub(crate) fn check_run_with(
    sim: &Simulation,
    report: &Report,
    repeats: RepeatedCommits,
) -> Vec<Violation> {
    let model = sim.model();
    let history = sim.history();
    let mut out = Vec::new();
    escrow(report, &mut out);
    double_charge(model, report, repeats, &mut out);
    if let ReplicationModel::SingleLeader {
        leader,
        acks_needed,
    } = model.replication
    {
        let followers = model.topology.region_count() as u32 - 1;
        if acks_needed == followers && followers > 0 {
            lost_acknowledged_write(sim, report, &mut out);
        }
        write_without_leader(model, leader, history, &mut out);
        split_brain(model, report, &mut out);
    }
    if !matches!(model.replication, ReplicationModel::Quorum { .. }) {
        convergence(sim, report, &mut out);
    }
    out
}

fn escrow(report: &Report, out: &mut Vec<Violation>) {
    for e in report.entities.iter().filter(|e| e.policy == "escrow") {
        if e.overspent_wallets > 0 {
            out.push(violation(
                "escrow_overspend",
                format!(
                    "{} escrow wallets of '{}' overspent by {} in all",
                    e.overspent_wallets, e.name, e.overspent_amount
                ),
            ));
        }
    }
}

fn double_charge(
    model: &Model,
    report: &Report,
    repeats: RepeatedCommits,
    out: &mut Vec<Violation>,
) {
    if !model.writes.idempotency_keys {
        return;
    }
    if report.counters.duplicate_applies > 0 {
        out.push(violation(
            "double_charge",
            format!(
                "{} writes applied twice with idempotency keys on",
                report.counters.duplicate_applies
            ),
        ));
    }
    let lost = report.failures.as_ref().map_or(0, |f| f.rpo.lost_writes);
    if repeats.same > lost {
        out.push(violation(
            "double_charge",
            format!(
                "{} repeated commits (e.g. op {}) but {lost} writes lost to failover",
                repeats.same, repeats.example
            ),
        ));
    }
}

/// Client operations that committed more than once, from the history.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RepeatedCommits {
    /// Repeated commits in a region that had already received the operation's earlier commit
    /// (or in the same region): the idempotency key should have answered them.
    pub same: u64,
    /// Repeated commits in another region that had not yet received the earlier commit when
    /// the retry was applied there. Idempotency keys are kept per region in the engine's model (the
    /// record travels with the write), so such a retry applies again: the engine does not
    /// promise otherwise, and the sweep reports them instead of failing.
    pub cross_region: u64,
    /// An operation of the first kind, for the message.
    pub example: u64,
}

/// Counts the repeated commits of `history` (see [`RepeatedCommits`]).
pub fn repeated_commits(history: &[HistoryEvent]) -> RepeatedCommits {
    // Every commit as (op, position in the history, stamp, region): sorted, each operation's
    // commits are together and in history order. Nearly every operation commits once, so the
    // applications are looked up only for the few that did not.
    let mut commits: Vec<(u64, usize, u64, u16)> = history
        .iter()
        .enumerate()
        .filter_map(|(i, e)| match *e {
            HistoryEvent::Commit {
                op, stamp, region, ..
            } => Some((op, i, stamp, region)),
            _ => None,
        })
        .collect();
    commits.sort_unstable();
    // (op, commit time, first stamp, first region, second stamp, second region) per repeat.
    let mut pairs = Vec::new();
    for w in commits.windows(2) {
        let ((op, _, first, from), (next, i, second, to)) = (w[0], w[1]);
        if op == next {
            let HistoryEvent::Commit { at_us, .. } = history[i] else {
                continue;
            };
            pairs.push((op, at_us, first, from, second, to));
        }
    }
    let mut out = RepeatedCommits::default();
    if pairs.is_empty() {
        return out;
    }
    // When each (replica, stamp) of interest was first applied.
    let mut applied: BTreeMap<(u16, u64), Option<u64>> = BTreeMap::new();
    for &(_, _, first, _, second, to) in &pairs {
        applied.insert((to, first), None);
        applied.insert((to, second), None);
    }
    for e in history {
        if let HistoryEvent::Apply {
            at_us,
            replica,
            stamp,
            ..
        } = *e
            && let Some(slot @ None) = applied.get_mut(&(replica, stamp))
        {
            *slot = Some(at_us);
        }
    }
    let first_applied =
        |replica: u16, stamp: u64| applied.get(&(replica, stamp)).copied().flatten();
    for (op, committed, first, from, second, to) in pairs {
        // When the retry was applied there (it may commit later, after acknowledgements).
        let at = first_applied(to, second).unwrap_or(committed);
        let received = first_applied(to, first).is_some_and(|t| t <= at);
        if to != from && !received {
            out.cross_region += 1;
        } else {
            out.same += 1;
            out.example = op;
        }
    }
    out
}

fn lost_acknowledged_write(sim: &Simulation, report: &Report, out: &mut Vec<Violation>) {
    if let Some(f) = &report.failures
        && f.rpo.lost_writes > 0
    {
        out.push(violation(
            "lost_acknowledged_write",
            format!(
                "{} acknowledged writes lost under sync replication",
                f.rpo.lost_writes
            ),
        ));
    }
    // Independently, from the history: each key's newest acknowledged write, a write whose
    // client got its answer after it committed (a charge refused by the wallet's check answers
    // with the value it found, which it did not write).
    let mut committed: BTreeMap<(u64, u64), u32> = BTreeMap::new();
    let mut newest: BTreeMap<u32, u64> = BTreeMap::new();
    for e in sim.history() {
        match *e {
            HistoryEvent::Commit { op, key, stamp, .. } => {
                committed.insert((op, stamp), key);
            }
            HistoryEvent::Ok { op, stamp, .. } => {
                if let Some(&key) = committed.get(&(op, stamp)) {
                    let n = newest.entry(key).or_default();
                    *n = (*n).max(stamp);
                }
            }
            _ => {}
        }
    }
    for (&key, &stamp) in &newest {
        for replica in 0..sim.model().replica_count() {
            let held = sim.held_stamp(replica, key);
            if held < stamp {
                out.push(violation(
                    "lost_acknowledged_write",
                    format!(
                        "key {key}: replica {replica} ends at stamp {held}, older than the acknowledged write {stamp}"
                    ),
                ));
                return;
            }
        }
    }
}

/// Whether the schedule has `region` down at `at_us`: a region crash, or every one of its
/// nodes down (each through its own fault windows).
fn down_per_schedule(model: &Model, region: usize, at_us: u64) -> bool {
    let active = |f: &crate::sim::Fault| {
        f.start.as_micros() <= at_us && f.end.is_none_or(|e| at_us < e.as_micros())
    };
    let mut nodes_down = BTreeSet::new();
    for f in model.faults.iter().filter(|f| active(f)) {
        match &f.kind {
            FaultKind::RegionDown { region: r } if *r == region => return true,
            FaultKind::NodesDown { nodes, .. } => nodes_down.extend(nodes.iter().copied()),
            _ => {}
        }
    }
    let nodes = model.topology.nodes();
    nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| n.region == region)
        .all(|(i, _)| nodes_down.contains(&i))
}

fn write_without_leader(
    model: &Model,
    leader: usize,
    history: &[HistoryEvent],
    out: &mut Vec<Violation>,
) {
    let fixed_leader = model.failover.policy == FailoverPolicy::RejectWrites
        && !model.faults.iter().any(|f| f.kind.is_action());
    for e in history {
        let HistoryEvent::Commit {
            at_us, op, region, ..
        } = *e
        else {
            continue;
        };
        let region = usize::from(region);
        if down_per_schedule(model, region, at_us) {
            out.push(violation(
                "write_without_leader",
                format!(
                    "op {op} committed at {} at {at_us} µs while the schedule has it down",
                    model.topology.regions()[region].id
                ),
            ));
            return;
        }
        if fixed_leader && region != leader {
            out.push(violation(
                "write_without_leader",
                format!(
                    "op {op} committed at {} under reject_writes (the leader is {})",
                    model.topology.regions()[region].id,
                    model.topology.regions()[leader].id
                ),
            ));
            return;
        }
    }
}

fn split_brain(model: &Model, report: &Report, out: &mut Vec<Violation>) {
    if split_brain_allowed(model) {
        return;
    }
    let Some(f) = &report.failures else {
        return;
    };
    if f.split_brain_ms > 0.0 {
        out.push(violation(
            "split_brain",
            format!(
                "{} ms of split brain where the scenario allows none",
                f.split_brain_ms
            ),
        ));
    }
    if let Some(iv) = f.timeline.iter().find(|iv| iv.leaders.len() > 1) {
        out.push(violation(
            "split_brain",
            format!("leaders {:?} at {} s", iv.leaders, iv.start_s),
        ));
    }
}

fn convergence(sim: &Simulation, report: &Report, out: &mut Vec<Violation>) {
    let c = &report.counters;
    let gave_up = c.batch_drops + c.buffer_drops + c.writes_lost_in_transit;
    let healed = sim
        .model()
        .faults
        .iter()
        .all(|f| f.end.is_some() || f.kind.is_action());
    if gave_up > 0 || !healed || !sim.is_finished() {
        return;
    }
    let divergent = sim.divergent_keys();
    if divergent > 0 {
        out.push(violation(
            "divergence",
            format!("{divergent} keys differ between replicas after the run drained"),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chaos::generate;
    use crate::scenario::{FaultKindSpec, FaultSpec};

    fn zone_down(zone: &str, at_s: f64, for_s: f64) -> FaultSpec {
        FaultSpec {
            at_s,
            for_s: Some(for_s),
            kind: FaultKindSpec::ZoneDown { zone: zone.into() },
        }
    }

    #[test]
    fn a_region_is_down_per_schedule_only_while_all_its_zones_are() {
        let mut s = generate(1);
        s.faults = alloc::vec![zone_down("a1", 1.0, 3.0), zone_down("a2", 2.0, 3.0)];
        let model = s.validate().unwrap();
        let a = model.topology.region_index("A").unwrap();
        let down = |ms: u64| down_per_schedule(&model, a, ms * 1000);
        assert!(!down(1500) && down(2000) && down(3999) && !down(4000));
        let b = model.topology.region_index("B").unwrap();
        assert!(!down_per_schedule(&model, b, 2_500_000));
    }

    #[test]
    fn split_brain_is_allowed_with_promotion_or_an_operator_failover() {
        let mut s = generate(2);
        s.replication = crate::scenario::ReplicationSpec::SingleLeader {
            leader: "A".into(),
            acks: crate::scenario::FollowerAcks::Async {},
            apply_delay: crate::dist::Dist::constant(0.0),
            agent: crate::scenario::AgentConfig::default(),
        };
        s.failover = Some(crate::scenario::FailoverSpec::default());
        s.faults = alloc::vec![zone_down("a1", 1.0, 1.0)];
        assert!(!split_brain_allowed(&s.validate().unwrap()));
        s.faults.push(FaultSpec {
            at_s: 2.0,
            for_s: None,
            kind: FaultKindSpec::Failover { to: "B".into() },
        });
        assert!(split_brain_allowed(&s.validate().unwrap()));
        s.faults.pop();
        if let Some(f) = s.failover.as_mut() {
            f.policy = FailoverPolicy::Promote;
        }
        assert!(split_brain_allowed(&s.validate().unwrap()));
    }
}
