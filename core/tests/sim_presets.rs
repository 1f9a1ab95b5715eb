//! Every shipped preset validates and runs to completion, deterministically.

use meridian_core::scenario::{PRESETS, Scenario};
use meridian_core::sim::Simulation;

#[test]
fn every_preset_runs_and_is_deterministic() {
    for p in PRESETS {
        let scenario = Scenario::preset(p.name).expect("parses");
        let model = scenario
            .validate()
            .unwrap_or_else(|e| panic!("{}: {e}", p.name));
        let mut a = Simulation::new(model.clone());
        a.run();
        let mut b = Simulation::new(model);
        b.run();
        let (ra, rb) = (a.report(), b.report());
        assert_eq!(ra, rb, "{} is not deterministic", p.name);
        assert!(
            ra.read_latency.count > 0 && ra.write_latency.count > 0,
            "{}",
            p.name
        );
        println!(
            "{}: {}",
            p.name,
            serde_json::to_string(&ra.counters).unwrap()
        );
        println!(
            "  read {:?}\n  write {:?}\n  stale {:?}",
            ra.read_latency, ra.write_latency, ra.staleness
        );
    }
}
