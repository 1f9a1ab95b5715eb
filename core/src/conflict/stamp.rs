//! [`Stamp`], the one last-write-wins order of the crate: a clock reading in microseconds and
//! the writer's node, compared in that order. The rule, and which merges follow it, are on the
//! type.

use core::fmt;

use super::hlc::Hlc;

/// A last-write-wins stamp: a clock reading in microseconds and the writer's node, packed in
/// one `u64` (`clock << 5 | node`) so that the integer order is the rule below.
/// [`Stamp::INITIAL`] (0) stands for the value before any write.
///
/// # The rule
///
/// Of two writes, the one with the greater clock wins; on equal clocks, the one from the
/// greater node. A write whose stamp is *equal* to the one a replica holds (the same clock at
/// the same node) does not replace it: the incumbent stays.
///
/// Every last-write-wins merge of the crate decides by this order:
///
/// * the simulator stamps each write with [`Stamp::new`]`(clock, region)`, the clock being the
///   region's hybrid clock (its logical ticks folded into microseconds) or, under physical-time
///   LWW, its skewed wall clock; a replica applies a write only if its stamp is greater;
/// * [`LwwHlc`](crate::conflict::LwwHlc) compares [`Hlc`]s, whose derived order is the same
///   rule with the logical counter between the clock and the node ([`Stamp::of_hlc`] is that
///   order when the counter is 0), and [`LwwPhysical`](crate::conflict::LwwPhysical) compares
///   the wall clock, then the node: [`Stamp::new`]`(physical_us, node)`;
/// * [`LwwRegister`](crate::crdt::LwwRegister) compares its timestamp, then its replica id.
///
/// They differ only on *identical* stamps, which a well-formed history never holds for two
/// different writes in the library (an [`HlcClock`](crate::conflict::HlcClock) never issues a
/// timestamp twice): there the library's resolvers, which must be commutative, go on to the wall
/// clock, the event id and the value, while the simulator keeps the incumbent. The simulator's rule
/// is the one its reports were made with; under its hybrid clock a region's stamps strictly grow,
/// so only physical-time LWW (two writes of one region in the same microsecond) can reach it. The
/// differential test `stamp_order_is_the_libraries_lww_order` drives the simulator's key table and
/// the library's resolvers with the same histories and checks they agree.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Stamp(u64);

impl Stamp {
    /// Bits of the node id.
    pub const NODE_BITS: u32 = 5;
    /// Nodes a stamp can name (0 to 31).
    pub const MAX_NODES: usize = 1 << Self::NODE_BITS;
    /// The stamp of the value before any write: below every write's.
    pub const INITIAL: Stamp = Stamp(0);

    /// The stamp of a write at `clock_us` by `node` (below [`Stamp::MAX_NODES`]; higher bits are
    /// dropped). The clock keeps its low 59 bits.
    #[inline]
    pub const fn new(clock_us: u64, node: usize) -> Self {
        Stamp((clock_us << Self::NODE_BITS) | (node as u64 & (Self::MAX_NODES as u64 - 1)))
    }

    /// The order of an [`Hlc`] whose logical counter is 0: its physical part and its node.
    pub const fn of_hlc(hlc: Hlc) -> Self {
        Stamp::new(hlc.physical_us, hlc.node as usize)
    }

    /// The clock reading, in microseconds.
    #[inline]
    pub const fn clock_us(self) -> u64 {
        self.0 >> Self::NODE_BITS
    }

    /// The node (region) that made the write.
    #[inline]
    pub const fn node(self) -> usize {
        (self.0 & (Self::MAX_NODES as u64 - 1)) as usize
    }

    /// The packed integer, as histories and anomaly reports record it.
    #[inline]
    pub const fn to_bits(self) -> u64 {
        self.0
    }

    /// A stamp from its packed integer.
    #[inline]
    pub const fn from_bits(bits: u64) -> Self {
        Stamp(bits)
    }

    /// Whether a write stamped `self` replaces a value stamped `held`: strictly greater (an
    /// equal stamp leaves the incumbent).
    #[inline]
    pub fn beats(self, held: Stamp) -> bool {
        self > held
    }
}

/// `clock µs @ node`.
impl fmt::Display for Stamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} µs @ {}", self.clock_us(), self.node())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_order_is_clock_then_node() {
        let a = Stamp::new(10, 3);
        assert_eq!((a.clock_us(), a.node()), (10, 3));
        assert!(Stamp::new(11, 0).beats(a));
        assert!(Stamp::new(10, 4).beats(a));
        assert!(!a.beats(a));
        assert!(a.beats(Stamp::INITIAL));
        assert_eq!(Stamp::from_bits(a.to_bits()), a);
        assert_eq!(Stamp::of_hlc(Hlc::new(10, 0, 3)), a);
    }
}
