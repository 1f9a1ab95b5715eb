//! The figures the Compare view sets side by side: each a row with option A's value, option B's,
//! and the difference, all read from the two engine reports. For every row lower is better, so
//! the page can say which option wins it.

use meridian_core::sim::Report;

use crate::format::{group_digits, millis, percent};

/// How a row's values are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Milliseconds.
    Ms,
    /// A share, 0 to 1, written as a percentage.
    Share,
    /// A count.
    Count,
}

impl Unit {
    /// `v` written in this unit.
    pub fn format(self, v: f64) -> String {
        match self {
            Unit::Ms => millis(v),
            Unit::Share => percent(v),
            Unit::Count => group_digits(v.max(0.0).round() as u64),
        }
    }
}

/// Which option a row favours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Better {
    /// A's value is lower.
    A,
    /// B's value is lower.
    B,
    /// The values are equal.
    Same,
}

/// One compared figure.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// What the figure is.
    pub label: &'static str,
    /// Short key for tests and anchors.
    pub key: &'static str,
    /// How to write it.
    pub unit: Unit,
    /// Option A's value.
    pub a: f64,
    /// Option B's value.
    pub b: f64,
}

impl Row {
    /// Which option the row favours (lower is better).
    pub fn better(&self) -> Better {
        if self.a == self.b {
            Better::Same
        } else if self.b < self.a {
            Better::B
        } else {
            Better::A
        }
    }

    /// B minus A in the row's unit, with the relative change when A is not zero:
    /// `+132.0 ms (+61%)`.
    pub fn delta(&self) -> String {
        let d = self.b - self.a;
        if d == 0.0 {
            return "same".to_string();
        }
        let sign = if d > 0.0 { "+" } else { "−" };
        let size = match self.unit {
            Unit::Share => format!("{:.2} pts", d.abs() * 100.0),
            unit => unit.format(d.abs()),
        };
        if self.a != 0.0 && self.unit != Unit::Share {
            format!("{sign}{size} ({sign}{:.0}%)", (d / self.a).abs() * 100.0)
        } else {
            format!("{sign}{size}")
        }
    }
}

/// Share of `part` in `whole` (0 when `whole` is 0).
fn share(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// The rows for reports `a` and `b`. Rows that are zero in both reports and only matter for some
/// designs (conflicts, wallets, outages) are left out.
pub fn rows(a: &Report, b: &Report) -> Vec<Row> {
    type Pick = fn(&Report) -> f64;
    let always: [(&'static str, &'static str, Unit, Pick); 9] = [
        ("read latency p50", "read-p50", Unit::Ms, |r| {
            r.read_latency.p50
        }),
        ("read latency p95", "read-p95", Unit::Ms, |r| {
            r.read_latency.p95
        }),
        ("read latency p99", "read-p99", Unit::Ms, |r| {
            r.read_latency.p99
        }),
        ("write latency p50", "write-p50", Unit::Ms, |r| {
            r.write_latency.p50
        }),
        ("write latency p95", "write-p95", Unit::Ms, |r| {
            r.write_latency.p95
        }),
        ("write latency p99", "write-p99", Unit::Ms, |r| {
            r.write_latency.p99
        }),
        ("staleness p95", "staleness-p95", Unit::Ms, |r| {
            r.staleness.p95
        }),
        ("staleness p99", "staleness-p99", Unit::Ms, |r| {
            r.staleness.p99
        }),
        ("stale reads", "stale-share", Unit::Share, |r| {
            share(r.counters.stale_reads, r.counters.reads)
        }),
    ];
    let when_seen: [(&'static str, &'static str, Unit, Pick); 9] = [
        ("read-your-writes violations", "ryw", Unit::Count, |r| {
            r.counters.read_your_writes_violations as f64
        }),
        ("monotonic-read violations", "monotonic", Unit::Count, |r| {
            r.counters.monotonic_read_violations as f64
        }),
        (
            "writes discarded by last-write-wins",
            "lww-discarded",
            Unit::Count,
            |r| r.counters.discarded_by_lww as f64,
        ),
        ("writes failed", "write-failures", Unit::Count, |r| {
            r.counters.write_failures as f64
        }),
        ("overspent wallets", "overspent", Unit::Count, |r| {
            r.entities.iter().map(|e| e.overspent_wallets).sum::<u64>() as f64
        }),
        (
            "wallets with lost charges",
            "lost-charges",
            Unit::Count,
            |r| {
                r.entities
                    .iter()
                    .map(|e| e.wallets_with_lost_charges)
                    .sum::<u64>() as f64
            },
        ),
        ("charges refused", "refused", Unit::Count, |r| {
            r.entities.iter().map(|e| e.refused_charges).sum::<u64>() as f64
        }),
        (
            "reads failed in outages",
            "reads-failed",
            Unit::Count,
            |r| {
                r.failures
                    .as_ref()
                    .map_or(0.0, |f| f.counters.reads_failed as f64)
            },
        ),
        ("acknowledged writes lost (RPO)", "rpo", Unit::Count, |r| {
            r.failures
                .as_ref()
                .map_or(0.0, |f| f.rpo.lost_writes as f64)
        }),
    ];
    let row = |(label, key, unit, pick): (&'static str, &'static str, Unit, Pick)| Row {
        label,
        key,
        unit,
        a: pick(a),
        b: pick(b),
    };
    always
        .into_iter()
        .map(row)
        .chain(
            when_seen
                .into_iter()
                .map(row)
                .filter(|r| r.a != 0.0 || r.b != 0.0),
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use meridian_core::scenario::Scenario;
    use meridian_core::sim::Simulation;
    use meridian_core::time::SimTime;

    fn report(preset: &str) -> Report {
        let model = Scenario::preset(preset).unwrap().validate().unwrap();
        let mut sim = Simulation::new(model);
        sim.run_until(SimTime(5_000_000));
        sim.report()
    }

    #[test]
    fn rows_read_the_reports_and_name_the_better_option() {
        let (a, b) = (report("sg-us-wallet"), report("sg-us-multi-leader"));
        let rows = rows(&a, &b);
        let p95 = rows.iter().find(|r| r.key == "write-p95").unwrap();
        assert_eq!((p95.a, p95.b), (a.write_latency.p95, b.write_latency.p95));
        // Multi-leader writes stay in the home region: option B writes faster.
        assert_eq!(p95.better(), Better::B);
        assert!(rows.iter().any(|r| r.key == "lww-discarded"));
        assert!(rows.iter().all(|r| r.key != "overspent"), "zero in both");
    }

    #[test]
    fn deltas_are_signed_and_relative() {
        let row = |a, b, unit| Row {
            label: "x",
            key: "x",
            unit,
            a,
            b,
        };
        assert_eq!(row(200.0, 250.0, Unit::Ms).delta(), "+50 ms (+25%)");
        assert_eq!(row(200.0, 150.0, Unit::Ms).better(), Better::B);
        assert_eq!(row(0.10, 0.05, Unit::Share).delta(), "−5.00 pts");
        assert_eq!(row(0.0, 3.0, Unit::Count).delta(), "+3");
        assert_eq!(row(3.0, 3.0, Unit::Count).delta(), "same");
        assert_eq!(row(3.0, 3.0, Unit::Count).better(), Better::Same);
    }
}
