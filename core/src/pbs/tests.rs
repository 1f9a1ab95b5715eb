//! Tests of the PBS runner: quorums, sampling paths, parts, presets, validation, histogram.

use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use super::fastmath::FastMath;
use super::histogram::MillisHistogram;
use super::sampler::Leg;
use super::*;
use crate::dist::Dist;
use crate::rng::SimRng;

fn config(legs: WarsLegs, n: u32, r: u32, w: u32, trials: u64, seed: u64) -> PbsConfig {
    PbsConfig {
        trials,
        seed,
        ..PbsConfig::with_legs(legs, n, r, w)
    }
}

#[test]
fn strict_quorums_are_never_stale() {
    for preset in Preset::ALL {
        for (n, r, w) in [(3, 2, 2), (3, 1, 3), (3, 3, 1), (5, 3, 3), (1, 1, 1)] {
            let mut c = config(preset.legs(), n, r, w, 5_000, 3);
            c.t_ms = vec![0.0];
            let report = c.run().unwrap();
            assert!(report.strict_quorum);
            assert_eq!(
                report.consistency[0].p_consistent, 1.0,
                "{preset} {n}/{r}/{w}"
            );
            assert_eq!(report.t_for_target_ms, 0.0);
        }
    }
}

#[test]
fn consistency_does_not_decrease_with_t() {
    let mut c = config(Preset::Ymmr.legs(), 5, 1, 2, 50_000, 11);
    c.t_ms = (0..200).map(|i| f64::from(i) * 2.5).rev().collect();
    let report = c.run().unwrap();
    let mut points = report.consistency.clone();
    points.sort_by(|a, b| a.t_ms.total_cmp(&b.t_ms));
    for pair in points.windows(2) {
        assert!(pair[0].p_consistent <= pair[1].p_consistent, "{pair:?}");
    }
    // Reported in the order requested.
    assert_eq!(report.consistency[0].t_ms, 497.5);
}

#[test]
fn same_seed_same_report_however_it_is_stepped() {
    let c = config(Preset::Wan.legs(), 3, 2, 1, 30_000, 42);
    let once = c.run().unwrap();
    assert_eq!(once, c.run().unwrap());
    let mut run = PbsRun::new(c.clone()).unwrap();
    while !run.is_finished() {
        run.step(777);
    }
    assert_eq!(run.trials_done(), 30_000);
    assert_eq!(run.report(), once);
    let other = config(Preset::Wan.legs(), 3, 2, 1, 30_000, 43)
        .run()
        .unwrap();
    assert_ne!(other.consistency, once.consistency);
}

/// Two-part mixtures the fast samplers cover, beyond the presets' legs.
fn other_two_part_legs() -> Vec<Dist> {
    vec![
        Dist::mixture([
            (1.0, Dist::pareto(2.0, 0.7)),
            (3.0, Dist::pareto(0.5, 25.0)),
        ]),
        Dist::mixture([
            (0.2, Dist::exponential(0.0)),
            (0.8, Dist::exponential(40.0)),
        ]),
        Dist::mixture([(5.0, Dist::pareto(0.0, 2.0)), (5.0, Dist::exponential(3.0))]),
        Dist::mixture([
            (0.01, Dist::pareto(1e3, 0.2)),
            (1.0, Dist::exponential(1e-3)),
        ]),
    ]
}

