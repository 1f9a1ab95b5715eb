//! The reliability patterns' promises, checked as properties over sweeps of outages and seeds:
//! the outbox loses nothing, sagas leave no half-done order, no order vanishes; and the recovery
//! measures of seed 003's scenarios against what the configuration implies.

use meridian_core::reliability::presets::{PRESETS, order_flow, preset};
use meridian_core::reliability::scenario::{DeliveryFailure, Outage, OutageKind, ServiceName};
use meridian_core::reliability::{RecoveryReport, RecoveryScenario, run};

fn with_outage(service: ServiceName, kind: OutageKind, for_s: f64, seed: u64) -> RecoveryScenario {
    let mut sc = order_flow();
    sc.seed = seed;
    sc.duration_s = 900.0;
    sc.outages = vec![Outage {
        service,
        kind,
        at_s: 120.0,
        for_s,
        error_rate: (kind == OutageKind::Degraded).then_some(0.7),
        extra_ms: (kind == OutageKind::Slow).then_some(5_000.0),
    }];
    sc
}

fn ran(sc: &RecoveryScenario) -> RecoveryReport {
    run(sc).unwrap_or_else(|e| panic!("{}: {e}", sc.name))
}

#[test]
fn the_shipped_flow_and_presets_validate_and_run_quietly_without_outages() {
    let sc = order_flow();
    assert_eq!(sc.validate(), Ok(()));
    let r = ran(&sc);
    assert_eq!(r.orders.lost(), 0);
    assert_eq!(r.orders.rejected, 0);
    assert!(r.orders.arrived > 8_000, "{:?}", r.orders);
    assert_eq!(r.breaker_transitions, [0; 4]);
    assert_eq!(r.outbox.published, r.outbox.committed);
    for p in PRESETS {
        assert_eq!(p.scenario().validate(), Ok(()), "{}", p.name);
    }
}

#[test]
fn the_outbox_loses_nothing_across_outage_lengths_and_seeds() {
    for for_s in [5.0, 45.0, 120.0, 400.0, 900.0] {
        for seed in 1..=4 {
            let mut sc = with_outage(ServiceName::Queue, OutageKind::Down, for_s, seed);
            sc.ack_loss_rate = 0.01;
            let r = ran(&sc);
            let o = r.outbox;
            assert_eq!(
                o.committed,
                o.published + o.dead_lettered + o.pending,
                "queue down {for_s} s, seed {seed}: {o:?}"
            );
            assert_eq!(o.committed, r.orders.accepted);
            // Acknowledgements lost: the broker got copies, counted, never more than publishes.
            assert!(o.duplicates > 0 && o.duplicates < o.published, "{o:?}");
            assert_eq!(r.orders.lost(), 0);
        }
    }
}

#[test]
fn a_long_broker_outage_dead_letters_what_passes_the_retry_limit_and_a_short_one_does_not() {
    let short = ran(&with_outage(ServiceName::Queue, OutageKind::Down, 120.0, 1));
    assert_eq!(short.outbox.dead_lettered, 0, "{:?}", short.outbox);
    assert!(short.outbox.peak_backlog > 500, "{:?}", short.outbox);
    let long = ran(&with_outage(ServiceName::Queue, OutageKind::Down, 900.0, 1));
    assert!(long.outbox.dead_lettered > 0, "{:?}", long.outbox);
}

