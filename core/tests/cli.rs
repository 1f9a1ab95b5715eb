//! The real `meridian` binary: output formats, defaults and usage errors.

mod common;

use common::{meridian, stderr, stdout};

#[test]
fn json_output_is_one_object_with_the_reference_keys() {
    // Reference figures for these inputs, recorded from the exercise's TypeScript simulation.
    let o = meridian(&[
        "kata86",
        "--iterations",
        "5000",
        "--client",
        "US",
        "--strategy",
        "local_then_leader_if_stale",
        "--leader",
        "SG",
        "--seed",
        "1",
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "{\"readP95\":220,\"writeP95\":400,\"stalenessP95\":344,\"stalenessP99\":6193}\n"
    );
}

#[test]
fn defaults_are_the_exercises() {
    let with_defaults = meridian(&["kata86", "--json"]);
    let spelled_out = meridian(&[
        "kata86",
        "--iterations",
        "5000",
        "--client",
        "SG",
        "--strategy",
        "local",
        "--leader",
        "SG",
        "--seed",
        "1",
        "--json",
    ]);
    assert!(with_defaults.status.success());
    assert_eq!(stdout(&with_defaults), stdout(&spelled_out));
}

#[test]
fn table_output_shows_percentiles_and_slo_verdicts() {
    let o = meridian(&["kata86", "--client", "us"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    for needle in [
        "read latency",
        "write latency",
        "staleness",
        "read p95 < 150 ms",
        "FAIL",
        "pass",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in:\n{text}");
    }
}

#[test]
fn bad_values_name_the_flag_and_exit_2() {
    let cases: &[(&[&str], &[&str])] = &[
        (&["kata86", "--iterations", "0"], &["--iterations", "0"]),
        (&["kata86", "--iterations", "-5"], &["--iterations"]),
        (
            &["kata86", "--iterations", "many"],
            &["--iterations", "many"],
        ),
        (
            &["kata86", "--client", "EU"],
            &["--client", "EU", "SG", "US"],
        ),
        (
            &["kata86", "--strategy", "quorum"],
            &["--strategy", "local_then_leader_if_stale"],
        ),
        (&["kata86", "--seed", "9007199254740992"], &["--seed"]),
        (&["kata86", "--frobnicate"], &["--frobnicate"]),
    ];
    for (args, needles) in cases {
        let o = meridian(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = stderr(&o);
        for needle in *needles {
            assert!(err.contains(needle), "{args:?}: {needle:?} not in:\n{err}");
        }
        assert!(stdout(&o).is_empty(), "{args:?} printed to stdout");
    }
}

#[test]
fn help_lists_the_subcommand_and_its_flags() {
    let o = meridian(&["kata86", "--help"]);
    assert!(o.status.success());
    let text = stdout(&o);
    for flag in [
        "--iterations",
        "--client",
        "--strategy",
        "--leader",
        "--seed",
        "--json",
    ] {
        assert!(text.contains(flag), "{flag} missing from help");
    }
}
