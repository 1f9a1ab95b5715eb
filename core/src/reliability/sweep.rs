//! Seed 003's recovery table, simulated: every failure type (a service down) for a list of
//! outage lengths, over many seeds, with the median and 95th percentile of detection, recovery
//! and downtime, set next to the estimates the document gives by hand.

use alloc::vec::Vec;

use serde::Serialize;

use super::report::OutageMeasure;
use super::run::run;
use super::scenario::{Outage, OutageKind, RecoveryScenario, ServiceName};
use crate::error::FieldError;

/// When the sweep's outages start, s (after the flow has settled): each seed adds up to a minute
/// ([`outage_start_s`]), so that outages do not all begin in step with the periodic jobs.
pub const SWEEP_OUTAGE_AT_S: f64 = 300.0;

/// The start of seed `seed`'s outage: [`SWEEP_OUTAGE_AT_S`] plus a fraction of a minute spread
/// evenly over seeds (the golden-ratio sequence), whole milliseconds.
pub fn outage_start_s(seed: u64) -> f64 {
    let frac = (seed as f64 * 0.618_033_988_749_895) % 1.0;
    SWEEP_OUTAGE_AT_S + libm::round(frac * 60_000.0) / 1000.0
}

/// Seed 003's hand-typed estimates for one failure type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Estimate {
    /// The service.
    pub service: ServiceName,
    /// The row's name in the document.
    pub label: &'static str,
    /// "Detection Time".
    pub detection: &'static str,
    /// "Recovery Time".
    pub recovery: &'static str,
    /// "Total Downtime".
    pub downtime: &'static str,
}

/// The document's table (its "Network Issues" row has no service to fail and is left out).
pub const ESTIMATES: [Estimate; 4] = [
    Estimate {
        service: ServiceName::Delivery,
        label: "Delivery Service",
        detection: "5-10 s",
        recovery: "1-30 min",
        downtime: "1-30 min",
    },
    Estimate {
        service: ServiceName::Product,
        label: "Product Service",
        detection: "5-10 s",
        recovery: "5-60 min",
        downtime: "5-60 min",
    },
    Estimate {
        service: ServiceName::Queue,
        label: "SQS/SNS",
        detection: "10-30 s",
        recovery: "30 s-5 min",
        downtime: "30 s-5 min",
    },
    Estimate {
        service: ServiceName::Database,
        label: "Database",
        detection: "2-5 s",
        recovery: "immediate",
        downtime: "20-30 s",
    },
];

/// Median and 95th percentile over seeds, ms, and how many runs had a value at all.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct OverSeeds {
    /// Median (nearest rank), ms.
    pub median_ms: Option<f64>,
    /// 95th percentile (nearest rank), ms.
    pub p95_ms: Option<f64>,
    /// Runs with a value (detection: runs where the breaker opened; recovery: runs that reached
    /// the steady state before the end).
    pub runs: u32,
}

impl OverSeeds {
    fn of(mut values: Vec<f64>) -> Self {
        values.sort_by(f64::total_cmp);
        let rank = |q: f64| {
            let n = values.len();
            (n > 0).then(|| values[(libm::ceil(q * n as f64) as usize).clamp(1, n) - 1])
        };
        OverSeeds {
            median_ms: rank(0.5),
            p95_ms: rank(0.95),
            runs: values.len() as u32,
        }
    }
}

/// One row of the simulated table: a failure type and an outage length.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct RecoveryRow {
    /// The document's estimates for this failure type.
    pub estimate: Estimate,
    /// The outage's length, s.
    pub outage_s: f64,
    /// Seeds run.
    pub seeds: u32,
    /// Outage start to breaker open.
    pub detection: OverSeeds,
    /// Outage end to steady state.
    pub recovery: OverSeeds,
    /// Outage start to steady state: what the document calls total downtime.
    pub total: OverSeeds,
    /// First to last order refused to a customer.
    pub refused: OverSeeds,
    /// Orders lost, summed over seeds (the patterns promise 0).
    pub lost_orders: u64,
    /// Outbox events dead-lettered, summed over seeds.
    pub dead_lettered: u64,
    /// Manual-review items, median over seeds.
    pub manual_review_median: u64,
}

/// Runs `base` (its own outages replaced) with every failure type of [`ESTIMATES`] down for
/// each of `durations_s`, for seeds `1..=seeds`; `progress(done, total)` after every run.
pub fn recovery_table(
    base: &RecoveryScenario,
    durations_s: &[f64],
    seeds: u32,
    mut progress: impl FnMut(u64, u64),
) -> Result<Vec<RecoveryRow>, FieldError> {
    let total = (ESTIMATES.len() * durations_s.len()) as u64 * u64::from(seeds);
    let mut done = 0;
    let mut rows = Vec::new();
    for estimate in ESTIMATES {
        for &outage_s in durations_s {
            let mut measures: Vec<OutageMeasure> = Vec::new();
            let (mut lost, mut dead, mut manual) = (0, 0, Vec::new());
            for seed in 1..=u64::from(seeds) {
                let mut sc = base.clone();
                sc.seed = seed;
                sc.outages = alloc::vec![Outage {
                    service: estimate.service,
                    kind: OutageKind::Down,
                    at_s: outage_start_s(seed),
                    for_s: outage_s,
                    error_rate: None,
                    extra_ms: None,
                }];
                let report = run(&sc)?;
                lost += report.orders.lost();
                dead += report.outbox.dead_lettered;
                manual.push(report.reviews.manual);
                measures.extend(report.outages.first().copied());
                done += 1;
                progress(done, total);
            }
            manual.sort_unstable();
            let of = |f: &dyn Fn(&OutageMeasure) -> Option<f64>| {
                OverSeeds::of(measures.iter().filter_map(f).collect())
            };
            rows.push(RecoveryRow {
                estimate,
                outage_s,
                seeds,
                detection: of(&|m| m.detection_ms),
                recovery: of(&|m| m.recovery_ms),
                total: of(&|m| m.recovery_ms.map(|r| r + m.for_s * 1000.0)),
                refused: of(&|m| Some(m.downtime_ms)),
                lost_orders: lost,
                dead_lettered: dead,
                manual_review_median: manual.get(manual.len() / 2).copied().unwrap_or(0),
            });
        }
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_quantiles() {
        let s = OverSeeds::of(alloc::vec![5.0, 1.0, 3.0, 2.0, 4.0]);
        assert_eq!((s.median_ms, s.p95_ms, s.runs), (Some(3.0), Some(5.0), 5));
        assert_eq!(OverSeeds::of(Vec::new()), OverSeeds::default());
        assert_eq!(outage_start_s(1), 337.082);
        assert!((1..1000).all(|s| (300.0..360.0).contains(&outage_start_s(s))));
    }
}
