//! The simulated world: its state and the event loop. Clients issue reads and writes, writes
//! commit at their target and replicate through per-link agents, reads are served according to
//! the read strategy and measured for latency and staleness.
//!
//! The handlers are split by concern: [`write`] (writes through a leader, owner or local leader),
//! [`replicate`] (the replication agents and applying writes at replicas), [`read`] (the read
//! strategies) and [`quorum`] (leaderless quorum reads and writes).

use alloc::boxed::Box;
use alloc::vec::Vec;

use super::agent::Link;
use super::check::{self, SessionChecker};
use super::fault::LwwClock;
use super::history::HistoryEvent;
use super::keys::KeyTable;
use super::model::{Model, PartitionBy, ReplicationModel};
use super::ops::{Op, OpId, OpSlab};
use super::policy::Entities;
use super::report::{Counters, Metrics, Report};
use super::workload::Workload;
use crate::conflict::Stamp;
use crate::engine::EventQueue;
use crate::rng::SimRng;
use crate::time::{SimDuration, SimTime};

mod failure;
mod quorum;
mod read;
mod replicate;
mod write;

use failure::Failures;

#[derive(Debug, Clone, Copy)]
enum Ev {
    Arrival {
        pop: u16,
    },
    WriteAtTarget {
        op: OpId,
        attempt: u8,
    },
    WriteResponse {
        op: OpId,
        attempt: u8,
    },
    WriteTimeout {
        op: OpId,
        attempt: u8,
    },
    Flush {
        link: u32,
        epoch: u32,
    },
    Apply {
        link: u32,
        count: u32,
        delivered: bool,
        generation: u32,
    },
    /// A follower applied `stamp`, the write `op` is waiting on.
    Ack {
        op: OpId,
        stamp: Stamp,
    },
    ReadAt {
        op: OpId,
        replica: u16,
    },
    QuorumWriteAt {
        op: OpId,
        replica: u16,
    },
    QuorumCommit {
        op: OpId,
    },
    QuorumReadAt {
        op: OpId,
        replica: u16,
    },
    /// The client, told by its replica that a session read would break the guarantee, retries
    /// it as a quorum read that overlaps every write quorum.
    QuorumReadRetry {
        op: OpId,
    },
    // ----- only in runs with failures -----
    FaultStart {
        fault: u16,
    },
    FaultEnd {
        fault: u16,
    },
    /// The controller's failure detector declares `region` down (unless `epoch` is stale).
    Detect {
        region: u16,
        epoch: u32,
    },
    /// The controller hears `region` again.
    Recover {
        region: u16,
        epoch: u32,
    },
    /// A promotion completes: `to`, or the best follower when `to` is `u16::MAX`.
    Promote {
        to: u16,
        epoch: u32,
    },
    /// A read's deadline passed.
    ReadTimeout {
        op: OpId,
    },
    /// A client retries a read after a "region unavailable" answer.
    ReadRetry {
        op: OpId,
    },
    /// A write refused at once reaches its client.
    WriteRejected {
        op: OpId,
        reason: failure::Rejection,
    },
}

/// A running simulation of one [`Model`].
///
/// Drive it with [`Simulation::step`], [`Simulation::run_until`] (for chunked runs that report
/// progress or yield to a UI) or [`Simulation::run`], then read [`Simulation::report`]. The same
/// model (including its seed) always produces the same report.
#[derive(Debug, Clone)]
pub struct Simulation {
    model: Model,
    queue: EventQueue<Ev>,
    net: SimRng,
    workload: Workload,
    keys: KeyTable,
    links: Vec<Link>,
    replicas: usize,
    /// Per region, the replica its clients read locally (see [`read::nearest_replicas`]).
    local_replica: Vec<usize>,
    hlc: Vec<u64>,
    ops: OpSlab,
    sessions: SessionChecker,
    entities: Entities,
    metrics: Metrics,
    counters: Counters,
    events: u64,
    /// Faults, failover and their measurements; `None` in a run without faults.
    failures: Option<Box<Failures>>,
    /// The run's history, when asked for (see [`Simulation::record_history`]).
    history: Option<Vec<HistoryEvent>>,
}

impl Simulation {
    /// Prepares a run of `model`: schedules each population's first arrival.
    pub fn new(model: Model) -> Self {
        let replicas = model.replica_count();
        let regions = model.topology.region_count();
        let mut links = Vec::with_capacity(replicas * replicas);
        for from in 0..replicas {
            for to in 0..replicas {
                links.push(Link::new(from, to));
            }
        }
        let mut keys = KeyTable::new(replicas, model.keys as usize);
        let entities = Entities::open(&model, &mut keys);
        let mut sim = Simulation {
            queue: EventQueue::new(),
            net: SimRng::fork(model.seed, 0),
            workload: Workload::new(&model),
            keys,
            links,
            replicas,
            local_replica: read::nearest_replicas(&model),
            hlc: alloc::vec![0; regions],
            ops: OpSlab::default(),
            sessions: SessionChecker::new(model.clients.len() * model.sessions_per_client as usize),
            entities,
            metrics: Metrics::new(regions),
            counters: Counters::default(),
            events: 0,
            failures: Failures::for_model(&model),
            history: None,
            model,
        };
        for pop in 0..sim.model.clients.len() {
            sim.schedule_arrival(pop);
        }
        if sim.failures.is_some() {
            sim.schedule_faults();
        }
        sim
    }

