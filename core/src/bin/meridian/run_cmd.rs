//! `meridian run`: simulate a scenario document or preset.

use std::error::Error;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use clap::Args;
use meridian_core::charts::run::{RunData, run_charts};
use meridian_core::metrics::Summary;
use meridian_core::scenario::{FaultSpec, Scenario};
use meridian_core::sim::{Model, Report, Simulation, csv_files, history_edn};
use meridian_core::time::{SimDuration, SimTime};

use crate::failures_view;
use crate::progress::LazyProgress;
use crate::svg_out;

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    meridian run sg-us-wallet\n  \
    meridian run my-design.toml --seed 7 --json\n  \
    meridian run sg-us-wallet --fault \"region-down SG at 20s for 30s\"\n  \
    meridian run aws8-single-leader --svg charts/\n  \
    meridian run sg-down-promote --prometheus metrics.prom\n  \
    meridian run sg-down-promote --csv series/\n  \
    meridian run sg-us-partition --history-edn history.edn\n  \
    meridian presets --show aws8-multi-leader > mine.toml")]
pub(crate) struct RunArgs {
    #[command(flatten)]
    pub(crate) scenario: ScenarioArgs,

    /// Print the full report as one JSON object instead of a table.
    #[arg(long)]
    json: bool,

    /// With --json, add the bars behind the latency and staleness figures (`histograms`: per
    /// metric a bar width in µs and [bar index, count] pairs, overall and per home region).
    #[arg(long, requires = "json")]
    histograms: bool,

    /// Also write the run's charts as SVG files into DIR, as the page's Scenario view draws
    /// them over all clients: read-latency, write-latency and staleness-of-reads, a histogram
    /// and a CDF each (read-latency.svg, read-latency-cdf.svg, ...), and for a scenario with
    /// faults its failure timeline as the Drill view draws it (failure-timeline-POLICY.svg).
    /// DIR is created if missing; each file written is named on stderr.
    #[arg(long, value_name = "DIR")]
    svg: Option<PathBuf>,

    /// Also write the run's series as CSV files into DIR, as the page's downloads name them:
    /// SCENARIO-seedN-histograms.csv (one row per bar, all clients and per home region),
    /// SCENARIO-seedN-regions.csv (percentiles per home region) and, with faults,
    /// SCENARIO-seedN-timeline.csv (one row per interval). DIR is created if missing.
    #[arg(long, value_name = "DIR")]
    csv: Option<PathBuf>,

    /// Also write the run's final metrics to FILE in the Prometheus text format (counters,
    /// gauges, and latency/staleness summaries overall and per home region; names after the
    /// replication metrics of production systems, e.g. meridian_replication_lag_milliseconds).
    #[arg(long, value_name = "FILE")]
    prometheus: Option<PathBuf>,

    /// Also record the run's history and write it to FILE in Jepsen's EDN history format, for
    /// an external checker: one operation per line (`{:type :invoke, :f :write, :value V,
    /// :process P, :time NS, :key K}`, then `:ok`, `:fail` or `:info`), every key a register
    /// whose values are the writes' stamps (0 = initial). Memory grows with the run's requests.
    #[arg(long, value_name = "FILE")]
    history_edn: Option<PathBuf>,
}

/// The scenario to run and what the command line changes in it.
#[derive(Debug, Args)]
pub(crate) struct ScenarioArgs {
    /// A scenario file (`.toml` or `.json`), a replication config in YAML (`.yaml`/`.yml`: its
    /// `replication:` section plus Meridian's `simulation:` one, see the README) or the name of a
    /// preset (see `meridian presets`).
    scenario: String,

    /// Override the scenario's seed (a whole number from 0 to 2^64 - 1).
    #[arg(long, value_name = "S", allow_negative_numbers = true)]
    seed: Option<u64>,

    /// Override the scenario's duration, in simulated seconds.
    #[arg(long, value_name = "SECONDS")]
    duration: Option<f64>,

    /// Add a fault to the scenario's schedule (repeatable), e.g. "region-down SG at 60s for
    /// 120s", "zone-down sg-a at 5s", "node-down sg-1 at 5s", "partition SG <-> US at 10s for 30s", "link-degradation SG US +200ms loss 0.05 at
    /// 5s", "lag-spike US 5s at 10s for 20s", "clock-skew SG -500ms at 0",
    /// "toggle write_readonly_mode at 30s for 10s", "failover US at 40s", "failback at 90s".
    /// A time is a number with ms, s or m (bare: seconds); a delay's bare number is ms.
    #[arg(long = "fault", value_name = "FAULT", allow_hyphen_values = true)]
    faults: Vec<String>,
}

