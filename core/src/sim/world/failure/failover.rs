//! Fault windows opening and closing, the controller's failure detector, promotion,
//! failback, deposed leaders stepping down, and the split-brain clock.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::super::write::region_bit;
use super::super::{Ev, Simulation};
use crate::sim::agent::InFlight;
use crate::sim::fault::{DivergentWrites, Failback, FailoverPolicy, FaultKind};
use crate::time::{SimDuration, SimTime};

impl Simulation {
    /// Schedules the fault windows (called once, at the start).
    pub(in crate::sim::world) fn schedule_faults(&mut self) {
        for (i, f) in self.model.faults.iter().enumerate() {
            self.queue
                .schedule(f.start, Ev::FaultStart { fault: i as u16 });
            if let Some(end) = f.end {
                self.queue.schedule(end, Ev::FaultEnd { fault: i as u16 });
            }
        }
    }

    pub(super) fn region_id(&self, r: usize) -> &str {
        &self.model.topology.regions()[r].id
    }

    #[cold]
    #[inline(never)]
    pub(in crate::sim::world) fn on_fault_start(&mut self, i: usize) {
        let now = self.now();
        let fault = self.model.faults[i].clone();
        let label = fault.label.clone();
        let Some(f) = self.failures.as_mut() else {
            return;
        };
        f.log(now, format!("fault: {label}"));
        match &fault.kind {
            FaultKind::Failover { to } => {
                let to = *to;
                self.promote(Some(to), "operator failover");
                return;
            }
            FaultKind::Failback => {
                let original = f.original_leader;
                if let Some(o) = original {
                    self.promote(Some(o), "operator failback");
                }
                return;
            }
            _ => {}
        }
        f.state.set(i, &fault.kind, true);
        self.after_fault_change(&fault.kind, i, true);
    }

    #[cold]
    #[inline(never)]
    pub(in crate::sim::world) fn on_fault_end(&mut self, i: usize) {
        let now = self.now();
        let fault = self.model.faults[i].clone();
        let Some(f) = self.failures.as_mut() else {
            return;
        };
        f.log(now, format!("fault ends: {}", fault.label));
        f.state.set(i, &fault.kind, false);
        self.after_fault_change(&fault.kind, i, false);
        self.resend_held_batches();
    }

    /// Sends the batches that found their path closed again, after the agent's retry delay (in
    /// their original order; any still blocked are held again).
    pub(super) fn resend_held_batches(&mut self) {
        let Some(f) = self.failures.as_mut() else {
            return;
        };
        let held = core::mem::take(&mut f.held_batches);
        let retry = SimDuration::from_millis_f64(self.model.agent.retry_base_ms.max(1.0));
        let at = self.now() + retry;
        for b in held {
            self.queue.schedule(
                at,
                Ev::Apply {
                    link: b.link,
                    count: b.count,
                    delivered: b.delivered,
                    generation: b.generation,
                },
            );
        }
    }

    /// Recomputes what depends on the active faults after fault `i` started or ended.
    pub(super) fn after_fault_change(&mut self, kind: &FaultKind, i: usize, on: bool) {
        let now = self.now();
        let regions = self.model.topology.region_count();
        let Some(f) = self.failures.as_mut() else {
            return;
        };
        match kind {
            FaultKind::LinkDegradation { .. } | FaultKind::LagSpike { .. } => {
                // Rebuild from the active faults, so overlapping windows compose.
                f.link_extra_us.iter_mut().for_each(|x| *x = 0);
                f.link_loss.iter_mut().for_each(|x| *x = 0.0);
                f.lag_override.iter_mut().for_each(|x| *x = None);
                for &j in &f.state.active {
                    match &self.model.faults[j].kind {
                        FaultKind::LinkDegradation {
                            a,
                            b,
                            extra_rtt,
                            loss,
                        } => {
                            for (x, y) in [(*a, *b), (*b, *a)] {
                                f.link_extra_us[x * regions + y] += extra_rtt.as_micros() / 2;
                                let l = &mut f.link_loss[x * regions + y];
                                *l = 1.0 - (1.0 - *l) * (1.0 - loss);
                            }
                        }
                        FaultKind::LagSpike { region, .. } => match region {
                            Some(r) => f.lag_override[*r] = Some(j),
                            None => f.lag_override.iter_mut().for_each(|x| *x = Some(j)),
                        },
                        _ => {}
                    }
                }
            }
            FaultKind::ClockSkew {
                region,
                offset_us,
                drift_ppm,
            } => {
                f.skew[*region] = on.then_some((*offset_us, *drift_ppm, now));
            }
            FaultKind::Toggle { toggle } => {
                let what = format!(
                    "toggle {} {}",
                    toggle.name(),
                    if f.state.toggle(*toggle) { "on" } else { "off" }
                );
                f.log(now, what);
            }
            FaultKind::RegionDown { .. }
            | FaultKind::NodesDown { .. }
            | FaultKind::Partition { .. } => {
                let _ = i;
                self.reassess_reachability();
            }
            FaultKind::Failover { .. } | FaultKind::Failback => {}
        }
        self.update_split_brain();
    }

