//! Kata 86: a Wallet + Checkout service on two regions, SG and US, with one leader.
//!
//! This is the small model of the Kata 86 exercise, kept faithful to the exercise's reference
//! TypeScript simulation so that its figures can be reproduced and checked:
//!
//! * A client reaches SG in 40 ms and US in 220 ms; SG and US are 180 ms apart.
//! * Each iteration draws a fresh replication lag for the follower region: 150 ms plus a uniform
//!   jitter below 200 ms, and with probability 2% a spike of 4 to 8 more seconds.
//! * A read goes to the client's local region ([`ReadStrategy::Local`]), to the leader
//!   ([`ReadStrategy::Leader`]), or locally unless the local lag exceeds 2 s, in which case it falls
//!   back to the leader ([`ReadStrategy::LocalThenLeaderIfStale`]).
//! * A write goes to the leader: one client round trip when the client is at the leader, otherwise
//!   the client's round trip plus the SG-US round trip.
//! * The result is the p95 of read and write latency and the p95/p99 of staleness, using the
//!   exercise's percentile rule: sort, then take the element at `floor(q/100 * (n - 1))`.
//!
//! ## Seed compatibility
//!
//! With [`StalenessAccounting::ReplicaLag`] (the default) every number equals the reference
//! simulation's for the same inputs, to the last digit: the run uses the same linear congruential
//! generator, evaluated in IEEE-754 doubles exactly as JavaScript does (see [`SeedLcg`]), and the
//! same percentile rule. Unlike the reference, memory does not grow with the number of iterations:
//! every metric takes integer milliseconds from a bounded range, so [`ExactCounts`] keeps one
//! counter per possible value and still yields the exact order statistic.
//!
//! ## Where the exercise's model is questionable
//!
//! The reference records the *follower's replication lag* as the staleness of every read, even when
//! the read was served by the leader (a leader read, or a fallback), so its staleness figures are
//! the same for all three strategies. Seed-compatible runs keep that rule. Choose
//! [`StalenessAccounting::ServedRead`] to record the staleness of the data actually returned (zero
//! when the leader answered); the lag draws are unchanged, so the two modes differ only in that.
//! The model also ignores time between iterations, queueing and failures; the general engine is
//! the place for those.
//!
//! ## Drawing it
//!
//! [`Kata86Config::topology`] gives the two regions and their link as a general
//! [`crate::topology::Topology`], and [`Kata86Report::read_bins`] and
//! [`Kata86Report::staleness_bins`] the histograms as [`crate::metrics::Bin`]s, so that code drawing
//! any model draws this one too.

mod config;
mod exact_counts;
mod report;
mod run;
mod seed_lcg;
mod slo;
mod topology;

pub use config::{
    CLIENT_LAT_LON, CLIENT_PLACE, Kata86Config, Kata86Error, Kata86Params, MAX_CONFIG_MS,
    MAX_ITERATIONS, MAX_SEED, ReadStrategy, Region, StalenessAccounting,
};
pub use exact_counts::{Bin, ExactCounts};
pub use report::{Kata86Report, READ_BIN_MS, STALENESS_BIN_MS, SimResult};
pub use run::Kata86Run;
pub use seed_lcg::SeedLcg;
pub use slo::{SEED_SLOS, Slo, SloMetric, SloVerdict, StrategyComparison, compare_strategies};
