//! The data that conflicts: records of named fields, and a version of a value with the metadata
//! that decides conflicts (hybrid clock, wall-clock reading, origin, version vector, event id).

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::format;
use alloc::string::String;
use core::fmt;

use serde::{Deserialize, Serialize};

use super::hlc::{Hlc, ms_text};
use super::version_vector::VersionVector;

/// A counter that regions change concurrently: each region's increments and decrements are kept
/// apart, so merging two copies (taking each region's larger total) never counts a change twice.
/// Its value is the sum of all increments minus all decrements.
///
/// This is the record-field form of the CRDT [`PnCounter`](crate::crdt::PnCounter): `added`
/// is its increment slots (`P`) and `subtracted` its decrement slots (`N`), keyed by region
/// name, with the same merge (each slot's maximum) and the same value (saturated to `i64`
/// here). It exists apart so that a [`FieldValue`] keeps its plain serialised shape
/// (`{"added": {...}, "subtracted": {...}}`); convert with `PnCounter::from(&counter)` and
/// `Counter::from(&pn_counter)` to use the CRDT's operations and traced merges. (A total of 0
/// written with [`Counter::add`] stays as a slot here; a `PnCounter` stores no zero slot.)
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Counter {
    /// Per region, the total added by that region.
    #[serde(default)]
    pub added: BTreeMap<String, u64>,
    /// Per region, the total subtracted by that region.
    #[serde(default)]
    pub subtracted: BTreeMap<String, u64>,
}

impl Counter {
    /// A counter at zero.
    pub fn new() -> Self {
        Counter::default()
    }

    /// Adds `delta` (negative: subtracts) on behalf of `region`, saturating.
    pub fn add(&mut self, region: &str, delta: i64) {
        let side = if delta >= 0 {
            &mut self.added
        } else {
            &mut self.subtracted
        };
        let slot = side.entry(String::from(region)).or_insert(0);
        *slot = slot.saturating_add(delta.unsigned_abs());
    }

    /// The same counter after `region` adds `delta`.
    pub fn with(mut self, region: &str, delta: i64) -> Self {
        self.add(region, delta);
        self
    }

    /// The counter's value: everything added minus everything subtracted, saturating.
    pub fn value(&self) -> i64 {
        let up: u128 = self.added.values().map(|&n| u128::from(n)).sum();
        let down: u128 = self.subtracted.values().map(|&n| u128::from(n)).sum();
        let v = i128::try_from(up).unwrap_or(i128::MAX) - i128::try_from(down).unwrap_or(i128::MAX);
        i64::try_from(v.clamp(i128::from(i64::MIN), i128::from(i64::MAX))).unwrap_or(0)
    }

    /// Merges `other` in: per region, the larger of the two totals on each side.
    pub fn merge(&mut self, other: &Counter) {
        for (side, theirs) in [
            (&mut self.added, &other.added),
            (&mut self.subtracted, &other.subtracted),
        ] {
            for (region, &n) in theirs {
                let slot = side.entry(region.clone()).or_insert(0);
                *slot = (*slot).max(n);
            }
        }
    }
}

/// The value of one field.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldValue {
    /// Text.
    Text(String),
    /// A whole number.
    Int(i64),
    /// A set of strings.
    Set(BTreeSet<String>),
    /// A counter several regions change at once (see [`Counter`]).
    Counter(Counter),
    /// A tombstone: the field was removed. Kept (rather than dropping the field) so a removal
    /// can win over an older value.
    Deleted,
}

impl FieldValue {
    /// A text value.
    pub fn text(s: impl Into<String>) -> Self {
        FieldValue::Text(s.into())
    }

    /// A set of strings.
    pub fn set<I, S>(items: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        FieldValue::Set(items.into_iter().map(Into::into).collect())
    }

    /// The kind of value, for people: "text", "integer", "set", "counter", "deleted".
    pub fn kind(&self) -> &'static str {
        match self {
            FieldValue::Text(_) => "text",
            FieldValue::Int(_) => "integer",
            FieldValue::Set(_) => "set",
            FieldValue::Counter(_) => "counter",
            FieldValue::Deleted => "deleted",
        }
    }
}

/// `"Ann"`, `7`, `{a, b}`, `counter 12`, `<deleted>`.
impl fmt::Display for FieldValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldValue::Text(s) => write!(f, "{s:?}"),
            FieldValue::Int(n) => write!(f, "{n}"),
            FieldValue::Set(items) => {
                f.write_str("{")?;
                for (i, s) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    f.write_str(s)?;
                }
                f.write_str("}")
            }
            FieldValue::Counter(c) => write!(f, "counter {}", c.value()),
            FieldValue::Deleted => f.write_str("<deleted>"),
        }
    }
}

/// A record: named fields in name order, or a deleted record (a tombstone).
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Record {
    /// The fields, by name.
    pub fields: BTreeMap<String, FieldValue>,
    /// Whether the whole record was deleted. A deleted record normally has no fields.
    #[serde(default, skip_serializing_if = "core::ops::Not::not")]
    pub deleted: bool,
}

impl Record {
    /// A record with no fields.
    pub fn new() -> Self {
        Record::default()
    }

    /// A deleted record (a tombstone).
    pub fn tombstone() -> Self {
        Record {
            fields: BTreeMap::new(),
            deleted: true,
        }
    }

    /// The same record with `name` set to `value`.
    pub fn with(mut self, name: impl Into<String>, value: FieldValue) -> Self {
        self.fields.insert(name.into(), value);
        self
    }

    /// A field's value, if present.
    pub fn get(&self, name: &str) -> Option<&FieldValue> {
        self.fields.get(name)
    }

