//! Checks a [`Scenario`] field by field and resolves it into a [`Model`].

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::doc::{FollowerAcks, ReplicationSpec, Scenario};
use crate::dist::Dist;
use crate::error::FieldError;
use crate::sim::{
    AgentConfig, ClientModel, EntityModel, EntityPolicy, FailoverModel, Fault, Model, OnViolation,
    PartitionBy, Popularity, ReadStrategy, ReplicationModel, SloMetric, SloModel,
};
use crate::time::SimDuration;
use crate::topology::Topology;

/// Longest simulated duration accepted (one day).
pub const MAX_DURATION_S: f64 = 86_400.0;
/// Most requests a run may expect (`workload.requests_per_s` × `duration_s`): with the per-request
/// bounds (replicas, retries, waits), this bounds the events of every run that validates.
pub const MAX_REQUESTS: f64 = 1e9;
/// Most keys a scenario may have (key state is kept per replica).
pub const MAX_KEYS: u32 = 1_000_000;
/// Most key states the simulator keeps (keys times replicas).
pub const MAX_KEY_REPLICAS: u64 = 8_000_000;
/// Most quorum replicas.
pub const MAX_QUORUM_N: u32 = 32;

pub(super) fn finite_in(
    path: &str,
    v: f64,
    lo: f64,
    hi: f64,
    allowed: &str,
) -> Result<(), FieldError> {
    if v.is_finite() && v >= lo && v <= hi {
        Ok(())
    } else {
        Err(FieldError::new(path, v, allowed))
    }
}

pub(super) fn region_ref(topo: &Topology, path: &str, id: &str) -> Result<usize, FieldError> {
    topo.region_index(id).ok_or_else(|| {
        let ids: Vec<&str> = topo.regions().iter().map(|r| r.id.as_str()).collect();
        FieldError::new(
            path,
            format!("\"{id}\""),
            format!("one of the region ids: {}", ids.join(", ")),
        )
    })
}

fn check_on_violation(path: &str, v: &OnViolation) -> Result<(), FieldError> {
    if let OnViolation::Wait {
        poll_ms,
        max_wait_ms,
    } = v
    {
        finite_in(
            &format!("{path}.poll_ms"),
            *poll_ms,
            0.001,
            60_000.0,
            "a number of ms from 0.001 to 60000",
        )?;
        finite_in(
            &format!("{path}.max_wait_ms"),
            *max_wait_ms,
            0.0,
            600_000.0,
            "a number of ms from 0 to 600000",
        )?;
    }
    Ok(())
}

/// The read strategies multi-leader replication supports, and why the others are refused.
const MULTI_LEADER_READS: &str = "local, quorum, bounded_staleness or session (waiting, not falling back) with multi_leader replication: no region holds every write, so there is no leader to read or fall back to";
/// The read strategies quorum replication supports, and why the others are refused.
const QUORUM_READS: &str = "quorum, local or session with quorum replication: it has no leader, and writes reach replicas directly, with no replication lag to bound";

/// Rejects read strategies that need something the replication mode does not have: a leader
/// to fall back to, or a replication lag to bound.
fn check_read_fits_replication(
    path: &str,
    reads: &ReadStrategy,
    replication: &ReplicationSpec,
) -> Result<(), FieldError> {
    let kind = |name: &str, allowed: &str| {
        Err(FieldError::new(
            format!("{path}.kind"),
            format!("\"{name}\""),
            allowed,
        ))
    };
    match (replication, reads) {
        (ReplicationSpec::MultiLeader { .. }, ReadStrategy::Leader {}) => {
            kind("leader", MULTI_LEADER_READS)
        }
        (ReplicationSpec::MultiLeader { .. }, ReadStrategy::LocalThenLeaderIfStale { .. }) => {
            kind("local_then_leader_if_stale", MULTI_LEADER_READS)
        }
        (
            ReplicationSpec::MultiLeader { .. },
            ReadStrategy::BoundedStaleness {
                on_violation: OnViolation::Fallback {},
                ..
            }
            | ReadStrategy::Session {
                on_violation: OnViolation::Fallback {},
                ..
            },
        ) => Err(FieldError::new(
            format!("{path}.on_violation.kind"),
            "\"fallback\"",
            "wait with multi_leader replication (no region holds every write, so there is no leader to fall back to)",
        )),
        (ReplicationSpec::Quorum { .. }, ReadStrategy::Leader {}) => kind("leader", QUORUM_READS),
        (ReplicationSpec::Quorum { .. }, ReadStrategy::LocalThenLeaderIfStale { .. }) => {
            kind("local_then_leader_if_stale", QUORUM_READS)
        }
        (ReplicationSpec::Quorum { .. }, ReadStrategy::BoundedStaleness { .. }) => {
            kind("bounded_staleness", QUORUM_READS)
        }
        _ => Ok(()),
    }
}

