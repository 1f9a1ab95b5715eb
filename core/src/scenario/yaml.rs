//! Reading a multi-region replication service's YAML config as a scenario.
//!
//! Deployments often describe replication in a YAML file like this:
//!
//! ```yaml
//! replication:
//!   strategy: primary_replica       # active_active, primary_replica or multi_master
//!   local_region: us-west-1
//!   conflict_resolution: lww        # lww, source_priority, insert_wins or custom
//!   region_priorities: [us-west-1, eu-central-1]
//!   agent: { max_retries: 5, retry_delay_ms: 100, batch_size: 100, request_timeout_secs: 10, buffer_size: 10000 }
//!   regions:
//!     - id: us-west-1
//!       name: "US West 1"
//!       is_primary: true
//!       zones:
//!         - id: us-west-1a
//!           name: "Zone A"
//!           nodes: [{ id: node1, endpoint: "localhost:50051" }]
//!   replication_targets:
//!     us-west-1: [eu-central-1]
//! ```
//!
//! Such a file says how the system is built but not how it behaves: it has no round-trip times,
//! no clients and no workload. Those go under a second top-level key, `simulation:`, which holds
//! any field of a scenario document except `topology.regions` and `replication.mode` (see
//! [`Scenario`]): `links` and `intra_region_rtt` (the topology's), `clients`, `workload`, `reads`,
//! `writes`, `slos`, `entities`, `faults`, `failover`, `timeline`, `name`, `seed`, `duration_s`,
//! and `regions` (a map from region id to `{ lat, lon }`, for maps) and `replication` (settings
//! of the engine the config has no word for: `apply_delay`, `acks`, `by`, `agent.batch_delay_ms`,
//! `agent.loss_probability`).
//!
//! How the config maps:
//!
//! | config | scenario |
//! | --- | --- |
//! | `strategy: primary_replica` | `replication.mode = "single_leader"`, the leader is the one region with `is_primary: true` |
//! | `strategy: active_active` | `replication.mode = "multi_leader"` (every region writes; last-write-wins) |
//! | `strategy: multi_master` | `replication.mode = "partitioned"`, owners in `region_priorities` order (else the regions' order), `by` from `simulation.replication.by` (default: 64 tenants) |
//! | `regions[].id`, `name`, `zones[].id`, `zones[].nodes[].id` | `topology.regions[]` with its zones and nodes |
//! | `agent.max_retries`, `retry_delay_ms`, `batch_size`, `buffer_size` | `replication.agent.max_retries`, `retry_base_ms`, `batch_size`, `buffer` |
//!
//! Refused, naming the field: a `conflict_resolution` other than `lww` with `active_active` (the
//! engine resolves concurrent writes by last-write-wins; the other resolvers are in
//! `meridian merge`), `is_primary` on anything but the one primary of `primary_replica`,
//! `replication_targets` that leave out a region a writer must reach (the engine replicates every
//! write to every region), an unknown `local_region`, and any field this reader does not know.
//! Read but left out of the simulation, and listed in [`YamlImport::ignored`]: `local_region`
//! (which node the file configures; a simulation runs them all), zone names, node endpoints,
//! `agent.request_timeout_secs` (the agent has no request timeout: a lost batch is retried after
//! its backoff), and `conflict_resolution` / `region_priorities` where no two regions write the
//! same key.
use alloc::{
    collections::BTreeMap,
    format,
    string::{String, ToString},
    vec,
    vec::Vec,
};

use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::{Scenario, ScenarioError};
use crate::error::FieldError;

/// A scenario read from a YAML replication config, with the fields that were read but have no
/// part in the simulation.
#[derive(Debug, Clone, PartialEq)]
pub struct YamlImport {
    /// The scenario, validated.
    pub scenario: Scenario,
    /// Fields of the config left out of the simulation, each with the reason.
    pub ignored: Vec<IgnoredField>,
}

/// A config field that was read but does not change the simulation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IgnoredField {
    /// Where it is in the YAML document, e.g. `replication.regions[0].zones[0].nodes[0].endpoint`.
    pub path: String,
    /// Why it has no effect.
    pub reason: &'static str,
}

impl core::fmt::Display for IgnoredField {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{}: {}", self.path, self.reason)
    }
}

