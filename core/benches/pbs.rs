//! Throughput of the PBS WARS Monte Carlo, end to end (draws, quorum logic, per-t counters,
//! histograms and the report), for the paper's `lnkd-disk` fit with N = 3, R = W = 1 and
//! t = 0, 1, 5, 10, 50, 100 ms: on one thread (`run`) and on two (`run_parallel`, the same
//! report).
//!
//! `cargo bench -p meridian-core --bench pbs`; compare with `python3 benches/pbs_numpy.py`.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use meridian_core::pbs::{PbsConfig, Preset};
use std::hint::black_box;

const TRIALS: u64 = 1_000_000;

fn pbs(c: &mut Criterion) {
    let config = PbsConfig {
        trials: TRIALS,
        seed: 1,
        t_ms: vec![0.0, 1.0, 5.0, 10.0, 50.0, 100.0],
        target: 0.999,
        ..PbsConfig::preset(Preset::LnkdDisk, 3, 1, 1)
    };
    let mut group = c.benchmark_group("pbs_lnkd_disk_n3_r1_w1");
    group.sample_size(10);
    group.throughput(Throughput::Elements(TRIALS));
    for threads in [1usize, 2] {
        group.bench_with_input(
            BenchmarkId::new("threads", threads),
            &threads,
            |b, &threads| {
                b.iter(|| {
                    if threads == 1 {
                        black_box(&config).run()
                    } else {
                        black_box(&config).run_parallel(threads)
                    }
                    .expect("valid configuration")
                });
            },
        );
    }
    group.finish();
}

criterion_group!(benches, pbs);
criterion_main!(benches);
