//! Building a scenario in code instead of writing its document: [`Scenario::builder`].
//!
//! The builder fills the same [`Scenario`] a TOML file would, with the document's defaults for
//! whatever is not set, and [`ScenarioBuilder::build`] validates it, so a scenario built in code
//! is refused for the same reasons and with the same field paths as a file.
//!
//! ```
//! use meridian_core::scenario::{ReadStrategy, Scenario, SloMetric};
//! use meridian_core::sim::Simulation;
//!
//! let scenario = Scenario::builder("sg-us")
//!     .region("SG", "Singapore", 1.35, 103.82)
//!     .region("US", "N. Virginia", 38.95, -77.45)
//!     .rtt_ms("SG", "US", 220.0)
//!     .client("sg", "SG", 10.0)
//!     .client("us", "US", 10.0)
//!     .workload(200.0, 0.8, 1_000)
//!     .single_leader("SG")
//!     .reads(ReadStrategy::Local {})
//!     .slo(SloMetric::Staleness, 99.0, 1_000.0)
//!     .duration_s(10.0)
//!     .build()
//!     .expect("a valid scenario");
//!
//! let mut sim = Simulation::new(scenario.validate().expect("valid"));
//! sim.run();
//! let report = sim.report();
//! // US clients' writes go to the leader in SG: 10 ms to their region, then 220 ms across.
//! assert!(report.regions[1].write_latency.p50 >= 230.0);
//! // SG clients write where the leader is.
//! assert!(report.regions[0].write_latency.p50 < 20.0);
//! ```
use alloc::{string::String, vec::Vec};

use super::{ClientSpec, FollowerAcks, ReplicationSpec, Scenario, SloSpec, WorkloadSpec};
use super::{FailoverSpec, FaultSpec, ReadStrategy, ReadsSpec, SloMetric};
use crate::dist::Dist;
use crate::error::FieldError;
use crate::sim::{AgentConfig, LwwClock, Popularity, WritePolicy};
use crate::topology::{LinkSpec, RegionSpec, TopologySpec};

/// Builds a [`Scenario`] step by step; start with [`Scenario::builder`].
#[derive(Debug, Clone)]
pub struct ScenarioBuilder {
    scenario: Scenario,
    replication: Option<ReplicationSpec>,
}

impl Scenario {
    /// A builder for a scenario named `name`: seed 1, 60 simulated seconds, 100 requests/s with
    /// 80 % reads over 1,000 uniformly chosen keys, local reads, no SLOs, until set otherwise.
    pub fn builder(name: impl Into<String>) -> ScenarioBuilder {
        ScenarioBuilder {
            scenario: Scenario {
                name: name.into(),
                description: String::new(),
                seed: 1,
                duration_s: 60.0,
                topology: TopologySpec {
                    regions: Vec::new(),
                    links: Vec::new(),
                    intra_region_rtt: Dist::Constant { ms: 1.0 },
                },
                clients: Vec::new(),
                workload: WorkloadSpec {
                    requests_per_s: 100.0,
                    read_fraction: 0.8,
                    keys: 1_000,
                    popularity: Popularity::default(),
                    sessions_per_client: 1_000,
                },
                // Replaced in `build` (see `ScenarioBuilder::replication`).
                replication: ReplicationSpec::MultiLeader {
                    apply_delay: Dist::Constant { ms: 0.0 },
                    agent: AgentConfig::default(),
                },
                reads: ReadsSpec::default(),
                writes: WritePolicy::default(),
                slos: Vec::new(),
                entities: Vec::new(),
                faults: Vec::new(),
                failover: None,
                timeline: None,
                lww_clock: LwwClock::default(),
            },
            replication: None,
        }
    }
}

