//! The topology as written in a scenario document (regions, zones, nodes and links by id), and
//! its validation into a [`Topology`] with dense ids.

use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use super::{MAX_REGIONS, Node, Region, Topology};
use crate::dist::Dist;
use crate::error::FieldError;

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

impl RegionSpec {
    /// A region without zones (it gets one implicit node) at `lat`, `lon` degrees.
    pub fn new(id: &str, name: &str, lat: f64, lon: f64) -> Self {
        RegionSpec {
            id: id.into(),
            name: name.into(),
            lat,
            lon,
            zones: Vec::new(),
        }
    }
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
