//! The Kata 86 network as a general [`Topology`]: both regions at their latitude and longitude,
//! linked by the configured SG–US round trip, so that code drawing any topology (such as the
//! page's map) draws this one from the same figures the model runs with.

use crate::dist::Dist;
use crate::error::FieldError;
use crate::topology::{Topology, TopologyBuilder};

use super::config::{Kata86Config, Region};

impl Region {
    /// Position of this region in [`Region::ALL`], which is also its index in
    /// [`Kata86Config::topology`].
    pub const fn index(self) -> usize {
        match self {
            Region::Sg => 0,
            Region::Us => 1,
        }
    }
}

impl Kata86Config {
    /// The two regions (ids `SG` and `US`, named after their places, at their coordinates) and the
    /// constant SG–US round trip of this configuration. Kata 86 has no intra-region latency; the
    /// topology keeps the builder's default of 1 ms, which nothing in the model uses.
    ///
    /// ```
    /// use meridian_core::kata86::{Kata86Config, Region};
    ///
    /// let topo = Kata86Config::default().topology()?;
    /// assert_eq!(topo.regions()[Region::Us.index()].id, "US");
    /// assert_eq!(topo.rtt(0, 1).mean_ms(), Some(180.0));
    /// # Ok::<(), meridian_core::error::FieldError>(())
    /// ```
    pub fn topology(&self) -> Result<Topology, FieldError> {
        let builder = Region::ALL.iter().fold(TopologyBuilder::new(), |b, r| {
            let (lat, lon) = r.lat_lon();
            b.region(r.code(), r.place(), lat, lon)
        });
        builder
            .link(
                Region::Sg.code(),
                Region::Us.code(),
                Dist::constant(f64::from(self.rtt_between_regions_ms)),
            )
            .build()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_sit_at_their_indices_with_their_coordinates() {
        let cfg = Kata86Config {
            rtt_between_regions_ms: 123,
            ..Kata86Config::default()
        };
        let topo = cfg.topology().unwrap();
        assert_eq!(topo.region_count(), Region::ALL.len());
        for r in Region::ALL {
            let t = &topo.regions()[r.index()];
            assert_eq!(t.id, r.code());
            assert_eq!(t.name, r.place());
            assert_eq!((t.lat, t.lon), r.lat_lon());
            assert_eq!(topo.region_index(r.code()), Some(r.index()));
        }
        assert_eq!(topo.rtt(0, 1), &Dist::constant(123.0));
        assert_eq!(topo.rtt(1, 0), &Dist::constant(123.0));
    }

    #[test]
    fn every_valid_configuration_builds() {
        for ms in [0, 1, super::super::MAX_CONFIG_MS] {
            let cfg = Kata86Config {
                rtt_between_regions_ms: ms,
                ..Kata86Config::default()
            };
            assert!(cfg.topology().is_ok(), "{ms} ms");
        }
    }
}
