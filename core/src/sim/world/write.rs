//! Writes through a single leader, a key's owner or the client's local leader: the client's
//! attempts with deadline and retries, the entity policy's check at the target, commit after the
//! follower acknowledgements the mode needs, and the response.

use super::failure::{Leg, Rejection};
use super::{Ev, Simulation};
use crate::conflict::Stamp;
use crate::sim::agent::InFlight;
use crate::sim::history::HistoryEvent;
use crate::sim::keys::Held;
use crate::sim::model::ReplicationModel;
use crate::sim::ops::OpId;
use crate::sim::policy::Decision;
use crate::time::SimDuration;

impl Simulation {
    pub(super) fn send_write_attempt(&mut self, id: OpId, attempt: u8) {
        let Some(op) = self.op(id) else { return };
        let (pop, key) = (op.pop as usize, op.key);
        let now = self.now();
        let target = match self.route_write(pop, key) {
            Ok(target) => target,
            Err(reason) => {
                // Refused by the client's router: the answer comes back from the home region.
                let home = self.model.clients[pop].home;
                let back = self.client_to_region(pop, home) + self.client_to_region(pop, home);
                if let Some(op) = self.op(id) {
                    op.attempt = attempt;
                }
                self.queue
                    .schedule(now + back, Ev::WriteRejected { op: id, reason });
                return;
            }
        };
        let travel = self.client_to_region(pop, target);
        let deadline = SimDuration::from_millis_f64(self.model.writes.deadline_ms);
        if let Some(op) = self.op(id) {
            op.attempt = attempt;
            op.target = target as u16;
        }
        if self.client_message_arrives(pop, target, Leg::Request) {
            self.queue
                .schedule(now + travel, Ev::WriteAtTarget { op: id, attempt });
        }
        self.queue
            .schedule(now + deadline, Ev::WriteTimeout { op: id, attempt });
    }

    /// A write refused at once: the client records the refusal and gives up.
    #[cold]
    #[inline(never)]
    pub(super) fn on_write_rejected(&mut self, id: OpId, reason: Rejection) {
        let Some(op) = self.op(id) else { return };
        if op.client_done {
            return;
        }
        op.client_done = true;
        let (start, seq) = (op.start, op.seq);
        let waiting_for_acks = op.applied.is_some() && !op.committed;
        self.note_write_lost(start, Some(reason));
        let now = self.now().as_micros();
        self.remember(|| HistoryEvent::Fail {
            at_us: now,
            op: seq,
        });
        if !waiting_for_acks {
            self.free_op(id);
        }
    }

    pub(super) fn on_write_at_target(&mut self, id: OpId, attempt: u8) {
        let idempotent = self.model.writes.idempotency_keys;
        let acks_needed = match self.model.replication {
            ReplicationModel::SingleLeader { acks_needed, .. } => acks_needed as u16,
            _ => 0,
        };
        let Some(op) = self.op(id) else { return };
        let (key, target) = (op.key, op.target as usize);
        let moved = op.applied_at != op.target;
        let reached = op.reached;
        let previously = op.applied;
        op.respond_attempt = attempt;
        if self.failures.is_some() {
            if !self.is_up(target) {
                return; // crashed: the request is lost, the client times out
            }
            if !self.leads(target) {
                self.reject_at_target(id, target);
                return;
            }
        }
        // A retry that reached another region (a failover) is a new application there, unless
        // that region already holds the first application's idempotency record (the key travels
        // with the write): it applied the write, or took over the state of a replica that had.
        let previously = match previously {
            Some(first) if moved && self.failures.is_some() => {
                (reached & region_bit(target) != 0).then_some(first)
            }
            other => other,
        };
        if let (Some(_), true) = (previously, idempotent) {
            // A retry of a write already applied: the idempotency key returns the first result.
            self.counters.idempotent_retries += 1;
            let committed = self.op(id).is_some_and(|o| o.committed);
            if committed {
                self.respond_write(id);
            }
            return;
        }
        let current = self.keys.held(target, key);
        if let Some(first) = previously {
            // No idempotency key: the retry is applied a second time (a double charge).
            self.counters.duplicate_applies += 1;
            if self.failures.is_some() {
                let pop = self.op(id).map(|o| o.pop as usize);
                self.note_anomaly("double_charge", key, pop, first.stamp, current.stamp);
            }
        }
        let mut write = Held {
            stamp: self.next_stamp(target),
            index: self.keys.next_index(key),
            base: current.index,
            ..Held::default()
        };
        let region = self.replica_region(target);
        let decision =
            self.entities
                .prepare_write(key, Some((region, current)), &mut self.net, &mut write);
        if decision == Decision::Refuse {
            // Refused by the local check: nothing is written or replicated.
            if let Some(op) = self.op(id) {
                op.applied = Some(current);
                op.committed = true;
            }
            self.respond_write(id);
            return;
        }
        self.apply_at(target, key, write);
        let now_us = self.now().as_micros();
        if let Some(seq) = self.op(id).map(|o| o.seq) {
            self.remember(|| HistoryEvent::Accept {
                at_us: now_us,
                op: seq,
                key,
                stamp: write.stamp.to_bits(),
                region: target as u16,
            });
        }
        if let Some(op) = self.op(id) {
            op.applied = Some(write);
            op.applied_at = target as u16;
            op.reached = region_bit(target);
            op.acks = 0;
            op.acks_needed = acks_needed;
            op.committed = false;
        }
        for to in 0..self.replicas {
            if to != target {
                let w = InFlight {
                    key,
                    write,
                    written_us: now_us,
                    op: Some(id),
                    wants_ack: acks_needed > 0,
                };
                self.enqueue(target * self.replicas + to, w);
            }
        }
        if acks_needed == 0 {
            self.commit_write(id);
        }
    }

