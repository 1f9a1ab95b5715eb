//! Reports in the Prometheus text exposition format (version 0.0.4), so a run's final figures can
//! be loaded next to a real system's: counters, gauges and summaries with `# HELP` and `# TYPE`
//! lines, names after seed 004's replication metrics where they fit (`*_replication_changes_total`,
//! `*_replication_conflicts_total`, `*_replication_lag_milliseconds`, ...) and after seed 003's
//! reliability metrics for recovery runs (breaker states, outbox backlog, manual-review queue).
//!
//! Written by hand rather than with a metrics crate: those are registries for a live, `std`
//! process, while these are a finished run's numbers written once, here in `no_std` code.

use alloc::format;
use alloc::string::String;
use core::fmt::Write as _;

use crate::metrics::Summary;
use crate::reliability::RecoveryReport;
use crate::reliability::breaker::BreakerState;
use crate::reliability::scenario::ServiceName;
use crate::sim::Report;

/// Prefix of every metric name.
pub const PREFIX: &str = "meridian";

/// A summary's figure at one quantile.
type AtQuantile = fn(&Summary) -> f64;

/// A labelled series of a summary family.
type Series<'a> = (&'a [(&'a str, &'a str)], &'a Summary);

/// Quantiles written for every summary.
const QUANTILES: [(&str, AtQuantile); 5] = [
    ("0.5", |s| s.p50),
    ("0.9", |s| s.p90),
    ("0.95", |s| s.p95),
    ("0.99", |s| s.p99),
    ("0.999", |s| s.p999),
];

/// The text being written: each metric family once, with its help and type.
struct Exposition {
    out: String,
}

impl Exposition {
    fn new() -> Self {
        Exposition { out: String::new() }
    }

    fn family(&mut self, name: &str, kind: &str, help: &str) {
        let _ = writeln!(self.out, "# HELP {PREFIX}_{name} {help}");
        let _ = writeln!(self.out, "# TYPE {PREFIX}_{name} {kind}");
    }

    fn sample(&mut self, name: &str, labels: &[(&str, &str)], value: f64) {
        let _ = write!(self.out, "{PREFIX}_{name}");
        if !labels.is_empty() {
            self.out.push('{');
            for (i, (k, v)) in labels.iter().enumerate() {
                if i > 0 {
                    self.out.push(',');
                }
                let _ = write!(self.out, "{k}=\"{}\"", escape(v));
            }
            self.out.push('}');
        }
        let _ = writeln!(self.out, " {}", number(value));
    }

    fn counter(&mut self, name: &str, help: &str, value: u64) {
        self.family(name, "counter", help);
        self.sample(name, &[], value as f64);
    }

    fn gauge(&mut self, name: &str, help: &str, value: f64) {
        self.family(name, "gauge", help);
        self.sample(name, &[], value);
    }

