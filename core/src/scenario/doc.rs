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

use crate::dist::Dist;

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
    pub writes: WritesSpec,
    /// Objectives checked against the results.
    #[serde(default)]
    pub slos: Vec<SloSpec>,
    /// Entity types sharing the key space, each with its own conflict policy; without any, every
    /// key is a plain record resolved by last-write-wins.
    #[serde(default)]
    pub entities: Vec<EntitySpec>,
    /// Failure injection (not modelled yet; must be empty).
    #[serde(default)]
    pub faults: FaultsSpec,
}

fn default_seed() -> u64 {
    1
}

/// Regions and the network between them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TopologySpec {
    /// The regions.
    pub regions: Vec<RegionSpec>,
    /// Round-trip time between pairs of regions; every pair needs one.
    pub links: Vec<LinkSpec>,
    /// Round-trip time between two nodes of the same region.
    #[serde(default = "default_intra_rtt")]
    pub intra_region_rtt: Dist,
}

fn default_intra_rtt() -> Dist {
    Dist::Constant { ms: 1.0 }
}

/// One region.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegionSpec {
    /// Identifier used everywhere else in the document, e.g. `SG` or `us-east-1`.
    pub id: String,
    /// Human name.
    #[serde(default)]
    pub name: String,
    /// Latitude in degrees, for maps.
    #[serde(default)]
    pub lat: f64,
    /// Longitude in degrees, for maps.
    #[serde(default)]
    pub lon: f64,
    /// Availability zones; a region without zones has one implicit node.
    #[serde(default)]
    pub zones: Vec<ZoneSpec>,
}

/// An availability zone and its nodes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ZoneSpec {
    /// Zone identifier.
    pub id: String,
    /// Node identifiers (at least one).
    pub nodes: Vec<String>,
}

/// The round trip between two regions (symmetric).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkSpec {
    /// One end.
    pub a: String,
    /// The other end.
    pub b: String,
    /// Round-trip time distribution; a one-way trip takes half a sample.
    pub rtt: Dist,
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

/// Key popularity.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Popularity {
    /// Every key equally likely.
    Uniform {},
    /// Key of rank k chosen with probability proportional to 1 / k^s, so hot keys collide.
    Zipf {
        /// Exponent (greater than 0; 1 is classic Zipf).
        s: f64,
    },
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
        agent: AgentSpec,
    },
    /// Every region accepts writes and replicates them to all others asynchronously; concurrent
    /// writes are resolved on apply by last-write-wins on a hybrid logical clock.
    MultiLeader {
        /// Processing time before a replica applies a received write.
        #[serde(default = "default_apply")]
        apply_delay: Dist,
        /// Replication agent settings.
        #[serde(default)]
        agent: AgentSpec,
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
        agent: AgentSpec,
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
pub struct AgentSpec {
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

impl Default for AgentSpec {
    /// One write per batch, no batching delay, no loss, 5 retries from 100 ms, 10,000 buffered.
    fn default() -> Self {
        AgentSpec {
            batch_size: 1,
            batch_delay_ms: 0.0,
            loss_probability: 0.0,
            max_retries: 5,
            retry_base_ms: 100.0,
            buffer: 10_000,
        }
    }
}

/// Where reads go.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReadsSpec {
    /// The read strategy.
    #[serde(default)]
    pub strategy: ReadStrategySpec,
}

/// A read strategy.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum ReadStrategySpec {
    /// The home region's replica.
    Local {},
    /// The key's leader (single leader, or the owner when partitioned).
    Leader {},
    /// Ask every replica and return the newest of the first `r` answers (for quorum replication
    /// the configured R; otherwise a majority of regions).
    Quorum {},
    /// Local, unless the local replica lags the leader by more than the threshold.
    LocalThenLeaderIfStale {
        /// Lag above which the read goes to the leader, in ms.
        threshold_ms: f64,
    },
    /// Local if the replica's lag is at most `max_lag_ms`; otherwise fall back or wait.
    BoundedStaleness {
        /// Largest acceptable lag, in ms.
        max_lag_ms: f64,
        /// What to do when the bound is violated.
        on_violation: OnViolation,
    },
    /// Local, but only if the replica has everything the session has written (and/or read).
    Session {
        /// Which session guarantee to enforce.
        guarantee: SessionGuarantee,
        /// What to do when the local replica is behind the session.
        on_violation: OnViolation,
    },
}

