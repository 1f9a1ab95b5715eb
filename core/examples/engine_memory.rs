//! Peak memory of a whole run, for checking that it stays flat in the simulated duration.
//!
//! ```sh
//! cargo build --release -p meridian-core --example engine_memory
//! /usr/bin/time -v target/release/examples/engine_memory 60
//! /usr/bin/time -v target/release/examples/engine_memory 600
//! ```
//!
//! Runs the `sg-us-wallet` preset with its duration replaced by the argument (seconds, default
//! 60) and prints the requests simulated; `/usr/bin/time` reports the peak RSS.

use meridian_core::scenario::Scenario;
use meridian_core::sim::Simulation;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let duration_s: f64 = match std::env::args().nth(1) {
        Some(arg) => arg
            .parse()
            .map_err(|e| format!("duration_s '{arg}': {e}"))?,
        None => 60.0,
    };
    let mut scenario = Scenario::preset("sg-us-wallet")?;
    scenario.duration_s = duration_s;
    let model = scenario.validate()?;
    let mut sim = Simulation::new(model);
    sim.run();
    let report = sim.report();
    let c = &report.counters;
    println!(
        "sg-us-wallet duration_s={duration_s} requests={} reads={} writes={} events={}",
        c.reads + c.writes,
        c.reads,
        c.writes,
        report.events
    );
    Ok(())
}
