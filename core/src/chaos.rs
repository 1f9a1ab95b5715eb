//! Deterministic fault sweeps (the Jepsen / FoundationDB habit): generate a random fault
//! schedule from a seed, run it with the history recorded, and check invariants that must hold
//! on every run, whatever the faults.
//!
//! * [`schedule`] turns a `u64` seed into a valid [`Scenario`]: a replication mode, failover
//!   policy, entity policies and a fault schedule (region, zone and node crashes, partitions,
//!   degraded links, lag spikes, clock skew, toggles, operator failovers).
//! * [`invariants`] judges a finished run: escrow never overspends, idempotent charges never
//!   apply twice, sync replication never loses an acknowledged write, no write commits without
//!   a leader and none is acknowledged unless its client could reach the region that
//!   committed it (both ways, per the schedule), split brain only where the scenario allows it
//!   (and then its window is reported), replicas converge once faults heal and replication
//!   drains.
//! * [`run_schedule`] does both for one seed and adds a [`digest`] of the report, so the same
//!   seed can be checked to give the same report twice, natively and in WebAssembly.
//!
//! The native test runs a thousand schedules at [`Size::Quick`] (the same schedules at a
//! quarter of the request rate, so a debug build runs them in a few seconds), `make soak` a
//! hundred thousand at [`Size::Full`]; both print the one command that reproduces a failing
//! seed at its size ([`reproduce_command`]).
//!
//! ```
//! use meridian_core::chaos;
//!
//! let outcome = chaos::run_schedule(7);
//! assert!(outcome.violations.is_empty(), "{:?}", outcome.violations);
//! assert_eq!(outcome.digest, chaos::run_schedule(7).digest);
//! ```

pub mod invariants;
pub mod schedule;

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use invariants::check_run_with;
pub use invariants::{
    RepeatedCommits, Violation, check_run, repeated_commits, split_brain_allowed,
};
pub use schedule::{MODES, QUICK_RATE, Size, generate, generate_sized, replication_mode};

use crate::scenario::Scenario;
use crate::sim::{Report, Simulation};

/// What one generated schedule did.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Outcome {
    /// The seed (of the schedule and of the run).
    pub seed: u64,
    /// The schedule's size.
    pub size: Size,
    /// The replication mode, one of [`MODES`].
    pub mode: &'static str,
    /// The failover policy's name (single leader), or `None`.
    pub policy: Option<&'static str>,
    /// Entries in the fault schedule.
    pub faults: usize,
    /// Events the engine ran.
    pub events: u64,
    /// [`digest`] of the run's report.
    pub digest: u64,
    /// Split brain the report measured, ms (only where the scenario allows it; elsewhere any
    /// is a violation).
    pub split_brain_ms: f64,
    /// Keys whose replicas differ at the end (0 unless convergence is not promised: see
    /// [`invariants`]).
    pub divergent_keys: u32,
    /// Retries committed again in a region the first commit had not reached yet (region-local
    /// idempotency keys; see [`RepeatedCommits::cross_region`]).
    pub cross_region_reapplications: u64,
    /// The invariants the run broke.
    pub violations: Vec<Violation>,
}

/// Generates the schedule for `seed` at [`Size::Full`], runs it with the history recorded, and
/// checks it.
///
/// # Panics
/// If the generated scenario does not validate (a bug in the generator; its tests check this).
pub fn run_schedule(seed: u64) -> Outcome {
    run_schedule_sized(seed, Size::Full)
}

/// [`run_schedule`] at `size`.
///
/// # Panics
/// If the generated scenario does not validate.
pub fn run_schedule_sized(seed: u64, size: Size) -> Outcome {
    let scenario = generate_sized(seed, size);
    let (sim, report) = run_scenario(&scenario);
    let repeats = repeated_commits(sim.history());
    let violations = check_run_with(&sim, &report, repeats);
    Outcome {
        seed,
        size,
        mode: replication_mode(&scenario),
        policy: scenario.failover.as_ref().map(|f| f.policy.name()),
        faults: scenario.faults.len(),
        events: report.events,
        digest: digest(&report),
        split_brain_ms: report.failures.as_ref().map_or(0.0, |f| f.split_brain_ms),
        divergent_keys: sim.divergent_keys(),
        cross_region_reapplications: repeats.cross_region,
        violations,
    }
}

/// Runs `scenario` to completion with its history recorded.
///
/// # Panics
/// If the scenario does not validate.
pub fn run_scenario(scenario: &Scenario) -> (Simulation, Report) {
    let model = match scenario.validate() {
        Ok(m) => m,
        Err(e) => panic!("generated scenario {} is invalid: {e}", scenario.name),
    };
    let mut sim = Simulation::new(model);
    sim.record_history();
    sim.run();
    let report = sim.report();
    (sim, report)
}

