//! What every run of a fault schedule must satisfy, judged from the finished simulation: its
//! report, its recorded history and its replicas, with the fault schedule read from the model
//! (not from the engine's own view of failures wherever the history allows it).
//!
//! | invariant | applies to | rule |
//! | --- | --- | --- |
//! | `escrow_overspend` | escrow wallets | accepted charges never exceed a wallet's balance |
//! | `double_charge` | idempotency keys on | no write is applied twice (engine counter); a retry commits again only where the first commit had not arrived (see [`RepeatedCommits`]), apart from writes a failover took back |
//! | `lost_acknowledged_write` | single leader, sync | no failover loses an acknowledged write (RPO 0), and every replica ends holding each key's newest acknowledged write or a newer one |
//! | `write_without_leader` | single leader, multi-leader, partitioned | no write commits in a region while the schedule has it down; under `reject_writes` with no operator failover every write commits at the original leader; an acknowledged write committed in a region its client could reach both ways: at some instant between the invocation and that region's application of the write, the region was up and the path from the client's home to it not cut, and at some instant between the commit and the acknowledgement, the answering region was up and the path back not cut (the committing region answers; where leadership can move, also a region already holding the write that the client reached, answering a retry) |
//! | `split_brain` | single leader | two leaders at once only where the scenario allows it (automatic promotion, or an operator failover); elsewhere the reported split-brain window is 0 and every timeline interval has at most one leader |
//! | `divergence` | every mode but quorum | once every fault has healed and replication drained, every replica holds the same write of every key, unless the replication agent gave writes up (batches dropped after their last retry, or a full buffer) |
//!
//! Reachability is read from the schedule in the model (crashes, whole regions
//! whose nodes are all down, partitions with their direction), never from the engine's
//! detector or routers; clients sit on their home region's side of a partition but stay up
//! when it crashes, as in the engine. A window opening or closing at the very instant a leg
//! starts counts either way (events at one instant run in the order they were scheduled).
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
        write_without_leader(model, Some(leader), history, &mut out);
        split_brain(model, report, &mut out);
    }
    if matches!(
        model.replication,
        ReplicationModel::MultiLeader | ReplicationModel::Partitioned { .. }
    ) {
        write_without_leader(model, None, history, &mut out);
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

/// The fault schedule's crashes and partitions as the model states them (not as the engine
/// saw them): piecewise constant between the instants a window opens or closes.
#[derive(Debug, Clone)]
pub(crate) struct Schedule {
    regions: usize,
    /// Where each piece starts, µs, ascending; the first starts at 0.
    starts: Vec<u64>,
    /// Per piece, per region: down (crashed, or every one of its nodes down).
    down: Vec<bool>,
    /// Per piece, `regions × regions`, directed: messages from row to column are cut.
    cut: Vec<bool>,
}

impl Schedule {
    /// The crashes and partitions of `model`'s fault schedule.
    pub(crate) fn of(model: &Model) -> Self {
        let regions = model.topology.region_count();
        let shapes = |k: &FaultKind| {
            matches!(
                k,
                FaultKind::RegionDown { .. }
                    | FaultKind::NodesDown { .. }
                    | FaultKind::Partition { .. }
            )
        };
        let mut starts = alloc::vec![0u64];
        for f in model.faults.iter().filter(|f| shapes(&f.kind)) {
            starts.push(f.start.as_micros());
            starts.extend(f.end.map(|e| e.as_micros()));
        }
        starts.sort_unstable();
        starts.dedup();
        let nodes = model.topology.nodes();
        let mut down = Vec::with_capacity(starts.len() * regions);
        let mut cut = Vec::with_capacity(starts.len() * regions * regions);
        for &at in &starts {
            let active = |f: &&crate::sim::Fault| {
                f.start.as_micros() <= at && f.end.is_none_or(|e| at < e.as_micros())
            };
            let mut piece_down = alloc::vec![false; regions];
            let mut piece_cut = alloc::vec![false; regions * regions];
            let mut nodes_down = BTreeSet::new();
            for f in model.faults.iter().filter(active) {
                match &f.kind {
                    FaultKind::RegionDown { region } => piece_down[*region] = true,
                    FaultKind::NodesDown { nodes, .. } => nodes_down.extend(nodes.iter().copied()),
                    FaultKind::Partition { a, b, one_way } => {
                        for &x in a {
                            for &y in b {
                                piece_cut[x * regions + y] = true;
                                if !one_way {
                                    piece_cut[y * regions + x] = true;
                                }
                            }
                        }
                    }
                    _ => {}
                }
            }
            for (r, d) in piece_down.iter_mut().enumerate() {
                let mut own = nodes.iter().enumerate().filter(|(_, n)| n.region == r);
                *d |= own.all(|(i, _)| nodes_down.contains(&i));
            }
            down.extend(piece_down);
            cut.extend(piece_cut);
        }
        Schedule {
            regions,
            starts,
            down,
            cut,
        }
    }

    /// The piece `at_us` falls in.
    fn piece(&self, at_us: u64) -> usize {
        self.starts.partition_point(|&s| s <= at_us) - 1
    }

    /// Whether the schedule has `region` down at `at_us`.
    pub(crate) fn is_down(&self, region: usize, at_us: u64) -> bool {
        self.down[self.piece(at_us) * self.regions + region]
    }

    /// Whether, during `piece`, a message from region `from` to region `to` gets through: `to`
    /// (the region answering or receiving) is up, and the path is not cut in that direction.
    /// Clients sit on their home region's side of a partition but are not in it: they reach
    /// other regions while their home is down.
    fn delivers(&self, piece: usize, from: usize, to: usize, region: usize) -> bool {
        let r = self.regions;
        !self.down[piece * r + region] && (from == to || !self.cut[piece * r * r + from * r + to])
    }

    /// Whether at some instant of `[from_us, to_us]` a message from `from` to `to` got through
    /// with `region` (one of the two) up. Windows that open or close exactly at `from_us` count
    /// either way: events at one instant run in the order they were scheduled.
    pub(crate) fn delivers_during(
        &self,
        from: usize,
        to: usize,
        region: usize,
        from_us: u64,
        to_us: u64,
    ) -> bool {
        let mut first = self.piece(from_us);
        if first > 0 && self.starts[first] == from_us {
            first -= 1;
        }
        let last = self.piece(to_us.max(from_us));
        (first..=last).any(|p| self.delivers(p, from, to, region))
    }
}

/// An acknowledged write, from the history: the operation, its client population, when it was
/// invoked, committed and acknowledged, where it committed, and where and when each region
/// first applied it.
#[derive(Debug, Clone)]
struct Acknowledged {
    op: u64,
    pop: u16,
    key: u32,
    invoked: u64,
    stamp: u64,
    committed: u64,
    region: u16,
    ok: u64,
    /// (replica, first application), in history order.
    applied: Vec<(u16, u64)>,
}

impl Acknowledged {
    fn applied_at(&self, replica: u16) -> Option<u64> {
        self.applied
            .iter()
            .find(|&&(r, _)| r == replica)
            .map(|&(_, t)| t)
    }
}

/// The writes of `history` that completed `:ok` with a value they committed (not refused
/// charges, which write nothing), each with the commit its client was told about.
fn acknowledged_writes(history: &[HistoryEvent]) -> Vec<Acknowledged> {
    let mut invoked: BTreeMap<u64, (u64, u16, u32)> = BTreeMap::new();
    let mut commits: BTreeMap<(u64, u64), (u64, u16)> = BTreeMap::new();
    let mut out = Vec::new();
    for e in history {
        match *e {
            HistoryEvent::Invoke {
                at_us,
                op,
                write: true,
                key,
                pop,
            } => {
                invoked.insert(op, (at_us, pop, key));
            }
            HistoryEvent::Commit {
                at_us,
                op,
                stamp,
                region,
                ..
            } => {
                commits.insert((op, stamp), (at_us, region));
            }
            HistoryEvent::Ok {
                at_us, op, stamp, ..
            } => {
                if let (Some(&(invoked, pop, key)), Some(&(committed, region))) =
                    (invoked.get(&op), commits.get(&(op, stamp)))
                {
                    out.push(Acknowledged {
                        op,
                        pop,
                        key,
                        invoked,
                        stamp,
                        committed,
                        region,
                        ok: at_us,
                        applied: Vec::new(),
                    });
                }
            }
            _ => {}
        }
    }
    // (Two writes can share a stamp under physical-clock last-write-wins.)
    let mut index: BTreeMap<(u64, u32), Vec<usize>> = BTreeMap::new();
    for (i, a) in out.iter().enumerate() {
        index.entry((a.stamp, a.key)).or_default().push(i);
    }
    for e in history {
        if let HistoryEvent::Apply {
            at_us,
            replica,
            key,
            stamp,
        } = *e
            && let Some(list) = index.get(&(stamp, key))
        {
            for &i in list {
                if out[i].applied_at(replica).is_none() {
                    out[i].applied.push((replica, at_us));
                }
            }
        }
    }
    out
}

/// `write_without_leader` (leader-based modes: single leader, multi-leader, partitioned;
/// `leader` is the single leader, if any). From the schedule in the model:
///
/// * no write commits in a region while the schedule has it down;
/// * under `reject_writes` with no operator failover, every write commits at the leader;
/// * a write acknowledged to its client committed in a region the client's request could
///   reach: at some instant between the invocation and that region's application of the
///   write, the region was up and the path from the client's home to it not cut;
/// * and the answer could reach the client: at some instant between the commit and the
///   acknowledgement, the region that answered was up and the path from it back to the
///   client's home not cut (a one-way partition cuts one of the two). The committing region
///   answers; where leadership can move, a retry may instead be answered by another region
///   that already held the write (the idempotency key travels with it), if the client could
///   reach that one too.
fn write_without_leader(
    model: &Model,
    leader: Option<usize>,
    history: &[HistoryEvent],
    out: &mut Vec<Violation>,
) {
    let schedule = Schedule::of(model);
    let name = |r: usize| &model.topology.regions()[r].id;
    let fixed_leader = leader.filter(|_| {
        model.failover.policy == FailoverPolicy::RejectWrites
            && !model.faults.iter().any(|f| f.kind.is_action())
    });
    for e in history {
        let HistoryEvent::Commit {
            at_us, op, region, ..
        } = *e
        else {
            continue;
        };
        let region = usize::from(region);
        if schedule.is_down(region, at_us) {
            out.push(violation(
                "write_without_leader",
                format!(
                    "op {op} committed at {} at {at_us} µs while the schedule has it down",
                    name(region)
                ),
            ));
            return;
        }
        if let Some(leader) = fixed_leader
            && region != leader
        {
            out.push(violation(
                "write_without_leader",
                format!(
                    "op {op} committed at {} under reject_writes (the leader is {})",
                    name(region),
                    name(leader)
                ),
            ));
            return;
        }
    }
    for a in acknowledged_writes(history) {
        let (region, home) = (
            usize::from(a.region),
            model.clients[usize::from(a.pop)].home,
        );
        let applied = a.applied_at(a.region).unwrap_or(a.committed);
        let answered = |r: usize, from_us: u64| {
            from_us <= a.ok && schedule.delivers_during(r, home, r, from_us, a.ok)
        };
        let detail = if !schedule.delivers_during(home, region, region, a.invoked, applied) {
            format!(
                "no request from {} could reach {} between its invocation at {} µs and its \
                 application there at {applied} µs",
                name(home),
                name(region),
                a.invoked
            )
        } else if !answered(region, a.committed)
            && (fixed_leader.is_some()
                || !a.applied.iter().any(|&(r, t)| {
                    let r = usize::from(r);
                    r != region
                        && schedule.delivers_during(home, r, r, a.invoked, a.ok)
                        && answered(r, t.max(a.committed))
                }))
        {
            format!(
                "no answer from {} (nor from a region holding the write) could reach {} between \
                 the commit at {} µs and the acknowledgement at {} µs",
                name(region),
                name(home),
                a.committed,
                a.ok
            )
        } else {
            continue;
        };
        out.push(violation(
            "write_without_leader",
            format!(
                "op {} of {} acknowledged, committed at {}, but per the schedule {detail}",
                a.op,
                model.clients[usize::from(a.pop)].name,
                name(region)
            ),
        ));
        return;
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
        let schedule = Schedule::of(&model);
        let down = |ms: u64| schedule.is_down(a, ms * 1000);
        assert!(!down(1500) && down(2000) && down(3999) && !down(4000));
        let b = model.topology.region_index("B").unwrap();
        assert!(!schedule.is_down(b, 2_500_000));
    }

    #[test]
    fn split_brain_is_allowed_with_promotion_or_an_operator_failover() {
        let (reject, promote) = (FailoverPolicy::RejectWrites, FailoverPolicy::Promote);
        let crash = || alloc::vec![zone_down("a1", 1.0, 1.0)];
        assert!(!split_brain_allowed(&single_leader(reject, crash())));
        let mut with_failover = crash();
        with_failover.push(FaultSpec {
            at_s: 2.0,
            for_s: None,
            kind: FaultKindSpec::Failover { to: "B".into() },
        });
        assert!(split_brain_allowed(&single_leader(reject, with_failover)));
        assert!(split_brain_allowed(&single_leader(promote, crash())));
    }

    /// A single-leader scenario (leader A, async) under `policy` with `faults`.
    fn single_leader(policy: FailoverPolicy, faults: Vec<FaultSpec>) -> Model {
        let mut s = generate(2);
        s.replication = crate::scenario::ReplicationSpec::SingleLeader {
            leader: "A".into(),
            acks: crate::scenario::FollowerAcks::Async {},
            apply_delay: crate::dist::Dist::constant(0.0),
            agent: crate::scenario::AgentConfig::default(),
        };
        s.failover = Some(crate::scenario::FailoverSpec {
            policy,
            ..crate::scenario::FailoverSpec::default()
        });
        s.faults = faults;
        s.validate().unwrap()
    }

    fn one_way(from: &str, to: &str, at_s: f64, for_s: f64) -> FaultSpec {
        FaultSpec {
            at_s,
            for_s: Some(for_s),
            kind: FaultKindSpec::Partition {
                a: alloc::vec![from.into()],
                b: alloc::vec![to.into()],
                one_way: true,
            },
        }
    }

    /// A write of population `pop` (0 = clients-A, 1 = clients-B) invoked at `invoked_ms`,
    /// applied and committed at region `region` at `committed_ms`, acknowledged at `ok_ms`.
    fn acknowledged_write(
        pop: u16,
        region: u16,
        invoked_ms: u64,
        committed_ms: u64,
        ok_ms: u64,
    ) -> Vec<HistoryEvent> {
        let stamp = 99;
        alloc::vec![
            HistoryEvent::Invoke {
                at_us: invoked_ms * 1000,
                op: 0,
                write: true,
                key: 1,
                pop,
            },
            HistoryEvent::Apply {
                at_us: committed_ms * 1000,
                replica: region,
                key: 1,
                stamp,
            },
            HistoryEvent::Commit {
                at_us: committed_ms * 1000,
                op: 0,
                key: 1,
                stamp,
                region,
            },
            HistoryEvent::Ok {
                at_us: ok_ms * 1000,
                op: 0,
                stamp,
                behind: 0,
            },
        ]
    }

    fn leaderless_writes(model: &Model, history: &[HistoryEvent]) -> Vec<Violation> {
        let mut out = Vec::new();
        write_without_leader(model, Some(0), history, &mut out);
        out
    }

    #[test]
    fn an_acknowledgement_through_a_one_way_cut_from_the_leader_is_a_violation() {
        // A -> B cut from 1 s to 3 s: B's clients reach A, but A's answers do not reach them.
        let model = single_leader(
            FailoverPolicy::RejectWrites,
            alloc::vec![one_way("A", "B", 1.0, 2.0)],
        );
        let cut = leaderless_writes(&model, &acknowledged_write(1, 0, 1500, 1550, 1600));
        assert_eq!(cut.len(), 1, "{cut:?}");
        assert!(cut[0].detail.contains("no answer from A"), "{cut:?}");
        // Acknowledged once the cut healed (a retry answered by the leader): fine.
        assert!(leaderless_writes(&model, &acknowledged_write(1, 0, 1500, 1550, 3100)).is_empty());
        // A's own clients are not cut off from it, and the other direction is open.
        assert!(leaderless_writes(&model, &acknowledged_write(0, 0, 1500, 1550, 1600)).is_empty());
        let reverse = single_leader(
            FailoverPolicy::RejectWrites,
            alloc::vec![one_way("B", "A", 1.0, 2.0)],
        );
        let cut = leaderless_writes(&reverse, &acknowledged_write(1, 0, 1500, 1550, 1600));
        assert!(cut[0].detail.contains("no request from B"), "{cut:?}");
        // A request sent just before the cut got through.
        assert!(leaderless_writes(&reverse, &acknowledged_write(1, 0, 900, 1550, 1600)).is_empty());
    }

    #[test]
    fn an_acknowledgement_while_the_leader_is_down_is_a_violation() {
        let down = FaultSpec {
            at_s: 1.0,
            for_s: Some(2.0),
            kind: FaultKindSpec::RegionDown { region: "A".into() },
        };
        let model = single_leader(FailoverPolicy::RejectWrites, alloc::vec![down]);
        let h = acknowledged_write(1, 0, 900, 1200, 1300);
        assert!(
            leaderless_writes(&model, &h)[0]
                .detail
                .contains("has it down")
        );
        // Invoked during the crash, committed and answered after it (a retry): fine.
        assert!(leaderless_writes(&model, &acknowledged_write(1, 0, 1500, 3100, 3200)).is_empty());
    }

    #[test]
    fn a_retry_answered_by_a_region_holding_the_write_counts_only_where_leadership_moves() {
        let cut = || alloc::vec![one_way("A", "B", 1.0, 2.0)];
        let mut h = acknowledged_write(1, 0, 1500, 1550, 1900);
        // B received the write at 1.7 s (the A -> B cut drops client answers, and here lets the
        // replication through for the test's sake) and answered B's retry.
        h.insert(
            3,
            HistoryEvent::Apply {
                at_us: 1_700_000,
                replica: 1,
                key: 1,
                stamp: 99,
            },
        );
        let promote = single_leader(FailoverPolicy::Promote, cut());
        assert!(leaderless_writes(&promote, &h).is_empty());
        // Under reject_writes only the leader answers.
        let fixed = single_leader(FailoverPolicy::RejectWrites, cut());
        assert_eq!(leaderless_writes(&fixed, &h).len(), 1);
    }
}
