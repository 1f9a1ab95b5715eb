//! The recovery scenario document: seed 003's order flow against four downstream services
//! (product, database, delivery, queue), each with its latency, error rate, timeout and circuit
//! breaker; the outbox poller, the delivery retry job and the reconciliation job; and the outages
//! to put them through. Read from TOML or JSON like every other document, and validated with
//! errors that name the field.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use serde::{Deserialize, Serialize};

use super::breaker::BreakerConfig;
use super::outbox::OutboxConfig;
use crate::dist::Dist;
use crate::error::FieldError;

/// Longest run, simulated seconds (a week).
pub const MAX_DURATION_S: f64 = 604_800.0;

/// Highest order rate, per simulated second.
pub const MAX_ORDERS_PER_S: f64 = 10_000.0;

/// Most orders one run may simulate (duration × rate).
pub const MAX_ORDERS: f64 = 50_000_000.0;

/// Most timeline intervals one run may record.
pub const MAX_INTERVALS: f64 = 200_000.0;

/// The downstream services of the order flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServiceName {
    /// Checks availability; on failure the order goes on with a fallback answer flagged for
    /// review.
    Product,
    /// Stores the order and, in the same transaction, its outbox event; without it no order.
    Database,
    /// Initiates delivery; on failure the order waits for the delivery retry job.
    Delivery,
    /// The message broker the outbox publishes to.
    Queue,
}

impl ServiceName {
    /// All four, in the order of the flow.
    pub const ALL: [ServiceName; 4] = [
        ServiceName::Product,
        ServiceName::Database,
        ServiceName::Delivery,
        ServiceName::Queue,
    ];

    /// The name in documents and reports.
    pub const fn name(self) -> &'static str {
        match self {
            ServiceName::Product => "product",
            ServiceName::Database => "database",
            ServiceName::Delivery => "delivery",
            ServiceName::Queue => "queue",
        }
    }

    /// Position in [`ServiceName::ALL`].
    pub const fn index(self) -> usize {
        match self {
            ServiceName::Product => 0,
            ServiceName::Database => 1,
            ServiceName::Delivery => 2,
            ServiceName::Queue => 3,
        }
    }
}

impl fmt::Display for ServiceName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One downstream service.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceConfig {
    /// Time to answer when healthy.
    pub latency: Dist,
    /// Share of calls that fail when healthy, 0 to 1.
    #[serde(default)]
    pub error_rate: f64,
    /// The caller gives up after this long, ms.
    pub timeout_ms: f64,
    /// Further attempts after a failed call (each asks the breaker again).
    #[serde(default)]
    pub retries: u32,
    /// Wait before each further attempt, ms (0: at once).
    #[serde(default)]
    pub retry_backoff_ms: f64,
    /// The caller's circuit breaker for this service; none means every call is tried.
    #[serde(default)]
    pub breaker: Option<BreakerConfig>,
}

/// The four services.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Services {
    /// Availability checks.
    pub product: ServiceConfig,
    /// The order store (and its outbox table).
    pub database: ServiceConfig,
    /// Delivery initiation.
    pub delivery: ServiceConfig,
    /// The message broker.
    pub queue: ServiceConfig,
}

impl Services {
    /// The service called `name`.
    pub fn get(&self, name: ServiceName) -> &ServiceConfig {
        match name {
            ServiceName::Product => &self.product,
            ServiceName::Database => &self.database,
            ServiceName::Delivery => &self.delivery,
            ServiceName::Queue => &self.queue,
        }
    }
}

/// What the delivery step does when delivery cannot be initiated.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryFailure {
    /// Keep the order and let the delivery retry job initiate delivery later (seed 003).
    #[default]
    RetryLater,
    /// Undo the order as a saga: compensations in reverse order (cancel the order, and release
    /// the availability hold), each retried until it succeeds or its limit is reached.
    Compensate,
}

/// The background job that retries delivery initiation for orders waiting on it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetryJobConfig {
    /// Time between runs, ms (seed 003: every 1 to 5 minutes).
    pub interval_ms: f64,
    /// Most orders tried per run.
    pub batch_size: u32,
}

/// The reconciliation job: checks orders that went ahead on a fallback answer against the
/// authoritative service once it answers again.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReconciliationConfig {
    /// Time between runs, ms (seed 003: every 5 minutes).
    pub interval_ms: f64,
    /// Most orders checked per run.
    pub batch_size: u32,
    /// Share of fallback orders the authority says were not available after all: those cannot be
    /// corrected automatically and go to manual review, 0 to 1.
    #[serde(default)]
    pub unavailable_share: f64,
}

