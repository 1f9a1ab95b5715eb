//! One run of a [`RecoveryScenario`]: orders arrive (Poisson), each walks the flow (availability
//! check, order and outbox event in one transaction, delivery initiation) through the callers'
//! circuit breakers, while three background jobs work on what the outages left behind: the
//! outbox poller, the delivery retry job and the reconciliation job. The run keeps only what is
//! in flight or waiting, so memory follows the backlog, not the number of orders.
//!
//! Calls of the background jobs are concurrent within one job run and their outcomes are
//! settled at the run's time (the jobs' own latency is not what the table measures).

use alloc::collections::{BTreeMap, VecDeque};
use alloc::vec::Vec;

use super::breaker::{Admission, BreakerState, CircuitBreaker, Transition};
use super::outbox::{Outbox, Publish};
use super::report::{
    FlowCounts, OutageMeasure, OutboxCounts, ProjectionCounts, RecoveryInterval, RecoveryReport,
    ReviewCounts,
};
use super::scenario::{
    DeliveryFailure, Outage, OutageKind, RecoveryScenario, ServiceConfig, ServiceName,
};
use crate::engine::EventQueue;
use crate::error::FieldError;
use crate::metrics::LogHistogram;
use crate::rng::SimRng;
use crate::time::{SimDuration, SimTime};

/// Where an order is in the flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Availability,
    Create,
    Delivery,
    /// Compensating: cancelling the order.
    CancelOrder,
    /// Compensating: releasing the availability hold.
    ReleaseHold,
}

impl Step {
    const fn service(self) -> ServiceName {
        match self {
            Step::Availability | Step::ReleaseHold => ServiceName::Product,
            Step::Create | Step::CancelOrder => ServiceName::Database,
            Step::Delivery => ServiceName::Delivery,
        }
    }
}

/// An order in flight.
#[derive(Debug, Clone, Copy)]
struct Order {
    arrived: SimTime,
    step: Step,
    /// Attempts made at the current step.
    attempt: u32,
    /// Went ahead on the fallback availability answer.
    flagged: bool,
}

#[derive(Debug, Clone, Copy)]
enum Event {
    Arrival,
    /// A call of order `slot` finished.
    CallDone {
        slot: usize,
        ok: bool,
        trial: bool,
        /// The service did the work although the caller timed out.
        done_anyway: bool,
    },
    /// A compensation of order `slot` is tried again.
    CompensationRetry {
        slot: usize,
    },
    /// The current step of order `slot` is tried again after its service's backoff.
    Retry {
        slot: usize,
    },
    OutboxPoll,
    /// The projection shows the order stored at `committed`.
    Visible {
        committed: SimTime,
    },
    DeliveryRetry,
    Reconcile,
    /// The end of timeline interval `index`.
    Tick {
        index: u64,
    },
}

/// An order waiting for delivery initiation.
#[derive(Debug, Clone, Copy)]
struct Waiting {
    since: SimTime,
    /// The delivery exists already (a timed-out initiation that went through).
    exists: bool,
}

/// What became of the items (outbox events, waiting deliveries, fallback orders) that entered a
/// backlog during one timeline interval: how many are still there, and when the last one left.
/// Recovery is read from it: an outage is over for the system when everything that piled up
/// while it lasted has left.
#[derive(Debug, Clone, Copy, Default)]
struct Cleared {
    remaining: u64,
    last_left: SimTime,
}

/// The simulation state.
struct Run<'a> {
    sc: &'a RecoveryScenario,
    rng: SimRng,
    queue: EventQueue<Event>,
    breakers: [Option<CircuitBreaker>; 4],
    /// Breaker transitions, per service (few per outage: bounded by run time / reset timeout).
    transitions: [Vec<Transition>; 4],
    orders: Vec<Option<Order>>,
    free: Vec<usize>,
    outbox: Outbox,
    waiting_delivery: VecDeque<Waiting>,
    /// Orders that went ahead on a fallback answer, waiting for reconciliation (their times).
    unreconciled: VecDeque<SimTime>,
    counts: FlowCounts,
    reviews: ReviewCounts,
    response: LogHistogram,
    interval: RecoveryInterval,
    timeline: Vec<RecoveryInterval>,
    /// Times of rejected orders, first and last, per timeline interval index (for downtime).
    rejections: Vec<(SimTime, SimTime)>,
    /// Stored orders the projection does not show yet, by commit time (for its lag).
    unseen: BTreeMap<SimTime, u32>,
    projection: ProjectionCounts,
    waits: LogHistogram,
    /// Per interval of entry into a backlog (see [`Cleared`]).
    cleared: Vec<Cleared>,
    arrivals_end: SimTime,
    end: SimTime,
}

