//! Leaderless quorum replication: a write goes to all N replicas and commits at the W-th
//! acknowledgement; a read asks replicas and returns the newest of the first R answers.

use alloc::vec::Vec;

use super::failure::Leg;
use super::{Ev, Simulation};
use crate::sim::history::HistoryEvent;
use crate::sim::keys::{Held, Lag};
use crate::sim::model::ReplicationModel;
use crate::sim::ops::OpId;
use crate::time::SimDuration;

impl Simulation {
    /// Draws, for every replica, the one-way trip there and back from the client; returns them
    /// sorted by total.
    pub(super) fn quorum_legs(
        &mut self,
        pop: usize,
        extra: bool,
    ) -> Vec<(SimDuration, SimDuration, usize)> {
        let mut legs = Vec::with_capacity(self.replicas);
        for j in 0..self.replicas {
            let region = self.replica_region(j);
            let mut there = self.client_to_region(pop, region);
            if extra {
                there = there + self.model.apply_delay.sample(&mut self.net);
            }
            let back = self.client_to_region(pop, region);
            legs.push((there, there + back, j));
        }
        if self.failures.is_some() {
            // Replicas the client cannot reach (crashed, cut off, or the message lost) never
            // answer.
            let mut reachable = Vec::with_capacity(legs.len());
            for leg in legs {
                if self.replica_is_up(leg.2)
                    && self.client_message_arrives(pop, self.replica_region(leg.2), Leg::RoundTrip)
                {
                    reachable.push(leg);
                }
            }
            legs = reachable;
        }
        legs.sort_by_key(|l| (l.1, l.2));
        legs
    }

    /// A quorum operation that cannot reach enough replicas fails at once.
    fn quorum_unavailable(&mut self, id: OpId, is_write: bool) {
        let start = self.op(id).map(|o| o.start);
        if let Some(seq) = self.op(id).map(|o| o.seq) {
            let now = self.now().as_micros();
            self.remember(|| HistoryEvent::Fail {
                at_us: now,
                op: seq,
            });
        }
        if let Some(f) = self.failures.as_mut() {
            f.counters.quorum_unavailable += 1;
            if !is_write {
                f.counters.reads_failed += 1;
                f.timeline.open.reads_failed += 1;
            }
        }
        if is_write {
            self.counters.write_failures += 1;
            if let Some(start) = start {
                self.note_write_lost(start, None);
            }
        }
        self.free_op(id);
    }

    pub(super) fn start_quorum_write(&mut self, id: OpId) {
        let (w, n) = match &self.model.replication {
            ReplicationModel::Quorum {
                w, replica_regions, ..
            } => (*w as usize, replica_regions.len()),
            _ => return,
        };
        let Some(op) = self.op(id).copied() else {
            return;
        };
        let home = self.model.clients[op.pop as usize].home;
        let mut write = Held {
            stamp: self.next_stamp(home),
            index: self.keys.next_index(op.key),
            base: self.keys.latest(op.key).index,
            ..Held::default()
        };
        // No one region accepts a quorum write, so wallets are not checked against funds.
        self.entities
            .prepare_write(op.key, None, &mut self.net, &mut write);
        let legs = self.quorum_legs(op.pop as usize, true);
        if legs.len() < w {
            return self.quorum_unavailable(id, true);
        }
        let now = self.now();
        for &(there, _, j) in &legs {
            self.queue.schedule(
                now + there,
                Ev::QuorumWriteAt {
                    op: id,
                    replica: j as u16,
                },
            );
        }
        let commit_at = now + legs[w - 1].1;
        if let Some(o) = self.op(id) {
            o.applied = Some(write);
            o.q_remaining = legs.len().min(n) as u16 + 1;
            o.q_end = commit_at;
        }
        self.queue.schedule(commit_at, Ev::QuorumCommit { op: id });
    }

    pub(super) fn quorum_done_one(&mut self, id: OpId) {
        if let Some(o) = self.op(id) {
            o.q_remaining -= 1;
            if o.q_remaining == 0 {
                self.free_op(id);
            }
        }
    }

    pub(super) fn on_quorum_write_at(&mut self, id: OpId, replica: usize) {
        let Some(op) = self.op(id).copied() else {
            return;
        };
        if let Some(write) = op.applied
            && self.replica_is_up(replica)
        {
            self.apply_at(replica, op.key, write);
        }
        self.quorum_done_one(id);
    }

    pub(super) fn on_quorum_commit(&mut self, id: OpId) {
        let now = self.now();
        let Some(op) = self.op(id).copied() else {
            return;
        };
        if let Some(write) = op.applied {
            self.keys.commit(op.key, write, now.as_micros());
            let home = self.model.clients[op.pop as usize].home as u16;
            self.remember(|| HistoryEvent::Commit {
                at_us: now.as_micros(),
                op: op.seq,
                key: op.key,
                stamp: write.stamp.to_bits(),
                region: home,
            });
            self.remember(|| HistoryEvent::Ok {
                at_us: now.as_micros(),
                op: op.seq,
                stamp: write.stamp.to_bits(),
                behind: 0,
            });
            let home = self.model.clients[op.pop as usize].home;
            self.metrics.record_write(home, now.since(op.start));
            self.sessions
                .observe_write(op.session, op.key, write.stamp, now);
            if self.failures.is_some() {
                self.note_write_ok(op.start, now.since(op.start));
            }
        }
        self.quorum_done_one(id);
    }

    /// The read quorum R (quorum replication), or a majority of the replicas otherwise.
    pub(super) fn quorum_r(&self) -> usize {
        match &self.model.replication {
            ReplicationModel::Quorum { r, .. } => *r as usize,
            _ => self.replicas / 2 + 1,
        }
    }

    /// The smallest read quorum that meets every write quorum, max(R, N - W + 1): a session's
    /// committed write is on W replicas, so a read of this many always finds it.
    pub(super) fn overlapping_r(&self) -> usize {
        match &self.model.replication {
            ReplicationModel::Quorum {
                r,
                w,
                replica_regions,
            } => (*r as usize).max(replica_regions.len() + 1 - *w as usize),
            _ => self.quorum_r(),
        }
    }

    pub(super) fn start_quorum_read(&mut self, id: OpId, r: usize) {
        let Some(op) = self.op(id).copied() else {
            return;
        };
        let legs = self.quorum_legs(op.pop as usize, false);
        if legs.len() < r.max(1) {
            return self.quorum_unavailable(id, false);
        }
        let r = r.clamp(1, legs.len());
        let now = self.now();
        for &(there, _, j) in legs.iter().take(r) {
            self.queue.schedule(
                now + there,
                Ev::QuorumReadAt {
                    op: id,
                    replica: j as u16,
                },
            );
        }
        if let Some(o) = self.op(id) {
            o.q_remaining = r as u16;
            o.q_end = now + legs[r - 1].1;
            o.q_best = Held::default();
            o.q_best_lag = Lag::default();
        }
    }

    pub(super) fn on_quorum_read_at(&mut self, id: OpId, replica: usize) {
        let now_us = self.now().as_micros();
        let Some(op) = self.op(id).copied() else {
            return;
        };
        let held = self.keys.held(replica, op.key);
        let lag = self.keys.lag_of(op.key, held, op.start.as_micros(), now_us);
        let Some(o) = self.op(id) else { return };
        if held.stamp >= o.q_best.stamp {
            o.q_best = held;
            o.q_best_lag = lag;
        }
        o.q_remaining -= 1;
        if o.q_remaining == 0 {
            let op = *o;
            self.finish_read(id, op, op.q_best, op.q_best_lag, op.q_end);
        }
    }
}
