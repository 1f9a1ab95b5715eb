//! Table-driven base-2 logarithm and exponential for the PBS samplers.
//!
//! ## Why hand-written
//!
//! Every draw of a PBS leg is an inverse-CDF sample of a uniform `u` in `(0, 1]`: `-mean ln u`
//! for an exponential, `scale u^(-1/shape)` for a Pareto. With `libm::log` and `libm::exp2` those
//! two functions took over half of a PBS run: they handle every input, and aim at results within
//! one ulp. The samplers need neither, so this module gives up a few ulps and the unusual inputs
//! for speed, with the samples in base 2 (`ln u = ln 2 log2 u`, `u^(-1/shape) =
//! 2^(-log2(u) / shape)`):
//!
//! * [`FastMath::log2`] splits `x` by its bits into `2^k z` with `z` in `[0.75, 1.5)`, picks one
//!   of 256 sub-intervals of `z` by its leading bits, and adds `k`, a tabulated `log2 c` (`c` the
//!   sub-interval's centre, or exactly 1 for the two next to 1, so that no cancellation spoils
//!   the result near `x = 1`) and a degree-6 polynomial for `log2(1 + r)`, `r = (z - c) / c`,
//!   `|r| <= 2^-8` (the Taylor series, evaluated in two halves so that they overlap);
//! * [`FastMath::exp2`] rounds `y` to a multiple `n / 256`, takes `2^(n / 256)` as a tabulated
//!   `2^(j / 256)`, `j = n mod 256`, with `n div 256` added to its exponent bits, and multiplies it
//!   by a degree-4 polynomial for `2^f`, `f = y - n / 256`, `|f| <= 1/512`.
//!
//! Neither has a division, a call or a branch; the tables (8 KB) are built once per PBS run with
//! `libm`. The domains are what the samplers need, and the callers ensure them: positive normal
//! `x` for `log2` (the samplers' `u` are at least `2^-53`) and `|y| <= 1020` for `exp2`. Outside
//! them the results are meaningless (but the functions do not panic).
//!
//! Only plain IEEE-754 double arithmetic and bit manipulation are used: no `std` float methods, no
//! fused multiply-add, no SIMD intrinsics, no platform math library, and `libm` is portable Rust.
//! So an input gives the same bits natively and in WebAssembly, and so does a PBS report.
//!
//! ## Error bound
//!
//! Against `libm::log2` and `libm::exp2` (themselves within an ulp of the exact result) the
//! relative difference is at most 1e-15 on the domains (`tests::MAX_REL_ERROR`). The unit tests
//! measure it on over four million points each, among them every place where a reduction changes
//! (powers of two, sub-interval edges, the neighbourhood of 1 for `log2`, the rounding boundaries
//! for `exp2`): at most 7.8e-16 for `log2` (just above 1, where `|r|` is largest; 2.9e-16 on the
//! samplers' `(0, 1]`) and 2.2e-16 for `exp2`. The polynomials' truncation errors are below
//! `2^-48 / 7` (`log2`) and `2^-47 / 120` (`exp2`), relative; the roundings of the few operations
//! make up the rest.
//!
//! A Pareto sample `scale 2^(-log2(u) / shape)` turns a relative error `e` of `log2 u` into one of
//! about `e |log2 u| ln 2 / shape` (at most `37 e / shape`). Against `Dist::sample_ms` (which has
//! errors of its own of the same kind) PBS samples differ by at most 7.6e-15, relative, over the
//! four million draws of the paper's fits and other mixtures in the tests: far below any Monte
//! Carlo noise. A report's means and maxima differ from those of `Dist`-sampled draws in the last
//! digits, and once in a very long while a trial crosses a histogram bucket's or a `t`'s edge.

use alloc::boxed::Box;

/// Largest `|y|` for [`FastMath::exp2`]: its results are normal numbers.
pub(super) const EXP2_MAX_ARG: f64 = 1020.0;

/// Bits of `0.75`, the lower end of the reduced argument of [`FastMath::log2`].
const LOG_OFFSET: u64 = 0x3FE8_0000_0000_0000;
/// log2 of the number of entries of each table.
const TABLE_BITS: u32 = 8;
const TABLE_SIZE: usize = 1 << TABLE_BITS;
/// The reduced argument's bits below the table index.
const LOG_SHIFT: u32 = 52 - TABLE_BITS;

/// `1.5 * 2^44`: adding it to a number of magnitude below `2^43` rounds that number to a
/// multiple of `2^-8`, and leaves `256` times the multiple, in two's complement, in the low
/// bits of the sum.
const EXP2_SHIFT: f64 = 26_388_279_066_624.0;

/// `log2(1 + r) = (r - r^2/2 + r^3/3 - ...) / ln 2`: coefficients of `r` to `r^6`.
const P1: f64 = core::f64::consts::LOG2_E;
const P2: f64 = -P1 / 2.0;
const P3: f64 = P1 / 3.0;
const P4: f64 = -P1 / 4.0;
const P5: f64 = P1 / 5.0;
const P6: f64 = -P1 / 6.0;

