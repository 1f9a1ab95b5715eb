//! The Kata 86 network as the region map draws it: the two regions as a general topology (from
//! [`meridian_core::kata86::Kata86Config::topology`]), the client with its round trip to each
//! region, and the replication link from the leader with the model's lag.

use std::rc::Rc;

use meridian_core::dist::Dist;
use meridian_core::kata86::{CLIENT_LAT_LON, CLIENT_PLACE, Kata86Params, Region};
use meridian_core::topology::Topology;

use super::labels;
use crate::components::region_map::{ClientLink, ClientSite, ReplicationLink};

/// Everything the map needs for one set of parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct Network {
    /// SG and US.
    pub topology: Rc<Topology>,
    /// The one client population.
    pub clients: Rc<Vec<ClientSite>>,
    /// Index of the leader.
    pub leader: usize,
    /// Leader to follower.
    pub replication: Rc<Vec<ReplicationLink>>,
}

impl Network {
    /// The network of `params`, or `None` if its configuration does not make a topology (which
    /// validated parameters always do).
    pub fn of(params: &Kata86Params) -> Option<Self> {
        let cfg = &params.config;
        let topology = cfg.topology().ok()?;
        let (lat, lon) = CLIENT_LAT_LON;
        let client = ClientSite {
            name: "client".into(),
            place: CLIENT_PLACE.into(),
            lat,
            lon,
            links: Region::ALL
                .iter()
                .map(|&r| ClientLink {
                    region: r.index(),
                    rtt: Dist::constant(f64::from(cfg.rtt_client_to(r))),
                })
                .collect(),
            home: Some(params.client.index()),
        };
        Some(Network {
            topology: Rc::new(topology),
            clients: Rc::new(vec![client]),
            leader: params.leader.index(),
            replication: Rc::new(vec![ReplicationLink {
                from: params.leader.index(),
                to: params.leader.other().index(),
                lag: labels::replication_lag(cfg),
            }]),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_network_follows_the_parameters() {
        let params = Kata86Params {
            client: Region::Us,
            leader: Region::Sg,
            ..Kata86Params::default()
        };
        let n = Network::of(&params).unwrap();
        assert_eq!(n.topology.region_count(), 2);
        assert_eq!(n.leader, Region::Sg.index());
        let c = &n.clients[0];
        assert_eq!(c.home, Some(Region::Us.index()));
        assert_eq!((c.lat, c.lon), CLIENT_LAT_LON);
        assert_eq!(c.links[Region::Sg.index()].rtt, Dist::constant(40.0));
        assert_eq!(c.links[Region::Us.index()].rtt, Dist::constant(220.0));
        assert_eq!(n.replication[0].to, Region::Us.index());
    }
}