#[test]
fn sagas_leave_no_half_done_order() {
    for (kind, for_s) in [
        (OutageKind::Down, 300.0),
        (OutageKind::Slow, 120.0),
        (OutageKind::Degraded, 200.0),
    ] {
        for seed in 1..=3 {
            let mut sc = with_outage(ServiceName::Delivery, kind, for_s, seed);
            sc.delivery_failure = DeliveryFailure::Compensate;
            // The database blips while compensations run: some are retried, a few may give up.
            sc.outages.push(Outage {
                service: ServiceName::Database,
                kind: OutageKind::Degraded,
                at_s: 150.0,
                for_s: 60.0,
                error_rate: Some(0.5),
                extra_ms: None,
            });
            let r = ran(&sc);
            let o = r.orders;
            assert_eq!(o.lost(), 0, "{kind:?} seed {seed}: {o:?}");
            assert_eq!(o.in_flight, 0, "every saga ended: {o:?}");
            assert_eq!(
                o.waiting_delivery, 0,
                "compensation replaces waiting: {o:?}"
            );
            assert!(o.compensated > 0, "{o:?}");
            assert!(o.compensation_failures > 0, "{o:?}");
            assert_eq!(o.accepted, o.delivered + o.compensated + o.stuck, "{o:?}");
        }
    }
}

#[test]
fn seed_003_scenarios_detect_recover_and_count_as_the_configuration_implies() {
    let delivery = ran(&preset("delivery-down-10m").expect("preset").scenario());
    let m = delivery.outages[0];
    // Five orders a second, each timing out after 3 s: the fifth failure opens the breaker.
    let detect = m.detection_ms.expect("detected");
    assert!((3_000.0..6_000.0).contains(&detect), "{m:?}");
    assert_eq!(
        m.downtime_ms, 0.0,
        "orders are accepted while delivery is down"
    );
    let recovery = m.recovery_ms.expect("recovered");
    // The retry job (every 60 s, 1,000 orders a run) finds the breaker half-open within its
    // 60 s reset, its first call is the trial that closes it, and the rest of the run goes
    // through: ceil(backlog / 1,000) runs, the first within two minutes of the end.
    let runs = (delivery.orders.delivered_late as f64 / 1_000.0).ceil();
    let bound = 120_000.0 + (runs - 1.0) * 60_000.0 + 5_000.0;
    assert!(
        (runs - 1.0) * 60_000.0 <= recovery && recovery <= bound,
        "{m:?}, bound {bound}"
    );
    assert_eq!(delivery.orders.lost(), 0);
    assert_eq!(delivery.orders.waiting_delivery, 0);
    assert!(
        delivery.orders.delivered_late > 2_500,
        "{:?}",
        delivery.orders
    );

    let product = ran(&preset("product-down-10m").expect("preset").scenario());
    assert!(product.reviews.flagged > 2_500, "{:?}", product.reviews);
    assert_eq!(
        product.reviews.flagged,
        product.reviews.corrected + product.reviews.manual + product.reviews.waiting
    );
    assert!(product.reviews.manual > 0);
    // Reconciliation runs every 5 minutes and a check that fails waits for the next run: the
    // flagged orders are cleared by the first run after the outage, or by the one after.
    let pm = product.outages[0];
    let end_s = pm.at_s + pm.for_s;
    let next_run_s = (end_s / 300.0).ceil() * 300.0;
    let recovery = pm.recovery_ms.expect("recovered");
    assert!(
        [next_run_s, next_run_s + 300.0].contains(&(end_s + recovery / 1000.0)),
        "{pm:?}"
    );

    let db = ran(&preset("database-blip-20s").expect("preset").scenario());
    let dm = db.outages[0];
    assert!(db.orders.rejected > 100, "{:?}", db.orders);
    // Refused from the first timeout until the breaker's 20 s reset lets a trial through after
    // the database is back: more than the outage, less than outage + reset + a timeout.
    assert!((19_000.0..42_000.0).contains(&dm.downtime_ms), "{dm:?}");
}

#[test]
fn bad_documents_name_the_field() {
    let mut sc = order_flow();
    sc.services
        .delivery
        .breaker
        .as_mut()
        .expect("breaker")
        .volume_threshold = 0;
    assert_eq!(
        sc.validate().unwrap_err().path,
        "services.delivery.breaker.volume_threshold"
    );
    let mut sc = order_flow();
    sc.outages.push(Outage {
        service: ServiceName::Queue,
        kind: OutageKind::Slow,
        at_s: 10.0,
        for_s: 5.0,
        error_rate: None,
        extra_ms: None,
    });
    assert_eq!(sc.validate().unwrap_err().path, "outages[0].extra_ms");
    let err = RecoveryScenario::from_toml("name = \"x\"\nduration_s = \"long\"").unwrap_err();
    assert!(err.contains("duration_s"), "{err}");
}