impl ScenarioArgs {
    /// Loads the scenario and applies the overrides (not yet validated).
    pub(crate) fn load(&self) -> Result<Scenario, Box<dyn Error>> {
        let mut scenario = load_scenario(&self.scenario)?;
        if let Some(seed) = self.seed {
            scenario.seed = seed;
        }
        if let Some(d) = self.duration {
            scenario.duration_s = d;
        }
        for line in &self.faults {
            scenario.faults.push(FaultSpec::parse(line)?);
        }
        Ok(scenario)
    }
}

pub(crate) fn load_scenario(spec: &str) -> Result<Scenario, Box<dyn Error>> {
    let path = Path::new(spec);
    if path.extension().is_none() {
        // No extension: a preset name (a file must be named *.toml or *.json).
        return match Scenario::preset(spec) {
            Ok(s) => Ok(s),
            Err(e) if path.is_file() => Err(format!(
                "'{spec}' is neither a preset nor a scenario file with a .toml, .json, .yaml or .yml extension ({e})"
            )
            .into()),
            Err(e) => Err(e.into()),
        };
    }
    let yaml = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"));
    if yaml {
        // Read here rather than by `Scenario::load`, to list what the config says that the
        // simulation leaves out.
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read scenario file '{spec}': {e}"))?;
        let import = Scenario::from_yaml(&text).map_err(|e| format!("{spec}: {e}"))?;
        for field in &import.ignored {
            eprintln!("{spec}: read but not simulated: {field}");
        }
        return Ok(import.scenario);
    }
    Ok(Scenario::load(path)?)
}

pub(crate) fn run(args: &RunArgs) -> Result<(), Box<dyn Error>> {
    let scenario = args.scenario.load()?;
    let model = scenario
        .validate()
        .map_err(|e| format!("invalid scenario: {e}"))?;
    if let Some(dir) = &args.svg {
        svg_out::prepare(dir)?;
    }
    if let Some(dir) = &args.csv {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create the CSV folder '{}': {e}", dir.display()))?;
    }
    let sim = simulate_recording(
        model.clone(),
        "% of simulated time",
        args.history_edn.is_some(),
    );
    if let Some(path) = &args.history_edn {
        std::fs::write(path, history_edn(sim.history()))
            .map_err(|e| format!("cannot write the history to '{}': {e}", path.display()))?;
        eprintln!("wrote {}", path.display());
    }
    let report = if args.histograms {
        sim.report_with_histograms()
    } else {
        sim.report()
    };
    if let Some(path) = &args.prometheus {
        std::fs::write(path, meridian_core::exposition::engine_report(&report)).map_err(|e| {
            format!(
                "cannot write Prometheus metrics to '{}': {e}",
                path.display()
            )
        })?;
    }
    if args.json {
        println!("{}", serde_json::to_string(&report)?);
    } else {
        print!("{}", render(&report));
    }
    if let Some(dir) = &args.csv {
        let regions: Vec<&str> = model
            .topology
            .regions()
            .iter()
            .map(|r| r.id.as_str())
            .collect();
        for f in csv_files(&report, &sim.histograms(), &regions) {
            let path = dir.join(&f.file);
            std::fs::write(&path, &f.text)
                .map_err(|e| format!("cannot write '{}': {e}", path.display()))?;
            eprintln!("wrote {}", path.display());
        }
    }
    if let Some(dir) = &args.svg {
        let histograms = sim.histograms();
        let run = RunData {
            model: &model,
            report: &report,
            histograms: &histograms,
        };
        svg_out::write(dir, &run_charts(&run))?;
    }
    Ok(())
}

/// Runs `model` to completion, with a progress bar on a terminal for long runs, and gives the
/// finished simulation (for its report and histograms).
pub(crate) fn simulate(model: Model, unit: &'static str) -> Simulation {
    simulate_recording(model, unit, false)
}

/// [`simulate`], recording the run's history when `history` is set.
fn simulate_recording(model: Model, unit: &'static str, history: bool) -> Simulation {
    let duration = model.duration;
    let mut sim = Simulation::new(model);
    if history {
        sim.record_history();
    }
    // Step in slices of simulated time so the bar can move: 1,000 slices over the arrival period.
    let slice = SimDuration::from_micros((duration.as_micros() / 1000).max(1));
    let mut progress = LazyProgress::new(100, unit);
    let mut until = SimTime::ZERO;
    while let Some(next) = sim.next_event_time() {
        // Jump over quiet stretches (a long sampled delay) instead of stepping through them.
        until = (until + slice).max(next);
        sim.run_until(until);
        progress.update((sim.progress() * 100.0) as u64);
    }
    progress.finish();
    sim
}

