//! The observed-remove (add-wins) set.

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::{self, Debug};

use serde::{Deserialize, Serialize};

use super::replica::ReplicaId;
use super::traits::{Crdt, OpCrdt, title};
use crate::conflict::MergeTrace;
use crate::conflict::VersionVector;

/// A unique tag: the `counter`-th add made at `replica`. Displays as `SG:3`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Dot {
    /// The replica that made the add.
    pub replica: ReplicaId,
    /// Its sequence number at that replica, from 1.
    pub counter: u64,
}

impl fmt::Display for Dot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.replica, self.counter)
    }
}

/// An observed-remove set (OR-Set) with add-wins semantics.
///
/// Every add tags the element with a fresh [`Dot`]; a remove deletes only the tags it has
/// *observed*. An add concurrent with a remove has a tag the remove did not see, so the element
/// stays: add wins. Removed tags are kept as tombstones so that operations and states may arrive
/// in any order, which costs memory proportional to the number of removes.
///
/// Use it for tags, memberships, or a cart as a set, where re-adding after a concurrent remove
/// should win. Tags stay unique as long as each replica applies its own operation before building
/// the next one (and makes fewer than `u64::MAX` adds).
///
/// ```
/// use meridian_core::crdt::{Crdt, OpCrdt, OrSet};
///
/// let mut sg = OrSet::new();
/// sg.apply(sg.add("SG", "milk"));
/// let mut us = sg.clone();
/// sg.apply(sg.remove(&"milk")); // SG removes the milk it saw...
/// us.apply(us.add("US", "milk")); // ...while US adds it again
/// sg.merge(&us);
/// assert!(sg.contains(&"milk")); // add wins
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrSet<T: Ord> {
    /// The highest add counter seen from each replica.
    clock: VersionVector,
    /// Each present element with its live (not removed) tags; never an empty set.
    entries: BTreeMap<T, BTreeSet<Dot>>,
    /// Every removed tag.
    tombstones: BTreeSet<Dot>,
}

/// An operation on an [`OrSet`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum OrSetOp<T> {
    /// Adds `element` under a fresh tag.
    Add {
        /// The element.
        element: T,
        /// Its new tag.
        dot: Dot,
    },
    /// Removes the tags of `element` observed where the remove was made.
    Remove {
        /// The element.
        element: T,
        /// The tags removed.
        dots: BTreeSet<Dot>,
    },
}

impl<T: Ord> Default for OrSet<T> {
    fn default() -> Self {
        OrSet {
            clock: VersionVector::new(),
            entries: BTreeMap::new(),
            tombstones: BTreeSet::new(),
        }
    }
}

fn render_dots<'a>(dots: impl IntoIterator<Item = &'a Dot>) -> String {
    let parts: Vec<String> = dots.into_iter().map(|d| format!("{d}")).collect();
    parts.join(", ")
}

impl<T: Ord + Clone + Debug> OrSet<T> {
    /// An empty set.
    pub fn new() -> Self {
        OrSet::default()
    }

    /// Whether `element` is present.
    pub fn contains(&self, element: &T) -> bool {
        self.entries.contains_key(element)
    }

    /// The present elements, in order.
    pub fn elements(&self) -> impl Iterator<Item = &T> {
        self.entries.keys()
    }

    /// How many elements are present.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when no element is present.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The live tags of `element` (empty when absent).
    pub fn tags(&self, element: &T) -> Option<&BTreeSet<Dot>> {
        self.entries.get(element)
    }

    /// The highest add counter seen from each replica.
    pub fn clock(&self) -> &VersionVector {
        &self.clock
    }

    /// The operation that adds `element` at `replica` under a fresh tag.
    pub fn add(&self, replica: impl Into<ReplicaId>, element: T) -> OrSetOp<T> {
        let replica = replica.into();
        let counter = self.clock.get(replica.as_str()).saturating_add(1);
        OrSetOp::Add {
            element,
            dot: Dot { replica, counter },
        }
    }

