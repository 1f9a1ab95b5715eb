//! Drawing the legs' delays: a compiled sampler per leg ([`Leg`]), and the batched fast path
//! ([`Batch`]) for the paper's two-part mixtures.

use super::fastmath::{self, FastMath};
use super::scratch::{BATCH_DRAWS, Scratch};
use crate::dist::Dist;
use crate::rng::SimRng;

/// A leg's sampler. The paper's fits are two-part mixtures of Paretos and exponentials; those
/// are sampled with [`FastMath`], from the same draws as [`Dist::sample_ms`] (the same generator,
/// in the same order), to the same values within a relative 1e-13 (7.6e-15 measured; see the
/// `fastmath` module). Any other distribution is sampled by [`Dist::sample_ms`] itself.
#[derive(Debug, Clone, Copy)]
pub(super) enum Leg {
    /// A two-part mixture of [`LogPart`]s.
    TwoPart(TwoPart),
    /// Anything else: [`Dist::sample_ms`].
    Any,
}

/// `parts[0]` with probability `first_weight / total`, else `parts[1]`: one `next_f64` draw
/// picks the part, one `next_f64_nonzero` draw `u` feeds it through `log2 u` (as
/// `Dist::sample_ms` does through `ln u`).
#[derive(Debug, Clone, Copy)]
pub(super) struct TwoPart {
    /// `Dist::sample_ms` picks the first part when `total * next_f64() < first_weight`, that is
    /// when the 53 bits `m` behind the `next_f64` draw are below this threshold.
    threshold: u64,
    parts: [LogPart; 2],
}

/// A distribution sampled from `l = log2 u`, `u` uniform in `(0, 1]`, so `l` in `[-53, 0]`.
#[derive(Debug, Clone, Copy)]
pub(super) enum LogPart {
    /// `scale 2^(k l)`, `k = -1 / shape`.
    Pareto { scale: f64, k: f64 },
    /// `b l`, `b = -mean ln 2`.
    Exponential { b: f64 },
}

/// `log2 u` of a `next_f64_nonzero` draw is at least this.
const MIN_LOG2_U: f64 = -53.0;

impl LogPart {
    /// The part, if its samples stay within the domains of [`FastMath`] and finite (so they
    /// need no clamping): not for absurdly heavy tails (`shape` below about 0.05) or huge
    /// scales, which `Dist::sample_ms` samples instead.
    fn compile(d: &Dist) -> Option<Self> {
        match *d {
            // 0 (or, when u = 1, -0), as Dist::sample_ms's 0.
            Dist::Pareto { scale_ms: 0.0, .. } => Some(LogPart::Exponential { b: -0.0 }),
            Dist::Pareto { scale_ms, shape } => {
                let k = -1.0 / shape;
                let max_y = k * MIN_LOG2_U;
                (max_y <= fastmath::EXP2_MAX_ARG && scale_ms * libm::exp2(max_y) < f64::MAX / 2.0)
                    .then_some(LogPart::Pareto { scale: scale_ms, k })
            }
            Dist::Exponential { mean_ms } => {
                (mean_ms * -MIN_LOG2_U < f64::MAX / 2.0).then_some(LogPart::Exponential {
                    b: -mean_ms * core::f64::consts::LN_2,
                })
            }
            _ => None,
        }
    }

    /// The sample for `l = log2 u`: finite and non-negative.
    #[inline(always)]
    fn value(self, math: &FastMath, l: f64) -> f64 {
        match self {
            LogPart::Pareto { scale, k } => scale * math.exp2(k * l),
            LogPart::Exponential { b } => b * l,
        }
    }
}

impl TwoPart {
    /// The smallest `m` in `0..=2^53` for which `total * (m 2^-53) >= first_weight`: a rounded
    /// product with `total > 0` does not decrease as `m` grows, so `Dist::sample_ms` picks the
    /// first part exactly for the `m` below it. Found by bisection, with the same expression.
    fn threshold(total: f64, first_weight: f64) -> u64 {
        let second = |m: u64| total * (m as f64 * (1.0 / (1u64 << 53) as f64)) >= first_weight;
        let (mut lo, mut hi) = (0u64, 1u64 << 53);
        if !second(hi) {
            // Not for validated weights (their sum is at least the first); never pick the second.
            return u64::MAX;
        }
        // Invariant: second(hi), and !second(m) for every m < lo.
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if second(mid) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        lo
    }

    /// Index in `parts` of the part picked by a draw of the generator, `next_u64() >> 11` (the
    /// bits of a `next_f64` draw).
    #[inline(always)]
    fn pick(&self, m: u64) -> usize {
        usize::from(m >= self.threshold)
    }
}

impl Leg {
    pub(super) fn compile(d: &Dist) -> Self {
        if let Dist::Mixture { components } = d
            && let [a, b] = components.as_slice()
            && let (Some(first), Some(second)) =
                (LogPart::compile(&a.dist), LogPart::compile(&b.dist))
        {
            // The same sum, in the same order, as Dist::sample_ms.
            let total = components.iter().map(|c| c.weight).sum();
            return Leg::TwoPart(TwoPart {
                threshold: TwoPart::threshold(total, a.weight),
                parts: [first, second],
            });
        }
        Leg::Any
    }

