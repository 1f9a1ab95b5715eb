//! The simulated world and its event handlers: clients issue reads and writes, writes commit at
//! their target and replicate through per-link agents, reads are served according to the read
//! strategy and measured for latency and staleness.

use alloc::vec;
use alloc::vec::Vec;

use super::agent::{InFlight, Link};
use super::keys::{Held, KeyTable, Lag};
use super::model::PartitionBy;
use super::model::{Model, ReplicationModel};
use super::policy::EntityPolicy;
use super::report::{Counters, EntityReport, Metrics, Report};
use super::strategy::{OnViolation, ReadStrategy, SessionGuarantee};
use super::workload::Popularity;
use crate::engine::EventQueue;
use crate::rng::SimRng;
use crate::time::{SimDuration, SimTime};

/// A handle to an operation slot, with a generation so stale events are recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct OpId {
    slot: u32,
    generation: u32,
}

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
    },
    /// A follower applied `stamp`, the write `op` is waiting on.
    Ack {
        op: OpId,
        stamp: u64,
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
}

/// Where a read is in its strategy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum ReadStage {
    /// At the local replica; the strategy may still redirect it.
    #[default]
    Local,
    /// Redirected to (or sent directly to) a replica that serves it as is.
    Final,
}

#[derive(Debug, Clone, Copy, Default)]
struct Op {
    generation: u32,
    live: bool,
    pop: u16,
    session: u32,
    key: u32,
    start: SimTime,
    // Writes.
    attempt: u8,
    target: u16,
    applied: Option<Held>,
    acks: u16,
    acks_needed: u16,
    committed: bool,
    client_done: bool,
    respond_attempt: u8,
    // Reads.
    stage: ReadStage,
    waited_us: u64,
    // Quorum operations.
    q_remaining: u16,
    q_best: Held,
    q_best_lag: Lag,
    q_end: SimTime,
}

/// What a client session remembers: its latest completed write and read (key, stamp, and when
/// the client saw it complete). Guarantees are judged per key against these.
#[derive(Debug, Clone, Copy)]
struct Session {
    last_write_key: u32,
    last_write_stamp: u64,
    last_write_done: SimTime,
    last_read_key: u32,
    last_read_stamp: u64,
    last_read_done: SimTime,
}

const NONE_KEY: u32 = u32::MAX;

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
    arrivals: Vec<SimRng>,
    /// Exact time of each population's latest arrival, in µs (events are scheduled at the whole
    /// µs, but gaps accumulate unrounded so high rates keep their mean).
    arrival_clock_us: Vec<f64>,
    zipf_cdf: Vec<f64>,
    keys: KeyTable,
    links: Vec<Link>,
    replicas: usize,
    /// Per region, the replica its clients read locally (see [`nearest_replicas`]).
    local_replica: Vec<usize>,
    hlc: Vec<u64>,
    ops: Vec<Op>,
    free: Vec<u32>,
    sessions: Vec<Session>,
    metrics: Metrics,
    counters: Counters,
    events: u64,
    entity_stats: Vec<EntityStats>,
    /// Accepted charges per key (wallet entities).
    charged: Vec<i64>,
    /// Escrow rights per region and key (regions × keys; empty without escrow entities).
    rights: Vec<i64>,
}

#[derive(Debug, Clone, Copy, Default)]
struct EntityStats {
    writes: u64,
    conflicts: u64,
    discarded_writes: u64,
    accepted_charges: u64,
    refused_charges: u64,
}

