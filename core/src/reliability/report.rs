//! What a recovery run reports: where every order ended, the outbox's and the reconciliation's
//! counts, each outage's detection, recovery and user-visible downtime, and a timeline of the
//! breakers, backlogs and queues.

use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use super::breaker::BreakerState;
use super::scenario::{OutageKind, ServiceName};
use crate::metrics::Summary;

/// Where the orders went.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlowCounts {
    /// Orders that arrived.
    pub arrived: u64,
    /// Orders stored (the customer got an order id).
    pub accepted: u64,
    /// Orders refused because the database did not answer (the customer saw an error).
    pub rejected: u64,
    /// Orders whose delivery was initiated (at once, by the retry job or found by
    /// reconciliation).
    pub delivered: u64,
    /// Of those, orders whose delivery came later than the order (retry job or reconciliation).
    pub delivered_late: u64,
    /// Availability checks answered by the fallback (the order went ahead, flagged).
    pub fallbacks: u64,
    /// Delivery initiations the caller gave up on although the delivery service made them.
    pub ambiguous_deliveries: u64,
    /// Delivery initiations tried by the retry job.
    pub delivery_retries: u64,
    /// Orders undone by the saga (every compensation succeeded).
    pub compensated: u64,
    /// Compensation calls that succeeded.
    pub compensation_calls: u64,
    /// Compensation calls that failed (and were retried or gave up).
    pub compensation_failures: u64,
    /// Orders whose compensation gave up after its attempts: half undone, for a person to finish.
    pub stuck: u64,
    /// Orders still in the flow when the run ended.
    pub in_flight: u64,
    /// Orders still waiting for delivery when the run ended.
    pub waiting_delivery: u64,
}

impl FlowCounts {
    /// Orders that arrived and are in none of the end states: always 0 unless the model loses
    /// orders (a test checks it on sweeps of outages and seeds).
    pub fn lost(&self) -> u64 {
        let placed = self.rejected
            + self.delivered
            + self.compensated
            + self.stuck
            + self.waiting_delivery
            + self.in_flight;
        self.arrived.saturating_sub(placed) + placed.saturating_sub(self.arrived)
    }
}

/// The outbox's counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxCounts {
    /// Events committed with their orders.
    pub committed: u64,
    /// Events published (each once).
    pub published: u64,
    /// Events given up after the retry limit.
    pub dead_lettered: u64,
    /// Extra copies the broker received.
    pub duplicates: u64,
    /// Events still pending at the end.
    pub pending: u64,
    /// Most events pending at once.
    pub peak_backlog: u64,
}

/// Fallback orders and their reconciliation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewCounts {
    /// Orders that went ahead on a fallback answer.
    pub flagged: u64,
    /// Records the reconciliation job corrected on its own.
    pub corrected: u64,
    /// Records it flagged for manual review.
    pub manual: u64,
    /// Fallback orders not yet reconciled at the end.
    pub waiting: u64,
}

/// The read-after-write wait on the projection.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct ProjectionCounts {
    /// Orders whose client saw them in the projection within the timeout.
    pub seen: u64,
    /// Orders whose client gave up waiting (including events never published).
    pub timeouts: u64,
    /// The wait of the clients that saw their order, ms (whole polls).
    pub wait_ms: Summary,
    /// Largest lag of the projection seen at an interval's end, ms.
    pub max_lag_ms: f64,
}

/// One outage and how the system came through it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct OutageMeasure {
    /// The service.
    pub service: ServiceName,
    /// How it failed.
    pub kind: OutageKind,
    /// Start, s.
    pub at_s: f64,
    /// Length, s.
    pub for_s: f64,
    /// From the outage's start to its breaker opening, ms; none if it never opened during the
    /// outage.
    pub detection_ms: Option<f64>,
    /// From the outage's end to the steady state (breakers closed, outbox, delivery and review
    /// backlogs back to one job period), ms; none if the run ended first.
    pub recovery_ms: Option<f64>,
    /// From the first to the last order refused to a customer because of it, ms.
    pub downtime_ms: f64,
}

/// One interval of the timeline: counts during it, states and backlogs at its end.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct RecoveryInterval {
    /// Start, s.
    pub start_s: f64,
    /// Orders that arrived.
    pub arrived: u64,
    /// Orders stored.
    pub accepted: u64,
    /// Orders refused.
    pub rejected: u64,
    /// Deliveries initiated.
    pub delivered: u64,
    /// Orders compensated.
    pub compensated: u64,
    /// Outbox events published.
    pub published: u64,
    /// Outbox events dead-lettered.
    pub dead_lettered: u64,
    /// Records corrected by reconciliation.
    pub corrections: u64,
    /// Records flagged for manual review.
    pub manual: u64,
    /// Each service's breaker state (product, database, delivery, queue; none without one).
    pub breakers: [Option<BreakerState>; 4],
    /// Outbox events pending.
    pub outbox_backlog: u64,
    /// Age of the oldest pending outbox event, ms.
    pub outbox_oldest_ms: f64,
    /// Orders waiting for delivery.
    pub delivery_backlog: u64,
    /// How long the oldest of them has waited, ms.
    pub delivery_oldest_ms: f64,
    /// Fallback orders waiting for reconciliation (the review queue).
    pub review_queue: u64,
    /// How long the oldest of them has waited, ms.
    pub review_oldest_ms: f64,
    /// Manual-review items so far.
    pub manual_total: u64,
    /// Age of the oldest stored order the projection does not show yet, ms (0 without a
    /// projection).
    pub projection_lag_ms: f64,
}

/// The report of one recovery run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecoveryReport {
    /// The scenario's name.
    pub name: String,
    /// The seed.
    pub seed: u64,
    /// Seconds of arrivals.
    pub duration_s: f64,
    /// Seconds the jobs ran on after arrivals stopped.
    pub drain_s: f64,
    /// Where the orders went.
    pub orders: FlowCounts,
    /// Time from arrival to order id for accepted orders.
    pub response_ms: Summary,
    /// The outbox.
    pub outbox: OutboxCounts,
    /// Fallback orders and reconciliation.
    pub reviews: ReviewCounts,
    /// The read-after-write wait, if the scenario has a projection.
    pub projection: Option<ProjectionCounts>,
    /// Breaker state changes per service (product, database, delivery, queue).
    pub breaker_transitions: [u64; 4],
    /// Each outage's detection, recovery and downtime.
    pub outages: Vec<OutageMeasure>,
    /// The timeline.
    pub timeline: Vec<RecoveryInterval>,
}
