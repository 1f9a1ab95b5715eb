//! Hybrid logical clocks: physical time as a node reads it (possibly skewed), a logical counter
//! that keeps the clock moving when physical time stalls or runs behind, and the node id that
//! breaks the last ties.
//!
//! A timestamp is `(physical_us, logical, node)` and compares in that order, so every two
//! timestamps from different nodes are ordered. A node's clock never goes backwards, and a
//! timestamp issued after receiving another is greater than it: the order respects
//! happened-before even when a node's wall clock runs behind.

use alloc::format;
use alloc::string::String;
use core::fmt;

use serde::{Deserialize, Serialize};

/// One hybrid-logical-clock timestamp. The derived order compares `physical_us`, then `logical`,
/// then `node`: a total order on the timestamps of distinct nodes.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct Hlc {
    /// The physical part, in microseconds: the largest wall-clock reading seen so far.
    pub physical_us: u64,
    /// Events counted since the physical part last moved.
    pub logical: u32,
    /// The node that issued the timestamp; breaks ties between equal clocks.
    pub node: u32,
}

impl Hlc {
    /// A timestamp from its parts.
    pub const fn new(physical_us: u64, logical: u32, node: u32) -> Self {
        Hlc {
            physical_us,
            logical,
            node,
        }
    }

    /// The next value after `(physical_us, logical)` for `node`: one more logical tick, or, when
    /// the counter is exhausted, the next microsecond with the counter reset (saturating at the
    /// end of time instead of wrapping).
    fn bump(physical_us: u64, logical: u32, node: u32) -> Self {
        match logical.checked_add(1) {
            Some(logical) => Hlc::new(physical_us, logical, node),
            None => Hlc::new(physical_us.saturating_add(1), 0, node),
        }
    }

    /// Says, for people, by how much `self` beats `other` (or why it does when the clocks are
    /// equal): "by 2 ms", "by 3 logical ticks at the same physical time", or "equal clocks; node
    /// 2 > node 1 breaks the tie". Meant for `self > other`; it reads the other way round too.
    pub fn margin_over(&self, other: &Hlc) -> String {
        if self.physical_us != other.physical_us {
            format!(
                "by {}",
                describe_us(self.physical_us.abs_diff(other.physical_us))
            )
        } else if self.logical != other.logical {
            let n = self.logical.abs_diff(other.logical);
            let s = if n == 1 { "" } else { "s" };
            format!("by {n} logical tick{s} at the same physical time")
        } else if self.node != other.node {
            format!(
                "equal clocks; node {} vs node {} breaks the tie",
                self.node, other.node
            )
        } else {
            String::from("identical timestamps")
        }
    }
}

/// `1000ms+3`: the physical part in milliseconds, then the logical counter.
impl fmt::Display for Hlc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}+{}", ms_text(self.physical_us), self.logical)
    }
}

/// Microseconds as milliseconds for people, without trailing zeros: `1000ms`, `1.25ms`.
pub(crate) fn ms_text(us: u64) -> String {
    let whole = us / 1000;
    let frac = us % 1000;
    if frac == 0 {
        format!("{whole}ms")
    } else {
        let digits = format!("{frac:03}");
        format!("{whole}.{}ms", digits.trim_end_matches('0'))
    }
}

/// A duration for people: `2 ms`, `1.5 ms`, `250 µs`.
pub(crate) fn describe_us(us: u64) -> String {
    if us < 1000 {
        format!("{us} µs")
    } else {
        let t = ms_text(us);
        format!("{} ms", t.trim_end_matches("ms"))
    }
}

/// A node's hybrid logical clock, reading a local wall clock that runs `skew_us` ahead of true
/// time (negative: behind).
///
/// Every method takes the *true* simulated time; the clock adds its skew itself, so a
/// simulation can give each region a different error and watch what it does to ordering.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HlcClock {
    node: u32,
    skew_us: i64,
    last: Hlc,
}

impl HlcClock {
    /// A clock for `node` whose wall clock is off by `skew_us` (positive: ahead).
    pub fn new(node: u32, skew_us: i64) -> Self {
        HlcClock {
            node,
            skew_us,
            last: Hlc::new(0, 0, node),
        }
    }

    /// The node id stamped on every timestamp.
    pub fn node(&self) -> u32 {
        self.node
    }

    /// How far the wall clock runs ahead of true time, in µs (negative: behind).
    pub fn skew_us(&self) -> i64 {
        self.skew_us
    }

    /// Changes the skew (a clock step or drift). The hybrid clock stays monotonic regardless.
    pub fn set_skew_us(&mut self, skew_us: i64) {
        self.skew_us = skew_us;
    }

    /// The last timestamp issued.
    pub fn last(&self) -> Hlc {
        self.last
    }

    /// What the skewed wall clock reads at true time `true_us`, clamped to `0..=u64::MAX`.
    pub fn wall_us(&self, true_us: u64) -> u64 {
        let t = i128::from(true_us) + i128::from(self.skew_us);
        u64::try_from(t.max(0)).unwrap_or(u64::MAX)
    }

