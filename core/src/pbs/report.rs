//! What a PBS run answers: [`PbsReport`] and its parts, and the closed-form [`k_staleness`].

use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use super::config::WarsLegs;
use crate::metrics::Summary;

/// The largest `k` reported in [`PbsReport::k_staleness`].
pub const K_STALENESS_MAX: u32 = 3;

/// The paper's closed-form *k*-staleness for non-expanding quorums: the probability that a read
/// quorum of `r` of `n` replicas, chosen at random, includes a replica of at least one of the
/// last `k` write quorums of size `w`: `1 - (C(n-w, r) / C(n, r))^k`. 1 when `r + w > n`;
/// assumes `1 <= r, w <= n`.
pub fn k_staleness(n: u32, r: u32, w: u32, k: u32) -> f64 {
    if r.saturating_add(w) > n {
        return 1.0;
    }
    // C(n-w, r) / C(n, r) = prod_{i<r} (n-w-i) / (n-i), each factor in (0, 1).
    let miss_one = (0..r).fold(1.0, |p, i| p * f64::from(n - w - i) / f64::from(n - i));
    let miss_all = (0..k).fold(1.0, |p, _| p * miss_one);
    1.0 - miss_all
}

/// `P(consistent read)` at one time after commit.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TVisibility {
    /// Time between the write's commit and the read's start, in milliseconds.
    pub t_ms: f64,
    /// Fraction of trials whose read was consistent.
    pub p_consistent: f64,
}

/// The closed-form probability of reading one of the last `k` versions (see [`k_staleness`]).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct KStaleness {
    /// Number of most recent versions that count as fresh enough.
    pub k: u32,
    /// Probability that the read returns one of them.
    pub p_within_k: f64,
}

/// What a PBS run found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PbsReport {
    /// Replication factor `N`.
    pub n: u32,
    /// Read quorum `R`.
    pub r: u32,
    /// Write quorum `W`.
    pub w: u32,
    /// `R + W > N`: every read is consistent.
    pub strict_quorum: bool,
    /// Trials run.
    pub trials: u64,
    /// The seed.
    pub seed: u64,
    /// The legs the trials were drawn from.
    pub legs: WarsLegs,
    /// `P(consistent read)` for each requested `t`, in the order requested.
    pub consistency: Vec<TVisibility>,
    /// The target probability.
    pub target: f64,
    /// The smallest `t`, in milliseconds, at which at least `target` of the trials read
    /// consistently (rounded up by at most 0.8%; 0 if reads right after commit already do).
    pub t_for_target_ms: f64,
    /// Closed-form k-staleness for `k = 1..=`[`K_STALENESS_MAX`].
    pub k_staleness: Vec<KStaleness>,
    /// Read latency over all trials: the `R`-th fastest answer (percentiles within 0.4%).
    pub read_latency_ms: Summary,
    /// Write latency over all trials: the commit time, the `W`-th fastest acknowledgement.
    pub write_latency_ms: Summary,
}