impl Simulation {
    /// Prepares a run of `model`: schedules each population's first arrival.
    pub fn new(model: Model) -> Self {
        let replicas = model.replica_count();
        let regions = model.topology.region_count();
        let zipf_cdf = match model.popularity {
            Popularity::Uniform {} => Vec::new(),
            Popularity::Zipf { s } => {
                let mut acc = 0.0;
                let mut cdf: Vec<f64> = (1..=model.keys)
                    .map(|k| {
                        acc += 1.0 / libm::pow(f64::from(k), s);
                        acc
                    })
                    .collect();
                for c in &mut cdf {
                    *c /= acc;
                }
                cdf
            }
        };
        let mut links = Vec::with_capacity(replicas * replicas);
        for from in 0..replicas {
            for to in 0..replicas {
                links.push(Link::new(from, to));
            }
        }
        let mut sim = Simulation {
            queue: EventQueue::new(),
            net: SimRng::fork(model.seed, 0),
            arrivals: (0..model.clients.len())
                .map(|p| SimRng::fork(model.seed, 1 + p as u64))
                .collect(),
            arrival_clock_us: vec![0.0; model.clients.len()],
            zipf_cdf,
            keys: KeyTable::new(replicas, model.keys as usize),
            links,
            replicas,
            local_replica: nearest_replicas(&model),
            hlc: vec![0; regions],
            ops: Vec::new(),
            free: Vec::new(),
            sessions: vec![
                Session {
                    last_write_key: NONE_KEY,
                    last_write_stamp: 0,
                    last_write_done: SimTime::ZERO,
                    last_read_key: NONE_KEY,
                    last_read_stamp: 0,
                    last_read_done: SimTime::ZERO,
                };
                model.clients.len() * model.sessions_per_client as usize
            ],
            metrics: Metrics::new(regions),
            counters: Counters::default(),
            events: 0,
            entity_stats: vec![EntityStats::default(); model.entities.len()],
            charged: if model.entities.iter().any(|e| e.policy.wallet().is_some()) {
                vec![0; model.keys as usize]
            } else {
                Vec::new()
            },
            rights: if model
                .entities
                .iter()
                .any(|e| matches!(e.policy, EntityPolicy::Escrow { .. }))
            {
                vec![0; regions * model.keys as usize]
            } else {
                Vec::new()
            },
            model,
        };
        // Open every wallet: its balance at every replica, and for escrow its rights split
        // evenly between the regions (the first regions take the remainder).
        for e in sim.model.entities.clone() {
            let Some((initial, _)) = e.policy.wallet() else {
                continue;
            };
            for key in e.first_key..e.end_key {
                sim.keys.set_initial_value(key, i64::from(initial));
                if let EntityPolicy::Escrow { .. } = e.policy {
                    let share = i64::from(initial) / regions as i64;
                    let rest = i64::from(initial) % regions as i64;
                    for r in 0..regions {
                        sim.rights[r * sim.model.keys as usize + key as usize] =
                            share + i64::from((r as i64) < rest);
                    }
                }
            }
        }
        for pop in 0..sim.model.clients.len() {
            sim.schedule_arrival(pop);
        }
        sim
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

    /// The report of everything simulated so far.
    pub fn report(&self) -> Report {
        let mut report = Report::build(
            &self.model,
            &self.metrics,
            &self.counters,
            self.events,
            self.now(),
        );
        report.entities = self.entity_reports();
        report
    }

    // ----- scheduling helpers -----

    /// Schedules population `pop`'s next arrival of its Poisson process.
    fn schedule_arrival(&mut self, pop: usize) {
        let rate = self.model.clients[pop].rate_per_s;
        if rate <= 0.0 {
            return;
        }
        let rng = &mut self.arrivals[pop];
        let gap_us = -libm::log(rng.next_f64_nonzero()) / rate * 1e6;
        let clock = &mut self.arrival_clock_us[pop];
        *clock += gap_us;
        let at = SimTime::ZERO + SimDuration::from_micros(libm::floor(*clock) as u64);
        if *clock <= self.model.duration.as_micros() as f64 {
            self.queue.schedule(at, Ev::Arrival { pop: pop as u16 });
        }
    }

    fn alloc_op(&mut self, op: Op) -> OpId {
        if let Some(slot) = self.free.pop() {
            let generation = self.ops[slot as usize].generation.wrapping_add(1);
            self.ops[slot as usize] = Op {
                generation,
                live: true,
                ..op
            };
            OpId { slot, generation }
        } else {
            let slot = self.ops.len() as u32;
            self.ops.push(Op {
                generation: 0,
                live: true,
                ..op
            });
            OpId {
                slot,
                generation: 0,
            }
        }
    }

    fn op(&mut self, id: OpId) -> Option<&mut Op> {
        let op = self.ops.get_mut(id.slot as usize)?;
        (op.live && op.generation == id.generation).then_some(op)
    }

    fn free_op(&mut self, id: OpId) {
        if let Some(op) = self.op(id) {
            op.live = false;
            self.free.push(id.slot);
        }
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
        self.model.topology.one_way(a, b, &mut self.net)
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
    fn next_stamp(&mut self, region: usize) -> u64 {
        let now = self.now().as_micros();
        let h = &mut self.hlc[region];
        *h = (*h + 1).max(now);
        (*h << 5) | region as u64
    }

    fn choose_key(&mut self, pop: usize) -> u32 {
        let rng = &mut self.arrivals[pop];
        if self.zipf_cdf.is_empty() {
            rng.below(u64::from(self.model.keys)) as u32
        } else {
            let u = rng.next_f64();
            self.zipf_cdf
                .partition_point(|&c| c < u)
                .min(self.zipf_cdf.len() - 1) as u32
        }
    }

    // ----- event dispatch -----

    fn handle(&mut self, ev: Ev) {
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
            } => self.on_apply(link as usize, count, delivered),
            Ev::Ack { op, stamp } => self.on_ack(op, stamp),
            Ev::ReadAt { op, replica } => self.on_read_at(op, replica as usize),
            Ev::QuorumWriteAt { op, replica } => self.on_quorum_write_at(op, replica as usize),
            Ev::QuorumCommit { op } => self.on_quorum_commit(op),
            Ev::QuorumReadAt { op, replica } => self.on_quorum_read_at(op, replica as usize),
            Ev::QuorumReadRetry { op } => self.start_quorum_read(op, self.overlapping_r()),
        }
    }

