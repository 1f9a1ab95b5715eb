//! The grow-only counter.

use alloc::collections::BTreeMap;
use alloc::format;

use serde::{Deserialize, Serialize};

use super::replica::{ReplicaId, nonzero_slots, render_slots};
use super::traits::{Crdt, OpCrdt, explain_slot, title};
use crate::conflict::MergeTrace;

/// A grow-only counter (G-Counter): one slot per replica, each replica only raises its own slot,
/// and the value is the sum of the slots. Merge takes each slot's maximum.
///
/// Use it for anything that is only ever added to (events, page views, retries). Slots saturate
/// at `u64::MAX`, and so does [`GCounter::value`].
///
/// ```
/// use meridian_core::crdt::{Crdt, GCounter, OpCrdt};
///
/// let mut sg = GCounter::new();
/// let mut us = GCounter::new();
/// sg.apply(sg.inc("SG", 2));
/// us.apply(us.inc("US", 3));
/// sg.merge(&us);
/// assert_eq!(sg.value(), 5);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GCounter {
    /// Nonzero slots only (a decoded zero slot is dropped: see `replica::nonzero_slots`).
    #[serde(deserialize_with = "nonzero_slots")]
    slots: BTreeMap<ReplicaId, u64>,
}

/// An increment of a [`GCounter`]: the new total of one replica's slot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GCounterOp {
    /// The replica whose slot grew.
    pub replica: ReplicaId,
    /// The slot's total after the increment.
    pub total: u64,
}

impl GCounter {
    /// A counter at zero.
    pub fn new() -> Self {
        GCounter::default()
    }

    /// The sum of all slots (saturating).
    pub fn value(&self) -> u64 {
        self.slots
            .values()
            .fold(0u64, |acc, &c| acc.saturating_add(c))
    }

    /// The slot of one replica.
    pub fn get(&self, replica: &str) -> u64 {
        self.slots.get(replica).copied().unwrap_or(0)
    }

    /// The slots, in replica order.
    pub fn slots(&self) -> &BTreeMap<ReplicaId, u64> {
        &self.slots
    }

    /// The operation that adds `by` at `replica`; apply it to take effect.
    pub fn inc(&self, replica: impl Into<ReplicaId>, by: u64) -> GCounterOp {
        let replica = replica.into();
        let total = self.get(replica.as_str()).saturating_add(by);
        GCounterOp { replica, total }
    }

    fn raise(&mut self, replica: &ReplicaId, total: u64) {
        if total == 0 {
            return;
        }
        match self.slots.get_mut(replica.as_str()) {
            Some(slot) => *slot = (*slot).max(total),
            None => {
                self.slots.insert(replica.clone(), total);
            }
        }
    }

    /// Merges `other`, naming slots with `prefix` in the trace.
    pub(crate) fn merge_slots(
        &mut self,
        other: &GCounter,
        prefix: &str,
        trace: Option<&mut MergeTrace>,
    ) {
        if let Some(trace) = trace {
            let mut replicas: alloc::vec::Vec<&ReplicaId> =
                self.slots.keys().chain(other.slots.keys()).collect();
            replicas.sort();
            replicas.dedup();
            for replica in replicas {
                let mine = self.get(replica.as_str());
                let theirs = other.get(replica.as_str());
                explain_slot(trace, format!("{prefix}slot {replica}"), mine, theirs);
            }
        }
        for (replica, &total) in &other.slots {
            self.raise(replica, total);
        }
    }
}

impl Crdt for GCounter {
    fn merge(&mut self, other: &Self) {
        self.merge_slots(other, "", None);
    }

    fn merge_traced(&mut self, other: &Self, trace: &mut MergeTrace) {
        title(trace, "G-Counter merge: each slot's maximum");
        trace.input(
            "local",
            format!("{}", self.value()),
            format!("slots {}", render_slots(&self.slots)),
        );
        trace.input(
            "other",
            format!("{}", other.value()),
            format!("slots {}", render_slots(&other.slots)),
        );
        self.merge_slots(other, "", Some(trace));
        trace.result = format!("{} (slots {})", self.value(), render_slots(&self.slots));
    }
}

