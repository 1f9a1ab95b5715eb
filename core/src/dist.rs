//! Latency distributions for scenario documents: how long a network hop, a disk write or a
//! replication step takes, in milliseconds.
//!
//! A [`Dist`] is plain data that reads and writes as a tagged table in TOML or JSON, for example
//! `{ kind = "log_normal", median_ms = 20, sigma = 0.5 }`, and can be checked with
//! [`Dist::validate`] (errors name the field, e.g. `components[1].dist.shape`) before it is
//! sampled with [`Dist::sample_ms`] or [`Dist::sample`].
//!
//! ## Why hand-written samplers
//!
//! The samplers are written here on top of [`libm`] and [`SimRng`] rather than taken from
//! `rand_distr`, for two reasons:
//!
//! * **Bit-identical results everywhere.** A report must reproduce to the last bit natively and in
//!   WebAssembly. std's `f64::ln`, `exp` or `powf` call the platform's maths library, whose last
//!   bits differ between targets; `libm` is the same Rust code on every target. Each sampler also
//!   uses a fixed number of draws from a fixed formula (inverse CDF, Box–Muller), so the stream of
//!   random numbers consumed is pinned too.
//! * **`no_std`.** The crate builds for `wasm32v1-none`, without std's floating-point functions.
//!
//! Sampling never allocates, and every sample is finite and non-negative, whatever the
//! parameters (values that would be negative, NaN or infinite are clamped).

use alloc::boxed::Box;
use alloc::format;
use alloc::vec::Vec;
use core::f64::consts::{LOG2_E, PI, SQRT_2};

use serde::{Deserialize, Serialize};

use crate::error::FieldError;
use crate::rng::SimRng;
use crate::time::SimDuration;

/// Deepest nesting of [`Dist::Mixture`] and [`Dist::Shifted`] that [`Dist::validate`] accepts: a
/// distribution may sit inside at most this many enclosing distributions.
pub const MAX_NESTING: usize = 8;

/// A distribution of durations, in milliseconds.
///
/// Construct one with the helpers ([`Dist::constant`], [`Dist::uniform`], ...), which do not
/// validate, or read one from a scenario document, then check it with [`Dist::validate`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Dist {
    /// Always `ms`.
    Constant {
        /// The value, in milliseconds.
        ms: f64,
    },
    /// Uniform on `[min_ms, max_ms)`.
    Uniform {
        /// Lower bound, in milliseconds.
        min_ms: f64,
        /// Upper bound, in milliseconds (at least `min_ms`).
        max_ms: f64,
    },
    /// Normal (Gaussian) with the given mean and standard deviation. Samples below 0 are clamped
    /// to 0, so the distribution is censored at zero and its mean is slightly above `mean_ms`
    /// when `std_ms` is not small against `mean_ms` (see [`Dist::mean_ms`]).
    Normal {
        /// Mean of the underlying normal, in milliseconds.
        mean_ms: f64,
        /// Standard deviation, in milliseconds.
        std_ms: f64,
    },
    /// Log-normal: `ln X` is normal with mean `ln median_ms` and standard deviation `sigma`.
    LogNormal {
        /// Median, in milliseconds.
        median_ms: f64,
        /// Standard deviation of `ln X` (dimensionless).
        sigma: f64,
    },
    /// Exponential with the given mean (rate `1 / mean_ms` per millisecond).
    Exponential {
        /// Mean, in milliseconds.
        mean_ms: f64,
    },
    /// Pareto (type I): `P(X > x) = (scale_ms / x)^shape` for `x >= scale_ms`.
    Pareto {
        /// Scale `x_m`, the smallest value, in milliseconds.
        scale_ms: f64,
        /// Shape `alpha` (> 0); the mean exists only for `shape > 1`.
        shape: f64,
    },
    /// A weighted mixture: each sample comes from one component, chosen with probability
    /// proportional to its weight. Weights need not sum to 1; they are normalised.
    Mixture {
        /// The components, at least one.
        components: Vec<Weighted>,
    },
    /// An empirical distribution given by points of its quantile function (inverse CDF), sampled
    /// by linear interpolation between the points.
    Empirical {
        /// The points: `p` strictly increasing from exactly 0 to exactly 1, `ms` non-decreasing.
        quantiles: Vec<QuantilePoint>,
    },
    /// `offset_ms` plus a sample of `dist`.
    Shifted {
        /// Added to every sample, in milliseconds.
        offset_ms: f64,
        /// The distribution shifted.
        dist: Box<Dist>,
    },
}

