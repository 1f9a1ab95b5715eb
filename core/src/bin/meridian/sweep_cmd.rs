//! `meridian sweep`: a scenario over a grid of field values × seeds on all cores (rayon), the
//! same output for any thread count; `--shard I/N` runs a deterministic slice for a cluster and
//! `meridian sweep merge` joins the slices into what one unsharded run prints; `--svg DIR` also
//! writes the chart of one `--metric` over the varied fields (the Sweep view's chart). The grid,
//! the runs, the summaries and the chart are core's ([`meridian_core::sweep`],
//! [`meridian_core::charts::sweep`]).

use std::error::Error;
use std::path::PathBuf;

use clap::{Args, Subcommand};
use meridian_core::charts::sweep::sweep_chart;
use meridian_core::sweep::{
    Job, PointSummary, RunRow, SweepSpec, Vary, parse_metric, run_job, stat_text, summarize,
    summary_csv, table_metrics,
};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::progress::LazyProgress;
use crate::run_cmd::load_scenario;
use crate::svg_out;

/// The format tag of sweep files.
const FORMAT: &str = "meridian-sweep/1";

#[derive(Debug, Args)]
#[command(
    args_conflicts_with_subcommands = true,
    after_help = "Examples:\n  \
    meridian sweep quorum-r1w1 --vary replication.r=1,2,3 --vary replication.w=1,2,3 --seeds 10\n  \
    meridian sweep sg-us-wallet --vary replication.apply_delay.mean_ms=50..500:50 --csv lag.csv\n  \
    meridian sweep sg-down-promote --vary failover.heartbeat_timeout_ms=1000..5000:1000 --json\n  \
    meridian sweep sg-down-promote --vary failover.heartbeat_timeout_ms=1000..5000:1000 \
--metric rto_write_ms --svg charts/\n  \
    meridian sweep quorum-r1w1 --vary replication.r=1,2,3 --shard 0/4 --out part-0.json\n  \
    meridian sweep merge part-*.json --csv grid.csv\n\n\
Fields are named by their path in the scenario document (see `meridian presets --show NAME`);\n\
values are a list (1,2,3 or local,leader) or a range LO..HI:STEP with both ends included."
)]
pub(crate) struct SweepArgs {
    #[command(subcommand)]
    merge: Option<SweepCommand>,

    /// A scenario file (.toml or .json), a YAML replication config (.yaml/.yml) or a preset name.
    scenario: Option<String>,

    /// A field and its values, PATH=VALUES; repeat for a grid (the first varies slowest).
    #[arg(long = "vary", value_name = "PATH=VALUES")]
    vary: Vec<String>,

    /// Simulated seconds of arrivals for every run (default: the scenario's).
    #[arg(long, value_name = "SECONDS")]
    duration: Option<f64>,

    /// Seeds per point (1 to N), for the mean and its 95 % confidence interval.
    #[arg(long, default_value_t = 5)]
    seeds: u32,

    /// Worker threads (default: every core). The output does not depend on it.
    #[arg(long)]
    threads: Option<usize>,

    /// Run only slice I of N (jobs whose index is I modulo N), for a cluster; merge the slices
    /// with `meridian sweep merge`.
    #[arg(long, value_name = "I/N")]
    shard: Option<String>,

    #[command(flatten)]
    output: OutputArgs,
}

#[derive(Debug, Subcommand)]
enum SweepCommand {
    /// Join shard files (from `--shard I/N --out FILE`) into the result of one unsharded sweep.
    Merge(MergeArgs),
}

#[derive(Debug, Args)]
struct MergeArgs {
    /// The shard files, every slice of one sweep.
    #[arg(required = true)]
    files: Vec<PathBuf>,

    #[command(flatten)]
    output: OutputArgs,
}

#[derive(Debug, Args)]
struct OutputArgs {
    /// Print the sweep file (spec, every run, the summaries) as JSON.
    #[arg(long)]
    json: bool,

    /// Also write the summaries as CSV (one row per point) to FILE.
    #[arg(long, value_name = "FILE")]
    csv: Option<PathBuf>,

    /// Also write the sweep file (JSON) to FILE: a shard's rows, for `meridian sweep merge`.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,

    /// Also write the chart of --metric into DIR as an SVG file, as the page's Sweep view draws
    /// it: a line chart with 95% intervals for one --vary, a heatmap for two (e.g.
    /// staleness-p99-ms-over-replication-r-and-replication-w.svg). DIR is created if missing.
    #[arg(long, value_name = "DIR")]
    svg: Option<PathBuf>,

    /// The metric --svg charts: read_p50_ms, read_p95_ms, read_p99_ms, write_p95_ms,
    /// staleness_p95_ms, staleness_p99_ms, stale_read_share, or for runs with faults
    /// rto_write_ms, rpo_lost_writes.
    #[arg(long, value_name = "NAME", default_value = "staleness_p99_ms")]
    metric: String,
}

