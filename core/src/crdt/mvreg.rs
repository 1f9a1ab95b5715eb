//! The multi-value register.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::cmp::Ordering;
use core::fmt::Debug;

use serde::{Deserialize, Serialize};

use super::replica::ReplicaId;
use super::traits::{Crdt, OpCrdt, title};
use crate::conflict::MergeTrace;
use crate::conflict::{Causality, VersionVector};

/// A multi-value register (MV-Register): every write carries a [`VersionVector`]; a write
/// replaces the values it has seen, and concurrent writes are all kept.
///
/// Use it when no write may be lost silently and the application (or a person) resolves
/// conflicts: read [`MvRegister::values`], decide, and write the resolution, which supersedes
/// every value it saw. Compared with an [`LwwRegister`](super::LwwRegister), readers must cope
/// with several values.
///
/// ```
/// use meridian_core::crdt::{Crdt, MvRegister, OpCrdt};
///
/// let mut sg = MvRegister::new();
/// let mut us = MvRegister::new();
/// sg.apply(sg.write("SG", "Hanoi"));
/// us.apply(us.write("US", "Saigon"));
/// sg.merge(&us);
/// assert_eq!(sg.values(), [&"Hanoi", &"Saigon"]); // concurrent: both kept
/// sg.apply(sg.write("SG", "Hue")); // the resolution has seen both
/// us.merge(&sg);
/// assert_eq!(us.values(), [&"Hue"]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MvRegister<T> {
    /// Pairwise concurrent writes, sorted by clock then value.
    entries: Vec<MvWrite<T>>,
}

/// A write to an [`MvRegister`], and its operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MvWrite<T> {
    /// Every write this one has seen, itself included.
    pub clock: VersionVector,
    /// The value written.
    pub value: T,
}

impl<T> Default for MvRegister<T> {
    fn default() -> Self {
        MvRegister {
            entries: Vec::new(),
        }
    }
}

/// Where an entry of the union came from.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Local,
    Other,
    Both,
}

impl Side {
    fn name(self) -> &'static str {
        match self {
            Side::Local => "local",
            Side::Other => "other",
            Side::Both => "both",
        }
    }
}

impl<T: Ord + Clone + Debug> MvRegister<T> {
    /// An empty register.
    pub fn new() -> Self {
        MvRegister::default()
    }

    /// The current values: one, or several after concurrent writes; none before any write.
    /// Sorted by clock, then value.
    pub fn values(&self) -> Vec<&T> {
        self.entries.iter().map(|e| &e.value).collect()
    }

    /// The current writes with their clocks.
    pub fn entries(&self) -> &[MvWrite<T>] {
        &self.entries
    }

    /// Everything the register has seen: the maximum of its writes' clocks.
    pub fn clock(&self) -> VersionVector {
        let mut clock = VersionVector::new();
        for e in &self.entries {
            clock.merge(&e.clock);
        }
        clock
    }

    /// The operation that writes `value` at `replica`, replacing every current value.
    pub fn write(&self, replica: impl Into<ReplicaId>, value: T) -> MvWrite<T> {
        let mut clock = self.clock();
        clock.increment(replica.into().as_str());
        MvWrite { clock, value }
    }

    fn merge_entries(&mut self, other: &[MvWrite<T>], mut trace: Option<&mut MergeTrace>) {
        let mut union: Vec<(MvWrite<T>, Side)> =
            Vec::with_capacity(self.entries.len() + other.len());
        for e in self.entries.drain(..) {
            union.push((e, Side::Local));
        }
        for e in other {
            match union.iter_mut().find(|(u, _)| u == e) {
                Some((_, side)) => *side = Side::Both,
                None => union.push((e.clone(), Side::Other)),
            }
        }
        union.sort_by(|(a, _), (b, _)| order(a, b));
        let mut kept = Vec::with_capacity(union.len());
        for (i, (e, side)) in union.iter().enumerate() {
            let dominator = union
                .iter()
                .enumerate()
                .find(|(j, (f, _))| *j != i && e.clock.compare(&f.clock) == Causality::Before);
            if let Some(trace) = trace.as_deref_mut() {
                let subject = format!("{:?} {}", e.value, e.clock);
                match dominator {
                    Some((_, (f, fside))) => {
                        trace.step(
                            subject,
                            "drop",
                            format!(
                                "overwritten by {}'s {:?} {}, which saw it ({})",
                                fside.name(),
                                f.value,
                                f.clock,
                                e.clock.ahead(&f.clock)
                            ),
                        );
                        trace.discard(format!("{}'s {:?} {}", side.name(), e.value, e.clock));
                    }
                    None => {
                        let others = union.len() - 1;
                        let reason = if others == 0 {
                            String::from("the only write")
                        } else {
                            format!(
                                "no other write saw it; concurrent with or older than it ({others} others)"
                            )
                        };
                        trace.step(subject, format!("keep ({})", side.name()), reason);
                    }
                }
            }
            if dominator.is_none() {
                kept.push(e.clone());
            }
        }
        self.entries = kept;
    }

