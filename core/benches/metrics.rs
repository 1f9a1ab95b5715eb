//! Cost of the streaming histogram: `record` in steady state (counters already allocated), and
//! the read side (`merge`, `summary_ms`) for scale.
//!
//! `cargo bench -p meridian-core --bench metrics`

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use meridian_core::metrics::LogHistogram;
use meridian_core::rng::SimRng;
use std::hint::black_box;

/// Samples per measured iteration.
const N: usize = 100_000;

/// Replica-lag-like microsecond samples: 150 to 350 ms, with 2% spikes of 4 to 8 s.
fn lag_samples(seed: u64) -> Vec<u64> {
    let mut rng = SimRng::new(seed);
    (0..N)
        .map(|_| {
            let lag = 150_000 + rng.below(200_000);
            if rng.chance(0.02) {
                lag + 4_000_000 + rng.below(4_000_000)
            } else {
                lag
            }
        })
        .collect()
}

/// Samples spread over every magnitude from 1 µs to about 10^13 µs.
fn wide_samples(seed: u64) -> Vec<u64> {
    let mut rng = SimRng::new(seed);
    (0..N)
        .map(|_| rng.below(10_000_000_000_000) >> rng.below(44))
        .collect()
}

fn record(c: &mut Criterion) {
    let mut group = c.benchmark_group("metrics/record");
    group.throughput(Throughput::Elements(N as u64));
    for (name, samples) in [("replica_lag", lag_samples(1)), ("wide", wide_samples(2))] {
        group.bench_with_input(BenchmarkId::from_parameter(name), &samples, |b, samples| {
            // Steady state: the counters for the samples' range exist before timing starts.
            let mut h: LogHistogram = samples.iter().copied().collect();
            b.iter(|| {
                for &v in samples {
                    h.record(black_box(v));
                }
            });
            black_box(h.count());
        });
    }
    group.finish();
}

fn read_side(c: &mut Criterion) {
    let a: LogHistogram = wide_samples(3).into_iter().collect();
    let b: LogHistogram = lag_samples(4).into_iter().collect();
    c.bench_function("metrics/merge", |bench| {
        bench.iter(|| {
            let mut m = a.clone();
            m.merge(black_box(&b));
            m
        });
    });
    c.bench_function("metrics/summary_ms", |bench| {
        bench.iter(|| black_box(&a).summary_ms());
    });
}

criterion_group!(benches, record, read_side);
criterion_main!(benches);
