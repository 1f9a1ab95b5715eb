//! Replica names and version vectors.

use alloc::collections::BTreeMap;
use alloc::string::String;
use core::borrow::Borrow;
use core::cmp::Ordering;
use core::fmt;

use serde::{Deserialize, Serialize};

/// The name of a replica, usually a region such as `"SG"` or `"us-east-1"`.
///
/// A short string rather than a number, so that traces and serialised states read naturally.
/// Ids compare as strings, which fixes the order of every map in this module and breaks timestamp
/// ties in [`LwwRegister`](super::LwwRegister). It serialises as a plain string.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ReplicaId(String);

impl ReplicaId {
    /// A replica id from any string.
    pub fn new(id: impl Into<String>) -> Self {
        ReplicaId(id.into())
    }

    /// The id as a string slice.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<&str> for ReplicaId {
    fn from(id: &str) -> Self {
        ReplicaId(String::from(id))
    }
}

impl From<String> for ReplicaId {
    fn from(id: String) -> Self {
        ReplicaId(id)
    }
}

impl From<&ReplicaId> for ReplicaId {
    fn from(id: &ReplicaId) -> Self {
        id.clone()
    }
}

impl Borrow<str> for ReplicaId {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ReplicaId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A version vector: for each replica, how many of its events have been seen.
///
/// A missing replica counts as 0; the methods never store a zero entry. It serialises as a map
/// from replica id to count, and displays as `{SG:2, US:1}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct VersionVector(BTreeMap<ReplicaId, u64>);

impl VersionVector {
    /// The empty vector: nothing seen.
    pub fn new() -> Self {
        VersionVector(BTreeMap::new())
    }

    /// The count seen from `replica` (0 when absent).
    pub fn get(&self, replica: &str) -> u64 {
        self.0.get(replica).copied().unwrap_or(0)
    }

    /// Counts one more event of `replica` (saturating at `u64::MAX`) and returns the new count.
    pub fn increment(&mut self, replica: impl Into<ReplicaId>) -> u64 {
        let slot = self.0.entry(replica.into()).or_insert(0);
        *slot = slot.saturating_add(1);
        *slot
    }

    /// Raises the entry of `replica` to at least `count`.
    pub fn observe(&mut self, replica: impl Into<ReplicaId>, count: u64) {
        if count == 0 {
            return;
        }
        let slot = self.0.entry(replica.into()).or_insert(0);
        *slot = (*slot).max(count);
    }

    /// The entry-wise maximum of the two vectors, in place.
    pub fn merge(&mut self, other: &VersionVector) {
        for (replica, &count) in &other.0 {
            self.observe(replica, count);
        }
    }

    /// The entries, in replica order.
    pub fn iter(&self) -> impl Iterator<Item = (&ReplicaId, u64)> {
        self.0.iter().map(|(r, &c)| (r, c))
    }

    /// True when nothing has been seen.
    pub fn is_empty(&self) -> bool {
        self.0.values().all(|&c| c == 0)
    }

    /// The causal order: `Less` when `self` happened before `other`, `Greater` after, `Equal`
    /// when they are the same, `None` when they are concurrent.
    pub fn causal_cmp(&self, other: &VersionVector) -> Option<Ordering> {
        let mut less = false;
        let mut greater = false;
        for replica in self.0.keys().chain(other.0.keys()) {
            match self.get(replica.as_str()).cmp(&other.get(replica.as_str())) {
                Ordering::Less => less = true,
                Ordering::Greater => greater = true,
                Ordering::Equal => {}
            }
        }
        match (less, greater) {
            (false, false) => Some(Ordering::Equal),
            (true, false) => Some(Ordering::Less),
            (false, true) => Some(Ordering::Greater),
            (true, true) => None,
        }
    }

    /// Where `other` is ahead of `self`, as `A:1<3` items joined by commas (for traces).
    pub(crate) fn ahead(&self, other: &VersionVector) -> String {
        let mut out = String::new();
        for (replica, count) in other.iter() {
            let mine = self.get(replica.as_str());
            if count > mine {
                if !out.is_empty() {
                    out.push_str(", ");
                }
                out.push_str(&alloc::format!("{replica}: {mine} < {count}"));
            }
        }
        out
    }

    /// The map itself, for ordering entries deterministically.
    pub(crate) fn entries(&self) -> &BTreeMap<ReplicaId, u64> {
        &self.0
    }
}

impl fmt::Display for VersionVector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("{")?;
        for (i, (replica, count)) in self.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{replica}:{count}")?;
        }
        f.write_str("}")
    }
}

/// Renders a map of counters as `{SG:2, US:1}` (for traces).
pub(crate) fn render_slots(slots: &BTreeMap<ReplicaId, u64>) -> String {
    let mut out = String::from("{");
    for (i, (replica, count)) in slots.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&alloc::format!("{replica}:{count}"));
    }
    out.push('}');
    out
}

#[cfg(test)]
mod tests {
    use alloc::string::ToString;

    use super::*;

    fn vv(entries: &[(&str, u64)]) -> VersionVector {
        let mut v = VersionVector::new();
        for &(r, c) in entries {
            v.observe(r, c);
        }
        v
    }

    #[test]
    fn causal_order() {
        let a = vv(&[("A", 1)]);
        let b = vv(&[("A", 1), ("B", 1)]);
        let c = vv(&[("C", 1)]);
        assert_eq!(a.causal_cmp(&b), Some(Ordering::Less));
        assert_eq!(b.causal_cmp(&a), Some(Ordering::Greater));
        assert_eq!(a.causal_cmp(&a.clone()), Some(Ordering::Equal));
        assert_eq!(a.causal_cmp(&c), None);
        assert_eq!(
            VersionVector::new().causal_cmp(&vv(&[("A", 0)])),
            Some(Ordering::Equal)
        );
    }

    #[test]
    fn merge_increment_display() {
        let mut a = vv(&[("A", 2), ("B", 1)]);
        a.merge(&vv(&[("B", 3), ("C", 1)]));
        assert_eq!(a.to_string(), "{A:2, B:3, C:1}");
        assert_eq!(a.increment("A"), 3);
        assert_eq!(vv(&[("A", 1)]).ahead(&a), "A: 1 < 3, B: 0 < 3, C: 0 < 1");
        assert!(VersionVector::new().is_empty());
        let mut m = vv(&[("A", u64::MAX)]);
        assert_eq!(m.increment("A"), u64::MAX);
    }

    #[test]
    fn replica_id_serde_and_borrow() {
        let id = ReplicaId::from("SG");
        assert_eq!(serde_json::to_string(&id).unwrap(), "\"SG\"");
        let v = vv(&[("SG", 2)]);
        assert_eq!(serde_json::to_string(&v).unwrap(), "{\"SG\":2}");
        let back: VersionVector = serde_json::from_str("{\"SG\":2}").unwrap();
        assert_eq!(back, v);
        assert_eq!(v.get("SG"), 2);
        assert_eq!(id.as_str(), "SG");
        assert_eq!(ReplicaId::new(String::from("SG")), id);
    }
}
