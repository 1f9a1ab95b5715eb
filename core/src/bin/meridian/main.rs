//! `meridian`: the command-line face of meridian-core.
//!
//! Each subcommand lives in its own module; this file only parses arguments and dispatches.
//! Usage errors exit with status 2 and name the flag and the allowed values.

mod drill_cmd;
mod failures_view;
mod kata86_cmd;
mod merge_cmd;
mod pbs_cmd;
mod presets_cmd;
mod progress;
mod recovery_cmd;
mod run_cmd;
mod svg_out;
mod sweep_cmd;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Simulate multi-region designs: latency, staleness and SLOs from a seed.
#[derive(Debug, Parser)]
#[command(name = "meridian", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the Kata 86 Wallet + Checkout model (SG and US, one leader).
    ///
    /// By default the figures equal those of the exercise's reference TypeScript simulation for the
    /// same inputs, digit for digit.
    Kata86(kata86_cmd::Kata86Args),
    /// Probabilistically Bounded Staleness: how often a partial quorum (R + W <= N) reads the
    /// latest write, t ms after it commits (the WARS Monte Carlo of Bailis et al., VLDB 2012).
    Pbs(pbs_cmd::PbsArgs),
    /// Run a scenario (a TOML or JSON file, a YAML replication config, or a preset name) and
    /// report latency, staleness, anomalies and SLO verdicts.
    Run(run_cmd::RunArgs),
    /// Run a scenario with faults under each failover policy (reject_writes, promote, manual)
    /// and compare RTO, RPO, rejected writes, stale reads and p95s side by side.
    Drill(drill_cmd::DrillArgs),
    /// List the shipped scenario presets, or print one as TOML.
    Presets(presets_cmd::PresetsArgs),
    /// Walk through a built-in conflict (profile, wallet, cart, clock-skew) resolved by several
    /// strategies, step by step.
    Merge(merge_cmd::MergeArgs),
    /// Reliability patterns under service outages (circuit breakers, outbox, retry job, sagas,
    /// reconciliation): seed 003's recovery table by simulation, or one recovery run.
    Recovery(recovery_cmd::RecoveryArgs),
    /// Run a scenario over a grid of field values x seeds on every core, with the mean and a 95%
    /// confidence interval per point; `--shard I/N` and `sweep merge` split it across machines.
    Sweep(sweep_cmd::SweepArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Kata86(args) => kata86_cmd::run(&args),
        Command::Pbs(args) => pbs_cmd::run(&args),
        Command::Run(args) => run_cmd::run(&args),
        Command::Drill(args) => drill_cmd::run(&args),
        Command::Presets(args) => presets_cmd::run(&args),
        Command::Merge(args) => merge_cmd::run(&args),
        Command::Recovery(args) => recovery_cmd::run(&args),
        Command::Sweep(args) => sweep_cmd::run(&args),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(2)
        }
    }
}