/// `2^f - 1 = f ln 2 + (f ln 2)^2 / 2! + ...`: coefficients of `f` to `f^4`.
const E1: f64 = core::f64::consts::LN_2;
const E2: f64 = E1 * E1 / 2.0;
const E3: f64 = E2 * E1 / 3.0;
const E4: f64 = E3 * E1 / 4.0;

/// The tables of [`FastMath::log2`] and [`FastMath::exp2`]. The first three are indexed by
/// the sub-interval of the reduced argument of `log2`.
#[derive(Debug, Clone)]
pub(super) struct FastMath {
    /// The sub-interval's centre (exactly 1 for the two sub-intervals next to 1).
    c: [f64; TABLE_SIZE],
    /// `1 / c`, rounded.
    inv_c: [f64; TABLE_SIZE],
    /// `log2 c`, rounded.
    log2_c: [f64; TABLE_SIZE],
    /// Bits of `2^(j / 256)` minus `j << 44`, `j = 0..256`: adding the low bits of a sum with
    /// [`EXP2_SHIFT`], shifted left by 44, then adds `n div 256` to the exponent (see `exp2`).
    exp2: [u64; TABLE_SIZE],
}

impl FastMath {
    /// Builds the tables with `libm`.
    pub(super) fn new() -> Box<Self> {
        let mut m = Box::new(FastMath {
            c: [0.0; TABLE_SIZE],
            inv_c: [0.0; TABLE_SIZE],
            log2_c: [0.0; TABLE_SIZE],
            exp2: [0; TABLE_SIZE],
        });
        for i in 0..TABLE_SIZE {
            let lower = f64::from_bits(LOG_OFFSET + ((i as u64) << LOG_SHIFT));
            let upper = f64::from_bits(LOG_OFFSET + ((i as u64 + 1) << LOG_SHIFT));
            // Exact: both ends have few significant bits.
            let mid = 0.5 * (lower + upper);
            let c = if lower == 1.0 || upper == 1.0 {
                1.0
            } else {
                mid
            };
            m.c[i] = c;
            m.inv_c[i] = 1.0 / c;
            m.log2_c[i] = libm::log2(c);
        }
        for (j, t) in m.exp2.iter_mut().enumerate() {
            let power = libm::exp2(j as f64 / TABLE_SIZE as f64);
            *t = power.to_bits().wrapping_sub((j as u64) << 44);
        }
        m
    }

    /// `log2 x` for positive, normal, finite `x`, within a relative 1e-15 of `libm::log2`.
    #[inline(always)]
    pub(super) fn log2(&self, x: f64) -> f64 {
        debug_assert!((f64::MIN_POSITIVE..=f64::MAX).contains(&x), "{x:e}");
        let bits = x.to_bits();
        // x = 2^k z with z in [0.75, 1.5): k counts the binades from 0.75 up to x.
        let tmp = bits.wrapping_sub(LOG_OFFSET);
        let k = (tmp as i64) >> 52;
        let z = f64::from_bits(bits.wrapping_sub(tmp & 0xFFF0_0000_0000_0000));
        let i = ((tmp >> LOG_SHIFT) as usize) & (TABLE_SIZE - 1);
        // z - c is exact (z and c are within a factor of 2 of each other), |r| <= 2^-8.
        let r = (z - self.c[i]) * self.inv_c[i];
        let r2 = r * r;
        let r4 = r2 * r2;
        let p = (r * P1 + r2 * (P2 + r * P3)) + r4 * ((P4 + r * P5) + r2 * P6);
        // k + log2 c first, while p is under way.
        (k as f64 + self.log2_c[i]) + p
    }

