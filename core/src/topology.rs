//! Regions > zones > nodes, and the round-trip-time distribution between every pair of regions,
//! with dense integer ids for the simulator.
//!
//! Build one from a scenario's [`TopologySpec`] with [`TopologySpec::validate`], or in code with
//! [`TopologyBuilder`]:
//!
//! ```
//! use meridian_core::dist::Dist;
//! use meridian_core::topology::TopologyBuilder;
//!
//! let topo = TopologyBuilder::new()
//!     .region("SG", "Singapore", 1.35, 103.82)
//!     .region("US", "Virginia", 38.95, -77.45)
//!     .link("SG", "US", Dist::constant(180.0))
//!     .build()
//!     .expect("valid topology");
//! assert_eq!(topo.region_index("US"), Some(1));
//! ```

use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use crate::dist::Dist;
use crate::error::FieldError;
use crate::rng::SimRng;
use crate::scenario::{LinkSpec, RegionSpec, TopologySpec, ZoneSpec};
use crate::time::SimDuration;

/// Most regions a topology may have.
pub const MAX_REGIONS: usize = 32;

/// A validated region.
#[derive(Debug, Clone, PartialEq)]
pub struct Region {
    /// Identifier from the document.
    pub id: String,
    /// Human name (the id when none was given).
    pub name: String,
    /// Latitude in degrees.
    pub lat: f64,
    /// Longitude in degrees.
    pub lon: f64,
}

/// A validated node.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Identifier from the document (`<region>-node` for an implicit node).
    pub id: String,
    /// Its zone's identifier (empty for an implicit node).
    pub zone: String,
    /// Index of its region.
    pub region: usize,
}

/// A validated topology with dense ids.
#[derive(Debug, Clone, PartialEq)]
pub struct Topology {
    regions: Vec<Region>,
    nodes: Vec<Node>,
    /// Row-major `regions × regions` round-trip distributions; the diagonal is the intra-region
    /// round trip.
    rtt: Vec<Dist>,
}

impl Topology {
    /// Number of regions.
    pub fn region_count(&self) -> usize {
        self.regions.len()
    }

    /// The regions, in document order (their index is their id).
    pub fn regions(&self) -> &[Region] {
        &self.regions
    }

    /// Every node, in document order.
    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    /// Index of the region with identifier `id`.
    pub fn region_index(&self, id: &str) -> Option<usize> {
        self.regions.iter().position(|r| r.id == id)
    }

    /// Round-trip distribution between regions `a` and `b` (intra-region when equal).
    pub fn rtt(&self, a: usize, b: usize) -> &Dist {
        &self.rtt[a * self.regions.len() + b]
    }

    /// Samples a one-way delay from `a` to `b`: half a round-trip sample.
    #[inline]
    pub fn one_way(&self, a: usize, b: usize, rng: &mut SimRng) -> SimDuration {
        SimDuration::from_millis_f64(self.rtt(a, b).sample_ms(rng) * 0.5)
    }
}

fn check_coordinate(path: &str, lat: f64, lon: f64) -> Result<(), FieldError> {
    if !(-90.0..=90.0).contains(&lat) {
        return Err(FieldError::new(
            format!("{path}.lat"),
            lat,
            "a latitude from -90 to 90",
        ));
    }
    if !(-180.0..=180.0).contains(&lon) {
        return Err(FieldError::new(
            format!("{path}.lon"),
            lon,
            "a longitude from -180 to 180",
        ));
    }
    Ok(())
}

fn check_id(path: &str, id: &str) -> Result<(), FieldError> {
    let ok = !id.is_empty()
        && id.len() <= 64
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(())
    } else {
        Err(FieldError::new(
            path,
            format!("\"{id}\""),
            "1 to 64 letters, digits, '-', '_' or '.'",
        ))
    }
}

impl TopologySpec {
    /// Checks the document and builds the topology: unique region, zone and node ids,
    /// coordinates in range, every pair of regions linked exactly once, valid distributions.
    pub fn validate(&self) -> Result<Topology, FieldError> {
        self.validate_at("topology")
    }