    /// After a crash or partition changed: schedules detections of regions the controller can
    /// no longer hear, recoveries of those it hears again, and tells reachable regions who leads.
    pub(super) fn reassess_reachability(&mut self) {
        let now = self.now();
        let fo = self.model.failover.clone();
        let regions = self.model.topology.region_count();
        let Some(f) = self.failures.as_mut() else {
            return;
        };
        let Some(c) = f.controller(fo.controller) else {
            return; // every region is down: nothing is detected or decided meanwhile
        };
        let interval = fo.heartbeat_interval.as_micros().max(1);
        for r in 0..regions {
            if r == c {
                continue;
            }
            let hears = f.state.open(r, c);
            if !hears && !f.detected_down[r] && !f.detect_pending[r] {
                // The last heartbeat that got through left at the last tick before now.
                f.detect_epoch[r] = f.detect_epoch[r].wrapping_add(1);
                f.detect_pending[r] = true;
                let last_beat = now.as_micros() / interval * interval;
                let at = SimTime(last_beat + fo.heartbeat_timeout.as_micros()).max(now);
                let epoch = f.detect_epoch[r];
                self.queue.schedule(
                    at,
                    Ev::Detect {
                        region: r as u16,
                        epoch,
                    },
                );
            } else if hears && (f.detected_down[r] || f.detect_pending[r]) {
                f.detect_epoch[r] = f.detect_epoch[r].wrapping_add(1);
                f.detect_pending[r] = false;
                if f.detected_down[r] {
                    // The next heartbeat gets through.
                    let next_beat = now.as_micros().div_ceil(interval) * interval;
                    let epoch = f.detect_epoch[r];
                    self.queue.schedule(
                        SimTime(next_beat),
                        Ev::Recover {
                            region: r as u16,
                            epoch,
                        },
                    );
                }
            }
        }
        self.announce_leader();
    }

    #[cold]
    #[inline(never)]
    pub(in crate::sim::world) fn on_detect(&mut self, region: usize, epoch: u32) {
        let now = self.now();
        let fo = self.model.failover.clone();
        let id = String::from(self.region_id(region));
        let Some(c) = self
            .failures
            .as_ref()
            .and_then(|f| f.controller(fo.controller))
        else {
            return;
        };
        let controller = String::from(self.region_id(c));
        let Some(f) = self.failures.as_mut() else {
            return;
        };
        if f.detect_epoch[region] != epoch || !f.detect_pending[region] {
            return;
        }
        f.detect_pending[region] = false;
        f.detected_down[region] = true;
        f.log(now, format!("controller {controller} declares {id} down"));
        // Attribute the detection to the active faults that cut the region off.
        for &j in &f.state.active {
            let cause = match &self.model.faults[j].kind {
                FaultKind::RegionDown { region: r } => *r == region,
                FaultKind::NodesDown { nodes, .. } => nodes
                    .iter()
                    .any(|&n| self.model.topology.nodes()[n].region == region),
                FaultKind::Partition { a, b, .. } => a.contains(&region) || b.contains(&region),
                _ => false,
            };
            if cause && f.outcomes[j].detected_s.is_none() {
                f.outcomes[j].detected_s = Some(now.as_millis_f64() / 1000.0);
            }
        }
        if f.leader == Some(region) && fo.policy == FailoverPolicy::Promote {
            f.promote_epoch = f.promote_epoch.wrapping_add(1);
            let epoch = f.promote_epoch;
            f.log(
                now,
                format!(
                    "election starts; promotion in {} ms",
                    fo.promotion_delay.as_millis_f64()
                ),
            );
            self.queue.schedule(
                now + fo.promotion_delay,
                Ev::Promote {
                    to: u16::MAX,
                    epoch,
                },
            );
        }
    }