impl OutputArgs {
    /// Checks the chart's settings for a sweep of `spec` before anything runs, and creates its
    /// folder.
    fn check_chart(&self, spec: &SweepSpec, sharded: bool) -> Result<(), Box<dyn Error>> {
        parse_metric(&self.metric).map_err(|e| format!("--metric: {e}"))?;
        let Some(dir) = &self.svg else {
            return Ok(());
        };
        if sharded {
            return Err("--svg needs the whole sweep: pass it to `meridian sweep merge`".into());
        }
        if !(1..=2).contains(&spec.vary.len()) {
            return Err(format!(
                "--svg charts one or two varied fields; this sweep varies {}",
                spec.vary.len()
            )
            .into());
        }
        svg_out::prepare(dir)
    }
}

/// A sweep file: what was swept, on which scenario, which slice, its runs and, once complete,
/// the summaries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct SweepFile {
    format: String,
    spec: SweepSpec,
    /// FNV-1a of the base scenario's JSON: shards of different documents do not merge.
    scenario_digest: String,
    /// `[I, N]` for a shard.
    shard: Option<[usize; 2]>,
    rows: Vec<RunRow>,
    points: Option<Vec<PointSummary>>,
}

fn digest(text: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

fn parse_shard(text: &str) -> Result<[usize; 2], String> {
    let bad = || format!("--shard: '{text}' is not I/N with 0 <= I < N (e.g. 0/4)");
    let (i, n) = text.split_once('/').ok_or_else(bad)?;
    let (i, n): (usize, usize) = (
        i.trim().parse().map_err(|_| bad())?,
        n.trim().parse().map_err(|_| bad())?,
    );
    if n == 0 || i >= n {
        return Err(bad());
    }
    Ok([i, n])
}

pub(crate) fn run(args: &SweepArgs) -> Result<(), Box<dyn Error>> {
    if let Some(SweepCommand::Merge(m)) = &args.merge {
        return merge(m);
    }
    let spec_name = args
        .scenario
        .as_deref()
        .ok_or("name a scenario (a preset or a file) to sweep, or `merge` and shard files")?;
    if args.vary.is_empty() {
        return Err(
            "give at least one --vary PATH=VALUES (e.g. --vary replication.r=1,2,3)".into(),
        );
    }
    if !(1..=1000).contains(&args.seeds) {
        return Err(format!("--seeds: {} is not from 1 to 1000", args.seeds).into());
    }
    let mut base = load_scenario(spec_name)?;
    if let Some(d) = args.duration {
        base.duration_s = d;
    }
    let vary = args
        .vary
        .iter()
        .map(|v| Vary::parse(v).map_err(|e| format!("--vary {e}")))
        .collect::<Result<Vec<_>, _>>()?;
    let spec = SweepSpec {
        scenario: base.name.clone(),
        vary,
        seeds: args.seeds,
    };
    let shard = args.shard.as_deref().map(parse_shard).transpose()?;
    args.output.check_chart(&spec, shard.is_some())?;
    let points = spec.points();
    // Every point must make a valid scenario before anything runs.
    for p in &points {
        meridian_core::sweep::model_at(&base, p, 1)?;
    }
    let jobs: Vec<Job> = spec
        .jobs()?
        .into_iter()
        .enumerate()
        .filter(|(i, _)| shard.is_none_or(|[k, n]| i % n == k))
        .map(|(_, j)| j)
        .collect();
    let threads = args.threads.unwrap_or_else(|| {
        std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
    });
    if threads == 0 || threads > 1024 {
        return Err(format!("--threads: {threads} is not from 1 to 1024").into());
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| format!("cannot start {threads} threads: {e}"))?;
    let mut progress = LazyProgress::new(jobs.len() as u64, "runs");
    let mut rows = Vec::with_capacity(jobs.len());
    // Chunks keep the progress bar moving; rows stay in job order whatever the thread count.
    for chunk in jobs.chunks(threads * 4) {
        let done: Vec<Result<RunRow, String>> = pool.install(|| {
            chunk
                .par_iter()
                .map(|j| run_job(&base, &points[j.point], j.seed))
                .collect()
        });
        for r in done {
            rows.push(r?);
        }
        progress.update(rows.len() as u64);
    }
    progress.finish();
    let scenario_digest = digest(&serde_json::to_string(&base)?);
    let summaries = shard.is_none().then(|| summarize(&spec, &rows));
    let file = SweepFile {
        format: FORMAT.into(),
        spec,
        scenario_digest,
        shard,
        rows,
        points: summaries,
    };
    emit(&file, &args.output)
}

fn merge(args: &MergeArgs) -> Result<(), Box<dyn Error>> {
    let mut files = Vec::new();
    for path in &args.files {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read sweep file '{}': {e}", path.display()))?;
        let f: SweepFile = serde_json::from_str(&text)
            .map_err(|e| format!("'{}' is not a sweep file: {e}", path.display()))?;
        if f.format != FORMAT {
            return Err(format!(
                "'{}' is a {} file; this meridian reads {FORMAT}",
                path.display(),
                f.format
            )
            .into());
        }
        files.push((path, f));
    }
    let (first_path, first) = &files[0];
    for (path, f) in &files[1..] {
        if f.spec != first.spec || f.scenario_digest != first.scenario_digest {
            return Err(format!(
                "'{}' and '{}' are slices of different sweeps (scenario or --vary/--seeds differ)",
                first_path.display(),
                path.display()
            )
            .into());
        }
    }
    let spec = first.spec.clone();
    args.output.check_chart(&spec, false)?;
    let jobs = spec.jobs()?;
    let mut rows: Vec<RunRow> = files.iter().flat_map(|(_, f)| f.rows.clone()).collect();
    rows.sort_by_key(|r| (r.point, r.seed));
    rows.dedup_by(|a, b| a == b);
    let found: Vec<(usize, u64)> = rows.iter().map(|r| (r.point, r.seed)).collect();
    let wanted: Vec<(usize, u64)> = jobs.iter().map(|j| (j.point, j.seed)).collect();
    if found != wanted {
        let missing = wanted.iter().filter(|w| !found.contains(w)).count();
        return Err(format!(
            "the files hold {} of the sweep's {} runs ({missing} missing{}); merge every shard of it",
            found.len(),
            wanted.len(),
            if found.len() + missing > wanted.len() {
                ", some twice with different figures"
            } else {
                ""
            }
        )
        .into());
    }
    let file = SweepFile {
        format: FORMAT.into(),
        points: Some(summarize(&spec, &rows)),
        scenario_digest: first.scenario_digest.clone(),
        spec,
        shard: None,
        rows,
    };
    emit(&file, &args.output)
}

fn emit(file: &SweepFile, out: &OutputArgs) -> Result<(), Box<dyn Error>> {
    let json = serde_json::to_string(file)?;
    if let Some(path) = &out.out {
        std::fs::write(path, &json)
            .map_err(|e| format!("cannot write '{}': {e}", path.display()))?;
    }
    if let Some(path) = &out.csv {
        let summaries = file
            .points
            .as_ref()
            .ok_or("--csv needs the whole sweep: merge the shards first")?;
        std::fs::write(path, summary_csv(&file.spec, summaries))
            .map_err(|e| format!("cannot write '{}': {e}", path.display()))?;
    }
    if let Some(dir) = &out.svg {
        let summaries = file
            .points
            .as_ref()
            .ok_or("--svg needs the whole sweep: merge the shards first")?;
        svg_out::write(dir, &[sweep_chart(&file.spec, summaries, &out.metric)])?;
    }
    if out.json {
        println!("{json}");
    } else {
        print!("{}", table(file));
    }
    Ok(())
}

/// The summaries as a table: the varied values, then each metric's mean ± interval.
fn table(file: &SweepFile) -> String {
    let Some(points) = &file.points else {
        let [i, n] = file.shard.unwrap_or([0, 1]);
        return format!(
            "shard {i}/{n} of the sweep of {}: {} runs; merge every shard's --out file with \
             `meridian sweep merge`\n",
            file.spec.scenario,
            file.rows.len()
        );
    };
    let shown = table_metrics(points);
    let mut out = format!(
        "sweep of {}: {} points × {} seeds; mean ± 95% interval over seeds\n\n",
        file.spec.scenario,
        points.len(),
        file.spec.seeds
    );
    let mut head: Vec<String> = file.spec.vary.iter().map(|v| v.path.clone()).collect();
    head.extend(shown.iter().map(|s| (*s).to_string()));
    head.push("SLOs passed".into());
    let cell = |s: &PointSummary, m: &str| {
        s.stats
            .iter()
            .find(|st| st.metric == m)
            .map_or("-".into(), stat_text)
    };
    let rows: Vec<Vec<String>> = points
        .iter()
        .map(|s| {
            let mut r: Vec<String> = s.point.values.iter().map(|(_, v)| v.to_string()).collect();
            r.extend(shown.iter().map(|m| cell(s, m)));
            let passed: f64 = s.slo_pass_share.iter().map(|(_, p)| p).sum();
            r.push(format!("{passed:.2} of {}", s.slo_pass_share.len()));
            r
        })
        .collect();
    let widths: Vec<usize> = (0..head.len())
        .map(|i| {
            rows.iter()
                .map(|r| r[i].chars().count())
                .chain([head[i].chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    for r in std::iter::once(&head).chain(&rows) {
        let line: Vec<String> = r
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        out.push_str(line.join("  ").trim_end());
        out.push('\n');
    }
    out
}
