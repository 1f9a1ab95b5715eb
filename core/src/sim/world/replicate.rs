//! Replication: the per-link agents (batching, loss and retries with backoff, in-order
//! delivery, a bounded buffer), applying writes at replicas under the key's merge rule with
//! conflicts counted, and each replica's lag behind its sources.

use super::failure::HeldBatch;
use super::{Ev, Simulation};
use crate::sim::agent::InFlight;
use crate::sim::history::HistoryEvent;
use crate::sim::keys::Held;
use crate::sim::policy::Merge;
use crate::time::SimDuration;

impl Simulation {
    // ----- replication agent -----

    pub(super) fn enqueue(&mut self, link_ix: usize, w: InFlight) {
        let agent = &self.model.agent;
        let (batch_size, batch_delay, buffer) =
            (agent.batch_size, agent.batch_delay_ms, agent.buffer);
        let link = &mut self.links[link_ix];
        if link.queue.len() >= buffer as usize {
            self.counters.buffer_drops += 1;
            return;
        }
        link.queue.push_back(w);
        link.pending += 1;
        if link.pending >= batch_size {
            self.flush(link_ix);
        } else if !link.timer_armed {
            link.timer_armed = true;
            let epoch = link.epoch;
            let at = self.now() + SimDuration::from_millis_f64(batch_delay);
            self.queue.schedule(
                at,
                Ev::Flush {
                    link: link_ix as u32,
                    epoch,
                },
            );
        }
    }

    pub(super) fn on_flush(&mut self, link_ix: usize, epoch: u32) {
        let link = &mut self.links[link_ix];
        if link.epoch != epoch {
            return;
        }
        link.timer_armed = false;
        if link.pending > 0 {
            self.flush(link_ix);
        }
    }

    /// Sends the open batch: samples losses, retries with backoff, and schedules in-order delivery
    /// (or the drop, when every attempt was lost).
    pub(super) fn flush(&mut self, link_ix: usize) {
        let (from, to, count) = {
            let l = &mut self.links[link_ix];
            let c = l.pending;
            l.pending = 0;
            l.epoch = l.epoch.wrapping_add(1);
            l.timer_armed = false;
            (l.from_replica, l.to_replica, c)
        };
        let (a, b) = (self.replica_region(from), self.replica_region(to));
        let mut loss = self.model.agent.loss_probability;
        if let Some(f) = self.failures.as_deref() {
            loss = 1.0 - (1.0 - loss) * (1.0 - f.loss(a, b));
        }
        let mut t = self.now();
        let mut delivered = false;
        for attempt in 0..=self.model.agent.max_retries {
            if loss > 0.0 && self.net.chance(loss) {
                self.counters.batch_retries += u64::from(attempt < self.model.agent.max_retries);
                // The sender notices the loss after a round trip and backs off exponentially.
                let backoff = self.model.agent.retry_base_ms * libm::pow(2.0, f64::from(attempt));
                t = t
                    + SimDuration::from_millis_f64(backoff)
                    + self.region_one_way(a, b)
                    + self.region_one_way(b, a);
                continue;
            }
            // The trip is drawn before the apply delay (the draw order is part of the seed's
            // contract: reports must not move).
            let trip = self.region_one_way(a, b);
            let apply = if self.failures.is_some() {
                self.apply_delay_at(b)
            } else {
                self.model.apply_delay.sample(&mut self.net)
            };
            t = t + trip + apply;
            delivered = true;
            break;
        }
        if !delivered {
            self.counters.batch_drops += 1;
        }
        let link = &mut self.links[link_ix];
        let at = t.max(link.last_arrival);
        link.last_arrival = at;
        let generation = link.generation;
        self.queue.schedule(
            at,
            Ev::Apply {
                link: link_ix as u32,
                count,
                delivered,
                generation,
            },
        );
    }

