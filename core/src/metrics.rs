//! Streaming metrics: a histogram of non-negative integer samples (the simulator records
//! microseconds) whose memory does not grow with the number of samples, and the millisecond
//! [`Summary`] drawn from it; and [`Bin`], the millisecond histogram bar that every model's
//! histograms are converted into for drawing.
//!
//! # Layout and error bound
//!
//! [`LogHistogram`] is log-linear, in the manner of HDR histograms. Values below
//! [`LogHistogram::EXACT_BELOW`] (256) each have their own bucket and are kept exactly. Every
//! range `[2^e, 2^(e+1))` above that is cut into 128 equal buckets of width `2^(e-7)`, so a bucket
//! is never wider than 1/128 of the smallest value it holds. A bucket is represented by its
//! midpoint, which is therefore within half a bucket, at most 1/256 ≈ 0.39 %
//! ([`LogHistogram::RELATIVE_ERROR`]), of any value in it. All of `u64` is covered by 7,424
//! buckets; the counters are allocated lazily up to the range of the largest value seen, so a
//! histogram of values up to 10 s (10^7 µs) holds 2,304 counters (18 KB), up to 10^13 µs 4,864
//! (38 KB), and up to `u64::MAX` 7,424 (58 KB).
//! Recording never allocates once the largest value's range is covered.
//!
//! The count, sum (in a `u128`), minimum and maximum are kept exactly, so [`LogHistogram::count`],
//! [`LogHistogram::mean`], [`LogHistogram::min`] and [`LogHistogram::max`] carry no bucket error,
//! and [`LogHistogram::merge`] is exact: merging two histograms gives the same histogram as
//! recording both streams into one.
//!
//! # Quantile rule
//!
//! [`LogHistogram::value_at_quantile`]`(q)` of `n` samples looks at the sample of rank
//! `r = ceil(q·n)` in ascending order (1-based), with `q` clamped to `[0, 1]` and `r` to `[1, n]`:
//!
//! * rank 1 is the minimum and rank `n` the maximum, both known exactly and returned as they are
//!   (so `q = 0` gives the minimum and `q = 1` the maximum);
//! * any other rank gives the midpoint of the bucket holding that sample, after narrowing the
//!   bucket to `[min, max]`; it is within 1/256 of the true sample.
//!
//! A product `q·n` within one part in 10^12 of an integer counts as that integer, so that, for
//! example, `0.07 × 100` (7.000000000000001 in floating point) gives rank 7. An empty histogram
//! gives 0.
//!
//! ```
//! use meridian_core::metrics::LogHistogram;
//!
//! let mut h = LogHistogram::new();
//! for us in 1..=1000u64 {
//!     h.record(us * 1000); // 1 ms to 1 s, in microseconds
//! }
//! let p99 = h.value_at_quantile(0.99); // the true 99th percentile is 990,000 µs
//! assert!(p99.abs_diff(990_000) * 256 <= 990_000);
//! assert_eq!(h.value_at_quantile(1.0), 1_000_000);
//! let s = h.summary_ms();
//! assert_eq!((s.count, s.min, s.max), (1000, 1.0, 1000.0));
//! assert_eq!(s.mean, 500.5);
//! ```

use alloc::format;
use alloc::vec::Vec;

use serde::ser::SerializeStruct;
use serde::{Deserialize, Serialize, Serializer};

use crate::error::FieldError;

mod bin;
pub use bin::Bin;

/// Bits of linear resolution within each power of two: 2^7 = 128 buckets per power of two.
const SUB_BITS: u32 = 7;
/// Buckets per power of two (and per group of the counter array).
const SUB_COUNT: usize = 1 << SUB_BITS;
/// Values below this have a bucket each.
const EXACT_LIMIT: u64 = 2 << SUB_BITS;
/// Buckets needed for all of `u64`: two exact groups, then one group per exponent 8..=63.
const BUCKET_COUNT: usize = (64 - SUB_BITS as usize + 1) * SUB_COUNT;

/// The bucket holding `value`.
///
/// With `shift = max(floor(log2 value), 7) - 7`, the bucket is `(shift << 7) + (value >> shift)`:
/// values below 256 map to themselves, and each later group of 128 buckets covers one power of two.
#[inline(always)]
fn bucket_index(value: u64) -> usize {
    let magnitude = 63 - (value | (EXACT_LIMIT - 1)).leading_zeros();
    let shift = magnitude - SUB_BITS;
    ((shift as usize) << SUB_BITS) + (value >> shift) as usize
}

/// The smallest and largest value (both inclusive) of bucket `index`.
fn bucket_bounds(index: usize) -> (u64, u64) {
    if index < EXACT_LIMIT as usize {
        let v = index as u64;
        return (v, v);
    }
    let shift = (index >> SUB_BITS) as u32 - 1;
    let sub = (index & (SUB_COUNT - 1)) as u64 + SUB_COUNT as u64;
    let low = sub << shift;
    (low, low + ((1u64 << shift) - 1))
}

/// The value halfway between `low` and `high`, rounded down.
fn midpoint(low: u64, high: u64) -> u64 {
    low + (high - low) / 2
}