/// What a read does when its replica is too far behind.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum OnViolation {
    /// Read the leader instead.
    Fallback {},
    /// Re-check every `poll_ms` until the replica catches up, at most `max_wait_ms`, then read
    /// the leader.
    Wait {
        /// Interval between checks, in ms.
        poll_ms: f64,
        /// Longest wait, in ms.
        max_wait_ms: f64,
    },
}

/// A session guarantee.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionGuarantee {
    /// A read sees the session's own earlier writes.
    ReadYourWrites,
    /// A read never sees older data than the session's earlier reads.
    MonotonicReads,
    /// Both.
    Both,
}

/// Write path settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct WritesSpec {
    /// A client gives up waiting after this many ms and retries.
    pub deadline_ms: f64,
    /// Attempts per write, including the first.
    pub max_attempts: u32,
    /// Whether retries carry an idempotency key so the server applies a write once.
    pub idempotency_keys: bool,
}

impl Default for WritesSpec {
    /// A 2 s deadline, 3 attempts, idempotency keys on.
    fn default() -> Self {
        WritesSpec {
            deadline_ms: 2000.0,
            max_attempts: 3,
            idempotency_keys: true,
        }
    }
}

/// An objective: the `percentile` of `metric` must stay below `below_ms`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SloSpec {
    /// What is measured.
    pub metric: SloMetricSpec,
    /// Percentile, 0 to 100 (e.g. 95 or 99.9).
    pub percentile: f64,
    /// The bound, in ms (exclusive).
    pub below_ms: f64,
    /// Limit to clients of this home region; all regions when absent.
    #[serde(default)]
    pub region: Option<String>,
}

/// A metric an SLO can be stated on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SloMetricSpec {
    /// Read latency.
    ReadLatency,
    /// Write latency.
    WriteLatency,
    /// Staleness of reads in time.
    Staleness,
}

/// Failure injection; reserved, must be empty for now.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultsSpec {}

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
}

/// How an entity type resolves concurrent writes.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum EntityPolicy {
    /// The whole record, last-write-wins on the hybrid clock.
    Lww,
    /// Records of `fields` fields; a write changes one field and concurrent writes conflict only
    /// on the same field.
    FieldMerge {
        /// Fields per record (1 to 64).
        fields: u32,
    },
    /// A wallet whose balance is a last-write-wins register: each region checks its own view of
    /// the balance, so concurrent charges can overspend and one of them vanishes from the balance.
    LwwBalance {
        /// Starting balance of every wallet.
        initial_balance: u32,
        /// Charges are uniform from 1 to this.
        max_charge: u32,
    },
    /// A wallet whose balance is a counter of deltas: no charge vanishes, but concurrent charges
    /// can overspend.
    CounterBalance {
        /// Starting balance of every wallet.
        initial_balance: u32,
        /// Charges are uniform from 1 to this.
        max_charge: u32,
    },
    /// A wallet under escrow (a bounded counter): the balance is split into rights per region,
    /// and a region refuses a charge above its own rights, so the wallet never overspends.
    Escrow {
        /// Starting balance of every wallet, split evenly between the regions.
        initial_balance: u32,
        /// Charges are uniform from 1 to this.
        max_charge: u32,
    },
}

impl EntityPolicy {
    /// The policy's name as written in documents.
    pub fn name(&self) -> &'static str {
        match self {
            EntityPolicy::Lww => "lww",
            EntityPolicy::FieldMerge { .. } => "field_merge",
            EntityPolicy::LwwBalance { .. } => "lww_balance",
            EntityPolicy::CounterBalance { .. } => "counter_balance",
            EntityPolicy::Escrow { .. } => "escrow",
        }
    }

    /// Starting balance and largest charge, for wallet policies.
    pub fn wallet(&self) -> Option<(u32, u32)> {
        match *self {
            EntityPolicy::LwwBalance {
                initial_balance,
                max_charge,
            }
            | EntityPolicy::CounterBalance {
                initial_balance,
                max_charge,
            }
            | EntityPolicy::Escrow {
                initial_balance,
                max_charge,
            } => Some((initial_balance, max_charge)),
            _ => None,
        }
    }
}

impl Default for Popularity {
    fn default() -> Self {
        Popularity::Uniform {}
    }
}

impl Default for FollowerAcks {
    fn default() -> Self {
        FollowerAcks::Async {}
    }
}

impl Default for ReadStrategySpec {
    fn default() -> Self {
        ReadStrategySpec::Local {}
    }
}
