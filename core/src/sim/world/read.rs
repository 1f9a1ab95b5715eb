//! Reads: where each read strategy sends a read, when a local replica may serve it, falling
//! back or waiting when it may not, and recording what the read returned.

use alloc::vec::Vec;

use super::failure::Leg;
use super::{Ev, Simulation};
use crate::sim::history::HistoryEvent;
use crate::sim::keys::{Held, Lag};
use crate::sim::model::{Model, ReplicationModel};
use crate::sim::ops::{Op, OpId, ReadStage};
use crate::sim::strategy::{OnViolation, ReadStrategy};
use crate::time::{SimDuration, SimTime};

impl Simulation {
    pub(super) fn local_replica(&self, home: usize) -> usize {
        self.local_replica[home]
    }

    /// The read strategy for `key`: its entity type's, or the scenario's.
    #[inline]
    fn read_strategy(&self, key: u32) -> ReadStrategy {
        self.entities.reads_of(key).unwrap_or(self.model.reads)
    }

    pub(super) fn start_read(&mut self, id: OpId) {
        if self.failures.is_some() {
            let at = self.now() + self.model.read_deadline;
            self.queue.schedule(at, Ev::ReadTimeout { op: id });
        }
        self.send_read(id);
    }

    /// Sends a read where its strategy and the router say (again, after a "region
    /// unavailable" answer's retry-after).
    pub(super) fn send_read(&mut self, id: OpId) {
        let Some(op) = self.op(id) else { return };
        let (pop, key, op_session) = (op.pop as usize, op.key, op.session);
        let home = self.model.clients[pop].home;
        let quorum_r = match &self.model.replication {
            ReplicationModel::Quorum { r, .. } => Some(*r as usize),
            _ => None,
        };
        let (replica, stage) = match (self.read_strategy(key), quorum_r) {
            (ReadStrategy::Quorum {}, Some(r)) | (ReadStrategy::Leader {}, Some(r)) => {
                return self.start_quorum_read(id, r);
            }
            (ReadStrategy::Quorum {}, None) => {
                return self.start_quorum_read(id, self.quorum_r());
            }
            (ReadStrategy::Leader {}, None) => (self.read_leader(pop, key), ReadStage::Final),
            _ if self.failures.is_some() && quorum_r.is_none() && self.force_leader_read() => {
                (self.read_leader(pop, key), ReadStage::Final)
            }
            (strategy, _) => {
                let local = self.local_replica(home);
                let session = op_session;
                let replica = match self.route_local_read(pop, session, local) {
                    Ok(replica) => replica,
                    Err(retry_after) => {
                        // Nothing healthy is reachable: the router answers at once, and the
                        // client tries again after the retry-after (until its deadline).
                        let at = self.now() + retry_after;
                        self.queue.schedule(at, Ev::ReadRetry { op: id });
                        return;
                    }
                };
                let stage = if matches!(strategy, ReadStrategy::Local {}) {
                    ReadStage::Final
                } else {
                    ReadStage::Local
                };
                (replica, stage)
            }
        };
        if let Some(op) = self.op(id) {
            op.stage = stage;
        }
        let region = self.replica_region(replica);
        let travel = self.client_to_region(pop, region);
        let now = self.now();
        if self.failures.is_some() && !self.client_message_arrives(pop, region, Leg::Request) {
            return;
        }
        self.queue.schedule(
            now + travel,
            Ev::ReadAt {
                op: id,
                replica: replica as u16,
            },
        );
    }

    /// A read's deadline passed without an answer: it fails.
    #[cold]
    #[inline(never)]
    pub(super) fn on_read_timeout(&mut self, id: OpId) {
        if self.op(id).is_none() {
            return; // answered in time
        }
        if let Some(f) = self.failures.as_mut() {
            f.counters.reads_failed += 1;
            f.timeline.open.reads_failed += 1;
        }
        if let Some(seq) = self.op(id).map(|o| o.seq) {
            let now = self.now().as_micros();
            self.remember(|| HistoryEvent::Fail {
                at_us: now,
                op: seq,
            });
        }
        self.free_op(id);
    }

    /// Whether the strategy accepts serving this read at `replica` now.
    pub(super) fn local_read_acceptable(&self, op: &Op, replica: usize) -> bool {
        let lag_ms = || self.replica_lag_us(replica) as f64 / 1000.0;
        match self.read_strategy(op.key) {
            ReadStrategy::LocalThenLeaderIfStale { threshold_ms } => lag_ms() <= threshold_ms,
            ReadStrategy::BoundedStaleness { max_lag_ms, .. } => lag_ms() <= max_lag_ms,
            ReadStrategy::Session { guarantee, .. } => {
                let held = self.keys.held(replica, op.key).stamp;
                self.sessions.satisfies(op.session, op.key, held, guarantee)
            }
            _ => true,
        }
    }

