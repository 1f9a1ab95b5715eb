//! `meridian kata86`: the Kata 86 model from the command line.

use std::error::Error;
use std::fmt::Write as _;

use clap::{Args, ValueEnum};
use meridian_core::kata86::{
    Kata86Params, Kata86Report, Kata86Run, MAX_ITERATIONS, MAX_SEED, ReadStrategy, Region,
    SEED_SLOS, StalenessAccounting,
};
use meridian_core::metrics::Summary;

use crate::progress::LazyProgress;

/// Iterations run between progress updates.
const CHUNK: u64 = 1 << 22;

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    meridian kata86 --client US --strategy local_then_leader_if_stale\n  \
    meridian kata86 --iterations 1000000 --seed 7 --json")]
pub(crate) struct Kata86Args {
    /// Number of iterations (each records one read and one write).
    #[arg(long, short = 'n', value_name = "N", default_value_t = 5000, allow_negative_numbers = true,
          value_parser = clap::value_parser!(u64).range(1..=MAX_ITERATIONS))]
    iterations: u64,

    /// Region serving the client's local reads.
    #[arg(long, value_enum, ignore_case = true, default_value = "SG")]
    client: RegionArg,

    /// Where balance reads go.
    #[arg(long, value_enum, ignore_case = true, default_value = "local")]
    strategy: StrategyArg,

    /// Region that accepts writes.
    #[arg(long, value_enum, ignore_case = true, default_value = "SG")]
    leader: RegionArg,

    /// Seed of the exercise's generator (0 to 2^53 - 1).
    #[arg(long, value_name = "S", default_value_t = 1, allow_negative_numbers = true,
          value_parser = clap::value_parser!(u64).range(0..=MAX_SEED))]
    seed: u64,

    /// How a read's staleness is counted: `replica-lag` is the exercise's rule (the follower's lag,
    /// whoever served the read); `served-read` counts what the read returned (0 from the leader).
    #[arg(long, value_enum, default_value = "replica-lag")]
    accounting: AccountingArg,

    /// Print one JSON object with the exercise's result keys (readP95, writeP95, stalenessP95,
    /// stalenessP99) instead of a table.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum RegionArg {
    #[value(name = "SG", help = "Singapore")]
    Sg,
    #[value(name = "US", help = "US East (Virginia)")]
    Us,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum StrategyArg {
    #[value(name = "local", help = "the client's local replica")]
    Local,
    #[value(name = "leader", help = "the leader region")]
    Leader,
    #[value(
        name = "local_then_leader_if_stale",
        help = "local, unless its lag exceeds 2 s"
    )]
    LocalThenLeaderIfStale,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum AccountingArg {
    ReplicaLag,
    ServedRead,
}

impl From<RegionArg> for Region {
    fn from(r: RegionArg) -> Self {
        match r {
            RegionArg::Sg => Region::Sg,
            RegionArg::Us => Region::Us,
        }
    }
}

impl From<StrategyArg> for ReadStrategy {
    fn from(s: StrategyArg) -> Self {
        match s {
            StrategyArg::Local => ReadStrategy::Local,
            StrategyArg::Leader => ReadStrategy::Leader,
            StrategyArg::LocalThenLeaderIfStale => ReadStrategy::LocalThenLeaderIfStale,
        }
    }
}

impl From<AccountingArg> for StalenessAccounting {
    fn from(a: AccountingArg) -> Self {
        match a {
            AccountingArg::ReplicaLag => StalenessAccounting::ReplicaLag,
            AccountingArg::ServedRead => StalenessAccounting::ServedRead,
        }
    }
}

pub(crate) fn run(args: &Kata86Args) -> Result<(), Box<dyn Error>> {
    let params = Kata86Params {
        iterations: args.iterations,
        client: args.client.into(),
        leader: args.leader.into(),
        strategy: args.strategy.into(),
        seed: args.seed,
        accounting: args.accounting.into(),
        ..Kata86Params::default()
    };
    let mut run = Kata86Run::new(params)?;
    let mut progress = LazyProgress::new(params.iterations, "iterations");
    while !run.is_finished() {
        run.step(CHUNK);
        progress.update(run.iterations_done());
    }
    progress.finish();
    let report = run.report();
    if args.json {
        println!("{}", serde_json::to_string(&report.summary)?);
    } else {
        print!("{}", render_table(&report));
    }
    Ok(())
}

fn render_table(r: &Kata86Report) -> String {
    let p = &r.params;
    let mut out = String::new();
    let accounting = match p.accounting {
        StalenessAccounting::ReplicaLag => "replica lag (the exercise's rule)",
        StalenessAccounting::ServedRead => "staleness of the data served",
    };
    let _ = writeln!(
        out,
        "Kata 86: client {} · leader {} · reads: {} · {} iterations · seed {}",
        p.client, p.leader, p.strategy, r.iterations_done, p.seed
    );
    let _ = writeln!(out, "staleness counted as: {accounting}\n");
    let _ = writeln!(
        out,
        "{:<16}{:>8}{:>8}{:>8}{:>8}{:>10}",
        "(ms)", "p50", "p95", "p99", "max", "mean"
    );
    let row = |out: &mut String, name: &str, pc: &Summary| {
        let _ = writeln!(
            out,
            "{name:<16}{:>8}{:>8}{:>8}{:>8}{:>10.1}",
            pc.p50, pc.p95, pc.p99, pc.max, pc.mean
        );
    };
    row(&mut out, "read latency", &r.read_latency);
    row(&mut out, "write latency", &r.write_latency);
    row(&mut out, "staleness", &r.staleness);
    let pct = |n: u64| 100.0 * n as f64 / r.iterations_done.max(1) as f64;
    let _ = writeln!(
        out,
        "\nreads served by the leader: {} ({:.2}%), of which fallbacks: {}",
        r.leader_reads,
        pct(r.leader_reads),
        r.fallback_reads
    );
    let _ = writeln!(
        out,
        "reads staler than 2 s: {} ({:.2}%)\n",
        r.reads_over_threshold,
        pct(r.reads_over_threshold)
    );
    let _ = writeln!(out, "SLOs (the exercise's targets)");
    for slo in SEED_SLOS {
        let v = slo.check(&r.summary);
        let _ = writeln!(
            out,
            "  {:<22}{:>8} ms  {}",
            slo.label,
            v.measured_ms,
            if v.pass { "pass" } else { "FAIL" }
        );
    }
    out
}
