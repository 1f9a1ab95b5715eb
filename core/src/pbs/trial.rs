//! Evaluating one trial: from the per-replica delays to the commit, the read's answers and the
//! visibility horizon ([`Outcome`]).

use super::config::WarsLegs;
use super::fastmath::FastMath;
use super::sampler::Leg;
use super::scratch::Scratch;
use crate::rng::SimRng;

/// Index of the first of the ascending `t_sorted` at which a trial with this horizon reads
/// consistently (`t >= horizon`), or `t_sorted.len()` if none.
#[inline(always)]
pub(super) fn first_consistent_t(t_sorted: &[f64], horizon: f64) -> usize {
    if t_sorted.len() <= 16 {
        // A branch-free count beats a binary search's unpredictable branches on short lists.
        t_sorted.iter().map(|&t| usize::from(t < horizon)).sum()
    } else {
        t_sorted.partition_point(|&t| t < horizon)
    }
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Quorum {
    pub(super) n: usize,
    pub(super) r: usize,
    pub(super) w: usize,
}

/// What one trial contributes.
pub(super) struct Outcome {
    /// The read is consistent for every `t >= horizon`.
    pub(super) horizon: f64,
    pub(super) write_latency: f64,
    pub(super) read_latency: f64,
}

/// One write followed by one read, per the WARS model, drawing leg by leg.
#[inline(always)]
pub(super) fn trial(
    dists: &WarsLegs,
    legs: &[Leg; 4],
    math: &FastMath,
    remote: f64,
    q: Quorum,
    rng: &mut SimRng,
    s: &mut Scratch,
) -> Outcome {
    let n = q.n;
    let (local_write, local_read) = if remote > 0.0 {
        (rng.below(n as u64) as usize, rng.below(n as u64) as usize)
    } else {
        (0, 0)
    };
    // Adding +0.0 to a non-negative sample leaves it unchanged.
    let write_extra = |i: usize| if i == local_write { 0.0 } else { remote };
    let read_extra = |i: usize| if i == local_read { 0.0 } else { remote };
    for i in 0..n {
        let w = legs[0].sample(&dists.w, math, rng) + write_extra(i);
        let a = legs[1].sample(&dists.a, math, rng) + write_extra(i);
        let r = legs[2].sample(&dists.r, math, rng) + read_extra(i);
        let s_leg = legs[3].sample(&dists.s, math, rng) + read_extra(i);
        s.applied[i] = w;
        s.acked[i] = w + a;
        s.reached[i] = r;
        s.answered[i] = r + s_leg;
    }
    resolve(q, s)
}

/// Trial `t` of the fast path's batch, from its samples in `s.x`.
#[inline(always)]
pub(super) fn batch_trial(t: usize, remote: f64, q: Quorum, s: &mut Scratch) -> Outcome {
    let n = q.n;
    let (local_write, local_read) = s.local[t];
    let per_trial = 4 * n;
    let draws = &s.x[t * per_trial..(t + 1) * per_trial];
    // Replica i's W, A + W, R and S + R, with the remote delays.
    let replica = |i: usize, d: &[f64]| {
        let write_extra = if i == usize::from(local_write) {
            0.0
        } else {
            remote
        };
        let read_extra = if i == usize::from(local_read) {
            0.0
        } else {
            remote
        };
        let w = d[0] + write_extra;
        let r = d[2] + read_extra;
        (w, w + (d[1] + write_extra), r, r + (d[3] + read_extra))
    };
    if q.r == 1 && (q.w == 1 || q.w == n) {
        // The common quorums, in registers: what `resolve` computes, in the same order, with
        // comparisons for `f64::min` and `f64::max` (the same for numbers, and single
        // instructions). The commit is the first acknowledgement (W = 1) or else the last.
        let last = q.w != 1;
        let (_, acked, _, answered) = replica(0, &draws[..4]);
        let mut commit = acked;
        let (mut first, mut fastest) = (0, answered);
        for (i, d) in draws.chunks_exact(4).enumerate().skip(1) {
            let (_, acked, _, answered) = replica(i, d);
            commit = if (acked > commit) == last {
                acked
            } else {
                commit
            };
            // Selects, not a branch: which replica answers first is unpredictable.
            let faster = answered < fastest;
            first = if faster { i } else { first };
            fastest = if faster { answered } else { fastest };
        }
        if last {
            commit = commit.max(0.0);
        }
        let (applied, _, reached, _) = replica(first, &draws[4 * first..4 * first + 4]);
        return Outcome {
            horizon: applied - commit - reached,
            write_latency: commit,
            read_latency: fastest,
        };
    }
    for (i, d) in draws.chunks_exact(4).enumerate() {
        let (w, acked, r, answered) = replica(i, d);
        s.applied[i] = w;
        s.acked[i] = acked;
        s.reached[i] = r;
        s.answered[i] = answered;
    }
    resolve(q, s)
}

/// The commit, the read's answers and the visibility horizon from the per-replica times in `s`.
#[inline(always)]
fn resolve(q: Quorum, s: &mut Scratch) -> Outcome {
    let n = q.n;
    let acked = &s.acked[..n];
    let commit = if q.w == 1 {
        acked.iter().copied().fold(f64::INFINITY, f64::min)
    } else if q.w == n {
        acked.iter().copied().fold(0.0, f64::max)
    } else {
        let sorted = &mut s.sorted[..n];
        sorted.copy_from_slice(acked);
        *sorted.select_nth_unstable_by(q.w - 1, f64::total_cmp).1
    };

    // Time after commit from which replica i's read sees the write.
    let horizon_of = |i: usize| s.applied[i] - commit - s.reached[i];
    if q.r == 1 {
        let answered = &s.answered[..n];
        let (mut first, mut fastest) = (0, answered[0]);
        for (i, &x) in answered.iter().enumerate().skip(1) {
            // Selects, not a branch: which replica answers first is unpredictable.
            let faster = x < fastest;
            first = if faster { i } else { first };
            fastest = if faster { x } else { fastest };
        }
        Outcome {
            horizon: horizon_of(first),
            write_latency: commit,
            read_latency: answered[first],
        }
    } else {
        let answered = &s.answered;
        let order = &mut s.order[..n];
        for (i, o) in order.iter_mut().enumerate() {
            *o = i as u8;
        }
        // The R fastest answers (ties to the lower replica index), the R-th in place R - 1.
        order.select_nth_unstable_by(q.r - 1, |&a, &b| {
            answered[a as usize]
                .total_cmp(&answered[b as usize])
                .then(a.cmp(&b))
        });
        let read_latency = answered[order[q.r - 1] as usize];
        let horizon = order[..q.r]
            .iter()
            .map(|&i| s.applied[i as usize] - commit - s.reached[i as usize])
            .fold(f64::INFINITY, f64::min);
        Outcome {
            horizon,
            write_latency: commit,
            read_latency,
        }
    }
}