    fn render(&self) -> (String, String) {
        let values: Vec<String> = self
            .entries
            .iter()
            .map(|e| format!("{:?}", e.value))
            .collect();
        let clocks: Vec<String> = self
            .entries
            .iter()
            .map(|e| format!("{}", e.clock))
            .collect();
        (
            format!("[{}]", values.join(", ")),
            format!("[{}]", clocks.join(", ")),
        )
    }
}

/// A fixed total order of writes, for a deterministic layout.
fn order<T: Ord>(a: &MvWrite<T>, b: &MvWrite<T>) -> Ordering {
    a.clock
        .iter()
        .cmp(b.clock.iter())
        .then_with(|| a.value.cmp(&b.value))
}

impl<T: Ord + Clone + Debug> Crdt for MvRegister<T> {
    fn merge(&mut self, other: &Self) {
        self.merge_entries(&other.entries, None);
    }

    fn merge_traced(&mut self, other: &Self, trace: &mut MergeTrace) {
        title(
            trace,
            "MV-Register merge: keep every write no other write has seen",
        );
        let (value, clock) = self.render();
        trace.input("local", value, clock);
        let (value, clock) = other.render();
        trace.input("other", value, clock);
        self.merge_entries(&other.entries, Some(trace));
        trace.result = self.render().0;
    }
}

impl<T: Ord + Clone + Debug> OpCrdt for MvRegister<T> {
    type Op = MvWrite<T>;

    fn apply(&mut self, op: MvWrite<T>) {
        self.merge_entries(core::slice::from_ref(&op), None);
    }
}

#[cfg(test)]
mod tests {
    use alloc::string::ToString;

    use super::*;

    #[test]
    fn concurrent_writes_are_kept_then_resolved() {
        let mut a = MvRegister::new();
        a.apply(a.write("A", 1));
        let mut b = a.clone();
        a.apply(a.write("A", 2));
        b.apply(b.write("B", 3));
        let mut ab = a.clone();
        ab.merge(&b);
        let mut ba = b.clone();
        ba.merge(&a);
        assert_eq!(ab, ba);
        assert_eq!(ab.values(), [&3, &2]); // {A:1, B:1} sorts before {A:2}
        ab.apply(ab.write("B", 4));
        assert_eq!(ab.values(), [&4]);
        assert_eq!(ab.clock().to_string(), "{A:2, B:2}");
        a.merge(&ab);
        assert_eq!(a.values(), [&4]);
    }

    #[test]
    fn stale_write_is_ignored_whenever_it_arrives() {
        let mut a = MvRegister::new();
        let w1 = a.write("A", "old");
        a.apply(w1.clone());
        let w2 = a.write("A", "new");
        a.apply(w2.clone());
        a.apply(w1.clone());
        assert_eq!(a.values(), [&"new"]);
        let mut c = MvRegister::new();
        c.apply(w2);
        c.apply(w1);
        assert_eq!(c, a);
    }

    #[test]
    fn trace_keeps_concurrent_and_drops_seen() {
        let mut a = MvRegister::new();
        a.apply(a.write("SG", "x"));
        let mut b = a.clone();
        b.apply(b.write("US", "y"));
        let mut c = MvRegister::new();
        c.apply(c.write("EU", "z"));
        b.merge(&c);
        let mut trace = MergeTrace::default();
        a.merge_traced(&b, &mut trace);
        assert_eq!(a.values(), [&"z", &"y"]);
        assert_eq!(trace.steps.len(), 3);
        let drop = trace.steps.iter().find(|s| s.decision == "drop").unwrap();
        assert_eq!(drop.subject, "\"x\" {SG:1}");
        assert_eq!(
            drop.reason,
            "overwritten by other's \"y\" {SG:1, US:1}, which saw it (US: 0 < 1)"
        );
        assert_eq!(trace.discarded, ["local's \"x\" {SG:1}"]);
        assert_eq!(trace.result, "[\"z\", \"y\"]");
        assert_eq!(trace.inputs[1].clock, "[{EU:1}, {SG:1, US:1}]");
    }

    #[test]
    fn serde_round_trip() {
        let mut a = MvRegister::new();
        a.apply(a.write("SG", 5u32));
        let json = serde_json::to_string(&a).unwrap();
        assert_eq!(json, "{\"entries\":[{\"clock\":{\"SG\":1},\"value\":5}]}");
        let back: MvRegister<u32> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, a);
    }
}