#[test]
fn fast_samplers_draw_what_dist_draws_within_the_error_bound() {
    let math = FastMath::new();
    let mut legs: Vec<Dist> = Preset::ALL
        .iter()
        .flat_map(|p| {
            let l = p.legs();
            [l.w, l.a, l.r, l.s]
        })
        .collect();
    legs.extend(other_two_part_legs());
    let mut worst = 0.0f64;
    for (i, dist) in legs.iter().enumerate() {
        let leg = Leg::compile(dist);
        assert!(matches!(leg, Leg::TwoPart(_)), "{dist:?}");
        let mut fast_rng = SimRng::new(100 + i as u64);
        let mut dist_rng = fast_rng.clone();
        for _ in 0..200_000 {
            let fast = leg.sample(dist, &math, &mut fast_rng);
            let exact = dist.sample_ms(&mut dist_rng);
            // The same draws: the generators stay in step.
            assert_eq!(fast_rng, dist_rng, "{dist:?}");
            assert!(fast.is_finite() && fast >= 0.0, "{dist:?}: {fast}");
            let diff = if fast == exact {
                0.0
            } else {
                ((fast - exact) / exact).abs()
            };
            worst = worst.max(diff);
            assert!(
                diff <= 1e-13,
                "{dist:?}: {fast} vs Dist::sample_ms {exact} (relative {diff:e})"
            );
        }
    }
    // 7.6e-15 when written: pinned loosely, so that a much worse approximation is noticed.
    assert!(worst > 0.0 && worst <= 1e-13, "{worst:e}");
    // Legs the fast path does not cover are sampled by Dist itself: other distributions,
    // and Paretos heavy-tailed enough to leave the domain of FastMath::exp2.
    let mut legs = Preset::LnkdDisk.legs();
    legs.r = Dist::log_normal(0.5, 0.3);
    legs.s = Dist::mixture([
        (1.0, Dist::pareto(1.0, 0.05)),
        (1.0, Dist::exponential(1.0)),
    ]);
    let run = PbsRun::new(config(legs, 3, 1, 1, 10, 1)).unwrap();
    assert!(matches!(run.legs[0], Leg::TwoPart(_)));
    assert!(matches!(run.legs[2], Leg::Any));
    assert!(matches!(run.legs[3], Leg::Any));
    assert!(run.batch.is_none());
}

#[test]
fn batched_and_trial_by_trial_sampling_give_the_same_report() {
    let mut cases: Vec<(WarsLegs, u32, u32, u32)> = Vec::new();
    for preset in Preset::ALL {
        for (n, r, w) in [
            (3, 1, 1),
            (3, 1, 3),
            (5, 2, 2),
            (5, 1, 3),
            (1, 1, 1),
            (64, 3, 1),
        ] {
            cases.push((preset.legs(), n, r, w));
        }
    }
    for d in other_two_part_legs() {
        cases.push((WarsLegs::iid(d.clone(), d, 20.0), 4, 1, 2));
    }
    for (i, (legs, n, r, w)) in cases.into_iter().enumerate() {
        let trials = if n == 64 { 3_000 } else { 40_000 };
        let batched = PbsRun::new(config(legs, n, r, w, trials, 50 + i as u64)).unwrap();
        assert!(batched.batch.is_some());
        let mut one_by_one = batched.clone();
        one_by_one.batch = None;
        let (mut batched, mut one_by_one) = (batched, one_by_one);
        batched.step(u64::MAX);
        one_by_one.step(u64::MAX);
        assert_eq!(batched.report(), one_by_one.report(), "case {i}");
    }
}

#[test]
fn fast_and_dist_sampled_runs_agree() {
    // The samples differ in the last digits only, so the reports agree but for the exact
    // mean and maximum (and, very rarely, a trial on a bucket's or a t's edge).
    for preset in Preset::ALL {
        let c = config(preset.legs(), 5, 2, 2, 40_000, 9);
        let fast = PbsRun::new(c.clone()).unwrap();
        assert!(fast.legs.iter().all(|l| matches!(l, Leg::TwoPart(_))));
        let mut general = fast.clone();
        general.legs = [Leg::Any; 4];
        general.batch = None;
        let (mut fast, mut general) = (fast, general);
        fast.step(u64::MAX);
        general.step(u64::MAX);
        let (a, b) = (fast.report(), general.report());
        for (x, y) in a.consistency.iter().zip(&b.consistency) {
            assert!(
                (x.p_consistent - y.p_consistent).abs() <= 2.0 / 40_000.0,
                "{preset}: {x:?} vs {y:?}"
            );
        }
        let close = |x: f64, y: f64, tol: f64| (x - y).abs() <= tol * y.abs();
        assert!(
            close(a.t_for_target_ms, b.t_for_target_ms, 0.01),
            "{preset}"
        );
        for (x, y) in [
            (a.read_latency_ms, b.read_latency_ms),
            (a.write_latency_ms, b.write_latency_ms),
        ] {
            assert!(close(x.mean, y.mean, 1e-12), "{preset}: {x:?} vs {y:?}");
            assert!(close(x.max, y.max, 1e-12), "{preset}: {x:?} vs {y:?}");
            for (p, q) in [
                (x.p50, y.p50),
                (x.p95, y.p95),
                (x.p99, y.p99),
                (x.p999, y.p999),
            ] {
                assert!(close(p, q, 0.01), "{preset}: {x:?} vs {y:?}");
            }
        }
    }
}

