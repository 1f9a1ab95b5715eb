//! Exact distribution of small non-negative integers in memory independent of the sample count.

use alloc::vec;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use crate::metrics::Summary;

/// A count for every integer value from 0 to a fixed maximum.
///
/// Kata 86 metrics are whole milliseconds from a known bounded range, so one counter per value
/// gives *exact* order statistics (the same answer as sorting every sample) while memory depends
/// only on the range, never on how many samples were recorded. A general log-bucketed histogram
/// would be approximate and so could not reproduce the reference figures to the last digit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExactCounts {
    counts: Vec<u64>,
    total: u64,
}

/// One bar of a histogram: the samples in `[lo, hi)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bin {
    /// Inclusive lower edge.
    pub lo: u32,
    /// Exclusive upper edge.
    pub hi: u32,
    /// Samples in the bin.
    pub count: u64,
}

impl From<Bin> for crate::metrics::Bin {
    /// The same bar in the view-neutral millisecond form.
    fn from(b: Bin) -> Self {
        crate::metrics::Bin::new(f64::from(b.lo), f64::from(b.hi), b.count)
    }
}

impl ExactCounts {
    /// Counts for the values `0..=max_value`.
    pub fn new(max_value: u32) -> Self {
        ExactCounts {
            counts: vec![0; max_value as usize + 1],
            total: 0,
        }
    }

    /// The largest value this instance can hold.
    pub fn max_value(&self) -> u32 {
        (self.counts.len() - 1) as u32
    }

    /// Records one sample. A value above [`Self::max_value`] is counted as the maximum.
    #[inline(always)]
    pub fn record(&mut self, value: u32) {
        self.record_n(value, 1);
    }

    /// Records `n` samples of the same value.
    #[inline(always)]
    pub fn record_n(&mut self, value: u32, n: u64) {
        let last = self.counts.len() - 1;
        let slot = (value as usize).min(last);
        self.counts[slot] += n;
        self.total += n;
    }

    /// Adds every sample of `other`. The two must cover the same range of values; a sample beyond
    /// this instance's maximum is counted as the maximum.
    pub fn merge(&mut self, other: &ExactCounts) {
        for (value, &n) in other.counts.iter().enumerate() {
            if n > 0 {
                self.record_n(value as u32, n);
            }
        }
    }

    /// Number of samples recorded.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// How many samples equal `value`.
    pub fn count_of(&self, value: u32) -> u64 {
        self.counts.get(value as usize).copied().unwrap_or(0)
    }

    /// How many samples are strictly greater than `value`.
    pub fn count_above(&self, value: u32) -> u64 {
        self.counts.iter().skip(value as usize + 1).sum()
    }

    /// The sample of rank `k` (0-based) in ascending order, or `None` if `k >= total`.
    pub fn nth(&self, k: u64) -> Option<u32> {
        if k >= self.total {
            return None;
        }
        let mut seen = 0u64;
        for (value, &n) in self.counts.iter().enumerate() {
            seen += n;
            if seen > k {
                return Some(value as u32);
            }
        }
        None
    }

    /// The `q`-th percentile by the exercise's rule: the sample at index `floor(q/100 * (n - 1))`
    /// of the ascending order, or 0 when nothing was recorded. `q` is clamped to `[0, 100]`.
    pub fn percentile(&self, q: f64) -> u32 {
        if self.total == 0 {
            return 0;
        }
        let q = q.clamp(0.0, 100.0);
        // Same double operations as the reference: (q / 100) * (n - 1), then floor.
        let index = libm::floor((q / 100.0) * (self.total - 1) as f64) as u64;
        self.nth(index.min(self.total - 1)).unwrap_or(0)
    }

    /// Smallest sample, if any.
    pub fn min(&self) -> Option<u32> {
        self.nth(0)
    }

    /// Largest sample, if any.
    pub fn max(&self) -> Option<u32> {
        self.counts.iter().rposition(|&n| n > 0).map(|v| v as u32)
    }

    /// Mean of the samples, or 0 when empty.
    pub fn mean(&self) -> f64 {
        if self.total == 0 {
            return 0.0;
        }
        let sum: f64 = self
            .counts
            .iter()
            .enumerate()
            .map(|(v, &n)| v as f64 * n as f64)
            .sum();
        sum / self.total as f64
    }

