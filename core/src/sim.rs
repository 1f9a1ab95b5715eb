//! The general multi-region simulator: a deterministic discrete-event run of a validated
//! [`Model`] (see [`crate::scenario`]).
//!
//! Clients in each population arrive as a Poisson process and read or write keys chosen
//! uniformly or by Zipf popularity. Writes go to the key's leader (single leader), owner
//! (partitioned), the client's home region (multi-leader) or to every replica (quorum). Committed
//! writes replicate through a per-link agent that batches, retries lost batches with exponential
//! backoff, keeps delivery in order and bounds its buffer. Replicas resolve concurrent writes by
//! last-write-wins on a hybrid logical clock (physical microseconds, bumped past anything seen,
//! with the origin region as tiebreak). Reads follow the configured strategy and record their
//! latency, their staleness in time (since the first committed write they missed) and in versions,
//! and session anomalies.
//!
//! Network delays: a one-way trip is half a sample of the pair's round-trip distribution; clients
//! reach other regions through their home region. Memory depends on the number of keys, replicas
//! and operations in flight, never on how many requests were simulated.

mod agent;
mod check;
mod edn;
mod export;
mod fault;
mod histograms;
mod history;
mod keys;
mod model;
mod ops;
mod policy;
mod report;
mod strategy;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
mod timeline;
mod workload;
mod world;

pub use edn::{history_edn, key_history_edn};
pub use export::{
    CsvFile, HISTOGRAM_COLUMNS, REGION_COLUMNS, TIMELINE_COLUMNS, csv_files, file_base,
    histograms_csv, regions_csv, timeline_csv,
};
pub use fault::{
    DivergentWrites, Failback, FailoverModel, FailoverPolicy, Fault, FaultKind, LwwClock, Toggle,
};
pub use histograms::{HISTOGRAM_BARS, Histograms, MetricBins};
pub use history::HistoryEvent;
pub use model::{
    AgentConfig, ClientModel, EntityModel, Model, PartitionBy, ReplicationModel, SloMetric,
    SloModel, WritePolicy,
};
pub use policy::EntityPolicy;
pub use report::{Counters, EntityReport, RegionReport, Report, SloVerdict};
pub use strategy::{OnViolation, ReadStrategy, SessionGuarantee};
pub use timeline::{
    AnomalyExample, ClientRoute, EXAMPLES_PER_KIND, FailureCounters, FailureReport, FaultOutcome,
    Interval, LogEntry, Rpo,
};
pub use workload::Popularity;
pub use world::Simulation;