    pub(crate) fn validate_at(&self, base: &str) -> Result<Topology, FieldError> {
        let n = self.regions.len();
        if n == 0 || n > MAX_REGIONS {
            return Err(FieldError::new(
                format!("{base}.regions"),
                format!("{n} regions"),
                format!("1 to {MAX_REGIONS} regions"),
            ));
        }
        let mut regions = Vec::with_capacity(n);
        let mut nodes = Vec::new();
        for (i, r) in self.regions.iter().enumerate() {
            let path = format!("{base}.regions[{i}]");
            check_id(&format!("{path}.id"), &r.id)?;
            if self.regions[..i].iter().any(|o| o.id == r.id) {
                return Err(FieldError::new(
                    format!("{path}.id"),
                    format!("\"{}\"", r.id),
                    "an id no other region uses",
                ));
            }
            check_coordinate(&path, r.lat, r.lon)?;
            regions.push(Region {
                id: r.id.clone(),
                name: if r.name.is_empty() {
                    r.id.clone()
                } else {
                    r.name.clone()
                },
                lat: r.lat,
                lon: r.lon,
            });
            if r.zones.is_empty() {
                nodes.push(Node {
                    id: format!("{}-node", r.id),
                    zone: String::new(),
                    region: i,
                });
            }
            for (z, zone) in r.zones.iter().enumerate() {
                let zpath = format!("{path}.zones[{z}]");
                check_id(&format!("{zpath}.id"), &zone.id)?;
                let earlier_zone = self.regions[..i]
                    .iter()
                    .flat_map(|o| &o.zones)
                    .chain(&r.zones[..z])
                    .any(|o| o.id == zone.id);
                if earlier_zone {
                    return Err(FieldError::new(
                        format!("{zpath}.id"),
                        format!("\"{}\"", zone.id),
                        "a zone id used nowhere else",
                    ));
                }
                if zone.nodes.is_empty() {
                    return Err(FieldError::new(
                        format!("{zpath}.nodes"),
                        "[]",
                        "at least one node",
                    ));
                }
                for (k, node) in zone.nodes.iter().enumerate() {
                    let npath = format!("{zpath}.nodes[{k}]");
                    check_id(&npath, node)?;
                    if nodes.iter().any(|o: &Node| &o.id == node) {
                        return Err(FieldError::new(
                            npath,
                            format!("\"{node}\""),
                            "a node id used nowhere else",
                        ));
                    }
                    nodes.push(Node {
                        id: node.clone(),
                        zone: zone.id.clone(),
                        region: i,
                    });
                }
            }
        }
        self.intra_region_rtt
            .validate()
            .map_err(|e| e.within(&format!("{base}.intra_region_rtt")))?;
        let mut rtt: Vec<Option<Dist>> = vec![None; n * n];
        for i in 0..n {
            rtt[i * n + i] = Some(self.intra_region_rtt.clone());
        }
        for (l, link) in self.links.iter().enumerate() {
            let path = format!("{base}.links[{l}]");
            let find = |field: &str, id: &str| {
                self.regions.iter().position(|r| r.id == id).ok_or_else(|| {
                    FieldError::new(
                        format!("{path}.{field}"),
                        format!("\"{id}\""),
                        "the id of a region in topology.regions",
                    )
                })
            };
            let a = find("a", &link.a)?;
            let b = find("b", &link.b)?;
            if a == b {
                return Err(FieldError::new(
                    format!("{path}.b"),
                    format!("\"{}\"", link.b),
                    "a region other than `a` (use intra_region_rtt within a region)",
                ));
            }
            if rtt[a * n + b].is_some() {
                return Err(FieldError::new(
                    path,
                    format!("{} <-> {}", link.a, link.b),
                    "one link per pair of regions",
                ));
            }
            link.rtt
                .validate()
                .map_err(|e| e.within(&format!("{path}.rtt")))?;
            rtt[a * n + b] = Some(link.rtt.clone());
            rtt[b * n + a] = Some(link.rtt.clone());
        }
        let mut matrix = Vec::with_capacity(n * n);
        for (idx, d) in rtt.into_iter().enumerate() {
            match d {
                Some(d) => matrix.push(d),
                None => {
                    let (a, b) = (idx / n, idx % n);
                    return Err(FieldError::new(
                        format!("{base}.links"),
                        format!("no link {} <-> {}", regions[a].id, regions[b].id),
                        "a link for every pair of regions",
                    ));
                }
            }
        }
        Ok(Topology {
            regions,
            nodes,
            rtt: matrix,
        })
    }
}