    fn on_arrival(&mut self, pop: usize) {
        let now = self.now();
        self.schedule_arrival(pop);
        let is_write = !self.arrivals[pop].chance(self.model.read_fraction);
        let key = self.choose_key(pop);
        let spc = self.model.sessions_per_client;
        let session = pop as u32 * spc + self.arrivals[pop].below(u64::from(spc)) as u32;
        let op = Op {
            pop: pop as u16,
            session,
            key,
            start: now,
            ..Op::default()
        };
        let id = self.alloc_op(op);
        if is_write {
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

    // ----- writes through a leader, owner or local leader -----

    fn send_write_attempt(&mut self, id: OpId, attempt: u8) {
        let Some(op) = self.op(id) else { return };
        let (pop, key) = (op.pop as usize, op.key);
        let home = self.model.clients[pop].home;
        let target = self.write_target(key, home);
        let now = self.now();
        let travel = self.client_to_region(pop, target);
        let deadline = SimDuration::from_millis_f64(self.model.writes.deadline_ms);
        if let Some(op) = self.op(id) {
            op.attempt = attempt;
            op.target = target as u16;
        }
        self.queue
            .schedule(now + travel, Ev::WriteAtTarget { op: id, attempt });
        self.queue
            .schedule(now + deadline, Ev::WriteTimeout { op: id, attempt });
    }

    fn on_write_at_target(&mut self, id: OpId, attempt: u8) {
        let idempotent = self.model.writes.idempotency_keys;
        let acks_needed = match self.model.replication {
            ReplicationModel::SingleLeader { acks_needed, .. } => acks_needed as u16,
            _ => 0,
        };
        let Some(op) = self.op(id) else { return };
        let (key, target) = (op.key, op.target as usize);
        let previously = op.applied;
        op.respond_attempt = attempt;
        if let (Some(_), true) = (previously, idempotent) {
            // A retry of a write already applied: the idempotency key returns the first result.
            self.counters.idempotent_retries += 1;
            let committed = self.op(id).is_some_and(|o| o.committed);
            if committed {
                self.respond_write(id);
            }
            return;
        }
        if previously.is_some() {
            // No idempotency key: the retry is applied a second time (a double charge).
            self.counters.duplicate_applies += 1;
        }
        let current = self.keys.held(target, key);
        let mut write = Held {
            stamp: self.next_stamp(target),
            index: self.keys.next_index(key),
            base: current.index,
            ..Held::default()
        };
        let entity = self.entity_of(key);
        if let Some(e) = entity {
            self.entity_stats[e].writes += 1;
            match self.model.entities[e].policy {
                EntityPolicy::Lww => {}
                EntityPolicy::FieldMerge { fields } => {
                    write.field = self.net.below(u64::from(fields)) as u8;
                }
                policy => {
                    let max_charge = policy.wallet().map_or(1, |w| w.1);
                    let amount = 1 + self.net.below(u64::from(max_charge)) as i64;
                    let region = self.replica_region(target);
                    let funds = match policy {
                        EntityPolicy::Escrow { .. } => {
                            self.rights[region * self.model.keys as usize + key as usize]
                        }
                        _ => current.value,
                    };
                    if funds < amount {
                        // Refused by the local check: nothing is written or replicated.
                        self.entity_stats[e].refused_charges += 1;
                        if let Some(op) = self.op(id) {
                            op.applied = Some(current);
                            op.committed = true;
                        }
                        self.respond_write(id);
                        return;
                    }
                    self.entity_stats[e].accepted_charges += 1;
                    self.charged[key as usize] += amount;
                    write.value = match policy {
                        EntityPolicy::LwwBalance { .. } => current.value - amount,
                        _ => -amount,
                    };
                    if let EntityPolicy::Escrow { .. } = policy {
                        self.rights[region * self.model.keys as usize + key as usize] -= amount;
                    }
                }
            }
        }
        self.apply_at(target, key, write);
        let now_us = self.now().as_micros();
        if let Some(op) = self.op(id) {
            op.applied = Some(write);
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
                    ack_op: (acks_needed > 0).then_some(id),
                };
                self.enqueue(target * self.replicas + to, w);
            }
        }
        if acks_needed == 0 {
            self.commit_write(id);
        }
    }

