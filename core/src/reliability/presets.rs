//! Seed 003's failure scenarios as recovery presets: the order flow of
//! `presets/recovery/order-flow.toml` with one outage each, starting 312.5 s into a half-hour of
//! orders (off the beat of the periodic jobs, so detection is not flattered by a job that happens
//! to run the moment the outage starts).

use alloc::string::String;
use alloc::vec;

use super::scenario::{Outage, OutageKind, RecoveryScenario, ServiceName};

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

/// The order flow without outages.
pub fn order_flow() -> RecoveryScenario {
    // The shipped document is checked by the tests; a failure here is a build defect.
    RecoveryScenario::from_toml(ORDER_FLOW).expect("the shipped order flow reads")
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