/// Checks a read strategy's parameters and that the replication mode offers what it needs;
/// `path` is where it sits (`reads.strategy`, or an entity's `reads`).
fn check_read_strategy(
    path: &str,
    strategy: &ReadStrategy,
    replication: &ReplicationSpec,
) -> Result<(), FieldError> {
    match strategy {
        ReadStrategy::LocalThenLeaderIfStale { threshold_ms } => {
            finite_in(
                &format!("{path}.threshold_ms"),
                *threshold_ms,
                0.0,
                3_600_000.0,
                "ms from 0 to 3600000",
            )?;
        }
        ReadStrategy::BoundedStaleness {
            max_lag_ms,
            on_violation,
        } => {
            finite_in(
                &format!("{path}.max_lag_ms"),
                *max_lag_ms,
                0.0,
                3_600_000.0,
                "ms from 0 to 3600000",
            )?;
            check_on_violation(&format!("{path}.on_violation"), on_violation)?;
        }
        ReadStrategy::Session { on_violation, .. } => {
            check_on_violation(&format!("{path}.on_violation"), on_violation)?;
        }
        _ => {}
    }
    check_read_fits_replication(path, strategy, replication)
}

impl Scenario {
    /// Checks every field and resolves region references, returning the runnable model.
    ///
    /// The sections are checked in this order, and the first error found is returned: name and
    /// duration, topology, workload, clients, replication (with its agent), reads, writes, SLOs,
    /// entities, faults (with failover and timeline), and the read deadline.
    pub fn validate(&self) -> Result<Model, FieldError> {
        self.check_name_and_duration()?;
        let topology = self.topology.validate_at("topology")?;
        self.check_workload()?;
        let clients = self.client_models(&topology)?;
        let ResolvedReplication {
            replication,
            apply_delay,
            agent,
            replica_nodes,
        } = self.replication_model(&topology)?;
        check_read_strategy("reads.strategy", &self.reads.strategy, &self.replication)?;
        self.check_writes()?;
        let slos = self.slo_models(&topology)?;
        let entities = self.entity_models()?;
        let ResolvedFailures {
            faults,
            failover,
            timeline_interval,
        } = self.failure_models(&topology, &replication)?;
        let read_deadline = self.read_deadline()?;
        let w = &self.workload;
        Ok(Model {
            name: self.name.clone(),
            description: self.description.clone(),
            seed: self.seed,
            duration: SimDuration::from_millis_f64(self.duration_s * 1000.0),
            topology,
            clients,
            read_fraction: w.read_fraction,
            keys: w.keys,
            popularity: w.popularity,
            sessions_per_client: w.sessions_per_client,
            replication,
            apply_delay,
            agent,
            reads: self.reads.strategy,
            writes: self.writes.clone(),
            slos,
            entities,
            read_deadline,
            faults,
            failover,
            timeline_interval,
            lww_clock: self.lww_clock,
            replica_nodes,
        })
    }

    /// The scenario's name (not blank) and its duration.
    fn check_name_and_duration(&self) -> Result<(), FieldError> {
        if self.name.trim().is_empty() {
            return Err(FieldError::new("name", "\"\"", "a non-empty name"));
        }
        finite_in(
            "duration_s",
            self.duration_s,
            0.001,
            MAX_DURATION_S,
            "seconds from 0.001 to 86400",
        )?;
        Ok(())
    }