    fn commit_write(&mut self, id: OpId) {
        let now_us = self.now().as_micros();
        let Some(op) = self.op(id) else { return };
        let Some(write) = op.applied else { return };
        op.committed = true;
        let key = op.key;
        self.keys.commit(key, write, now_us);
        self.respond_write(id);
    }

    fn respond_write(&mut self, id: OpId) {
        let Some(op) = self.op(id) else { return };
        let (pop, target, attempt) = (op.pop as usize, op.target as usize, op.respond_attempt);
        let back = self.client_to_region(pop, target);
        let now = self.now();
        self.queue
            .schedule(now + back, Ev::WriteResponse { op: id, attempt });
    }

    fn on_write_response(&mut self, id: OpId, attempt: u8) {
        let now = self.now();
        let Some(op) = self.op(id) else { return };
        if op.client_done || attempt != op.attempt {
            return; // the client already gave up on this attempt
        }
        op.client_done = true;
        let (pop, key, session, start) = (op.pop as usize, op.key, op.session, op.start);
        let stamp = op.applied.map_or(0, |w| w.stamp);
        let home = self.model.clients[pop].home;
        self.metrics.record_write(home, now.since(start));
        let s = &mut self.sessions[session as usize];
        s.last_write_key = key;
        s.last_write_stamp = stamp;
        s.last_write_done = now;
        self.free_op(id);
    }