/// The 1-based rank `ceil(q·n)` of the quantile rule, clamped to `[1, n]` (`n > 0`).
fn quantile_rank(q: f64, n: u64) -> u64 {
    let q = if q.is_nan() { 0.0 } else { q.clamp(0.0, 1.0) };
    let x = q * n as f64;
    let nearest = libm::round(x);
    let rank = if libm::fabs(x - nearest) <= 1e-12 * x.max(1.0) {
        nearest
    } else {
        libm::ceil(x)
    };
    (rank as u64).clamp(1, n)
}

/// `ceil(10^(k / per_decade))`, the lower edge of the `k`-th bin of [`LogHistogram::bins_log`],
/// saturating at `u128::MAX`.
fn log_edge(k: u64, per_decade: u32) -> u128 {
    libm::ceil(libm::pow(10.0, k as f64 / f64::from(per_decade))) as u128
}

/// A streaming log-linear histogram of `u64` samples with a relative error of at most 1/256 and
/// memory independent of the number of samples.
///
/// See the [module documentation](self) for the bucket layout, the error bound and the quantile
/// rule. Equality compares the recorded samples as the histogram sees them (count, sum, min, max
/// and every bucket's count), not how many counters happen to be allocated.
///
/// Serialized compactly: `{"count", "min", "max", "sum", "buckets": [[low, count], ...]}` with only
/// the non-empty buckets, each named by its smallest value. Deserializing checks that these agree
/// with each other.
#[derive(Debug, Clone, Deserialize)]
#[serde(try_from = "HistogramRepr")]
pub struct LogHistogram {
    /// One counter per bucket, allocated in whole groups of 128 up to the largest value's group.
    counts: Vec<u64>,
    count: u64,
    /// `u64::MAX` when empty.
    min: u64,
    /// 0 when empty.
    max: u64,
    sum: u128,
}

impl LogHistogram {
    /// Values below this are recorded exactly, each in a bucket of its own.
    pub const EXACT_BELOW: u64 = EXACT_LIMIT;

    /// The largest relative distance between a bucket's representative (its midpoint) and any
    /// value in the bucket: 1/256. Quantiles are within this of the true sample.
    pub const RELATIVE_ERROR: f64 = 1.0 / 256.0;

    /// An empty histogram; it allocates nothing until the first sample.
    pub const fn new() -> Self {
        LogHistogram {
            counts: Vec::new(),
            count: 0,
            min: u64::MAX,
            max: 0,
            sum: 0,
        }
    }

    /// Records one sample.
    #[inline]
    pub fn record(&mut self, value: u64) {
        self.record_n(value, 1);
    }

    /// Records `n` samples of the same value (nothing when `n` is 0).
    #[inline]
    pub fn record_n(&mut self, value: u64, n: u64) {
        if n == 0 {
            return;
        }
        let index = bucket_index(value);
        match self.counts.get_mut(index) {
            Some(slot) => *slot += n,
            None => self.grow_and_add(index, n),
        }
        self.count += n;
        self.sum += u128::from(value) * u128::from(n);
        self.min = self.min.min(value);
        self.max = self.max.max(value);
    }

    /// The slow path of [`Self::record_n`]: a value beyond every counter allocated so far.
    #[cold]
    #[inline(never)]
    fn grow_and_add(&mut self, index: usize, n: u64) {
        self.cover(index);
        self.counts[index] += n;
    }

    /// Allocates counters up to the end of the group of 128 holding bucket `index`.
    fn cover(&mut self, index: usize) {
        let len = ((index >> SUB_BITS) + 1) << SUB_BITS;
        debug_assert!(len <= BUCKET_COUNT);
        if len > self.counts.len() {
            self.counts.reserve_exact(len - self.counts.len());
            self.counts.resize(len, 0);
        }
    }

    /// Adds every sample of `other`. Exact: the result equals the histogram of both streams.
    pub fn merge(&mut self, other: &LogHistogram) {
        if other.count == 0 {
            return;
        }
        if other.counts.len() > self.counts.len() {
            self.cover(other.counts.len() - 1);
        }
        for (mine, theirs) in self.counts.iter_mut().zip(&other.counts) {
            *mine += *theirs;
        }
        self.count += other.count;
        self.sum += other.sum;
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
    }

    /// Forgets every sample, keeping the allocated counters for reuse.
    pub fn clear(&mut self) {
        self.counts.fill(0);
        self.count = 0;
        self.min = u64::MAX;
        self.max = 0;
        self.sum = 0;
    }

    /// Number of samples recorded.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// `true` if nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The smallest sample, exactly; `None` when empty.
    pub fn min(&self) -> Option<u64> {
        (self.count > 0).then_some(self.min)
    }

    /// The largest sample, exactly; `None` when empty.
    pub fn max(&self) -> Option<u64> {
        (self.count > 0).then_some(self.max)
    }

    /// The exact sum of every sample.
    pub fn sum(&self) -> u128 {
        self.sum
    }

    /// The mean of the samples (the exact sum divided by the count, rounded once); 0 when empty.
    pub fn mean(&self) -> f64 {
        if self.count == 0 {
            return 0.0;
        }
        self.sum as f64 / self.count as f64
    }

