//! The real `meridian run`, `meridian presets` and `meridian merge`: output, JSON, and clear
//! errors.

mod common;

use common::{meridian, stderr, stdout};

#[test]
fn presets_lists_every_preset_and_shows_one() {
    let o = meridian(&["presets"]);
    assert!(o.status.success());
    for name in ["sg-us-wallet", "aws8-multi-leader", "quorum-r2w2"] {
        assert!(stdout(&o).contains(name));
    }
    let o = meridian(&["presets", "--show", "quorum-r2w2"]);
    assert!(stdout(&o).contains("mode = \"quorum\""));
}

#[test]
fn run_prints_a_table_and_a_json_report() {
    let o = meridian(&["run", "quorum-r2w2", "--duration", "5"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    for needle in ["read latency", "staleness", "SLOs", "p99.9"] {
        assert!(out.contains(needle), "{needle} missing:\n{out}");
    }
    let o = meridian(&[
        "run",
        "quorum-r2w2",
        "--duration",
        "5",
        "--seed",
        "9",
        "--json",
    ]);
    assert!(o.status.success());
    let report: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("one JSON object");
    assert_eq!(report["seed"], 9);
    assert_eq!(report["counters"]["stale_reads"], 0);
    assert!(report["read_latency"]["p99"].as_f64().unwrap() > 0.0);
}

#[test]
fn run_reads_toml_and_json_files() {
    let dir = std::env::temp_dir().join(format!("meridian-cli-run-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let toml_path = dir.join("s.toml");
    let shown = meridian(&["presets", "--show", "sg-us-wallet"]);
    std::fs::write(&toml_path, &shown.stdout).unwrap();
    let from_toml = meridian(&[
        "run",
        toml_path.to_str().unwrap(),
        "--duration",
        "3",
        "--json",
    ]);
    assert!(from_toml.status.success(), "{}", stderr(&from_toml));
    let preset = meridian(&["run", "sg-us-wallet", "--duration", "3", "--json"]);
    assert_eq!(from_toml.stdout, preset.stdout);

    let bad = dir.join("bad.toml");
    let broken = stdout(&shown).replace("read_fraction = 0.9", "read_fraction = 2.0");
    std::fs::write(&bad, broken).unwrap();
    let o = meridian(&["run", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("workload.read_fraction = 2: expected a fraction from 0 to 1"),
        "{}",
        stderr(&o)
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn unknown_presets_and_missing_files_exit_2_with_a_reason() {
    let o = meridian(&["run", "no-such-preset"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("available: sg-us-wallet"));
    let o = meridian(&["run", "missing.toml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("cannot read scenario file 'missing.toml'"));
    let o = meridian(&["run", "x.yaml"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn merge_lists_and_walks_through_every_example() {
    let o = meridian(&["merge", "--list"]);
    assert!(o.status.success());
    let list = stdout(&o);
    for name in ["profile", "wallet", "cart", "clock-skew"] {
        assert!(list.contains(name), "{name} missing");
        let o = meridian(&["merge", name]);
        assert!(o.status.success(), "{name}: {}", stderr(&o));
        let out = stdout(&o);
        assert!(
            out.contains("result:") && out.contains("LOSS:") && out.contains("ok:"),
            "{out}"
        );
    }
    let o = meridian(&["merge", "wallet", "--json"]);
    let w: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("one JSON object");
    assert_eq!(w["outcomes"].as_array().map(|a| a.len()), Some(3));
    let o = meridian(&["merge", "bank"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("available: profile, wallet, cart, clock-skew"));
}
