//! The real `meridian run --fault` and `meridian drill`: faults from the command line, the
//! failure table, the policies side by side, and clear errors.

mod common;

use common::{meridian, stderr, stdout};

#[test]
fn a_fault_from_the_command_line_shows_in_the_failure_table() {
    let o = meridian(&[
        "run",
        "sg-us-wallet",
        "--duration",
        "20",
        "--fault",
        "region-down SG at 5s for 8s",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    for needle in [
        "failures (failover policy: reject_writes)",
        "region_down SG at 5 s for 8 s",
        "controller US declares SG down",
        "RPO: 0 acknowledged writes lost",
    ] {
        assert!(out.contains(needle), "{needle} missing:\n{out}");
    }
    // A preset's schedule reaches the JSON report with its failure section.
    let o = meridian(&["run", "sg-down-promote", "--json", "--duration", "30"]);
    let report: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("one JSON object");
    assert_eq!(report["failures"]["policy"], "promote");
    assert!(report["failures"]["rpo"]["lost_writes"].as_u64().unwrap() > 0);
    assert!(
        !report["failures"]["timeline"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[test]
fn a_bad_fault_is_a_usage_error_naming_the_grammar() {
    let o = meridian(&["run", "sg-us-wallet", "--fault", "region-down SG at noon"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("'noon' is not a time"), "{err}");
    assert!(err.contains("region-down REGION"), "{err}");
    let o = meridian(&["run", "sg-us-wallet", "--fault", "region-down EU at 5s"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("faults[0].region"), "{}", stderr(&o));
}

#[test]
fn drill_compares_the_three_policies() {
    let o = meridian(&["drill", "sg-down-promote", "--duration", "40"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    for needle in [
        "reject_writes",
        "promote",
        "manual",
        "RTO, first write ms",
        "RPO, acked writes lost",
    ] {
        assert!(out.contains(needle), "{needle} missing:\n{out}");
    }
    let o = meridian(&["drill", "sg-down-promote", "--duration", "40", "--json"]);
    let drill: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("one JSON object");
    let policies = drill["policies"].as_array().unwrap();
    assert_eq!(policies.len(), 3);
    let rpo = |i: usize| {
        policies[i]["report"]["failures"]["rpo"]["lost_writes"]
            .as_u64()
            .unwrap()
    };
    assert_eq!(policies[1]["policy"], "promote");
    assert_eq!(rpo(0), 0, "reject_writes loses nothing");
    assert!(rpo(1) > 0, "promote loses what US never received");
}

#[test]
fn drill_refuses_what_it_cannot_compare() {
    let o = meridian(&["drill", "sg-us-wallet"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no [[faults]]"), "{}", stderr(&o));
    let o = meridian(&[
        "drill",
        "sg-us-multi-leader",
        "--fault",
        "region-down SG at 1s",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("single_leader"), "{}", stderr(&o));
}
