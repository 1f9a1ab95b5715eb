//! The Recovery view's words: the figures of a run as the tiles show them (orders by outcome,
//! outbox, reviews, read-after-write, each outage's detection, recovery and downtime, in the
//! units `meridian recovery` prints), the table's lines, and the view's lede and footer. Every
//! number in them comes from the report or core's constants.

use meridian_core::reliability::RecoveryReport;
use meridian_core::reliability::report::OutageMeasure;
pub use meridian_core::reliability::sweep::human_ms;
use meridian_core::reliability::sweep::{
    ESTIMATES, RecoveryRow, SWEEP_OUTAGE_AT_S, TABLE_HEADER, row_cells,
};
use meridian_core::reliability::words;

use crate::format::group_digits;

/// One figure: its name, its value and its test id.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// What it is.
    pub name: &'static str,
    /// Its value in words.
    pub value: String,
    /// Its test id.
    pub testid: &'static str,
}

/// The figures of a run, in the order and words `meridian recovery` prints them (core's
/// [`words::figures`]), named with a capital letter; a scenario without a projection says so.
pub fn figures(r: &RecoveryReport) -> Vec<Figure> {
    let mut out: Vec<Figure> = words::figures(r)
        .into_iter()
        .map(|(key, value)| {
            let (name, testid) = match key {
                "orders" => ("Orders", "recovery-orders"),
                "order response" => ("Order response", "recovery-response"),
                "outbox" => ("Outbox", "recovery-outbox"),
                "fallback orders" => ("Fallback orders", "recovery-reviews"),
                _ => ("Read-after-write", "recovery-projection"),
            };
            Figure {
                name,
                value,
                testid,
            }
        })
        .collect();
    if r.projection.is_none() {
        out.push(Figure {
            name: "Read-after-write",
            value: "not modelled (the scenario has no projection)".to_string(),
            testid: "recovery-projection",
        });
    }
    out
}

pub use meridian_core::reliability::words::{detection, recovery, total};

/// An outage in words: "delivery down at 312.5 s for 600 s".
pub fn outage(m: &OutageMeasure) -> String {
    meridian_core::charts::recovery::outage_label(m)
        .trim_start_matches("outage: ")
        .to_string()
}

/// The run behind the figures: name, seed, orders and drain.
pub fn tallies(r: &RecoveryReport) -> String {
    format!(
        "{} · seed {} · {} s of orders + {} s drain · {} orders",
        r.name,
        r.seed,
        r.duration_s,
        r.drain_s,
        group_digits(r.orders.arrived)
    )
}

/// The table's columns.
pub fn table_header() -> [&'static str; 10] {
    TABLE_HEADER
}

/// The table's cells, as `meridian recovery` prints them.
pub fn table_cells(rows: &[RecoveryRow]) -> Vec<[String; 10]> {
    rows.iter().map(row_cells).collect()
}

/// The sentence above the table.
pub fn table_caption(seeds: u32) -> String {
    format!(
        "Seed 003's recovery table, simulated: 'order-flow', each of the {} failure types down \
         for 20 s, 2 min and 10 min from {}-{} s (by seed), {seeds} seeds per row; median / p95 \
         over seeds, next to the document's estimates.",
        ESTIMATES.len(),
        SWEEP_OUTAGE_AT_S,
        SWEEP_OUTAGE_AT_S + 60.0
    )
}

/// The paragraph under the title.
pub fn lede() -> String {
    "How seed 003's patterns carry an order flow through a service outage: circuit breakers, a \
     fallback flagged for review, a transactional outbox, a delivery retry job and \
     reconciliation. Pick a preset or edit the outage; meridian-core runs it here, in the page, \
     with the same figures as `meridian recovery`."
        .to_string()
}

/// The footer.
pub fn footer() -> String {
    "detection: outage start to breaker open; recovery: outage end until breakers are closed \
     and nothing the outage left (outbox events, deliveries, fallback orders) still waits; total \
     downtime: outage + recovery; refused orders: first to last order refused to a customer. \
     Every figure is computed in the browser by meridian-core."
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use meridian_core::reliability::presets::preset;
    use meridian_core::reliability::run;

    #[test]
    fn the_figures_read_like_the_cli() {
        let r = run(&preset("delivery-down-10m").unwrap().scenario()).unwrap();
        let f = figures(&r);
        assert_eq!(f.len(), 5);
        assert!(
            f[0].value
                .starts_with(&format!("{} arrived", r.orders.arrived))
        );
        assert!(f[0].value.ends_with(" 0 lost"));
        let m = &r.outages[0];
        assert_eq!(outage(m), "delivery down at 312.5 s for 600 s");
        assert_eq!(detection(m), human_ms(m.detection_ms.unwrap()));
        assert!(tallies(&r).starts_with("delivery-down-10m · seed 1 · 1800 s of orders"));
    }
}
