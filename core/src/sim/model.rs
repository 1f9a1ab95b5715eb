//! The validated, id-resolved form of a scenario that the simulator runs.

use alloc::string::String;
use alloc::vec::Vec;

use crate::dist::Dist;
use crate::scenario::{
    AgentSpec, EntityPolicy, PartitionBy, Popularity, ReadStrategySpec, SloMetricSpec, WritesSpec,
};
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
    pub agent: AgentSpec,
    /// Read strategy.
    pub reads: ReadStrategySpec,
    /// Write path settings.
    pub writes: WritesSpec,
    /// Objectives.
    pub slos: Vec<SloModel>,
    /// Entity types and their key ranges.
    pub entities: Vec<EntityModel>,
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
    pub metric: SloMetricSpec,
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
