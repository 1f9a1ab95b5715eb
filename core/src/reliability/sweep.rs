//! Seed 003's recovery table, simulated: every failure type (a service down) for a list of
//! outage lengths, over many seeds, with the median and 95th percentile of detection, recovery
//! and downtime, set next to the estimates the document gives by hand.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde::Serialize;

use super::report::{OutageMeasure, RecoveryReport};
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
            let mut row = RowBuilder::new(estimate, outage_s);
            for seed in 1..=u64::from(seeds) {
                let report = run(&table_run(base, estimate.service, outage_s, seed))?;
                row.add(&report);
                done += 1;
                progress(done, total);
            }
            rows.push(row.finish());
        }
    }
    Ok(rows)
}

/// A duration in ms as a reader of the table wants it: "850 ms", "4.9 s", "3.2 min"; "?" for a
/// value that is not a finite, non-negative number.
pub fn human_ms(ms: f64) -> String {
    if !ms.is_finite() || ms < 0.0 {
        "?".to_string()
    } else if ms < 1_000.0 {
        format!("{ms:.0} ms")
    } else if ms < 120_000.0 {
        format!("{:.1} s", ms / 1000.0)
    } else {
        format!("{:.1} min", ms / 60_000.0)
    }
}

/// "median / p95" of `s` over `seeds` runs, with "(k of n)" when only k runs had a value, or
/// "never" when none had.
pub fn spread(s: &OverSeeds, seeds: u32) -> String {
    match (s.median_ms, s.p95_ms) {
        (Some(m), Some(p)) if s.runs == seeds => format!("{} / {}", human_ms(m), human_ms(p)),
        (Some(m), Some(p)) => format!("{} / {} ({} of {seeds})", human_ms(m), human_ms(p), s.runs),
        _ => "never".to_string(),
    }
}

/// The columns of the simulated table, as `meridian recovery` prints them and the page shows
/// them.
pub const TABLE_HEADER: [&str; 10] = [
    "failure",
    "outage",
    "detection",
    "recovery",
    "total downtime",
    "refused orders",
    "lost",
    "dead-lettered",
    "manual review",
    "seed 003: detection | recovery | total",
];

/// One row of the table as text, in the columns of [`TABLE_HEADER`].
pub fn row_cells(r: &RecoveryRow) -> [String; 10] {
    [
        r.estimate.label.to_string(),
        human_ms(r.outage_s * 1000.0),
        spread(&r.detection, r.seeds),
        spread(&r.recovery, r.seeds),
        spread(&r.total, r.seeds),
        spread(&r.refused, r.seeds),
        r.lost_orders.to_string(),
        r.dead_lettered.to_string(),
        r.manual_review_median.to_string(),
        format!(
            "{} | {} | {}",
            r.estimate.detection, r.estimate.recovery, r.estimate.downtime
        ),
    ]
}

/// The run of `base` that [`recovery_table`] makes for failure type `estimate`, outage length
/// `outage_s` and seed `seed`: one step of the table, for callers that run it a step at a time
/// (the page) and gather the measures with [`RowBuilder`].
pub fn table_run(
    base: &RecoveryScenario,
    service: ServiceName,
    outage_s: f64,
    seed: u64,
) -> RecoveryScenario {
    let mut sc = base.clone();
    sc.seed = seed;
    sc.outages = alloc::vec![Outage {
        service,
        kind: OutageKind::Down,
        at_s: outage_start_s(seed),
        for_s: outage_s,
        error_rate: None,
        extra_ms: None,
    }];
    sc
}

/// The runs of one row of the table, gathered one at a time.
#[derive(Debug, Clone)]
pub struct RowBuilder {
    estimate: Estimate,
    outage_s: f64,
    measures: Vec<OutageMeasure>,
    lost: u64,
    dead: u64,
    manual: Vec<u64>,
}

impl RowBuilder {
    /// A row without runs yet.
    pub fn new(estimate: Estimate, outage_s: f64) -> Self {
        RowBuilder {
            estimate,
            outage_s,
            measures: Vec::new(),
            lost: 0,
            dead: 0,
            manual: Vec::new(),
        }
    }

    /// Adds one seed's report.
    pub fn add(&mut self, report: &RecoveryReport) {
        self.lost += report.orders.lost();
        self.dead += report.outbox.dead_lettered;
        self.manual.push(report.reviews.manual);
        self.measures.extend(report.outages.first().copied());
    }

    /// The row over the runs added.
    pub fn finish(mut self) -> RecoveryRow {
        self.manual.sort_unstable();
        let measures = &self.measures;
        let of = |f: &dyn Fn(&OutageMeasure) -> Option<f64>| {
            OverSeeds::of(measures.iter().filter_map(f).collect())
        };
        RecoveryRow {
            estimate: self.estimate,
            outage_s: self.outage_s,
            seeds: self.manual.len() as u32,
            detection: of(&|m| m.detection_ms),
            recovery: of(&|m| m.recovery_ms),
            total: of(&|m| m.recovery_ms.map(|r| r + m.for_s * 1000.0)),
            refused: of(&|m| Some(m.downtime_ms)),
            lost_orders: self.lost,
            dead_lettered: self.dead,
            manual_review_median: self.manual.get(self.manual.len() / 2).copied().unwrap_or(0),
        }
    }
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