/// The read model fed by the published events, and the client's read-after-write wait on it
/// (seed 002): after storing an order, the client polls the projection until the order shows or
/// a timeout passes, then falls back (reads the primary, or shows "processing").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectionConfig {
    /// Time from an event's publication to the projection showing it.
    pub consumer_latency: Dist,
    /// Time between two polls of the waiting client, ms (seed 002: 100).
    pub poll_ms: f64,
    /// The client gives up after this long, ms (seed 002: 5,000).
    pub wait_timeout_ms: f64,
}

/// How a service fails during an outage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutageKind {
    /// No answer at all: every call times out.
    Down,
    /// Answers, but `error_rate` of the calls fail.
    Degraded,
    /// Answers `extra_ms` later than usual (past the timeout, the caller gives up).
    Slow,
}

/// A service outage.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outage {
    /// The service.
    pub service: ServiceName,
    /// How it fails.
    pub kind: OutageKind,
    /// Start, simulated seconds.
    pub at_s: f64,
    /// Length, simulated seconds.
    pub for_s: f64,
    /// For `degraded`: share of calls failing, 0 to 1.
    #[serde(default)]
    pub error_rate: Option<f64>,
    /// For `slow`: added latency, ms.
    #[serde(default)]
    pub extra_ms: Option<f64>,
}

/// The one-line outage grammar, for the command line and error messages.
pub const OUTAGE_GRAMMAR: &str = "SERVICE down | SERVICE degraded SHARE | SERVICE slow +DELAY, then \
'at TIME for TIME' (SERVICE: product, database, delivery, queue; SHARE from 0 to 1; DELAY like \
4000ms or 4s; TIME like 300s, 10m, 1h)";

/// Reads a time: a number with `ms`, `s`, `m` or `h`; a bare number is in `bare_scale` seconds.
fn read_time_s(text: &str, bare_scale: f64) -> Option<f64> {
    let t = text.trim();
    let (number, scale) = if let Some(n) = t.strip_suffix("ms") {
        (n, 0.001)
    } else if let Some(n) = t.strip_suffix('s') {
        (n, 1.0)
    } else if let Some(n) = t.strip_suffix('m') {
        (n, 60.0)
    } else if let Some(n) = t.strip_suffix('h') {
        (n, 3600.0)
    } else {
        (t, bare_scale)
    };
    number
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .map(|v| v * scale)
}

impl Outage {
    /// Reads one outage from a line: `delivery down at 300s for 10m`, `database degraded 0.5 at
    /// 2m for 30s`, `queue slow +4s at 60s for 20s` (see [`OUTAGE_GRAMMAR`]). Values are
    /// checked afterwards by [`RecoveryScenario::validate`], like a document's.
    pub fn parse(line: &str) -> Result<Outage, String> {
        let fail =
            |why: &str| format!("outage '{}': {why}; expected {OUTAGE_GRAMMAR}", line.trim());
        let words: Vec<&str> = line.split_whitespace().collect();
        let service = match words.first().copied() {
            Some("product") => ServiceName::Product,
            Some("database") => ServiceName::Database,
            Some("delivery") => ServiceName::Delivery,
            Some("queue") => ServiceName::Queue,
            Some(other) => return Err(fail(&format!("unknown service '{other}'"))),
            None => return Err(fail("it is empty")),
        };
        let mut rest = &words[1..];
        let (kind, error_rate, extra_ms) = match rest.first().copied() {
            Some("down") => {
                rest = &rest[1..];
                (OutageKind::Down, None, None)
            }
            Some("degraded") => {
                let share = rest
                    .get(1)
                    .and_then(|w| w.parse::<f64>().ok())
                    .ok_or_else(|| fail("'degraded' needs the share of failing calls, e.g. 0.5"))?;
                rest = &rest[2..];
                (OutageKind::Degraded, Some(share), None)
            }
            Some("slow") => {
                let delay = rest
                    .get(1)
                    .map(|w| w.trim_start_matches('+'))
                    .and_then(|w| read_time_s(w, 0.001))
                    .ok_or_else(|| fail("'slow' needs the added latency, e.g. +4000ms"))?;
                rest = &rest[2..];
                (OutageKind::Slow, None, Some(delay * 1000.0))
            }
            Some(other) => {
                return Err(fail(&format!(
                    "unknown kind '{other}' (down, degraded or slow)"
                )));
            }
            None => return Err(fail("the kind is missing")),
        };
        let (at_s, for_s) = match rest {
            ["at", at, "for", length] => (
                read_time_s(at, 1.0).ok_or_else(|| fail(&format!("'{at}' is not a time")))?,
                read_time_s(length, 1.0)
                    .ok_or_else(|| fail(&format!("'{length}' is not a time")))?,
            ),
            _ => return Err(fail("'at TIME for TIME' must follow the kind")),
        };
        Ok(Outage {
            service,
            kind,
            at_s,
            for_s,
            error_rate,
            extra_ms,
        })
    }
}

