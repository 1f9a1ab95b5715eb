//! Version vectors: per origin region (or replica), how many of its writes a version has seen.
//! Comparing two tells whether one happened after the other or whether they are concurrent (a real
//! conflict). The resolvers in [`crate::conflict`] and the CRDTs in [`crate::crdt`] share this
//! one type.

use alloc::collections::BTreeMap;
use alloc::string::String;
use core::fmt;

use serde::{Deserialize, Serialize};

/// How two versions are related, read as "the left one is … the right one".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Causality {
    /// The left one happened before: the right one has seen everything it has, and more.
    Before,
    /// The left one happened after.
    After,
    /// Both have seen exactly the same writes.
    Equal,
    /// Each has seen a write the other has not: a conflict.
    Concurrent,
}

impl Causality {
    /// The same relation read from the other side.
    pub fn reversed(self) -> Causality {
        match self {
            Causality::Before => Causality::After,
            Causality::After => Causality::Before,
            other => other,
        }
    }
}

/// Per origin region, the number of its writes seen. A missing region counts as zero, and
/// equality ignores explicit zeros.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct VersionVector {
    counts: BTreeMap<String, u64>,
}

impl VersionVector {
    /// The empty vector: nothing seen.
    pub fn new() -> Self {
        VersionVector::default()
    }

    /// How many writes of `origin` have been seen.
    pub fn get(&self, origin: &str) -> u64 {
        self.counts.get(origin).copied().unwrap_or(0)
    }

    /// Sets the count of `origin` (zero removes it).
    pub fn set(&mut self, origin: &str, count: u64) {
        if count == 0 {
            self.counts.remove(origin);
        } else {
            self.counts.insert(String::from(origin), count);
        }
    }

    /// Counts one more write of `origin` and returns its new count (saturating).
    pub fn increment(&mut self, origin: &str) -> u64 {
        let next = self.get(origin).saturating_add(1);
        self.set(origin, next);
        next
    }

    /// Raises the count of `origin` to at least `count`.
    pub fn observe(&mut self, origin: &str, count: u64) {
        if count > self.get(origin) {
            self.set(origin, count);
        }
    }

    /// Raises every count to at least `other`'s: afterwards `self` has seen both.
    pub fn merge(&mut self, other: &VersionVector) {
        for (origin, n) in other.iter() {
            self.observe(origin, n);
        }
    }

    /// The least vector that has seen both.
    pub fn merged(&self, other: &VersionVector) -> VersionVector {
        let mut m = self.clone();
        m.merge(other);
        m
    }

    /// Whether `self` has seen everything `other` has (`After` or `Equal`).
    pub fn covers(&self, other: &VersionVector) -> bool {
        other.counts.iter().all(|(o, &n)| self.get(o) >= n)
    }

    /// How `self` relates to `other`.
    pub fn compare(&self, other: &VersionVector) -> Causality {
        match (self.covers(other), other.covers(self)) {
            (true, true) => Causality::Equal,
            (true, false) => Causality::After,
            (false, true) => Causality::Before,
            (false, false) => Causality::Concurrent,
        }
    }

    /// The regions with a nonzero count and their counts, in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, u64)> {
        self.counts
            .iter()
            .filter(|&(_, &n)| n > 0)
            .map(|(o, &n)| (o.as_str(), n))
    }

    /// Whether nothing has been seen.
    pub fn is_empty(&self) -> bool {
        self.iter().next().is_none()
    }

    /// Where `other` is ahead of `self`, as `A: 1 < 3` items joined by commas (for traces).
    pub fn ahead(&self, other: &VersionVector) -> String {
        let mut out = String::new();
        for (origin, count) in other.iter() {
            let mine = self.get(origin);
            if count > mine {
                if !out.is_empty() {
                    out.push_str(", ");
                }
                out.push_str(&alloc::format!("{origin}: {mine} < {count}"));
            }
        }
        out
    }
}

