//! A latency distribution of your own: a link that is fast most of the time and slow now and
//! then, built in code as a mixture, checked, sampled, and put into a preset's topology to see
//! what it does to the staleness of reads.
//!
//! ```sh
//! cargo run --release -p meridian-core --example custom_latency
//! ```

use meridian_core::dist::{Dist, Weighted};
use meridian_core::rng::SimRng;
use meridian_core::scenario::Scenario;
use meridian_core::sim::Simulation;

fn main() {
    // 97% of round trips near 180 ms, 3% a congested 400 to 900 ms.
    let link = Dist::Mixture {
        components: vec![
            Weighted::new(
                97.0,
                Dist::LogNormal {
                    median_ms: 180.0,
                    sigma: 0.05,
                },
            ),
            Weighted::new(
                3.0,
                Dist::Uniform {
                    min_ms: 400.0,
                    max_ms: 900.0,
                },
            ),
        ],
    };
    link.validate().expect("a valid distribution");
    let mut rng = SimRng::new(7);
    let mut samples: Vec<f64> = (0..100_000).map(|_| link.sample_ms(&mut rng)).collect();
    samples.sort_by(f64::total_cmp);
    println!(
        "link round trip: p50 {:.1} ms, p99 {:.1} ms",
        samples[50_000], samples[99_000]
    );

    for (label, rtt) in [
        ("constant 180 ms", Dist::Constant { ms: 180.0 }),
        ("mixture", link),
    ] {
        let mut scenario = Scenario::preset("sg-us-wallet").expect("a preset");
        scenario.duration_s = 20.0;
        for l in &mut scenario.topology.links {
            l.rtt = rtt.clone();
        }
        let model = scenario.validate().expect("valid");
        let mut sim = Simulation::new(model);
        sim.run();
        let report = sim.report();
        println!(
            "{label:>16}: staleness p99 {:.0} ms, write p99 {:.0} ms",
            report.staleness.p99, report.write_latency.p99
        );
    }
}
