//! The exercise's random number generator, reproduced bit for bit.

/// 2^31, the modulus of the generator.
const MODULUS: f64 = 2_147_483_648.0;

/// The linear congruential generator of the Kata 86 reference simulation:
/// `seed = (1103515245 * seed + 12345) mod 2^31`, returning `seed / 2^31`.
///
/// The reference evaluates it in JavaScript numbers, i.e. IEEE-754 doubles. The product exceeds
/// 2^53, so it is rounded before the addition, and the stream differs from the textbook integer
/// generator of the same constants. This type performs the same double operations in the same
/// order (multiply, then add, then the truncated remainder, which is exact), so it yields the same
/// stream on every platform.
///
/// It is a poor generator by modern standards (its low bits are not random) and exists only for
/// seed compatibility.
///
/// ```
/// use meridian_core::kata86::SeedLcg;
///
/// let mut rng = SeedLcg::new(1);
/// assert_eq!(rng.next_f64(), 0.5138700781390071);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SeedLcg {
    state: f64,
}

impl SeedLcg {
    /// Starts the generator from `seed`. Seeds up to 2^53 - 1 are represented exactly.
    pub fn new(seed: u64) -> Self {
        SeedLcg { state: seed as f64 }
    }

    /// Advances the generator and returns the new state divided by 2^31, in `[0, 1)`.
    #[inline(always)]
    pub fn next_f64(&mut self) -> f64 {
        let x = 1_103_515_245.0 * self.state + 12_345.0;
        // JavaScript's `%` on doubles is the truncated remainder, which is exact; so is this
        // expression for x >= 0 (division and multiplication by a power of two are exact, and the
        // difference is representable), and it avoids a libm `fmod` call in the hot loop.
        self.state = x - libm::trunc(x / MODULUS) * MODULUS;
        self.state / MODULUS
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_reference_stream_for_seed_1() {
        // Printed by the reference generator under node.
        let expected = [
            0.5138700781390071,
            0.1757413148880005,
            0.15525975823402405,
            0.14626556634902954,
            0.2847188413143158,
            0.9290890693664551,
        ];
        let mut rng = SeedLcg::new(1);
        for want in expected {
            assert_eq!(rng.next_f64(), want);
        }
    }

    #[test]
    fn matches_the_reference_stream_at_the_seed_extremes() {
        let mut rng = SeedLcg::new((1 << 53) - 1);
        assert_eq!(rng.next_f64(), 0.0);
        assert_eq!(rng.next_f64(), 0.000005748588591814041);
        assert_eq!(rng.next_f64(), 0.6551540484651923);
        let mut rng = SeedLcg::new(0);
        assert_eq!(rng.next_f64(), 0.000005748588591814041);
    }

    #[test]
    fn remainder_shortcut_equals_fmod() {
        let mut state = 7.0_f64;
        for _ in 0..100_000 {
            let x = 1_103_515_245.0 * state + 12_345.0;
            let fast = x - libm::trunc(x / MODULUS) * MODULUS;
            assert_eq!(fast.to_bits(), (x % MODULUS).to_bits());
            state = fast;
        }
    }
}
