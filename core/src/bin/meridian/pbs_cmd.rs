//! `meridian pbs`: Probabilistically Bounded Staleness (the WARS Monte Carlo) from the command
//! line.

use std::error::Error;
use std::fmt::Write as _;
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use meridian_core::charts::pbs::{curve_times, t_visibility_chart};
use meridian_core::error::FieldError;
use meridian_core::metrics::Summary;
use meridian_core::pbs::{DEFAULT_TRIALS, MAX_REPLICAS, MAX_TRIALS, PbsConfig, PbsReport, Preset};

use crate::progress::LazyProgress;
use crate::svg_out;

/// Most threads used, whatever the machine has.
const MAX_THREADS: usize = 64;

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    meridian pbs --preset lnkd-disk --n 3 --r 1 --w 1 --t 0,10,100\n  \
    meridian pbs --preset ymmr --r 2 --w 1 --trials 10000000 --target 0.999 --json\n  \
    meridian pbs --preset lnkd-disk --trials 200000 --svg charts/   (the page's PBS chart)\n\n\
    Model: Bailis et al., \"Probabilistically Bounded Staleness for Practical Partial Quorums\",\n\
    VLDB 2012. The figures are the same for any --threads.")]
pub(crate) struct PbsArgs {
    /// Latency fits from the paper (W, A, R, S legs).
    #[arg(long, value_enum, ignore_case = true, default_value = "lnkd-disk")]
    preset: PresetArg,

    /// Replication factor N (1 to 64).
    #[arg(long = "n", value_name = "N", default_value_t = 3, allow_negative_numbers = true,
          value_parser = clap::value_parser!(u32).range(1..=i64::from(MAX_REPLICAS)))]
    n: u32,

    /// Read quorum R: answers to wait for (1 to N).
    #[arg(long = "r", value_name = "R", default_value_t = 1, allow_negative_numbers = true,
          value_parser = clap::value_parser!(u32).range(1..=i64::from(MAX_REPLICAS)))]
    r: u32,

    /// Write quorum W: acknowledgements to wait for (1 to N).
    #[arg(long = "w", value_name = "W", default_value_t = 1, allow_negative_numbers = true,
          value_parser = clap::value_parser!(u32).range(1..=i64::from(MAX_REPLICAS)))]
    w: u32,

    /// Times after the write commits at which to read, in ms, comma-separated.
    #[arg(long = "t", value_name = "MS,...", value_delimiter = ',',
          default_value = "0,1,5,10,50,100", allow_negative_numbers = true,
          value_parser = parse_ms)]
    t: Vec<f64>,

    /// Number of trials (one write and one read each), 1 to 10^12.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_TRIALS, allow_negative_numbers = true,
          value_parser = clap::value_parser!(u64).range(1..=MAX_TRIALS))]
    trials: u64,

    /// Seed of the random number generator.
    #[arg(
        long,
        value_name = "S",
        default_value_t = 1,
        allow_negative_numbers = true
    )]
    seed: u64,

    /// Target probability of a consistent read; the output gives the smallest t reaching it.
    #[arg(long, value_name = "P", default_value_t = 0.999, allow_negative_numbers = true,
          value_parser = parse_probability)]
    target: f64,

    /// Worker threads (default: one per core). The figures do not depend on it.
    #[arg(long, value_name = "N", allow_negative_numbers = true,
          value_parser = clap::value_parser!(u32).range(1..=MAX_THREADS as i64))]
    threads: Option<u32>,

    /// Print the report as one JSON object instead of a table.
    #[arg(long)]
    json: bool,

    /// Also write the t-visibility curve as an SVG file into DIR (t-visibility.svg), as the
    /// page's PBS view draws it: the same trials are also evaluated at the page's 1,601 times
    /// from 0 to 10 s (the table and JSON keep the --t times). With --trials 200000 and seed 1,
    /// the page's run, the file equals the page's chart byte for byte.
    /// DIR is created if missing; each file written is named on stderr.
    #[arg(long, value_name = "DIR")]
    svg: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum PresetArg {
    #[value(name = "lnkd-ssd", help = "LinkedIn Voldemort on SSDs")]
    LnkdSsd,
    #[value(name = "lnkd-disk", help = "LinkedIn Voldemort on spinning disks")]
    LnkdDisk,
    #[value(name = "ymmr", help = "Yammer Riak")]
    Ymmr,
    #[value(
        name = "wan",
        help = "lnkd-disk across datacenters, 75 ms each way to remote replicas"
    )]
    Wan,
}

impl From<PresetArg> for Preset {
    fn from(p: PresetArg) -> Self {
        match p {
            PresetArg::LnkdSsd => Preset::LnkdSsd,
            PresetArg::LnkdDisk => Preset::LnkdDisk,
            PresetArg::Ymmr => Preset::Ymmr,
            PresetArg::Wan => Preset::Wan,
        }
    }
}

fn parse_ms(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(x) if x.is_finite() && x >= 0.0 => Ok(x),
        _ => Err("expected a finite number of milliseconds >= 0".into()),
    }
}