#[test]
fn read_after_write_waits_follow_the_outbox_poller() {
    // Seed 003's poller runs every 30 s: seed 002's 5-second wait mostly runs out.
    let slow = ran(&with_outage(ServiceName::Queue, OutageKind::Down, 1.0, 1));
    let p = slow.projection.expect("a projection");
    let share_seen = p.seen as f64 / (p.seen + p.timeouts) as f64;
    assert!((0.05..0.35).contains(&share_seen), "{p:?}");
    assert_eq!(p.seen + p.timeouts, slow.outbox.committed);
    assert!(p.max_lag_ms > 25_000.0, "{p:?}");
    // A poller every 200 ms: nearly every client sees its order within a second.
    let mut sc = with_outage(ServiceName::Queue, OutageKind::Down, 1.0, 1);
    sc.outbox.poll_interval_ms = 200.0;
    let fast = ran(&sc);
    let p = fast.projection.expect("a projection");
    assert!(p.timeouts * 100 < p.seen, "{p:?}");
    assert!(p.wait_ms.p95 <= 1_000.0, "{p:?}");
    // Whole polls (min and max are exact; percentiles are within the histogram's 1/256).
    assert_eq!(
        (p.wait_ms.min % 100.0, p.wait_ms.max % 100.0),
        (0.0, 0.0),
        "{p:?}"
    );
}

#[test]
fn retries_with_a_backoff_ride_out_a_short_database_blip() {
    let mut sc = order_flow();
    sc.duration_s = 600.0;
    sc.outages = vec![Outage {
        service: ServiceName::Database,
        kind: OutageKind::Down,
        at_s: 200.0,
        for_s: 3.0,
        error_rate: None,
        extra_ms: None,
    }];
    // Immediate retries all land inside a 3 s outage: orders are refused.
    let at_once = ran(&sc);
    assert!(at_once.orders.rejected > 0, "{:?}", at_once.orders);
    // Two retries 4 s apart outlast it (the breaker may still refuse some).
    sc.services.database.retry_backoff_ms = 4_000.0;
    let patient = ran(&sc);
    assert!(
        patient.orders.rejected < at_once.orders.rejected,
        "{:?} vs {:?}",
        patient.orders,
        at_once.orders
    );
    assert_eq!(patient.orders.lost(), 0);
    assert!(
        patient.response_ms.max > 4_000.0,
        "the waits show in the response time"
    );
    sc.services.database.retry_backoff_ms = -1.0;
    assert_eq!(
        sc.validate().unwrap_err().path,
        "services.database.retry_backoff_ms"
    );
}

/// The report of `meridian recovery queue-down-2m --json`, as committed: the Recovery view's
/// end-to-end test checks the page's figures and download against the same file.
const QUEUE_DOWN_2M: &str = "../tests/fixtures/golden/recovery-queue-down-2m.json";

#[test]
fn queue_down_2m_is_the_golden_report() {
    let report = ran(&preset("queue-down-2m").unwrap().scenario());
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(QUEUE_DOWN_2M);
    let json = serde_json::to_string_pretty(&report).unwrap();
    if std::env::var_os("MERIDIAN_BLESS").is_some() {
        std::fs::write(&path, format!("{json}\n")).unwrap();
    }
    let golden = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (run with MERIDIAN_BLESS=1)", path.display()));
    assert_eq!(json, golden.trim_end());
    let back: RecoveryReport = serde_json::from_str(&golden).unwrap();
    assert_eq!(back, report);
}