/// A 64-bit FNV-1a hash of the report's JSON: equal reports give equal digests, on every
/// platform (the JSON of a report is itself deterministic).
pub fn digest(report: &Report) -> u64 {
    let bytes = serde_json::to_vec(report).unwrap_or_else(|e| format!("{e}").into_bytes());
    fnv1a(&bytes)
}

/// FNV-1a, 64-bit.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// The one command that re-runs seed `seed` at `size` alone and prints its schedule and
/// violations.
pub fn reproduce_command(seed: u64, size: Size) -> String {
    let size = match size {
        Size::Full => String::new(),
        Size::Quick => String::from("MERIDIAN_CHAOS_SIZE=quick "),
    };
    format!(
        "MERIDIAN_CHAOS_SEED={seed} {size}cargo test --release -p meridian-core --test chaos -- reproduce_seed --exact --nocapture"
    )
}

/// Counts over many outcomes: runs per mode, split-brain windows, and the failures.
#[derive(Debug, Clone, Default)]
pub struct SweepSummary {
    /// Schedules run.
    pub runs: u64,
    /// Events run in all.
    pub events: u64,
    /// Runs per replication mode.
    pub per_mode: BTreeMap<&'static str, u64>,
    /// Runs that had split brain (where allowed), and the longest window, ms.
    pub split_brain_runs: u64,
    /// The longest split-brain window, ms.
    pub longest_split_brain_ms: f64,
    /// Quorum runs whose replicas still differ at the end (not promised to converge).
    pub quorum_divergent_runs: u64,
    /// Runs where a retry committed again in a region the first commit had not reached.
    pub cross_region_reapplication_runs: u64,
    /// The failing outcomes, in the order added.
    pub failures: Vec<Outcome>,
}

impl SweepSummary {
    /// Counts `outcome` in.
    pub fn add(&mut self, outcome: Outcome) {
        self.runs += 1;
        self.events += outcome.events;
        *self.per_mode.entry(outcome.mode).or_default() += 1;
        if outcome.split_brain_ms > 0.0 {
            self.split_brain_runs += 1;
            self.longest_split_brain_ms = self.longest_split_brain_ms.max(outcome.split_brain_ms);
        }
        if outcome.mode == "quorum" && outcome.divergent_keys > 0 {
            self.quorum_divergent_runs += 1;
        }
        if outcome.cross_region_reapplications > 0 {
            self.cross_region_reapplication_runs += 1;
        }
        if !outcome.violations.is_empty() {
            self.failures.push(outcome);
        }
    }

    /// Adds another summary's counts (shards of one sweep).
    pub fn merge(&mut self, other: SweepSummary) {
        self.runs += other.runs;
        self.events += other.events;
        for (mode, n) in other.per_mode {
            *self.per_mode.entry(mode).or_default() += n;
        }
        self.split_brain_runs += other.split_brain_runs;
        self.longest_split_brain_ms = self
            .longest_split_brain_ms
            .max(other.longest_split_brain_ms);
        self.quorum_divergent_runs += other.quorum_divergent_runs;
        self.cross_region_reapplication_runs += other.cross_region_reapplication_runs;
        self.failures.extend(other.failures);
        self.failures.sort_by_key(|o| o.seed);
    }
}

impl fmt::Display for SweepSummary {
    /// A few lines: runs and events, runs per mode, split brain, quorum divergence, and for
    /// each failure its seed, violations and the command that reproduces it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} schedules, {} events", self.runs, self.events)?;
        for (mode, n) in &self.per_mode {
            writeln!(f, "  {mode}: {n} runs")?;
        }
        writeln!(
            f,
            "split brain (where the scenario allows it): {} runs, longest {} ms",
            self.split_brain_runs, self.longest_split_brain_ms
        )?;
        writeln!(
            f,
            "quorum runs not converged (no anti-entropy in the engine): {}",
            self.quorum_divergent_runs
        )?;
        writeln!(
            f,
            "retries applied again in a region the first attempt had not reached \
             (region-local idempotency keys): {} runs",
            self.cross_region_reapplication_runs
        )?;
        writeln!(f, "failing schedules: {}", self.failures.len())?;
        for o in &self.failures {
            writeln!(f, "seed {} ({}):", o.seed, o.mode)?;
            for v in &o.violations {
                writeln!(f, "  {}: {}", v.invariant, v.detail)?;
            }
            writeln!(f, "  reproduce: {}", reproduce_command(o.seed, o.size))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_matches_the_reference_values() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