    pub(super) fn commit_write(&mut self, id: OpId) {
        let now_us = self.now().as_micros();
        let Some(op) = self.op(id) else { return };
        let Some(write) = op.applied else { return };
        op.committed = true;
        let (key, region, seq) = (op.key, op.applied_at, op.seq);
        self.keys.commit(key, write, now_us);
        self.remember(|| HistoryEvent::Commit {
            at_us: now_us,
            op: seq,
            key,
            stamp: write.stamp.to_bits(),
            region,
        });
        self.respond_write(id);
    }

    pub(super) fn respond_write(&mut self, id: OpId) {
        let Some(op) = self.op(id) else { return };
        let (pop, target, attempt) = (op.pop as usize, op.target as usize, op.respond_attempt);
        let back = self.client_to_region(pop, target);
        let now = self.now();
        if self.client_message_arrives(pop, target, Leg::Answer) {
            self.queue
                .schedule(now + back, Ev::WriteResponse { op: id, attempt });
        }
    }

    /// The region a write reached does not lead: it answers "not the leader" at once.
    fn reject_at_target(&mut self, id: OpId, target: usize) {
        let Some(op) = self.op(id) else { return };
        let pop = op.pop as usize;
        let back = self.client_to_region(pop, target);
        let now = self.now();
        if self.client_message_arrives(pop, target, Leg::Answer) {
            self.queue.schedule(
                now + back,
                Ev::WriteRejected {
                    op: id,
                    reason: Rejection::NotLeader,
                },
            );
        }
    }

    pub(super) fn on_write_response(&mut self, id: OpId, attempt: u8) {
        let now = self.now();
        let Some(op) = self.op(id) else { return };
        if op.client_done || attempt != op.attempt {
            return; // the client already gave up on this attempt
        }
        op.client_done = true;
        let (pop, key, session, start, op_seq) =
            (op.pop as usize, op.key, op.session, op.start, op.seq);
        let stamp = op.applied.map_or(Stamp::INITIAL, |w| w.stamp);
        let home = self.model.clients[pop].home;
        self.metrics.record_write(home, now.since(start));
        self.sessions.observe_write(session, key, stamp, now);
        let seq = op_seq;
        self.remember(|| HistoryEvent::Ok {
            at_us: now.as_micros(),
            op: seq,
            stamp: stamp.to_bits(),
            behind: 0,
        });
        if self.failures.is_some() {
            self.note_write_ok(start, now.since(start));
        }
        self.free_op(id);
    }

    pub(super) fn on_write_timeout(&mut self, id: OpId, attempt: u8) {
        let max_attempts = self.model.writes.max_attempts;
        let Some(op) = self.op(id) else { return };
        if op.client_done || attempt != op.attempt {
            return;
        }
        let (start, seq) = (op.start, op.seq);
        self.counters.write_timeouts += 1;
        if u32::from(attempt) >= max_attempts {
            self.counters.write_failures += 1;
            let now = self.now().as_micros();
            self.remember(|| HistoryEvent::Fail {
                at_us: now,
                op: seq,
            });
            if self.failures.is_some() {
                self.note_write_lost(start, None);
            }
            if let Some(op) = self.op(id) {
                op.client_done = true;
                let waiting_for_acks = op.applied.is_some() && !op.committed;
                if !waiting_for_acks {
                    self.free_op(id);
                }
            }
            return;
        }
        self.counters.write_retries += 1;
        self.send_write_attempt(id, attempt + 1);
    }

    /// A follower's acknowledgement of `stamp` for the write `id`. Acknowledgements of an
    /// earlier application (a retry without an idempotency key applies the write again, under a
    /// new stamp) do not count towards the current one.
    pub(super) fn on_ack(&mut self, id: OpId, stamp: Stamp) {
        let failures = self.failures.is_some();
        let Some(op) = self.op(id) else { return };
        let leader = usize::from(op.applied_at);
        if op.committed || op.applied.map(|w| w.stamp) != Some(stamp) {
            return;
        }
        if failures && (!self.is_up(leader) || !self.leads(leader)) {
            // The acknowledgement reaches a crashed leader (lost), or one that has stepped down
            // meanwhile: a deposed leader commits nothing, and its client retries elsewhere.
            return;
        }
        let Some(op) = self.op(id) else { return };
        op.acks += 1;
        if op.acks >= op.acks_needed {
            let done = op.client_done;
            self.commit_write(id);
            if done {
                self.free_op(id);
            }
        }
    }
}

/// The bit of `region` in [`crate::sim::ops::Op::reached`] (at most
/// [`crate::topology::MAX_REGIONS`] = 32 regions).
pub(super) fn region_bit(region: usize) -> u32 {
    1u32.checked_shl(region as u32).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::super::tests::preset;
    use crate::conflict::Stamp;
    use crate::sim::keys::Held;
    use crate::sim::ops::Op;

    #[test]
    fn acks_count_only_for_the_application_they_acknowledge() {
        let mut sim = preset("sg-us-wallet");
        let write = Held {
            stamp: Stamp::new(10, 0),
            index: sim.keys.next_index(0),
            ..Held::default()
        };
        let id = sim.ops.alloc(Op {
            applied: Some(write),
            acks_needed: 1,
            ..Op::default()
        });
        sim.on_ack(id, Stamp::new(9, 0)); // from an earlier application of the same write
        assert!(!sim.op(id).unwrap().committed);
        sim.on_ack(id, write.stamp);
        assert!(sim.op(id).unwrap().committed);
    }
}