/// A whole recovery scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecoveryScenario {
    /// Short name.
    pub name: String,
    /// One line saying what it shows.
    #[serde(default)]
    pub description: String,
    /// Seed of the run.
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// Simulated seconds of order arrivals (jobs keep running after, see `drain_s`).
    pub duration_s: f64,
    /// Simulated seconds the background jobs keep running after arrivals stop.
    #[serde(default = "default_drain_s")]
    pub drain_s: f64,
    /// Orders per simulated second (Poisson arrivals).
    pub orders_per_s: f64,
    /// Length of a timeline interval, simulated seconds.
    #[serde(default = "default_interval_s")]
    pub interval_s: f64,
    /// The services.
    pub services: Services,
    /// What a failed delivery initiation does.
    #[serde(default)]
    pub delivery_failure: DeliveryFailure,
    /// Attempts per compensation before the order is counted as stuck.
    #[serde(default = "default_compensation_attempts")]
    pub compensation_attempts: u32,
    /// The outbox poller.
    pub outbox: OutboxConfig,
    /// Share of publishes whose acknowledgement is lost (the broker has the event, the poller
    /// does not know), 0 to 1.
    #[serde(default)]
    pub ack_loss_rate: f64,
    /// The delivery retry job.
    pub delivery_retry: RetryJobConfig,
    /// The reconciliation job.
    pub reconciliation: ReconciliationConfig,
    /// The projection and the read-after-write wait on it (none: not modelled).
    #[serde(default)]
    pub projection: Option<ProjectionConfig>,
    /// The outages.
    #[serde(default)]
    pub outages: Vec<Outage>,
}

fn default_seed() -> u64 {
    1
}

fn default_drain_s() -> f64 {
    1_800.0
}

fn default_interval_s() -> f64 {
    5.0
}

fn default_compensation_attempts() -> u32 {
    5
}

fn share(path: &str, v: f64) -> Result<(), FieldError> {
    if (0.0..=1.0).contains(&v) {
        Ok(())
    } else {
        Err(FieldError::new(path, v, "a share from 0 to 1"))
    }
}

fn span_ms(path: &str, v: f64, min: f64) -> Result<(), FieldError> {
    if v.is_finite() && v >= min && v <= 8.64e7 {
        Ok(())
    } else {
        Err(FieldError::new(
            path,
            v,
            alloc::format!("a duration from {min} ms to one day"),
        ))
    }
}

impl ServiceConfig {
    fn validate(&self) -> Result<(), FieldError> {
        self.latency.validate().map_err(|e| e.within("latency"))?;
        share("error_rate", self.error_rate)?;
        span_ms("timeout_ms", self.timeout_ms, 1.0)?;
        if self.retries > 10 {
            return Err(FieldError::new("retries", self.retries, "from 0 to 10"));
        }
        span_ms("retry_backoff_ms", self.retry_backoff_ms, 0.0)?;
        if let Some(b) = &self.breaker {
            b.validate().map_err(|e| e.within("breaker"))?;
        }
        Ok(())
    }
}

impl RecoveryScenario {
    /// Reads a TOML document.
    pub fn from_toml(text: &str) -> Result<Self, String> {
        toml::from_str(text).map_err(|e| alloc::format!("{e}"))
    }

