//! The increment/decrement counter.

use alloc::format;
use alloc::string::String;

use serde::{Deserialize, Serialize};

use super::gcounter::{GCounter, GCounterOp};
use super::replica::{ReplicaId, render_slots};
use super::traits::{Crdt, OpCrdt, title};
use crate::conflict::{Counter, MergeTrace};

/// A counter that goes up and down (PN-Counter): two [`GCounter`]s, one of increments (`P`) and
/// one of decrements (`N`); the value is `P - N`.
///
/// It has no lower bound: two regions that each see one item left can both decrement it, giving
/// -1. When the value must stay non-negative, use a [`BoundedCounter`](super::BoundedCounter).
///
/// ```
/// use meridian_core::crdt::{Crdt, OpCrdt, PnCounter};
///
/// let mut sg = PnCounter::new();
/// sg.apply(sg.inc("SG", 1));
/// let mut us = sg.clone();
/// sg.apply(sg.dec("SG", 1));
/// us.apply(us.dec("US", 1));
/// sg.merge(&us);
/// assert_eq!(sg.value(), -1);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PnCounter {
    p: GCounter,
    n: GCounter,
}

/// An operation on a [`PnCounter`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum PnCounterOp {
    /// Raises a replica's increment slot.
    Inc(GCounterOp),
    /// Raises a replica's decrement slot.
    Dec(GCounterOp),
}

impl PnCounter {
    /// A counter at zero.
    pub fn new() -> Self {
        PnCounter::default()
    }

    /// Increments minus decrements. Exact: both sums fit in an `i128`.
    pub fn value(&self) -> i128 {
        let p: i128 = self.p.slots().values().map(|&c| i128::from(c)).sum();
        let n: i128 = self.n.slots().values().map(|&c| i128::from(c)).sum();
        p - n
    }

    /// The increments.
    pub fn increments(&self) -> &GCounter {
        &self.p
    }

    /// The decrements.
    pub fn decrements(&self) -> &GCounter {
        &self.n
    }

    /// The operation that adds `by` at `replica`.
    pub fn inc(&self, replica: impl Into<ReplicaId>, by: u64) -> PnCounterOp {
        PnCounterOp::Inc(self.p.inc(replica, by))
    }

    /// The operation that subtracts `by` at `replica`.
    pub fn dec(&self, replica: impl Into<ReplicaId>, by: u64) -> PnCounterOp {
        PnCounterOp::Dec(self.n.inc(replica, by))
    }

    fn clock(&self) -> alloc::string::String {
        format!(
            "P {} N {}",
            render_slots(self.p.slots()),
            render_slots(self.n.slots())
        )
    }
}

impl Crdt for PnCounter {
    fn merge(&mut self, other: &Self) {
        self.p.merge(&other.p);
        self.n.merge(&other.n);
    }

    fn merge_traced(&mut self, other: &Self, trace: &mut MergeTrace) {
        title(
            trace,
            "PN-Counter merge: each increment and decrement slot's maximum",
        );
        trace.input("local", format!("{}", self.value()), self.clock());
        trace.input("other", format!("{}", other.value()), other.clock());
        self.p.merge_slots(&other.p, "increment ", Some(trace));
        self.n.merge_slots(&other.n, "decrement ", Some(trace));
        trace.result = format!("{} ({})", self.value(), self.clock());
    }
}

impl OpCrdt for PnCounter {
    type Op = PnCounterOp;

    fn apply(&mut self, op: PnCounterOp) {
        match op {
            PnCounterOp::Inc(op) => self.p.apply(op),
            PnCounterOp::Dec(op) => self.n.apply(op),
        }
    }
}

impl From<&Counter> for PnCounter {
    /// The CRDT with the same slots.
    fn from(counter: &Counter) -> Self {
        let mut pn = PnCounter::new();
        for (region, &n) in &counter.added {
            pn.apply(pn.inc(region.as_str(), n));
        }
        for (region, &n) in &counter.subtracted {
            pn.apply(pn.dec(region.as_str(), n));
        }
        pn
    }
}

impl From<&PnCounter> for Counter {
    /// The record field with the same slots.
    fn from(pn: &PnCounter) -> Self {
        let slots = |g: &GCounter| {
            g.slots()
                .iter()
                .map(|(r, &n)| (String::from(r.as_str()), n))
                .collect()
        };
        Counter {
            added: slots(pn.increments()),
            subtracted: slots(pn.decrements()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn up_and_down() {
        let mut a = PnCounter::new();
        a.apply(a.inc("A", 10));
        a.apply(a.dec("A", 3));
        let mut b = PnCounter::new();
        b.apply(b.dec("B", 9));
        a.merge(&b);
        assert_eq!(a.value(), -2);
        assert_eq!(a.increments().value(), 10);
        assert_eq!(a.decrements().value(), 12);
    }

    #[test]
    fn extreme_values_do_not_overflow() {
        let mut a = PnCounter::new();
        for r in ["A", "B", "C"] {
            a.apply(a.dec(r, u64::MAX));
        }
        assert_eq!(a.value(), -3 * i128::from(u64::MAX));
    }

    #[test]
    fn trace_names_both_halves() {
        let mut a = PnCounter::new();
        a.apply(a.inc("A", 2));
        let mut b = PnCounter::new();
        b.apply(b.dec("A", 1));
        let mut trace = MergeTrace::new("stock");
        a.merge_traced(&b, &mut trace);
        assert_eq!(trace.title, "stock");
        assert_eq!(trace.steps.len(), 2);
        assert_eq!(trace.steps[0].subject, "increment slot A");
        assert_eq!(trace.steps[1].subject, "decrement slot A");
        assert_eq!(trace.steps[1].decision, "take other's 1");
        assert_eq!(trace.result, "1 (P {A:2} N {A:1})");
    }

    #[test]
    fn serde_round_trip() {
        let mut a = PnCounter::new();
        a.apply(a.dec("US", 4));
        let op = a.inc("SG", 1);
        let json = serde_json::to_string(&op).unwrap();
        let back: PnCounterOp = serde_json::from_str(&json).unwrap();
        assert_eq!(back, op);
        let state: PnCounter = serde_json::from_str(&serde_json::to_string(&a).unwrap()).unwrap();
        assert_eq!(state, a);
    }
}
