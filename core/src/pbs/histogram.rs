//! The millisecond histograms of a PBS run (the visibility horizon and the two latencies): a
//! view of [`LogHistogram`], the crate's one histogram, that records `f64` milliseconds as whole
//! units of 2^-24 ms and keeps the exact minimum and maximum beside it.
//!
//! In those units the histogram's buckets (128 linear sub-buckets per power of two) fall on the
//! same edges as powers of two of milliseconds, so a bucket is never wider than 1/128 of its
//! lower edge down to 2^-17 ms (about 8 ns); values below 2^-24 ms (about 60 ps) count as 0,
//! and values of 2^40 ms (35 years) or more as 2^40 ms. Sums of whole units add up exactly, so
//! merged parts give the mean of the whole run to the last bit.

use crate::metrics::{LogHistogram, Summary};

/// Units per millisecond of the underlying histogram's samples.
const UNITS_PER_MS: f64 = (1u64 << 24) as f64;

/// A histogram of non-negative millisecond values: [`LogHistogram`] in units of 2^-24 ms, plus
/// the exact `f64` minimum and maximum.
#[derive(Debug, Clone)]
pub(super) struct MillisHistogram {
    units: LogHistogram,
    min: f64,
    max: f64,
}

impl MillisHistogram {
    /// An empty histogram.
    pub(super) fn new() -> Self {
        MillisHistogram {
            units: LogHistogram::new(),
            min: f64::INFINITY,
            max: 0.0,
        }
    }

    /// Records one value (NaN and values `<= 0` count as 0 in the buckets).
    #[inline(always)]
    pub(super) fn record(&mut self, x: f64) {
        // `as` saturates: NaN and negative values give 0, huge ones u64::MAX.
        self.units.record((x * UNITS_PER_MS) as u64);
        // As `f64::min` and `f64::max`, which ignore NaN, in one instruction each.
        self.min = if x < self.min { x } else { self.min };
        self.max = if x > self.max { x } else { self.max };
    }

    /// Records each value in turn, keeping the minimum and maximum in registers meanwhile.
    #[inline(always)]
    pub(super) fn record_all(&mut self, xs: impl Iterator<Item = f64>) {
        let (mut min, mut max) = (self.min, self.max);
        self.units.extend(xs.map(|x| {
            min = if x < min { x } else { min };
            max = if x > max { x } else { max };
            (x * UNITS_PER_MS) as u64
        }));
        self.min = min;
        self.max = max;
    }

    /// Adds every value of `other`.
    pub(super) fn merge(&mut self, other: &MillisHistogram) {
        self.units.merge(&other.units);
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
    }

    /// Lower and upper edge, in milliseconds, of the bucket holding the `q`-quantile (nearest
    /// rank: the smallest value with at least `ceil(q * count)` values at or below it); `(0, 0)`
    /// for the bucket of 0. Needs a value recorded.
    fn locate(&self, q: f64) -> (f64, f64) {
        let count = self.units.count();
        let rank = (libm::ceil(q * count as f64) as u64).clamp(1, count);
        let (low, high) = self.units.bucket_at_rank(rank).unwrap_or((0, 0));
        if high == 0 {
            return (0.0, 0.0);
        }
        (
            low as f64 / UNITS_PER_MS,
            (high as f64 + 1.0) / UNITS_PER_MS,
        )
    }

    /// The `q`-quantile from the bucket's midpoint, kept within the exact minimum and maximum.
    pub(super) fn quantile_mid(&self, q: f64) -> f64 {
        if self.units.is_empty() {
            return 0.0;
        }
        let (lower, upper) = self.locate(q);
        (0.5 * (lower + upper)).clamp(self.min, self.max)
    }

    /// An upper bound of the `q`-quantile: the bucket's upper edge, or the exact maximum.
    pub(super) fn quantile_upper(&self, q: f64) -> f64 {
        if self.units.is_empty() {
            return 0.0;
        }
        self.locate(q).1.min(self.max)
    }

    /// The crate's [`Summary`] in milliseconds: percentiles by the histogram's rule (bucket
    /// midpoints narrowed to the exact `f64` minimum and maximum), the count, the mean (exact in
    /// units) and the exact minimum and maximum. All zero when empty.
    pub(super) fn summary(&self) -> Summary {
        if self.units.is_empty() {
            return Summary::default();
        }
        Summary {
            count: self.units.count(),
            min: self.min,
            p50: self.quantile_mid(0.5),
            p90: self.quantile_mid(0.9),
            p95: self.quantile_mid(0.95),
            p99: self.quantile_mid(0.99),
            p999: self.quantile_mid(0.999),
            max: self.max,
            mean: self.units.mean() / UNITS_PER_MS,
        }
    }
}