    /// The operation that removes `element` as observed here (its current tags). Removing an
    /// absent element gives an operation that changes nothing.
    pub fn remove(&self, element: &T) -> OrSetOp<T> {
        OrSetOp::Remove {
            element: element.clone(),
            dots: self.entries.get(element).cloned().unwrap_or_default(),
        }
    }

    fn merge_from(&mut self, other: &OrSet<T>, trace: Option<&mut MergeTrace>) {
        if let Some(trace) = trace {
            self.explain(other, trace);
        }
        self.clock.merge(&other.clock);
        let fresh: Vec<Dot> = other
            .tombstones
            .difference(&self.tombstones)
            .cloned()
            .collect();
        if !fresh.is_empty() {
            self.entries.retain(|_, dots| {
                dots.retain(|d| !other.tombstones.contains(d));
                !dots.is_empty()
            });
        }
        self.tombstones.extend(fresh);
        for (element, dots) in &other.entries {
            let live: BTreeSet<Dot> = dots
                .iter()
                .filter(|d| !self.tombstones.contains(*d))
                .cloned()
                .collect();
            if !live.is_empty() {
                self.entries
                    .entry(element.clone())
                    .or_default()
                    .extend(live);
            }
        }
    }

    fn explain(&self, other: &OrSet<T>, trace: &mut MergeTrace) {
        let mut elements: Vec<&T> = self.entries.keys().chain(other.entries.keys()).collect();
        elements.sort();
        elements.dedup();
        let empty = BTreeSet::new();
        for element in elements {
            let mine = self.entries.get(element).unwrap_or(&empty);
            let theirs = other.entries.get(element).unwrap_or(&empty);
            let mut live = Vec::new();
            let mut removed = Vec::new();
            for d in mine.union(theirs) {
                let side = match (mine.contains(d), theirs.contains(d)) {
                    (true, true) => "both",
                    (true, false) => "local",
                    _ => "other",
                };
                if other.tombstones.contains(d) {
                    removed.push(format!("{d} ({side}, removed at other)"));
                } else if self.tombstones.contains(d) {
                    removed.push(format!("{d} ({side}, removed at local)"));
                } else {
                    live.push(format!("{d} ({side})"));
                }
            }
            let decision = match (mine.is_empty(), live.is_empty()) {
                (false, false) => "keep",
                (false, true) => "remove",
                (true, false) => "add",
                (true, true) => "stay absent",
            };
            let mut reason = String::new();
            if live.is_empty() {
                reason.push_str("no live tag left");
            } else {
                reason.push_str(&format!("live tags {}", live.join(", ")));
            }
            if !removed.is_empty() {
                reason.push_str(&format!("; observed tags removed: {}", removed.join(", ")));
                if !live.is_empty() {
                    reason.push_str(" (add wins over the concurrent remove)");
                }
                for r in &removed {
                    trace.discard(format!("{element:?} tag {r}"));
                }
            }
            trace.step(format!("{element:?}"), decision, reason);
        }
    }

    fn render(&self) -> (String, String) {
        let elements: Vec<String> = self.entries.keys().map(|e| format!("{e:?}")).collect();
        let clock = format!(
            "adds seen {}; {} tombstone(s){}{}",
            self.clock,
            self.tombstones.len(),
            if self.tombstones.is_empty() { "" } else { ": " },
            render_dots(&self.tombstones)
        );
        (format!("{{{}}}", elements.join(", ")), clock)
    }
}

impl<T: Ord + Clone + Debug> Crdt for OrSet<T> {
    fn merge(&mut self, other: &Self) {
        self.merge_from(other, None);
    }

    fn merge_traced(&mut self, other: &Self, trace: &mut MergeTrace) {
        title(
            trace,
            "OR-Set merge: union of tags minus removed tags (add wins)",
        );
        let (value, clock) = self.render();
        trace.input("local", value, clock);
        let (value, clock) = other.render();
        trace.input("other", value, clock);
        self.merge_from(other, Some(trace));
        trace.result = self.render().0;
    }
}

impl<T: Ord + Clone + Debug> OpCrdt for OrSet<T> {
    type Op = OrSetOp<T>;