    fn on_write_timeout(&mut self, id: OpId, attempt: u8) {
        let max_attempts = self.model.writes.max_attempts;
        let Some(op) = self.op(id) else { return };
        if op.client_done || attempt != op.attempt {
            return;
        }
        self.counters.write_timeouts += 1;
        if u32::from(attempt) >= max_attempts {
            self.counters.write_failures += 1;
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
    fn on_ack(&mut self, id: OpId, stamp: u64) {
        let Some(op) = self.op(id) else { return };
        if op.committed || op.applied.map(|w| w.stamp) != Some(stamp) {
            return;
        }
        op.acks += 1;
        if op.acks >= op.acks_needed {
            let done = op.client_done;
            self.commit_write(id);
            if done {
                self.free_op(id);
            }
        }
    }

    // ----- replication agent -----

    fn enqueue(&mut self, link_ix: usize, w: InFlight) {
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

    fn on_flush(&mut self, link_ix: usize, epoch: u32) {
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
    fn flush(&mut self, link_ix: usize) {
        let (from, to, count) = {
            let l = &mut self.links[link_ix];
            let c = l.pending;
            l.pending = 0;
            l.epoch = l.epoch.wrapping_add(1);
            l.timer_armed = false;
            (l.from_replica, l.to_replica, c)
        };
        let (a, b) = (self.replica_region(from), self.replica_region(to));
        let loss = self.model.agent.loss_probability;
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
            t = t + self.region_one_way(a, b) + self.model.apply_delay.sample(&mut self.net);
            delivered = true;
            break;
        }
        if !delivered {
            self.counters.batch_drops += 1;
        }
        let link = &mut self.links[link_ix];
        let at = t.max(link.last_arrival);
        link.last_arrival = at;
        self.queue.schedule(
            at,
            Ev::Apply {
                link: link_ix as u32,
                count,
                delivered,
            },
        );
    }

    fn on_apply(&mut self, link_ix: usize, count: u32, delivered: bool) {
        let to = self.links[link_ix].to_replica;
        let from_region = self.replica_region(self.links[link_ix].from_replica);
        let to_region = self.replica_region(to);
        for _ in 0..count {
            let Some(w) = self.links[link_ix].queue.pop_front() else {
                break;
            };
            if !delivered {
                self.counters.writes_lost_in_transit += 1;
                continue;
            }
            self.apply_at(to, w.key, w.write);
            if let Some(op) = w.ack_op {
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
    fn apply_at(&mut self, replica: usize, key: u32, write: Held) {
        let region = self.replica_region(replica);
        let seen = write.stamp >> 5;
        if seen > self.hlc[region] {
            self.hlc[region] = seen;
        }
        let entity = self.entity_of(key);
        let policy = entity.map(|e| self.model.entities[e].policy);
        if matches!(
            policy,
            Some(EntityPolicy::CounterBalance { .. } | EntityPolicy::Escrow { .. })
        ) {
            self.keys.add_delta(replica, key, write);
            return;
        }
        let current = self.keys.held(replica, key);
        let mut concurrent = current.index != 0
            && current.index != write.index
            && current.index > write.base
            && write.index > current.base;
        if concurrent
            && matches!(policy, Some(EntityPolicy::FieldMerge { .. }))
            && current.field != write.field
        {
            // Different fields: both changes are kept, no conflict.
            concurrent = false;
        }
        let won = self.keys.apply(replica, key, write).is_some();
        if concurrent {
            self.counters.conflicts += 1;
            if won {
                self.counters.overwritten_by_lww += 1;
            } else {
                self.counters.discarded_by_lww += 1;
            }
            if let Some(e) = entity {
                self.entity_stats[e].conflicts += 1;
                self.entity_stats[e].discarded_writes += 1;
            }
        }
    }

    /// The entity type owning `key`, if any.
    fn entity_of(&self, key: u32) -> Option<usize> {
        self.model
            .entities
            .iter()
            .position(|e| (e.first_key..e.end_key).contains(&key))
    }

    /// Per entity type: counts, and for wallets the reconciliation of accepted charges against
    /// the converged balance.
    fn entity_reports(&self) -> Vec<EntityReport> {
        self.model
            .entities
            .iter()
            .zip(&self.entity_stats)
            .map(|(e, st)| {
                let mut r = EntityReport {
                    name: e.name.clone(),
                    policy: e.policy.name().into(),
                    keys: e.end_key - e.first_key,
                    writes: st.writes,
                    conflicts: st.conflicts,
                    discarded_writes: st.discarded_writes,
                    accepted_charges: st.accepted_charges,
                    refused_charges: st.refused_charges,
                    ..EntityReport::default()
                };
                if let Some((initial, _)) = e.policy.wallet() {
                    for key in e.first_key..e.end_key {
                        let truth = i64::from(initial) - self.charged[key as usize];
                        if truth < 0 {
                            r.overspent_wallets += 1;
                            r.overspent_amount += (-truth) as u64;
                        }
                        // Charges accepted but missing from the balance every replica converged
                        // to (replica 0's view; after draining all replicas agree).
                        let shown = self.keys.held(0, key).value;
                        if shown > truth {
                            r.wallets_with_lost_charges += 1;
                            r.lost_charge_amount += (shown - truth) as u64;
                        }
                    }
                }
                r
            })
            .collect()
    }

    /// Lag of `replica` behind its sources: time since the oldest write it has not applied was
    /// accepted.
    fn replica_lag_us(&self, replica: usize) -> u64 {
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

    // ----- reads -----

    fn local_replica(&self, home: usize) -> usize {
        self.local_replica[home]
    }

    fn start_read(&mut self, id: OpId) {
        let Some(op) = self.op(id) else { return };
        let (pop, key) = (op.pop as usize, op.key);
        let home = self.model.clients[pop].home;
        let quorum_r = match &self.model.replication {
            ReplicationModel::Quorum { r, .. } => Some(*r as usize),
            _ => None,
        };
        let (replica, stage) = match (self.model.reads, quorum_r) {
            (ReadStrategy::Quorum {}, Some(r)) | (ReadStrategy::Leader {}, Some(r)) => {
                return self.start_quorum_read(id, r);
            }
            (ReadStrategy::Quorum {}, None) => {
                return self.start_quorum_read(id, self.quorum_r());
            }
            (ReadStrategy::Leader {}, None) => (self.write_target(key, home), ReadStage::Final),
            (ReadStrategy::Local {}, _) => (self.local_replica(home), ReadStage::Final),
            _ => (self.local_replica(home), ReadStage::Local),
        };
        if let Some(op) = self.op(id) {
            op.stage = stage;
        }
        let travel = self.client_to_region(pop, self.replica_region(replica));
        let now = self.now();
        self.queue.schedule(
            now + travel,
            Ev::ReadAt {
                op: id,
                replica: replica as u16,
            },
        );
    }

    /// Whether the strategy accepts serving this read at `replica` now.
    fn local_read_acceptable(&self, op: &Op, replica: usize) -> bool {
        let lag_ms = || self.replica_lag_us(replica) as f64 / 1000.0;
        match self.model.reads {
            ReadStrategy::LocalThenLeaderIfStale { threshold_ms } => lag_ms() <= threshold_ms,
            ReadStrategy::BoundedStaleness { max_lag_ms, .. } => lag_ms() <= max_lag_ms,
            ReadStrategy::Session { guarantee, .. } => {
                let s = &self.sessions[op.session as usize];
                let held = self.keys.held(replica, op.key).stamp;
                let ryw = s.last_write_key != op.key || held >= s.last_write_stamp;
                let mono = s.last_read_key != op.key || held >= s.last_read_stamp;
                match guarantee {
                    SessionGuarantee::ReadYourWrites => ryw,
                    SessionGuarantee::MonotonicReads => mono,
                    SessionGuarantee::Both => ryw && mono,
                }
            }
            _ => true,
        }
    }

    fn on_read_at(&mut self, id: OpId, replica: usize) {
        let Some(op) = self.op(id).copied() else {
            return;
        };
        if op.stage == ReadStage::Local && !self.local_read_acceptable(&op, replica) {
            let on_violation = match self.model.reads {
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
            let home = self.model.clients[op.pop as usize].home;
            let leader = self.write_target(op.key, home);
            if let Some(o) = self.op(id) {
                o.stage = ReadStage::Final;
            }
            let hop = self.region_one_way(self.replica_region(replica), leader);
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
        let back = self.client_to_region(op.pop as usize, self.replica_region(replica));
        self.finish_read(id, op, held, lag, now + back);
    }

    fn finish_read(&mut self, id: OpId, op: Op, held: Held, lag: Lag, done: SimTime) {
        let home = self.model.clients[op.pop as usize].home;
        self.metrics.record_read(home, done.since(op.start), lag);
        if lag.versions_behind > 0 {
            self.counters.stale_reads += 1;
        }
        // Anomalies only count against what the session had seen complete before this read was
        // issued; a write or read still in flight may legitimately be missed.
        let s = &mut self.sessions[op.session as usize];
        if s.last_write_key == op.key
            && s.last_write_done <= op.start
            && held.stamp < s.last_write_stamp
        {
            self.counters.read_your_writes_violations += 1;
        }
        if s.last_read_key == op.key
            && s.last_read_done <= op.start
            && held.stamp < s.last_read_stamp
        {
            self.counters.monotonic_read_violations += 1;
        }
        if done >= s.last_read_done {
            s.last_read_key = op.key;
            s.last_read_stamp = held.stamp;
            s.last_read_done = done;
        }
        self.free_op(id);
    }

    // ----- leaderless quorum -----

    /// Draws, for every replica, the one-way trip there and back from the client; returns them
    /// sorted by total.
    fn quorum_legs(&mut self, pop: usize, extra: bool) -> Vec<(SimDuration, SimDuration, usize)> {
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
        legs.sort_by_key(|l| (l.1, l.2));
        legs
    }

    fn start_quorum_write(&mut self, id: OpId) {
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
        if let Some(e) = self.entity_of(op.key) {
            self.entity_stats[e].writes += 1;
            if let EntityPolicy::FieldMerge { fields } = self.model.entities[e].policy {
                write.field = self.net.below(u64::from(fields)) as u8;
            }
        }
        let legs = self.quorum_legs(op.pop as usize, true);
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
            o.q_remaining = n as u16 + 1;
            o.q_end = commit_at;
        }
        self.queue.schedule(commit_at, Ev::QuorumCommit { op: id });
    }

    fn quorum_done_one(&mut self, id: OpId) {
        if let Some(o) = self.op(id) {
            o.q_remaining -= 1;
            if o.q_remaining == 0 {
                self.free_op(id);
            }
        }
    }

    fn on_quorum_write_at(&mut self, id: OpId, replica: usize) {
        let Some(op) = self.op(id).copied() else {
            return;
        };
        if let Some(write) = op.applied {
            self.apply_at(replica, op.key, write);
        }
        self.quorum_done_one(id);
    }

    fn on_quorum_commit(&mut self, id: OpId) {
        let now = self.now();
        let Some(op) = self.op(id).copied() else {
            return;
        };
        if let Some(write) = op.applied {
            self.keys.commit(op.key, write, now.as_micros());
            let home = self.model.clients[op.pop as usize].home;
            self.metrics.record_write(home, now.since(op.start));
            let s = &mut self.sessions[op.session as usize];
            s.last_write_key = op.key;
            s.last_write_stamp = write.stamp;
            s.last_write_done = now;
        }
        self.quorum_done_one(id);
    }

    /// The read quorum R (quorum replication), or a majority of the replicas otherwise.
    fn quorum_r(&self) -> usize {
        match &self.model.replication {
            ReplicationModel::Quorum { r, .. } => *r as usize,
            _ => self.replicas / 2 + 1,
        }
    }

    /// The smallest read quorum that meets every write quorum, max(R, N - W + 1): a session's
    /// committed write is on W replicas, so a read of this many always finds it.
    fn overlapping_r(&self) -> usize {
        match &self.model.replication {
            ReplicationModel::Quorum {
                r,
                w,
                replica_regions,
            } => (*r as usize).max(replica_regions.len() + 1 - *w as usize),
            _ => self.quorum_r(),
        }
    }

    fn start_quorum_read(&mut self, id: OpId, r: usize) {
        let Some(op) = self.op(id).copied() else {
            return;
        };
        let legs = self.quorum_legs(op.pop as usize, false);
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

    fn on_quorum_read_at(&mut self, id: OpId, replica: usize) {
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

/// For each region, the replica its clients treat as local: the region's own replica (the
/// first, under quorum replication), or for a quorum region without one the replica with the
/// smallest mean round trip from it (lowest index on a tie; a link without a mean counts as
/// farthest).
fn nearest_replicas(model: &Model) -> Vec<usize> {
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
    use crate::scenario::Scenario;

    fn preset(name: &str) -> Simulation {
        Simulation::new(Scenario::preset(name).unwrap().validate().unwrap())
    }

    #[test]
    fn a_reused_slot_rejects_the_old_handle() {
        let mut sim = preset("sg-us-wallet");
        let first = sim.alloc_op(Op::default());
        sim.free_op(first);
        let second = sim.alloc_op(Op::default());
        assert_eq!(first.slot, second.slot);
        assert!(sim.op(first).is_none());
        assert!(sim.op(second).is_some());
    }

    #[test]
    fn acks_count_only_for_the_application_they_acknowledge() {
        let mut sim = preset("sg-us-wallet");
        let write = Held {
            stamp: 10 << 5,
            index: sim.keys.next_index(0),
            ..Held::default()
        };
        let id = sim.alloc_op(Op {
            applied: Some(write),
            acks_needed: 1,
            ..Op::default()
        });
        sim.on_ack(id, 9 << 5); // from an earlier application of the same write
        assert!(!sim.op(id).unwrap().committed);
        sim.on_ack(id, write.stamp);
        assert!(sim.op(id).unwrap().committed);
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

    #[test]
    fn quorum_regions_without_a_replica_read_the_nearest_one() {
        let mut scenario = Scenario::preset("quorum-r1w1").unwrap();
        if let crate::scenario::ReplicationSpec::Quorum { replicas, .. } = &mut scenario.replication
        {
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
