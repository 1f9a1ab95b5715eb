//! Replica names, and the rendering of per-replica counters for traces. Version vectors are the
//! shared [`crate::conflict::VersionVector`].

use alloc::collections::BTreeMap;
use alloc::string::String;
use core::borrow::Borrow;
use core::fmt;

use serde::{Deserialize, Deserializer, Serialize};

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

/// Reads per-replica slots without the zero ones. A counter (a G-Counter's slots, a bounded
/// counter's increments, decrements and transfers) never stores a zero slot (raising to zero is
/// a no-op), so a state sent with `"US": 0` would otherwise compare unequal to the same counter
/// without it, and merges of decoded states would depend on their order.
pub(super) fn nonzero_slots<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<BTreeMap<ReplicaId, u64>, D::Error> {
    let mut slots = BTreeMap::<ReplicaId, u64>::deserialize(d)?;
    slots.retain(|_, n| *n != 0);
    Ok(slots)
}

#[cfg(test)]
mod tests {
    use alloc::string::ToString;

    use super::*;

    #[test]
    fn replica_id_serde_and_borrow() {
        let id = ReplicaId::from("SG");
        assert_eq!(serde_json::to_string(&id).unwrap(), "\"SG\"");
        let back: ReplicaId = serde_json::from_str("\"SG\"").unwrap();
        assert_eq!(back, id);
        let borrowed: &str = id.borrow();
        assert_eq!(borrowed, "SG");
        assert_eq!(id.as_str(), "SG");
        assert_eq!(ReplicaId::new(String::from("SG")), id);
        assert_eq!(id.to_string(), "SG");
    }

    #[test]
    fn slots_render_in_replica_order() {
        let slots: BTreeMap<ReplicaId, u64> = [("US".into(), 1), ("SG".into(), 2)].into();
        assert_eq!(render_slots(&slots), "{SG:2, US:1}");
        assert_eq!(render_slots(&BTreeMap::new()), "{}");
    }
}
