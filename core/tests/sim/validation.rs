//! Bad scenarios get errors that name the field, the value and what is allowed.

use meridian_core::dist::Dist;
use meridian_core::scenario::{
    OnViolation, ReadStrategy, ReplicationSpec, Scenario, ScenarioError, SessionGuarantee, ZoneSpec,
};

fn error_of(s: &Scenario) -> String {
    s.validate().expect_err("invalid").to_string()
}

#[test]
fn errors_name_path_value_and_allowed_range() {
    let base = Scenario::preset("quorum-r1w1").unwrap();
    let mut s = base.clone();
    if let ReplicationSpec::Quorum { w, .. } = &mut s.replication {
        *w = 5;
    }
    assert_eq!(
        error_of(&s),
        "replication.w = 5: expected a whole number from 1 to n (3)"
    );

    let mut s = base.clone();
    s.clients[1].home = "mars".into();
    let e = error_of(&s);
    assert!(
        e.starts_with("clients[1].home = \"mars\": expected one of the region ids: us-east-1"),
        "{e}"
    );

    let mut s = base.clone();
    s.workload.read_fraction = 1.5;
    assert_eq!(
        error_of(&s),
        "workload.read_fraction = 1.5: expected a fraction from 0 to 1"
    );

    let mut s = base;
    s.topology.links.pop();
    assert!(
        error_of(&s).starts_with("topology.links = no link"),
        "{}",
        error_of(&s)
    );
}

#[test]
fn a_run_expects_at_most_max_requests() {
    let mut s = Scenario::preset("sg-us-wallet").unwrap();
    s.duration_s = 86_400.0;
    s.workload.requests_per_s = 10_000_000.0;
    assert_eq!(
        error_of(&s),
        "workload.requests_per_s = 10000000: expected at most 1e9 requests in the run's 86400 s, \
         so a rate up to 11574.074074074075"
    );
    s.workload.requests_per_s = 11_574.0;
    assert!(s.validate().is_ok());
}

#[test]
fn parse_errors_name_the_format_and_location() {
    let e = Scenario::from_toml("name = \"x\"\nduration_s = \"long\"\n").unwrap_err();
    assert!(matches!(e, ScenarioError::Parse { format: "TOML", .. }));
    assert!(e.to_string().contains("duration_s"), "{e}");
    let e = Scenario::from_json("{\"name\": 1}").unwrap_err();
    assert!(
        e.to_string().starts_with("not a valid JSON scenario"),
        "{e}"
    );
    let e = Scenario::preset("nope").unwrap_err();
    assert!(e.to_string().contains("available: sg-us-wallet"), "{e}");
}

#[test]
fn toml_and_json_forms_are_the_same_scenario() {
    let s = Scenario::preset("aws8-multi-leader").unwrap();
    let json = serde_json::to_string(&s).unwrap();
    assert_eq!(Scenario::from_json(&json).unwrap(), s);
    let toml = s.to_toml().unwrap();
    assert_eq!(Scenario::from_toml(&toml).unwrap(), s);
}

#[test]
fn entity_errors_name_the_entity() {
    let mut s = Scenario::preset("wallet-multi-leader-lww").unwrap();
    s.entities[1].share = 0.9;
    assert_eq!(
        s.validate().unwrap_err().to_string(),
        "entities[1].share = 0.9: expected shares that add up to at most 1"
    );
    let mut q = Scenario::preset("quorum-r1w1").unwrap();
    q.entities = Scenario::preset("wallet-multi-leader-escrow")
        .unwrap()
        .entities;
    assert!(
        q.validate()
            .unwrap_err()
            .to_string()
            .starts_with("entities[0].policy.kind = escrow")
    );
}

#[test]
fn key_state_is_bounded_with_a_clear_error() {
    let mut s = Scenario::preset("quorum-r1w1").unwrap();
    if let ReplicationSpec::Quorum { n, replicas, .. } = &mut s.replication {
        *n = 16;
        *replicas = vec!["us-east-1".to_string(); 16];
    }
    s.workload.keys = 1_000_000;
    assert_eq!(
        s.validate().unwrap_err().to_string(),
        "workload.keys = 1000000: expected at most 500000 keys with 16 replicas (keys x replicas <= 8000000)"
    );
    s.workload.keys = 500_000;
    assert!(s.validate().is_ok());
}