    /// A summary in seconds from a summary in ms, one series per `(labels, summary)`.
    fn summary_seconds(&mut self, name: &str, help: &str, series: &[Series<'_>]) {
        self.family(name, "summary", help);
        for (labels, s) in series {
            for (q, at) in QUANTILES {
                let mut with_q: alloc::vec::Vec<(&str, &str)> = labels.to_vec();
                with_q.push(("quantile", q));
                self.sample(name, &with_q, at(s) / 1000.0);
            }
            self.sample(
                &format!("{name}_sum"),
                labels,
                s.mean * s.count as f64 / 1000.0,
            );
            self.sample(&format!("{name}_count"), labels, s.count as f64);
        }
    }
}

/// A label value with `\`, `"` and newlines escaped.
fn escape(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// A sample value: integers without a fraction, others as Rust prints them, and Prometheus's
/// spellings of infinities and NaN.
fn number(v: f64) -> String {
    if v.is_nan() {
        "NaN".into()
    } else if v.is_infinite() {
        if v > 0.0 {
            "+Inf".into()
        } else {
            "-Inf".into()
        }
    } else if v == libm::trunc(v) && libm::fabs(v) < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// An engine run's final figures.
pub fn engine_report(report: &Report) -> String {
    let mut e = Exposition::new();
    let c = &report.counters;
    e.counter("reads_total", "Reads served.", c.reads);
    e.counter(
        "stale_reads_total",
        "Reads that returned an older version than the newest committed write.",
        c.stale_reads,
    );
    e.counter(
        "replication_changes_total",
        "Writes accepted (each replicated to every other replica).",
        c.writes,
    );
    e.counter(
        "replication_failures_total",
        "Replication batches dropped and writes lost in transit.",
        c.batch_drops + c.buffer_drops + c.writes_lost_in_transit,
    );
    e.counter(
        "replication_conflicts_total",
        "Concurrent writes to one key detected.",
        c.conflicts,
    );
    e.counter(
        "replication_conflicts_resolved_local",
        "Conflicts resolved by keeping the local change (the remote one discarded by last-write-wins).",
        c.discarded_by_lww,
    );
    e.counter(
        "replication_conflicts_resolved_remote",
        "Conflicts resolved by keeping the remote change (the local one overwritten by last-write-wins).",
        c.overwritten_by_lww,
    );
    e.counter(
        "write_failures_total",
        "Writes that failed after their retries.",
        c.write_failures,
    );
    e.counter(
        "write_retries_total",
        "Write attempts retried after a timeout.",
        c.write_retries,
    );
    e.family(
        "replication_lag_milliseconds",
        "gauge",
        "Staleness of reads at the 95th percentile, per home region of the clients.",
    );
    for r in &report.regions {
        e.sample(
            "replication_lag_milliseconds",
            &[("region", r.region.as_str())],
            r.staleness.p95,
        );
    }
    e.gauge(
        "replication_targets_total",
        "Regions in the topology.",
        report.regions.len() as f64,
    );
    let mut reads: alloc::vec::Vec<Series<'_>> = alloc::vec![(&[], &report.read_latency)];
    let labels: alloc::vec::Vec<[(&str, &str); 1]> = report
        .regions
        .iter()
        .map(|r| [("region", r.region.as_str())])
        .collect();
    for (r, l) in report.regions.iter().zip(&labels) {
        reads.push((l, &r.read_latency));
    }
    e.summary_seconds(
        "read_latency_seconds",
        "Read latency as clients see it (no region label: all clients).",
        &reads,
    );
    let mut writes: alloc::vec::Vec<Series<'_>> = alloc::vec![(&[], &report.write_latency)];
    for (r, l) in report.regions.iter().zip(&labels) {
        writes.push((l, &r.write_latency));
    }
    e.summary_seconds(
        "write_latency_seconds",
        "Write latency as clients see it (no region label: all clients).",
        &writes,
    );
    let mut stale: alloc::vec::Vec<Series<'_>> = alloc::vec![(&[], &report.staleness)];
    for (r, l) in report.regions.iter().zip(&labels) {
        stale.push((l, &r.staleness));
    }
    e.summary_seconds(
        "staleness_seconds",
        "How far behind the newest committed write a read was.",
        &stale,
    );
    if let Some(f) = &report.failures {
        e.counter(
            "rpo_lost_writes_total",
            "Acknowledged writes lost to failover (the RPO).",
            f.rpo.lost_writes,
        );
        e.gauge(
            "split_brain_seconds",
            "Time two leaders accepted writes at once.",
            f.split_brain_ms / 1000.0,
        );
    }
    e.out
}

/// A breaker state as a gauge value: 0 closed, 1 half-open, 2 open.
fn breaker_value(s: BreakerState) -> f64 {
    match s {
        BreakerState::Closed => 0.0,
        BreakerState::HalfOpen => 1.0,
        BreakerState::Open => 2.0,
    }
}

/// A recovery run's final figures.
pub fn recovery_report(report: &RecoveryReport) -> String {
    let mut e = Exposition::new();
    let o = &report.orders;
    e.family(
        "orders_total",
        "counter",
        "Orders by how they ended (in_flight and waiting_delivery: at the end of the run).",
    );
    for (outcome, v) in [
        ("rejected", o.rejected),
        ("delivered", o.delivered),
        ("compensated", o.compensated),
        ("stuck", o.stuck),
        ("waiting_delivery", o.waiting_delivery),
        ("in_flight", o.in_flight),
    ] {
        e.sample("orders_total", &[("outcome", outcome)], v as f64);
    }
    e.counter(
        "availability_fallbacks_total",
        "Availability checks answered by the fallback (orders flagged for review).",
        o.fallbacks,
    );
    e.counter(
        "compensations_total",
        "Compensation calls that succeeded.",
        o.compensation_calls,
    );
    e.counter(
        "compensation_failures_total",
        "Compensation calls that failed.",
        o.compensation_failures,
    );
    e.summary_seconds(
        "order_response_seconds",
        "Time from an order's arrival to its order id.",
        &[(&[], &report.response_ms)],
    );
    e.family(
        "circuit_breaker_state",
        "gauge",
        "Each service's breaker at the end: 0 closed, 1 half-open, 2 open.",
    );
    let last = report.timeline.last();
    for service in ServiceName::ALL {
        if let Some(state) = last.and_then(|iv| iv.breakers[service.index()]) {
            e.sample(
                "circuit_breaker_state",
                &[("service", service.name())],
                breaker_value(state),
            );
        }
    }
    e.family(
        "circuit_breaker_transitions_total",
        "counter",
        "Breaker state changes per service.",
    );
    for service in ServiceName::ALL {
        e.sample(
            "circuit_breaker_transitions_total",
            &[("service", service.name())],
            report.breaker_transitions[service.index()] as f64,
        );
    }
    let b = &report.outbox;
    e.counter(
        "outbox_events_committed_total",
        "Events written to the outbox with their orders.",
        b.committed,
    );
    e.counter(
        "outbox_events_published_total",
        "Outbox events published (each once).",
        b.published,
    );
    e.counter(
        "outbox_events_dead_lettered_total",
        "Outbox events given up after the retry limit (seed 003's failed events).",
        b.dead_lettered,
    );
    e.counter(
        "outbox_duplicates_total",
        "Extra copies the broker received after lost acknowledgements.",
        b.duplicates,
    );
    e.gauge(
        "outbox_events_pending",
        "Outbox events waiting at the end.",
        b.pending as f64,
    );
    e.gauge(
        "outbox_peak_backlog",
        "Most outbox events waiting at once.",
        b.peak_backlog as f64,
    );
    let r = &report.reviews;
    e.counter(
        "reconciliation_corrections_total",
        "Records the reconciliation job corrected on its own.",
        r.corrected,
    );
    e.gauge(
        "manual_review_queue_length",
        "Items flagged for manual review, and fallback orders not yet reconciled, at the end.",
        (r.manual + r.waiting) as f64,
    );
    if let Some(p) = &report.projection {
        e.counter(
            "read_after_write_timeouts_total",
            "Clients that gave up waiting for their order in the projection.",
            p.timeouts,
        );
        e.summary_seconds(
            "read_after_write_wait_seconds",
            "How long clients polled the projection before their order showed.",
            &[(&[], &p.wait_ms)],
        );
        let lag = report
            .timeline
            .last()
            .map_or(0.0, |iv| iv.projection_lag_ms);
        e.gauge(
            "projection_lag_milliseconds",
            "Age of the oldest stored order the projection does not show yet, at the end.",
            lag,
        );
    }
    e.out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_and_labels_are_written_as_prometheus_reads_them() {
        assert_eq!(number(3.0), "3");
        assert_eq!(number(0.25), "0.25");
        assert_eq!(number(f64::INFINITY), "+Inf");
        assert_eq!(number(f64::NAN), "NaN");
        assert_eq!(escape("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
        let mut e = Exposition::new();
        e.counter("x_total", "Things.", 7);
        e.summary_seconds(
            "t_seconds",
            "Times.",
            &[(
                &[("region", "eu")],
                &Summary {
                    count: 2,
                    p50: 1000.0,
                    mean: 1500.0,
                    ..Summary::default()
                },
            )],
        );
        let text = e.out;
        assert!(text.starts_with("# HELP meridian_x_total Things.\n# TYPE meridian_x_total counter\nmeridian_x_total 7\n"), "{text}");
        assert!(
            text.contains("meridian_t_seconds{region=\"eu\",quantile=\"0.5\"} 1\n"),
            "{text}"
        );
        assert!(
            text.contains("meridian_t_seconds_sum{region=\"eu\"} 3\n"),
            "{text}"
        );
        assert!(
            text.contains("meridian_t_seconds_count{region=\"eu\"} 2\n"),
            "{text}"
        );
    }
}
