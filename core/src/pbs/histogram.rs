//! The fixed-size log-linear histogram of the visibility horizon and of the two latencies.

use alloc::vec;
use alloc::vec::Vec;

use super::LatencySummary;

/// Linear sub-buckets per power of two: bucket widths are at most 1/128 of their lower edge.
const SUB_BITS: u32 = 7;
const SUBS: usize = 1 << SUB_BITS;
/// Smallest power of two with buckets: 2^-14 ms, about 61 ns.
pub(super) const MIN_EXP: i32 = -14;
/// Powers of two from here up share one bucket: 2^32 ms, about 50 days.
const MAX_EXP: i32 = 32;
const OCTAVES: i64 = (MAX_EXP - MIN_EXP) as i64;
const BUCKETS: usize = OCTAVES as usize * SUBS;

/// A fixed-size histogram of non-negative values with log-linear buckets, plus exact count, sum,
/// minimum and maximum.
#[derive(Debug, Clone)]
pub(super) struct LogHistogram {
    /// `BUCKETS` log-linear buckets, then the [`ZERO`], [`UNDER`] and [`OVER`] slots.
    counts: Vec<u64>,
    count: u64,
    /// Sum of the values in units of 2^-24 ms (about 60 ps), so that the sums of parts add up
    /// exactly, in any order, to the sum of the whole. Values of 2^40 ms (35 years) or more count
    /// as 2^40 ms.
    sum_fixed: u128,
    min: f64,
    max: f64,
}

/// Slot of values `<= 0`.
const ZERO: usize = BUCKETS;
/// Slot of values in `(0, 2^MIN_EXP)`.
const UNDER: usize = BUCKETS + 1;
/// Slot of values `>= 2^MAX_EXP`.
const OVER: usize = BUCKETS + 2;

/// Units per millisecond of [`LogHistogram::sum_fixed`].
const FIXED_PER_MS: f64 = (1u64 << 24) as f64;

/// `2^e` for `e` in the normal range.
pub(super) fn pow2(e: i32) -> f64 {
    f64::from_bits(((e + 1023) as u64) << 52)
}

impl LogHistogram {
    pub(super) fn new() -> Self {
        LogHistogram {
            counts: vec![0; BUCKETS + 3],
            count: 0,
            sum_fixed: 0,
            min: f64::INFINITY,
            max: 0.0,
        }
    }

    #[inline(always)]
    pub(super) fn record(&mut self, x: f64) {
        self.record_all::<true>(core::iter::once(x));
    }

    /// Records each value in turn, keeping the totals in registers meanwhile. Without `TOTALS`
    /// only the buckets, the count and the maximum are kept (the sum and the minimum stay as
    /// they are): all that [`LogHistogram::quantile_upper`] needs.
    #[inline(always)]
    pub(super) fn record_all<const TOTALS: bool>(&mut self, xs: impl Iterator<Item = f64>) {
        let (mut count, mut sum, mut min, mut max) = (0, 0, self.min, self.max);
        for x in xs {
            count += 1;
            if TOTALS {
                // `as` saturates: NaN and negative values add 0, huge ones u64::MAX.
                sum += u128::from((x * FIXED_PER_MS) as u64);
                // As `f64::min` and `f64::max`, which ignore NaN, in one instruction each.
                min = if x < min { x } else { min };
            }
            max = if x > max { x } else { max };
            self.counts[Self::slot(x)] += 1;
        }
        self.count += count;
        self.sum_fixed += sum;
        self.min = min;
        self.max = max;
    }

    /// The slot of `counts` that counts `x`.
    #[inline(always)]
    fn slot(x: f64) -> usize {
        let bits = x.to_bits();
        let octave = ((bits >> 52) & 0x7ff) as i64 - 1023 - i64::from(MIN_EXP);
        let sub = (bits >> (52 - SUB_BITS)) as usize & (SUBS - 1);
        // Selects rather than branches: the slot is data-dependent and hard to predict (a
        // horizon, for one, is often 0). Negative octaves (wrapped) and large ones are not in
        // range, and `regular` is used only for those in range; of the others, the negative
        // ones count in UNDER and the large ones in OVER.
        let regular = (octave as usize).wrapping_mul(SUBS).wrapping_add(sub);
        let special = if octave < 0 { UNDER } else { OVER };
        let slot = if (octave as u64) < OCTAVES as u64 {
            regular
        } else {
            special
        };
        if x <= 0.0 { ZERO } else { slot }
    }

    pub(super) fn merge(&mut self, other: &LogHistogram) {
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            *a += b;
        }
        self.count += other.count;
        self.sum_fixed += other.sum_fixed;
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
    }

    /// Lower and upper edge of the bucket holding the `q`-quantile (nearest rank: the smallest
    /// value with at least `ceil(q * count)` values at or below it). Needs `count > 0`.
    fn locate(&self, q: f64) -> (f64, f64) {
        let rank = (libm::ceil(q * self.count as f64) as u64).clamp(1, self.count);
        let mut seen = self.counts[ZERO];
        if seen >= rank {
            return (0.0, 0.0);
        }
        seen += self.counts[UNDER];
        if seen >= rank {
            return (0.0, pow2(MIN_EXP));
        }
        for (i, &c) in self.counts[..BUCKETS].iter().enumerate() {
            seen += c;
            if seen >= rank {
                let octave = pow2(MIN_EXP + (i / SUBS) as i32);
                let step = octave / SUBS as f64;
                let lower = octave + step * (i % SUBS) as f64;
                return (lower, lower + step);
            }
        }
        (pow2(MAX_EXP), f64::INFINITY)
    }

    /// The `q`-quantile from the bucket's midpoint, kept within the exact minimum and maximum.
    pub(super) fn quantile_mid(&self, q: f64) -> f64 {
        if self.count == 0 {
            return 0.0;
        }
        let (lower, upper) = self.locate(q);
        let mid = if upper.is_finite() {
            0.5 * (lower + upper)
        } else {
            self.max
        };
        mid.clamp(self.min, self.max)
    }

    /// An upper bound of the `q`-quantile: the bucket's upper edge, or the exact maximum.
    pub(super) fn quantile_upper(&self, q: f64) -> f64 {
        if self.count == 0 {
            return 0.0;
        }
        self.locate(q).1.min(self.max)
    }

    pub(super) fn summary(&self) -> LatencySummary {
        LatencySummary {
            p50: self.quantile_mid(0.5),
            p95: self.quantile_mid(0.95),
            p99: self.quantile_mid(0.99),
            p999: self.quantile_mid(0.999),
            mean: if self.count == 0 {
                0.0
            } else {
                self.sum_fixed as f64 / FIXED_PER_MS / self.count as f64
            },
            max: self.max,
        }
    }
}