    pub(super) fn on_read_at(&mut self, id: OpId, replica: usize) {
        let Some(op) = self.op(id).copied() else {
            return;
        };
        if !self.is_up(self.replica_region(replica)) {
            return; // crashed: no answer; the read times out
        }
        if op.stage == ReadStage::Local && !self.local_read_acceptable(&op, replica) {
            let on_violation = match self.read_strategy(op.key) {
                ReadStrategy::BoundedStaleness { on_violation, .. }
                | ReadStrategy::Session { on_violation, .. } => on_violation,
                _ => OnViolation::Fallback {},
            };
            if let OnViolation::Wait {
                poll_ms,
                max_wait_ms,
            } = on_violation
            {
                let poll = SimDuration::from_millis_f64(poll_ms);
                if (op.waited_us + poll.as_micros()) as f64 <= max_wait_ms * 1000.0 {
                    if let Some(o) = self.op(id) {
                        o.waited_us += poll.as_micros();
                    }
                    if op.waited_us == 0 {
                        self.counters.waited_reads += 1;
                    }
                    let now = self.now();
                    self.queue.schedule(
                        now + poll,
                        Ev::ReadAt {
                            op: id,
                            replica: replica as u16,
                        },
                    );
                    return;
                }
            }
            self.counters.fallback_reads += 1;
            if matches!(self.model.replication, ReplicationModel::Quorum { .. }) {
                // No leader to ask: the refusal goes back to the client, which retries the read
                // as a quorum read overlapping every write quorum (validation allows this only
                // for session reads).
                let back = self.client_to_region(op.pop as usize, self.replica_region(replica));
                let now = self.now();
                self.queue
                    .schedule(now + back, Ev::QuorumReadRetry { op: id });
                return;
            }
            // Fall back to the key's leader or owner, which holds every committed write of it
            // (validation rejects fallbacks under multi-leader, where no region does).
            let leader = self.read_leader(op.pop as usize, op.key);
            if let Some(o) = self.op(id) {
                o.stage = ReadStage::Final;
            }
            let from = self.replica_region(replica);
            if self.failures.is_some() && !self.region_message_arrives(from, leader) {
                return;
            }
            let hop = self.region_one_way(from, leader);
            let now = self.now();
            self.queue.schedule(
                now + hop,
                Ev::ReadAt {
                    op: id,
                    replica: leader as u16,
                },
            );
            return;
        }
        let now = self.now();
        let held = self.keys.held(replica, op.key);
        let lag = self
            .keys
            .lag_of(op.key, held, op.start.as_micros(), now.as_micros());
        let region = self.replica_region(replica);
        let back = self.client_to_region(op.pop as usize, region);
        if self.failures.is_some()
            && !self.client_message_arrives(op.pop as usize, region, Leg::Answer)
        {
            return; // the answer is lost; the read times out
        }
        self.finish_read(id, op, held, lag, now + back);
    }

    pub(super) fn finish_read(&mut self, id: OpId, op: Op, held: Held, lag: Lag, done: SimTime) {
        let home = self.model.clients[op.pop as usize].home;
        self.metrics.record_read(home, done.since(op.start), lag);
        if self.failures.is_some() {
            self.note_read_ok(home, done.since(op.start), lag.staleness_us);
        }
        if lag.versions_behind > 0 {
            self.counters.stale_reads += 1;
        }
        let (missed_write, went_back) = self.sessions.observe_read(
            op.session,
            op.key,
            op.start,
            held,
            done,
            &mut self.counters,
        );
        if self.failures.is_some() {
            let pop = Some(op.pop as usize);
            if lag.versions_behind > 0 {
                let latest = self.keys.latest(op.key).stamp;
                self.note_anomaly("stale_read", op.key, pop, latest, held.stamp);
            }
            if let Some(expected) = missed_write {
                self.note_anomaly("read_your_writes", op.key, pop, expected, held.stamp);
            }
            if let Some(expected) = went_back {
                self.note_anomaly("monotonic_reads", op.key, pop, expected, held.stamp);
            }
        }
        self.remember(|| HistoryEvent::Ok {
            at_us: done.as_micros(),
            op: op.seq,
            stamp: held.stamp.to_bits(),
            behind: lag.versions_behind,
        });
        self.free_op(id);
    }
}

/// For each region, the replica its clients treat as local: the region's own replica (the
/// first, under quorum replication), or for a quorum region without one the replica with the
/// smallest mean round trip from it (lowest index on a tie; a link without a mean counts as
/// farthest).
pub(super) fn nearest_replicas(model: &Model) -> Vec<usize> {
    let regions = model.topology.region_count();
    let ReplicationModel::Quorum {
        replica_regions, ..
    } = &model.replication
    else {
        return (0..regions).collect();
    };
    (0..regions)
        .map(|home| {
            let distance = |replica: usize| {
                let region = replica_regions[replica];
                if region == home {
                    -1.0
                } else {
                    model
                        .topology
                        .rtt(home, region)
                        .mean_ms()
                        .unwrap_or(f64::INFINITY)
                }
            };
            (0..replica_regions.len())
                .min_by(|&a, &b| distance(a).total_cmp(&distance(b)).then(a.cmp(&b)))
                .unwrap_or(0)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{ReplicationSpec, Scenario};

    #[test]
    fn quorum_regions_without_a_replica_read_the_nearest_one() {
        let mut scenario = Scenario::preset("quorum-r1w1").unwrap();
        if let ReplicationSpec::Quorum { replicas, .. } = &mut scenario.replication {
            // us-east-1 twice and us-west-2: eu-west-1 has none, and us-east-1 is nearer.
            *replicas = ["us-east-1", "us-west-2", "us-east-1"]
                .map(Into::into)
                .to_vec();
        }
        let model = scenario.validate().unwrap();
        let region = |id: &str| model.topology.region_index(id).unwrap();
        let local = nearest_replicas(&model);
        assert_eq!(local[region("us-east-1")], 0);
        assert_eq!(local[region("us-west-2")], 1);
        assert_eq!(local[region("eu-west-1")], 0);
    }
}
