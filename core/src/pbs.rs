//! Probabilistically Bounded Staleness (PBS): how often a Dynamo-style partial quorum returns the
//! latest committed write, `t` milliseconds after it commits.
//!
//! This is a Monte Carlo of the *WARS* model of
//!
//! > Peter Bailis, Shivaram Venkataraman, Michael J. Franklin, Joseph M. Hellerstein and Ion
//! > Stoica. "Probabilistically Bounded Staleness for Practical Partial Quorums". PVLDB 5(8),
//! > 2012 (VLDB 2012), pp. 776–787. arXiv:1204.6082.
//!
//! written from the paper's definitions (section 4.1, "Inconsistency in Dynamo: WARS Model", and
//! section 5.1, "Monte Carlo Simulator").
//!
//! ## The model
//!
//! Each trial has `N` replicas and draws, for every replica `i`, four one-way delays from the leg
//! distributions of [`WarsLegs`]:
//!
//! * the write reaches replica `i` after `W[i]` and is applied there; its acknowledgement takes
//!   a further `A[i]`. The write commits at `w_t`, the `W`-th smallest `W[i] + A[i]`;
//! * a read is issued `t` ms after the commit. It reaches replica `i` after `R[i]`, whose answer
//!   takes a further `S[i]`. The coordinator returns after the first `R` answers, ordered by
//!   `R[i] + S[i]`;
//! * the read is **consistent** if at least one of those `R` replicas had applied the write when
//!   the read reached it: `w_t + t + R[i] >= W[i]`. Otherwise it is stale (the paper's condition
//!   for staleness is `R[i] + w_t + t < W[i]` for all of the first `R` answers).
//!
//! Write latency is `w_t`; read latency is the `R`-th smallest `R[i] + S[i]`. With `R + W > N`
//! a read is never stale. As in the paper, reads and writes do not overlap, and read repair,
//! other anti-entropy and failures are not modelled, so the probabilities of consistency are
//! conservative.
//!
//! ## One set of trials for every `t`
//!
//! A trial's draws do not depend on `t`, so each trial is summarised by its *visibility
//! horizon* `h = min(W[i] - w_t - R[i])` over the first `R` answers: the read is consistent for
//! exactly the `t >= h`. All requested `t` values are evaluated on the same trials, so
//! `P(consistent)` is the empirical distribution function of `h`: non-decreasing in `t` by
//! construction, and the smallest `t` reaching a target probability is a quantile of `h`.
//!
//! ## k-staleness
//!
//! [`k_staleness`] is the paper's closed form (its equation 2) for quorums that do not grow after
//! the write returns: the probability that a read returns one of the last `k` versions is
//! `1 - (C(N-W, R) / C(N, R))^k`. It has no time in it; for expanding (Dynamo-style) quorums it is
//! a lower bound.
//!
//! ## Memory and precision
//!
//! Memory does not grow with the number of trials: one counter per requested `t` (exact), and
//! three log-linear histograms for the visibility horizon and the two latencies: the crate's
//! [`LogHistogram`](crate::metrics::LogHistogram) (128 linear sub-buckets per power of two) in
//! units of 2^-24 ms, a few tens of KB each. Latency percentiles come from the bucket's midpoint
//! (within 0.4%), and the `t` for the target probability from the bucket's upper edge (within
//! 0.8%, rounded up, so at least the target fraction of trials is consistent at that `t`). Means
//! and maxima are exact.
//!
//! ## Sampling
//!
//! The legs are drawn from the same generator, in the same order and with the same inverse CDFs as
//! [`Dist::sample_ms`](crate::dist::Dist::sample_ms) would draw them. The paper's fits (two-part
//! mixtures of Paretos and exponentials) are sampled in batches of trials with a table-driven
//! `log2` and `exp2` of this module's own rather than with `libm`, several times faster and the
//! same on every target; the samples agree with `Dist::sample_ms`'s to a relative 1e-13, far below
//! the Monte Carlo noise, so reports agree with `Dist`-sampled ones up to the last digits of the
//! means and maxima (and, very rarely, a trial on the edge of a histogram bucket or of a `t`).
//! Other distributions are sampled by [`Dist::sample_ms`](crate::dist::Dist::sample_ms).
//!
//! ## Presets
//!
//! [`Preset`] holds the paper's fits to production latencies (its Table 3) — `lnkd-ssd`,
//! `lnkd-disk`, `ymmr` — and its `wan` scenario. With `N = 3, R = W = 1` the paper reports a
//! consistent read right after commit with probability 97.5% (`lnkd-ssd`), 43.9% (`lnkd-disk`)
//! and 89.3% (`ymmr`), which these presets reproduce.
//!
//! ```
//! use meridian_core::pbs::{PbsConfig, Preset};
//!
//! let mut config = PbsConfig::preset(Preset::LnkdDisk, 3, 1, 1);
//! config.trials = 20_000;
//! config.t_ms = vec![0.0, 10.0];
//! let report = config.run().expect("valid configuration");
//! // Spinning disks: a read right after commit is often stale, ten milliseconds later rarely.
//! assert!(report.consistency[0].p_consistent < 0.5);
//! assert!(report.consistency[1].p_consistent > 0.9);
//! ```

mod config;
mod fastmath;
mod histogram;
mod presets;
mod report;
mod run;
mod sampler;
mod scratch;
#[cfg(test)]
mod tests;
mod trial;

pub use config::{
    DEFAULT_T_MS, DEFAULT_TARGET, DEFAULT_TRIALS, MAX_REPLICAS, MAX_T_POINTS, MAX_TRIALS,
    PbsConfig, WarsLegs,
};
pub use presets::{Preset, UnknownPreset, WAN_REMOTE_DELAY_MS};
pub use report::{K_STALENESS_MAX, KStaleness, PbsReport, TVisibility, k_staleness};
#[cfg(feature = "std")]
pub use run::PROGRESS_CHUNK;
pub use run::{BLOCK_TRIALS, PbsRun};
