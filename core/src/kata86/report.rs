//! What a Kata 86 run reports: the reference's four figures plus fuller percentiles, tallies and
//! histogram bars for drawing.

use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use super::config::{Kata86Config, Kata86Params};
use super::exact_counts::{Bin, ExactCounts};
use crate::metrics::{self, Summary};

/// Width of a read-latency histogram bar, in ms.
pub const READ_BIN_MS: u32 = 10;
/// Width of a staleness histogram bar, in ms.
pub const STALENESS_BIN_MS: u32 = 100;

/// The reference simulation's result, field for field (`readP95`, `writeP95`, `stalenessP95`,
/// `stalenessP99` in JSON), all in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SimResult {
    /// p95 of read latency.
    pub read_p95: u32,
    /// p95 of write (charge) latency.
    pub write_p95: u32,
    /// p95 of staleness.
    pub staleness_p95: u32,
    /// p99 of staleness.
    pub staleness_p99: u32,
}

/// Everything a Kata 86 run measured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Kata86Report {
    /// The parameters that produced this report.
    pub params: Kata86Params,
    /// Iterations behind the figures (equals `params.iterations` once the run finished).
    pub iterations_done: u64,
    /// The reference simulation's four figures.
    pub summary: SimResult,
    /// Read latency (percentiles by the exercise's rule, see [`ExactCounts::summary`]).
    pub read_latency: Summary,
    /// Write (charge) latency.
    pub write_latency: Summary,
    /// Staleness, counted by `params.accounting`.
    pub staleness: Summary,
    /// Reads answered by the leader region.
    pub leader_reads: u64,
    /// Reads that fell back to the leader because the local lag exceeded 2 s.
    pub fallback_reads: u64,
    /// Reads whose recorded staleness exceeded the 2 s fallback threshold.
    pub reads_over_threshold: u64,
    /// Read-latency histogram, bars [`READ_BIN_MS`] wide.
    pub read_histogram: Vec<Bin>,
    /// Staleness histogram, bars [`STALENESS_BIN_MS`] wide.
    pub staleness_histogram: Vec<Bin>,
}

impl Kata86Report {
    pub(super) fn from_counts(
        params: Kata86Params,
        iterations_done: u64,
        read: &ExactCounts,
        write: &ExactCounts,
        staleness: &ExactCounts,
        leader_reads: u64,
        fallback_reads: u64,
    ) -> Self {
        Kata86Report {
            params,
            iterations_done,
            summary: SimResult {
                read_p95: read.percentile(95.0),
                write_p95: write.percentile(95.0),
                staleness_p95: staleness.percentile(95.0),
                staleness_p99: staleness.percentile(99.0),
            },
            read_latency: read.summary(),
            write_latency: write.summary(),
            staleness: staleness.summary(),
            leader_reads,
            fallback_reads,
            reads_over_threshold: staleness.count_above(Kata86Config::FALLBACK_THRESHOLD_MS),
            read_histogram: read.bins(READ_BIN_MS),
            staleness_histogram: staleness.bins(STALENESS_BIN_MS),
        }
    }

    /// [`Self::read_histogram`] as view-neutral bars, for drawing.
    pub fn read_bins(&self) -> Vec<metrics::Bin> {
        self.read_histogram.iter().map(|&b| b.into()).collect()
    }

    /// [`Self::staleness_histogram`] as view-neutral bars, for drawing.
    pub fn staleness_bins(&self) -> Vec<metrics::Bin> {
        self.staleness_histogram.iter().map(|&b| b.into()).collect()
    }

    /// Share of reads whose recorded staleness exceeded 2 s, in `[0, 1]`.
    pub fn share_over_threshold(&self) -> f64 {
        if self.iterations_done == 0 {
            0.0
        } else {
            self.reads_over_threshold as f64 / self.iterations_done as f64
        }
    }
}