    /// `workload`: rate (and the run's total of requests), read fraction, keys, popularity and
    /// sessions.
    fn check_workload(&self) -> Result<(), FieldError> {
        let w = &self.workload;
        finite_in(
            "workload.requests_per_s",
            w.requests_per_s,
            0.0,
            10_000_000.0,
            "a rate from 0 to 10000000 per second",
        )?;
        if w.requests_per_s * self.duration_s > MAX_REQUESTS {
            return Err(FieldError::new(
                "workload.requests_per_s",
                w.requests_per_s,
                format!(
                    "at most {MAX_REQUESTS:e} requests in the run's {} s, so a rate up to {}",
                    self.duration_s,
                    MAX_REQUESTS / self.duration_s
                ),
            ));
        }
        finite_in(
            "workload.read_fraction",
            w.read_fraction,
            0.0,
            1.0,
            "a fraction from 0 to 1",
        )?;
        if w.keys == 0 || w.keys > MAX_KEYS {
            return Err(FieldError::new(
                "workload.keys",
                w.keys,
                format!("a whole number from 1 to {MAX_KEYS}"),
            ));
        }
        if let Popularity::Zipf { s } = w.popularity {
            finite_in(
                "workload.popularity.s",
                s,
                0.0001,
                10.0,
                "an exponent above 0 and at most 10",
            )?;
        }
        if w.sessions_per_client == 0 || w.sessions_per_client > 1_000_000 {
            return Err(FieldError::new(
                "workload.sessions_per_client",
                w.sessions_per_client,
                "a whole number from 1 to 1000000",
            ));
        }
        Ok(())
    }