/// A component of a [`Dist::Mixture`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Weighted {
    /// Relative weight (> 0).
    pub weight: f64,
    /// The component's distribution.
    pub dist: Dist,
}

impl Weighted {
    /// A component of weight `weight`.
    pub fn new(weight: f64, dist: Dist) -> Self {
        Weighted { weight, dist }
    }
}

/// A point of a [`Dist::Empirical`] quantile table: a fraction `p` of samples is at most `ms`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuantilePoint {
    /// Cumulative probability, from 0 to 1.
    pub p: f64,
    /// The quantile at `p`, in milliseconds.
    pub ms: f64,
}

impl QuantilePoint {
    /// The point `(p, ms)`.
    pub fn new(p: f64, ms: f64) -> Self {
        QuantilePoint { p, ms }
    }
}

/// Largest time parameter accepted, in milliseconds (one day): a distribution of network or
/// apply delays beyond that is a typing slip, and would stretch a run over idle simulated time.
pub const MAX_PARAM_MS: f64 = 86_400_000.0;
/// Largest log-normal `sigma` accepted: at 10 the p99.9 is already e^31 times the median.
pub const MAX_SIGMA: f64 = 10.0;

const MS_RANGE: &str = "a number of ms from 0 to 86400000 (one day)";
const POSITIVE: &str = "a finite number > 0";

/// A time parameter: finite, from 0 to [`MAX_PARAM_MS`].
fn check_ms(path: &str, x: f64) -> Result<(), FieldError> {
    if x.is_finite() && (0.0..=MAX_PARAM_MS).contains(&x) {
        Ok(())
    } else {
        Err(FieldError::new(path, x, MS_RANGE))
    }
}

fn check_positive(path: &str, x: f64) -> Result<(), FieldError> {
    if x.is_finite() && x > 0.0 {
        Ok(())
    } else {
        Err(FieldError::new(path, x, POSITIVE))
    }
}

/// Clamps a raw sample to a finite, non-negative value.
#[inline]
fn clamp_sample(x: f64) -> f64 {
    if x >= 0.0 {
        // Also maps +inf to the largest finite value.
        x.min(f64::MAX)
    } else {
        // Negative or NaN.
        0.0
    }
}

/// A standard normal deviate by the Box–Muller transform (two uniform draws; the second deviate
/// of the pair is not kept, so a distribution stays stateless).
#[inline]
fn standard_normal(rng: &mut SimRng) -> f64 {
    let u1 = rng.next_f64_nonzero();
    let u2 = rng.next_f64();
    libm::sqrt(-2.0 * libm::log(u1)) * libm::cos(2.0 * PI * u2)
}

impl Dist {
    /// Always `ms`.
    pub fn constant(ms: f64) -> Self {
        Dist::Constant { ms }
    }

    /// Uniform on `[min_ms, max_ms)`.
    pub fn uniform(min_ms: f64, max_ms: f64) -> Self {
        Dist::Uniform { min_ms, max_ms }
    }

    /// Normal, clamped at 0.
    pub fn normal(mean_ms: f64, std_ms: f64) -> Self {
        Dist::Normal { mean_ms, std_ms }
    }

    /// Log-normal with the given median and log-scale standard deviation.
    pub fn log_normal(median_ms: f64, sigma: f64) -> Self {
        Dist::LogNormal { median_ms, sigma }
    }

    /// Exponential with the given mean.
    pub fn exponential(mean_ms: f64) -> Self {
        Dist::Exponential { mean_ms }
    }

    /// Pareto with scale `x_m = scale_ms` and shape `alpha = shape`.
    pub fn pareto(scale_ms: f64, shape: f64) -> Self {
        Dist::Pareto { scale_ms, shape }
    }

