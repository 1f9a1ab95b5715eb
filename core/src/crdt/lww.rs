//! The last-writer-wins register.

use alloc::format;
use alloc::string::String;
use core::cmp::Ordering;
use core::fmt::Debug;

use serde::{Deserialize, Serialize};

use super::replica::ReplicaId;
use super::traits::{Crdt, OpCrdt, title};
use crate::conflict::MergeTrace;

/// A last-writer-wins register: one value; of two writes the one with the later timestamp wins,
/// and on equal timestamps the one from the greater [`ReplicaId`].
///
/// Use it when losing one of two concurrent writes is acceptable (settings, profile fields,
/// caches). The loser disappears without a trace in the value, but
/// [`Crdt::merge_traced`] names it in [`MergeTrace::discarded`].
///
/// Timestamps are whatever the caller's clock gives (for example microseconds of an HLC).
/// [`LwwRegister::write`] bumps a timestamp that is not past the current write's to one past it,
/// so a write made after seeing another always replaces it even under clock skew. Two writes with
/// the same timestamp *and* replica (a replica reusing a timestamp) are ordered by value, the
/// greater wins, so merge stays commutative; that needs `T: Ord`.
///
/// ```
/// use meridian_core::crdt::{Crdt, LwwRegister, OpCrdt};
///
/// let mut sg = LwwRegister::new();
/// sg.apply(sg.write("SG", "Hanoi", 100));
/// let mut us = LwwRegister::new();
/// us.apply(us.write("US", "Saigon", 100)); // same instant: "US" > "SG" breaks the tie
/// sg.merge(&us);
/// assert_eq!(sg.value(), Some(&"Saigon"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LwwRegister<T> {
    current: Option<LwwWrite<T>>,
}

/// A write to an [`LwwRegister`], and its operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LwwWrite<T> {
    /// The value written.
    pub value: T,
    /// When it was written, in the caller's clock.
    pub timestamp: u64,
    /// Where it was written; breaks timestamp ties (greater id wins).
    pub replica: ReplicaId,
}

impl<T: Ord> LwwWrite<T> {
    /// The order of writes: timestamp, then replica, then value.
    fn order(&self, other: &LwwWrite<T>) -> Ordering {
        self.timestamp
            .cmp(&other.timestamp)
            .then_with(|| self.replica.cmp(&other.replica))
            .then_with(|| self.value.cmp(&other.value))
    }
}

impl<T: Debug> LwwWrite<T> {
    fn render(&self) -> String {
        format!("{:?} (t={} @{})", self.value, self.timestamp, self.replica)
    }
}

impl<T> Default for LwwRegister<T> {
    fn default() -> Self {
        LwwRegister { current: None }
    }
}

impl<T: Ord + Clone + Debug> LwwRegister<T> {
    /// An empty register.
    pub fn new() -> Self {
        LwwRegister::default()
    }

    /// The current value, if anything was written.
    pub fn value(&self) -> Option<&T> {
        self.current.as_ref().map(|w| &w.value)
    }

    /// The winning write, if any.
    pub fn current(&self) -> Option<&LwwWrite<T>> {
        self.current.as_ref()
    }

    /// The operation that writes `value` at `replica` at `timestamp`; a timestamp not past the
    /// current write's becomes the current one plus one (saturating).
    pub fn write(&self, replica: impl Into<ReplicaId>, value: T, timestamp: u64) -> LwwWrite<T> {
        let timestamp = match &self.current {
            Some(w) if timestamp <= w.timestamp => w.timestamp.saturating_add(1),
            _ => timestamp,
        };
        LwwWrite {
            value,
            timestamp,
            replica: replica.into(),
        }
    }

    fn merge_write(&mut self, other: Option<&LwwWrite<T>>, trace: Option<&mut MergeTrace>) {
        let Some(theirs) = other else {
            if let Some(trace) = trace {
                let decision = if self.current.is_some() {
                    "keep local value"
                } else {
                    "stay empty"
                };
                trace.step("value", decision, "other holds no write");
            }
            return;
        };
        let Some(mine) = &self.current else {
            if let Some(trace) = trace {
                trace.step("value", "take other's value", "local holds no write");
            }
            self.current = Some(theirs.clone());
            return;
        };
        let order = theirs.order(mine);
        if let Some(trace) = trace {
            let reason = if theirs.timestamp != mine.timestamp {
                let (later, earlier) = (
                    theirs.timestamp.max(mine.timestamp),
                    theirs.timestamp.min(mine.timestamp),
                );
                format!("timestamp {later} > {earlier} by {}", later - earlier)
            } else if theirs.replica != mine.replica {
                let (hi, lo) = if theirs.replica > mine.replica {
                    (&theirs.replica, &mine.replica)
                } else {
                    (&mine.replica, &theirs.replica)
                };
                format!("timestamps equal ({}); replica {hi} > {lo}", mine.timestamp)
            } else if theirs.value != mine.value {
                format!(
                    "timestamp {} and replica {} equal (a reused timestamp); the greater value wins",
                    mine.timestamp, mine.replica
                )
            } else {
                String::from("the same write on both sides")
            };
            match order {
                Ordering::Greater => {
                    trace.step("value", "take other's value", reason);
                    trace.discard(format!("local {}", mine.render()));
                }
                Ordering::Less => {
                    trace.step("value", "keep local value", reason);
                    trace.discard(format!("other's {}", theirs.render()));
                }
                Ordering::Equal => trace.step("value", "keep local value", reason),
            }
        }
        if order == Ordering::Greater {
            self.current = Some(theirs.clone());
        }
    }