    /// `clients`: each population checked, weighted into its share of the rate and resolved to
    /// its home region and failover order.
    fn client_models(&self, topology: &Topology) -> Result<Vec<ClientModel>, FieldError> {
        let w = &self.workload;
        if self.clients.is_empty() {
            return Err(FieldError::new(
                "clients",
                "[]",
                "at least one client population",
            ));
        }
        let mut total_weight = 0.0;
        for (i, c) in self.clients.iter().enumerate() {
            let path = format!("clients[{i}]");
            if self.clients[..i].iter().any(|o| o.name == c.name) {
                return Err(FieldError::new(
                    format!("{path}.name"),
                    format!("\"{}\"", c.name),
                    "a name no other client population uses",
                ));
            }
            finite_in(
                &format!("{path}.weight"),
                c.weight,
                0.0,
                1e9,
                "a weight from 0 to 1e9",
            )?;
            total_weight += c.weight;
            c.access_rtt
                .validate()
                .map_err(|e| e.within(&format!("{path}.access_rtt")))?;
            finite_in(
                &format!("{path}.lat"),
                c.lat,
                -90.0,
                90.0,
                "a latitude from -90 to 90",
            )?;
            finite_in(
                &format!("{path}.lon"),
                c.lon,
                -180.0,
                180.0,
                "a longitude from -180 to 180",
            )?;
        }
        if total_weight <= 0.0 {
            return Err(FieldError::new(
                "clients",
                "all weights 0",
                "at least one population with weight above 0",
            ));
        }
        self.clients
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let home = region_ref(topology, &format!("clients[{i}].home"), &c.home)?;
                Ok(ClientModel {
                    name: c.name.clone(),
                    home,
                    rate_per_s: w.requests_per_s * c.weight / total_weight,
                    access_rtt: c.access_rtt.clone(),
                    lat: c.lat,
                    lon: c.lon,
                    failover: failover_order(
                        topology,
                        &format!("clients[{i}]"),
                        home,
                        &c.failover,
                    )?,
                })
            })
            .collect()
    }

    /// `replication`: the mode resolved against the topology, the bound on keys times replicas,
    /// the apply delay and the replication agent.
    fn replication_model(&self, topology: &Topology) -> Result<ResolvedReplication, FieldError> {
        let w = &self.workload;
        let regions = topology.region_count() as u32;
        let mut replica_nodes = Vec::new();
        let (replication, apply_delay, agent) = match &self.replication {
            ReplicationSpec::SingleLeader {
                leader,
                acks,
                apply_delay,
                agent,
            } => {
                let leader = region_ref(topology, "replication.leader", leader)?;
                let followers = regions - 1;
                let acks_needed = match acks {
                    FollowerAcks::Async {} => 0,
                    FollowerAcks::Sync {} => followers,
                    FollowerAcks::SemiSync { k } => {
                        if *k == 0 || *k > followers {
                            return Err(FieldError::new(
                                "replication.acks.k",
                                k,
                                format!(
                                    "a whole number from 1 to the number of followers ({followers})"
                                ),
                            ));
                        }
                        *k
                    }
                };
                (
                    ReplicationModel::SingleLeader {
                        leader,
                        acks_needed,
                    },
                    apply_delay,
                    Some(agent),
                )
            }
            ReplicationSpec::MultiLeader { apply_delay, agent } => {
                (ReplicationModel::MultiLeader, apply_delay, Some(agent))
            }
            ReplicationSpec::Partitioned {
                by,
                owners,
                apply_delay,
                agent,
            } => {
                if owners.is_empty() {
                    return Err(FieldError::new(
                        "replication.owners",
                        "[]",
                        "at least one owner region",
                    ));
                }
                let owners = owners
                    .iter()
                    .enumerate()
                    .map(|(i, o)| region_ref(topology, &format!("replication.owners[{i}]"), o))
                    .collect::<Result<Vec<_>, _>>()?;
                if let PartitionBy::Tenant { tenants } = by
                    && (*tenants == 0 || *tenants > w.keys)
                {
                    return Err(FieldError::new(
                        "replication.by.tenants",
                        tenants,
                        "a whole number from 1 to workload.keys",
                    ));
                }
                (
                    ReplicationModel::Partitioned { by: *by, owners },
                    apply_delay,
                    Some(agent),
                )
            }
            ReplicationSpec::Quorum {
                n,
                r,
                w: wq,
                replicas,
                apply_delay,
            } => {
                let (quorum, nodes) = quorum_replication(topology, *n, *r, *wq, replicas)?;
                replica_nodes = nodes;
                (quorum, apply_delay, None)
            }
        };
        // Key state is kept per replica, so bound keys x replicas to keep memory reasonable
        // (about 32 bytes each: 8,000,000 is ~256 MB).
        let replica_count = match &replication {
            ReplicationModel::Quorum {
                replica_regions, ..
            } => replica_regions.len() as u64,
            _ => u64::from(regions),
        };
        if u64::from(w.keys) * replica_count > MAX_KEY_REPLICAS {
            return Err(FieldError::new(
                "workload.keys",
                w.keys,
                format!(
                    "at most {} keys with {replica_count} replicas (keys x replicas <= {MAX_KEY_REPLICAS})",
                    MAX_KEY_REPLICAS / replica_count
                ),
            ));
        }
        apply_delay
            .validate()
            .map_err(|e| e.within("replication.apply_delay"))?;
        let agent = agent.cloned().unwrap_or_default();
        check_agent(&agent)?;
        Ok(ResolvedReplication {
            replication,
            apply_delay: apply_delay.clone(),
            agent,
            replica_nodes,
        })
    }

    /// `writes`: deadline and attempts.
    fn check_writes(&self) -> Result<(), FieldError> {
        finite_in(
            "writes.deadline_ms",
            self.writes.deadline_ms,
            1.0,
            3_600_000.0,
            "ms from 1 to 3600000",
        )?;
        if self.writes.max_attempts == 0 || self.writes.max_attempts > 20 {
            return Err(FieldError::new(
                "writes.max_attempts",
                self.writes.max_attempts,
                "a whole number from 1 to 20",
            ));
        }
        Ok(())
    }

    /// `slos`: each objective checked, resolved to its region and labelled.
    fn slo_models(&self, topology: &Topology) -> Result<Vec<SloModel>, FieldError> {
        let mut slos = Vec::with_capacity(self.slos.len());
        for (i, s) in self.slos.iter().enumerate() {
            let path = format!("slos[{i}]");
            finite_in(
                &format!("{path}.percentile"),
                s.percentile,
                0.0,
                100.0,
                "a percentile from 0 to 100",
            )?;
            finite_in(
                &format!("{path}.below_ms"),
                s.below_ms,
                0.0,
                1e9,
                "ms from 0 to 1e9",
            )?;
            let region = match &s.region {
                Some(id) => Some(region_ref(topology, &format!("{path}.region"), id)?),
                None => None,
            };
            let metric = match s.metric {
                SloMetric::ReadLatency => "read latency",
                SloMetric::WriteLatency => "write latency",
                SloMetric::Staleness => "staleness",
                SloMetric::Rto => "RTO",
                SloMetric::Rpo => "RPO",
            };
            if s.metric.is_recovery() && region.is_some() {
                return Err(FieldError::new(
                    format!("{path}.region"),
                    format!("{:?}", s.region.as_deref().unwrap_or_default()),
                    "no region: rto and rpo are measured over the whole run",
                ));
            }
            let scope: String = match region {
                Some(r) => format!(" ({})", topology.regions()[r].id),
                None => String::new(),
            };
            slos.push(SloModel {
                metric: s.metric,
                percentile: s.percentile,
                below_ms: s.below_ms,
                region,
                label: if s.metric.is_recovery() {
                    format!("{metric} < {} ms", s.below_ms)
                } else {
                    format!("{metric} p{} < {} ms{scope}", s.percentile, s.below_ms)
                },
            });
        }
        Ok(slos)
    }

    /// `entities`: names, shares (cut into key ranges in order), policies and their reads.
    fn entity_models(&self) -> Result<Vec<EntityModel>, FieldError> {
        let w = &self.workload;
        let mut entities = Vec::with_capacity(self.entities.len());
        let mut share_sum = 0.0;
        let mut next_key = 0u32;
        for (i, e) in self.entities.iter().enumerate() {
            let path = format!("entities[{i}]");
            if e.name.trim().is_empty() {
                return Err(FieldError::new(
                    format!("{path}.name"),
                    "\"\"",
                    "a non-empty name",
                ));
            }
            finite_in(
                &format!("{path}.share"),
                e.share,
                0.0,
                1.0,
                "a share from 0 to 1",
            )?;
            share_sum += e.share;
            if share_sum > 1.0 + 1e-9 {
                return Err(FieldError::new(
                    format!("{path}.share"),
                    e.share,
                    "shares that add up to at most 1",
                ));
            }
            match e.policy {
                EntityPolicy::FieldMerge { fields } if !(1..=64).contains(&fields) => {
                    return Err(FieldError::new(
                        format!("{path}.policy.fields"),
                        fields,
                        "a whole number from 1 to 64",
                    ));
                }
                _ => {}
            }
            if let Some((initial, max_charge)) = e.policy.wallet() {
                if max_charge == 0 {
                    return Err(FieldError::new(
                        format!("{path}.policy.max_charge"),
                        max_charge,
                        "a whole number of at least 1",
                    ));
                }
                if initial > 1_000_000_000 {
                    return Err(FieldError::new(
                        format!("{path}.policy.initial_balance"),
                        initial,
                        "at most 1000000000",
                    ));
                }
                if matches!(self.replication, ReplicationSpec::Quorum { .. }) {
                    return Err(FieldError::new(
                        format!("{path}.policy.kind"),
                        e.policy.name(),
                        "lww or field_merge with quorum replication (wallet policies need leaders)",
                    ));
                }
            }
            let end = (libm::round(share_sum * f64::from(w.keys)) as u32).min(w.keys);
            if let Some(reads) = &e.reads {
                check_read_strategy(&format!("{path}.reads"), reads, &self.replication)?;
            }
            entities.push(EntityModel {
                name: e.name.clone(),
                first_key: next_key,
                end_key: end.max(next_key),
                policy: e.policy,
                reads: e.reads,
                optional: e.optional,
            });
            next_key = end.max(next_key);
        }
        Ok(entities)
    }

    /// `faults`, `failover` and `timeline`, checked against the topology and the replication
    /// mode (failover needs a leader).
    fn failure_models(
        &self,
        topology: &Topology,
        replication: &ReplicationModel,
    ) -> Result<ResolvedFailures, FieldError> {
        let leader = match replication {
            ReplicationModel::SingleLeader { leader, .. } => Some(*leader),
            _ => None,
        };
        let faults = super::faults::validate_faults(
            &self.faults,
            topology,
            self.duration_s,
            leader.is_some(),
        )?;
        let failover = super::faults::validate_failover(
            &self.failover.clone().unwrap_or_default(),
            topology,
            leader,
        )?;
        let timeline_interval =
            super::faults::validate_timeline(self.timeline.as_ref(), self.duration_s)?;
        Ok(ResolvedFailures {
            faults,
            failover,
            timeline_interval,
        })
    }

    /// `reads.deadline_ms` (2000 ms when left out).
    fn read_deadline(&self) -> Result<SimDuration, FieldError> {
        finite_in(
            "reads.deadline_ms",
            self.reads.deadline_ms.unwrap_or(2000.0),
            1.0,
            600_000.0,
            "ms from 1 to 600000",
        )
        .map(|()| SimDuration::from_millis_f64(self.reads.deadline_ms.unwrap_or(2000.0)))
    }
}