    /// The value at quantile `q` (0 to 1; clamped, NaN counts as 0) by the rule in the
    /// [module documentation](self): the sample of rank `ceil(q·n)`, exact for the minimum and
    /// maximum, otherwise its bucket's midpoint narrowed to `[min, max]`. 0 when empty.
    pub fn value_at_quantile(&self, q: f64) -> u64 {
        if self.count == 0 {
            return 0;
        }
        let rank = quantile_rank(q, self.count);
        if rank == 1 {
            return self.min;
        }
        if rank == self.count {
            return self.max;
        }
        self.index_at_rank(rank)
            .map_or(self.max, |index| self.representative(index))
    }

    /// The smallest and largest value (both inclusive) of the bucket holding the sample of
    /// 1-based ascending `rank`; `None` when `rank` is 0 or above the count.
    ///
    /// For callers with a quantile rule of their own: the PBS report, for one, takes a bucket's
    /// midpoint and upper edge in milliseconds (see [`crate::pbs`]).
    pub fn bucket_at_rank(&self, rank: u64) -> Option<(u64, u64)> {
        if rank == 0 || rank > self.count {
            return None;
        }
        self.index_at_rank(rank).map(bucket_bounds)
    }

    /// The bucket holding the sample of 1-based ascending `rank` (`1..=count`).
    fn index_at_rank(&self, rank: u64) -> Option<usize> {
        let mut seen = 0u64;
        self.counts.iter().position(|&n| {
            seen += n;
            seen >= rank
        })
    }

    /// The value standing for every sample of bucket `index`: the midpoint of the bucket narrowed
    /// to `[min, max]` (every sample lies in both).
    fn representative(&self, index: usize) -> u64 {
        let (low, high) = bucket_bounds(index);
        midpoint(low.max(self.min), high.min(self.max))
    }

    /// The non-empty buckets in ascending order, as `(low, high, count)` with `low` and `high`
    /// the bucket's smallest and largest value, both inclusive.
    pub fn bins(&self) -> impl Iterator<Item = (u64, u64, u64)> + '_ {
        self.counts
            .iter()
            .enumerate()
            .filter(|&(_, &n)| n > 0)
            .map(|(index, &n)| {
                let (low, high) = bucket_bounds(index);
                (low, high, n)
            })
    }

    /// The samples regrouped into bins of `width` values (at least 1) for drawing: the
    /// non-empty bins in ascending order, as `(low, high, count)` with bin `k` covering
    /// `k·width ..= k·width + width - 1` (saturating at `u64::MAX`).
    ///
    /// Each bucket's whole count goes to the bin holding its representative (see
    /// [`Self::value_at_quantile`]), so a bin edge is as exact as the buckets around it.
    pub fn bins_linear(&self, width: u64) -> Vec<(u64, u64, u64)> {
        let width = width.max(1);
        let mut out: Vec<(u64, u64, u64)> = Vec::new();
        for (index, &n) in self.counts.iter().enumerate() {
            if n == 0 {
                continue;
            }
            let low = self.representative(index) / width * width;
            match out.last_mut() {
                Some(last) if last.0 == low => last.2 += n,
                _ => out.push((low, low.saturating_add(width - 1), n)),
            }
        }
        out
    }

    /// The samples regrouped into `per_decade` (at least 1) logarithmically even bins per power
    /// of ten, for drawing on a log axis: the non-empty bins in ascending order, as
    /// `(low, high, count)`. Bin `k` covers
    /// `ceil(10^(k/per_decade)) ..= ceil(10^((k+1)/per_decade)) - 1`, so with `per_decade = 1`
    /// the bins are `1..=9`, `10..=99`, ...; the value 0 has a bin `(0, 0, count)` of its own.
    ///
    /// Each bucket's whole count goes to the bin holding its representative.
    pub fn bins_log(&self, per_decade: u32) -> Vec<(u64, u64, u64)> {
        let per_decade = per_decade.max(1);
        let mut out: Vec<(u64, u64, u64)> = Vec::new();
        for (index, &n) in self.counts.iter().enumerate() {
            if n == 0 {
                continue;
            }
            let value = self.representative(index);
            let (low, high) = if value == 0 {
                (0, 0)
            } else {
                let v = u128::from(value);
                // A first guess from the logarithm, corrected against the integer edges so the
                // bins partition the integers whatever the rounding of log10 and pow.
                let mut k = (libm::log10(value as f64) * f64::from(per_decade)) as u64;
                while k > 0 && log_edge(k, per_decade) > v {
                    k -= 1;
                }
                while log_edge(k + 1, per_decade) <= v {
                    k += 1;
                }
                let high = (log_edge(k + 1, per_decade) - 1).min(u128::from(u64::MAX));
                (log_edge(k, per_decade) as u64, high as u64)
            };
            match out.last_mut() {
                Some(last) if last.0 == low => last.2 += n,
                _ => out.push((low, high, n)),
            }
        }
        out
    }

    /// Counters currently allocated (memory is 8 bytes each): a multiple of 128, set by the
    /// largest value recorded and never by the number of samples.
    pub fn allocated_buckets(&self) -> usize {
        self.counts.capacity()
    }

    /// The summary of samples recorded in microseconds, converted to milliseconds.
    pub fn summary_ms(&self) -> Summary {
        self.summary_scaled(1000.0)
    }

    /// The summary with every figure divided by `per_unit`: samples recorded in microseconds
    /// give milliseconds with 1000, plain counts (versions behind, say) stay counts with 1.
    pub fn summary_scaled(&self, per_unit: f64) -> Summary {
        let scaled = |value: u64| value as f64 / per_unit;
        Summary {
            count: self.count,
            min: scaled(self.min().unwrap_or(0)),
            p50: scaled(self.value_at_quantile(0.5)),
            p90: scaled(self.value_at_quantile(0.9)),
            p95: scaled(self.value_at_quantile(0.95)),
            p99: scaled(self.value_at_quantile(0.99)),
            p999: scaled(self.value_at_quantile(0.999)),
            max: scaled(self.max().unwrap_or(0)),
            mean: self.mean() / per_unit,
        }
    }
}

