//! Throughput of the seed-compatible Kata 86 model, end to end (draws, tallies, percentiles).
//!
//! `cargo bench -p meridian-core --bench kata86`

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use meridian_core::kata86::{Kata86Params, ReadStrategy, Region};
use std::hint::black_box;

fn kata86(c: &mut Criterion) {
    let mut group = c.benchmark_group("kata86");
    group.sample_size(10);
    for iterations in [100_000u64, 10_000_000] {
        group.throughput(Throughput::Elements(iterations));
        group.bench_with_input(
            BenchmarkId::new("us_client_fallback", iterations),
            &iterations,
            |b, &iterations| {
                let params = Kata86Params {
                    iterations,
                    client: Region::Us,
                    leader: Region::Sg,
                    strategy: ReadStrategy::LocalThenLeaderIfStale,
                    ..Kata86Params::default()
                };
                b.iter(|| black_box(params).run().expect("valid parameters").summary);
            },
        );
    }
    group.finish();
}

criterion_group!(benches, kata86);
criterion_main!(benches);