    fn render(&self) -> (String, String) {
        match &self.current {
            Some(w) => (
                format!("{:?}", w.value),
                format!("t={} @{}", w.timestamp, w.replica),
            ),
            None => (String::from("(empty)"), String::from("-")),
        }
    }
}

impl<T: Ord + Clone + Debug> Crdt for LwwRegister<T> {
    fn merge(&mut self, other: &Self) {
        self.merge_write(other.current.as_ref(), None);
    }

    fn merge_traced(&mut self, other: &Self, trace: &mut MergeTrace) {
        title(
            trace,
            "LWW-Register merge: latest timestamp wins, replica id breaks ties",
        );
        let (value, clock) = self.render();
        trace.input("local", value, clock);
        let (value, clock) = other.render();
        trace.input("other", value, clock);
        self.merge_write(other.current.as_ref(), Some(trace));
        trace.result = match &self.current {
            Some(w) => w.render(),
            None => String::from("(empty)"),
        };
    }
}

impl<T: Ord + Clone + Debug> OpCrdt for LwwRegister<T> {
    type Op = LwwWrite<T>;

    fn apply(&mut self, op: LwwWrite<T>) {
        if self
            .current
            .as_ref()
            .is_none_or(|mine| op.order(mine) == Ordering::Greater)
        {
            self.current = Some(op);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn later_timestamp_wins() {
        let mut a = LwwRegister::new();
        a.apply(a.write("A", 1, 10));
        let mut b = LwwRegister::new();
        b.apply(b.write("B", 2, 20));
        let mut ab = a.clone();
        ab.merge(&b);
        let mut ba = b.clone();
        ba.merge(&a);
        assert_eq!(ab.value(), Some(&2));
        assert_eq!(ab, ba);
    }

    #[test]
    fn write_after_seeing_supersedes_under_skew() {
        let mut a = LwwRegister::new();
        a.apply(a.write("A", "first", 500));
        // B's clock is behind, but B has seen A's write.
        let mut b = a.clone();
        let w = b.write("B", "second", 100);
        assert_eq!(w.timestamp, 501);
        b.apply(w);
        a.merge(&b);
        assert_eq!(a.value(), Some(&"second"));
        let mut top = LwwRegister::new();
        top.apply(top.write("A", 0u8, u64::MAX));
        assert_eq!(top.write("A", 1, 0).timestamp, u64::MAX);
    }

    #[test]
    fn reused_timestamp_is_still_commutative() {
        let mut a = LwwRegister::new();
        a.apply(a.write("A", 1, 7));
        let mut b = LwwRegister::new();
        b.apply(b.write("A", 2, 7));
        let mut ab = a.clone();
        ab.merge(&b);
        let mut ba = b.clone();
        ba.merge(&a);
        assert_eq!(ab, ba);
        assert_eq!(ab.value(), Some(&2));
    }

    #[test]
    fn trace_names_winner_and_discarded() {
        let mut a = LwwRegister::new();
        a.apply(a.write("SG", "Hanoi", 1000));
        let mut b = LwwRegister::new();
        b.apply(b.write("US", "Saigon", 1250));
        let mut trace = MergeTrace::default();
        a.merge_traced(&b, &mut trace);
        assert_eq!(trace.steps[0].decision, "take other's value");
        assert_eq!(trace.steps[0].reason, "timestamp 1250 > 1000 by 250");
        assert_eq!(trace.discarded, ["local \"Hanoi\" (t=1000 @SG)"]);
        assert_eq!(trace.result, "\"Saigon\" (t=1250 @US)");
        assert_eq!(trace.inputs[1].clock, "t=1250 @US");

        let mut c = LwwRegister::new();
        c.apply(c.write("SG", "x", 5));
        let mut d = LwwRegister::new();
        d.apply(d.write("US", "y", 5));
        let mut trace = MergeTrace::default();
        d.merge_traced(&c, &mut trace);
        assert_eq!(trace.steps[0].decision, "keep local value");
        assert_eq!(
            trace.steps[0].reason,
            "timestamps equal (5); replica US > SG"
        );
        assert_eq!(trace.discarded, ["other's \"x\" (t=5 @SG)"]);
    }

    #[test]
    fn empty_sides() {
        let mut e: LwwRegister<u8> = LwwRegister::new();
        let mut trace = MergeTrace::default();
        e.merge_traced(&LwwRegister::new(), &mut trace);
        assert_eq!(trace.result, "(empty)");
        let mut f = LwwRegister::new();
        f.apply(f.write("A", 3u8, 1));
        e.merge(&f);
        assert_eq!(e, f);
        f.merge(&LwwRegister::new());
        assert_eq!(f.value(), Some(&3));
    }

    #[test]
    fn serde_round_trip() {
        let mut a = LwwRegister::new();
        a.apply(a.write("SG", String::from("v"), 3));
        let json = serde_json::to_string(&a).unwrap();
        let back: LwwRegister<String> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, a);
    }
}
