//! PBS against a fact known without the simulator: with zero-time acknowledgement and
//! read-request legs, at t = 0 exactly the W replicas that applied the write first hold it, and
//! the read's R replicas are an independent random choice, so a read is stale with probability
//! C(N - W, R) / C(N, R) (Bailis et al., the non-expanding quorum case).

use meridian_core::dist::Dist;
use meridian_core::pbs::{PbsConfig, WarsLegs};

/// C(n, k) by the multiplicative formula, exact for these sizes.
fn binomial(n: u32, k: u32) -> f64 {
    if k > n {
        return 0.0;
    }
    (0..k).fold(1.0, |acc, i| acc * f64::from(n - i) / f64::from(i + 1))
}

#[test]
fn stale_reads_at_commit_follow_the_random_quorum_formula() {
    assert!((binomial(2, 1) / binomial(3, 1) - 2.0 / 3.0).abs() < 1e-15);
    let legs = WarsLegs {
        w: Dist::exponential(5.0),
        a: Dist::constant(0.0),
        r: Dist::constant(0.0),
        s: Dist::exponential(2.0),
        remote_delay_ms: 0.0,
    };
    let trials = 200_000;
    for (i, (n, r, w)) in [(3, 1, 1), (3, 1, 2), (5, 2, 1), (5, 1, 3), (10, 3, 2)]
        .into_iter()
        .enumerate()
    {
        let seed = 0xC0FFEE + i as u64;
        let config = PbsConfig {
            trials,
            seed,
            t_ms: vec![0.0],
            ..PbsConfig::with_legs(legs.clone(), n, r, w)
        };
        let report = config.run().unwrap();
        let stale = 1.0 - report.consistency[0].p_consistent;
        let want = binomial(n - w, r) / binomial(n, r);
        let five_sigma = 5.0 * (want * (1.0 - want) / trials as f64).sqrt();
        assert!(
            (stale - want).abs() <= five_sigma + 1e-12,
            "N={n} R={r} W={w}: P(stale) = {stale}, closed form {want} \
             (seed {seed:#x}, {trials} trials, tolerance {five_sigma})"
        );
    }
}