#[test]
fn extra_fields_next_to_a_parameterless_kind_are_rejected() {
    let text = include_str!("../../presets/quorum-r1w1.toml").replace(
        "strategy = { kind = \"quorum\" }",
        "strategy = { kind = \"quorum\", r = 3 }",
    );
    assert!(text.contains("r = 3 }"), "the preset's read strategy moved");
    let e = Scenario::from_toml(&text).unwrap_err().to_string();
    assert!(e.contains("reads.strategy"), "{e}");
    assert!(e.contains("unknown field `r`"), "{e}");
}

#[test]
fn json_parse_errors_name_the_field_path() {
    let mut value = serde_json::to_value(Scenario::preset("sg-us-wallet").unwrap()).unwrap();
    value["topology"]["regions"][1]["lat"] = "north".into();
    let e = Scenario::from_json(&value.to_string())
        .unwrap_err()
        .to_string();
    assert!(e.contains("topology.regions[1].lat: invalid type"), "{e}");
    let valid = serde_json::to_string(&Scenario::preset("sg-us-wallet").unwrap()).unwrap();
    let e = Scenario::from_json(&format!("{valid} trailing")).unwrap_err();
    assert!(e.to_string().contains("trailing"), "{e}");
}

#[test]
fn read_strategies_that_need_a_leader_or_a_lag_are_refused_where_there_is_none() {
    let multi = Scenario::preset("sg-us-multi-leader").unwrap();
    let quorum = Scenario::preset("quorum-r1w1").unwrap();
    let cases = [
        (
            &multi,
            ReadStrategy::Leader {},
            "reads.strategy.kind = \"leader\"",
        ),
        (
            &multi,
            ReadStrategy::LocalThenLeaderIfStale {
                threshold_ms: 100.0,
            },
            "reads.strategy.kind = \"local_then_leader_if_stale\"",
        ),
        (
            &multi,
            ReadStrategy::BoundedStaleness {
                max_lag_ms: 100.0,
                on_violation: OnViolation::Fallback {},
            },
            "reads.strategy.on_violation.kind = \"fallback\": expected wait",
        ),
        (
            &quorum,
            ReadStrategy::Leader {},
            "reads.strategy.kind = \"leader\"",
        ),
        (
            &quorum,
            ReadStrategy::BoundedStaleness {
                max_lag_ms: 100.0,
                on_violation: OnViolation::Fallback {},
            },
            "reads.strategy.kind = \"bounded_staleness\"",
        ),
    ];
    for (base, strategy, expected) in cases {
        let mut s = base.clone();
        s.reads.strategy = strategy;
        let e = error_of(&s);
        assert!(e.starts_with(expected), "{strategy:?}: {e}");
    }
    // What each mode can do is accepted.
    let mut s = multi.clone();
    s.reads.strategy = ReadStrategy::BoundedStaleness {
        max_lag_ms: 100.0,
        on_violation: OnViolation::Wait {
            poll_ms: 10.0,
            max_wait_ms: 1000.0,
        },
    };
    assert!(s.validate().is_ok());
    let mut s = quorum.clone();
    s.reads.strategy = ReadStrategy::Session {
        guarantee: SessionGuarantee::ReadYourWrites,
        on_violation: OnViolation::Fallback {},
    };
    assert!(s.validate().is_ok());
}

#[test]
fn names_and_ids_must_be_unique_and_delays_bounded() {
    let base = Scenario::preset("sg-us-wallet").unwrap();
    let mut s = base.clone();
    s.clients[1].name = s.clients[0].name.clone();
    assert!(
        error_of(&s).starts_with("clients[1].name = "),
        "{}",
        error_of(&s)
    );

    let mut s = base.clone();
    for (i, r) in s.topology.regions.iter_mut().enumerate() {
        r.zones = vec![ZoneSpec {
            id: "zone-a".into(),
            nodes: vec![format!("node-{i}")],
        }];
    }
    assert!(
        error_of(&s).starts_with("topology.regions[1].zones[0].id = \"zone-a\""),
        "{}",
        error_of(&s)
    );

    let mut s = base;
    s.topology.links[0].rtt = Dist::constant(1e12);
    assert!(error_of(&s).contains("(one day)"), "{}", error_of(&s));
}