impl ScenarioBuilder {
    /// What the scenario models, shown in reports.
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.scenario.description = text.into();
        self
    }

    /// The seed (default 1): the same scenario and seed give the same report.
    pub fn seed(mut self, seed: u64) -> Self {
        self.scenario.seed = seed;
        self
    }

    /// Simulated seconds of arrivals (default 60).
    pub fn duration_s(mut self, seconds: f64) -> Self {
        self.scenario.duration_s = seconds;
        self
    }

    /// Adds a region (one implicit node) at `lat`, `lon` degrees.
    pub fn region(mut self, id: &str, name: &str, lat: f64, lon: f64) -> Self {
        self.scenario
            .topology
            .regions
            .push(RegionSpec::new(id, name, lat, lon));
        self
    }

    /// Adds a region given in full (zones and nodes included).
    pub fn region_spec(mut self, region: RegionSpec) -> Self {
        self.scenario.topology.regions.push(region);
        self
    }

    /// Sets the round trip between regions `a` and `b` to `rtt`. Every pair needs one.
    pub fn rtt(mut self, a: &str, b: &str, rtt: Dist) -> Self {
        self.scenario.topology.links.push(LinkSpec {
            a: a.into(),
            b: b.into(),
            rtt,
        });
        self
    }

    /// Sets the round trip between `a` and `b` to a constant `ms`.
    pub fn rtt_ms(self, a: &str, b: &str, ms: f64) -> Self {
        self.rtt(a, b, Dist::Constant { ms })
    }

    /// Adds a client population `name` at home region `home`, `access_ms` from it (constant),
    /// with weight 1.
    pub fn client(self, name: &str, home: &str, access_ms: f64) -> Self {
        self.client_spec(ClientSpec {
            name: name.into(),
            home: home.into(),
            weight: 1.0,
            access_rtt: Dist::Constant { ms: access_ms },
            lat: 0.0,
            lon: 0.0,
            failover: Vec::new(),
        })
    }

    /// Adds a client population given in full (weight, access distribution, failover order).
    pub fn client_spec(mut self, client: ClientSpec) -> Self {
        self.scenario.clients.push(client);
        self
    }

    /// Sets the arrivals: `requests_per_s` in all, a share `read_fraction` of them reads, over
    /// `keys` keys.
    pub fn workload(mut self, requests_per_s: f64, read_fraction: f64, keys: u32) -> Self {
        let w = &mut self.scenario.workload;
        w.requests_per_s = requests_per_s;
        w.read_fraction = read_fraction;
        w.keys = keys;
        self
    }

    /// Sets how keys are chosen (default uniform).
    pub fn popularity(mut self, popularity: Popularity) -> Self {
        self.scenario.workload.popularity = popularity;
        self
    }

    /// One leader in region `leader` takes every write and acknowledges at once; the other
    /// regions follow asynchronously.
    pub fn single_leader(self, leader: &str) -> Self {
        self.replication(ReplicationSpec::SingleLeader {
            leader: leader.into(),
            acks: FollowerAcks::default(),
            apply_delay: Dist::Constant { ms: 0.0 },
            agent: AgentConfig::default(),
        })
    }

    /// Every region takes writes and replicates them to the others; last-write-wins on apply.
    pub fn multi_leader(self) -> Self {
        self.replication(ReplicationSpec::MultiLeader {
            apply_delay: Dist::Constant { ms: 0.0 },
            agent: AgentConfig::default(),
        })
    }

    /// A leaderless quorum of `n` replicas (the topology's nodes in order): writes commit at `w`
    /// acknowledgements, reads return the newest of `r` answers.
    pub fn quorum(self, n: u32, r: u32, w: u32) -> Self {
        self.replication(ReplicationSpec::Quorum {
            n,
            r,
            w,
            replicas: Vec::new(),
            apply_delay: Dist::Constant { ms: 0.0 },
        })
    }

    /// Sets the replication in full (acknowledgements, apply delay, agent, partitioning). One of
    /// this, [`single_leader`](Self::single_leader), [`multi_leader`](Self::multi_leader) or
    /// [`quorum`](Self::quorum) is required.
    pub fn replication(mut self, spec: ReplicationSpec) -> Self {
        self.replication = Some(spec);
        self
    }

    /// Sets where reads go (default: the client's home region).
    pub fn reads(mut self, strategy: ReadStrategy) -> Self {
        self.scenario.reads.strategy = strategy;
        self
    }

    /// Sets the write path (deadline, retries, idempotency keys).
    pub fn writes(mut self, policy: WritePolicy) -> Self {
        self.scenario.writes = policy;
        self
    }

    /// Adds an objective: the `percentile` of `metric` stays below `below_ms`.
    pub fn slo(mut self, metric: SloMetric, percentile: f64, below_ms: f64) -> Self {
        self.scenario.slos.push(SloSpec {
            metric,
            percentile,
            below_ms,
            region: None,
        });
        self
    }

    /// Adds a fault; [`FaultSpec::parse`] reads the CLI's one-line form
    /// (`"region-down SG at 20s for 25s"`).
    pub fn fault(mut self, fault: FaultSpec) -> Self {
        self.scenario.faults.push(fault);
        self
    }

    /// Sets failure detection and what happens to a lost leader.
    pub fn failover(mut self, failover: FailoverSpec) -> Self {
        self.scenario.failover = Some(failover);
        self
    }

    /// The scenario as built so far, not validated (for instance to write it out as TOML with
    /// [`Scenario::to_toml`]); without a replication set, multi-leader.
    pub fn into_scenario(self) -> Scenario {
        let mut scenario = self.scenario;
        if let Some(replication) = self.replication {
            scenario.replication = replication;
        }
        scenario
    }

    /// The scenario, validated as a document would be: the error names the field by its path in
    /// the scenario document (`topology.links`, `workload.read_fraction`, ...).
    pub fn build(self) -> Result<Scenario, FieldError> {
        if self.replication.is_none() {
            return Err(FieldError::new(
                "replication",
                "nothing",
                "a replication mode: single_leader, multi_leader, quorum or replication(...)",
            ));
        }
        let scenario = self.into_scenario();
        scenario.validate()?;
        Ok(scenario)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn two_regions() -> ScenarioBuilder {
        Scenario::builder("t")
            .region("SG", "Singapore", 1.35, 103.82)
            .region("US", "N. Virginia", 38.95, -77.45)
            .rtt_ms("SG", "US", 220.0)
            .client("sg", "SG", 10.0)
            .client("us", "US", 10.0)
            .duration_s(5.0)
    }

    #[test]
    fn a_built_scenario_equals_the_same_document_read_from_toml() {
        let built = two_regions()
            .single_leader("SG")
            .slo(SloMetric::ReadLatency, 99.0, 100.0)
            .build()
            .expect("valid");
        let text = built.to_toml().expect("writes");
        assert_eq!(Scenario::from_toml(&text).expect("reads back"), built);
    }

    #[test]
    fn a_builder_without_replication_or_with_a_bad_field_is_refused_by_path() {
        let e = two_regions().build().unwrap_err();
        assert_eq!(e.path, "replication");
        let e = two_regions()
            .multi_leader()
            .workload(100.0, 1.5, 10)
            .build()
            .unwrap_err();
        assert_eq!(e.path, "workload.read_fraction");
        let e = Scenario::builder("t")
            .region("SG", "", 0.0, 0.0)
            .region("US", "", 0.0, 0.0)
            .client("sg", "SG", 1.0)
            .quorum(3, 2, 2)
            .build()
            .unwrap_err();
        assert!(e.path.starts_with("topology"), "{e}");
    }
}
