//! The work space of a PBS run, reused from trial to trial: one trial's per-replica times and
//! the fast path's batch of draws and samples.

use super::config::MAX_REPLICAS;

/// Draws per batch of trials on the fast path (all four legs
/// [`Leg::TwoPart`](super::sampler::Leg::TwoPart)).
pub(super) const BATCH_DRAWS: usize = 1024;

/// Per-replica draws of one trial and the fast path's batch of draws, reused from trial to
/// trial.
#[derive(Debug, Clone)]
pub(super) struct Scratch {
    /// `W[i]`: when replica `i` applied the write.
    pub(super) applied: [f64; MAX_REPLICAS as usize],
    /// `W[i] + A[i]`: when its acknowledgement arrived.
    pub(super) acked: [f64; MAX_REPLICAS as usize],
    /// `R[i]`: when the read reached it, counted from the read's start.
    pub(super) reached: [f64; MAX_REPLICAS as usize],
    /// `R[i] + S[i]`: when its answer arrived.
    pub(super) answered: [f64; MAX_REPLICAS as usize],
    /// Work space for order statistics.
    pub(super) order: [u8; MAX_REPLICAS as usize],
    pub(super) sorted: [f64; MAX_REPLICAS as usize],
    /// Fast path: a batch's draws `u` by leg and part, and the index in `x` of each one's
    /// sample (see [`Batch::draw`](super::sampler::Batch::draw)).
    pub(super) u: [f64; BATCH_DRAWS],
    pub(super) dest: [u16; BATCH_DRAWS],
    /// Fast path, the sample of draw `4 (n t + i) + leg` of a batch (trial `t`, replica `i`).
    pub(super) x: [f64; BATCH_DRAWS],
    /// Fast path, per trial of a batch: the write's and the read's local replica, and the
    /// outcome.
    pub(super) local: [(u8, u8); BATCH_DRAWS / 4],
    pub(super) horizon: [f64; BATCH_DRAWS / 4],
    pub(super) write: [f64; BATCH_DRAWS / 4],
    pub(super) read: [f64; BATCH_DRAWS / 4],
}

impl Default for Scratch {
    fn default() -> Self {
        Scratch {
            applied: [0.0; MAX_REPLICAS as usize],
            acked: [0.0; MAX_REPLICAS as usize],
            reached: [0.0; MAX_REPLICAS as usize],
            answered: [0.0; MAX_REPLICAS as usize],
            order: [0; MAX_REPLICAS as usize],
            sorted: [0.0; MAX_REPLICAS as usize],
            u: [0.0; BATCH_DRAWS],
            dest: [0; BATCH_DRAWS],
            x: [0.0; BATCH_DRAWS],
            local: [(0, 0); BATCH_DRAWS / 4],
            horizon: [0.0; BATCH_DRAWS / 4],
            write: [0.0; BATCH_DRAWS / 4],
            read: [0.0; BATCH_DRAWS / 4],
        }
    }
}
