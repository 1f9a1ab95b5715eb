//! [`Bin`], one bar of a histogram in milliseconds: the shape every model's histograms take on
//! their way to a chart, so that drawing code does not depend on the model that measured them.

use serde::{Deserialize, Serialize};

/// One bar of a histogram: `count` samples in `[lo_ms, hi_ms)`, in milliseconds.
///
/// Models keep their samples in their own units (integer milliseconds in Kata 86, microseconds in
/// [`super::LogHistogram`]); each converts its bars into this type, so that a chart draws any of
/// them alike.
///
/// ```
/// use meridian_core::metrics::{Bin, LogHistogram};
///
/// let mut h = LogHistogram::new();
/// h.record_n(1_500, 3); // three samples of 1.5 ms, in microseconds
/// let bins: Vec<Bin> = h.bins_linear(1000).into_iter().map(Bin::from_micros_inclusive).collect();
/// assert_eq!(bins, [Bin { lo_ms: 1.0, hi_ms: 2.0, count: 3 }]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Bin {
    /// Inclusive lower edge, in milliseconds.
    pub lo_ms: f64,
    /// Exclusive upper edge, in milliseconds.
    pub hi_ms: f64,
    /// Samples in the bar.
    pub count: u64,
}

impl Bin {
    /// A bar of `count` samples in `[lo_ms, hi_ms)`.
    pub const fn new(lo_ms: f64, hi_ms: f64, count: u64) -> Self {
        Bin {
            lo_ms,
            hi_ms,
            count,
        }
    }

    /// Converts a bar of whole microseconds `(low, high, count)` with both edges inclusive, as
    /// [`super::LogHistogram::bins_linear`] and [`super::LogHistogram::bins_log`] give them.
    pub fn from_micros_inclusive((low, high, count): (u64, u64, u64)) -> Self {
        Bin {
            lo_ms: low as f64 / 1000.0,
            hi_ms: (high as f64 + 1.0) / 1000.0,
            count,
        }
    }

    /// Width of the bar, in milliseconds (0 for a malformed bar whose edges are reversed).
    pub fn width_ms(&self) -> f64 {
        (self.hi_ms - self.lo_ms).max(0.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn microsecond_bars_become_half_open_millisecond_bars() {
        let b = Bin::from_micros_inclusive((2_000, 2_999, 7));
        assert_eq!(b, Bin::new(2.0, 3.0, 7));
        assert_eq!(b.width_ms(), 1.0);
        assert_eq!(Bin::new(3.0, 1.0, 0).width_ms(), 0.0);
    }
}
