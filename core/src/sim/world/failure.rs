//! Failures in the world: the fault schedule's windows opening and closing, the failure
//! detector (heartbeats seen by a controller region), failover (reject writes, promote,
//! manual), failback, the routers' view of which region leads and which is down, and the
//! measurements only failures produce (timeline, log, RTO, RPO, split brain).
//!
//! None of this exists in a run without faults: [`Simulation::failures`] is `None`, no event is
//! added and no random number is drawn, so such runs are exactly what they were before faults.

use alloc::boxed::Box;
use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use super::{Ev, Simulation};
use crate::dist::Dist;
use crate::sim::check::{self, Examples};
use crate::sim::fault::{
    CLOCK_EPOCH_US, DivergentWrites, Failback, FailoverPolicy, FaultKind, FaultState, LwwClock,
    Toggle,
};
use crate::sim::model::{Model, ReplicationModel};
use crate::sim::timeline::{
    AnomalyExample, FailureCounters, FailureReport, FaultOutcome, Interval, LogEntry, Rpo,
    TimelineRecorder,
};
use crate::time::{SimDuration, SimTime};

/// Why a write was refused at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rejection {
    /// The leader is detected down and unreachable (reject_writes, or before promotion).
    NoLeader,
    /// The `write_readonly_mode` toggle is on.
    ReadOnly,
    /// The region the write reached does not lead (any more).
    NotLeader,
}

/// A replication batch that found its path closed, waiting for a fault to end.
#[derive(Debug, Clone, Copy)]
pub(crate) struct HeldBatch {
    pub(crate) link: u32,
    pub(crate) count: u32,
    pub(crate) delivered: bool,
    pub(crate) generation: u32,
}

/// Everything the world keeps about failures.
#[derive(Debug, Clone)]
pub(crate) struct Failures {
    pub(crate) state: FaultState,
    regions: usize,
    /// Per region: which region it believes leads (single leader).
    pub(crate) believed_leader: Vec<usize>,
    /// The leader as the controller knows it.
    pub(crate) leader: Option<usize>,
    original_leader: Option<usize>,
    /// The controller's verdicts: regions declared down.
    pub(crate) detected_down: Vec<bool>,
    /// Bumped when a region's reachability changes, so stale detections are ignored.
    detect_epoch: Vec<u32>,
    detect_pending: Vec<bool>,
    promote_epoch: u32,
    /// Per region: the deposed leader must resynchronise from the leader when it rejoins.
    resync_pending: Vec<bool>,
    /// Extra one-way delay (µs) and loss probability per directed region pair.
    link_extra_us: Vec<u64>,
    link_loss: Vec<f64>,
    /// Per region: the apply-delay override active there (index into the model's faults).
    lag_override: Vec<Option<usize>>,
    /// Per region: clock offset (µs) and drift (ppm) since a start time.
    skew: Vec<Option<(i64, f64, SimTime)>>,
    pub(crate) counters: FailureCounters,
    outcomes: Vec<FaultOutcome>,
    /// Per fault: whether writes have recovered since it started.
    write_recovered: Vec<bool>,
    log: Vec<LogEntry>,
    pub(crate) timeline: TimelineRecorder,
    rpo: Rpo,
    oldest_lost_commit_us: Option<u64>,
    split_brain_us: u64,
    split_since: Option<SimTime>,
    /// Replication batches waiting for a crashed end or a partition to heal.
    pub(crate) held_batches: Vec<HeldBatch>,
    /// The first few examples of each anomaly.
    examples: Examples,
    /// Sticky sessions: the region each session moved to (`u16::MAX`: its own); empty unless
    /// sticky.
    pinned: Vec<u16>,
}

