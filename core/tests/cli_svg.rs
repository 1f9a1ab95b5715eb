//! The real `meridian run|drill|pbs|recovery|sweep --svg DIR`: the charts it writes equal, byte for byte, the
//! golden SVGs in `tests/fixtures/golden/svg/`, which the end-to-end test
//! (`tests/e2e/charts.test.mjs`) also compares with the page's "SVG" downloads of the same runs,
//! so a chart written natively is the chart the page draws. A folder that cannot be written is
//! a clear error.
//!
//! Regenerate with `MERIDIAN_BLESS=1 cargo test -p meridian-core --features cli --test cli_svg`.

mod common;

use std::path::{Path, PathBuf};

use common::{meridian, stderr, stdout};

/// A fresh, empty folder for one test's output.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("cli-svg-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// The golden folder of one run.
fn golden_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/golden/svg")
        .join(name)
}

/// The files of `dir`, sorted by name.
fn files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Runs `meridian args... --svg DIR` into a scratch folder (a subfolder that does not exist
/// yet, so the command must create it) and checks its files against golden `name`, which
/// `MERIDIAN_BLESS` rewrites first.
fn check(name: &str, args: &[&str], expected: &[&str]) {
    let out = scratch(name).join("charts");
    let mut all: Vec<&str> = args.to_vec();
    let out_text = out.to_string_lossy().into_owned();
    all.extend(["--svg", &out_text]);
    let o = meridian(&all);
    assert!(o.status.success(), "{}", stderr(&o));
    let written = files(&out);
    let mut wanted: Vec<String> = expected.iter().map(|s| s.to_string()).collect();
    wanted.sort();
    assert_eq!(written, wanted);
    // Each file written is named on stderr; stdout keeps the table.
    for f in &written {
        assert!(stderr(&o).contains(&format!("wrote {}", out.join(f).display())));
    }
    assert!(!stdout(&o).lines().any(|l| l.starts_with("wrote ")));
    let golden = golden_dir(name);
    if std::env::var_os("MERIDIAN_BLESS").is_some() {
        let _ = std::fs::remove_dir_all(&golden);
        std::fs::create_dir_all(&golden).unwrap();
        for f in &written {
            std::fs::copy(out.join(f), golden.join(f)).unwrap();
        }
    }
    assert_eq!(
        files(&golden),
        written,
        "{} (run with MERIDIAN_BLESS=1 to create it)",
        golden.display()
    );
    for f in &written {
        let got = std::fs::read(out.join(f)).unwrap();
        let want = std::fs::read(golden.join(f)).unwrap();
        assert!(got.starts_with(b"<svg "), "{f}");
        assert!(got == want, "{f} differs from {}", golden.join(f).display());
    }
}

#[test]
fn run_writes_the_scenario_views_charts() {
    // The Scenario view's default run of the preset: its own seed (1) and duration (30 s).
    check(
        "aws8-single-leader",
        &["run", "aws8-single-leader"],
        &[
            "read-latency.svg",
            "read-latency-cdf.svg",
            "write-latency.svg",
            "write-latency-cdf.svg",
            "staleness-of-reads.svg",
            "staleness-of-reads-cdf.svg",
        ],
    );
}

#[test]
fn drill_writes_each_policys_timeline_and_their_comparison() {
    check(
        "sg-down-promote",
        &["drill", "sg-down-promote"],
        &[
            "failure-timeline-reject-writes.svg",
            "failure-timeline-promote.svg",
            "failure-timeline-manual.svg",
            "writes-acknowledged-by-policy.svg",
        ],
    );
}

#[test]
fn pbs_writes_the_t_visibility_curve_of_the_pbs_views_run() {
    // The PBS view's run: lnkd-disk, N = 3, R = W = 1, 200,000 trials, seed 1, target 99.9%.
    check(
        "pbs-lnkd-disk",
        &[
            "pbs",
            "--preset",
            "lnkd-disk",
            "--n",
            "3",
            "--r",
            "1",
            "--w",
            "1",
            "--trials",
            "200000",
            "--seed",
            "1",
            "--target",
            "0.999",
        ],
        &["t-visibility.svg"],
    );
}

#[test]
fn the_chart_times_leave_the_table_and_json_as_asked() {
    let dir = scratch("pbs-json");
    let dir_text = dir.to_string_lossy().into_owned();
    let args = ["pbs", "--trials", "5000", "--t", "0,5,50", "--json"];
    let plain = meridian(&args);
    let mut with_svg = args.to_vec();
    with_svg.extend(["--svg", &dir_text]);
    let charted = meridian(&with_svg);
    assert!(charted.status.success(), "{}", stderr(&charted));
    assert_eq!(stdout(&plain), stdout(&charted));
    assert_eq!(files(&dir), ["t-visibility.svg"]);
}

#[test]
fn a_run_with_faults_writes_its_timeline_too() {
    let dir = scratch("run-faults");
    let dir_text = dir.to_string_lossy().into_owned();
    let o = meridian(&[
        "run",
        "sg-us-wallet",
        "--duration",
        "12",
        "--fault",
        "region-down SG at 4s for 4s",
        "--svg",
        &dir_text,
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let names = files(&dir);
    assert_eq!(names.len(), 7, "{names:?}");
    assert!(names.contains(&"failure-timeline-reject-writes.svg".to_string()));
}

#[test]
fn a_folder_that_cannot_be_written_is_named() {
    let dir = scratch("blocked");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("a-file");
    std::fs::write(&file, "not a folder").unwrap();
    let inside = file.join("charts");
    let inside_text = inside.to_string_lossy().into_owned();
    for args in [
        vec!["run", "sg-us-wallet", "--duration", "1"],
        vec!["drill", "sg-down-promote", "--duration", "1"],
        vec!["pbs", "--trials", "1000"],
    ] {
        let mut args = args;
        args.extend(["--svg", &inside_text]);
        let o = meridian(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = stderr(&o);
        assert!(
            err.contains(&format!("cannot create the chart folder '{inside_text}'")),
            "{err}"
        );
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn help_explains_the_flag() {
    for (cmd, file) in [
        ("run", "read-latency-cdf.svg"),
        ("drill", "writes-acknowledged-by-policy.svg"),
        ("pbs", "t-visibility.svg"),
    ] {
        let o = meridian(&[cmd, "--help"]);
        let out = stdout(&o);
        assert!(out.contains("--svg <DIR>"), "{cmd}: {out}");
        assert!(out.contains(file), "{cmd}: {out}");
        assert!(out.contains("DIR is created if missing"), "{cmd}: {out}");
    }
}

#[test]
fn recovery_writes_the_recovery_views_timeline() {
    // The Recovery view's run of the preset: its own outage and seed (1).
    check(
        "queue-down-2m",
        &["recovery", "queue-down-2m"],
        &["recovery-timeline.svg"],
    );
}

#[test]
fn sweep_writes_the_sweep_views_heatmap_and_line_chart() {
    // The Sweep view's R × W grid (the end-to-end test's) and its detection-timeout example.
    check(
        "sweep-quorum-r1w1",
        &[
            "sweep",
            "quorum-r1w1",
            "--vary",
            "replication.r=1,2",
            "--vary",
            "replication.w=1,2",
            "--seeds",
            "2",
            "--duration",
            "5",
        ],
        &["staleness-p99-ms-over-replication-r-and-replication-w.svg"],
    );
    check(
        "sweep-sg-down-promote",
        &[
            "sweep",
            "sg-down-promote",
            "--vary",
            "failover.heartbeat_timeout_ms=1000..5000:1000",
            "--seeds",
            "2",
            "--metric",
            "rto_write_ms",
        ],
        &["rto-write-ms-over-failover-heartbeat-timeout-ms.svg"],
    );
}

#[test]
fn a_sweep_chart_that_cannot_be_drawn_is_refused_before_the_runs() {
    let dir = scratch("sweep-refused");
    let dir_text = dir.to_string_lossy().into_owned();
    for (extra, needle) in [
        (
            vec!["--metric", "p99", "--svg", &dir_text],
            "--metric: unknown metric 'p99'; known: read_p50_ms",
        ),
        (
            vec!["--vary", "replication.n=3", "--svg", &dir_text],
            "--svg charts one or two varied fields; this sweep varies 3",
        ),
        (
            vec!["--shard", "0/2", "--svg", &dir_text],
            "--svg needs the whole sweep",
        ),
    ] {
        let mut args = vec![
            "sweep",
            "quorum-r1w1",
            "--vary",
            "replication.r=1,2",
            "--vary",
            "replication.w=1",
        ];
        args.extend(extra);
        let o = meridian(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(stderr(&o).contains(needle), "{}", stderr(&o));
    }
    assert!(!dir.exists());
}