/// A table cell in ms: one decimal while it fits, whole ms from 100 s up, and scientific
/// notation beyond 11 days, so wide values never run into the next column.
pub(crate) fn cell_ms(x: f64) -> String {
    if x < 100_000.0 {
        format!("{x:.1}")
    } else if x < 1e9 {
        format!("{x:.0}")
    } else {
        format!("{x:.2e}")
    }
}

fn row(out: &mut String, name: &str, s: &Summary) {
    let _ = writeln!(
        out,
        "{name:<20}{:>10} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9}",
        s.count,
        cell_ms(s.p50),
        cell_ms(s.p90),
        cell_ms(s.p95),
        cell_ms(s.p99),
        cell_ms(s.p999),
        cell_ms(s.max)
    );
}

fn render(r: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} · seed {} · {} s of arrivals · {} events",
        r.scenario, r.seed, r.duration_s, r.events
    );
    let _ = writeln!(
        out,
        "\n{:<20}{:>10} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9}",
        "(ms)", "count", "p50", "p90", "p95", "p99", "p99.9", "max"
    );
    row(&mut out, "read latency", &r.read_latency);
    row(&mut out, "write latency", &r.write_latency);
    row(&mut out, "staleness", &r.staleness);
    for reg in &r.regions {
        if reg.read_latency.count + reg.write_latency.count == 0 {
            continue;
        }
        let _ = writeln!(out, "clients homed in {}:", reg.region);
        row(&mut out, "  read latency", &reg.read_latency);
        row(&mut out, "  write latency", &reg.write_latency);
        row(&mut out, "  staleness", &reg.staleness);
    }
    let v = &r.versions_behind;
    let _ = writeln!(
        out,
        "\nversions behind per read: p50 {} · p95 {} · p99 {} · max {}",
        v.p50, v.p95, v.p99, v.max
    );
    let c = &r.counters;
    let pct = |n: u64, of: u64| 100.0 * n as f64 / of.max(1) as f64;
    let _ = writeln!(
        out,
        "reads {} (stale {:.2}%, fallbacks {}, waited {}) · writes {} (timeouts {}, retries {}, failed {})",
        c.reads,
        pct(c.stale_reads, c.reads),
        c.fallback_reads,
        c.waited_reads,
        c.writes,
        c.write_timeouts,
        c.write_retries,
        c.write_failures
    );
    let _ = writeln!(
        out,
        "anomalies: read-your-writes {} · monotonic reads {} · conflicts {} (LWW discarded {}, overwrote {}) · duplicate applies {}",
        c.read_your_writes_violations,
        c.monotonic_read_violations,
        c.conflicts,
        c.discarded_by_lww,
        c.overwritten_by_lww,
        c.duplicate_applies
    );
    let _ = writeln!(
        out,
        "replication: batch retries {} · batches dropped {} · buffer drops {} · writes lost in transit {}",
        c.batch_retries, c.batch_drops, c.buffer_drops, c.writes_lost_in_transit
    );
    if !r.entities.is_empty() {
        let _ = writeln!(out, "\nentity types");
        for e in &r.entities {
            let _ = write!(
                out,
                "  {:<12} {:<16} {:>6} writes · conflicts {} · discarded {}",
                e.name, e.policy, e.writes, e.conflicts, e.discarded_writes
            );
            if e.accepted_charges + e.refused_charges > 0 {
                let _ = write!(
                    out,
                    " · charges accepted {} refused {} · overspent wallets {} ({}) · wallets with lost charges {} ({})",
                    e.accepted_charges,
                    e.refused_charges,
                    e.overspent_wallets,
                    e.overspent_amount,
                    e.wallets_with_lost_charges,
                    e.lost_charge_amount
                );
            }
            let _ = writeln!(out);
        }
    }
    if let Some(f) = &r.failures {
        out.push_str(&failures_view::render(f));
    }
    if !r.slos.is_empty() {
        let _ = writeln!(out, "\nSLOs");
        for s in &r.slos {
            let _ = writeln!(
                out,
                "  {:<40}{:>10} ms  {}",
                s.label,
                cell_ms(s.measured_ms),
                match (s.samples, s.pass) {
                    (0, _) => "not evaluated: no samples",
                    (_, true) => "pass",
                    (_, false) => "FAIL",
                },
            );
        }
    }
    out
}
