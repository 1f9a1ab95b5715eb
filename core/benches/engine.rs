//! Throughput of the discrete-event engine in simulated requests per second, end to end:
//! `Simulation::new`, `run` and `report` (percentiles and SLO verdicts included).
//!
//! `cargo bench -p meridian-core --bench engine`
//!
//! Each preset runs once before measuring to count its requests (reads + writes); the run is
//! deterministic, so every measured iteration simulates exactly that many.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use meridian_core::scenario::Scenario;
use meridian_core::sim::{Model, Simulation};
use std::hint::black_box;

/// Healthy runs, then runs with a fault schedule (the same workloads as sg-us-wallet and
/// aws8-single-leader, plus failover, a timeline and the failure log).
const PRESETS: [&str; 5] = [
    "sg-us-wallet",
    "aws8-multi-leader",
    "quorum-r2w2",
    "sg-down-promote",
    "aws8-region-outage",
];

fn model(name: &str) -> Model {
    Scenario::preset(name)
        .expect("shipped preset")
        .validate()
        .expect("presets are valid")
}

fn simulate(model: Model) -> meridian_core::sim::Report {
    let mut sim = Simulation::new(model);
    sim.run();
    sim.report()
}

fn engine(c: &mut Criterion) {
    let mut group = c.benchmark_group("engine");
    group.sample_size(10);
    for name in PRESETS {
        let model = model(name);
        let warm = simulate(model.clone());
        let requests = warm.counters.reads + warm.counters.writes;
        group.throughput(Throughput::Elements(requests));
        group.bench_with_input(BenchmarkId::new("requests", name), &model, |b, model| {
            b.iter(|| black_box(simulate(black_box(model.clone()))));
        });
    }
    group.finish();
}

criterion_group!(benches, engine);
criterion_main!(benches);