    /// Starts recording the run's history (client operations, commits, applications; see
    /// [`HistoryEvent`]). Memory then grows with the number of requests, so call it only for
    /// runs meant to be checked event by event; call it before the first step.
    pub fn record_history(&mut self) {
        self.history.get_or_insert_with(Vec::new);
    }

    /// The history recorded so far (empty unless [`Simulation::record_history`] was called).
    pub fn history(&self) -> &[HistoryEvent] {
        self.history.as_deref().unwrap_or(&[])
    }

    /// Keys whose replicas do not all hold the same write (after a run drains and every fault
    /// has healed, 0 means the replicas converged).
    pub fn divergent_keys(&self) -> u32 {
        self.keys.divergent_keys()
    }

    /// The last-write-wins stamp `replica` holds for `key` (0 = the initial value), as in the
    /// history's events; for checks of a finished run against its history.
    pub fn held_stamp(&self, replica: usize, key: u32) -> u64 {
        self.keys.held(replica, key).stamp.to_bits()
    }

    /// The model being run.
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// Current simulated time.
    pub fn now(&self) -> SimTime {
        self.queue.now()
    }

    /// Share of the arrival period simulated so far, 0 to 1 (draining after the period counts as
    /// 1).
    pub fn progress(&self) -> f64 {
        let d = self.model.duration.as_micros().max(1);
        (self.now().as_micros() as f64 / d as f64).min(1.0)
    }

    /// When the next event is due, or `None` when every event has run.
    pub fn next_event_time(&self) -> Option<SimTime> {
        self.queue.peek_time()
    }

    /// Whether every event has run.
    pub fn is_finished(&self) -> bool {
        self.queue.is_empty()
    }

    /// Runs the next event; returns `false` when none is left.
    pub fn step(&mut self) -> bool {
        match self.queue.pop() {
            Some((_, ev)) => {
                self.events += 1;
                self.handle(ev);
                true
            }
            None => false,
        }
    }

    /// Runs every event up to and including `until`.
    pub fn run_until(&mut self, until: SimTime) {
        while let Some((_, ev)) = self.queue.pop_until(until) {
            self.events += 1;
            self.handle(ev);
        }
    }

    /// Runs to completion (arrivals stop at the model's duration; in-flight work drains).
    pub fn run(&mut self) {
        while self.step() {}
    }

    /// The histograms behind the report (see [`Simulation::histograms`]).
    pub(crate) fn metrics(&self) -> &Metrics {
        &self.metrics
    }

    /// The report of everything simulated so far.
    pub fn report(&self) -> Report {
        let mut report = Report::build(
            &self.model,
            &self.metrics,
            &self.counters,
            self.events,
            self.now(),
        );
        report.entities = check::entity_reports(&self.entities, &self.keys);
        report.failures = self.failure_report();
        report.judge_recovery(&self.model);
        report
    }

    /// [`Self::report`] carrying its histograms ([`Self::histograms`]), for a front end that
    /// draws them from the report alone (`meridian run --json --histograms`).
    pub fn report_with_histograms(&self) -> Report {
        Report {
            histograms: Some(self.histograms()),
            ..self.report()
        }
    }

    // ----- event dispatch -----

    fn handle(&mut self, ev: Ev) {
        if self.failures.is_some() {
            self.roll_timeline();
        }
        match ev {
            Ev::Arrival { pop } => self.on_arrival(pop as usize),
            Ev::WriteAtTarget { op, attempt } => self.on_write_at_target(op, attempt),
            Ev::WriteResponse { op, attempt } => self.on_write_response(op, attempt),
            Ev::WriteTimeout { op, attempt } => self.on_write_timeout(op, attempt),
            Ev::Flush { link, epoch } => self.on_flush(link as usize, epoch),
            Ev::Apply {
                link,
                count,
                delivered,
                generation,
            } => self.on_apply(link as usize, count, delivered, generation),
            Ev::Ack { op, stamp } => self.on_ack(op, stamp),
            Ev::ReadAt { op, replica } => self.on_read_at(op, replica as usize),
            Ev::QuorumWriteAt { op, replica } => self.on_quorum_write_at(op, replica as usize),
            Ev::QuorumCommit { op } => self.on_quorum_commit(op),
            Ev::QuorumReadAt { op, replica } => self.on_quorum_read_at(op, replica as usize),
            Ev::QuorumReadRetry { op } => self.start_quorum_read(op, self.overlapping_r()),
            Ev::FaultStart { fault } => self.on_fault_start(fault as usize),
            Ev::FaultEnd { fault } => self.on_fault_end(fault as usize),
            Ev::Detect { region, epoch } => self.on_detect(region as usize, epoch),
            Ev::Recover { region, epoch } => self.on_recover(region as usize, epoch),
            Ev::Promote { to, epoch } => self.on_promote(to, epoch),
            Ev::ReadTimeout { op } => self.on_read_timeout(op),
            Ev::ReadRetry { op } => self.send_read(op),
            Ev::WriteRejected { op, reason } => self.on_write_rejected(op, reason),
        }
    }