/// What [`Scenario::replication_model`] resolves: the model's replication fields.
struct ResolvedReplication {
    replication: ReplicationModel,
    apply_delay: Dist,
    agent: AgentConfig,
    replica_nodes: Vec<usize>,
}

/// What [`Scenario::failure_models`] resolves: the model's fault and failover fields.
struct ResolvedFailures {
    faults: Vec<Fault>,
    failover: FailoverModel,
    timeline_interval: SimDuration,
}

/// `replication` in quorum mode: `n`, `r` and `w`, and the replicas' regions, listed or else
/// placed on the topology's first `n` nodes. Returns the model and the node of each replica
/// (empty when the regions were listed).
fn quorum_replication(
    topology: &Topology,
    n: u32,
    r: u32,
    wq: u32,
    replicas: &[String],
) -> Result<(ReplicationModel, Vec<usize>), FieldError> {
    if n == 0 || n > MAX_QUORUM_N {
        return Err(FieldError::new(
            "replication.n",
            n,
            format!("a whole number from 1 to {MAX_QUORUM_N}"),
        ));
    }
    if r == 0 || r > n {
        return Err(FieldError::new(
            "replication.r",
            r,
            format!("a whole number from 1 to n ({n})"),
        ));
    }
    if wq == 0 || wq > n {
        return Err(FieldError::new(
            "replication.w",
            wq,
            format!("a whole number from 1 to n ({n})"),
        ));
    }
    let mut placed_on_nodes = false;
    let replica_regions: Vec<usize> = if replicas.is_empty() {
        placed_on_nodes = true;
        let nodes = topology.nodes();
        if nodes.len() < n as usize {
            return Err(FieldError::new(
                "replication.n",
                n,
                format!(
                    "at most the topology's node count ({}) unless replication.replicas lists the replica regions",
                    nodes.len()
                ),
            ));
        }
        nodes
            .iter()
            .take(n as usize)
            .map(|node| node.region)
            .collect()
    } else {
        if replicas.len() != n as usize {
            return Err(FieldError::new(
                "replication.replicas",
                format!("{} entries", replicas.len()),
                format!("exactly n ({n}) region ids"),
            ));
        }
        replicas
            .iter()
            .enumerate()
            .map(|(i, id)| region_ref(topology, &format!("replication.replicas[{i}]"), id))
            .collect::<Result<Vec<_>, _>>()?
    };
    let replica_nodes = if placed_on_nodes {
        (0..n as usize).collect()
    } else {
        Vec::new()
    };
    Ok((
        ReplicationModel::Quorum {
            r,
            w: wq,
            replica_regions,
        },
        replica_nodes,
    ))
}

