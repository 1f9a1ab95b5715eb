//! Seed 003's failure scenarios as recovery presets: the order flow of
//! `presets/recovery/order-flow.toml` with one outage each, starting 312.5 s into a half-hour of
//! orders (off the beat of the periodic jobs, so detection is not flattered by a job that happens
//! to run the moment the outage starts).

use alloc::string::String;
use alloc::vec;

use alloc::vec::Vec;

use super::breaker::BreakerConfig;
use super::outbox::OutboxConfig;
use super::scenario::{
    DeliveryFailure, Outage, OutageKind, ProjectionConfig, ReconciliationConfig, RecoveryScenario,
    RetryJobConfig, ServiceConfig, ServiceName, Services,
};
use crate::dist::Dist;

/// The order flow every preset starts from, without outages.
pub const ORDER_FLOW: &str = include_str!("../../presets/recovery/order-flow.toml");

/// When the presets' outages start, s.
pub const OUTAGE_AT_S: f64 = 312.5;

/// A recovery preset.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RecoveryPreset {
    /// Its name.
    pub name: &'static str,
    /// What it shows.
    pub summary: &'static str,
    /// The service that fails.
    pub service: ServiceName,
    /// How.
    pub kind: OutageKind,
    /// For how long, s.
    pub for_s: f64,
}

/// Seed 003's scenarios.
pub const PRESETS: [RecoveryPreset; 4] = [
    RecoveryPreset {
        name: "delivery-down-10m",
        summary: "delivery service down 10 min: orders accepted, deliveries retried later",
        service: ServiceName::Delivery,
        kind: OutageKind::Down,
        for_s: 600.0,
    },
    RecoveryPreset {
        name: "product-down-10m",
        summary: "product service down 10 min: orders go ahead flagged, reconciliation checks them",
        service: ServiceName::Product,
        kind: OutageKind::Down,
        for_s: 600.0,
    },
    RecoveryPreset {
        name: "queue-down-2m",
        summary: "message broker down 2 min: events wait in the outbox",
        service: ServiceName::Queue,
        kind: OutageKind::Down,
        for_s: 120.0,
    },
    RecoveryPreset {
        name: "database-blip-20s",
        summary: "database down 20 s: orders refused until its breaker lets them through",
        service: ServiceName::Database,
        kind: OutageKind::Down,
        for_s: 20.0,
    },
];

/// One service of the order flow: log-normal latency, error rate, timeout, immediate retries
/// and a breaker of seed 003's settings (10 s window in 10 buckets, one half-open trial).
fn service(
    median_ms: f64,
    sigma: f64,
    error_rate: f64,
    timeout_ms: f64,
    retries: u32,
    (error_threshold_pct, volume_threshold, reset_timeout_ms): (f64, u32, f64),
) -> ServiceConfig {
    ServiceConfig {
        latency: Dist::log_normal(median_ms, sigma),
        error_rate,
        timeout_ms,
        retries,
        retry_backoff_ms: 0.0,
        breaker: Some(BreakerConfig {
            error_threshold_pct,
            volume_threshold,
            window_ms: 10_000.0,
            buckets: 10,
            reset_timeout_ms,
            half_open_trials: 1,
        }),
    }
}

/// The order flow without outages: the scenario of [`ORDER_FLOW`] (a test checks that the
/// document reads as this value). Built here rather than read from the document, so that a
/// program running the flow (the page) does not carry a reader for recovery documents.
pub fn order_flow() -> RecoveryScenario {
    RecoveryScenario {
        name: String::from("order-flow"),
        description: String::from(
            "seed 003's order flow with its breakers, outbox, retry and reconciliation jobs",
        ),
        seed: 1,
        duration_s: 1800.0,
        drain_s: 1800.0,
        orders_per_s: 5.0,
        interval_s: 5.0,
        services: Services {
            product: service(40.0, 0.3, 0.001, 2000.0, 0, (50.0, 10, 30_000.0)),
            database: service(5.0, 0.3, 0.0005, 1000.0, 2, (60.0, 10, 20_000.0)),
            delivery: service(120.0, 0.4, 0.002, 3000.0, 0, (40.0, 5, 60_000.0)),
            queue: service(15.0, 0.3, 0.001, 1000.0, 0, (50.0, 10, 30_000.0)),
        },
        delivery_failure: DeliveryFailure::RetryLater,
        compensation_attempts: 5,
        outbox: OutboxConfig {
            poll_interval_ms: 30_000.0,
            batch_size: 500,
            retry_limit: 5,
            backoff_ms: 30_000.0,
            backoff_cap_ms: 300_000.0,
        },
        ack_loss_rate: 0.0,
        delivery_retry: RetryJobConfig {
            interval_ms: 60_000.0,
            batch_size: 1000,
        },
        reconciliation: ReconciliationConfig {
            interval_ms: 300_000.0,
            batch_size: 5000,
            unavailable_share: 0.05,
        },
        projection: Some(ProjectionConfig {
            consumer_latency: Dist::log_normal(50.0, 0.5),
            poll_ms: 100.0,
            wait_timeout_ms: 5000.0,
        }),
        outages: Vec::new(),
    }
}

impl RecoveryPreset {
    /// The preset's scenario.
    pub fn scenario(&self) -> RecoveryScenario {
        let mut sc = order_flow();
        sc.name = String::from(self.name);
        sc.description = String::from(self.summary);
        sc.outages = vec![Outage {
            service: self.service,
            kind: self.kind,
            at_s: OUTAGE_AT_S,
            for_s: self.for_s,
            error_rate: None,
            extra_ms: None,
        }];
        sc
    }
}

impl RecoveryPreset {
    /// The preset's document: the order flow with its name, description and outage, to copy and
    /// edit.
    pub fn document(&self) -> String {
        let mut text = String::new();
        for line in ORDER_FLOW.lines() {
            if line.starts_with("name = ") {
                text.push_str(&alloc::format!("name = \"{}\"", self.name));
            } else if line.starts_with("description = ") {
                text.push_str(&alloc::format!("description = \"{}\"", self.summary));
            } else {
                text.push_str(line);
            }
            text.push('\n');
        }
        text.push_str(&alloc::format!(
            "\n[[outages]]\nservice = \"{}\"\nkind = \"{}\"\nat_s = {:?}\nfor_s = {:?}\n",
            self.service.name(),
            match self.kind {
                OutageKind::Down => "down",
                OutageKind::Degraded => "degraded",
                OutageKind::Slow => "slow",
            },
            OUTAGE_AT_S,
            self.for_s
        ));
        text
    }
}

/// The preset called `name`.
pub fn preset(name: &str) -> Option<&'static RecoveryPreset> {
    PRESETS.iter().find(|p| p.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_document_reads_as_the_order_flow() {
        assert_eq!(RecoveryScenario::from_toml(ORDER_FLOW), Ok(order_flow()));
    }

    #[test]
    fn each_preset_document_reads_as_its_scenario() {
        for p in PRESETS {
            let text = p.document();
            assert_eq!(
                RecoveryScenario::from_toml(&text),
                Ok(p.scenario()),
                "{}",
                p.name
            );
        }
    }
}