/// Runs `scenario`, which must validate.
pub fn run(scenario: &RecoveryScenario) -> Result<RecoveryReport, FieldError> {
    scenario.validate()?;
    let secs = |s: f64| SimTime(SimDuration::from_millis_f64(s * 1000.0).0);
    let breakers =
        ServiceName::ALL.map(|s| scenario.services.get(s).breaker.map(CircuitBreaker::new));
    let mut r = Run {
        sc: scenario,
        rng: SimRng::fork(scenario.seed, 0x7265_636f_7665_7279),
        queue: EventQueue::new(),
        breakers,
        transitions: Default::default(),
        orders: Vec::new(),
        free: Vec::new(),
        outbox: Outbox::new(),
        waiting_delivery: VecDeque::new(),
        unreconciled: VecDeque::new(),
        counts: FlowCounts::default(),
        reviews: ReviewCounts::default(),
        response: LogHistogram::new(),
        interval: RecoveryInterval::default(),
        timeline: Vec::new(),
        rejections: Vec::new(),
        cleared: Vec::new(),
        unseen: BTreeMap::new(),
        projection: ProjectionCounts::default(),
        waits: LogHistogram::new(),
        arrivals_end: secs(scenario.duration_s),
        end: secs(scenario.duration_s + scenario.drain_s),
    };
    r.start();
    while let Some((now, event)) = r.queue.pop_until(r.end) {
        r.handle(now, event);
    }
    Ok(r.finish())
}