    #[inline(always)]
    pub(super) fn sample(&self, dist: &Dist, math: &FastMath, rng: &mut SimRng) -> f64 {
        match self {
            Leg::TwoPart(t) => {
                let part = t.parts[t.pick(rng.next_u64() >> 11)];
                part.value(math, math.log2(rng.next_f64_nonzero()))
            }
            Leg::Any => dist.sample_ms(rng),
        }
    }
}

/// Slots per leg in a batch's lists of draws by part.
const LEG_SLOTS: usize = BATCH_DRAWS / 4;

/// The fast path's samplers: the four legs.
///
/// A batch of trials is drawn first (the generator is sequential), each `u` filed by leg and
/// part; then each part's list is sampled with the part's constants, the logarithms of a list
/// (and then its powers) independent of each other, so that the processor overlaps them; then
/// the trials run on the samples.
#[derive(Debug, Clone, Copy)]
pub(super) struct Batch {
    legs: [TwoPart; 4],
}

impl Batch {
    pub(super) fn compile(legs: &[Leg; 4]) -> Option<Self> {
        let [
            Leg::TwoPart(w),
            Leg::TwoPart(a),
            Leg::TwoPart(r),
            Leg::TwoPart(s),
        ] = *legs
        else {
            return None;
        };
        Some(Batch { legs: [w, a, r, s] })
    }

    /// Draws the random numbers of `trials` trials, in the general path's order (per trial the
    /// local replicas, then per replica `W`, `A`, `R`, `S`, each a pick then a `u`). The local
    /// replicas go to `s.local`; each `u`, with the index in `s.x` of its sample (`4 (n t + i) +
    /// leg` for trial `t`, replica `i`), to its leg's slots in `s.u` and `s.dest`: from the front
    /// for the first part, from the back for the second. Returns the number of first-part draws
    /// of each leg.
    #[inline(always)]
    pub(super) fn draw(
        &self,
        trials: usize,
        n: usize,
        remote: f64,
        out: &mut SimRng,
        s: &mut Scratch,
    ) -> [usize; 4] {
        // A local copy of the generator stays in registers; through the reference its state
        // would be stored and loaded again at every draw, as the stores below might alias it.
        let mut rng = out.clone();
        let mut firsts = [0; 4];
        // Draws of each leg so far: one per replica and trial.
        let mut drawn = 0;
        for t in 0..trials {
            s.local[t] = if remote > 0.0 {
                (rng.below(n as u64) as u8, rng.below(n as u64) as u8)
            } else {
                (0, 0)
            };
            for _ in 0..n {
                for (leg, (part, first)) in self.legs.iter().zip(&mut firsts).enumerate() {
                    let second = part.pick(rng.next_u64() >> 11);
                    let u = rng.next_f64_nonzero();
                    let slot = if second == 1 {
                        LEG_SLOTS - 1 - (drawn - *first)
                    } else {
                        *first
                    };
                    let at = (leg * LEG_SLOTS + slot) & (BATCH_DRAWS - 1);
                    s.u[at] = u;
                    s.dest[at] = (4 * drawn + leg) as u16;
                    *first += 1 - second;
                }
                drawn += 1;
            }
        }
        *out = rng;
        firsts
    }

    /// Samples the `per_leg` draws of each leg filed by [`Batch::draw`], `firsts[leg]` of them
    /// of its first part, into `s.x`.
    #[inline(always)]
    pub(super) fn evaluate(
        &self,
        per_leg: usize,
        firsts: [usize; 4],
        math: &FastMath,
        s: &mut Scratch,
    ) {
        for (leg, (two, &first)) in self.legs.iter().zip(&firsts).enumerate() {
            let base = leg * LEG_SLOTS;
            let lists = [
                (base..base + first, two.parts[0]),
                (
                    base + LEG_SLOTS - (per_leg - first)..base + LEG_SLOTS,
                    two.parts[1],
                ),
            ];
            for (range, part) in lists {
                let (us, dest) = (&mut s.u[range.clone()], &s.dest[range]);
                match part {
                    LogPart::Exponential { b } => {
                        for (&u, &j) in us.iter().zip(dest) {
                            s.x[usize::from(j) & (BATCH_DRAWS - 1)] = b * math.log2(u);
                        }
                    }
                    LogPart::Pareto { scale, k } => {
                        // In two passes: one would be too long a chain of dependent operations
                        // per draw for the processor to overlap many draws.
                        for u in us.iter_mut() {
                            *u = k * math.log2(*u);
                        }
                        for (&y, &j) in us.iter().zip(dest) {
                            s.x[usize::from(j) & (BATCH_DRAWS - 1)] = scale * math.exp2(y);
                        }
                    }
                }
            }
        }
    }
}
