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
fn json_with_histograms_is_the_golden_report_with_its_bars() {
    let o = meridian(&["run", "aws8-single-leader", "--json", "--histograms"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let printed: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("one JSON object");
    let golden: serde_json::Value = serde_json::from_str(include_str!(
        "../../tests/fixtures/golden/aws8-single-leader.histograms.json"
    ))
    .unwrap();
    assert_eq!(printed, golden);
    assert!(printed["histograms"]["read_latency"]["width_us"].as_u64() > Some(0));
    // Without --json there is nothing to add the bars to.
    let o = meridian(&["run", "aws8-single-leader", "--histograms"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--json"), "{}", stderr(&o));
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

#[test]
fn day_long_delays_finish_without_stepping_through_idle_time() {
    // Replication takes a whole simulated day after one second of arrivals; the run jumps over
    // the quiet stretch instead of walking it in small slices.
    let dir = std::env::temp_dir().join(format!("meridian-cli-slow-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("slow.toml");
    let shown = stdout(&meridian(&["presets", "--show", "sg-us-wallet"]));
    let start = shown
        .find("[replication.apply_delay]")
        .expect("apply delay table");
    let end = start + shown[start..].find("[reads]").expect("reads table");
    let slow = format!(
        "{}[replication.apply_delay]\nkind = \"constant\"\nms = 86400000.0\n\n{}",
        &shown[..start],
        &shown[end..]
    );
    std::fs::write(&path, slow).unwrap();
    let o = meridian(&["run", path.to_str().unwrap(), "--duration", "1", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let report: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("one JSON object");
    assert!(report["simulated_s"].as_f64().unwrap() > 86_400.0);
    assert!(report["staleness"]["max"].as_f64().unwrap() > 0.0);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn extensions_ignore_case_and_a_negative_seed_is_a_clear_error() {
    let dir = std::env::temp_dir().join(format!("meridian-cli-case-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let upper = dir.join("S.TOML");
    std::fs::write(
        &upper,
        meridian(&["presets", "--show", "sg-us-wallet"]).stdout,
    )
    .unwrap();
    let o = meridian(&["run", upper.to_str().unwrap(), "--duration", "1"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = meridian(&["run", "sg-us-wallet", "--seed", "-1"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("invalid value '-1' for '--seed <S>'"),
        "{}",
        stderr(&o)
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn prometheus_metrics_go_to_a_file_and_an_unwritable_one_is_named() {
    let dir = std::env::temp_dir().join(format!("meridian-prom-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("run.prom");
    let o = meridian(&[
        "run",
        "sg-down-promote",
        "--duration",
        "30",
        "--prometheus",
        file.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(&file).expect("written");
    for needle in [
        "# TYPE meridian_replication_changes_total counter\n",
        "meridian_replication_lag_milliseconds{region=\"US\"} ",
        "meridian_read_latency_seconds{quantile=\"0.95\"} ",
        "# TYPE meridian_rpo_lost_writes_total counter\n",
    ] {
        assert!(text.contains(needle), "{needle} missing:\n{text}");
    }
    let o = meridian(&[
        "run",
        "sg-us-wallet",
        "--duration",
        "5",
        "--prometheus",
        dir.join("no/such/dir/x.prom").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("cannot write Prometheus metrics to"),
        "{}",
        stderr(&o)
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn csv_files_are_the_pages_downloads() {
    let dir = std::env::temp_dir().join(format!("meridian-csv-{}", std::process::id()));
    let o = meridian(&["run", "sg-down-reject", "--csv", dir.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "sg-down-reject-seed1-histograms.csv",
            "sg-down-reject-seed1-regions.csv",
            "sg-down-reject-seed1-timeline.csv"
        ]
    );
    let regions = std::fs::read_to_string(dir.join("sg-down-reject-seed1-regions.csv")).unwrap();
    assert!(
        regions.starts_with("clients,reads,read_p50_ms,"),
        "{regions}"
    );
    assert_eq!(regions.lines().count(), 4, "header, all, SG, US");
    assert!(stderr(&o).contains("wrote "), "{}", stderr(&o));
    std::fs::remove_dir_all(&dir).ok();
}

/// The example replication config in docs/, as a user runs it from the repository's root.
fn example_config() -> String {
    format!(
        "{}/../docs/examples/three-region-primary.yaml",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[test]
fn run_reads_a_yaml_replication_config_and_lists_what_it_leaves_out() {
    let config = example_config();
    let o = meridian(&["run", &config, "--duration", "5", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let report: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("one JSON object");
    assert_eq!(report["scenario"], "three-region-primary");
    let regions: Vec<&str> = report["regions"]
        .as_array()
        .expect("regions")
        .iter()
        .map(|r| r["region"].as_str().expect("region id"))
        .collect();
    assert_eq!(regions, ["us-west-2", "eu-central-1", "ap-southeast-1"]);
    // Reads are local and the primary is in Oregon: its clients read without a cross-region trip.
    assert!(
        report["regions"][0]["read_latency"]["p50"]
            .as_f64()
            .unwrap()
            < 50.0
    );
    let err = stderr(&o);
    for field in [
        "replication.local_region",
        "replication.regions[0].zones[0].nodes[0].endpoint",
        "replication.agent.request_timeout_secs",
    ] {
        assert!(
            err.contains(&format!("read but not simulated: {field}")),
            "{field}:\n{err}"
        );
    }
}

#[test]
fn a_yaml_config_that_does_not_map_is_refused_by_its_path() {
    let dir = std::env::temp_dir().join(format!("meridian-yaml-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let text = std::fs::read_to_string(example_config()).expect("example");
    let cases = [
        (
            text.replace("strategy: primary_replica", "strategy: active_active")
                .replace(
                    "conflict_resolution: lww",
                    "conflict_resolution: insert_wins",
                ),
            "replication.regions[0].is_primary = true",
        ),
        (
            text.replace(
                "us-west-2: [eu-central-1, ap-southeast-1]",
                "us-west-2: [eu-central-1]",
            ),
            "replication.replication_targets.us-west-2",
        ),
        (
            text.replace("read_fraction: 0.8", "read_fraction: 1.8"),
            "simulation.workload.read_fraction",
        ),
        (
            text.replace("  strategy:", "  stratgy:"),
            "unknown field `stratgy`",
        ),
        (
            text.replace("regions:\n    - id", "regions:\n  - id"),
            "YAML",
        ),
    ];
    for (i, (yaml, expected)) in cases.iter().enumerate() {
        let path = dir.join(format!("case{i}.yaml"));
        std::fs::write(&path, yaml).expect("write");
        let o = meridian(&["run", path.to_str().expect("utf-8 path"), "--duration", "5"]);
        assert!(!o.status.success(), "case {i} ran");
        let err = stderr(&o);
        assert!(
            err.contains(expected),
            "case {i}: expected '{expected}' in:\n{err}"
        );
        assert!(!err.contains("panicked"), "{err}");
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn history_edn_writes_one_jepsen_operation_per_line() {
    let dir = std::env::temp_dir().join(format!("meridian-edn-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("history.edn");
    let o = meridian(&[
        "run",
        "sg-us-partition",
        "--duration",
        "22",
        "--history-edn",
        file.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let edn = std::fs::read_to_string(&file).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    let lines: Vec<&str> = edn.lines().collect();
    assert!(lines.len() > 100, "{} lines", lines.len());
    assert!(lines[0].starts_with("{:type :invoke, :f :"), "{}", lines[0]);
    let invokes = lines.iter().filter(|l| l.contains(":type :invoke")).count();
    let completions = lines.len() - invokes;
    assert_eq!(invokes, completions, "every operation completes once");
    assert!(
        lines
            .iter()
            .all(|l| l.starts_with('{') && l.contains(", :key "))
    );
}