    fn on_arrival(&mut self, pop: usize) {
        let now = self.now();
        self.schedule_arrival(pop);
        let request = self.workload.draw_request(&self.model, pop);
        if !request.is_write && self.failures.is_some() && self.shed_read(request.key) {
            return;
        }
        let seq = self.counters.reads + self.counters.writes;
        if let Some(h) = self.history.as_mut() {
            h.push(HistoryEvent::Invoke {
                at_us: now.as_micros(),
                op: seq,
                write: request.is_write,
                key: request.key,
                pop: pop as u16,
            });
        }
        let id = self.ops.alloc(Op {
            pop: pop as u16,
            seq,
            session: request.session,
            key: request.key,
            start: now,
            ..Op::default()
        });
        if self.failures.is_some() {
            self.note_arrival(request.is_write);
        }
        if request.is_write {
            self.counters.writes += 1;
            if matches!(self.model.replication, ReplicationModel::Quorum { .. }) {
                self.start_quorum_write(id);
            } else {
                self.send_write_attempt(id, 1);
            }
        } else {
            self.counters.reads += 1;
            self.start_read(id);
        }
    }

    // ----- helpers shared by the handlers -----

    /// Schedules population `pop`'s next arrival of its Poisson process.
    fn schedule_arrival(&mut self, pop: usize) {
        if let Some(at) = self.workload.next_arrival(&self.model, pop) {
            self.queue.schedule(at, Ev::Arrival { pop: pop as u16 });
        }
    }

    /// Records `event` if the history is on.
    #[inline]
    fn remember(&mut self, event: impl FnOnce() -> HistoryEvent) {
        if let Some(h) = self.history.as_mut() {
            h.push(event());
        }
    }

    fn op(&mut self, id: OpId) -> Option<&mut Op> {
        self.ops.get_mut(id)
    }

    fn free_op(&mut self, id: OpId) {
        self.ops.free(id);
    }

    /// One-way delay from population `pop`'s clients to region `region` (through their home).
    fn client_to_region(&mut self, pop: usize, region: usize) -> SimDuration {
        let c = &self.model.clients[pop];
        let access = SimDuration::from_millis_f64(c.access_rtt.sample_ms(&mut self.net) * 0.5);
        if region == c.home {
            access
        } else {
            access + self.model.topology.one_way(c.home, region, &mut self.net)
        }
    }

    fn region_one_way(&mut self, a: usize, b: usize) -> SimDuration {
        let d = self.model.topology.one_way(a, b, &mut self.net);
        match self.failures.as_deref() {
            Some(f) => d + f.extra_one_way(a, b),
            None => d,
        }
    }

    fn replica_region(&self, replica: usize) -> usize {
        self.model.replica_region(replica)
    }

    /// The region that accepts writes of `key` for clients homed at `home`.
    fn write_target(&self, key: u32, home: usize) -> usize {
        match &self.model.replication {
            ReplicationModel::SingleLeader { leader, .. } => *leader,
            ReplicationModel::MultiLeader | ReplicationModel::Quorum { .. } => home,
            ReplicationModel::Partitioned { by, owners } => {
                let slot = match by {
                    PartitionBy::KeyRange {} => {
                        (u64::from(key) * owners.len() as u64 / u64::from(self.model.keys)) as usize
                    }
                    PartitionBy::Tenant { tenants } => (key % tenants) as usize % owners.len(),
                };
                owners[slot.min(owners.len() - 1)]
            }
        }
    }

    /// Next hybrid-clock stamp at `region`: physical µs, bumped past anything seen there.
    ///
    /// With failures, the region's clock may be skewed, and under physical-time last-write-wins
    /// the stamp is the clock reading alone (never bumped past what the region has seen).
    fn next_stamp(&mut self, region: usize) -> Stamp {
        let now = if self.failures.is_some() {
            self.clock_at(region)
        } else {
            self.now().as_micros()
        };
        if self.model.lww_clock == LwwClock::Physical {
            return Stamp::new(now, region);
        }
        let h = &mut self.hlc[region];
        *h = (*h + 1).max(now);
        Stamp::new(*h, region)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Scenario;

    pub(super) fn preset(name: &str) -> Simulation {
        Simulation::new(Scenario::preset(name).unwrap().validate().unwrap())
    }

    #[test]
    fn stepping_follows_the_event_queue() {
        let mut sim = preset("sg-us-wallet");
        let first = sim.next_event_time().expect("a first arrival");
        assert!(sim.step());
        assert_eq!(sim.now(), first);
        let one_second = SimTime::ZERO + SimDuration::from_secs(1);
        sim.run_until(one_second);
        assert!(sim.now() <= one_second);
        assert!(sim.next_event_time().unwrap() > one_second);
        sim.run();
        assert!(sim.is_finished());
        assert_eq!(sim.next_event_time(), None);
        assert_eq!(sim.progress(), 1.0);
        assert!(!sim.step());
    }
}