    /// The crate's [`Summary`] of the samples, in milliseconds: percentiles by the exercise's
    /// rule ([`Self::percentile`], so whole milliseconds), the exact count, minimum, maximum and
    /// mean. All zero when empty.
    pub fn summary(&self) -> Summary {
        let at = |q: f64| f64::from(self.percentile(q));
        Summary {
            count: self.total,
            min: f64::from(self.min().unwrap_or(0)),
            p50: at(50.0),
            p90: at(90.0),
            p95: at(95.0),
            p99: at(99.0),
            p999: at(99.9),
            max: f64::from(self.max().unwrap_or(0)),
            mean: self.mean(),
        }
    }

    /// Histogram bars of width `width` (at least 1) from the bar holding the smallest sample to
    /// the bar holding the largest; empty when nothing was recorded.
    pub fn bins(&self, width: u32) -> Vec<Bin> {
        let width = width.max(1);
        let (Some(min), Some(max)) = (self.min(), self.max()) else {
            return Vec::new();
        };
        let first = min / width;
        let last = max / width;
        (first..=last)
            .map(|b| {
                let lo = b * width;
                let hi = lo.saturating_add(width);
                let count = self
                    .counts
                    .iter()
                    .skip(lo as usize)
                    .take(width as usize)
                    .sum();
                Bin { lo, hi, count }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reference rule applied to a sorted copy of the samples.
    fn sorted_rule(samples: &[u32], q: f64) -> u32 {
        let mut a = samples.to_vec();
        a.sort_unstable();
        if a.is_empty() {
            return 0;
        }
        a[libm::floor((q / 100.0) * (a.len() - 1) as f64) as usize]
    }

    #[test]
    fn percentiles_equal_sorting_every_sample() {
        let mut x: u32 = 12345;
        let mut samples = Vec::new();
        let mut counts = ExactCounts::new(999);
        for n in 0..2000 {
            x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            let v = (x >> 8) % 1000;
            samples.push(v);
            counts.record(v);
            if n % 97 == 0 {
                for q in [0.0, 50.0, 90.0, 95.0, 99.0, 99.9, 100.0] {
                    assert_eq!(
                        counts.percentile(q),
                        sorted_rule(&samples, q),
                        "n={n} q={q}"
                    );
                }
            }
        }
    }

    #[test]
    fn empty_counts_give_zero_like_the_reference() {
        let c = ExactCounts::new(10);
        assert_eq!(c.percentile(95.0), 0);
        assert_eq!(c.min(), None);
        assert!(c.bins(5).is_empty());
    }

    #[test]
    fn single_sample_is_every_percentile() {
        let mut c = ExactCounts::new(100);
        c.record(42);
        for q in [0.0, 95.0, 100.0] {
            assert_eq!(c.percentile(q), 42);
        }
    }

    #[test]
    fn bins_cover_min_to_max_and_sum_to_total() {
        let mut c = ExactCounts::new(100);
        for v in [3, 4, 9, 10, 11, 57] {
            c.record(v);
        }
        let bins = c.bins(10);
        assert_eq!(bins.first().map(|b| b.lo), Some(0));
        assert_eq!(bins.last().map(|b| b.hi), Some(60));
        assert_eq!(bins.iter().map(|b| b.count).sum::<u64>(), 6);
        assert_eq!(bins[0].count, 3);
        assert_eq!(bins[1].count, 2);
        let shared: crate::metrics::Bin = bins[1].into();
        assert_eq!(shared, crate::metrics::Bin::new(10.0, 20.0, 2));
    }

    #[test]
    fn merge_adds_counts_and_out_of_range_values_clamp() {
        let mut a = ExactCounts::new(10);
        let mut b = ExactCounts::new(10);
        a.record(1);
        b.record(2);
        b.record(50);
        a.merge(&b);
        assert_eq!(a.total(), 3);
        assert_eq!(a.count_of(10), 1);
        assert_eq!(a.count_above(1), 2);
        assert_eq!(a.mean(), 13.0 / 3.0);
    }
}