    pub(super) fn on_apply(
        &mut self,
        link_ix: usize,
        count: u32,
        delivered: bool,
        generation: u32,
    ) {
        if self.links[link_ix].generation != generation {
            return; // the queue was discarded after this batch left
        }
        let to = self.links[link_ix].to_replica;
        let from_region = self.replica_region(self.links[link_ix].from_replica);
        let to_region = self.replica_region(to);
        if let Some(f) = self.failures.as_mut()
            && !f.state.open(from_region, to_region)
        {
            // A crashed end or a partition: the agent keeps the batch and sends it again once
            // the path may be open (see `resend_held_batches`).
            f.held_batches.push(HeldBatch {
                link: link_ix as u32,
                count,
                delivered,
                generation,
            });
            return;
        }
        for _ in 0..count {
            let Some(w) = self.links[link_ix].queue.pop_front() else {
                break;
            };
            if !delivered {
                self.counters.writes_lost_in_transit += 1;
                continue;
            }
            self.apply_at(to, w.key, w.write);
            if self.failures.is_some()
                && let Some(op) = w.op.and_then(|id| self.op(id))
                && op.applied.map(|a| a.stamp) == Some(w.write.stamp)
            {
                op.reached |= super::write::region_bit(to);
            }
            if let Some(op) = w.op.filter(|_| w.wants_ack) {
                if self.failures.is_some() && !self.region_message_arrives(to_region, from_region) {
                    continue;
                }
                let back = self.region_one_way(to_region, from_region);
                let now = self.now();
                self.queue.schedule(
                    now + back,
                    Ev::Ack {
                        op,
                        stamp: w.write.stamp,
                    },
                );
            }
        }
    }

    /// Applies `write` at `replica` under its key's policy, counting conflicts between
    /// concurrent writes (neither saw the other): last-write-wins for records and last-write-wins
    /// balances, per field for field-merged records, and by adding changes for counter and escrow
    /// wallets (commutative, so nothing is discarded).
    pub(super) fn apply_at(&mut self, replica: usize, key: u32, write: Held) {
        let region = self.replica_region(replica);
        let seen = write.stamp.clock_us();
        if seen > self.hlc[region] {
            self.hlc[region] = seen;
        }
        let now = self.now().as_micros();
        self.remember(|| HistoryEvent::Apply {
            at_us: now,
            replica: replica as u16,
            key,
            stamp: write.stamp.to_bits(),
        });
        let (merge, entity) = self.entities.merge_of(key);
        if merge == Merge::AddDelta {
            self.keys.add_delta(replica, key, write);
            return;
        }
        let current = self.keys.held(replica, key);
        let mut concurrent = current.index != 0
            && current.index != write.index
            && current.index > write.base
            && write.index > current.base;
        if concurrent && merge == Merge::PerField && current.field != write.field {
            // Different fields: both changes are kept, no conflict.
            concurrent = false;
        }
        let won = self.keys.apply(replica, key, write).is_some();
        if !won
            && !concurrent
            && current.index != write.index
            && write.base >= current.index
            && region == write.stamp.node()
            && let Some(f) = self.failures.as_mut()
        {
            // At its origin, the writer had seen the value it lost to: an update lost to the
            // clock (counted once, where it was written).
            f.counters.lost_updates += 1;
            self.note_anomaly("lost_update", key, None, write.stamp, current.stamp);
        }
        if concurrent {
            self.counters.conflicts += 1;
            if won {
                self.counters.overwritten_by_lww += 1;
            } else {
                self.counters.discarded_by_lww += 1;
            }
            if let Some(e) = entity {
                self.entities.note_conflict(e);
            }
        }
    }

    /// Lag of `replica` behind its sources: time since the oldest write it has not applied was
    /// accepted.
    pub(super) fn replica_lag_us(&self, replica: usize) -> u64 {
        let now = self.now().as_micros();
        let mut oldest = u64::MAX;
        for from in 0..self.replicas {
            if from == replica {
                continue;
            }
            if let Some(t) = self.links[from * self.replicas + replica].oldest_unapplied_us() {
                oldest = oldest.min(t);
            }
        }
        if oldest == u64::MAX {
            0
        } else {
            now.saturating_sub(oldest)
        }
    }
}