    fn apply(&mut self, op: OrSetOp<T>) {
        match op {
            OrSetOp::Add { element, dot } => {
                self.clock.observe(dot.replica.as_str(), dot.counter);
                if !self.tombstones.contains(&dot) {
                    self.entries.entry(element).or_default().insert(dot);
                }
            }
            OrSetOp::Remove { element, dots } => {
                if let Some(live) = self.entries.get_mut(&element) {
                    live.retain(|d| !dots.contains(d));
                    if live.is_empty() {
                        self.entries.remove(&element);
                    }
                }
                for dot in dots {
                    self.clock.observe(dot.replica.as_str(), dot.counter);
                    self.tombstones.insert(dot);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn add_remove_readd() {
        let mut s = OrSet::new();
        s.apply(s.add("A", 'x'));
        s.apply(s.add("A", 'y'));
        assert_eq!(s.len(), 2);
        s.apply(s.remove(&'x'));
        assert!(!s.contains(&'x'));
        s.apply(s.add("A", 'x'));
        assert!(s.contains(&'x'));
        assert_eq!(s.elements().copied().collect::<Vec<_>>(), ['x', 'y']);
        assert_eq!(render_dots(s.tags(&'x').unwrap()), "A:3");
        assert_eq!(s.clock().get("A"), 3);
        s.apply(s.remove(&'z'));
        assert_eq!(s.len(), 2);
    }

    #[test]
    fn add_wins_over_concurrent_remove() {
        let mut a = OrSet::new();
        a.apply(a.add("A", 1));
        let mut b = a.clone();
        a.apply(a.remove(&1));
        b.apply(b.add("B", 1));
        let mut ab = a.clone();
        ab.merge(&b);
        let mut ba = b.clone();
        ba.merge(&a);
        assert_eq!(ab, ba);
        assert!(ab.contains(&1));
        assert_eq!(render_dots(ab.tags(&1).unwrap()), "B:1");
    }

    #[test]
    fn remove_before_add_arrives() {
        let mut origin = OrSet::new();
        let add = origin.add("A", "k");
        origin.apply(add.clone());
        let rm = origin.remove(&"k");
        origin.apply(rm.clone());
        let mut late = OrSet::new();
        late.apply(rm);
        late.apply(add.clone());
        late.apply(add);
        assert_eq!(late, origin);
        assert!(late.is_empty());
    }

    #[test]
    fn trace_names_removed_tags() {
        let mut a = OrSet::new();
        a.apply(a.add("SG", "milk"));
        a.apply(a.add("SG", "eggs"));
        let mut b = a.clone();
        b.apply(b.remove(&"milk"));
        b.apply(b.remove(&"eggs"));
        b.apply(b.add("US", "eggs"));
        let mut trace = MergeTrace::default();
        a.merge_traced(&b, &mut trace);
        assert_eq!(trace.steps.len(), 2);
        assert_eq!(trace.steps[0].subject, "\"eggs\"");
        assert_eq!(trace.steps[0].decision, "keep");
        assert_eq!(
            trace.steps[0].reason,
            "live tags US:1 (other); observed tags removed: SG:2 (local, removed at other) (add wins over the concurrent remove)"
        );
        assert_eq!(trace.steps[1].decision, "remove");
        assert_eq!(
            trace.discarded,
            [
                "\"eggs\" tag SG:2 (local, removed at other)",
                "\"milk\" tag SG:1 (local, removed at other)"
            ]
        );
        assert_eq!(trace.result, "{\"eggs\"}");
        assert_eq!(
            trace.inputs[1].clock,
            "adds seen {SG:2, US:1}; 2 tombstone(s): SG:1, SG:2"
        );
    }

    #[test]
    fn serde_round_trip() {
        let mut a = OrSet::new();
        a.apply(a.add("SG", String::from("x")));
        a.apply(a.remove(&String::from("x")));
        a.apply(a.add("US", String::from("y")));
        let json = serde_json::to_string(&a).unwrap();
        let back: OrSet<String> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, a);
        let op = a.remove(&String::from("y"));
        let back: OrSetOp<String> =
            serde_json::from_str(&serde_json::to_string(&op).unwrap()).unwrap();
        assert_eq!(back, op);
    }
}