    #[cold]
    #[inline(never)]
    pub(in crate::sim::world) fn on_recover(&mut self, region: usize, epoch: u32) {
        let now = self.now();
        let fo = self.model.failover.clone();
        let id = String::from(self.region_id(region));
        let Some(f) = self.failures.as_mut() else {
            return;
        };
        if f.detect_epoch[region] != epoch || !f.detected_down[region] {
            return;
        }
        f.detected_down[region] = false;
        f.log(now, format!("controller hears {id} again"));
        let returns = f.original_leader == Some(region)
            && f.leader != Some(region)
            && fo.failback == Failback::Return
            && fo.policy == FailoverPolicy::Promote;
        if returns {
            f.promote_epoch = f.promote_epoch.wrapping_add(1);
            let epoch = f.promote_epoch;
            f.log(
                now,
                format!(
                    "failback to {id} in {} ms",
                    fo.promotion_delay.as_millis_f64()
                ),
            );
            self.queue.schedule(
                now + fo.promotion_delay,
                Ev::Promote {
                    to: region as u16,
                    epoch,
                },
            );
        }
    }

    #[cold]
    #[inline(never)]
    pub(in crate::sim::world) fn on_promote(&mut self, to: u16, epoch: u32) {
        let Some(f) = self.failures.as_ref() else {
            return;
        };
        if f.promote_epoch != epoch {
            return;
        }
        let to = (to != u16::MAX).then_some(to as usize);
        let why = if to.is_some() {
            "failback"
        } else {
            "promotion"
        };
        self.promote(to, why);
    }

    /// Makes `to` (or, when `None`, the most up-to-date reachable follower) the leader.
    pub(super) fn promote(&mut self, to: Option<usize>, why: &str) {
        let now = self.now();
        let regions = self.model.topology.region_count();
        let Some(f) = self.failures.as_ref() else {
            return;
        };
        let Some(old) = f.leader else {
            return;
        };
        let Some(controller) = f.controller(self.model.failover.controller) else {
            return;
        };
        let candidate = to.or_else(|| {
            (0..regions)
                .filter(|&r| {
                    r != old
                        && f.state.is_up(r)
                        && (r == controller || f.state.open(r, controller))
                        && !f.detected_down[r]
                })
                .min_by_key(|&r| (self.links[old * self.replicas + r].queue.len(), r))
        });
        let Some(new) = candidate else {
            let Some(f) = self.failures.as_mut() else {
                return;
            };
            f.log(now, String::from("no reachable follower: nothing promoted"));
            return;
        };
        if new == old {
            return;
        }
        let (old_id, new_id) = (
            String::from(self.region_id(old)),
            String::from(self.region_id(new)),
        );
        if let Some(f) = self.failures.as_mut() {
            f.log(now, format!("{why}: {new_id} leads (was {old_id})"));
            f.leader = Some(new);
            f.believed_leader[new] = new;
        }
        let stale = self
            .failures
            .as_ref()
            .is_some_and(|f| f.resync_pending[new]);
        if stale {
            // A deposed leader promoted again before it rejoined first does what rejoining
            // does: the writes it took while split off are lost, and it resynchronises from the
            // leader it replaces, so its discarded writes do not come back with it.
            self.discard_unreplicated(new, old);
            self.copy_replica(old, new);
            self.links[old * self.replicas + new].discard();
            if let Some(f) = self.failures.as_mut() {
                f.resync_pending[new] = false;
            }
        }
        match self.model.failover.divergent_writes {
            DivergentWrites::Discard => {
                self.discard_unreplicated(old, new);
                if let Some(f) = self.failures.as_mut() {
                    f.resync_pending[old] = true;
                }
            }
            DivergentWrites::Merge => {}
        }
        self.announce_leader();
        self.update_split_brain();
    }

    /// Makes replica `to` hold exactly what `from` holds (a resync), idempotency records of the
    /// operations in flight included.
    fn copy_replica(&mut self, from: usize, to: usize) {
        self.keys.copy_replica(from, to);
        let (f, t) = (region_bit(from), region_bit(to));
        for op in self.ops.live_mut() {
            op.reached = if op.reached & f != 0 {
                op.reached | t
            } else {
                op.reached & !t
            };
        }
    }