#[test]
fn parts_merged_in_any_order_equal_the_whole_run() {
    // Not a multiple of the block size, so the last block is short.
    let c = config(
        Preset::LnkdDisk.legs(),
        3,
        1,
        2,
        3 * BLOCK_TRIALS + 1234,
        77,
    );
    let whole = c.run().unwrap();
    let mut parts: Vec<PbsRun> = (0..4)
        .map(|i| PbsRun::part(c.clone(), i, 4).unwrap())
        .collect();
    assert_eq!(
        parts.iter().map(PbsRun::trials_total).sum::<u64>(),
        c.trials
    );
    for p in &mut parts {
        p.step(u64::MAX);
    }
    let mut merged = parts.pop().unwrap();
    for p in parts.iter().rev() {
        merged.merge(p);
    }
    assert_eq!(merged.report(), whole);
    assert_eq!(c.run_parallel(3).unwrap(), whole);
    // More parts than blocks: some parts are empty.
    assert_eq!(c.run_parallel(7).unwrap(), whole);
}

#[test]
fn t_for_target_is_reached_on_the_same_trials() {
    let mut c = config(Preset::LnkdDisk.legs(), 3, 1, 1, 100_000, 5);
    c.target = 0.99;
    let report = c.run().unwrap();
    let t = report.t_for_target_ms;
    assert!(t > 0.0);
    c.t_ms = vec![t, t / 1.01];
    let again = c.run().unwrap();
    assert!(again.consistency[0].p_consistent >= 0.99, "{again:?}");
    // Rounded up by less than 0.8%: just below, the target is not reached.
    assert!(again.consistency[1].p_consistent < 0.99, "{again:?}");
}

#[test]
fn presets_reproduce_the_papers_figures() {
    // Section 5.6 and Table 4 of the paper, N = 3, R = W = 1. Tolerances allow for Monte
    // Carlo noise in the paper's figures and ours.
    let seed = 2012;
    let run = |preset: Preset| {
        let mut c = config(preset.legs(), 3, 1, 1, 100_000, seed);
        c.t_ms = vec![0.0, 10.0];
        c.run().unwrap()
    };
    let close = |got: f64, want: f64, tol: f64, what: &str| {
        assert!(
            (got - want).abs() <= tol,
            "{what}: got {got}, paper {want} (seed {seed})"
        );
    };
    let disk = run(Preset::LnkdDisk);
    close(
        disk.consistency[0].p_consistent,
        0.439,
        0.01,
        "lnkd-disk t=0",
    );
    close(
        disk.consistency[1].p_consistent,
        0.925,
        0.01,
        "lnkd-disk t=10",
    );
    close(
        disk.read_latency_ms.p999,
        0.66,
        0.05,
        "lnkd-disk read p99.9",
    );
    close(
        disk.write_latency_ms.p999,
        10.99,
        1.5,
        "lnkd-disk write p99.9",
    );
    let ssd = run(Preset::LnkdSsd);
    close(
        ssd.consistency[0].p_consistent,
        0.975,
        0.005,
        "lnkd-ssd t=0",
    );
    close(
        ssd.consistency[1].p_consistent,
        1.0,
        0.0005,
        "lnkd-ssd t=10",
    );
    let ymmr = run(Preset::Ymmr);
    close(ymmr.consistency[0].p_consistent, 0.893, 0.01, "ymmr t=0");
    close(ymmr.consistency[1].p_consistent, 0.939, 0.01, "ymmr t=10");
    let wan = run(Preset::Wan);
    // Only the replica local to both coordinators can be consistent before 75 ms.
    assert!(wan.consistency[1].p_consistent < 0.5, "{wan:?}");
    close(wan.read_latency_ms.p999, 3.4, 0.5, "wan read p99.9");
}

