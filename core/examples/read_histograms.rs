//! Reading a run's histograms: the bars behind the report's percentiles, overall and for the
//! clients of one home region, printed as a text chart.
//!
//! ```sh
//! cargo run --release -p meridian-core --example read_histograms
//! ```

use meridian_core::scenario::Scenario;
use meridian_core::sim::Simulation;

fn main() {
    let model = Scenario::preset("aws8-single-leader")
        .expect("a preset")
        .validate()
        .expect("valid");
    let regions: Vec<String> = model
        .topology
        .regions()
        .iter()
        .map(|r| r.id.clone())
        .collect();
    let mut sim = Simulation::new(model);
    sim.run();
    let report = sim.report();
    let h = sim.histograms();
    println!(
        "read latency, all clients (p95 {:.1} ms):",
        report.read_latency.p95
    );
    let bars = &h.read_latency.overall;
    let most = bars.iter().map(|b| b.count).max().unwrap_or(1).max(1);
    for b in bars.iter().filter(|b| b.count > 0) {
        let width = (b.count * 50).div_ceil(most) as usize;
        println!(
            "{:>8.1}–{:<8.1} ms {:>7} {}",
            b.lo_ms,
            b.hi_ms,
            b.count,
            "#".repeat(width)
        );
    }
    // Per home region: the same bars, one list per region in topology order.
    for (id, bars) in regions.iter().zip(&h.read_latency.regions) {
        let reads: u64 = bars.iter().map(|b| b.count).sum();
        let slowest = bars
            .iter()
            .rev()
            .find(|b| b.count > 0)
            .map_or(0.0, |b| b.hi_ms);
        println!("{id:>15}: {reads:>7} reads, slowest bar ends at {slowest:.1} ms");
    }
}
