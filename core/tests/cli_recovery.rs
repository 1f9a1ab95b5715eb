//! The real `meridian recovery`: seed 003's table by simulation, one run of a preset or a file,
//! JSON, and clear errors.

mod common;

use common::{meridian, stderr, stdout};

#[test]
fn the_table_has_a_row_per_failure_type_and_length_next_to_the_estimates() {
    let o = meridian(&["recovery", "--seeds", "3", "--durations", "20s,2m"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    for needle in [
        "Seed 003's recovery table, simulated: 'order-flow' (5 orders/s)",
        "3 seeds per row",
        "seed 003: detection | recovery | total",
        "Delivery Service  20.0 s",
        "Database          2.0 min",
        "2-5 s | immediate | 20-30 s",
    ] {
        assert!(out.contains(needle), "{needle} missing:\n{out}");
    }
    let rows = out.lines().filter(|l| l.contains(" | ")).count();
    assert_eq!(rows, 1 + 4 * 2, "{out}");
    // The same sweep as JSON: 8 rows, no order lost.
    let o = meridian(&[
        "recovery",
        "--seeds",
        "3",
        "--durations",
        "20s,2m",
        "--json",
    ]);
    let rows: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON rows");
    let rows = rows.as_array().expect("an array");
    assert_eq!(rows.len(), 8);
    assert!(rows.iter().all(|r| r["lost_orders"] == 0));
    assert_eq!(rows[0]["estimate"]["label"], "Delivery Service");
    assert!(rows[0]["detection"]["median_ms"].as_f64().unwrap() > 0.0);
}

#[test]
fn one_run_of_a_preset_and_of_a_file() {
    let o = meridian(&["recovery", "queue-down-2m"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.starts_with("queue-down-2m · seed 1"), "{out}");
    assert!(
        out.contains("outage: queue Down at 312.5 s for 120 s · detection"),
        "{out}"
    );
    assert!(out.contains(" 0 lost"), "{out}");

    let o = meridian(&[
        "recovery",
        "order-flow",
        "--outage",
        "queue slow +4s at 300s for 2m",
        "--outage",
        "product degraded 0.6 at 20m for 1m",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("outage: queue Slow at 300 s for 120 s"),
        "{}",
        stdout(&o)
    );
    assert!(
        stdout(&o).contains("outage: product Degraded at 1200 s for 60 s"),
        "{}",
        stdout(&o)
    );

    let o = meridian(&["recovery", "database-blip-20s", "--seed", "4", "--json"]);
    let report: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("one JSON object");
    assert_eq!(report["seed"], 4);
    assert!(report["orders"]["rejected"].as_u64().unwrap() > 0);
    assert!(!report["timeline"].as_array().unwrap().is_empty());

    let dir = std::env::temp_dir().join(format!("meridian-recovery-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("flow.toml");
    let flow = include_str!("../presets/recovery/order-flow.toml")
        .replace("duration_s = 1800.0", "duration_s = 120.0")
        + "\n[[outages]]\nservice = \"delivery\"\nkind = \"slow\"\nat_s = 30.0\nfor_s = 20.0\nextra_ms = 4000.0\n";
    std::fs::write(&file, flow).unwrap();
    let metrics = dir.join("flow.prom");
    let o = meridian(&[
        "recovery",
        file.to_str().unwrap(),
        "--prometheus",
        metrics.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(&metrics).expect("metrics written");
    assert!(
        text.contains("# TYPE meridian_outbox_events_pending gauge\n"),
        "{text}"
    );
    assert!(
        stdout(&o).contains("outage: delivery Slow at 30 s for 20 s"),
        "{}",
        stdout(&o)
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn bad_input_is_named_with_exit_status_2() {
    for (args, needle) in [
        (
            vec!["recovery", "--durations", "20s,soon"],
            "--durations: 'soon' is not an outage length",
        ),
        (
            vec!["recovery", "--seeds", "0"],
            "--seeds: 0 is not from 1 to 1000",
        ),
        (
            vec!["recovery", "mars"],
            "unknown recovery preset 'mars'; presets: order-flow, delivery-down-10m",
        ),
        (
            vec!["recovery", "nowhere.toml"],
            "cannot read recovery document 'nowhere.toml'",
        ),
    ] {
        let o = meridian(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(stderr(&o).contains(needle), "{args:?}: {}", stderr(&o));
    }
    let o = meridian(&[
        "recovery",
        "order-flow",
        "--outage",
        "queue sleepy at 1s for 1s",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("unknown kind 'sleepy'"),
        "{}",
        stderr(&o)
    );
    let o = meridian(&["recovery", "--outage", "queue down at 1s for 1s"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("--outage adds to one run"),
        "{}",
        stderr(&o)
    );
    let o = meridian(&["recovery", "--list"]);
    assert!(stdout(&o).contains("database-blip-20s"));
    let o = meridian(&["recovery", "--show", "queue-down-2m"]);
    assert!(
        stdout(&o).starts_with("# Seed 003's order flow"),
        "{}",
        stdout(&o)
    );
    assert!(stdout(&o).contains("[[outages]]\nservice = \"queue\"\nkind = \"down\""));
    let o = meridian(&["recovery", "--show", "nope"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("presets: order-flow, delivery-down-10m"));
}

#[test]
fn json_of_queue_down_2m_is_the_golden_report() {
    let o = meridian(&["recovery", "queue-down-2m", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let golden = include_str!("../../tests/fixtures/golden/recovery-queue-down-2m.json");
    assert_eq!(stdout(&o), golden);
}

#[test]
fn svg_needs_a_single_run() {
    let o = meridian(&["recovery", "--seeds", "1", "--svg", "charts"]);
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    assert!(
        stderr(&o).contains("--svg writes one run's recovery timeline"),
        "{}",
        stderr(&o)
    );
}