    /// A mixture of `(weight, dist)` components.
    pub fn mixture(components: impl IntoIterator<Item = (f64, Dist)>) -> Self {
        Dist::Mixture {
            components: components
                .into_iter()
                .map(|(weight, dist)| Weighted { weight, dist })
                .collect(),
        }
    }

    /// An empirical distribution from `(p, ms)` points of its quantile function.
    pub fn empirical(points: impl IntoIterator<Item = (f64, f64)>) -> Self {
        Dist::Empirical {
            quantiles: points
                .into_iter()
                .map(|(p, ms)| QuantilePoint { p, ms })
                .collect(),
        }
    }

    /// `offset_ms` plus a sample of `dist`.
    pub fn shifted(offset_ms: f64, dist: Dist) -> Self {
        Dist::Shifted {
            offset_ms,
            dist: Box::new(dist),
        }
    }

    /// A uniform base on `[base_min_ms, base_max_ms)` with, with probability `spike_probability`,
    /// a spike drawn uniformly from `[spike_min_ms, spike_max_ms)` instead.
    ///
    /// This is the shape of the Kata 86 replication lag: `Dist::spiky(150.0, 350.0, 0.02, 4150.0,
    /// 8350.0)` is 150–350 ms, with 2% of samples at 4.15–8.35 s. A probability of 0 or less gives
    /// the plain base, 1 or more the plain spike distribution (a mixture needs positive weights).
    pub fn spiky(
        base_min_ms: f64,
        base_max_ms: f64,
        spike_probability: f64,
        spike_min_ms: f64,
        spike_max_ms: f64,
    ) -> Self {
        let base = Dist::uniform(base_min_ms, base_max_ms);
        let spike = Dist::uniform(spike_min_ms, spike_max_ms);
        if spike_probability <= 0.0 {
            base
        } else if spike_probability >= 1.0 {
            spike
        } else {
            Dist::mixture([(1.0 - spike_probability, base), (spike_probability, spike)])
        }
    }