impl Failures {
    /// The failure state of `model`, or `None` when the model has nothing that needs it.
    pub(crate) fn for_model(model: &Model) -> Option<Box<Failures>> {
        if model.faults.is_empty() && model.lww_clock == LwwClock::Hybrid {
            return None;
        }
        let regions = model.topology.region_count();
        let leader = match &model.replication {
            ReplicationModel::SingleLeader { leader, .. } => Some(*leader),
            _ => None,
        };
        Some(Box::new(Failures {
            state: FaultState::new(
                regions,
                model.topology.nodes().iter().map(|n| n.region).collect(),
            ),
            regions,
            believed_leader: vec![leader.unwrap_or(0); regions],
            leader,
            original_leader: leader,
            detected_down: vec![false; regions],
            detect_epoch: vec![0; regions],
            detect_pending: vec![false; regions],
            promote_epoch: 0,
            resync_pending: vec![false; regions],
            link_extra_us: vec![0; regions * regions],
            link_loss: vec![0.0; regions * regions],
            lag_override: vec![None; regions],
            skew: vec![None; regions],
            counters: FailureCounters::default(),
            outcomes: model
                .faults
                .iter()
                .map(|f| FaultOutcome {
                    label: f.label.clone(),
                    kind: f.kind.name().into(),
                    start_s: f.start.as_millis_f64() / 1000.0,
                    end_s: f.end.map(|e| e.as_millis_f64() / 1000.0),
                    detected_s: None,
                    rto_write_ms: None,
                    rto_slo_ms: None,
                    writes_lost_to_outage: 0,
                })
                .collect(),
            write_recovered: vec![false; model.faults.len()],
            log: Vec::new(),
            timeline: TimelineRecorder::new(model.timeline_interval),
            rpo: Rpo::default(),
            oldest_lost_commit_us: None,
            split_brain_us: 0,
            split_since: None,
            held_batches: Vec::new(),
            examples: Examples::default(),
            pinned: if model.failover.sticky_sessions {
                vec![u16::MAX; model.clients.len() * model.sessions_per_client as usize]
            } else {
                Vec::new()
            },
        }))
    }

    /// Extra one-way delay from region `a` to `b` (a degraded link).
    #[inline]
    pub(crate) fn extra_one_way(&self, a: usize, b: usize) -> SimDuration {
        SimDuration::from_micros(self.link_extra_us[a * self.regions + b])
    }

    /// Loss probability of the link between `a` and `b` (0 unless degraded).
    #[inline]
    pub(crate) fn loss(&self, a: usize, b: usize) -> f64 {
        self.link_loss[a * self.regions + b]
    }

    /// Regions accepting writes as leader: up, and believing they lead.
    fn acting_leaders(&self) -> usize {
        (0..self.regions)
            .filter(|&r| {
                self.leader.is_some() && self.state.is_up(r) && self.believed_leader[r] == r
            })
            .count()
    }

    /// The region whose detector decides: the configured controller while it is up, else the
    /// first region up (a standby takes over), or none when every region is down.
    pub(crate) fn controller(&self, configured: usize) -> Option<usize> {
        if self.state.is_up(configured) {
            return Some(configured);
        }
        (0..self.regions).find(|&r| self.state.is_up(r))
    }

    fn log(&mut self, now: SimTime, what: String) {
        self.log.push(LogEntry {
            at_s: now.as_millis_f64() / 1000.0,
            what,
        });
    }
}

impl Simulation {
    /// Schedules the fault windows (called once, at the start).
    pub(super) fn schedule_faults(&mut self) {
        for (i, f) in self.model.faults.iter().enumerate() {
            self.queue
                .schedule(f.start, Ev::FaultStart { fault: i as u16 });
            if let Some(end) = f.end {
                self.queue.schedule(end, Ev::FaultEnd { fault: i as u16 });
            }
        }
    }

    fn region_id(&self, r: usize) -> &str {
        &self.model.topology.regions()[r].id
    }