#[test]
fn k_staleness_matches_the_papers_examples() {
    let close = |a: f64, b: f64| (a - b).abs() < 1e-12;
    assert!(close(k_staleness(3, 1, 1, 1), 1.0 / 3.0));
    assert!(close(k_staleness(3, 1, 1, 2), 5.0 / 9.0));
    assert!(close(k_staleness(3, 1, 1, 3), 19.0 / 27.0));
    assert!(close(k_staleness(3, 1, 2, 2), 8.0 / 9.0));
    assert!(close(k_staleness(3, 2, 1, 1), 2.0 / 3.0));
    assert_eq!(k_staleness(3, 2, 2, 1), 1.0);
    // N = 100, R = W = 30: P(stale) = 1.88e-6.
    let stale = 1.0 - k_staleness(100, 30, 30, 1);
    assert!((stale - 1.88e-6).abs() < 0.01e-6, "{stale}");
}

#[test]
fn validation_names_the_field() {
    let path = |c: PbsConfig| -> String { c.validate().unwrap_err().path };
    let base = PbsConfig::preset(Preset::LnkdDisk, 3, 1, 1);
    assert_eq!(base.validate(), Ok(()));
    assert_eq!(
        path(PbsConfig {
            n: 0,
            ..base.clone()
        }),
        "n"
    );
    assert_eq!(
        path(PbsConfig {
            n: 65,
            ..base.clone()
        }),
        "n"
    );
    let e = PbsConfig {
        r: 4,
        ..base.clone()
    }
    .validate()
    .unwrap_err();
    assert_eq!(
        (e.path.as_str(), e.allowed.as_str()),
        ("r", "an integer from 1 to n (3)")
    );
    assert_eq!(
        path(PbsConfig {
            w: 0,
            ..base.clone()
        }),
        "w"
    );
    assert_eq!(
        path(PbsConfig {
            trials: 0,
            ..base.clone()
        }),
        "trials"
    );
    assert_eq!(
        path(PbsConfig {
            target: 0.0,
            ..base.clone()
        }),
        "target"
    );
    assert_eq!(
        path(PbsConfig {
            target: 1.5,
            ..base.clone()
        }),
        "target"
    );
    assert_eq!(
        path(PbsConfig {
            target: f64::NAN,
            ..base.clone()
        }),
        "target"
    );
    let t = PbsConfig {
        t_ms: vec![0.0, 1.0, -1.0],
        ..base.clone()
    };
    assert_eq!(path(t), "t_ms[2]");
    let mut bad_leg = base.clone();
    bad_leg.legs.a = Dist::mixture([(1.0, Dist::pareto(1.0, 0.0))]);
    assert_eq!(path(bad_leg), "legs.a.components[0].dist.shape");
    let mut bad_remote = base;
    bad_remote.legs.remote_delay_ms = -75.0;
    assert_eq!(path(bad_remote), "legs.remote_delay_ms");
}