    /// The variant's name as written in documents (`"log_normal"`, ...).
    pub fn kind(&self) -> &'static str {
        match self {
            Dist::Constant { .. } => "constant",
            Dist::Uniform { .. } => "uniform",
            Dist::Normal { .. } => "normal",
            Dist::LogNormal { .. } => "log_normal",
            Dist::Exponential { .. } => "exponential",
            Dist::Pareto { .. } => "pareto",
            Dist::Mixture { .. } => "mixture",
            Dist::Empirical { .. } => "empirical",
            Dist::Shifted { .. } => "shifted",
        }
    }

    /// Checks every parameter: times from 0 to [`MAX_PARAM_MS`], `min_ms <= max_ms`, `sigma`
    /// from 0 to [`MAX_SIGMA`], `shape > 0`, non-empty mixtures with positive weights,
    /// well-formed quantile tables and at most [`MAX_NESTING`] levels of nesting. The error's path is relative to this distribution,
    /// e.g. `std_ms`, `components[1].dist.shape` or `quantiles[3].p`.
    pub fn validate(&self) -> Result<(), FieldError> {
        self.validate_at(0)
    }

    fn validate_at(&self, depth: usize) -> Result<(), FieldError> {
        match self {
            Dist::Constant { ms } => check_ms("ms", *ms),
            Dist::Uniform { min_ms, max_ms } => {
                check_ms("min_ms", *min_ms)?;
                check_ms("max_ms", *max_ms)?;
                if max_ms < min_ms {
                    return Err(FieldError::new(
                        "max_ms",
                        max_ms,
                        format!("a finite number >= min_ms ({min_ms})"),
                    ));
                }
                Ok(())
            }
            Dist::Normal { mean_ms, std_ms } => {
                check_ms("mean_ms", *mean_ms)?;
                check_ms("std_ms", *std_ms)
            }
            Dist::LogNormal { median_ms, sigma } => {
                check_ms("median_ms", *median_ms)?;
                if sigma.is_finite() && (0.0..=MAX_SIGMA).contains(sigma) {
                    Ok(())
                } else {
                    Err(FieldError::new("sigma", sigma, "a number from 0 to 10"))
                }
            }
            Dist::Exponential { mean_ms } => check_ms("mean_ms", *mean_ms),
            Dist::Pareto { scale_ms, shape } => {
                check_ms("scale_ms", *scale_ms)?;
                check_positive("shape", *shape)
            }
            Dist::Mixture { components } => {
                if components.is_empty() {
                    return Err(FieldError::new(
                        "components",
                        "[]",
                        "at least one weighted component",
                    ));
                }
                let mut total = 0.0;
                for (i, c) in components.iter().enumerate() {
                    let at = |e: FieldError| e.within(&format!("[{i}]")).within("components");
                    check_positive("weight", c.weight).map_err(at)?;
                    c.dist
                        .validate_nested(depth + 1)
                        .map_err(|e| at(e.within("dist")))?;
                    total += c.weight;
                }
                if !total.is_finite() {
                    return Err(FieldError::new(
                        "components",
                        format!("weights summing to {total}"),
                        "weights with a finite sum",
                    ));
                }
                Ok(())
            }
            Dist::Empirical { quantiles } => validate_quantiles(quantiles),
            Dist::Shifted { offset_ms, dist } => {
                check_ms("offset_ms", *offset_ms)?;
                dist.validate_nested(depth + 1)
                    .map_err(|e| e.within("dist"))
            }
        }
    }

    fn validate_nested(&self, depth: usize) -> Result<(), FieldError> {
        if depth > MAX_NESTING {
            return Err(FieldError::new(
                "",
                format!("a nested {}", self.kind()),
                format!("at most {MAX_NESTING} levels of nested distributions"),
            ));
        }
        self.validate_at(depth)
    }

    /// A sample, in milliseconds: always finite and `>= 0`. Never allocates.
    #[inline]
    pub fn sample_ms(&self, rng: &mut SimRng) -> f64 {
        clamp_sample(self.sample_raw(rng))
    }

    /// A sample as a [`SimDuration`], rounded to the nearest microsecond.
    #[inline]
    pub fn sample(&self, rng: &mut SimRng) -> SimDuration {
        SimDuration::from_millis_f64(self.sample_ms(rng))
    }

    fn sample_raw(&self, rng: &mut SimRng) -> f64 {
        match self {
            Dist::Constant { ms } => *ms,
            Dist::Uniform { min_ms, max_ms } => min_ms + (max_ms - min_ms) * rng.next_f64(),
            Dist::Normal { mean_ms, std_ms } => {
                let x = mean_ms + std_ms * standard_normal(rng);
                if x > 0.0 { x } else { 0.0 }
            }
            Dist::LogNormal { median_ms, sigma } => {
                median_ms * libm::exp(sigma * standard_normal(rng))
            }
            Dist::Exponential { mean_ms } => -mean_ms * libm::log(rng.next_f64_nonzero()),
            Dist::Pareto { scale_ms, shape } => {
                let u = rng.next_f64_nonzero();
                if *scale_ms == 0.0 {
                    0.0
                } else {
                    // u^(-1/shape) as 2^(-ln(u) log2(e) / shape): the same inverse CDF, about
                    // three times faster than libm::pow, within a few ulps of it.
                    scale_ms * libm::exp2(libm::log(u) * (-LOG2_E / shape))
                }
            }
            Dist::Mixture { components } => {
                let total: f64 = components.iter().map(|c| c.weight).sum();
                let mut target = total * rng.next_f64();
                for c in components {
                    if target < c.weight {
                        return c.dist.sample_ms(rng);
                    }
                    target -= c.weight;
                }
                // Rounding (or an unvalidated weight) left the target past the end.
                components.last().map_or(0.0, |c| c.dist.sample_ms(rng))
            }
            Dist::Empirical { quantiles } => sample_quantiles(quantiles, rng.next_f64()),
            Dist::Shifted { offset_ms, dist } => offset_ms + dist.sample_ms(rng),
        }
    }

    /// The mean, in milliseconds, when it exists: `None` for a Pareto with `shape <= 1` (or a
    /// mixture or shift of one). For [`Dist::Normal`] this is the mean after clamping at 0.
    /// Assumes valid parameters.
    pub fn mean_ms(&self) -> Option<f64> {
        match self {
            Dist::Constant { ms } => Some(*ms),
            Dist::Uniform { min_ms, max_ms } => Some(0.5 * (min_ms + max_ms)),
            Dist::Normal { mean_ms, std_ms } => Some(censored_normal_mean(*mean_ms, *std_ms)),
            Dist::LogNormal { median_ms, sigma } => {
                Some(median_ms * libm::exp(0.5 * sigma * sigma))
            }
            Dist::Exponential { mean_ms } => Some(*mean_ms),
            Dist::Pareto { scale_ms, shape } => {
                (*shape > 1.0).then(|| shape * scale_ms / (shape - 1.0))
            }
            Dist::Mixture { components } => {
                let mut total = 0.0;
                let mut sum = 0.0;
                for c in components {
                    sum += c.weight * c.dist.mean_ms()?;
                    total += c.weight;
                }
                (total > 0.0).then(|| sum / total)
            }
            Dist::Empirical { quantiles } => Some(
                quantiles
                    .windows(2)
                    .map(|w| (w[1].p - w[0].p) * 0.5 * (w[0].ms + w[1].ms))
                    .sum(),
            ),
            Dist::Shifted { offset_ms, dist } => Some(offset_ms + dist.mean_ms()?),
        }
    }
}