/// Tenants of a `multi_master` config when `simulation.replication.by` does not say.
const DEFAULT_TENANTS: u32 = 64;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Config {
    replication: ReplicationConfig,
    #[serde(default)]
    simulation: Map<String, Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReplicationConfig {
    strategy: Strategy,
    #[serde(default)]
    local_region: Option<String>,
    #[serde(default)]
    conflict_resolution: Option<Resolution>,
    #[serde(default)]
    region_priorities: Vec<String>,
    #[serde(default)]
    agent: Option<AgentSettings>,
    regions: Vec<RegionConfig>,
    #[serde(default)]
    replication_targets: Option<BTreeMap<String, Vec<String>>>,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
enum Strategy {
    ActiveActive,
    PrimaryReplica,
    MultiMaster,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
enum Resolution {
    Lww,
    SourcePriority,
    InsertWins,
    Custom,
}

impl Resolution {
    fn name(self) -> &'static str {
        match self {
            Resolution::Lww => "lww",
            Resolution::SourcePriority => "source_priority",
            Resolution::InsertWins => "insert_wins",
            Resolution::Custom => "custom",
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AgentSettings {
    #[serde(default)]
    max_retries: Option<u32>,
    #[serde(default)]
    retry_delay_ms: Option<f64>,
    #[serde(default)]
    batch_size: Option<u32>,
    #[serde(default)]
    request_timeout_secs: Option<f64>,
    #[serde(default)]
    buffer_size: Option<u32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RegionConfig {
    id: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    is_primary: Option<bool>,
    #[serde(default)]
    zones: Vec<ZoneConfig>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ZoneConfig {
    id: String,
    #[serde(default)]
    name: Option<String>,
    nodes: Vec<NodeConfig>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NodeConfig {
    id: String,
    #[serde(default)]
    endpoint: Option<String>,
}

impl Scenario {
    /// Reads a YAML replication config (see [the module](self) for the layout and the mapping)
    /// as a validated scenario. Errors name the field by its path in the YAML document.
    pub fn from_yaml(text: &str) -> Result<YamlImport, ScenarioError> {
        let parse_error = |message: String| ScenarioError::Parse {
            format: "YAML",
            message,
        };
        // Read as a tree first (YAML syntax errors carry their line and column), then as the
        // config (errors carry the field path).
        let tree: Value = serde_saphyr::from_str(text).map_err(|e| parse_error(e.to_string()))?;
        let config: Config = serde_path_to_error::deserialize(tree)
            .map_err(|e| parse_error(format!("{}: {}", e.path(), e.inner())))?;
        import(config)
    }
}

fn invalid(
    path: impl Into<String>,
    value: impl ToString,
    allowed: impl Into<String>,
) -> ScenarioError {
    ScenarioError::Invalid(FieldError::new(path, value, allowed))
}

fn import(config: Config) -> Result<YamlImport, ScenarioError> {
    let Config {
        replication: r,
        simulation: mut sim,
    } = config;
    let mut ignored = Vec::new();
    let mut note = |path: String, reason: &'static str| ignored.push(IgnoredField { path, reason });
    let ids: Vec<&str> = r.regions.iter().map(|g| g.id.as_str()).collect();

    if let Some(local) = &r.local_region {
        if !ids.contains(&local.as_str()) {
            return Err(invalid(
                "replication.local_region",
                format!("\"{local}\""),
                format!("one of the regions: {}", ids.join(", ")),
            ));
        }
        note(
            "replication.local_region".into(),
            "names the region this node runs in; a simulation runs every region",
        );
    }

    // Regions, zones and nodes; coordinates from simulation.regions.
    let mut coordinates = match sim.remove("regions") {
        None => Map::new(),
        Some(Value::Object(m)) => m,
        Some(other) => {
            return Err(invalid(
                "simulation.regions",
                other,
                "a map from region id to { lat, lon }",
            ));
        }
    };
    let mut regions = Vec::with_capacity(r.regions.len());
    for (i, g) in r.regions.iter().enumerate() {
        let mut region = Map::new();
        region.insert("id".into(), json!(g.id));
        if let Some(name) = &g.name {
            region.insert("name".into(), json!(name));
        }
        if let Some(place) = coordinates.remove(&g.id) {
            let Value::Object(place) = place else {
                return Err(invalid(
                    format!("simulation.regions.{}", g.id),
                    place,
                    "{ lat, lon }",
                ));
            };
            for (k, v) in place {
                if k != "lat" && k != "lon" {
                    return Err(invalid(
                        format!("simulation.regions.{}.{k}", g.id),
                        v,
                        "only lat and lon",
                    ));
                }
                region.insert(k, v);
            }
        }
        let mut zones = Vec::with_capacity(g.zones.len());
        for (z, zone) in g.zones.iter().enumerate() {
            if zone.name.is_some() {
                note(
                    format!("replication.regions[{i}].zones[{z}].name"),
                    "a display name; zones are known by their ids",
                );
            }
            for (n, node) in zone.nodes.iter().enumerate() {
                if node.endpoint.is_some() {
                    note(
                        format!("replication.regions[{i}].zones[{z}].nodes[{n}].endpoint"),
                        "a node's network address; the simulation has no network stack",
                    );
                }
            }
            let nodes: Vec<&str> = zone.nodes.iter().map(|n| n.id.as_str()).collect();
            zones.push(json!({ "id": zone.id, "nodes": nodes }));
        }
        if !zones.is_empty() {
            region.insert("zones".into(), Value::Array(zones));
        }
        regions.push(Value::Object(region));
    }
    if let Some((id, _)) = coordinates.into_iter().next() {
        return Err(invalid(
            format!("simulation.regions.{id}"),
            format!("\"{id}\""),
            format!("one of the regions: {}", ids.join(", ")),
        ));
    }

    // The replication mode, and which regions write.
    let primaries: Vec<usize> = (0..r.regions.len())
        .filter(|&i| r.regions[i].is_primary == Some(true))
        .collect();
    let mut replication = Map::new();
    let writers: Vec<&str> = match r.strategy {
        Strategy::PrimaryReplica => {
            let [leader] = primaries[..] else {
                return Err(invalid(
                    "replication.regions",
                    format!("{} regions with is_primary: true", primaries.len()),
                    "exactly one primary region for primary_replica",
                ));
            };
            replication.insert("mode".into(), json!("single_leader"));
            replication.insert("leader".into(), json!(r.regions[leader].id));
            vec![ids[leader]]
        }
        Strategy::ActiveActive | Strategy::MultiMaster => {
            if let Some(&i) = primaries.first() {
                return Err(invalid(
                    format!("replication.regions[{i}].is_primary"),
                    "true",
                    "no primary region: every region takes writes with this strategy",
                ));
            }
            if r.strategy == Strategy::ActiveActive {
                replication.insert("mode".into(), json!("multi_leader"));
            } else {
                let owners: Vec<&str> = if r.region_priorities.is_empty() {
                    ids.clone()
                } else {
                    r.region_priorities.iter().map(String::as_str).collect()
                };
                replication.insert("mode".into(), json!("partitioned"));
                replication.insert("owners".into(), json!(owners));
                replication.insert(
                    "by".into(),
                    json!({ "kind": "tenant", "tenants": DEFAULT_TENANTS }),
                );
            }
            ids.clone()
        }
    };
    match (r.strategy, r.conflict_resolution) {
        (Strategy::ActiveActive, Some(resolution)) if resolution != Resolution::Lww => {
            return Err(invalid(
                "replication.conflict_resolution",
                resolution.name(),
                "lww: with active_active the engine resolves concurrent writes by \
                 last-write-wins (compare the other resolvers with `meridian merge`)",
            ));
        }
        (Strategy::ActiveActive, _) => {}
        (_, Some(_)) => note(
            "replication.conflict_resolution".into(),
            "no two regions write the same key with this strategy, so nothing is resolved",
        ),
        (_, None) => {}
    }
    if !r.region_priorities.is_empty() && r.strategy != Strategy::MultiMaster {
        for (i, id) in r.region_priorities.iter().enumerate() {
            if !ids.contains(&id.as_str()) {
                return Err(invalid(
                    format!("replication.region_priorities[{i}]"),
                    format!("\"{id}\""),
                    format!("one of the regions: {}", ids.join(", ")),
                ));
            }
        }
        note(
            "replication.region_priorities".into(),
            "orders regions for source_priority, which the engine does not resolve by",
        );
    }

    // Every writer must replicate to every other region.
    if let Some(targets) = &r.replication_targets {
        for (source, list) in targets {
            if !ids.contains(&source.as_str()) {
                return Err(invalid(
                    format!("replication.replication_targets.{source}"),
                    format!("\"{source}\""),
                    format!("one of the regions: {}", ids.join(", ")),
                ));
            }
            for (i, t) in list.iter().enumerate() {
                if !ids.contains(&t.as_str()) {
                    return Err(invalid(
                        format!("replication.replication_targets.{source}[{i}]"),
                        format!("\"{t}\""),
                        format!("one of the regions: {}", ids.join(", ")),
                    ));
                }
            }
        }
        for w in &writers {
            let reached: Vec<&str> = targets
                .get(*w)
                .map(|l| l.iter().map(String::as_str).collect())
                .unwrap_or_default();
            if let Some(missing) = ids.iter().find(|id| *id != w && !reached.contains(id)) {
                return Err(invalid(
                    format!("replication.replication_targets.{w}"),
                    format!("{reached:?}"),
                    format!(
                        "every other region (missing {missing}): the engine replicates each \
                         write to every region"
                    ),
                ));
            }
        }
    }

    // The agent.
    let mut agent = Map::new();
    if let Some(a) = &r.agent {
        let mut set = |key: &str, value: Option<Value>| {
            if let Some(v) = value {
                agent.insert(key.into(), v);
            }
        };
        set("max_retries", a.max_retries.map(|v| json!(v)));
        set("retry_base_ms", a.retry_delay_ms.map(|v| json!(v)));
        set("batch_size", a.batch_size.map(|v| json!(v)));
        set("buffer", a.buffer_size.map(|v| json!(v)));
        if a.request_timeout_secs.is_some() {
            note(
                "replication.agent.request_timeout_secs".into(),
                "the agent has no request timeout: a lost batch is retried after its backoff",
            );
        }
    }

    // The engine's own replication settings from simulation.replication.
    if let Some(extra) = sim.remove("replication") {
        let Value::Object(extra) = extra else {
            return Err(invalid(
                "simulation.replication",
                extra,
                "a map of replication settings",
            ));
        };
        for (key, value) in extra {
            match key.as_str() {
                "mode" | "leader" | "owners" => {
                    return Err(invalid(
                        format!("simulation.replication.{key}"),
                        value,
                        "nothing: it follows from replication.strategy, is_primary and region_priorities",
                    ));
                }
                "agent" => {
                    let Value::Object(more) = value else {
                        return Err(invalid("simulation.replication.agent", value, "a map"));
                    };
                    for (k, v) in more {
                        if agent.contains_key(&k) {
                            return Err(invalid(
                                format!("simulation.replication.agent.{k}"),
                                v,
                                "nothing: it is set in replication.agent",
                            ));
                        }
                        agent.insert(k, v);
                    }
                }
                _ => {
                    replication.insert(key, value);
                }
            }
        }
    }
    if !agent.is_empty() {
        replication.insert("agent".into(), Value::Object(agent));
    }

    // The topology and the rest of the document.
    let mut topology = Map::new();
    topology.insert("regions".into(), Value::Array(regions));
    match sim.remove("links") {
        Some(links) => {
            topology.insert("links".into(), links);
        }
        None if ids.len() > 1 => {
            return Err(invalid(
                "simulation.links",
                "nothing",
                "a round trip for every pair of regions, e.g. \
                 [{ a: us-west-1, b: eu-central-1, rtt: { kind: constant, ms: 150 } }]: \
                 the config has no network figures",
            ));
        }
        None => {
            topology.insert("links".into(), json!([]));
        }
    }
    if let Some(intra) = sim.remove("intra_region_rtt") {
        topology.insert("intra_region_rtt".into(), intra);
    }
    for key in ["topology", "replication"] {
        if let Some(v) = sim.remove(key) {
            return Err(invalid(
                format!("simulation.{key}"),
                v,
                "nothing: it comes from the replication section",
            ));
        }
    }
    sim.entry("name")
        .or_insert_with(|| json!("replication-config"));
    sim.insert("topology".into(), Value::Object(topology));
    sim.insert("replication".into(), Value::Object(replication));

    let scenario: Scenario =
        serde_path_to_error::deserialize(Value::Object(sim)).map_err(|e| ScenarioError::Parse {
            format: "YAML",
            message: format!("{}: {}", yaml_path(&e.path().to_string()), e.inner()),
        })?;
    if let Err(mut e) = scenario.validate() {
        e.path = yaml_path(&e.path);
        return Err(ScenarioError::Invalid(e));
    }
    Ok(YamlImport { scenario, ignored })
}

/// Where a scenario field built by [`import`] came from in the YAML document.
fn yaml_path(path: &str) -> String {
    const RENAMED: [(&str, &str); 8] = [
        ("topology.regions", "replication.regions"),
        ("topology.links", "simulation.links"),
        ("topology.intra_region_rtt", "simulation.intra_region_rtt"),
        (
            "replication.agent.retry_base_ms",
            "replication.agent.retry_delay_ms",
        ),
        ("replication.agent.buffer", "replication.agent.buffer_size"),
        (
            "replication.agent.max_retries",
            "replication.agent.max_retries",
        ),
        (
            "replication.agent.batch_size",
            "replication.agent.batch_size",
        ),
        ("replication.owners", "replication.region_priorities"),
    ];
    for (from, to) in RENAMED {
        if let Some(rest) = path.strip_prefix(from)
            && (rest.is_empty() || rest.starts_with(['.', '[']))
        {
            return format!("{to}{rest}");
        }
    }
    if path.is_empty() || path == "." {
        return "simulation".into();
    }
    if path == "topology" {
        return "replication.regions".into();
    }
    if path == "replication.leader" {
        return "replication.regions (is_primary)".into();
    }
    format!("simulation.{path}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const LINKS: &str = "
simulation:
  duration_s: 5
  workload: { requests_per_s: 200, read_fraction: 0.8, keys: 100 }
  links:
    - { a: us-west-1, b: eu-central-1, rtt: { kind: constant, ms: 150 } }
  clients:
    - { name: us, home: us-west-1, weight: 1, access_rtt: { kind: constant, ms: 10 } }
    - { name: eu, home: eu-central-1, weight: 1, access_rtt: { kind: constant, ms: 10 } }
";

    fn config(replication: &str) -> String {
        format!("replication:\n{replication}{LINKS}")
    }

    const TWO_REGIONS: &str = "
  regions:
    - id: us-west-1
      name: US West 1
      is_primary: true
      zones:
        - id: us-west-1a
          name: Zone A
          nodes: [{ id: node1, endpoint: 'localhost:50051' }]
    - id: eu-central-1
      zones:
        - { id: eu-central-1a, nodes: [{ id: node2 }] }
";

    #[test]
    fn a_primary_replica_config_maps_to_a_single_leader_scenario() {
        let text = config(&format!(
            "  strategy: primary_replica\n  local_region: us-west-1\n  conflict_resolution: lww\n\
             \x20 agent: {{ max_retries: 3, retry_delay_ms: 50, batch_size: 10, request_timeout_secs: 10, buffer_size: 500 }}\n{TWO_REGIONS}\
             \x20 replication_targets:\n    us-west-1: [eu-central-1]\n"
        ));
        let import = Scenario::from_yaml(&text).expect("maps");
        let s = &import.scenario;
        assert_eq!(s.name, "replication-config");
        assert_eq!(s.topology.regions.len(), 2);
        assert_eq!(s.topology.regions[0].name, "US West 1");
        assert_eq!(s.topology.regions[1].zones[0].nodes, ["node2"]);
        let crate::scenario::ReplicationSpec::SingleLeader { leader, agent, .. } = &s.replication
        else {
            panic!("single leader expected: {:?}", s.replication)
        };
        assert_eq!(leader, "us-west-1");
        assert_eq!(
            (
                agent.max_retries,
                agent.retry_base_ms,
                agent.batch_size,
                agent.buffer
            ),
            (3, 50.0, 10, 500)
        );
        let ignored: Vec<&str> = import.ignored.iter().map(|i| i.path.as_str()).collect();
        assert_eq!(
            ignored,
            [
                "replication.local_region",
                "replication.regions[0].zones[0].name",
                "replication.regions[0].zones[0].nodes[0].endpoint",
                "replication.conflict_resolution",
                "replication.agent.request_timeout_secs",
            ]
        );
        // It runs.
        let mut sim = crate::sim::Simulation::new(s.validate().expect("valid"));
        sim.run();
        assert!(sim.report().events > 0);
    }

    #[test]
    fn active_active_is_multi_leader_and_refuses_other_resolvers() {
        let regions = TWO_REGIONS.replace("      is_primary: true\n", "");
        let ok = config(&format!(
            "  strategy: active_active\n  conflict_resolution: lww\n{regions}"
        ));
        let s = Scenario::from_yaml(&ok).expect("maps").scenario;
        assert!(matches!(
            s.replication,
            crate::scenario::ReplicationSpec::MultiLeader { .. }
        ));
        let bad = ok.replace(
            "conflict_resolution: lww",
            "conflict_resolution: source_priority",
        );
        let e = Scenario::from_yaml(&bad).unwrap_err().to_string();
        assert!(
            e.contains("replication.conflict_resolution = source_priority"),
            "{e}"
        );
        let primary = config(&format!("  strategy: active_active\n{TWO_REGIONS}"));
        let e = Scenario::from_yaml(&primary).unwrap_err().to_string();
        assert!(
            e.contains("replication.regions[0].is_primary = true"),
            "{e}"
        );
    }

    #[test]
    fn multi_master_partitions_by_region_priorities() {
        let regions = TWO_REGIONS.replace("      is_primary: true\n", "");
        let text = config(&format!(
            "  strategy: multi_master\n  conflict_resolution: source_priority\n\
             \x20 region_priorities: [eu-central-1, us-west-1]\n{regions}"
        ));
        let s = Scenario::from_yaml(&text).expect("maps").scenario;
        let crate::scenario::ReplicationSpec::Partitioned { owners, .. } = &s.replication else {
            panic!("partitioned expected")
        };
        assert_eq!(owners, &["eu-central-1", "us-west-1"]);
    }

    #[test]
    fn what_does_not_map_is_refused_by_its_path() {
        let cases = [
            // A field the reader does not know.
            (
                config(&format!(
                    "  strategy: primary_replica\n  sharding: on\n{TWO_REGIONS}"
                )),
                "replication.sharding: unknown field `sharding`",
            ),
            // A strategy it does not know.
            (
                config(&format!("  strategy: raft\n{TWO_REGIONS}")),
                "replication.strategy",
            ),
            // No primary.
            (
                config(&format!(
                    "  strategy: primary_replica\n{}",
                    TWO_REGIONS.replace("      is_primary: true\n", "")
                )),
                "replication.regions = 0 regions with is_primary: true",
            ),
            // A writer that does not reach every region.
            (
                config(&format!(
                    "  strategy: primary_replica\n{TWO_REGIONS}  replication_targets:\n    us-west-1: []\n"
                )),
                "replication.replication_targets.us-west-1",
            ),
            // An unknown local region.
            (
                config(&format!(
                    "  strategy: primary_replica\n  local_region: mars-1\n{TWO_REGIONS}"
                )),
                "replication.local_region = \"mars-1\"",
            ),
            // Round trips missing.
            (
                format!("replication:\n  strategy: primary_replica\n{TWO_REGIONS}"),
                "simulation.links",
            ),
            // A bad value deep in the simulation section, by its YAML path.
            (
                config(&format!("  strategy: primary_replica\n{TWO_REGIONS}"))
                    .replace("duration_s: 5", "duration_s: -5"),
                "simulation.duration_s",
            ),
            // The mode cannot be set twice.
            (
                config(&format!("  strategy: primary_replica\n{TWO_REGIONS}")).replace(
                    "simulation:\n",
                    "simulation:\n  replication: { mode: quorum }\n",
                ),
                "simulation.replication.mode",
            ),
        ];
        for (text, expected) in cases {
            let e = Scenario::from_yaml(&text).unwrap_err().to_string();
            assert!(e.contains(expected), "expected '{expected}' in: {e}");
        }
    }

    #[test]
    fn paths_map_back_to_the_yaml_document() {
        assert_eq!(
            yaml_path("topology.regions[1].zones[0].id"),
            "replication.regions[1].zones[0].id"
        );
        assert_eq!(
            yaml_path("topology.links[0].rtt"),
            "simulation.links[0].rtt"
        );
        assert_eq!(
            yaml_path("replication.agent.retry_base_ms"),
            "replication.agent.retry_delay_ms"
        );
        assert_eq!(
            yaml_path("workload.requests_per_s"),
            "simulation.workload.requests_per_s"
        );
    }
}
