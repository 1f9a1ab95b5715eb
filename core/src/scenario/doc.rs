//! The scenario document's types, exactly as written in TOML or JSON. Defaults are filled in by
//! serde so a short document is enough; [`Scenario::validate`](super::Scenario::validate) checks
//! the values.
//!
//! Variants without parameters are written as empty struct variants (`Local {}`), not unit
//! variants: serde ignores extra fields next to the tag of an internally tagged unit variant, so
//! `{ kind = "local", r = 3 }` would pass silently, while an empty struct variant rejects `r` as
//! an unknown field.

use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use super::faults::{FailoverSpec, FaultSpec, TimelineSpec};
use crate::dist::Dist;
use crate::sim::LwwClock;
use crate::sim::{
    AgentConfig, EntityPolicy, PartitionBy, Popularity, ReadStrategy, SloMetric, WritePolicy,
};
use crate::topology::TopologySpec;

/// A whole simulation run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Short name, shown in reports.
    pub name: String,
    /// What the scenario models.
    #[serde(default)]
    pub description: String,
    /// Seed of the run's generator; the same seed gives the same report.
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// Simulated seconds of arrivals (in-flight work then drains).
    pub duration_s: f64,
    /// Regions, zones, nodes and the network between regions.
    pub topology: TopologySpec,
    /// Client populations.
    pub clients: Vec<ClientSpec>,
    /// Request mix and key popularity.
    pub workload: WorkloadSpec,
    /// How writes reach the replicas.
    pub replication: ReplicationSpec,
    /// Where reads are served.
    #[serde(default)]
    pub reads: ReadsSpec,
    /// Write deadline, retries and idempotency.
    #[serde(default)]
    pub writes: WritePolicy,
    /// Objectives checked against the results.
    #[serde(default)]
    pub slos: Vec<SloSpec>,
    /// Entity types sharing the key space, each with its own conflict policy; without any, every
    /// key is a plain record resolved by last-write-wins.
    #[serde(default)]
    pub entities: Vec<EntitySpec>,
    /// The fault schedule: crashes, partitions, degraded links, lag incidents, clock skew,
    /// runbook toggles and operator actions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub faults: Vec<FaultSpec>,
    /// Failure detection and failover (single leader); defaults apply when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failover: Option<FailoverSpec>,
    /// The timeline's interval (runs with faults record one; default 1 s).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeline: Option<TimelineSpec>,
    /// Which clock orders last-write-wins: `hybrid` (default) or `physical`.
    #[serde(default, skip_serializing_if = "is_default")]
    pub lww_clock: LwwClock,
}

fn is_default<T: Default + PartialEq>(v: &T) -> bool {
    *v == T::default()
}

fn default_seed() -> u64 {
    1
}

/// A population of clients.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientSpec {
    /// Name, e.g. `VN`.
    pub name: String,
    /// The region these clients reach first; other regions are reached through it.
    pub home: String,
    /// Share of the workload's request rate (relative to the other populations).
    #[serde(default = "default_weight")]
    pub weight: f64,
    /// Round trip from the clients to their home region.
    pub access_rtt: Dist,
    /// Latitude in degrees, for maps.
    #[serde(default)]
    pub lat: f64,
    /// Longitude in degrees, for maps.
    #[serde(default)]
    pub lon: f64,
    /// Regions to use, in order, when the home region is detected down; by default every other
    /// region, nearest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failover: Vec<String>,
}

fn default_percentile() -> f64 {
    95.0
}

fn default_weight() -> f64 {
    1.0
}

/// Arrivals, read/write mix and key popularity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkloadSpec {
    /// Total requests per simulated second (Poisson arrivals, split by population weight).
    pub requests_per_s: f64,
    /// Share of requests that are reads (the rest are writes), 0 to 1.
    pub read_fraction: f64,
    /// Number of distinct keys.
    pub keys: u32,
    /// How keys are chosen.
    #[serde(default)]
    pub popularity: Popularity,
    /// Distinct client sessions per population (for session guarantees and anomaly checks).
    #[serde(default = "default_sessions")]
    pub sessions_per_client: u32,
}