impl Run<'_> {
    fn start(&mut self) {
        let first = self.next_arrival(SimTime::ZERO);
        if first < self.arrivals_end {
            self.queue.schedule(first, Event::Arrival);
        }
        let every = |ms: f64| SimTime(SimDuration::from_millis_f64(ms).0);
        self.queue
            .schedule(every(self.sc.outbox.poll_interval_ms), Event::OutboxPoll);
        self.queue.schedule(
            every(self.sc.delivery_retry.interval_ms),
            Event::DeliveryRetry,
        );
        self.queue
            .schedule(every(self.sc.reconciliation.interval_ms), Event::Reconcile);
        self.queue
            .schedule(self.tick_time(0), Event::Tick { index: 0 });
    }

    fn bucket(&self, t: SimTime) -> usize {
        (t.as_millis_f64() / 1000.0 / self.sc.interval_s) as usize
    }

    /// An item entered a backlog at `t`.
    fn entered(&mut self, t: SimTime) {
        let i = self.bucket(t);
        if self.cleared.len() <= i {
            self.cleared.resize(i + 1, Cleared::default());
        }
        self.cleared[i].remaining += 1;
    }

    /// An item that entered a backlog at `t` left it at `now`.
    fn left(&mut self, t: SimTime, now: SimTime) {
        let i = self.bucket(t);
        if let Some(c) = self.cleared.get_mut(i) {
            c.remaining = c.remaining.saturating_sub(1);
            c.last_left = c.last_left.max(now);
        }
    }

    fn tick_time(&self, index: u64) -> SimTime {
        let end_s = (index + 1) as f64 * self.sc.interval_s;
        SimTime(SimDuration::from_millis_f64(end_s * 1000.0).0).min(self.end)
    }

    fn next_arrival(&mut self, now: SimTime) -> SimTime {
        let u = self.rng.next_f64_nonzero();
        let gap_ms = -libm::log(u) * 1000.0 / self.sc.orders_per_s;
        now + SimDuration::from_millis_f64(gap_ms)
    }

    fn after(now: SimTime, ms: f64) -> SimTime {
        now + SimDuration::from_millis_f64(ms)
    }

    fn handle(&mut self, now: SimTime, event: Event) {
        match event {
            Event::Arrival => {
                let next = self.next_arrival(now);
                if next < self.arrivals_end {
                    self.queue.schedule(next, Event::Arrival);
                }
                self.counts.arrived += 1;
                self.interval.arrived += 1;
                let order = Order {
                    arrived: now,
                    step: Step::Availability,
                    attempt: 0,
                    flagged: false,
                };
                let slot = match self.free.pop() {
                    Some(i) => {
                        self.orders[i] = Some(order);
                        i
                    }
                    None => {
                        self.orders.push(Some(order));
                        self.orders.len() - 1
                    }
                };
                self.call(now, slot);
            }
            Event::CallDone {
                slot,
                ok,
                trial,
                done_anyway,
            } => {
                let Some(order) = self.orders.get(slot).copied().flatten() else {
                    return;
                };
                self.record(now, order.step.service(), ok, trial);
                self.step_done(now, slot, order, ok, done_anyway);
            }
            Event::CompensationRetry { slot } | Event::Retry { slot } => self.call(now, slot),
            Event::Visible { committed } => self.seen(now, committed),
            Event::OutboxPoll => {
                self.poll_outbox(now);
                let next = Self::after(now, self.sc.outbox.poll_interval_ms);
                self.queue.schedule(next, Event::OutboxPoll);
            }
            Event::DeliveryRetry => {
                self.retry_deliveries(now);
                let next = Self::after(now, self.sc.delivery_retry.interval_ms);
                self.queue.schedule(next, Event::DeliveryRetry);
            }
            Event::Reconcile => {
                self.reconcile(now);
                let next = Self::after(now, self.sc.reconciliation.interval_ms);
                self.queue.schedule(next, Event::Reconcile);
            }
            Event::Tick { index } => {
                self.close_interval(now, index);
                let next = self.tick_time(index + 1);
                if next > now {
                    self.queue.schedule(next, Event::Tick { index: index + 1 });
                }
            }
        }
    }

    /// The active outage of `service` at `now`, if any (the first listed wins).
    fn outage(&self, service: ServiceName, now: SimTime) -> Option<&Outage> {
        let t = now.as_millis_f64() / 1000.0;
        self.sc
            .outages
            .iter()
            .find(|o| o.service == service && t >= o.at_s && t < o.at_s + o.for_s)
    }

    /// What a call to `service` at `now` does, breaker aside: whether it succeeds, how long the
    /// caller waits, and whether the service did the work even though the caller gave up.
    fn outcome(&mut self, service: ServiceName, now: SimTime) -> (bool, f64, bool) {
        let cfg: &ServiceConfig = self.sc.services.get(service);
        let timeout = cfg.timeout_ms;
        let base_error = cfg.error_rate;
        let outage = self.outage(service, now).copied();
        let mut latency = cfg.latency.sample_ms(&mut self.rng);
        let mut error = base_error;
        match outage.map(|o| (o.kind, o)) {
            Some((OutageKind::Down, _)) => return (false, timeout, false),
            Some((OutageKind::Slow, o)) => latency += o.extra_ms.unwrap_or(0.0),
            Some((OutageKind::Degraded, o)) => {
                let extra = o.error_rate.unwrap_or(0.0);
                error = 1.0 - (1.0 - base_error) * (1.0 - extra);
            }
            None => {}
        }
        if latency > timeout {
            return (false, timeout, true);
        }
        let ok = !self.rng.chance(error);
        (ok, latency, false)
    }

    /// Asks `service`'s breaker; `None` when it refuses.
    fn admit(&mut self, now: SimTime, service: ServiceName) -> Option<bool> {
        let i = service.index();
        let Some(b) = self.breakers[i].as_mut() else {
            return Some(false);
        };
        let (admission, moved) = b.admit(now);
        self.transitions[i].extend(moved);
        match admission {
            Admission::Call => Some(false),
            Admission::Trial => Some(true),
            Admission::Refused => None,
        }
    }

    fn record(&mut self, now: SimTime, service: ServiceName, ok: bool, trial: bool) {
        let i = service.index();
        if let Some(b) = self.breakers[i].as_mut() {
            let moved = b.record(now, ok, trial);
            self.transitions[i].extend(moved);
        }
    }

    /// A synchronous call from a background job: admitted, tried and recorded at `now`.
    /// Returns whether it succeeded and whether the service did the work anyway.
    fn job_call(&mut self, now: SimTime, service: ServiceName) -> (bool, bool) {
        let Some(trial) = self.admit(now, service) else {
            return (false, false);
        };
        let (ok, _, done_anyway) = self.outcome(service, now);
        self.record(now, service, ok, trial);
        (ok, done_anyway)
    }

    /// Makes the call of the order's current step.
    fn call(&mut self, now: SimTime, slot: usize) {
        let Some(order) = self.orders[slot].as_mut() else {
            return;
        };
        order.attempt += 1;
        let service = order.step.service();
        match self.admit(now, service) {
            None => {
                let order = self.orders[slot].expect("present");
                self.step_done(now, slot, order, false, false);
            }
            Some(trial) => {
                let (ok, wait_ms, done_anyway) = self.outcome(service, now);
                self.queue.schedule(
                    Self::after(now, wait_ms),
                    Event::CallDone {
                        slot,
                        ok,
                        trial,
                        done_anyway,
                    },
                );
            }
        }
    }

    fn release(&mut self, slot: usize) {
        self.orders[slot] = None;
        self.free.push(slot);
    }

    fn advance(&mut self, now: SimTime, slot: usize, step: Step) {
        if let Some(o) = self.orders[slot].as_mut() {
            o.step = step;
            o.attempt = 0;
        }
        self.call(now, slot);
    }

    /// The order's current step finished with `ok`.
    fn step_done(&mut self, now: SimTime, slot: usize, order: Order, ok: bool, done_anyway: bool) {
        let service = self.sc.services.get(order.step.service());
        let (retries, backoff_ms) = (service.retries, service.retry_backoff_ms);
        let compensating = matches!(order.step, Step::CancelOrder | Step::ReleaseHold);
        if !ok && !compensating && order.attempt <= retries {
            if backoff_ms > 0.0 {
                self.queue
                    .schedule(Self::after(now, backoff_ms), Event::Retry { slot });
                return;
            }
            // Refused calls come back at once; trying again at once would only be refused again.
            if !self.breaker_refuses(now, order.step.service()) {
                self.call(now, slot);
                return;
            }
        }
        match (order.step, ok) {
            (Step::Availability, ok) => {
                if !ok {
                    self.counts.fallbacks += 1;
                    if let Some(o) = self.orders[slot].as_mut() {
                        o.flagged = true;
                    }
                }
                self.advance(now, slot, Step::Create);
            }
            (Step::Create, true) => {
                self.counts.accepted += 1;
                self.interval.accepted += 1;
                self.response.record(now.since(order.arrived).0);
                self.outbox.commit(now);
                self.entered(now);
                if self.sc.projection.is_some() {
                    *self.unseen.entry(now).or_insert(0) += 1;
                }
                if order.flagged {
                    self.entered(now);
                    self.unreconciled.push_back(now);
                    self.reviews.flagged += 1;
                }
                self.advance(now, slot, Step::Delivery);
            }
            (Step::Create, false) => {
                self.counts.rejected += 1;
                self.interval.rejected += 1;
                let i = (now.as_millis_f64() / 1000.0 / self.sc.interval_s) as usize;
                if self.rejections.len() <= i {
                    self.rejections
                        .resize(i + 1, (SimTime(u64::MAX), SimTime::ZERO));
                }
                let r = &mut self.rejections[i];
                *r = (r.0.min(now), r.1.max(now));
                self.release(slot);
            }
            (Step::Delivery, true) => {
                self.counts.delivered += 1;
                self.interval.delivered += 1;
                self.release(slot);
            }
            (Step::Delivery, false) => match self.sc.delivery_failure {
                DeliveryFailure::RetryLater => {
                    self.waiting_delivery.push_back(Waiting {
                        since: now,
                        exists: done_anyway,
                    });
                    self.entered(now);
                    if done_anyway {
                        self.counts.ambiguous_deliveries += 1;
                    }
                    self.release(slot);
                }
                DeliveryFailure::Compensate => {
                    if done_anyway {
                        // The delivery was made although the caller gave up: cancelling the order
                        // would orphan it, so the saga counts it and compensates anyway; the
                        // reconciliation report shows how often that happens.
                        self.counts.ambiguous_deliveries += 1;
                    }
                    self.advance(now, slot, Step::CancelOrder);
                }
            },
            (Step::CancelOrder | Step::ReleaseHold, true) => {
                self.counts.compensation_calls += 1;
                if order.step == Step::CancelOrder {
                    self.advance(now, slot, Step::ReleaseHold);
                } else {
                    self.counts.compensated += 1;
                    self.interval.compensated += 1;
                    self.release(slot);
                }
            }
            (Step::CancelOrder | Step::ReleaseHold, false) => {
                self.counts.compensation_failures += 1;
                if order.attempt >= self.sc.compensation_attempts {
                    self.counts.stuck += 1;
                    self.release(slot);
                } else {
                    let backoff = 1000.0 * f64::from(1u32 << order.attempt.min(10));
                    self.queue
                        .schedule(Self::after(now, backoff), Event::CompensationRetry { slot });
                }
            }
        }
    }

    fn breaker_refuses(&self, now: SimTime, service: ServiceName) -> bool {
        self.breakers[service.index()]
            .as_ref()
            .is_some_and(|b| b.state(now) == BreakerState::Open)
    }

    fn poll_outbox(&mut self, now: SimTime) {
        let config = self.sc.outbox;
        let ack_loss = self.sc.ack_loss_rate;
        // Outcomes are drawn first, then handed to the poll: the poll borrows the outbox.
        let due = self.outbox.due(now, config.batch_size);
        let mut outcomes = Vec::with_capacity(due);
        for _ in 0..due {
            let (ok, done_anyway) = self.job_call(now, ServiceName::Queue);
            outcomes.push(if ok {
                if self.rng.chance(ack_loss) {
                    Publish::AckLost
                } else {
                    Publish::Acked
                }
            } else if done_anyway {
                Publish::AckLost
            } else {
                Publish::Failed
            });
        }
        let mut next = outcomes.into_iter();
        let mut gone = Vec::new();
        let mut reached = Vec::new();
        let mut never = Vec::new();
        let out = self.outbox.poll(now, &config, |p| {
            let outcome = next.next().unwrap_or(Publish::Failed);
            let first_copy = outcome != Publish::Failed && !p.delivered;
            if first_copy {
                reached.push(p.committed);
            }
            if outcome == Publish::Acked || p.failures + 1 >= config.retry_limit {
                gone.push(p.committed);
                if outcome == Publish::Failed && !p.delivered {
                    never.push(p.committed);
                }
            }
            outcome
        });
        for committed in gone {
            self.left(committed, now);
        }
        if let Some(projection) = &self.sc.projection {
            for committed in reached {
                let lag = projection.consumer_latency.sample(&mut self.rng);
                self.queue.schedule(now + lag, Event::Visible { committed });
            }
            // Dead-lettered before the broker ever had them: the projection never shows them.
            for committed in never {
                self.forget_unseen(committed);
                self.projection.timeouts += 1;
            }
        }
        self.interval.published += u64::from(out.published);
        self.interval.dead_lettered += u64::from(out.dead_lettered);
    }

    fn forget_unseen(&mut self, committed: SimTime) {
        if let Some(n) = self.unseen.get_mut(&committed) {
            *n -= 1;
            if *n == 0 {
                self.unseen.remove(&committed);
            }
        }
    }

    /// The projection shows the order stored at `committed`: the client waiting on it saw it
    /// at its first poll after, unless it had given up.
    fn seen(&mut self, now: SimTime, committed: SimTime) {
        let Some(projection) = &self.sc.projection else {
            return;
        };
        self.forget_unseen(committed);
        let after_ms = now.since(committed).as_millis_f64();
        let polls = libm::ceil(after_ms / projection.poll_ms);
        let wait_ms = polls * projection.poll_ms;
        if after_ms <= projection.wait_timeout_ms {
            self.projection.seen += 1;
            self.waits
                .record(SimDuration::from_millis_f64(wait_ms.min(projection.wait_timeout_ms)).0);
        } else {
            self.projection.timeouts += 1;
        }
    }

    fn retry_deliveries(&mut self, now: SimTime) {
        let batch = self.sc.delivery_retry.batch_size as usize;
        let mut kept = VecDeque::with_capacity(self.waiting_delivery.len());
        let mut tried = 0;
        while let Some(w) = self.waiting_delivery.pop_front() {
            if tried >= batch {
                kept.push_back(w);
                continue;
            }
            tried += 1;
            self.counts.delivery_retries += 1;
            let (ok, done_anyway) = self.job_call(now, ServiceName::Delivery);
            if ok {
                self.counts.delivered += 1;
                self.interval.delivered += 1;
                self.counts.delivered_late += 1;
                self.left(w.since, now);
            } else {
                if done_anyway && !w.exists {
                    self.counts.ambiguous_deliveries += 1;
                }
                kept.push_back(Waiting {
                    since: w.since,
                    exists: w.exists || done_anyway,
                });
            }
        }
        self.waiting_delivery = kept;
    }

    fn reconcile(&mut self, now: SimTime) {
        let mut budget = self.sc.reconciliation.batch_size as usize;
        // Orders that went ahead on a fallback answer: the product service says whether the
        // goods were there.
        let mut checked = 0;
        let queued = self.unreconciled.len();
        while budget > 0 && checked < queued {
            if self.breaker_refuses(now, ServiceName::Product) {
                break;
            }
            checked += 1;
            budget -= 1;
            let Some(flagged_at) = self.unreconciled.pop_front() else {
                break;
            };
            let (ok, _) = self.job_call(now, ServiceName::Product);
            if !ok {
                // Checked again next run.
                self.unreconciled.push_back(flagged_at);
                continue;
            }
            self.left(flagged_at, now);
            if self.rng.chance(self.sc.reconciliation.unavailable_share) {
                self.reviews.manual += 1;
                self.interval.manual += 1;
            } else {
                self.reviews.corrected += 1;
                self.interval.corrections += 1;
            }
        }
        // Orders waiting for delivery whose delivery exists: the delivery service knows it, and
        // the order moves on without another initiation.
        if budget > 0 && self.waiting_delivery.iter().any(|w| w.exists) {
            let (ok, _) = self.job_call(now, ServiceName::Delivery);
            if ok {
                let mut fixed = 0u64;
                let mut found = Vec::new();
                self.waiting_delivery.retain(|w| {
                    if w.exists && (fixed as usize) < budget {
                        fixed += 1;
                        found.push(w.since);
                        false
                    } else {
                        true
                    }
                });
                for since in found {
                    self.left(since, now);
                }
                self.reviews.corrected += fixed;
                self.interval.corrections += fixed;
                self.counts.delivered += fixed;
                self.counts.delivered_late += fixed;
                self.interval.delivered += fixed;
            }
        }
    }

    fn close_interval(&mut self, now: SimTime, index: u64) {
        let mut iv = core::mem::take(&mut self.interval);
        iv.start_s = index as f64 * self.sc.interval_s;
        iv.breakers =
            ServiceName::ALL.map(|s| self.breakers[s.index()].as_ref().map(|b| b.state(now)));
        iv.outbox_backlog = self.outbox.backlog();
        iv.outbox_oldest_ms = self
            .outbox
            .oldest_pending()
            .map_or(0.0, |t| now.since(t).as_millis_f64());
        iv.delivery_backlog = self.waiting_delivery.len() as u64;
        iv.delivery_oldest_ms = self
            .waiting_delivery
            .front()
            .map_or(0.0, |w| now.since(w.since).as_millis_f64());
        iv.review_queue = self.unreconciled.len() as u64;
        iv.review_oldest_ms = self
            .unreconciled
            .front()
            .map_or(0.0, |t| now.since(*t).as_millis_f64());
        iv.manual_total = self.reviews.manual;
        iv.projection_lag_ms = self
            .unseen
            .keys()
            .next()
            .map_or(0.0, |t| now.since(*t).as_millis_f64());
        self.projection.max_lag_ms = self.projection.max_lag_ms.max(iv.projection_lag_ms);
        self.timeline.push(iv);
    }

    fn measure(&self, outage: &Outage) -> OutageMeasure {
        let start = SimTime(SimDuration::from_millis_f64(outage.at_s * 1000.0).0);
        let end_s = outage.at_s + outage.for_s;
        let end = SimTime(SimDuration::from_millis_f64(end_s * 1000.0).0);
        let detection_ms = self.transitions[outage.service.index()]
            .iter()
            .find(|t| t.to == BreakerState::Open && t.at >= start && t.at <= end)
            .map(|t| t.at.since(start).as_millis_f64());
        // Recovery ends when the service's breaker has closed for good (before any later outage
        // of it) and every item that entered a backlog from the outage's start until then has
        // left it.
        let service = outage.service.index();
        let next_start_s = self
            .sc
            .outages
            .iter()
            .filter(|o| o.service == outage.service)
            .map(|o| o.at_s)
            .filter(|&s| s >= end_s)
            .fold(f64::INFINITY, f64::min);
        let horizon = if next_start_s.is_finite() {
            SimTime(SimDuration::from_millis_f64(next_start_s * 1000.0).0).min(self.end)
        } else {
            self.end
        };
        let closed_at = match &self.breakers[service] {
            None => Some(end),
            Some(b) if b.state(horizon) != BreakerState::Closed => None,
            Some(_) => Some(
                self.transitions[service]
                    .iter()
                    .filter(|t| t.at >= start && t.at <= horizon && t.to == BreakerState::Closed)
                    .map(|t| t.at)
                    .max()
                    .unwrap_or(end)
                    .max(end),
            ),
        };
        let recovered_at = closed_at.and_then(|closed| {
            let lo = self.bucket(start);
            let hi = self.bucket(closed);
            let mut at = closed;
            for c in self
                .cleared
                .get(lo..=hi.min(self.cleared.len().saturating_sub(1)))
                .unwrap_or(&[])
            {
                if c.remaining > 0 {
                    return None;
                }
                at = at.max(c.last_left);
            }
            Some(at)
        });
        let recovery_ms = recovered_at.map(|t| t.since(end).as_millis_f64());
        let recovered_at = recovered_at.map(|t| t.as_millis_f64() / 1000.0);
        let interval = self.sc.interval_s;
        // User-visible downtime: from the first to the last order refused between the outage's
        // start and the recovery (or the end of the window).
        let until_s = recovered_at.unwrap_or(next_start_s.min(self.end.as_millis_f64() / 1000.0));
        let lo = (outage.at_s / interval) as usize;
        let hi = ((until_s / interval) as usize).min(self.rejections.len().saturating_sub(1));
        let mut first = None;
        let mut last = None;
        for (a, b) in self.rejections.get(lo..=hi).unwrap_or(&[]).iter().copied() {
            if b >= a && a >= start {
                first = first.or(Some(a));
                last = Some(b);
            }
        }
        let downtime_ms = match (first, last) {
            (Some(a), Some(b)) => b.since(a).as_millis_f64(),
            _ => 0.0,
        };
        OutageMeasure {
            service: outage.service,
            kind: outage.kind,
            at_s: outage.at_s,
            for_s: outage.for_s,
            detection_ms,
            recovery_ms,
            downtime_ms,
        }
    }

    fn finish(mut self) -> RecoveryReport {
        let in_flight = self.orders.iter().filter(|o| o.is_some()).count() as u64;
        self.counts.in_flight = in_flight;
        self.counts.waiting_delivery = self.waiting_delivery.len() as u64;
        let outages = self.sc.outages.iter().map(|o| self.measure(o)).collect();
        let transitions = self.transitions.each_ref().map(|t| t.len() as u64);
        RecoveryReport {
            name: self.sc.name.clone(),
            seed: self.sc.seed,
            duration_s: self.sc.duration_s,
            drain_s: self.sc.drain_s,
            orders: self.counts,
            response_ms: self.response.summary_ms(),
            outbox: OutboxCounts {
                committed: self.outbox.committed,
                published: self.outbox.published,
                dead_lettered: self.outbox.dead_lettered,
                duplicates: self.outbox.duplicates,
                pending: self.outbox.backlog(),
                peak_backlog: self.outbox.peak_backlog,
            },
            reviews: ReviewCounts {
                waiting: self.unreconciled.len() as u64,
                ..self.reviews
            },
            projection: self.sc.projection.as_ref().map(|_| ProjectionCounts {
                // Orders never shown by the end: their clients gave up too.
                timeouts: self.projection.timeouts
                    + self.unseen.values().map(|&n| u64::from(n)).sum::<u64>(),
                wait_ms: self.waits.summary_ms(),
                ..self.projection
            }),
            breaker_transitions: transitions,
            outages,
            timeline: self.timeline,
        }
    }
}