impl OpCrdt for GCounter {
    type Op = GCounterOp;

    fn apply(&mut self, op: GCounterOp) {
        self.raise(&op.replica, op.total);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by the `crdt_states` fuzz target: a P-N counter decoded with an explicit zero slot
    /// (`"n": {"slots": {"US": 0}}`) merged to different states depending on the order.
    #[test]
    fn decoded_zero_slots_are_dropped_so_merge_commutes() {
        let a: crate::crdt::PnCounter =
            serde_json::from_str(r#"{"p": {"slots": {"SG": 3}}, "n": {"slots": {"US": 0}}}"#)
                .unwrap();
        let b: crate::crdt::PnCounter =
            serde_json::from_str(r#"{"p": {"slots": {"US": 2}}, "n": {"slots": {}}}"#).unwrap();
        let (mut ab, mut ba) = (a.clone(), b.clone());
        ab.merge(&b);
        ba.merge(&a);
        assert_eq!(ab, ba);
        let g: GCounter = serde_json::from_str(r#"{"slots": {"US": 0, "SG": 1}}"#).unwrap();
        let mut one = GCounter::new();
        one.apply(one.inc("SG", 1));
        assert_eq!(g, one);
    }

    #[test]
    fn counts_and_merges() {
        let mut a = GCounter::new();
        a.apply(a.inc("A", 3));
        a.apply(a.inc("A", 2));
        let mut b = GCounter::new();
        b.apply(b.inc("B", 4));
        assert_eq!(a.value(), 5);
        a.merge(&b);
        assert_eq!(a.value(), 9);
        assert_eq!(a.get("B"), 4);
        // Merging again changes nothing.
        let before = a.clone();
        a.merge(&b);
        assert_eq!(a, before);
    }

    #[test]
    fn ops_are_idempotent_and_order_free() {
        let mut origin = GCounter::new();
        let op1 = origin.inc("A", 1);
        origin.apply(op1.clone());
        let op2 = origin.inc("A", 5);
        origin.apply(op2.clone());
        let mut late = GCounter::new();
        late.apply(op2.clone());
        late.apply(op1.clone());
        late.apply(op2);
        assert_eq!(late, origin);
        assert_eq!(late.value(), 6);
    }

    #[test]
    fn saturates_instead_of_overflowing() {
        let mut a = GCounter::new();
        a.apply(a.inc("A", u64::MAX));
        a.apply(a.inc("A", 1));
        a.apply(a.inc("B", 7));
        assert_eq!(a.get("A"), u64::MAX);
        assert_eq!(a.value(), u64::MAX);
    }

    #[test]
    fn trace_explains_each_slot() {
        let mut a = GCounter::new();
        a.apply(a.inc("A", 3));
        a.apply(a.inc("B", 1));
        let mut b = GCounter::new();
        b.apply(b.inc("B", 4));
        b.apply(b.inc("A", 3));
        let mut trace = MergeTrace::default();
        a.merge_traced(&b, &mut trace);
        assert_eq!(trace.inputs.len(), 2);
        assert_eq!(trace.inputs[0].clock, "slots {A:3, B:1}");
        assert_eq!(trace.steps[0].subject, "slot A");
        assert_eq!(trace.steps[0].reason, "both hold the same count");
        assert_eq!(trace.steps[1].decision, "take other's 4");
        assert_eq!(trace.steps[1].reason, "other's slot is higher: 4 > 1 by 3");
        assert_eq!(trace.result, "7 (slots {A:3, B:4})");
        assert!(trace.discarded.is_empty());
    }

    #[test]
    fn serde_round_trip() {
        let mut a = GCounter::new();
        a.apply(a.inc("SG", 2));
        let json = serde_json::to_string(&a).unwrap();
        assert_eq!(json, "{\"slots\":{\"SG\":2}}");
        let back: GCounter = serde_json::from_str(&json).unwrap();
        assert_eq!(back, a);
    }
}
