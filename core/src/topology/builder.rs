//! [`TopologyBuilder`]: a topology built in code rather than read from a document.

use alloc::vec::Vec;

use super::{LinkSpec, RegionSpec, Topology, TopologySpec, ZoneSpec};
use crate::dist::Dist;
use crate::error::FieldError;

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
        self.spec.regions.push(RegionSpec::new(id, name, lat, lon));
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