impl Default for LogHistogram {
    fn default() -> Self {
        LogHistogram::new()
    }
}

impl PartialEq for LogHistogram {
    fn eq(&self, other: &Self) -> bool {
        let (short, long) = if self.counts.len() <= other.counts.len() {
            (&self.counts, &other.counts)
        } else {
            (&other.counts, &self.counts)
        };
        self.count == other.count
            && self.sum == other.sum
            && self.min == other.min
            && self.max == other.max
            && long[..short.len()] == short[..]
            && long[short.len()..].iter().all(|&n| n == 0)
    }
}

impl Eq for LogHistogram {}

/// Records each value in turn, keeping the count, sum, minimum and maximum in registers
/// meanwhile: the same histogram as [`LogHistogram::record`] value by value, faster for a batch.
impl Extend<u64> for LogHistogram {
    #[inline]
    fn extend<I: IntoIterator<Item = u64>>(&mut self, values: I) {
        let (mut count, mut sum, mut min, mut max) = (0u64, 0u128, self.min, self.max);
        for value in values {
            let index = bucket_index(value);
            match self.counts.get_mut(index) {
                Some(slot) => *slot += 1,
                None => self.grow_and_add(index, 1),
            }
            count += 1;
            sum += u128::from(value);
            min = min.min(value);
            max = max.max(value);
        }
        self.count += count;
        self.sum += sum;
        self.min = min;
        self.max = max;
    }
}

impl FromIterator<u64> for LogHistogram {
    fn from_iter<I: IntoIterator<Item = u64>>(values: I) -> Self {
        let mut h = LogHistogram::new();
        h.extend(values);
        h
    }
}

/// The non-empty buckets as `[low, count]` pairs, without building a list.
struct NonEmptyBuckets<'a>(&'a LogHistogram);

impl Serialize for NonEmptyBuckets<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.bins().map(|(low, _, n)| (low, n)))
    }
}

impl Serialize for LogHistogram {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("LogHistogram", 5)?;
        s.serialize_field("count", &self.count)?;
        s.serialize_field("min", &self.min().unwrap_or(0))?;
        s.serialize_field("max", &self.max().unwrap_or(0))?;
        s.serialize_field("sum", &self.sum)?;
        s.serialize_field("buckets", &NonEmptyBuckets(self))?;
        s.end()
    }
}

/// The serialized form of a [`LogHistogram`], checked before it becomes one.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HistogramRepr {
    count: u64,
    min: u64,
    max: u64,
    sum: u128,
    buckets: Vec<(u64, u64)>,
}

impl TryFrom<HistogramRepr> for LogHistogram {
    type Error = FieldError;

    fn try_from(r: HistogramRepr) -> Result<Self, FieldError> {
        let mut h = LogHistogram::new();
        if r.count == 0 {
            if !r.buckets.is_empty() {
                return Err(FieldError::new(
                    "buckets",
                    r.buckets.len(),
                    "no buckets when count is 0",
                ));
            }
            if r.sum != 0 {
                return Err(FieldError::new("sum", r.sum, "0 when count is 0"));
            }
            return Ok(h);
        }
        if r.min > r.max {
            return Err(FieldError::new(
                "min",
                r.min,
                format!("at most max ({})", r.max),
            ));
        }
        let (Some(&(first, _)), Some(&(last, _))) = (r.buckets.first(), r.buckets.last()) else {
            return Err(FieldError::new(
                "buckets",
                "[]",
                "at least one bucket when count > 0",
            ));
        };
        if bucket_index(r.min) != bucket_index(first) {
            return Err(FieldError::new("min", r.min, "a value in the first bucket"));
        }
        if bucket_index(r.max) != bucket_index(last) {
            return Err(FieldError::new("max", r.max, "a value in the last bucket"));
        }
        let last_index = bucket_index(r.max);
        h.cover(last_index);
        let (mut total, mut least, mut most) = (0u64, 0u128, 0u128);
        let mut previous: Option<usize> = None;
        for (i, &(low, n)) in r.buckets.iter().enumerate() {
            let index = bucket_index(low);
            let out_of_order = previous.is_some_and(|p| p >= index) || index > last_index;
            if bucket_bounds(index).0 != low || n == 0 || out_of_order {
                return Err(FieldError::new(
                    format!("buckets[{i}]"),
                    format!("[{low}, {n}]"),
                    "a bucket's smallest value, in ascending order, with a count above 0",
                ));
            }
            previous = Some(index);
            total = total.checked_add(n).ok_or_else(|| {
                FieldError::new(format!("buckets[{i}]"), n, "counts adding up to count")
            })?;
            let (low, high) = bucket_bounds(index);
            least += u128::from(low.max(r.min)) * u128::from(n);
            most += u128::from(high.min(r.max)) * u128::from(n);
            h.counts[index] = n;
        }
        if total != r.count {
            return Err(FieldError::new(
                "count",
                r.count,
                format!("the buckets' total ({total})"),
            ));
        }
        if r.sum < least || r.sum > most {
            return Err(FieldError::new(
                "sum",
                r.sum,
                format!("a sum the buckets allow ({least} to {most})"),
            ));
        }
        h.count = r.count;
        h.min = r.min;
        h.max = r.max;
        h.sum = r.sum;
        Ok(h)
    }
}

