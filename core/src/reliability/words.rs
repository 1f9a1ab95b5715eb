//! A recovery run's figures in words, in the units people read them in ("4.6 s", "3.8 min"): the
//! lines `meridian recovery` prints and the tiles of the page's Recovery view, written once.

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use alloc::{format, vec};

use super::report::{OutageMeasure, RecoveryReport};
use super::sweep::human_ms;

/// The run's figures as `(name, value)`: orders, order response, outbox, fallback orders, and
/// read-after-write when the scenario has a projection.
pub fn figures(r: &RecoveryReport) -> Vec<(&'static str, String)> {
    let o = &r.orders;
    let b = &r.outbox;
    let v = &r.reviews;
    let mut out = vec![
        (
            "orders",
            format!(
                "{} arrived, {} accepted, {} refused, {} delivered ({} late), {} compensated, \
                 {} stuck, {} waiting for delivery, {} lost",
                o.arrived,
                o.accepted,
                o.rejected,
                o.delivered,
                o.delivered_late,
                o.compensated,
                o.stuck,
                o.waiting_delivery,
                o.lost()
            ),
        ),
        (
            "order response",
            format!(
                "p50 {} · p95 {} · p99 {}",
                human_ms(r.response_ms.p50),
                human_ms(r.response_ms.p95),
                human_ms(r.response_ms.p99)
            ),
        ),
        (
            "outbox",
            format!(
                "{} committed, {} published, {} dead-lettered, {} duplicates, {} pending, peak \
                 backlog {}",
                b.committed, b.published, b.dead_lettered, b.duplicates, b.pending, b.peak_backlog
            ),
        ),
        (
            "fallback orders",
            format!(
                "{} flagged, {} corrected by reconciliation, {} to manual review, {} waiting",
                v.flagged, v.corrected, v.manual, v.waiting
            ),
        ),
    ];
    if let Some(p) = &r.projection {
        out.push((
            "read-after-write",
            format!(
                "{} clients saw their order (wait p50 {} · p95 {}), {} gave up; projection lag up \
                 to {}",
                p.seen,
                human_ms(p.wait_ms.p50),
                human_ms(p.wait_ms.p95),
                p.timeouts,
                human_ms(p.max_lag_ms)
            ),
        ));
    }
    out
}

/// An outage's detection ("4.6 s", or "never" when its breaker did not open).
pub fn detection(m: &OutageMeasure) -> String {
    m.detection_ms.map_or_else(|| "never".to_string(), human_ms)
}

/// An outage's recovery ("3.8 min", or "not within the run").
pub fn recovery(m: &OutageMeasure) -> String {
    m.recovery_ms
        .map_or_else(|| "not within the run".to_string(), human_ms)
}

/// An outage's total downtime (outage + recovery).
pub fn total(m: &OutageMeasure) -> String {
    m.recovery_ms.map_or_else(
        || "not within the run".to_string(),
        |r| human_ms(r + m.for_s * 1000.0),
    )
}
