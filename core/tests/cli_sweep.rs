//! The real `meridian sweep`: a grid over seeds, the same output for any thread count, shards run
//! as separate processes and merged into exactly the unsharded result, CSV, and clear errors.

mod common;

use common::{meridian, stderr, stdout};

const GRID: [&str; 9] = [
    "sweep",
    "quorum-r1w1",
    "--vary",
    "replication.r=1,2",
    "--vary",
    "replication.w=1..2:1",
    "--seeds",
    "3",
    "--duration=3",
];

fn run(extra: &[&str]) -> String {
    let args: Vec<&str> = GRID.iter().chain(extra).copied().collect();
    let o = meridian(&args);
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    stdout(&o)
}

#[test]
fn the_result_does_not_depend_on_threads_and_shards_merge_into_it() {
    let one = run(&["--json", "--threads", "1"]);
    let two = run(&["--json", "--threads", "2"]);
    assert_eq!(one, two);
    let file: serde_json::Value = serde_json::from_str(&one).expect("JSON");
    assert_eq!(file["rows"].as_array().unwrap().len(), 12);
    let points = file["points"].as_array().unwrap();
    assert_eq!(points.len(), 4);
    // R = 2, W = 2 over N = 3 overlaps: never stale.
    let strict = &points[3];
    assert_eq!(strict["point"]["values"][0][1], 2);
    let share = strict["stats"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["metric"] == "stale_read_share")
        .unwrap();
    assert_eq!(share["mean"], 0.0);

    let dir = std::env::temp_dir().join(format!("meridian-sweep-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut parts = Vec::new();
    for i in 0..3 {
        let part = dir.join(format!("part-{i}.json"));
        let shard = format!("{i}/3");
        let out = run(&["--shard", &shard, "--out", part.to_str().unwrap()]);
        assert!(
            out.starts_with(&format!("shard {i}/3 of the sweep of quorum-r1w1: 4 runs")),
            "{out}"
        );
        parts.push(part);
    }
    let mut args = vec!["sweep", "merge"];
    args.extend(parts.iter().map(|p| p.to_str().unwrap()));
    let csv = dir.join("grid.csv");
    args.extend(["--json", "--csv", csv.to_str().unwrap()]);
    let o = meridian(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), one, "merged shards equal the unsharded sweep");
    let csv = std::fs::read_to_string(&csv).unwrap();
    assert!(
        csv.starts_with("replication.r,replication.w,runs,read_p50_ms_mean,read_p50_ms_ci95,"),
        "{csv}"
    );
    assert_eq!(csv.lines().count(), 5);

    // A missing shard is named, not papered over.
    let o = meridian(&[
        "sweep",
        "merge",
        parts[0].to_str().unwrap(),
        parts[1].to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("the files hold 8 of the sweep's 12 runs (4 missing)"),
        "{}",
        stderr(&o)
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn the_table_shows_means_and_intervals() {
    let out = run(&[]);
    assert!(
        out.starts_with("sweep of quorum-r1w1: 4 points × 3 seeds; mean ± 95% interval over seeds"),
        "{out}"
    );
    assert!(
        out.contains("replication.r  replication.w  read_p95_ms"),
        "{out}"
    );
    assert_eq!(
        out.lines()
            .filter(|l| l.starts_with(char::is_numeric) && l.contains(" ± "))
            .count(),
        4,
        "{out}"
    );
}

#[test]
fn bad_sweeps_are_named_with_exit_status_2() {
    for (args, needle) in [
        (vec!["sweep", "quorum-r1w1"], "give at least one --vary"),
        (
            vec!["sweep", "quorum-r1w1", "--vary", "replication.q=1,2"],
            "no field 'replication.q' in this scenario",
        ),
        (
            vec!["sweep", "quorum-r1w1", "--vary", "replication.r=9"],
            "at replication.r=9: invalid scenario",
        ),
        (
            vec![
                "sweep",
                "quorum-r1w1",
                "--vary",
                "replication.r=1",
                "--shard",
                "3/3",
            ],
            "--shard: '3/3' is not I/N",
        ),
        (
            vec!["sweep", "quorum-r1w1", "--vary", "replication=1"],
            "is a table or a list",
        ),
        (
            vec!["sweep", "merge", "nowhere.json"],
            "cannot read sweep file 'nowhere.json'",
        ),
    ] {
        let o = meridian(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stdout(&o));
        assert!(stderr(&o).contains(needle), "{args:?}: {}", stderr(&o));
    }
}

#[test]
fn json_of_the_sweep_views_grid_is_the_golden_sweep() {
    // The end-to-end test of the Sweep view checks the page's table against this file.
    let o = meridian(&[
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
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/golden/sweep-quorum-r1w1.json"
    );
    if std::env::var_os("MERIDIAN_BLESS").is_some() {
        std::fs::write(path, stdout(&o)).unwrap();
    }
    let golden = std::fs::read_to_string(path).expect("the golden sweep (MERIDIAN_BLESS=1)");
    assert_eq!(stdout(&o), golden);
}
