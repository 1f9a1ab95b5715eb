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

use alloc::string::String;
use alloc::vec::Vec;

use crate::dist::Dist;
use crate::rng::SimRng;
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

mod builder;
mod spec;

pub use builder::TopologyBuilder;
pub use spec::{LinkSpec, RegionSpec, TopologySpec, ZoneSpec};

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