fn default_sessions() -> u32 {
    1000
}

/// How writes are accepted and propagated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "snake_case", deny_unknown_fields)]
pub enum ReplicationSpec {
    /// One leader region takes every write; the other regions follow.
    SingleLeader {
        /// The leader's region id.
        leader: String,
        /// When the leader acknowledges a write.
        #[serde(default)]
        acks: FollowerAcks,
        /// Processing time before a replica applies a received write.
        #[serde(default = "default_apply")]
        apply_delay: Dist,
        /// Replication agent settings.
        #[serde(default)]
        agent: AgentConfig,
    },
    /// Every region accepts writes and replicates them to all others asynchronously; concurrent
    /// writes are resolved on apply by last-write-wins on a hybrid logical clock.
    MultiLeader {
        /// Processing time before a replica applies a received write.
        #[serde(default = "default_apply")]
        apply_delay: Dist,
        /// Replication agent settings.
        #[serde(default)]
        agent: AgentConfig,
    },
    /// Each key has one owning region (by tenant or key range) that takes its writes.
    Partitioned {
        /// How keys map to owners.
        by: PartitionBy,
        /// Owner regions, in order.
        owners: Vec<String>,
        /// Processing time before a replica applies a received write.
        #[serde(default = "default_apply")]
        apply_delay: Dist,
        /// Replication agent settings.
        #[serde(default)]
        agent: AgentConfig,
    },
    /// Leaderless quorum: a write goes to all N replicas and commits at W acks; a read asks all N
    /// and returns the newest of the first R answers.
    Quorum {
        /// Replicas (1 to 32).
        n: u32,
        /// Read quorum.
        r: u32,
        /// Write quorum.
        w: u32,
        /// Region of each replica, `n` entries; by default the topology's nodes in order.
        #[serde(default)]
        replicas: Vec<String>,
        /// Processing time before a replica applies a received write.
        #[serde(default = "default_apply")]
        apply_delay: Dist,
    },
}

fn default_apply() -> Dist {
    Dist::Constant { ms: 0.0 }
}

/// When a single leader acknowledges a write.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum FollowerAcks {
    /// At once; followers catch up later.
    Async {},
    /// After `k` followers applied it.
    SemiSync {
        /// Follower acknowledgements to wait for.
        k: u32,
    },
    /// After every follower applied it.
    Sync {},
}

/// Where reads go.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReadsSpec {
    /// The read strategy.
    #[serde(default)]
    pub strategy: ReadStrategy,
    /// With faults, a read unanswered after this many ms fails (default 2000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline_ms: Option<f64>,
}

/// An objective: the `percentile` of `metric` must stay below `below_ms`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SloSpec {
    /// What is measured.
    pub metric: SloMetric,
    /// Percentile, 0 to 100 (e.g. 95 or 99.9); 95 when absent; ignored for `rto` and `rpo`.
    #[serde(default = "default_percentile")]
    pub percentile: f64,
    /// The bound, in ms (exclusive).
    pub below_ms: f64,
    /// Limit to clients of this home region; all regions when absent.
    #[serde(default)]
    pub region: Option<String>,
}

/// An entity type: a share of the key space with its own conflict policy (seed 000's per-entity
/// consistency: wallet = escrow, profile = field merge, analytics = last-write-wins).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntitySpec {
    /// Name shown in the report, e.g. `wallet`.
    pub name: String,
    /// Share of the keys (entities take consecutive key ranges in order; shares must sum to at
    /// most 1, and any rest is plain last-write-wins records).
    pub share: f64,
    /// How concurrent writes to these keys are merged.
    pub policy: EntityPolicy,
    /// Where reads of these keys go, when not the scenario's `[reads] strategy` (e.g. wallet
    /// reads at the leader, profile reads local).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reads: Option<ReadStrategy>,
    /// Non-essential reads (recommendations and the like): the `disable_recs` runbook toggle
    /// sheds them.
    #[serde(default, skip_serializing_if = "core::ops::Not::not")]
    pub optional: bool,
}

impl Default for FollowerAcks {
    fn default() -> Self {
        FollowerAcks::Async {}
    }
}