fn parse_probability(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(p) if p > 0.0 && p <= 1.0 => Ok(p),
        _ => Err("expected a probability > 0 and <= 1, e.g. 0.999".into()),
    }
}

/// The command-line flag of a configuration field, for error messages.
fn flag_of(path: &str) -> &str {
    match path.split(['.', '[']).next().unwrap_or(path) {
        "n" => "--n",
        "r" => "--r",
        "w" => "--w",
        "trials" => "--trials",
        "t_ms" => "--t",
        "target" => "--target",
        _ => "--preset",
    }
}

fn usage_error(e: &FieldError) -> String {
    format!(
        "invalid value '{}' for '{}': expected {}",
        e.value,
        flag_of(&e.path),
        e.allowed.replace("n (", "--n (")
    )
}

pub(crate) fn run(args: &PbsArgs) -> Result<(), Box<dyn Error>> {
    let preset = Preset::from(args.preset);
    let config = PbsConfig {
        trials: args.trials,
        seed: args.seed,
        t_ms: args.t.clone(),
        target: args.target,
        ..PbsConfig::preset(preset, args.n, args.r, args.w)
    };
    config.validate().map_err(|e| usage_error(&e))?;
    let threads = args.threads.map_or_else(
        || std::thread::available_parallelism().map_or(1, |n| n.get().min(MAX_THREADS)),
        |t| t as usize,
    );
    let Some(dir) = &args.svg else {
        let report = run_with_progress(&config, threads)?;
        return print_report(args, preset, &report);
    };
    svg_out::prepare(dir)?;
    // One run evaluated at the asked times and then at the chart's: each time's probability
    // counts the same trials whatever other times are asked, so both parts equal their own runs.
    let asked = config.t_ms.len();
    let mut both = config.clone();
    both.t_ms.extend(curve_times());
    both.validate().map_err(|e| usage_error(&e))?;
    let mut report = run_with_progress(&both, threads)?;
    let mut curve = report.clone();
    curve.consistency = report.consistency.split_off(asked);
    print_report(args, preset, &report)?;
    svg_out::write(dir, &[t_visibility_chart(&curve, preset.name())])?;
    Ok(())
}

/// Prints `report` as a table, or as JSON with `--json`.
fn print_report(args: &PbsArgs, preset: Preset, report: &PbsReport) -> Result<(), Box<dyn Error>> {
    if args.json {
        println!("{}", serde_json::to_string(&report)?);
    } else {
        print!("{}", render_table(preset, report));
    }
    Ok(())
}

/// Runs on `threads` threads with a progress bar (core's parallel runner reports progress).
fn run_with_progress(config: &PbsConfig, threads: usize) -> Result<PbsReport, FieldError> {
    let mut progress = LazyProgress::new(config.trials, "trials");
    let report = config.run_parallel_with_progress(threads, |done| progress.update(done))?;
    progress.finish();
    Ok(report)
}

fn render_table(preset: Preset, r: &PbsReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "PBS (WARS model): preset {preset} · N={} R={} W={} · {} trials · seed {}",
        r.n, r.r, r.w, r.trials, r.seed
    );
    if r.strict_quorum {
        let _ = writeln!(out, "strict quorum (R + W > N): every read is consistent");
    } else {
        let _ = writeln!(out, "partial quorum (R + W <= N): reads may be stale");
    }
    let _ = writeln!(out, "\n{:>10}  {:>14}", "t (ms)", "P(consistent)");
    for p in &r.consistency {
        let _ = writeln!(out, "{:>10}  {:>14.5}", p.t_ms, p.p_consistent);
    }
    let _ = writeln!(
        out,
        "\n{} of reads are consistent from t = {} ms after commit (rounded up, within 0.8%)",
        fmt_percent(r.target),
        fmt_ms(r.t_for_target_ms)
    );
    let _ = writeln!(
        out,
        "\nk-staleness (closed form, no anti-entropy): P(read one of the last k versions)"
    );
    let ks: Vec<String> = r
        .k_staleness
        .iter()
        .map(|k| format!("k={}: {:.4}", k.k, k.p_within_k))
        .collect();
    let _ = writeln!(out, "  {}", ks.join("   "));
    let _ = writeln!(
        out,
        "\n{:<16}{:>9}{:>9}{:>9}{:>9}{:>9}",
        "(ms)", "p50", "p95", "p99", "p99.9", "mean"
    );
    let row = |out: &mut String, name: &str, l: &Summary| {
        let _ = writeln!(
            out,
            "{name:<16}{:>9.3}{:>9.3}{:>9.3}{:>9.3}{:>9.3}",
            l.p50, l.p95, l.p99, l.p999, l.mean
        );
    };
    row(&mut out, "read latency", &r.read_latency_ms);
    row(&mut out, "write latency", &r.write_latency_ms);
    out
}

/// Milliseconds without trailing zeros: `0`, `10`, `2.5`, `45.312`.
fn fmt_ms(x: f64) -> String {
    let s = format!("{x:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

/// `0.999` as `99.9%`.
fn fmt_percent(p: f64) -> String {
    format!("{}%", fmt_ms(p * 100.0))
}
