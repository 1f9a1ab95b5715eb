//! # meridian-core
//!
//! The simulation, routing and conflict logic behind Meridian, a tool for reasoning about the
//! latency, staleness and correctness of multi-region designs. The crate is `no_std` + `alloc`, so
//! the same code runs natively (library and the `meridian` CLI) and in the browser (WebAssembly).
//!
//! ## Where to start
//!
//! The [`guide`] walks through the library a layer at a time, starting with a
//! [quick start](guide::quick_start) that builds a scenario in code, runs it and reads the report.
//!
//! ## A tour
//!
//! The general simulator, bottom up:
//!
//! * [`time`]: simulated time as integer microseconds ([`time::SimTime`], [`time::SimDuration`]).
//! * [`rng`]: the one portable, seeded generator ([`rng::SimRng`], xoshiro256++).
//! * [`engine`]: the event queue, ordered by `(time, insertion sequence)`.
//! * [`topology`]: regions > zones > nodes and the round-trip distribution of every region pair.
//! * [`scenario`]: the whole run as one TOML/JSON document, validated with errors that name the
//!   field ([`error::FieldError`]); presets ship with the crate.
//! * [`sim`]: the discrete-event world: workload, replication (single leader, multi-leader,
//!   partitioned, quorum) with batching agents, read strategies, staleness, anomalies and the
//!   serde [`sim::Report`].
//!
//! Other models and building blocks:
//!
//! * [`walkthrough`]: built-in races between two regions (profile, wallet, cart, clock skew),
//!   each resolved by several strategies with step-by-step traces.
//! * [`kata86`]: the small two-region Wallet + Checkout model from the Kata 86 exercise (SG and US,
//!   one leader, three read strategies). It runs in a *seed-compatible* way: the same inputs give
//!   exactly the numbers of the exercise's reference TypeScript simulation, including its random
//!   number generator and percentile rule, while keeping memory flat in the number of iterations.
//! * [`metrics`]: streaming metrics for any model: [`metrics::LogHistogram`], a log-linear
//!   histogram of microsecond samples within 1/256 of the true quantiles in bounded memory, exactly
//!   mergeable, and its millisecond [`metrics::Summary`].
//! * [`dist`]: latency distributions for scenario documents (constant, uniform, normal,
//!   log-normal, exponential, Pareto, mixtures, empirical quantile tables, shifts), with
//!   validation and portable, bit-identical samplers.
//! * [`conflict`]: versions and conflict resolution: hybrid logical clocks, version vectors,
//!   records of named fields and strategies behind one `Resolver` trait (LWW by HLC or wall
//!   clock, source priority, insert-wins, per-field rules), a replica that ignores duplicate
//!   events and buffers early ones, and a step-by-step trace of every merge.
//! * [`pbs`]: Probabilistically Bounded Staleness, the WARS Monte Carlo of Bailis et al. (VLDB
//!   2012): how likely a Dynamo-style partial quorum (`R + W <= N`) reads the latest write `t` ms
//!   after it commits, with the paper's production latency fits as presets.
//! * [`ledger`]: the wallet's append-only ledger with a derived balance, idempotency keys that
//!   expire after a TTL, optimistic locking by version, and a checker that reports overspends and
//!   double charges in one ledger or across replicas.
//! * [`format`]: numbers as people read them (`1,234`, `40 ms`, `4.5 s`, `99.9%`), shared by the
//!   charts, the CLI and the page.
//! * [`charts`] (feature `charts`): the charts of a run, drawn from its report as SVG, the same
//!   for the page and the CLI.
//! * [`sweep`]: a scenario over a grid of field values × seeds, summarised per point as a mean
//!   with a 95 % confidence interval; the jobs are a fixed list, so shards merge exactly.
//! * [`reliability`]: seed 003's order flow under service outages: circuit breakers, fallback
//!   and reconciliation, a transactional outbox, a delivery retry job or a compensating saga, and
//!   a read-after-write wait on a projection, with detection, recovery and downtime per outage.
//! * [`chaos`]: deterministic fault sweeps: random fault schedules from a seed over every
//!   replication mode and entity policy, each run checked against invariants (no overspent
//!   escrow, no double charge, no lost acknowledged write under sync replication, no write
//!   without a leader, split brain only where allowed, convergence after faults heal).
//! * [`exposition`]: engine and recovery reports in the Prometheus text format.
//! * [`crdt`]: conflict-free replicated data types for multi-region state: G-Counter,
//!   PN-Counter, LWW-Register, MV-Register, OR-Set and an escrow bounded counter that never goes
//!   below zero; state-based merge or operations, each merge explainable as a merge trace.
//!
//! ## Feature flags
//!
//! * `std` (default): std-only conveniences. Without it the crate builds for targets such as
//!   `wasm32v1-none`.
//! * `charts`: [`charts`], every chart Meridian draws, as SVG documents through plotters (implies
//!   `std`). The page and the CLI's `--svg DIR` both draw through it.
//! * `yaml`: replication configs in YAML as scenario input ([`scenario::yaml`], implies `std`).
//! * `cli`: the native `meridian` binary (implies `std`, `charts` and `yaml`).
//!
//! ## Determinism
//!
//! Nothing in this crate reads a wall clock or an operating-system random source, and every
//! transcendental function comes from the pure-Rust `libm`, never the platform's. Events at the
//! same instant run in the order they were scheduled. Every run is therefore a pure function of
//! its parameters and seed, and a report reproduces bit for bit natively and in the browser.
//!
//! ```
//! use meridian_core::kata86::{Kata86Params, ReadStrategy, Region};
//!
//! let params = Kata86Params {
//!     client: Region::Us,
//!     leader: Region::Sg,
//!     strategy: ReadStrategy::Local,
//!     ..Kata86Params::default()
//! };
//! let report = params.run().expect("valid parameters");
//! // A US client's write is forwarded to the SG leader: 220 ms + 180 ms.
//! assert_eq!(report.summary.write_p95, 400);
//! ```

#![no_std]
#![forbid(unsafe_code)]
#![warn(missing_docs, missing_debug_implementations, unreachable_pub)]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

pub mod chaos;
#[cfg(feature = "charts")]
pub mod charts;
pub mod conflict;
pub mod crdt;
pub mod dist;
pub mod engine;
pub mod error;
pub mod exposition;
pub mod format;
pub mod guide;
pub mod kata86;
pub mod ledger;
pub mod metrics;
pub mod pbs;
pub mod reliability;
pub mod rng;
pub mod scenario;
pub mod sim;
pub mod sweep;
pub mod time;
pub mod topology;
pub mod walkthrough;
