//! Small scenario builders shared by the tests.

use meridian_core::dist::Dist;
use meridian_core::scenario::{
    ClientSpec, LinkSpec, Popularity, ReadStrategy, ReadsSpec, RegionSpec, ReplicationSpec,
    Scenario, TopologySpec, WorkloadSpec, WritePolicy,
};
use meridian_core::sim::{Report, Simulation};

/// Two regions A and B, 100 ms apart, one client population in each, 10 ms from home; constant
/// latencies everywhere.
pub fn two_regions(replication: ReplicationSpec, read_fraction: f64) -> Scenario {
    let region = |id: &str| RegionSpec {
        id: id.into(),
        name: String::new(),
        lat: 0.0,
        lon: 0.0,
        zones: vec![],
    };
    let client = |home: &str| ClientSpec {
        name: format!("clients-{home}"),
        home: home.into(),
        weight: 1.0,
        access_rtt: Dist::constant(10.0),
        lat: 0.0,
        lon: 0.0,
        failover: vec![],
    };
    Scenario {
        name: "by-hand".into(),
        description: String::new(),
        seed: 3,
        duration_s: 20.0,
        topology: TopologySpec {
            regions: vec![region("A"), region("B")],
            links: vec![LinkSpec {
                a: "A".into(),
                b: "B".into(),
                rtt: Dist::constant(100.0),
            }],
            intra_region_rtt: Dist::constant(1.0),
        },
        clients: vec![client("A"), client("B")],
        workload: WorkloadSpec {
            requests_per_s: 200.0,
            read_fraction,
            keys: 50,
            popularity: Popularity::Uniform {},
            sessions_per_client: 20,
        },
        replication,
        reads: ReadsSpec {
            strategy: ReadStrategy::Local {},
            deadline_ms: None,
        },
        writes: WritePolicy::default(),
        slos: vec![],
        entities: vec![],
        faults: vec![],
        failover: None,
        timeline: None,
        lww_clock: Default::default(),
    }
}

/// Validates and runs a scenario to completion.
pub fn run(s: &Scenario) -> Report {
    let model = s.validate().unwrap_or_else(|e| panic!("{}: {e}", s.name));
    let mut sim = Simulation::new(model);
    sim.run();
    sim.report()
}

/// Region report by id.
pub fn region<'a>(r: &'a Report, id: &str) -> &'a meridian_core::sim::RegionReport {
    r.regions
        .iter()
        .find(|x| x.region == id)
        .expect("region in report")
}