/// `replication.agent`: batching, loss, retries and buffer.
fn check_agent(a: &AgentConfig) -> Result<(), FieldError> {
    if a.batch_size == 0 || a.batch_size > 100_000 {
        return Err(FieldError::new(
            "replication.agent.batch_size",
            a.batch_size,
            "a whole number from 1 to 100000",
        ));
    }
    finite_in(
        "replication.agent.batch_delay_ms",
        a.batch_delay_ms,
        0.0,
        60_000.0,
        "ms from 0 to 60000",
    )?;
    finite_in(
        "replication.agent.loss_probability",
        a.loss_probability,
        0.0,
        1.0,
        "a probability from 0 to 1",
    )?;
    if a.max_retries > 30 {
        return Err(FieldError::new(
            "replication.agent.max_retries",
            a.max_retries,
            "a whole number from 0 to 30",
        ));
    }
    finite_in(
        "replication.agent.retry_base_ms",
        a.retry_base_ms,
        0.0,
        60_000.0,
        "ms from 0 to 60000",
    )?;
    if a.buffer == 0 || a.buffer > 10_000_000 {
        return Err(FieldError::new(
            "replication.agent.buffer",
            a.buffer,
            "a whole number from 1 to 10000000",
        ));
    }
    Ok(())
}

/// A population's failover order: the regions listed (each once, not the home), or by default
/// every other region by mean round trip from home, nearest first.
fn failover_order(
    topo: &Topology,
    path: &str,
    home: usize,
    ids: &[String],
) -> Result<Vec<usize>, FieldError> {
    if ids.is_empty() {
        let mut others: Vec<usize> = (0..topo.region_count()).filter(|&r| r != home).collect();
        let mean = |r: usize| topo.rtt(home, r).mean_ms().unwrap_or(f64::INFINITY);
        others.sort_by(|&a, &b| mean(a).total_cmp(&mean(b)).then(a.cmp(&b)));
        return Ok(others);
    }
    let mut out: Vec<usize> = Vec::with_capacity(ids.len());
    for (i, id) in ids.iter().enumerate() {
        let p = format!("{path}.failover[{i}]");
        let r = region_ref(topo, &p, id)?;
        if r == home || out.contains(&r) {
            return Err(FieldError::new(
                p,
                format!("\"{id}\""),
                "each region once, not the population's home",
            ));
        }
        out.push(r);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dist::Dist;
    use crate::scenario::{AgentConfig, SessionGuarantee};

    fn multi() -> ReplicationSpec {
        ReplicationSpec::MultiLeader {
            apply_delay: Dist::constant(0.0),
            agent: AgentConfig::default(),
        }
    }

    fn quorum() -> ReplicationSpec {
        ReplicationSpec::Quorum {
            n: 3,
            r: 1,
            w: 1,
            replicas: Vec::new(),
            apply_delay: Dist::constant(0.0),
        }
    }

    #[test]
    fn finite_in_accepts_the_closed_range_only() {
        assert!(finite_in("x", 0.0, 0.0, 1.0, "").is_ok());
        assert!(finite_in("x", 1.0, 0.0, 1.0, "").is_ok());
        assert!(finite_in("x", 1.5, 0.0, 1.0, "").is_err());
        assert!(finite_in("x", f64::NAN, 0.0, 1.0, "").is_err());
        assert!(finite_in("x", f64::INFINITY, 0.0, f64::MAX, "").is_err());
    }

    #[test]
    fn read_strategies_are_matched_to_what_the_mode_offers() {
        let fallback = OnViolation::Fallback {};
        let wait = OnViolation::Wait {
            poll_ms: 1.0,
            max_wait_ms: 10.0,
        };
        let bounded = |on_violation| ReadStrategy::BoundedStaleness {
            max_lag_ms: 1.0,
            on_violation,
        };
        let session = |on_violation| ReadStrategy::Session {
            guarantee: SessionGuarantee::Both,
            on_violation,
        };
        let ok = |r: ReadStrategy, m: &ReplicationSpec| {
            check_read_fits_replication("reads.strategy", &r, m)
        };
        // Multi-leader: no leader to read or fall back to; waiting is fine.
        assert!(ok(ReadStrategy::Leader {}, &multi()).is_err());
        assert!(ok(bounded(fallback), &multi()).is_err());
        assert!(ok(session(fallback), &multi()).is_err());
        assert!(ok(bounded(wait), &multi()).is_ok());
        assert!(ok(ReadStrategy::Quorum {}, &multi()).is_ok());
        // Quorum: no leader and no lag; sessions may fall back to an overlapping quorum.
        assert!(ok(ReadStrategy::Leader {}, &quorum()).is_err());
        assert!(ok(bounded(wait), &quorum()).is_err());
        assert!(ok(session(fallback), &quorum()).is_ok());
        assert!(ok(ReadStrategy::Local {}, &quorum()).is_ok());
    }
}