/// `E[max(X, 0)]` for `X ~ N(mu, sigma)`: `mu Φ(mu/sigma) + sigma φ(mu/sigma)`.
fn censored_normal_mean(mu: f64, sigma: f64) -> f64 {
    if sigma <= 0.0 {
        return mu.max(0.0);
    }
    let z = mu / sigma;
    let cdf = 0.5 * libm::erfc(-z / SQRT_2);
    let pdf = libm::exp(-0.5 * z * z) / libm::sqrt(2.0 * PI);
    mu * cdf + sigma * pdf
}

fn validate_quantiles(q: &[QuantilePoint]) -> Result<(), FieldError> {
    if q.len() < 2 {
        return Err(FieldError::new(
            "quantiles",
            format!("{} point(s)", q.len()),
            "at least two points, the first at p = 0 and the last at p = 1",
        ));
    }
    let last = q.len() - 1;
    for (i, point) in q.iter().enumerate() {
        let at = |e: FieldError| e.within(&format!("[{i}]")).within("quantiles");
        if i == 0 {
            if point.p != 0.0 {
                return Err(at(FieldError::new("p", point.p, "0 (the first point)")));
            }
        } else {
            let prev = q[i - 1];
            if !(point.p > prev.p && point.p <= 1.0) {
                return Err(at(FieldError::new(
                    "p",
                    point.p,
                    format!("a number > {} and <= 1 (p strictly increasing)", prev.p),
                )));
            }
            if i == last && point.p != 1.0 {
                return Err(at(FieldError::new("p", point.p, "1 (the last point)")));
            }
        }
        check_ms("ms", point.ms).map_err(at)?;
        if i > 0 && point.ms < q[i - 1].ms {
            return Err(at(FieldError::new(
                "ms",
                point.ms,
                format!("a finite number >= {} (ms non-decreasing)", q[i - 1].ms),
            )));
        }
    }
    Ok(())
}