    /// Checks every field, naming the first that is out of range.
    pub fn validate(&self) -> Result<(), FieldError> {
        if !(self.duration_s.is_finite()
            && self.duration_s > 0.0
            && self.duration_s <= MAX_DURATION_S)
        {
            return Err(FieldError::new(
                "duration_s",
                self.duration_s,
                "seconds above 0, at most a week",
            ));
        }
        if !(self.drain_s.is_finite() && self.drain_s >= 0.0 && self.drain_s <= MAX_DURATION_S) {
            return Err(FieldError::new(
                "drain_s",
                self.drain_s,
                "seconds from 0 to a week",
            ));
        }
        if !(self.orders_per_s.is_finite()
            && self.orders_per_s > 0.0
            && self.orders_per_s <= MAX_ORDERS_PER_S)
        {
            return Err(FieldError::new(
                "orders_per_s",
                self.orders_per_s,
                "orders per second above 0, at most 10,000",
            ));
        }
        if self.orders_per_s * self.duration_s > MAX_ORDERS {
            return Err(FieldError::new(
                "orders_per_s",
                self.orders_per_s,
                "at most 50,000,000 orders in a run (orders_per_s × duration_s)",
            ));
        }
        let total_s = self.duration_s + self.drain_s;
        if !(self.interval_s.is_finite()
            && self.interval_s >= 0.001
            && total_s / self.interval_s <= MAX_INTERVALS)
        {
            return Err(FieldError::new(
                "interval_s",
                self.interval_s,
                "seconds, at least 0.001 and at most 200,000 intervals in a run",
            ));
        }
        for name in ServiceName::ALL {
            self.services
                .get(name)
                .validate()
                .map_err(|e| e.within(&alloc::format!("services.{name}")))?;
        }
        if !(1..=100).contains(&self.compensation_attempts) {
            return Err(FieldError::new(
                "compensation_attempts",
                self.compensation_attempts,
                "from 1 to 100",
            ));
        }
        self.outbox.validate().map_err(|e| e.within("outbox"))?;
        share("ack_loss_rate", self.ack_loss_rate)?;
        span_ms(
            "delivery_retry.interval_ms",
            self.delivery_retry.interval_ms,
            1.0,
        )?;
        if !(1..=1_000_000).contains(&self.delivery_retry.batch_size) {
            return Err(FieldError::new(
                "delivery_retry.batch_size",
                self.delivery_retry.batch_size,
                "from 1 to 1,000,000",
            ));
        }
        span_ms(
            "reconciliation.interval_ms",
            self.reconciliation.interval_ms,
            1.0,
        )?;
        if !(1..=1_000_000).contains(&self.reconciliation.batch_size) {
            return Err(FieldError::new(
                "reconciliation.batch_size",
                self.reconciliation.batch_size,
                "from 1 to 1,000,000",
            ));
        }
        share(
            "reconciliation.unavailable_share",
            self.reconciliation.unavailable_share,
        )?;
        if let Some(p) = &self.projection {
            p.consumer_latency
                .validate()
                .map_err(|e| e.within("projection.consumer_latency"))?;
            span_ms("projection.poll_ms", p.poll_ms, 1.0)?;
            span_ms("projection.wait_timeout_ms", p.wait_timeout_ms, 0.0)?;
        }
        if self.outages.len() > 1000 {
            return Err(FieldError::new(
                "outages",
                self.outages.len(),
                "at most 1000 outages",
            ));
        }
        for (i, o) in self.outages.iter().enumerate() {
            let at = |field: &str| alloc::format!("outages[{i}].{field}");
            if !(o.at_s.is_finite() && o.at_s >= 0.0 && o.at_s <= total_s) {
                return Err(FieldError::new(
                    at("at_s"),
                    o.at_s,
                    "seconds from 0 to the end of the run (duration_s + drain_s)",
                ));
            }
            if !(o.for_s.is_finite() && o.for_s > 0.0 && o.for_s <= MAX_DURATION_S) {
                return Err(FieldError::new(
                    at("for_s"),
                    o.for_s,
                    "seconds above 0, at most a week",
                ));
            }
            match o.kind {
                OutageKind::Down => {}
                OutageKind::Degraded => match o.error_rate {
                    Some(r) => share(&at("error_rate"), r)?,
                    None => {
                        return Err(FieldError::new(
                            at("error_rate"),
                            "missing",
                            "a share from 0 to 1 (a degraded outage needs it)",
                        ));
                    }
                },
                OutageKind::Slow => match o.extra_ms {
                    Some(ms) => span_ms(&at("extra_ms"), ms, 0.0)?,
                    None => {
                        return Err(FieldError::new(
                            at("extra_ms"),
                            "missing",
                            "added latency in ms (a slow outage needs it)",
                        ));
                    }
                },
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outages_read_from_one_line() {
        let o = Outage::parse("delivery down at 300s for 10m").expect("an outage");
        assert_eq!(
            (o.service, o.kind, o.at_s, o.for_s),
            (ServiceName::Delivery, OutageKind::Down, 300.0, 600.0)
        );
        let o = Outage::parse("database degraded 0.5 at 2m for 30s").expect("degraded");
        assert_eq!(
            (o.kind, o.error_rate, o.at_s),
            (OutageKind::Degraded, Some(0.5), 120.0)
        );
        let o = Outage::parse("queue slow +4s at 60 for 20").expect("slow");
        assert_eq!(
            (o.kind, o.extra_ms, o.for_s),
            (OutageKind::Slow, Some(4000.0), 20.0)
        );
        let o = Outage::parse("queue slow 250 at 1h for 500ms").expect("bare delay in ms");
        assert_eq!((o.extra_ms, o.at_s, o.for_s), (Some(250.0), 3600.0, 0.5));
        for (line, needle) in [
            ("", "it is empty"),
            ("cache down at 1s for 1s", "unknown service 'cache'"),
            ("queue sleepy at 1s for 1s", "unknown kind 'sleepy'"),
            ("queue degraded at 1s for 1s", "needs the share"),
            ("queue down at soon for 1s", "'soon' is not a time"),
            ("queue down for 1s", "'at TIME for TIME' must follow"),
        ] {
            let e = Outage::parse(line).unwrap_err();
            assert!(
                e.contains(needle) && e.contains("expected SERVICE down"),
                "{line}: {e}"
            );
        }
    }
}
