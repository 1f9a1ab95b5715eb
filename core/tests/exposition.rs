//! The Prometheus text of an engine run and of a recovery run, read back by an independent parser
//! (`prometheus-parse`): every family typed, every value the report's.

use meridian_core::exposition::{engine_report, recovery_report};
use meridian_core::reliability::presets::preset;
use meridian_core::reliability::run as recovery;
use meridian_core::scenario::Scenario;
use meridian_core::sim::Simulation;
use prometheus_parse::{Scrape, Value};

fn scrape(text: &str) -> Scrape {
    Scrape::parse(text.lines().map(|l| Ok(l.to_string()))).expect("valid exposition")
}

fn value(s: &Scrape, metric: &str, labels: &[(&str, &str)]) -> f64 {
    let sample = s
        .samples
        .iter()
        .find(|x| {
            x.metric == metric
                && labels.iter().all(|(k, v)| x.labels.get(k) == Some(*v))
                && x.labels.iter().count() == labels.len()
        })
        .unwrap_or_else(|| panic!("{metric} {labels:?} missing"));
    match &sample.value {
        Value::Counter(v) | Value::Gauge(v) | Value::Untyped(v) => *v,
        Value::Summary(q) => q
            .iter()
            .find(|x| x.quantile == 0.95)
            .map(|x| x.count)
            .expect("p95"),
        Value::Histogram(_) => panic!("no histograms are written"),
    }
}

#[test]
fn an_engine_run_reads_back_with_its_figures() {
    let scenario = Scenario::preset("sg-down-promote").expect("preset");
    let model = scenario.validate().expect("valid");
    let mut sim = Simulation::new(model);
    sim.run();
    let report = sim.report();
    let text = engine_report(&report);
    let s = scrape(&text);
    assert_eq!(
        value(&s, "meridian_reads_total", &[]),
        report.counters.reads as f64
    );
    assert_eq!(
        value(&s, "meridian_replication_changes_total", &[]),
        report.counters.writes as f64
    );
    assert_eq!(
        value(&s, "meridian_rpo_lost_writes_total", &[]),
        report.failures.as_ref().expect("faults").rpo.lost_writes as f64
    );
    assert_eq!(
        value(
            &s,
            "meridian_replication_lag_milliseconds",
            &[("region", "US")]
        ),
        report.regions[1].staleness.p95
    );
    assert_eq!(
        value(&s, "meridian_read_latency_seconds", &[]),
        report.read_latency.p95 / 1000.0
    );
    for family in [
        "meridian_reads_total",
        "meridian_read_latency_seconds",
        "meridian_replication_lag_milliseconds",
    ] {
        assert!(s.docs.contains_key(family), "{family} has no HELP");
    }
}

#[test]
fn a_recovery_run_reads_back_with_its_figures() {
    let report = recovery(&preset("queue-down-2m").expect("preset").scenario()).expect("runs");
    let s = scrape(&recovery_report(&report));
    assert_eq!(
        value(&s, "meridian_outbox_events_published_total", &[]),
        report.outbox.published as f64
    );
    assert_eq!(
        value(&s, "meridian_orders_total", &[("outcome", "delivered")]),
        report.orders.delivered as f64
    );
    assert_eq!(
        value(
            &s,
            "meridian_circuit_breaker_state",
            &[("service", "queue")]
        ),
        0.0
    );
    assert_eq!(
        value(
            &s,
            "meridian_circuit_breaker_transitions_total",
            &[("service", "queue")]
        ),
        report.breaker_transitions[3] as f64
    );
    assert!(
        report.breaker_transitions[3] >= 3,
        "opened, half-opened, closed"
    );
}
