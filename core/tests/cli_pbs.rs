//! The real `meridian pbs`: JSON and table output, determinism across threads, usage errors and
//! exit status 2.

mod common;

use common::{meridian, stderr, stdout};

fn json(args: &[&str]) -> serde_json::Value {
    let mut all = vec!["pbs", "--json"];
    all.extend_from_slice(args);
    let o = meridian(&all);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert_eq!(
        text.lines().count(),
        1,
        "one JSON object on one line: {text}"
    );
    serde_json::from_str(&text).expect("valid JSON")
}

#[test]
fn json_report_has_the_requested_points_and_figures() {
    let v = json(&[
        "--preset",
        "lnkd-disk",
        "--n",
        "3",
        "--r",
        "1",
        "--w",
        "1",
        "--t",
        "0,10,100",
        "--trials",
        "50000",
        "--seed",
        "7",
    ]);
    assert_eq!(
        (v["n"].as_u64(), v["r"].as_u64(), v["w"].as_u64()),
        (Some(3), Some(1), Some(1))
    );
    assert_eq!(v["trials"].as_u64(), Some(50_000));
    assert_eq!(v["strict_quorum"].as_bool(), Some(false));
    let points = v["consistency"].as_array().expect("consistency points");
    let ts: Vec<f64> = points.iter().map(|p| p["t_ms"].as_f64().unwrap()).collect();
    assert_eq!(ts, [0.0, 10.0, 100.0]);
    let ps: Vec<f64> = points
        .iter()
        .map(|p| p["p_consistent"].as_f64().unwrap())
        .collect();
    assert!(ps.windows(2).all(|w| w[0] <= w[1]), "{ps:?}");
    // The paper: 43.9% right after commit on spinning disks, 92.5% ten milliseconds later.
    assert!((ps[0] - 0.439).abs() < 0.02, "{ps:?}");
    assert!((ps[1] - 0.925).abs() < 0.02, "{ps:?}");
    assert!(v["t_for_target_ms"].as_f64().unwrap() > 10.0);
    let k1 = v["k_staleness"][0]["p_within_k"].as_f64().unwrap();
    assert!((k1 - 1.0 / 3.0).abs() < 1e-12);
    for key in ["p50", "p95", "p99", "p999", "mean", "max"] {
        assert!(v["read_latency_ms"][key].as_f64().unwrap() > 0.0, "{key}");
        assert!(v["write_latency_ms"][key].as_f64().unwrap() > 0.0, "{key}");
    }
}

#[test]
fn same_seed_same_report_whatever_the_threads() {
    let args = [
        "--preset", "ymmr", "--r", "2", "--trials", "70000", "--seed", "3",
    ];
    let one = meridian(&[&["pbs", "--json", "--threads", "1"][..], &args].concat());
    let two = meridian(&[&["pbs", "--json", "--threads", "2"][..], &args].concat());
    let three = meridian(&[&["pbs", "--json", "--threads", "3"][..], &args].concat());
    assert!(one.status.success(), "{}", stderr(&one));
    assert_eq!(stdout(&one), stdout(&two));
    assert_eq!(stdout(&one), stdout(&three));
    let other_seed = meridian(&[
        "pbs", "--json", "--preset", "ymmr", "--r", "2", "--trials", "70000",
    ]);
    assert_ne!(stdout(&one), stdout(&other_seed));
}

#[test]
fn strict_quorums_read_consistently_at_once() {
    let v = json(&[
        "--preset", "wan", "--r", "2", "--w", "2", "--t", "0", "--trials", "20000",
    ]);
    assert_eq!(v["strict_quorum"].as_bool(), Some(true));
    assert_eq!(v["consistency"][0]["p_consistent"].as_f64(), Some(1.0));
    assert_eq!(v["t_for_target_ms"].as_f64(), Some(0.0));
}

#[test]
fn table_output_shows_points_target_k_staleness_and_latencies() {
    let o = meridian(&[
        "pbs", "--preset", "lnkd-ssd", "--t", "0,2.5", "--trials", "20000",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    for needle in [
        "preset lnkd-ssd",
        "N=3 R=1 W=1",
        "P(consistent)",
        "2.5",
        "99.9% of reads are consistent from t =",
        "k=1: 0.3333",
        "k=3: 0.7037",
        "read latency",
        "write latency",
        "p99.9",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in:\n{text}");
    }
}

#[test]
fn bad_input_names_the_flag_and_exits_with_status_2() {
    let cases: [(&[&str], &[&str]); 8] = [
        (&["--r", "4"], &["--r", "from 1 to --n (3)"]),
        (&["--n", "2", "--w", "3"], &["--w", "from 1 to --n (2)"]),
        (&["--n", "0"], &["--n", "1..=64"]),
        (&["--n", "65"], &["--n", "1..=64"]),
        (&["--t", "0,-5"], &["--t", ">= 0"]),
        (&["--t", "abc"], &["--t", ">= 0"]),
        (&["--target", "0"], &["--target", "> 0 and <= 1"]),
        (
            &["--preset", "lnkd"],
            &["--preset", "lnkd-ssd, lnkd-disk, ymmr, wan"],
        ),
    ];
    for (args, needles) in cases {
        let o = meridian(&[&["pbs"][..], args].concat());
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stdout(&o).is_empty(), "{args:?}");
        let err = stderr(&o);
        for needle in needles {
            assert!(
                err.contains(needle),
                "{args:?}: missing {needle:?} in {err}"
            );
        }
    }
    let o = meridian(&["pbs", "--trials", "0"]);
    assert_eq!(o.status.code(), Some(2));
}