#[test]
fn histogram_quantiles_are_within_their_error_bounds() {
    let mut h = MillisHistogram::new();
    let values: Vec<f64> = (1..=100_000).map(|i| f64::from(i) * 0.013).collect();
    for &v in &values {
        h.record(v);
    }
    for q in [0.001, 0.25, 0.5, 0.95, 0.99, 0.999, 1.0] {
        let exact = values[(libm::ceil(q * values.len() as f64) as usize).max(1) - 1];
        let mid = h.quantile_mid(q);
        let upper = h.quantile_upper(q);
        assert!(
            (mid - exact).abs() <= exact / 256.0 + 1e-12,
            "q={q}: {mid} vs {exact}"
        );
        assert!(
            upper >= exact && upper <= exact * (1.0 + 1.0 / 128.0),
            "q={q}: {upper}"
        );
    }
    assert_eq!(h.summary().max, 1300.0);
    // Values below 2^-24 ms count as 0; the largest keeps its exact value in the summary.
    let mut z = MillisHistogram::new();
    for x in [0.0, 0.0, 1e-9, 1e12] {
        z.record(x);
    }
    assert_eq!(z.quantile_mid(0.5), 0.0);
    assert_eq!(z.quantile_upper(0.75), 0.0);
    assert!((z.quantile_mid(1.0) - 1e12).abs() <= 1e12 / 256.0);
    assert_eq!(z.quantile_upper(1.0), 1e12);
    assert_eq!(z.summary().max, 1e12);
    // The summary is the crate's one summary type: exact count, minimum and maximum, ordered
    // percentiles; all zero when nothing was recorded.
    let s = z.summary();
    assert_eq!((s.count, s.min, s.max), (4, 0.0, 1e12));
    assert!(s.min <= s.p50 && s.p50 <= s.p90 && s.p90 <= s.p95);
    assert!(s.p95 <= s.p99 && s.p99 <= s.p999 && s.p999 <= s.max);
    assert_eq!(
        MillisHistogram::new().summary(),
        crate::metrics::Summary::default()
    );
}

#[test]
fn presets_parse_and_serialise_by_name() {
    for p in Preset::ALL {
        assert_eq!(p.name().parse::<Preset>(), Ok(p));
        assert_eq!(
            serde_json::to_string(&p).unwrap(),
            alloc::format!("\"{}\"", p.name())
        );
        assert_eq!(p.legs().validate(), Ok(()));
    }
    assert_eq!("LNKD-DISK".parse::<Preset>(), Ok(Preset::LnkdDisk));
    assert!("lnkd".parse::<Preset>().is_err());
    assert_eq!(Preset::Wan.legs().remote_delay_ms, 75.0);
}

#[test]
fn config_and_report_round_trip_through_json() {
    let c = PbsConfig {
        trials: 1000,
        ..PbsConfig::preset(Preset::Ymmr, 3, 2, 1)
    };
    let text = serde_json::to_string(&c).unwrap();
    assert_eq!(serde_json::from_str::<PbsConfig>(&text).unwrap(), c);
    let report = c.run().unwrap();
    let text = serde_json::to_string(&report).unwrap();
    // serde_json's default float parsing may differ in the last bit, so compare the parts
    // that are exact.
    let back = serde_json::from_str::<PbsReport>(&text).unwrap();
    assert_eq!((back.trials, back.seed, &back.legs), (1000, 1, &c.legs));
    assert_eq!(back.consistency.len(), report.consistency.len());
    assert_eq!(back.k_staleness.len(), K_STALENESS_MAX as usize);
    // Defaults fill in what a document leaves out.
    let minimal = r#"{"n":3,"r":1,"w":1,"legs":{"w":{"kind":"constant","ms":1},
        "a":{"kind":"constant","ms":1},"r":{"kind":"constant","ms":1},
        "s":{"kind":"constant","ms":1}}}"#;
    let parsed: PbsConfig = serde_json::from_str(minimal).unwrap();
    assert_eq!(parsed.trials, DEFAULT_TRIALS);
    assert_eq!(parsed.t_ms, DEFAULT_T_MS.to_vec());
    assert_eq!(parsed.legs.remote_delay_ms, 0.0);
}
