//! # The guide: meridian-core as a library, one page per layer
//!
//! The module docs say what each part is; these pages show how the parts are used together, each
//! with examples that run as tests (`cargo test --doc`):
//!
//! 1. [`quick_start`]: build a scenario in code, run it, read the report.
//! 2. [`scenarios`]: documents (TOML, JSON, YAML), presets, and errors that name the field.
//! 3. [`failures`]: faults, failover policies, RTO and RPO, drills.
//! 4. [`consistency`]: read strategies and staleness; partial quorums with PBS.
//! 5. [`conflicts`]: resolvers, CRDTs, escrow and the wallet ledger.
//! 6. [`sweeps_and_outputs`]: grids of runs on every core or a cluster; JSON, CSV, Prometheus and
//!    SVG out.
//! 7. [`reliability`]: circuit breakers, outbox and sagas under service outages.
//!
//! The `examples/` folder of the crate holds longer programs: a custom resolver plugged into a
//! run, a custom latency distribution, reading a report's histograms.

#[doc = include_str!("guide/quick_start.md")]
pub mod quick_start {}

#[doc = include_str!("guide/scenarios.md")]
pub mod scenarios {}

#[doc = include_str!("guide/failures.md")]
pub mod failures {}

#[doc = include_str!("guide/consistency.md")]
pub mod consistency {}

#[doc = include_str!("guide/conflicts.md")]
pub mod conflicts {}

#[doc = include_str!("guide/sweeps_and_outputs.md")]
pub mod sweeps_and_outputs {}

#[doc = include_str!("guide/reliability.md")]
pub mod reliability {}