    /// `2^y` for `|y| <=` [`EXP2_MAX_ARG`], within a relative 1e-15 of `libm::exp2`.
    #[inline(always)]
    pub(super) fn exp2(&self, y: f64) -> f64 {
        debug_assert!((-EXP2_MAX_ARG..=EXP2_MAX_ARG).contains(&y), "{y:e}");
        // y = n / 256 + f with n an integer, |f| <= 1/512; both steps are exact.
        let shifted = y + EXP2_SHIFT;
        let f = y - (shifted - EXP2_SHIFT);
        // The low bits of `shifted` hold n (two's complement); shifted left by 44, the bits above
        // the low 8 go to the exponent, and the low 8, j = n mod 256, cancel the table's `- j <<
        // 44`. The other bits of `shifted` are shifted out.
        let n = shifted.to_bits();
        let scale =
            f64::from_bits(self.exp2[(n as usize) & (TABLE_SIZE - 1)].wrapping_add(n << 44));
        let f2 = f * f;
        let q = f * E1 + f2 * ((E2 + f * E3) + f2 * E4);
        scale + scale * q
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::SimRng;

    /// Largest relative difference from `libm::log2` and `libm::exp2` on the domains, as measured
    /// here when written (7.8e-16 and 2.2e-16), rounded up.
    const MAX_REL_ERROR: f64 = 1e-15;

    /// Largest relative difference of `fast` from `exact` over `xs`, with its argument and the
    /// number of points.
    fn worst(
        xs: &mut dyn Iterator<Item = f64>,
        fast: impl Fn(f64) -> f64,
        exact: impl Fn(f64) -> f64,
    ) -> (f64, f64, u64) {
        let (mut max, mut at, mut count) = (0.0, 0.0, 0);
        for x in xs {
            let (got, want) = (fast(x), exact(x));
            let d = if got == want {
                0.0
            } else {
                ((got - want) / want).abs()
            };
            assert!(d.is_finite(), "x = {x:e}: {got:e}, libm {want:e}");
            if d > max {
                (max, at) = (d, x);
            }
            count += 1;
        }
        (max, at, count)
    }

    #[test]
    fn log2_is_within_the_bound_of_libm() {
        let m = FastMath::new();
        let mut rng = SimRng::new(0x106);
        let mut total = 0;
        let mut check = |name: &str, xs: &mut dyn Iterator<Item = f64>| {
            let (max, at, count) = worst(xs, |x| m.log2(x), libm::log2);
            assert!(
                max <= MAX_REL_ERROR,
                "{name}: relative error {max:e} at x = {at:e} ({count} points)"
            );
            total += count;
        };
        // The samplers' inputs: uniform in (0, 1] with 53 bits.
        check(
            "uniform (0, 1]",
            &mut (0..2_000_000).map(|_| rng.next_f64_nonzero()),
        );
        // Log-uniform over every binade of the normal numbers.
        check(
            "log-uniform",
            &mut (0..1_000_000).map(|_| {
                let e = rng.below(2046) + 1;
                f64::from_bits((e << 52) | (rng.next_u64() >> 12))
            }),
        );
        // Within 2^-8 of 1, where log2 x is small and any cancellation would show.
        check(
            "near 1",
            &mut (0..1_000_000).map(|_| 1.0 + (rng.next_f64() - 0.5) / 128.0),
        );
        // The last ulps below and above 1, the ends of every sub-interval, the extremes.
        check(
            "edges",
            &mut (1..=2000u64)
                .flat_map(|i| {
                    [
                        f64::from_bits(1.0f64.to_bits() - i),
                        1.0 + i as f64 * f64::EPSILON,
                    ]
                })
                .chain((0..=TABLE_SIZE as u64).flat_map(|i| {
                    let b = LOG_OFFSET + (i << LOG_SHIFT);
                    [b - 1, b, b + 1].map(f64::from_bits)
                }))
                .chain([f64::MIN_POSITIVE, f64::MAX, 1.0 / (1u64 << 53) as f64]),
        );
        assert!(total >= 4_000_000);
        assert_eq!(m.log2(1.0), 0.0);
        for e in -1022..=1023 {
            let x = libm::exp2(f64::from(e));
            assert_eq!(m.log2(x), f64::from(e), "2^{e}");
        }
    }

    #[test]
    fn exp2_is_within_the_bound_of_libm() {
        let m = FastMath::new();
        let mut rng = SimRng::new(0xE2);
        let mut total = 0;
        let mut check = |name: &str, ys: &mut dyn Iterator<Item = f64>| {
            let (max, at, count) = worst(ys, |y| m.exp2(y), libm::exp2);
            assert!(
                max <= MAX_REL_ERROR,
                "{name}: relative error {max:e} at y = {at:e} ({count} points)"
            );
            total += count;
        };
        // The Pareto samplers' arguments: 0 to 53 / shape.
        check(
            "[0, 64)",
            &mut (0..2_000_000).map(|_| 64.0 * rng.next_f64()),
        );
        check(
            "whole domain",
            &mut (0..1_000_000)
                .map(|_| (2.0 * rng.next_f64() - 1.0) * EXP2_MAX_ARG)
                .chain([-EXP2_MAX_ARG, EXP2_MAX_ARG]),
        );
        check(
            "small",
            &mut (0..1_000_000).map(|_| (rng.next_f64() - 0.5) * 1e-3),
        );
        // Either side of every table point and of the rounding boundaries between them.
        check(
            "edges",
            &mut (-2048..=2048i32).flat_map(|i| {
                let y = f64::from(i) / 512.0;
                [y, f64::from_bits(y.to_bits() + 1), y - 1e-12, y + 1e-12]
            }),
        );
        assert!(total >= 4_000_000);
        for i in -1020..=1020 {
            assert_eq!(m.exp2(f64::from(i)), libm::exp2(f64::from(i)), "2^{i}");
        }
        assert_eq!(m.exp2(-0.0), 1.0);
    }
}