/// Builds a [`Topology`] in code.
#[derive(Debug, Clone)]
pub struct TopologyBuilder {
    spec: TopologySpec,
}

impl Default for TopologyBuilder {
    fn default() -> Self {
        TopologyBuilder {
            spec: TopologySpec {
                regions: Vec::new(),
                links: Vec::new(),
                intra_region_rtt: Dist::constant(1.0),
            },
        }
    }
}

impl TopologyBuilder {
    /// An empty topology with a 1 ms intra-region round trip.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a region without zones (it gets one implicit node).
    pub fn region(mut self, id: &str, name: &str, lat: f64, lon: f64) -> Self {
        self.spec.regions.push(RegionSpec {
            id: id.into(),
            name: name.into(),
            lat,
            lon,
            zones: Vec::new(),
        });
        self
    }

    /// Adds a zone with nodes to the most recently added region.
    pub fn zone(mut self, id: &str, nodes: &[&str]) -> Self {
        if let Some(r) = self.spec.regions.last_mut() {
            r.zones.push(ZoneSpec {
                id: id.into(),
                nodes: nodes.iter().map(|s| (*s).into()).collect(),
            });
        }
        self
    }

    /// Sets the round trip between two regions.
    pub fn link(mut self, a: &str, b: &str, rtt: Dist) -> Self {
        self.spec.links.push(LinkSpec {
            a: a.into(),
            b: b.into(),
            rtt,
        });
        self
    }

    /// Sets the round trip between nodes of one region.
    pub fn intra_region_rtt(mut self, rtt: Dist) -> Self {
        self.spec.intra_region_rtt = rtt;
        self
    }

    /// The document form, e.g. to embed in a scenario.
    pub fn spec(&self) -> &TopologySpec {
        &self.spec
    }

    /// Validates and builds.
    pub fn build(self) -> Result<Topology, FieldError> {
        self.spec.validate()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    fn two() -> TopologyBuilder {
        TopologyBuilder::new()
            .region("SG", "Singapore", 1.35, 103.82)
            .zone("sg-a", &["sg1", "sg2"])
            .region("US", "Virginia", 38.95, -77.45)
            .link("SG", "US", Dist::constant(180.0))
    }

    #[test]
    fn builds_dense_ids_nodes_and_a_symmetric_matrix() {
        let t = two().build().unwrap();
        assert_eq!(t.region_count(), 2);
        assert_eq!(t.nodes().len(), 3);
        assert_eq!(t.nodes()[2].id, "US-node");
        assert_eq!(t.rtt(0, 1), t.rtt(1, 0));
        let mut rng = SimRng::new(1);
        assert_eq!(t.one_way(0, 1, &mut rng), SimDuration::from_millis(90));
        assert_eq!(t.one_way(1, 1, &mut rng), SimDuration::from_micros(500));
    }

    #[test]
    fn errors_name_the_field() {
        let missing = TopologyBuilder::new()
            .region("A", "", 0.0, 0.0)
            .region("B", "", 0.0, 0.0)
            .build()
            .unwrap_err();
        assert_eq!(missing.path, "topology.links");
        assert!(missing.to_string().contains("no link A <-> B"));

        let bad_lat = TopologyBuilder::new()
            .region("A", "", 91.0, 0.0)
            .build()
            .unwrap_err();
        assert_eq!(bad_lat.path, "topology.regions[0].lat");

        let dup = two()
            .link("US", "SG", Dist::constant(1.0))
            .build()
            .unwrap_err();
        assert_eq!(dup.path, "topology.links[1]");

        let unknown = two()
            .link("SG", "EU", Dist::constant(1.0))
            .build()
            .unwrap_err();
        assert_eq!(unknown.path, "topology.links[1].b");

        let bad_dist = TopologyBuilder::new()
            .region("A", "", 0.0, 0.0)
            .region("B", "", 0.0, 0.0)
            .link("A", "B", Dist::uniform(5.0, 1.0))
            .build()
            .unwrap_err();
        assert!(
            bad_dist.path.starts_with("topology.links[0].rtt"),
            "{}",
            bad_dist.path
        );
    }
}
