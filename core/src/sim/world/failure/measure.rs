//! Measurements only failures produce: the timeline, RTO bookkeeping, failure counters,
//! anomaly examples, and the failure report.

use alloc::string::String;
use alloc::vec::Vec;

use super::super::Simulation;
use super::Rejection;
use crate::conflict::Stamp;
use crate::sim::check::{self};
use crate::sim::timeline::{AnomalyExample, ClientRoute, FailureReport, Interval};
use crate::time::{SimDuration, SimTime};

impl Simulation {
    /// Closes timeline intervals that ended before now.
    #[inline]
    pub(in crate::sim::world) fn roll_timeline(&mut self) {
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
    pub(super) fn roll_timeline_to(&mut self, now: SimTime) {
        let backlog: u64 = self.links.iter().map(|l| l.queue.len() as u64).sum();
        let ids: Vec<String> = self
            .model
            .topology
            .regions()
            .iter()
            .map(|r| r.id.clone())
            .collect();
        let routes: Vec<ClientRoute> = (0..self.model.clients.len())
            .map(|pop| {
                let (reads, writes) = self.routes_now(pop);
                ClientRoute {
                    client: self.model.clients[pop].name.clone(),
                    reads: reads.map(|r| ids[r].clone()),
                    writes: writes.map(|r| ids[r].clone()),
                }
            })
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
                iv.routes = routes.clone();
            });
        }
    }

    /// A write that arrived at `start` was acknowledged after `latency`.
    pub(in crate::sim::world) fn note_write_ok(&mut self, start: SimTime, latency: SimDuration) {
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
    pub(in crate::sim::world) fn note_write_lost(
        &mut self,
        start: SimTime,
        rejection: Option<Rejection>,
    ) {
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
    pub(in crate::sim::world) fn note_arrival(&mut self, is_write: bool) {
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
    pub(in crate::sim::world) fn note_read_ok(
        &mut self,
        home: usize,
        latency: SimDuration,
        staleness_us: u64,
    ) {
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
    pub(in crate::sim::world) fn note_anomaly(
        &mut self,
        kind: &'static str,
        key: u32,
        who: Option<usize>,
        expected: Stamp,
        seen: Stamp,
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
    pub(in crate::sim::world) fn failure_report(&self) -> Option<FailureReport> {
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