    #[cold]
    #[inline(never)]
    pub(super) fn on_fault_start(&mut self, i: usize) {
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
    pub(super) fn on_fault_end(&mut self, i: usize) {
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
    fn resend_held_batches(&mut self) {
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
    fn after_fault_change(&mut self, kind: &FaultKind, i: usize, on: bool) {
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
    fn reassess_reachability(&mut self) {
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
    pub(super) fn on_detect(&mut self, region: usize, epoch: u32) {
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
    pub(super) fn on_recover(&mut self, region: usize, epoch: u32) {
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
    pub(super) fn on_promote(&mut self, to: u16, epoch: u32) {
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
    fn promote(&mut self, to: Option<usize>, why: &str) {
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

    /// Counts the acknowledged writes `old` holds that `new` never received as lost (the
    /// RPO), takes them back from the committed history, and drops them from `old`'s
    /// replication queues; followers that applied some of them rewind those keys to `new`.
    fn discard_unreplicated(&mut self, old: usize, new: usize) {
        let now = self.now();
        let link = old * self.replicas + new;
        let lost: Vec<_> = self.links[link].queue.iter().copied().collect();
        for w in &lost {
            let Some(at_us) = self.keys.commit_time(w.key, w.write.stamp) else {
                continue; // never acknowledged: nothing promised, nothing lost
            };
            let truth = self.keys.held(new, w.key);
            self.keys.retract(w.key, w.write.stamp, truth);
            for r in 0..self.replicas {
                if r != old && self.keys.held(r, w.key).stamp > truth.stamp {
                    self.keys.overwrite(r, w.key, truth);
                }
            }
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
        for to in 0..self.replicas {
            if to != old {
                self.links[old * self.replicas + to].discard();
            }
        }
    }

    /// Tells every region the controller can reach who leads; a deposed leader that learns it
    /// rejoins by resynchronising from the leader.
    fn announce_leader(&mut self) {
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
                self.keys.copy_replica(leader, r);
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
    fn update_split_brain(&mut self) {
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

    // ----- what the handlers ask -----

    /// Where population `pop`'s writes go, or why they are refused at once.
    pub(super) fn route_write(&self, pop: usize, key: u32) -> Result<usize, Rejection> {
        let home = self.model.clients[pop].home;
        let Some(f) = self.failures.as_deref() else {
            return Ok(self.write_target(key, home));
        };
        if f.state.toggle(Toggle::WriteReadonlyMode) {
            return Err(Rejection::ReadOnly);
        }
        let Some(_) = f.leader else {
            // Multi-leader, partitioned and quorum: the usual target, or the first healthy
            // region of the failover order when the home region is detected down.
            let target = self.write_target(key, home);
            let reachable = f.state.is_up(target) && (target == home || !f.state.cut(home, target));
            if matches!(self.model.replication, ReplicationModel::MultiLeader)
                && f.detected_down[target]
                && !reachable
            {
                return Ok(self.first_healthy(pop).unwrap_or(target));
            }
            return Ok(target);
        };
        let leader = if f.state.is_up(home) {
            f.believed_leader[home]
        } else {
            f.leader.unwrap_or(home)
        };
        let reachable = leader == home && f.state.is_up(home)
            || f.state.is_up(leader) && !f.state.cut(home, leader);
        if f.detected_down[leader] && !reachable {
            return Err(Rejection::NoLeader);
        }
        Ok(leader)
    }

    /// The first region of population `pop`'s failover order that the controller has not
    /// declared down and the clients' own health checks reach (not cut off from their home).
    fn first_healthy(&self, pop: usize) -> Option<usize> {
        let f = self.failures.as_deref()?;
        let home = self.model.clients[pop].home;
        self.model.clients[pop]
            .failover
            .iter()
            .copied()
            .find(|&r| !f.detected_down[r] && !f.state.cut(home, r))
    }

    /// Where population `pop`'s read (from `session`) goes when the read strategy starts
    /// locally: the local replica, or, when its region is declared down and the clients cannot
    /// reach it either, the first healthy region of the population's failover order (paying
    /// that region's round trip). With sticky sessions a session that moved stays on its new
    /// region while that one is healthy. `Err(retry_after)` when no region is healthy.
    pub(super) fn route_local_read(
        &mut self,
        pop: usize,
        session: u32,
        local: usize,
    ) -> Result<usize, SimDuration> {
        let Some(f) = self.failures.as_deref() else {
            return Ok(local);
        };
        let home = self.model.clients[pop].home;
        let healthy = |r: usize| {
            !f.detected_down[r] || (f.state.is_up(r) && (r == home || !f.state.cut(home, r)))
        };
        if let Some(&pinned) = f.pinned.get(session as usize)
            && pinned != u16::MAX
            && healthy(pinned as usize)
        {
            if let Some(f) = self.failures.as_mut() {
                f.counters.rerouted_reads += 1;
            }
            return Ok(pinned as usize);
        }
        let region = self.replica_region(local);
        if healthy(region) || matches!(self.model.replication, ReplicationModel::Quorum { .. }) {
            return Ok(local);
        }
        let retry_after = self.model.failover.heartbeat_interval;
        let Some(r) = self.first_healthy(pop) else {
            if let Some(f) = self.failures.as_mut() {
                f.counters.reads_region_unavailable += 1;
            }
            return Err(retry_after);
        };
        if let Some(f) = self.failures.as_mut() {
            f.counters.rerouted_reads += 1;
            if let Some(p) = f.pinned.get_mut(session as usize) {
                *p = r as u16;
            }
        }
        Ok(r)
    }

    /// Whether the runbook forces leader reads.
    pub(super) fn force_leader_read(&self) -> bool {
        self.failures
            .as_deref()
            .is_some_and(|f| f.state.toggle(Toggle::ForceLeaderRead))
    }

    /// The leader population `pop`'s reads are sent to when forced to the leader.
    pub(super) fn read_leader(&self, pop: usize, key: u32) -> usize {
        let home = self.model.clients[pop].home;
        match self.failures.as_deref() {
            Some(f) if f.leader.is_some() && f.state.is_up(home) => f.believed_leader[home],
            Some(f) if f.leader.is_some() => f.leader.unwrap_or(home),
            _ => self.write_target(key, home),
        }
    }

    /// Whether region `region` accepts writes as leader now (single leader with failures).
    pub(super) fn leads(&self, region: usize) -> bool {
        match self.failures.as_deref() {
            Some(f) if f.leader.is_some() => f.believed_leader[region] == region,
            _ => true,
        }
    }

    /// Whether a client message from population `pop` to `region` arrives, drawing the link's
    /// loss if it is degraded. Always true without failures.
    pub(super) fn client_message_arrives(&mut self, pop: usize, region: usize) -> bool {
        let home = self.model.clients[pop].home;
        let Some(f) = self.failures.as_deref() else {
            return true;
        };
        let open = f.state.is_up(region) && (region == home || !f.state.cut(home, region));
        let loss = if region == home {
            0.0
        } else {
            f.loss(home, region)
        };
        let arrives = open && !(loss > 0.0 && self.net.chance(loss));
        if !arrives && let Some(f) = self.failures.as_mut() {
            f.counters.messages_lost += 1;
        }
        arrives
    }

    /// Whether a message between regions arrives (both up, not cut, not lost on a degraded
    /// link).
    pub(super) fn region_message_arrives(&mut self, a: usize, b: usize) -> bool {
        let Some(f) = self.failures.as_deref() else {
            return true;
        };
        let loss = f.loss(a, b);
        let arrives = f.state.open(a, b) && !(loss > 0.0 && self.net.chance(loss));
        if !arrives && let Some(f) = self.failures.as_mut() {
            f.counters.messages_lost += 1;
        }
        arrives
    }

    /// Whether replica `replica` is up: its node when it was placed on one, else its region.
    pub(super) fn replica_is_up(&self, replica: usize) -> bool {
        let Some(f) = self.failures.as_deref() else {
            return true;
        };
        match self.model.replica_nodes.get(replica) {
            Some(&node) => f.state.node_is_up(node),
            None => f.state.is_up(self.model.replica_region(replica)),
        }
    }

    /// Whether region `r` is up (always without failures).
    pub(super) fn is_up(&self, r: usize) -> bool {
        self.failures.as_deref().is_none_or(|f| f.state.is_up(r))
    }

    /// The apply delay for a batch arriving at `region` (a lag spike overrides the model's).
    pub(super) fn apply_delay_at(&mut self, region: usize) -> SimDuration {
        let spike: Option<Dist> = self.failures.as_deref().and_then(|f| {
            f.lag_override[region].and_then(|j| match &self.model.faults[j].kind {
                FaultKind::LagSpike { apply_delay, .. } => Some(apply_delay.clone()),
                _ => None,
            })
        });
        match spike {
            Some(d) => d.sample(&mut self.net),
            None => self.model.apply_delay.sample(&mut self.net),
        }
    }

    /// Region `region`'s clock reading now, µs: the clock epoch plus simulated time plus any
    /// skew.
    pub(super) fn clock_at(&self, region: usize) -> u64 {
        let now = self.now().as_micros();
        let Some((offset, drift, since)) = self.failures.as_deref().and_then(|f| f.skew[region])
        else {
            return CLOCK_EPOCH_US + now;
        };
        let drifted = libm::round(now.saturating_sub(since.as_micros()) as f64 * drift * 1e-6);
        ((CLOCK_EPOCH_US + now) as i64 + offset + drifted as i64).max(1) as u64
    }

    // ----- measurements -----

    /// Closes timeline intervals that ended before now.
    #[inline]
    pub(super) fn roll_timeline(&mut self) {
        let now = self.now();
        let needs = self
            .failures
            .as_deref()
            .is_some_and(|f| now >= f.timeline.open_end());
        if needs {
            self.roll_timeline_to(now);
        }
    }

    #[cold]
    #[inline(never)]
    fn roll_timeline_to(&mut self, now: SimTime) {
        let backlog: u64 = self.links.iter().map(|l| l.queue.len() as u64).sum();
        let ids: Vec<String> = self
            .model
            .topology
            .regions()
            .iter()
            .map(|r| r.id.clone())
            .collect();
        let Some(f) = self.failures.as_mut() else {
            return;
        };
        while now >= f.timeline.open_end() {
            let leaders: Vec<String> = (0..f.regions)
                .filter(|&r| f.leader.is_some() && f.state.is_up(r) && f.believed_leader[r] == r)
                .map(|r| ids[r].clone())
                .collect();
            let down: Vec<String> = (0..f.regions)
                .filter(|&r| !f.state.is_up(r))
                .map(|r| ids[r].clone())
                .collect();
            let active = f.state.active.clone();
            f.timeline.close(|iv: &mut Interval| {
                iv.backlog = backlog;
                iv.leaders = leaders;
                iv.down = down;
                iv.active_faults = active;
            });
        }
    }

    /// A write that arrived at `start` was acknowledged after `latency`.
    pub(super) fn note_write_ok(&mut self, start: SimTime, latency: SimDuration) {
        let now = self.now();
        let Some(f) = self.failures.as_mut() else {
            return;
        };
        f.timeline.write_ok(latency);
        for (j, fault) in self.model.faults.iter().enumerate() {
            if !f.write_recovered[j] && fault.start <= start {
                f.write_recovered[j] = true;
                f.outcomes[j].rto_write_ms = Some(now.since(fault.start).as_millis_f64());
            }
        }
    }

    /// A write that arrived at `start` was refused or failed.
    pub(super) fn note_write_lost(&mut self, start: SimTime, rejection: Option<Rejection>) {
        let Some(f) = self.failures.as_mut() else {
            return;
        };
        match rejection {
            Some(r) => {
                f.timeline.open.writes_rejected += 1;
                match r {
                    Rejection::NoLeader => f.counters.writes_rejected_no_leader += 1,
                    Rejection::ReadOnly => f.counters.writes_rejected_readonly += 1,
                    Rejection::NotLeader => f.counters.writes_rejected_not_leader += 1,
                }
            }
            None => f.timeline.open.writes_failed += 1,
        }
        for (j, fault) in self.model.faults.iter().enumerate() {
            if !f.write_recovered[j] && fault.start <= start {
                f.outcomes[j].writes_lost_to_outage += 1;
            }
        }
    }

    /// An operation arrived (timeline attempts).
    pub(super) fn note_arrival(&mut self, is_write: bool) {
        if let Some(f) = self.failures.as_mut() {
            if is_write {
                f.timeline.open.writes += 1;
            } else {
                f.timeline.open.reads += 1;
            }
        }
    }

    /// A read was answered after `latency` with `staleness_us`; `degraded` when its home had no
    /// reachable leader.
    pub(super) fn note_read_ok(&mut self, home: usize, latency: SimDuration, staleness_us: u64) {
        let Some(f) = self.failures.as_mut() else {
            return;
        };
        f.timeline.read_ok(latency, staleness_us);
        if let Some(leader) = f.leader {
            let l = if f.state.is_up(home) {
                f.believed_leader[home]
            } else {
                leader
            };
            if !f.state.is_up(l) || f.state.cut(home, l) {
                f.counters.degraded_reads += 1;
            }
        }
    }

    /// Keeps an example of anomaly `kind` if fewer than a few are kept; `who` names the client
    /// population, or `None` for a write (its region is in the stamp).
    pub(super) fn note_anomaly(
        &mut self,
        kind: &'static str,
        key: u32,
        who: Option<usize>,
        expected: u64,
        seen: u64,
    ) {
        if !self
            .failures
            .as_deref()
            .is_some_and(|f| f.examples.wants(kind))
        {
            return;
        }
        let topo = &self.model.topology;
        let example = AnomalyExample {
            kind: kind.into(),
            at_s: self.now().as_millis_f64() / 1000.0,
            key,
            client: who.map_or_else(
                || String::from("(replication)"),
                |pop| self.model.clients[pop].name.clone(),
            ),
            expected: check::describe_stamp(topo, expected),
            seen: check::describe_stamp(topo, seen),
        };
        if let Some(f) = self.failures.as_mut() {
            f.examples.keep(example);
        }
    }

    /// The failure report, if the run has failures.
    pub(super) fn failure_report(&self) -> Option<FailureReport> {
        let f = self.failures.as_deref()?;
        let mut f = f.clone();
        let now = self.now();
        // Close the partial last interval and the open split-brain window, on the copy.
        if f.timeline.open != Interval::default() || f.timeline.closed.is_empty() {
            let backlog: u64 = self.links.iter().map(|l| l.queue.len() as u64).sum();
            f.timeline.close(|iv| iv.backlog = backlog);
        }
        if let Some(since) = f.split_since {
            f.split_brain_us += now.since(since).as_micros();
        }
        let interval_ms = self.model.timeline_interval.as_millis_f64();
        let latency_bounds: Vec<(bool, f64)> = self
            .model
            .slos
            .iter()
            .filter(|s| s.region.is_none())
            .filter_map(|s| match s.metric {
                crate::sim::SloMetric::ReadLatency => Some((true, s.below_ms)),
                crate::sim::SloMetric::WriteLatency => Some((false, s.below_ms)),
                crate::sim::SloMetric::Staleness
                | crate::sim::SloMetric::Rto
                | crate::sim::SloMetric::Rpo => None,
            })
            .collect();
        let healthy = |iv: &Interval| {
            iv.reads_failed == 0
                && iv.writes_failed == 0
                && iv.writes_rejected == 0
                && latency_bounds.iter().all(|&(read, bound)| {
                    if read {
                        iv.read_p95_ms < bound
                    } else {
                        iv.write_p95_ms < bound
                    }
                })
        };
        for (j, fault) in self.model.faults.iter().enumerate() {
            // From the start, past the first interval the fault hurt, to the end of the first
            // healthy one after it (0 when it never hurt).
            let start_ms = fault.start.as_millis_f64();
            let after: Vec<&Interval> = f
                .timeline
                .closed
                .iter()
                .filter(|iv| (iv.start_s * 1000.0 + interval_ms) > start_ms)
                .collect();
            let first_hurt = after.iter().position(|iv| !healthy(iv));
            f.outcomes[j].rto_slo_ms = match first_hurt {
                None => Some(0.0),
                Some(h) => after[h..]
                    .iter()
                    .find(|iv| healthy(iv) && iv.reads_ok + iv.writes_ok > 0)
                    .map(|iv| iv.start_s * 1000.0 + interval_ms - start_ms),
            };
        }
        Some(FailureReport {
            policy: self.model.failover.policy.name().into(),
            faults: f.outcomes,
            rpo: f.rpo,
            split_brain_ms: f.split_brain_us as f64 / 1000.0,
            counters: f.counters,
            log: f.log,
            anomalies: {
                let mut all = f.examples.into_vec();
                all.extend(check::wallet_examples(&self.entities, &self.keys, now));
                all
            },
            interval_s: interval_ms / 1000.0,
            timeline: f.timeline.closed,
        })
    }
}