    /// Counts the acknowledged writes `old` holds that `new` never received as lost (the
    /// RPO), takes them back from the committed history, and drops them from `old`'s
    /// replication queues; followers that applied some of them rewind those keys to `new`.
    pub(super) fn discard_unreplicated(&mut self, old: usize, new: usize) {
        let now = self.now();
        let link = old * self.replicas + new;
        let lost: Vec<_> = self.links[link].queue.iter().copied().collect();
        for w in &lost {
            // Followers that applied the write rewind to `new`, acknowledged or not (an
            // unacknowledged write a follower kept would never reach the others).
            let truth = self.keys.held(new, w.key);
            for r in 0..self.replicas {
                if r != old && self.keys.held(r, w.key).stamp > truth.stamp {
                    self.keys.overwrite(r, w.key, truth);
                    // Its records of the key are `new`'s now.
                    let (from, to) = (region_bit(new), region_bit(r));
                    for op in self.ops.live_mut().filter(|o| o.key == w.key) {
                        op.reached = if op.reached & from != 0 {
                            op.reached | to
                        } else {
                            op.reached & !to
                        };
                    }
                }
            }
            let Some(at_us) = self.keys.commit_time(w.key, w.write.stamp) else {
                continue; // never acknowledged: nothing promised, nothing lost
            };
            self.keys.retract(w.key, w.write.stamp, truth);
            if let Some(f) = self.failures.as_mut() {
                f.rpo.lost_writes += 1;
                if self.entities.merge_of(w.key).0 == crate::sim::policy::Merge::AddDelta
                    || self
                        .entities
                        .of(w.key)
                        .is_some_and(|e| self.entities.spans()[e].policy.wallet().is_some())
                {
                    f.rpo.lost_amount += w.write.value.unsigned_abs();
                }
                let oldest = f.oldest_lost_commit_us.map_or(at_us, |o| o.min(at_us));
                f.oldest_lost_commit_us = Some(oldest);
                f.rpo.window_ms = (now.as_micros().saturating_sub(oldest)) as f64 / 1000.0;
            }
        }
        // What `old` still had to send a third replica but `new` already holds, `new` sends
        // instead (a new leader brings its followers up to date); only what `new` lacks is
        // gone. Without this, such a replica would never receive those writes.
        for to in (0..self.replicas).filter(|&to| to != old && to != new) {
            let handed_over: Vec<_> = self.links[old * self.replicas + to]
                .queue
                .iter()
                .filter(|w| {
                    !lost
                        .iter()
                        .any(|l| l.key == w.key && l.write.stamp == w.write.stamp)
                })
                .map(|w| InFlight {
                    wants_ack: false,
                    ..*w
                })
                .collect();
            for w in handed_over {
                self.enqueue(new * self.replicas + to, w);
            }
        }
        for to in 0..self.replicas {
            if to != old {
                self.links[old * self.replicas + to].discard();
            }
        }
    }

    /// Tells every region the controller can reach who leads; a deposed leader that learns it
    /// rejoins by resynchronising from the leader.
    pub(super) fn announce_leader(&mut self) {
        let regions = self.model.topology.region_count();
        let now = self.now();
        let Some(f) = self.failures.as_ref() else {
            return;
        };
        let Some(leader) = f.leader else {
            return;
        };
        let Some(controller) = f.controller(self.model.failover.controller) else {
            return;
        };
        let mut learned = Vec::new();
        for r in 0..regions {
            let reachable =
                r == controller || (f.state.open(controller, r) && f.state.open(r, controller));
            if reachable && f.believed_leader[r] != leader {
                learned.push(r);
            }
        }
        for r in learned {
            let was_leader = self
                .failures
                .as_ref()
                .is_some_and(|f| f.believed_leader[r] == r);
            if was_leader && self.model.failover.divergent_writes == DivergentWrites::Discard {
                // Writes it took while split off are lost too.
                self.discard_unreplicated(r, leader);
            }
            let resync = self.failures.as_ref().is_some_and(|f| f.resync_pending[r]);
            if resync {
                // It now holds everything the leader holds: what the leader still had queued for
                // it is no longer owed (and must not count as lost at a later failover).
                self.copy_replica(leader, r);
                self.links[leader * self.replicas + r].discard();
            }
            let id = String::from(self.region_id(r));
            let leader_id = String::from(self.region_id(leader));
            if let Some(f) = self.failures.as_mut() {
                f.believed_leader[r] = leader;
                f.resync_pending[r] = false;
                if was_leader {
                    f.log(now, format!("{id} learns {leader_id} leads and steps down"));
                }
            }
        }
    }

    /// Starts or stops the split-brain clock.
    pub(super) fn update_split_brain(&mut self) {
        let now = self.now();
        let Some(f) = self.failures.as_mut() else {
            return;
        };
        let split = f.acting_leaders() >= 2;
        match (split, f.split_since) {
            (true, None) => {
                f.split_since = Some(now);
                f.log(
                    now,
                    String::from("split brain: two regions accept writes as leader"),
                );
            }
            (false, Some(since)) => {
                f.split_brain_us += now.since(since).as_micros();
                f.split_since = None;
                f.log(now, String::from("split brain over"));
            }
            _ => {}
        }
    }
}
