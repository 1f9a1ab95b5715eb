//! The validated, id-resolved form of a scenario that the simulator runs.

use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use super::fault::{FailoverModel, Fault, LwwClock};
use super::policy::EntityPolicy;
use super::strategy::ReadStrategy;
use super::workload::Popularity;
use crate::dist::Dist;
use crate::time::SimDuration;
use crate::topology::Topology;

/// A scenario after validation: every reference is a dense index.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    /// Scenario name.
    pub name: String,
    /// Scenario description.
    pub description: String,
    /// Seed of the run.
    pub seed: u64,
    /// Arrivals stop after this long.
    pub duration: SimDuration,
    /// Regions and network.
    pub topology: Topology,
    /// Client populations.
    pub clients: Vec<ClientModel>,
    /// Share of requests that are reads.
    pub read_fraction: f64,
    /// Number of keys.
    pub keys: u32,
    /// Key popularity.
    pub popularity: Popularity,
    /// Sessions per population.
    pub sessions_per_client: u32,
    /// Write acceptance and propagation.
    pub replication: ReplicationModel,
    /// Processing time before a replica applies a write.
    pub apply_delay: Dist,
    /// Replication agent settings.
    pub agent: AgentConfig,
    /// Read strategy.
    pub reads: ReadStrategy,
    /// Write path settings.
    pub writes: WritePolicy,
    /// Objectives.
    pub slos: Vec<SloModel>,
    /// Entity types and their key ranges.
    pub entities: Vec<EntityModel>,
    /// A read unanswered after this long fails (only with faults).
    pub read_deadline: SimDuration,
    /// The fault schedule, in document order.
    pub faults: Vec<Fault>,
    /// Failure detection and failover.
    pub failover: FailoverModel,
    /// Timeline interval (recorded when there are faults).
    pub timeline_interval: SimDuration,
    /// Which clock orders last-write-wins.
    pub lww_clock: LwwClock,
    /// Quorum replication: the node each replica runs on, when replicas were placed on the
    /// topology's nodes (a node or zone crash takes it down); empty otherwise.
    pub replica_nodes: Vec<usize>,
}

/// An entity type with its key range resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct EntityModel {
    /// Name.
    pub name: String,
    /// Keys `first_key..end_key` belong to it.
    pub first_key: u32,
    /// One past its last key.
    pub end_key: u32,
    /// Conflict policy.
    pub policy: EntityPolicy,
    /// Read strategy for these keys, if not the scenario's.
    pub reads: Option<ReadStrategy>,
    /// Reads of these keys are non-essential: the `disable_recs` toggle sheds them.
    pub optional: bool,
}

/// A client population.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientModel {
    /// Name.
    pub name: String,
    /// Index of its home region.
    pub home: usize,
    /// Requests per simulated second from this population.
    pub rate_per_s: f64,
    /// Round trip to the home region.
    pub access_rtt: Dist,
    /// Latitude in degrees.
    pub lat: f64,
    /// Longitude in degrees.
    pub lon: f64,
    /// Regions to use, in order, when the home region is detected down.
    pub failover: Vec<usize>,
}

/// Replication with region indices.
#[derive(Debug, Clone, PartialEq)]
pub enum ReplicationModel {
    /// One leader; the write is acknowledged after `acks_needed` followers applied it.
    SingleLeader {
        /// Leader region.
        leader: usize,
        /// Follower acknowledgements required before commit (0 = asynchronous).
        acks_needed: u32,
    },
    /// Every region accepts writes; last-write-wins on apply.
    MultiLeader,
    /// Each key has an owner region.
    Partitioned {
        /// How keys map to owners.
        by: PartitionBy,
        /// Owner regions.
        owners: Vec<usize>,
    },
    /// Leaderless quorum.
    Quorum {
        /// Read quorum.
        r: u32,
        /// Write quorum.
        w: u32,
        /// Region of each of the N replicas.
        replica_regions: Vec<usize>,
    },
}

/// An objective with its region resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct SloModel {
    /// What is measured.
    pub metric: SloMetric,
    /// Percentile, 0 to 100.
    pub percentile: f64,
    /// Bound in ms (exclusive).
    pub below_ms: f64,
    /// Home region the objective is limited to, if any.
    pub region: Option<usize>,
    /// Human label, e.g. "read latency p95 < 150 ms (SG)".
    pub label: String,
}

impl Model {
    /// Number of replicas: one per region, or N for quorum replication.
    pub fn replica_count(&self) -> usize {
        match &self.replication {
            ReplicationModel::Quorum {
                replica_regions, ..
            } => replica_regions.len(),
            _ => self.topology.region_count(),
        }
    }

    /// Region of replica `i`.
    pub fn replica_region(&self, i: usize) -> usize {
        match &self.replication {
            ReplicationModel::Quorum {
                replica_regions, ..
            } => replica_regions[i],
            _ => i,
        }
    }
}

/// How a partitioned deployment assigns keys to owners.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum PartitionBy {
    /// Keys are split into equal contiguous ranges, one per owner.
    KeyRange {},
    /// Keys belong to `tenants` tenants (key mod tenants); tenants go to owners round-robin.
    Tenant {
        /// Number of tenants.
        tenants: u32,
    },
}

/// The replication agent between two regions (batching, retries, buffer).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AgentConfig {
    /// Writes per batch; a full batch leaves at once.
    pub batch_size: u32,
    /// Longest a write waits for its batch to fill, in ms.
    pub batch_delay_ms: f64,
    /// Probability that a batch is lost in transit and must be retried.
    pub loss_probability: f64,
    /// Retries after the first attempt before the batch is dropped.
    pub max_retries: u32,
    /// First retry delay in ms; doubles on every retry.
    pub retry_base_ms: f64,
    /// Writes the agent holds per destination (queued or in flight); more are dropped.
    pub buffer: u32,
}

impl Default for AgentConfig {
    /// One write per batch, no batching delay, no loss, 5 retries from 100 ms, 10,000 buffered.
    fn default() -> Self {
        AgentConfig {
            batch_size: 1,
            batch_delay_ms: 0.0,
            loss_probability: 0.0,
            max_retries: 5,
            retry_base_ms: 100.0,
            buffer: 10_000,
        }
    }
}

/// Write path settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct WritePolicy {
    /// A client gives up waiting after this many ms and retries.
    pub deadline_ms: f64,
    /// Attempts per write, including the first.
    pub max_attempts: u32,
    /// Whether retries carry an idempotency key so the server applies a write once.
    pub idempotency_keys: bool,
}

impl Default for WritePolicy {
    /// A 2 s deadline, 3 attempts, idempotency keys on.
    fn default() -> Self {
        WritePolicy {
            deadline_ms: 2000.0,
            max_attempts: 3,
            idempotency_keys: true,
        }
    }
}

/// A metric an SLO can be stated on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SloMetric {
    /// Read latency.
    ReadLatency,
    /// Write latency.
    WriteLatency,
    /// Staleness of reads in time.
    Staleness,
    /// Recovery time after a fault: to the first acknowledged write that arrived after it, the
    /// worst over the scenario's faults (runs with faults only; the percentile is ignored).
    Rto,
    /// Recovery point: the RPO window, from the oldest acknowledged write a failover lost to
    /// the failover (runs with faults only; the percentile is ignored).
    Rpo,
}

impl SloMetric {
    /// Whether the objective is on a run's failure figures rather than a distribution.
    pub fn is_recovery(self) -> bool {
        matches!(self, SloMetric::Rto | SloMetric::Rpo)
    }
}