/// The usual figures of a distribution: the crate's one summary type, used for every latency,
/// staleness and versions-behind figure of a run's report and for a PBS run's latencies.
///
/// From [`LogHistogram::summary_ms`] (microsecond samples, figures in **milliseconds**) or
/// [`LogHistogram::summary_scaled`] (any unit). Percentiles follow the histogram's quantile rule
/// (the sample of rank `ceil(q·n)`, as its bucket's midpoint narrowed to `[min, max]`, so within
/// 1/256 of the true sample and exact below 256 units); `count`, `min`, `max` and `mean` are
/// exact. All zero for an empty histogram.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Number of samples.
    pub count: u64,
    /// Smallest sample.
    pub min: f64,
    /// Median.
    pub p50: f64,
    /// 90th percentile.
    pub p90: f64,
    /// 95th percentile.
    pub p95: f64,
    /// 99th percentile.
    pub p99: f64,
    /// 99.9th percentile.
    pub p999: f64,
    /// Largest sample.
    pub max: f64,
    /// Mean of the samples.
    pub mean: f64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::SimRng;
    use alloc::vec;

    /// The sample of the quantile rule's rank, from sorted samples.
    fn exact_quantile(sorted: &[u64], q: f64) -> u64 {
        sorted[quantile_rank(q, sorted.len() as u64) as usize - 1]
    }

    /// `|estimate - exact| / exact`, 0 when both are 0.
    fn relative_error(estimate: u64, exact: u64) -> f64 {
        if exact == 0 {
            return if estimate == 0 { 0.0 } else { f64::INFINITY };
        }
        estimate.abs_diff(exact) as f64 / exact as f64
    }

    /// A random microsecond sample.
    type Draw = fn(&mut SimRng) -> u64;

    /// Named random distributions of microsecond samples.
    fn distributions() -> Vec<(&'static str, Draw)> {
        vec![
            ("uniform 0..1e6", |r| r.below(1_000_000)),
            ("uniform 0..300 (mostly exact)", |r| r.below(300)),
            ("exponential mean 50 ms", |r| {
                (-50_000.0 * libm::log(r.next_f64_nonzero())) as u64
            }),
            ("lognormal around 20 ms", |r| {
                let radius = libm::sqrt(-2.0 * libm::log(r.next_f64_nonzero()));
                let normal = radius * libm::cos(core::f64::consts::TAU * r.next_f64());
                libm::exp(libm::log(20_000.0) + 1.5 * normal) as u64
            }),
            ("pareto alpha 1.1 from 1 ms", |r| {
                let x = 1000.0 * libm::pow(r.next_f64_nonzero(), -1.0 / 1.1);
                if x >= 1e18 {
                    1_000_000_000_000_000_000
                } else {
                    x as u64
                }
            }),
            ("replica lag with 2% spikes", |r| {
                let lag = 150_000 + r.below(200_000);
                if r.chance(0.02) {
                    lag + 4_000_000 + r.below(4_000_000)
                } else {
                    lag
                }
            }),
            ("full u64 range, log-uniform", |r| {
                r.next_u64() >> r.below(64)
            }),
            ("constant 123,456,789", |_| 123_456_789),
        ]
    }

    const QUANTILES: [f64; 14] = [
        0.0, 0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.995, 0.999, 0.9999, 1.0,
    ];

    #[test]
    fn buckets_tile_u64_and_are_narrow() {
        assert_eq!(bucket_index(0), 0);
        assert_eq!(bucket_index(u64::MAX), BUCKET_COUNT - 1);
        assert_eq!(bucket_bounds(BUCKET_COUNT - 1).1, u64::MAX);
        let mut expected_low = 0u64;
        for index in 0..BUCKET_COUNT {
            let (low, high) = bucket_bounds(index);
            assert_eq!(
                low, expected_low,
                "bucket {index} starts where the last ended"
            );
            assert!(low <= high);
            assert_eq!(bucket_index(low), index);
            assert_eq!(bucket_index(high), index);
            if low < EXACT_LIMIT {
                assert_eq!(low, high, "values below 256 are exact");
            } else {
                assert!(
                    (high - low + 1) * 128 <= low,
                    "bucket {index} is at most 1/128 wide"
                );
            }
            expected_low = high.wrapping_add(1);
        }
        assert_eq!(expected_low, 0, "the last bucket ends at u64::MAX");
    }

    #[test]
    fn every_value_is_within_1_256_of_its_bucket_midpoint() {
        let check = |v: u64| {
            let (low, high) = bucket_bounds(bucket_index(v));
            assert!(low <= v && v <= high);
            assert!(
                midpoint(low, high).abs_diff(v) as u128 * 256 <= u128::from(v),
                "value {v}"
            );
        };
        (0..1 << 20).for_each(check);
        for e in 20..64 {
            for d in 0..4u64 {
                check((1u64 << e) + d);
                check((1u64 << e) - 1 - d);
            }
        }
        check(u64::MAX);
        let mut rng = SimRng::new(3);
        for _ in 0..200_000 {
            let v = rng.next_u64() >> rng.below(64);
            check(v);
        }
    }

    #[test]
    fn quantiles_are_within_the_bound_of_sorted_samples() {
        const { assert!(LogHistogram::RELATIVE_ERROR < 0.01) };
        let mut worst = 0.0f64;
        for (seed, (name, draw)) in distributions().into_iter().enumerate() {
            for n in [1usize, 2, 3, 7, 100, 1000, 100_000] {
                let mut rng = SimRng::fork(seed as u64, n as u64);
                let mut samples: Vec<u64> = (0..n).map(|_| draw(&mut rng)).collect();
                let h: LogHistogram = samples.iter().copied().collect();
                samples.sort_unstable();
                assert_eq!(
                    h.value_at_quantile(0.0),
                    samples[0],
                    "{name} n={n}: q=0 is min"
                );
                assert_eq!(
                    h.value_at_quantile(1.0),
                    samples[n - 1],
                    "{name} n={n}: q=1 is max"
                );
                let sweep = (0..=1000).map(|i| f64::from(i) / 1000.0);
                for q in QUANTILES.into_iter().chain(sweep) {
                    let (got, want) = (h.value_at_quantile(q), exact_quantile(&samples, q));
                    let err = relative_error(got, want);
                    assert!(
                        err <= LogHistogram::RELATIVE_ERROR,
                        "{name} n={n} q={q}: {got} vs exact {want} ({err})"
                    );
                    worst = worst.max(err);
                }
            }
        }
        assert!(worst > 0.0, "the data exercised the inexact buckets");
    }

    #[test]
    fn count_min_max_sum_and_mean_are_exact() {
        for (seed, (name, draw)) in distributions().into_iter().enumerate() {
            let mut rng = SimRng::new(seed as u64 + 100);
            let samples: Vec<u64> = (0..10_000).map(|_| draw(&mut rng)).collect();
            let h: LogHistogram = samples.iter().copied().collect();
            let sum: u128 = samples.iter().map(|&v| u128::from(v)).sum();
            assert_eq!(h.count(), 10_000, "{name}");
            assert_eq!(h.min(), samples.iter().copied().min(), "{name}");
            assert_eq!(h.max(), samples.iter().copied().max(), "{name}");
            assert_eq!(h.sum(), sum, "{name}");
            assert_eq!(h.mean(), sum as f64 / 10_000.0, "{name}");
            assert_eq!(h.bins().map(|b| b.2).sum::<u64>(), 10_000, "{name}");
        }
    }

    #[test]
    fn quantile_rank_is_ceil_of_q_times_n() {
        assert_eq!(
            quantile_rank(0.07, 100),
            7,
            "0.07 * 100 is 7.000000000000001 in f64"
        );
        assert_eq!(quantile_rank(0.95, 100), 95);
        assert_eq!(quantile_rank(0.951, 100), 96);
        assert_eq!(quantile_rank(0.5, 3), 2);
        assert_eq!(quantile_rank(0.999, 1000), 999);
        assert_eq!(quantile_rank(0.0, 10), 1);
        assert_eq!(quantile_rank(1e-9, 10), 1);
        assert_eq!(quantile_rank(1.0, 10), 10);
        assert_eq!(quantile_rank(-1.0, 10), 1);
        assert_eq!(quantile_rank(2.0, 10), 10);
        assert_eq!(quantile_rank(f64::NAN, 10), 1);
        assert_eq!(quantile_rank(1.0, u64::MAX), u64::MAX);
        // Ranks between the extremes come from the bucket midpoint, narrowed to [min, max].
        let h: LogHistogram = [1000, 1001, 1002, 1003].into_iter().collect();
        assert_eq!(
            h.value_at_quantile(0.5),
            1001,
            "bucket 1000..=1003, midpoint 1001"
        );
        let h: LogHistogram = [1002, 1002, 1003].into_iter().collect();
        assert_eq!(
            h.value_at_quantile(0.5),
            1002,
            "the bucket narrowed to [1002, 1003]"
        );
    }

    #[test]
    fn merge_is_exact_commutative_and_has_an_identity() {
        let mut rng = SimRng::new(11);
        let draws = distributions();
        let a_samples: Vec<u64> = (0..5000).map(|_| (draws[3].1)(&mut rng)).collect();
        let b_samples: Vec<u64> = (0..7000).map(|_| (draws[6].1)(&mut rng)).collect();
        let a: LogHistogram = a_samples.iter().copied().collect();
        let b: LogHistogram = b_samples.iter().copied().collect();
        let all: LogHistogram = a_samples.iter().chain(&b_samples).copied().collect();

        let mut ab = a.clone();
        ab.merge(&b);
        let mut ba = b.clone();
        ba.merge(&a);
        assert_eq!(ab, ba);
        assert_eq!(ab, all);
        assert_eq!(ab.count(), all.count());
        assert_eq!(
            ab.bins().collect::<Vec<_>>(),
            all.bins().collect::<Vec<_>>()
        );

        let empty = LogHistogram::new();
        let mut a_empty = a.clone();
        a_empty.merge(&empty);
        assert_eq!(a_empty, a);
        let mut empty_a = LogHistogram::new();
        empty_a.merge(&a);
        assert_eq!(empty_a, a);
        assert_eq!(empty_a.min(), a.min());

        // Associative too, and a cleared histogram (counters kept) still equals a new one.
        let c: LogHistogram = [0, 7, u64::MAX].into_iter().collect();
        let (mut left, mut right) = (ab.clone(), b.clone());
        left.merge(&c);
        right.merge(&c);
        let mut a_then = a.clone();
        a_then.merge(&right);
        assert_eq!(left, a_then);
        let mut cleared = c.clone();
        cleared.clear();
        assert_eq!(cleared, LogHistogram::new());
        let mut cleared_a = cleared.clone();
        cleared_a.merge(&a);
        assert_eq!(cleared_a, a);
    }

    #[test]
    fn memory_does_not_grow_with_the_number_of_samples() {
        let mut rng = SimRng::new(5);
        let mut h = LogHistogram::new();
        let draw = |rng: &mut SimRng| {
            // Up to 10 s in µs, spread over every magnitude of the range.
            let v = rng.below(10_000_000);
            v >> rng.below(24)
        };
        h.record(9_999_999);
        for _ in 0..10_000 {
            h.record(draw(&mut rng));
        }
        let after_ten_thousand = h.allocated_buckets();
        for _ in 10_000..10_000_000 {
            h.record(draw(&mut rng));
        }
        assert_eq!(h.count(), 10_000_001);
        assert_eq!(h.allocated_buckets(), after_ten_thousand);
        assert_eq!(
            after_ten_thousand, 2304,
            "10 s of µs takes 2,304 counters (18 KB)"
        );

        let mut wide = LogHistogram::new();
        wide.record(10_000_000_000_000);
        assert_eq!(wide.allocated_buckets(), 4864, "10^13 µs takes 38 KB");
        wide.record(u64::MAX);
        assert_eq!(
            wide.allocated_buckets(),
            BUCKET_COUNT,
            "all of u64 takes 58 KB"
        );
    }

    #[test]
    fn edge_values_and_the_empty_histogram() {
        let empty = LogHistogram::new();
        assert!(empty.is_empty());
        assert_eq!((empty.count(), empty.min(), empty.max()), (0, None, None));
        assert_eq!((empty.sum(), empty.mean()), (0, 0.0));
        assert_eq!(empty.value_at_quantile(0.5), 0);
        assert_eq!(empty.value_at_quantile(1.0), 0);
        assert_eq!(empty.bins().count(), 0);
        assert!(empty.bins_linear(10).is_empty() && empty.bins_log(5).is_empty());
        assert_eq!(empty.summary_ms(), Summary::default());
        assert_eq!(empty.allocated_buckets(), 0);
        assert_eq!(empty, LogHistogram::default());

        let mut h = LogHistogram::new();
        h.record_n(42, 0);
        assert_eq!(h, empty, "recording 0 samples changes nothing");
        h.record(0);
        h.record(1);
        h.record(u64::MAX);
        assert_eq!((h.min(), h.max(), h.count()), (Some(0), Some(u64::MAX), 3));
        assert_eq!(h.sum(), u128::from(u64::MAX) + 1);
        assert_eq!(h.value_at_quantile(0.0), 0);
        assert_eq!(h.value_at_quantile(0.5), 1);
        assert_eq!(h.value_at_quantile(1.0), u64::MAX);
        assert_eq!(
            h.bins().collect::<Vec<_>>(),
            vec![(0, 0, 1), (1, 1, 1), (255 << 56, u64::MAX, 1)]
        );

        let mut huge = LogHistogram::new();
        huge.record_n(u64::MAX, u64::MAX);
        assert_eq!(huge.sum(), u128::from(u64::MAX) * u128::from(u64::MAX));
        assert_eq!(huge.mean(), u64::MAX as f64);
        assert_eq!(
            huge.value_at_quantile(0.5),
            u64::MAX,
            "narrowed to [min, max]"
        );

        let mut zeros = LogHistogram::new();
        zeros.record_n(0, 5);
        assert_eq!(zeros.value_at_quantile(0.9), 0);
        assert_eq!(zeros.bins_log(10), vec![(0, 0, 5)]);
    }

    #[test]
    fn summary_is_in_milliseconds_with_the_named_fields() {
        let h: LogHistogram = (1..=1000u64).map(|ms| ms * 1000).collect();
        let s = h.summary_ms();
        assert_eq!(s.count, 1000);
        assert_eq!((s.min, s.max, s.mean), (1.0, 1000.0, 500.5));
        for (got, want) in [
            (s.p50, 500.0),
            (s.p90, 900.0),
            (s.p95, 950.0),
            (s.p99, 990.0),
        ] {
            assert!(libm::fabs(got - want) <= want / 256.0, "{got} vs {want}");
        }
        assert!(libm::fabs(s.p999 - 999.0) <= 999.0 / 256.0);
        let json = serde_json::to_value(s).unwrap();
        let keys: Vec<&str> = json
            .as_object()
            .unwrap()
            .keys()
            .map(|k| k.as_str())
            .collect();
        for key in [
            "count", "min", "p50", "p90", "p95", "p99", "p999", "max", "mean",
        ] {
            assert!(keys.contains(&key), "{key} in {keys:?}");
        }
        assert_eq!(keys.len(), 9);
        let back: Summary = serde_json::from_value(json).unwrap();
        assert_eq!(back, s);
    }

    #[test]
    fn rebinning_keeps_every_sample() {
        let mut rng = SimRng::new(8);
        let draw = distributions()[5].1;
        let h: LogHistogram = (0..50_000).map(|_| draw(&mut rng)).collect();
        for bins in [
            h.bins_linear(100_000),
            h.bins_linear(1),
            h.bins_linear(u64::MAX),
            h.bins_log(1),
            h.bins_log(20),
        ] {
            assert_eq!(bins.iter().map(|b| b.2).sum::<u64>(), 50_000);
            for pair in bins.windows(2) {
                assert!(pair[0].1 < pair[1].0, "ascending and disjoint: {pair:?}");
            }
            assert!(bins.iter().all(|&(low, high, n)| low <= high && n > 0));
        }
        let linear = h.bins_linear(1_000_000);
        assert_eq!((linear[0].0, linear[0].1), (0, 999_999));
        assert!(linear[0].2 > 45_000, "most lags are below 1 s");
        let decades = h.bins_log(1);
        assert_eq!((decades[0].0, decades[0].1), (100_000, 999_999));
        assert_eq!((decades[1].0, decades[1].1), (1_000_000, 9_999_999));
        let fine: LogHistogram = [1, 2, 3, 10, 99, 100, 1000, 999_999].into_iter().collect();
        assert_eq!(
            fine.bins_log(1),
            vec![
                (1, 9, 3),
                (10, 99, 2),
                (100, 999, 1),
                (1000, 9999, 1),
                (100_000, 999_999, 1)
            ]
        );
        assert_eq!(
            fine.bins_log(2)[0],
            (1, 3, 3),
            "10^0.5 = 3.16, so the first bin is 1..=3"
        );
        let top: LogHistogram = [u64::MAX].into_iter().collect();
        assert_eq!(
            top.bins_log(1),
            vec![(10_000_000_000_000_000_000, u64::MAX, 1)]
        );
        assert_eq!(
            top.bins_linear(1_000),
            vec![(u64::MAX / 1000 * 1000, u64::MAX, 1)]
        );
    }

    #[test]
    fn serde_round_trips_compactly_and_rejects_inconsistent_input() {
        let mut rng = SimRng::new(21);
        let draw = distributions()[3].1;
        let h: LogHistogram = (0..20_000).map(|_| draw(&mut rng)).collect();
        let json = serde_json::to_string(&h).unwrap();
        let back: LogHistogram = serde_json::from_str(&json).unwrap();
        assert_eq!(back, h);
        assert_eq!(back.allocated_buckets(), h.allocated_buckets());
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(value["buckets"].as_array().unwrap().len(), h.bins().count());

        let empty_json = serde_json::to_string(&LogHistogram::new()).unwrap();
        assert_eq!(
            empty_json,
            r#"{"count":0,"min":0,"max":0,"sum":0,"buckets":[]}"#
        );
        let empty: LogHistogram = serde_json::from_str(&empty_json).unwrap();
        assert_eq!(empty, LogHistogram::new());

        let small: LogHistogram = [5, 5, 300, u64::MAX].into_iter().collect();
        let json = serde_json::to_string(&small).unwrap();
        assert_eq!(
            json,
            r#"{"count":4,"min":5,"max":18446744073709551615,"sum":18446744073709551925,"buckets":[[5,2],[300,1],[18374686479671623680,1]]}"#
        );
        assert_eq!(serde_json::from_str::<LogHistogram>(&json).unwrap(), small);

        let good = r#""count":3,"min":5,"max":300,"sum":310"#;
        assert!(
            serde_json::from_str::<LogHistogram>(&format!(
                r#"{{{good},"buckets":[[5,2],[300,1]]}}"#
            ))
            .is_ok()
        );
        for bad in [
            r#"{"count":4,"min":5,"max":300,"sum":310,"buckets":[[5,2],[300,1]]}"#,
            r#"{"count":3,"min":5,"max":300,"sum":310,"buckets":[[300,1],[5,2]]}"#,
            r#"{"count":3,"min":5,"max":300,"sum":310,"buckets":[[5,2],[301,1]]}"#,
            r#"{"count":3,"min":5,"max":300,"sum":310,"buckets":[[5,3],[300,0]]}"#,
            r#"{"count":3,"min":6,"max":300,"sum":310,"buckets":[[5,2],[300,1]]}"#,
            r#"{"count":3,"min":5,"max":600,"sum":310,"buckets":[[5,2],[300,1]]}"#,
            r#"{"count":3,"min":5,"max":300,"sum":999,"buckets":[[5,2],[300,1]]}"#,
            r#"{"count":3,"min":300,"max":5,"sum":310,"buckets":[[5,2],[300,1]]}"#,
            r#"{"count":0,"min":0,"max":0,"sum":0,"buckets":[[5,2]]}"#,
            r#"{"count":3,"min":5,"max":300,"sum":310,"buckets":[]}"#,
        ] {
            assert!(
                serde_json::from_str::<LogHistogram>(bad).is_err(),
                "accepted {bad}"
            );
        }
    }
}