/// The interpolated quantile at `u` in `[0, 1)`.
#[inline]
fn sample_quantiles(q: &[QuantilePoint], u: f64) -> f64 {
    match q {
        [] => 0.0,
        [only] => only.ms,
        _ => {
            // First point with p > u; the segment is the one before it.
            let hi = q.partition_point(|pt| pt.p <= u).clamp(1, q.len() - 1);
            let (a, b) = (q[hi - 1], q[hi]);
            let width = b.p - a.p;
            if width > 0.0 {
                a.ms + (b.ms - a.ms) * ((u - a.p) / width)
            } else {
                a.ms
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::{String, ToString};
    use alloc::vec;

    const SEED: u64 = 0x5EED_D157;
    const SAMPLES: usize = 200_000;

    fn sample_mean(d: &Dist) -> f64 {
        let mut rng = SimRng::new(SEED);
        let sum: f64 = (0..SAMPLES).map(|_| d.sample_ms(&mut rng)).sum();
        sum / SAMPLES as f64
    }

    fn assert_close(got: f64, want: f64, rel: f64, what: &str) {
        assert!(
            (got - want).abs() <= rel * want.abs(),
            "{what}: got {got}, want {want} within {}% (seed {SEED:#x})",
            rel * 100.0
        );
    }

    fn err_path(d: &Dist) -> String {
        d.validate().expect_err("should be invalid").path
    }

    #[test]
    fn valid_examples_pass() {
        for d in [
            Dist::constant(0.0),
            Dist::uniform(1.0, 1.0),
            Dist::normal(10.0, 0.0),
            Dist::log_normal(20.0, 0.5),
            Dist::exponential(3.0),
            Dist::pareto(1.0, 0.5),
            Dist::spiky(150.0, 350.0, 0.02, 4150.0, 8350.0),
            Dist::empirical([(0.0, 1.0), (0.5, 1.0), (1.0, 9.0)]),
            Dist::shifted(5.0, Dist::exponential(1.0)),
        ] {
            assert_eq!(d.validate(), Ok(()), "{d:?}");
        }
    }

    #[test]
    fn validation_errors_name_the_path() {
        assert_eq!(err_path(&Dist::constant(f64::NAN)), "ms");
        assert_eq!(err_path(&Dist::constant(-1.0)), "ms");
        assert_eq!(err_path(&Dist::uniform(2.0, 1.0)), "max_ms");
        assert_eq!(err_path(&Dist::normal(1.0, f64::INFINITY)), "std_ms");
        assert_eq!(err_path(&Dist::log_normal(1.0, -0.1)), "sigma");
        assert_eq!(err_path(&Dist::exponential(-3.0)), "mean_ms");
        assert_eq!(err_path(&Dist::pareto(1.0, 0.0)), "shape");
        assert_eq!(err_path(&Dist::mixture([])), "components");
        let m = Dist::mixture([(1.0, Dist::constant(1.0)), (2.0, Dist::pareto(1.0, -2.0))]);
        assert_eq!(err_path(&m), "components[1].dist.shape");
        let e = m.validate().unwrap_err();
        assert_eq!(e.value, "-2");
        assert_eq!(e.allowed, "a finite number > 0");
        let m = Dist::mixture([(0.0, Dist::constant(1.0))]);
        assert_eq!(err_path(&m), "components[0].weight");
        let s = Dist::shifted(1.0, Dist::shifted(-1.0, Dist::constant(1.0)));
        assert_eq!(err_path(&s), "dist.offset_ms");
        let s = Dist::shifted(1.0, Dist::normal(-1.0, 1.0));
        assert_eq!(
            s.validate().unwrap_err().to_string(),
            "dist.mean_ms = -1: expected a number of ms from 0 to 86400000 (one day)"
        );
        // Upper bounds: a day for times, 10 for sigma.
        assert_eq!(err_path(&Dist::constant(1e12)), "ms");
        assert_eq!(err_path(&Dist::log_normal(10.0, 50.0)), "sigma");
        assert!(Dist::constant(MAX_PARAM_MS).validate().is_ok());
    }

    #[test]
    fn bad_quantile_tables_are_rejected() {
        let e = |pts: &[(f64, f64)]| err_path(&Dist::empirical(pts.iter().copied()));
        assert_eq!(e(&[]), "quantiles");
        assert_eq!(e(&[(0.0, 1.0)]), "quantiles");
        assert_eq!(e(&[(0.1, 1.0), (1.0, 2.0)]), "quantiles[0].p");
        assert_eq!(e(&[(0.0, 1.0), (0.9, 2.0)]), "quantiles[1].p");
        assert_eq!(
            e(&[(0.0, 1.0), (0.5, 2.0), (0.5, 3.0), (1.0, 4.0)]),
            "quantiles[2].p"
        );
        assert_eq!(
            e(&[(0.0, 1.0), (0.2, 2.0), (0.4, 3.0), (0.6, 2.5), (1.0, 4.0)]),
            "quantiles[3].ms"
        );
        assert_eq!(e(&[(0.0, -1.0), (1.0, 2.0)]), "quantiles[0].ms");
        assert_eq!(
            e(&[(0.0, 1.0), (f64::NAN, 2.0), (1.0, 3.0)]),
            "quantiles[1].p"
        );
    }

    #[test]
    fn nesting_is_limited() {
        let mut d = Dist::constant(1.0);
        for _ in 0..MAX_NESTING {
            d = Dist::shifted(0.0, d);
        }
        assert_eq!(d.validate(), Ok(()));
        let too_deep = Dist::mixture([(1.0, d)]);
        let e = too_deep.validate().unwrap_err();
        let mut want = String::from("components[0].dist");
        for _ in 0..MAX_NESTING {
            want.push_str(".dist");
        }
        // The innermost constant sits inside MAX_NESTING + 1 distributions.
        assert_eq!(e.path, want);
        assert!(e.allowed.contains("at most 8 levels"), "{e}");
    }

    #[test]
    fn sample_means_match_analytic_means() {
        let cases = [
            (Dist::constant(7.5), 0.0),
            (Dist::uniform(10.0, 30.0), 0.01),
            (Dist::normal(100.0, 15.0), 0.01),
            // Clamping at 0 matters here; mean_ms accounts for it.
            (Dist::normal(1.0, 2.0), 0.02),
            (Dist::log_normal(20.0, 0.5), 0.02),
            (Dist::exponential(4.0), 0.02),
            (Dist::pareto(2.0, 3.0), 0.02),
            (
                Dist::mixture([
                    (0.9, Dist::pareto(0.235, 10.0)),
                    (0.1, Dist::exponential(1.0 / 1.66)),
                ]),
                0.02,
            ),
            (
                Dist::empirical([(0.0, 1.0), (0.5, 2.0), (0.9, 10.0), (1.0, 50.0)]),
                0.02,
            ),
            (Dist::shifted(3.0, Dist::exponential(2.0)), 0.02),
        ];
        for (d, rel) in cases {
            let want = d.mean_ms().expect("has a mean");
            assert_close(sample_mean(&d), want, rel, d.kind());
        }
        assert_close(
            Dist::normal(1.0, 2.0).mean_ms().unwrap(),
            1.0 * 0.691_462_461_274_013 + 2.0 * 0.352_065_326_764_299_5,
            1e-12,
            "censored normal mean",
        );
        assert_eq!(Dist::pareto(1.0, 1.0).mean_ms(), None);
        assert_eq!(
            Dist::mixture([(1.0, Dist::constant(1.0)), (1.0, Dist::pareto(1.0, 0.8))]).mean_ms(),
            None
        );
    }

    #[test]
    fn log_normal_median_matches() {
        let d = Dist::log_normal(20.0, 0.5);
        let mut rng = SimRng::new(SEED);
        let mut xs: Vec<f64> = (0..SAMPLES).map(|_| d.sample_ms(&mut rng)).collect();
        xs.sort_by(f64::total_cmp);
        assert_close(xs[SAMPLES / 2], 20.0, 0.01, "log-normal median");
    }

    #[test]
    fn samples_are_finite_and_non_negative_even_for_extreme_parameters() {
        let mut rng = SimRng::new(SEED);
        for d in [
            Dist::pareto(1.0, 1e-3),
            Dist::pareto(1e300, 0.01),
            Dist::normal(-5.0, 1.0),
            Dist::log_normal(1e300, 50.0),
            Dist::constant(f64::NAN),
            Dist::uniform(-10.0, -5.0),
        ] {
            for _ in 0..1000 {
                let x = d.sample_ms(&mut rng);
                assert!(x.is_finite() && x >= 0.0, "{d:?} gave {x}");
            }
        }
    }

    #[test]
    fn same_seed_same_samples() {
        let d = Dist::mixture([
            (1.0, Dist::log_normal(5.0, 1.0)),
            (1.0, Dist::normal(3.0, 1.0)),
            (1.0, Dist::shifted(1.0, Dist::pareto(1.0, 2.0))),
        ]);
        let draw = |seed| {
            let mut rng = SimRng::new(seed);
            (0..1000).map(|_| d.sample_ms(&mut rng)).collect::<Vec<_>>()
        };
        assert_eq!(draw(9), draw(9));
        assert_ne!(draw(9), draw(10));
        let mut rng = SimRng::new(9);
        assert_eq!(d.sample(&mut rng), SimDuration::from_millis_f64(draw(9)[0]));
    }

    #[test]
    fn empirical_interpolates_the_quantile_function() {
        let q = [
            QuantilePoint::new(0.0, 10.0),
            QuantilePoint::new(0.5, 20.0),
            QuantilePoint::new(1.0, 100.0),
        ];
        assert_eq!(sample_quantiles(&q, 0.0), 10.0);
        assert_eq!(sample_quantiles(&q, 0.25), 15.0);
        assert_eq!(sample_quantiles(&q, 0.5), 20.0);
        assert_eq!(sample_quantiles(&q, 0.75), 60.0);
    }

    #[test]
    fn spiky_has_about_two_percent_spikes() {
        let d = Dist::spiky(150.0, 350.0, 0.02, 4150.0, 8350.0);
        assert_eq!(d.validate(), Ok(()));
        let mut rng = SimRng::new(SEED);
        let mut spikes = 0usize;
        for _ in 0..SAMPLES {
            let x = d.sample_ms(&mut rng);
            assert!((150.0..8350.0).contains(&x));
            assert!(!(350.0..4150.0).contains(&x));
            if x >= 4150.0 {
                spikes += 1;
            }
        }
        assert_close(spikes as f64 / SAMPLES as f64, 0.02, 0.05, "spike fraction");
        assert_eq!(
            Dist::spiky(1.0, 2.0, 0.0, 5.0, 6.0),
            Dist::uniform(1.0, 2.0)
        );
    }

    fn every_kind() -> Dist {
        Dist::mixture([
            (1.0, Dist::constant(1.5)),
            (2.0, Dist::uniform(1.0, 2.0)),
            (3.0, Dist::normal(5.0, 1.0)),
            (4.0, Dist::log_normal(20.0, 0.5)),
            (0.5, Dist::exponential(3.0)),
            (0.25, Dist::pareto(1.05, 1.51)),
            (
                1.0,
                Dist::empirical([(0.0, 0.0), (0.99, 10.0), (1.0, 250.0)]),
            ),
            (1.0, Dist::shifted(75.0, Dist::exponential(0.6))),
        ])
    }

    #[test]
    fn toml_round_trips() {
        let d: Dist = toml::from_str("kind = \"log_normal\"\nmedian_ms = 20\nsigma = 0.5\n")
            .expect("integers are accepted for ms");
        assert_eq!(d, Dist::log_normal(20.0, 0.5));

        #[derive(Debug, PartialEq, Serialize, Deserialize)]
        struct Doc {
            lag: Dist,
        }
        let doc: Doc =
            toml::from_str("lag = { kind = \"log_normal\", median_ms = 20, sigma = 0.5 }\n")
                .unwrap();
        assert_eq!(doc.lag, Dist::log_normal(20.0, 0.5));
        let nested: Doc = toml::from_str(
            "lag = { kind = \"shifted\", offset_ms = 75, dist = { kind = \"exponential\", \
             mean_ms = 2 } }\n",
        )
        .unwrap();
        assert_eq!(nested.lag, Dist::shifted(75.0, Dist::exponential(2.0)));

        let all = Doc { lag: every_kind() };
        let text = toml::to_string(&all).unwrap();
        assert_eq!(toml::from_str::<Doc>(&text).unwrap(), all, "{text}");
    }

    #[test]
    fn json_round_trips_and_rejects_unknown_fields() {
        let d = every_kind();
        let text = serde_json::to_string(&d).unwrap();
        assert_eq!(serde_json::from_str::<Dist>(&text).unwrap(), d);
        let j = r#"{"kind":"pareto","scale_ms":1,"shape":2}"#;
        assert_eq!(
            serde_json::from_str::<Dist>(j).unwrap(),
            Dist::pareto(1.0, 2.0)
        );
        assert!(serde_json::from_str::<Dist>(r#"{"kind":"constant","ms":1,"x":2}"#).is_err());
        assert!(serde_json::from_str::<Dist>(r#"{"kind":"gamma","ms":1}"#).is_err());
        let v = vec![QuantilePoint::new(0.0, 1.0)];
        assert!(serde_json::to_string(&v).unwrap().contains("\"p\":0.0"));
    }
}