    /// A timestamp for a local event at true time `true_us`: the wall clock if it moved past the
    /// last timestamp, otherwise the last one plus a logical tick.
    pub fn tick(&mut self, true_us: u64) -> Hlc {
        let pt = self.wall_us(true_us);
        self.last = if pt > self.last.physical_us {
            Hlc::new(pt, 0, self.node)
        } else {
            Hlc::bump(self.last.physical_us, self.last.logical, self.node)
        };
        self.last
    }

    /// A timestamp for a message sent at true time `true_us` (a local event).
    pub fn send(&mut self, true_us: u64) -> Hlc {
        self.tick(true_us)
    }

    /// Takes in a timestamp received at true time `true_us` and returns the timestamp of the
    /// receive event, greater than both `remote` and every earlier local timestamp.
    pub fn receive(&mut self, true_us: u64, remote: Hlc) -> Hlc {
        let pt = self.wall_us(true_us);
        let last = self.last;
        let top = pt.max(last.physical_us).max(remote.physical_us);
        self.last = if top == last.physical_us && top == remote.physical_us {
            Hlc::bump(top, last.logical.max(remote.logical), self.node)
        } else if top == last.physical_us {
            Hlc::bump(top, last.logical, self.node)
        } else if top == remote.physical_us {
            Hlc::bump(top, remote.logical, self.node)
        } else {
            Hlc::new(top, 0, self.node)
        };
        self.last
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn a_clock_behind_still_orders_after_what_it_received() {
        let mut us = HlcClock::new(1, 0);
        let mut sg = HlcClock::new(2, -500_000);
        let sent = us.send(1_000_000);
        assert_eq!(sent, Hlc::new(1_000_000, 0, 1));
        let got = sg.receive(1_100_000, sent);
        assert!(got > sent);
        assert_eq!(got, Hlc::new(1_000_000, 1, 2));
        // SG's wall clock reads 700 ms, yet its next event is still after US's.
        let next = sg.tick(1_200_000);
        assert_eq!(next, Hlc::new(1_000_000, 2, 2));
        assert_eq!(sg.wall_us(1_200_000), 700_000);
    }

    #[test]
    fn wall_clock_takes_over_once_it_passes_and_the_counter_never_overflows() {
        let mut c = HlcClock::new(3, 0);
        assert_eq!(c.tick(5), Hlc::new(5, 0, 3));
        assert_eq!(c.tick(5), Hlc::new(5, 1, 3));
        assert_eq!(c.tick(9), Hlc::new(9, 0, 3));
        let r = c.receive(9, Hlc::new(9, u32::MAX, 7));
        assert_eq!(r, Hlc::new(10, 0, 3));
        let mut behind = HlcClock::new(1, i64::MIN);
        assert_eq!(behind.wall_us(u64::MAX), (1u64 << 63) - 1);
        assert_eq!(behind.wall_us(0), 0);
        let mut ahead = HlcClock::new(1, i64::MAX);
        assert_eq!(ahead.wall_us(u64::MAX), u64::MAX);
        assert!(ahead.tick(u64::MAX) > behind.tick(0));
    }

    #[test]
    fn texts_for_people() {
        assert_eq!(Hlc::new(1_000_000, 3, 1).to_string(), "1000ms+3");
        assert_eq!(Hlc::new(1_250, 0, 1).to_string(), "1.25ms+0");
        let a = Hlc::new(1_000_000, 3, 1);
        assert_eq!(a.margin_over(&Hlc::new(998_000, 0, 2)), "by 2 ms");
        assert_eq!(a.margin_over(&Hlc::new(999_750, 0, 2)), "by 250 µs");
        assert_eq!(
            a.margin_over(&Hlc::new(1_000_000, 1, 2)),
            "by 2 logical ticks at the same physical time"
        );
        assert_eq!(
            Hlc::new(5, 0, 2).margin_over(&Hlc::new(5, 0, 1)),
            "equal clocks; node 2 vs node 1 breaks the tie"
        );
        assert_eq!(describe_us(1_500), "1.5 ms");
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod proptests {
    use super::*;
    use alloc::vec::Vec;
    use proptest::prelude::*;

    /// A step of a two-node run: which node acts, how far true time moves, and whether it
    /// sends to the other node (delivered at once) or ticks locally.
    fn steps() -> impl Strategy<Value = Vec<(bool, u64, bool)>> {
        proptest::collection::vec((any::<bool>(), 0u64..5_000, any::<bool>()), 1..60)
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        #[test]
        fn monotonic_and_respects_happened_before(
            skew_a in -1_000_000i64..1_000_000,
            skew_b in -1_000_000i64..1_000_000,
            run in steps(),
        ) {
            let mut clocks = [HlcClock::new(0, skew_a), HlcClock::new(1, skew_b)];
            let mut now = 1_000_000u64;
            let mut last = [Hlc::default(); 2];
            for (who, dt, send) in run {
                now += dt;
                let (i, j) = if who { (0, 1) } else { (1, 0) };
                let t = clocks[i].tick(now);
                prop_assert!(t > last[i], "a node's clock went backwards");
                last[i] = t;
                if send {
                    let r = clocks[j].receive(now, t);
                    prop_assert!(r > t, "receive not after send");
                    prop_assert!(r > last[j], "a node's clock went backwards");
                    last[j] = r;
                }
            }
        }
    }
}