impl PartialEq for VersionVector {
    fn eq(&self, other: &Self) -> bool {
        self.compare(other) == Causality::Equal
    }
}

impl Eq for VersionVector {}

impl<S: Into<String>> FromIterator<(S, u64)> for VersionVector {
    fn from_iter<I: IntoIterator<Item = (S, u64)>>(iter: I) -> Self {
        let mut v = VersionVector::new();
        for (o, n) in iter {
            let o = o.into();
            v.set(&o, n.max(v.get(&o)));
        }
        v
    }
}

/// `{SG:2, US:1}`.
impl fmt::Display for VersionVector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("{")?;
        for (i, (o, n)) in self.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{o}:{n}")?;
        }
        f.write_str("}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    fn vv(pairs: &[(&str, u64)]) -> VersionVector {
        pairs.iter().map(|&(o, n)| (o, n)).collect()
    }

    #[test]
    fn compares_merges_and_prints() {
        let a = vv(&[("SG", 2), ("US", 1)]);
        let b = vv(&[("SG", 2), ("US", 2)]);
        let c = vv(&[("SG", 3)]);
        assert_eq!(a.compare(&b), Causality::Before);
        assert_eq!(b.compare(&a), Causality::After);
        assert_eq!(b.compare(&c), Causality::Concurrent);
        assert_eq!(
            a.compare(&vv(&[("US", 1), ("SG", 2), ("EU", 0)])),
            Causality::Equal
        );
        let m = b.merged(&c);
        assert_eq!(m, vv(&[("SG", 3), ("US", 2)]));
        assert_eq!(m.to_string(), "{SG:3, US:2}");
        let mut z = VersionVector::new();
        assert!(z.is_empty());
        assert_eq!(z.increment("US"), 1);
        z.set("US", u64::MAX);
        assert_eq!(z.increment("US"), u64::MAX);
        let json = serde_json::to_string(&a).unwrap_or_default();
        assert_eq!(json, r#"{"SG":2,"US":1}"#);
        assert_eq!(serde_json::from_str::<VersionVector>(&json).ok(), Some(a));
        assert_eq!(Causality::Before.reversed(), Causality::After);
        assert_eq!(VersionVector::new().to_string(), "{}");
    }

    #[test]
    fn observes_and_says_where_another_is_ahead() {
        let mut a = vv(&[("A", 2), ("B", 1)]);
        a.observe("B", 3);
        a.observe("A", 1);
        a.observe("C", 0);
        assert_eq!(a.to_string(), "{A:2, B:3}");
        a.merge(&vv(&[("C", 1)]));
        assert_eq!(vv(&[("A", 1)]).ahead(&a), "A: 1 < 2, B: 0 < 3, C: 0 < 1");
        assert_eq!(a.ahead(&vv(&[("A", 1)])), "");
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod proptests {
    use super::*;
    use proptest::prelude::*;

    fn vector() -> impl Strategy<Value = VersionVector> {
        proptest::collection::btree_map(
            prop_oneof![Just("SG"), Just("US"), Just("EU")],
            0u64..4,
            0..4,
        )
        .prop_map(|m| m.into_iter().collect())
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        #[test]
        fn compare_is_consistent_and_merge_is_an_upper_bound(a in vector(), b in vector(), c in vector()) {
            prop_assert_eq!(a.compare(&b), b.compare(&a).reversed());
            prop_assert_eq!(a.compare(&a), Causality::Equal);
            let m = a.merged(&b);
            prop_assert!(m.covers(&a) && m.covers(&b));
            prop_assert_eq!(m.clone(), b.merged(&a));
            prop_assert_eq!(m.merged(&c), a.merged(&b.merged(&c)));
            // Least upper bound: any vector covering both covers the merge.
            if c.covers(&a) && c.covers(&b) {
                prop_assert!(c.covers(&m));
            }
            // Incrementing moves strictly after.
            let mut n = a.clone();
            n.increment("US");
            prop_assert_eq!(n.compare(&a), Causality::After);
        }
    }
}