    /// Sets a field.
    pub fn set(&mut self, name: impl Into<String>, value: FieldValue) {
        self.fields.insert(name.into(), value);
    }
}

/// `{name: "Ann", visits: 3}`, or `<deleted record>`.
impl fmt::Display for Record {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.deleted {
            return f.write_str("<deleted record>");
        }
        f.write_str("{")?;
        for (i, (name, v)) in self.fields.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{name}: {v}")?;
        }
        f.write_str("}")
    }
}

/// Which write a version is: its origin region and that region's write number (1, 2, ...).
///
/// Each region numbers its writes without gaps, so a replica remembers which ones it has applied
/// with one number per region plus a bounded window (see [`super::Replica`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct EventId {
    /// The region that made the write.
    pub origin: String,
    /// The write's number at that region, from 1.
    pub seq: u64,
}

impl EventId {
    /// Write number `seq` of `origin`.
    pub fn new(origin: impl Into<String>, seq: u64) -> Self {
        EventId {
            origin: origin.into(),
            seq,
        }
    }
}

/// `US#2`.
impl fmt::Display for EventId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}#{}", self.origin, self.seq)
    }
}

/// A version of a value with what decides its conflicts.
///
/// A version that comes straight from a write has `vv[id.origin] == id.seq`; a merged version
/// carries the merge of its inputs' vectors and the metadata of its newest input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Versioned<T = Record> {
    /// The value.
    pub value: T,
    /// The hybrid-logical-clock timestamp of the write.
    pub hlc: Hlc,
    /// The writer's wall clock at the write, in µs, as skewed as that clock was.
    pub physical_us: u64,
    /// The write's identity; `id.origin` is the region it came from.
    pub id: EventId,
    /// Everything this version has seen.
    pub vv: VersionVector,
    /// For values with named parts (record fields), the clock of each part's last change when
    /// it differs from `hlc`; a part without an entry was last changed at `hlc`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub field_hlc: BTreeMap<String, Hlc>,
}

impl<T> Versioned<T> {
    /// A version of `value` written as event `id` at `hlc`, with the writer's wall clock reading
    /// `physical_us` and having seen `vv`.
    pub fn new(value: T, id: EventId, hlc: Hlc, physical_us: u64, vv: VersionVector) -> Self {
        Versioned {
            value,
            hlc,
            physical_us,
            id,
            vv,
            field_hlc: BTreeMap::new(),
        }
    }

    /// A region's first-hand write that has seen nothing else: its vector is `{origin: seq}`.
    pub fn write(value: T, id: EventId, hlc: Hlc, physical_us: u64) -> Self {
        let mut vv = VersionVector::new();
        vv.set(&id.origin, id.seq);
        Versioned::new(value, id, hlc, physical_us, vv)
    }

    /// The region the version came from.
    pub fn origin(&self) -> &str {
        &self.id.origin
    }

    /// The clock of part `name` (see [`Versioned::field_hlc`]).
    pub fn field_clock(&self, name: &str) -> Hlc {
        self.field_hlc.get(name).copied().unwrap_or(self.hlc)
    }

    /// The metadata for people: `HLC 1000ms+3 · wall 1000ms · vv {US:2} · event US#2`.
    pub fn clock_text(&self) -> String {
        format!(
            "HLC {} · wall {} · vv {} · event {}",
            self.hlc,
            ms_text(self.physical_us),
            self.vv,
            self.id
        )
    }
}

impl Versioned<Record> {
    /// Drops part clocks that say nothing (equal to `hlc`, or for fields the record lacks), so
    /// equal versions compare equal.
    pub fn normalize(&mut self) {
        let hlc = self.hlc;
        let fields = &self.value.fields;
        self.field_hlc
            .retain(|name, c| *c != hlc && fields.contains_key(name));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn records_print_and_round_trip_through_json() {
        let r = Record::new()
            .with("name", FieldValue::text("Ann"))
            .with("visits", FieldValue::Int(3))
            .with("tags", FieldValue::set(["b", "a"]))
            .with(
                "likes",
                FieldValue::Counter(Counter::new().with("US", 5).with("SG", -2)),
            )
            .with("city", FieldValue::Deleted);
        assert_eq!(
            r.to_string(),
            r#"{city: <deleted>, likes: counter 3, name: "Ann", tags: {a, b}, visits: 3}"#
        );
        let v = Versioned::write(
            r,
            EventId::new("US", 2),
            Hlc::new(1_000_000, 3, 1),
            1_000_000,
        );
        assert_eq!(
            v.clock_text(),
            "HLC 1000ms+3 · wall 1000ms · vv {US:2} · event US#2"
        );
        let json = serde_json::to_string(&v).unwrap_or_default();
        let back: Option<Versioned> = serde_json::from_str(&json).ok();
        assert_eq!(back, Some(v));
        assert_eq!(Record::tombstone().to_string(), "<deleted record>");
    }

    #[test]
    fn counters_merge_without_double_counting_and_saturate() {
        let base = Counter::new().with("US", 10);
        let us = base.clone().with("US", 5);
        let sg = base.clone().with("SG", -3);
        let mut m = us.clone();
        m.merge(&sg);
        assert_eq!(m.value(), 12);
        let mut again = m.clone();
        again.merge(&us);
        assert_eq!(again, m);
        let big = Counter::new()
            .with("US", i64::MAX)
            .with("SG", i64::MAX)
            .with("EU", 1);
        assert_eq!(big.value(), i64::MAX);
        let low = Counter::new().with("US", i64::MIN).with("SG", i64::MIN);
        assert_eq!(low.value(), i64::MIN);
        assert_eq!(FieldValue::Int(1).kind(), "integer");
        assert_eq!(EventId::new("SG", 4).to_string(), "SG#4");
    }
}
