//! A replica that applies replicated events: it ignores duplicates by event id, buffers events
//! that arrive before their predecessors when its resolver needs causal order, merges
//! conflicts with its resolver and counts what happened.

use alloc::boxed::Box;
use alloc::collections::{BTreeMap, BTreeSet, VecDeque};
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use super::hlc::HlcClock;
use super::record::{EventId, Record, Versioned};
use super::resolver::Resolver;
use super::trace::MergeTrace;
use super::version_vector::{Causality, VersionVector};
use crate::error::FieldError;

/// The default number of event ids remembered per origin above its floor.
pub const DEFAULT_WINDOW: u64 = 1024;

/// A replicated write: the key it changes and the new version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// The record's key.
    pub key: String,
    /// The version the origin wrote; `version.id` identifies the event.
    pub version: Versioned,
}

/// What [`Replica::apply`] did with an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplyOutcome {
    /// Merged into the replica's state.
    Applied {
        /// Whether the replica held a concurrent version of the key (a conflict).
        conflict: bool,
        /// Buffered events this one unblocked, applied right after it.
        released: usize,
    },
    /// Already applied or already buffered: ignored.
    Duplicate,
    /// Waiting for events it depends on (causal mode only).
    Buffered,
    /// More than the window past what the replica has from its origin: refused, not
    /// remembered; deliver it again later.
    TooFarAhead,
}

/// Running totals of a replica.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplyStats {
    /// Writes made at this replica.
    pub local_writes: u64,
    /// Remote events merged (directly or after buffering).
    pub applied: u64,
    /// Events ignored as duplicates.
    pub duplicates: u64,
    /// Events that had to wait for predecessors.
    pub buffered: u64,
    /// Events refused for being too far ahead.
    pub too_far_ahead: u64,
    /// Merges of concurrent versions.
    pub conflicts: u64,
    /// Values the resolver reported throwing away (writes, or fields of writes). Only counts
    /// what the resolver writes into the trace's `discarded` list.
    pub discarded: u64,
}

/// One region's copy of a keyed set of records, kept up to date by applying events.
///
/// Whether it delivers events in causal order follows its resolver
/// ([`Resolver::needs_causal_order`]): if so, an event waits until every event its version
/// vector says it has seen has been applied here; otherwise events are merged as they come and
/// the resolver's order-independence makes the result the same for any order.
///
/// # Remembering event ids in bounded memory
///
/// Every region numbers its writes 1, 2, 3, ... (the [`EventId`] sequence). Per origin the
/// replica keeps one number, the *floor*: every event of that origin up to it has been applied.
/// Above the floor it remembers at most `window` more:
///
/// * in causal mode, the buffered events themselves (nothing above the floor is applied yet);
/// * otherwise, the ids of events applied out of order; the floor advances as gaps fill.
///
/// An event at or below the floor, or already remembered above it, is a duplicate and is
/// ignored. An event more than `window` past the floor is refused
/// ([`ApplyOutcome::TooFarAhead`]) without being remembered; the sender must deliver it again
/// later, as a replication stream with acknowledgements would. Memory is therefore
/// `O(origins × window)` however long the run.
#[derive(Debug)]
pub struct Replica {
    region: String,
    clock: HlcClock,
    resolver: Box<dyn Resolver>,
    causal: bool,
    window: u64,
    records: BTreeMap<String, Versioned>,
    /// Per origin, the floor: every event up to it has been applied.
    floor: VersionVector,
    /// Per origin, events applied above the floor (unordered mode).
    above: BTreeMap<String, BTreeSet<u64>>,
    /// Per origin, events waiting for predecessors (causal mode), by sequence number.
    pending: BTreeMap<String, BTreeMap<u64, Event>>,
    stats: ApplyStats,
    keep_traces: usize,
    traces: VecDeque<MergeTrace>,
}

impl Replica {
    /// A replica of `region` whose hybrid clock has node id `node` and a wall clock off by
    /// `skew_us`, merging with `resolver`.
    pub fn new(
        region: impl Into<String>,
        node: u32,
        skew_us: i64,
        resolver: Box<dyn Resolver>,
    ) -> Self {
        let causal = resolver.needs_causal_order();
        Replica {
            region: region.into(),
            clock: HlcClock::new(node, skew_us),
            resolver,
            causal,
            window: DEFAULT_WINDOW,
            records: BTreeMap::new(),
            floor: VersionVector::new(),
            above: BTreeMap::new(),
            pending: BTreeMap::new(),
            stats: ApplyStats::default(),
            keep_traces: 0,
            traces: VecDeque::new(),
        }
    }

    /// The same replica remembering `window` event ids per origin above the floor (at least 1).
    pub fn with_window(mut self, window: u64) -> Self {
        self.window = window.max(1);
        self
    }

    /// The same replica keeping the walkthroughs of its last `keep` merges.
    pub fn with_traces(mut self, keep: usize) -> Self {
        self.keep_traces = keep;
        self
    }

    /// The region this replica is in.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// Its hybrid logical clock.
    pub fn clock(&self) -> &HlcClock {
        &self.clock
    }

    /// Its hybrid logical clock, to change the skew mid-run.
    pub fn clock_mut(&mut self) -> &mut HlcClock {
        &mut self.clock
    }

    /// Its resolver.
    pub fn resolver(&self) -> &dyn Resolver {
        self.resolver.as_ref()
    }

    /// Whether it delivers events in causal order (buffering early ones).
    pub fn is_causal(&self) -> bool {
        self.causal
    }

    /// The current version of `key`.
    pub fn get(&self, key: &str) -> Option<&Versioned> {
        self.records.get(key)
    }

    /// Every record, by key.
    pub fn records(&self) -> &BTreeMap<String, Versioned> {
        &self.records
    }

    /// Per origin, the events applied without gaps from the first.
    pub fn floor(&self) -> &VersionVector {
        &self.floor
    }

    /// Events waiting for predecessors.
    pub fn pending_len(&self) -> usize {
        self.pending.values().map(BTreeMap::len).sum()
    }

    /// The running totals.
    pub fn stats(&self) -> ApplyStats {
        self.stats
    }

    /// Walkthroughs of the last merges, oldest first (see [`Replica::with_traces`]).
    pub fn traces(&self) -> impl Iterator<Item = &MergeTrace> {
        self.traces.iter()
    }

    /// Writes `changes` (fields to set) to `key` at true time `true_us`, reviving the record if
    /// it was deleted, and returns the event to replicate. The write merges into the local state
    /// with the resolver too, so the writer ends where every other replica will.
    pub fn write(&mut self, key: &str, changes: Record, true_us: u64) -> Event {
        let current = self.records.get(key);
        let mut value = match current {
            Some(v) if !v.value.deleted => v.value.clone(),
            _ => Record::new(),
        };
        let mut field_hlc = BTreeMap::new();
        if let Some(cur) = current.filter(|v| !v.value.deleted) {
            for name in cur.value.fields.keys() {
                field_hlc.insert(name.clone(), cur.field_clock(name));
            }
        }
        for name in changes.fields.keys() {
            field_hlc.remove(name);
        }
        value.fields.extend(changes.fields);
        self.emit(key, value, field_hlc, true_us)
    }

    /// Deletes `key` at true time `true_us` and returns the event to replicate.
    pub fn delete(&mut self, key: &str, true_us: u64) -> Event {
        self.emit(key, Record::tombstone(), BTreeMap::new(), true_us)
    }

    fn emit(
        &mut self,
        key: &str,
        value: Record,
        field_hlc: BTreeMap<String, super::hlc::Hlc>,
        true_us: u64,
    ) -> Event {
        let hlc = self.clock.tick(true_us);
        let physical_us = self.clock.wall_us(true_us);
        let mut vv = self.floor.clone();
        for seen in self
            .above
            .iter()
            .flat_map(|(o, s)| s.last().map(|&n| (o, n)))
        {
            if seen.1 > vv.get(seen.0) {
                vv.set(seen.0, seen.1);
            }
        }
        if let Some(cur) = self.records.get(key) {
            vv.merge(&cur.vv);
        }
        let seq = self.floor.get(&self.region).saturating_add(1);
        vv.set(&self.region, seq);
        self.floor.set(&self.region, seq);
        let mut version = Versioned::new(
            value,
            EventId::new(self.region.clone(), seq),
            hlc,
            physical_us,
            vv,
        );
        version.field_hlc = field_hlc;
        version.normalize();
        let event = Event {
            key: String::from(key),
            version,
        };
        self.stats.local_writes += 1;
        self.merge(&event);
        event
    }

    /// Applies an event received at true time `true_us`.
    ///
    /// # Errors
    ///
    /// A malformed event (empty origin, sequence number 0, or a version vector whose entry for
    /// the origin is not the event's sequence number) is refused with a [`FieldError`].
    pub fn apply(&mut self, event: Event, true_us: u64) -> Result<ApplyOutcome, FieldError> {
        let id = &event.version.id;
        if id.origin.is_empty() {
            return Err(FieldError::new(
                "version.id.origin",
                "\"\"",
                "a region name",
            ));
        }
        if id.seq == 0 {
            return Err(FieldError::new("version.id.seq", 0, "a number from 1"));
        }
        if event.version.vv.get(&id.origin) != id.seq {
            return Err(FieldError::new(
                "version.vv",
                &event.version.vv,
                format!("a vector whose entry for {} is {}", id.origin, id.seq),
            ));
        }
        self.clock.receive(true_us, event.version.hlc);
        let floor = self.floor.get(&id.origin);
        let known = self
            .above
            .get(&id.origin)
            .is_some_and(|s| s.contains(&id.seq))
            || self
                .pending
                .get(&id.origin)
                .is_some_and(|p| p.contains_key(&id.seq));
        if id.seq <= floor || known {
            self.stats.duplicates += 1;
            return Ok(ApplyOutcome::Duplicate);
        }
        if id.seq - floor > self.window {
            self.stats.too_far_ahead += 1;
            return Ok(ApplyOutcome::TooFarAhead);
        }
        if !self.causal {
            let origin = id.origin.clone();
            let seq = id.seq;
            let conflict = self.merge(&event);
            self.stats.applied += 1;
            let seen = self.above.entry(origin.clone()).or_default();
            seen.insert(seq);
            let mut f = floor;
            while let Some(next) = f.checked_add(1)
                && seen.remove(&next)
            {
                f = next;
            }
            if seen.is_empty() {
                self.above.remove(&origin);
            }
            self.floor.set(&origin, f);
            return Ok(ApplyOutcome::Applied {
                conflict,
                released: 0,
            });
        }
        if !self.deliverable(&event) {
            self.stats.buffered += 1;
            self.pending
                .entry(id.origin.clone())
                .or_default()
                .insert(id.seq, event);
            return Ok(ApplyOutcome::Buffered);
        }
        let conflict = self.deliver(event);
        let released = self.drain();
        Ok(ApplyOutcome::Applied { conflict, released })
    }

    /// Whether every event `event` has seen has been applied here (causal mode).
    fn deliverable(&self, event: &Event) -> bool {
        let id = &event.version.id;
        id.seq == self.floor.get(&id.origin).saturating_add(1)
            && event
                .version
                .vv
                .iter()
                .all(|(o, n)| o == id.origin || n <= self.floor.get(o))
    }

    /// Applies a deliverable event in causal mode and advances the floor.
    fn deliver(&mut self, event: Event) -> bool {
        let conflict = self.merge(&event);
        self.stats.applied += 1;
        self.floor
            .set(&event.version.id.origin, event.version.id.seq);
        conflict
    }

    /// Applies buffered events that have become deliverable; returns how many.
    fn drain(&mut self) -> usize {
        let mut released = 0;
        loop {
            let ready: Vec<(String, u64)> = self
                .pending
                .iter()
                .filter_map(|(o, q)| {
                    let (&seq, ev) = q.first_key_value()?;
                    self.deliverable(ev).then(|| (o.clone(), seq))
                })
                .collect();
            if ready.is_empty() {
                return released;
            }
            for (origin, seq) in ready {
                let Some(queue) = self.pending.get_mut(&origin) else {
                    continue;
                };
                let Some(event) = queue.remove(&seq) else {
                    continue;
                };
                if queue.is_empty() {
                    self.pending.remove(&origin);
                }
                self.deliver(event);
                released += 1;
            }
        }
    }

    /// Merges a version into the record of its key; returns whether it was a conflict.
    fn merge(&mut self, event: &Event) -> bool {
        let remote = &event.version;
        let Some(local) = self.records.get(&event.key) else {
            self.records.insert(event.key.clone(), remote.clone());
            return false;
        };
        let conflict = remote.vv.compare(&local.vv) == Causality::Concurrent;
        let mut trace = MergeTrace::default();
        let merged = self.resolver.resolve(local, remote, Some(&mut trace));
        if conflict {
            self.stats.conflicts += 1;
        }
        self.stats.discarded += trace.discarded.len() as u64;
        if self.keep_traces > 0 {
            trace.title = format!("{} at {}: {}", event.key, self.region, trace.title);
            if self.traces.len() == self.keep_traces {
                self.traces.pop_front();
            }
            self.traces.push_back(trace);
        }
        self.records.insert(event.key.clone(), merged);
        conflict
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conflict::{FieldValue, InsertWins, LwwHlc, LwwPhysical, SourcePriority};

    fn rec(f: &str, v: i64) -> Record {
        Record::new().with(f, FieldValue::Int(v))
    }

    #[test]
    fn duplicates_are_ignored_and_the_floor_advances_over_gaps() {
        let mut us = Replica::new("US", 1, 0, Box::new(LwwHlc));
        let mut sg = Replica::new("SG", 2, 0, Box::new(LwwHlc)).with_window(4);
        let e: Vec<Event> = (1..=6)
            .map(|i| us.write("k", rec("n", i), i as u64 * 1000))
            .collect();
        assert!(!sg.is_causal());
        assert_eq!(
            sg.apply(e[1].clone(), 10_000),
            Ok(ApplyOutcome::Applied {
                conflict: false,
                released: 0
            })
        );
        assert_eq!(sg.apply(e[1].clone(), 10_000), Ok(ApplyOutcome::Duplicate));
        assert_eq!(
            sg.apply(e[4].clone(), 10_000),
            Ok(ApplyOutcome::TooFarAhead)
        );
        assert_eq!(sg.floor().get("US"), 0);
        assert!(matches!(
            sg.apply(e[0].clone(), 10_000),
            Ok(ApplyOutcome::Applied { .. })
        ));
        assert_eq!(sg.floor().get("US"), 2);
        assert_eq!(sg.apply(e[0].clone(), 10_000), Ok(ApplyOutcome::Duplicate));
        for ev in &e[2..] {
            assert!(matches!(
                sg.apply(ev.clone(), 10_000),
                Ok(ApplyOutcome::Applied { .. })
            ));
        }
        assert_eq!(sg.get("k").map(|v| &v.value), us.get("k").map(|v| &v.value));
        assert_eq!(sg.floor().get("US"), 6);
        let s = sg.stats();
        assert_eq!(
            (
                s.applied,
                s.duplicates,
                s.too_far_ahead,
                s.conflicts,
                s.discarded
            ),
            (6, 2, 1, 0, 0)
        );
        assert_eq!(us.stats().local_writes, 6);
    }

    #[test]
    fn malformed_events_are_refused() {
        let mut us = Replica::new("US", 1, 0, Box::new(LwwHlc));
        let mut sg = Replica::new("SG", 2, 0, Box::new(LwwHlc));
        let mut e = us.write("k", rec("n", 1), 1000);
        e.version.vv.set("US", 7);
        let err = sg.apply(e.clone(), 0).err();
        assert_eq!(err.map(|e| e.path), Some(String::from("version.vv")));
        e.version.id.seq = 0;
        assert!(sg.apply(e.clone(), 0).is_err());
        e.version.id.origin.clear();
        assert!(sg.apply(e, 0).is_err());
    }

    #[test]
    fn causal_resolvers_buffer_until_predecessors_arrive() {
        let mut us = Replica::new("US", 1, 0, Box::new(SourcePriority::new(["SG", "US"])));
        let mut sg = Replica::new("SG", 2, 0, Box::new(SourcePriority::new(["SG", "US"])));
        let mut eu =
            Replica::new("EU", 3, 0, Box::new(SourcePriority::new(["SG", "US"]))).with_traces(4);
        let a = us.write("k", rec("n", 1), 1_000);
        assert!(sg.apply(a.clone(), 1_100).is_ok());
        // SG's write depends on US's; EU gets it first and has to wait.
        let b = sg.write("k", rec("n", 2), 1_200);
        let c = us.write("k", rec("n", 3), 1_300);
        assert_eq!(eu.apply(b.clone(), 2_000), Ok(ApplyOutcome::Buffered));
        assert_eq!(eu.apply(c.clone(), 2_000), Ok(ApplyOutcome::Buffered));
        assert_eq!(eu.apply(b.clone(), 2_000), Ok(ApplyOutcome::Duplicate));
        assert_eq!(eu.pending_len(), 2);
        assert_eq!(
            eu.apply(a.clone(), 2_000),
            Ok(ApplyOutcome::Applied {
                conflict: false,
                released: 2
            })
        );
        assert_eq!(eu.pending_len(), 0);
        // b (SG, newer than a) and c (US, newer than a) are concurrent: SG ranks first.
        assert_eq!(
            eu.get("k").and_then(|v| v.value.get("n")),
            Some(&FieldValue::Int(2))
        );
        let s = eu.stats();
        assert_eq!(
            (
                s.applied,
                s.buffered,
                s.duplicates,
                s.conflicts,
                s.discarded
            ),
            (3, 2, 1, 1, 1)
        );
        let last = eu.traces().last().cloned().unwrap_or_default();
        assert!(last.title.starts_with("k at EU: source priority"));
        assert_eq!(
            last.discarded,
            ["US's write {n: 3} (event US#2, HLC 1.3ms+0)"]
        );
        // The writers converge too once they exchange the rest.
        assert!(us.apply(b, 3_000).is_ok());
        assert!(sg.apply(c, 3_000).is_ok());
        assert_eq!(us.records(), eu.records());
        assert_eq!(sg.records(), eu.records());
    }

    #[test]
    fn insert_wins_revives_a_concurrently_deleted_record() {
        let r = || Box::new(InsertWins::new(LwwHlc));
        let mut us = Replica::new("US", 1, 0, r());
        let mut sg = Replica::new("SG", 2, 0, r());
        let a = us.write("cart", rec("qty", 1), 1_000);
        assert!(sg.apply(a, 1_100).is_ok());
        let del = sg.delete("cart", 2_000);
        let upd = us.write("cart", rec("qty", 2), 1_500);
        assert!(us.apply(del, 2_100).is_ok());
        assert!(sg.apply(upd, 2_100).is_ok());
        assert_eq!(us.records(), sg.records());
        assert_eq!(us.get("cart").map(|v| v.value.deleted), Some(false));
        assert_eq!(us.stats().conflicts, 1);
    }

    /// The replica-level version of the clock-skew example: SG's clock runs 500 ms behind.
    #[test]
    fn wall_clock_lww_loses_sgs_later_write_at_every_replica() {
        for (resolver, expect) in [
            (Box::new(LwwPhysical) as Box<dyn Resolver>, 1),
            (Box::new(LwwHlc), 2),
        ] {
            let name = resolver.name();
            let mut us = Replica::new("US", 1, 0, resolver);
            let mut sg = Replica::new("SG", 2, -500_000, Box::new(LwwHlc));
            let a = us.write("price", rec("cents", 1), 1_000_000);
            assert!(sg.apply(a, 1_100_000).is_ok());
            let b = sg.write("price", rec("cents", 2), 1_200_000);
            assert!(us.apply(b, 1_300_000).is_ok());
            assert_eq!(
                us.get("price").and_then(|v| v.value.get("cents")),
                Some(&FieldValue::Int(expect)),
                "{name}"
            );
            assert_eq!(us.stats().discarded, u64::from(expect == 1), "{name}");
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod proptests {
    use super::*;
    use crate::conflict::{
        Counter, FieldMerge, FieldRule, FieldValue, LwwHlc, LwwPhysical, SourcePriority,
    };
    use alloc::vec;
    use proptest::prelude::*;

    const REGIONS: [&str; 3] = ["US", "SG", "EU"];

    /// One step of a history: a region writes (field, value) to a key, deletes it, or catches
    /// up on a prefix of the global log.
    #[derive(Debug, Clone)]
    enum Step {
        Write {
            at: usize,
            key: u8,
            field: u8,
            value: i64,
        },
        Delete {
            at: usize,
            key: u8,
        },
        Sync {
            at: usize,
            percent: u8,
        },
    }

    fn step(deletes: bool) -> impl Strategy<Value = Step> {
        let w = (0..3usize, 0..2u8, 0..5u8, -5i64..20).prop_map(|(at, key, field, value)| {
            Step::Write {
                at,
                key,
                field,
                value,
            }
        });
        let d = (0..3usize, 0..2u8).prop_map(|(at, key)| Step::Delete { at, key });
        let s = (0..3usize, 0..=100u8).prop_map(|(at, percent)| Step::Sync { at, percent });
        if deletes {
            prop_oneof![3 => w, 1 => d, 2 => s].boxed()
        } else {
            prop_oneof![3 => w, 2 => s].boxed()
        }
    }

    /// The same step, by US or SG only.
    fn two_regions(s: Step) -> Step {
        match s {
            Step::Write {
                at,
                key,
                field,
                value,
            } => Step::Write {
                at: at % 2,
                key,
                field,
                value,
            },
            Step::Delete { at, key } => Step::Delete { at: at % 2, key },
            Step::Sync { at, percent } => Step::Sync {
                at: at % 2,
                percent,
            },
        }
    }

    fn field_merge() -> FieldMerge {
        FieldMerge::new(FieldRule::Lww)
            .with_rule("f1", FieldRule::Max)
            .with_rule("f2", FieldRule::Min)
            .with_rule("f3", FieldRule::CounterSum)
            .with_rule("f4", FieldRule::Union)
    }

    fn resolver(kind: u8) -> Box<dyn Resolver> {
        match kind {
            0 => Box::new(LwwHlc),
            1 => Box::new(LwwPhysical),
            2 => Box::new(field_merge()),
            _ => Box::new(SourcePriority::new(["SG", "US"])),
        }
    }

    /// The change a writer makes: a typed value for the field's rule.
    fn change(r: &Replica, key: &str, field: u8, value: i64) -> Record {
        let name = format!("f{field}");
        let v = match field {
            0 => FieldValue::text(format!("t{value}")),
            3 => {
                let cur = match r.get(key).and_then(|v| v.value.get(&name)) {
                    Some(FieldValue::Counter(c)) => c.clone(),
                    _ => Counter::new(),
                };
                FieldValue::Counter(cur.with(r.region(), value))
            }
            4 => FieldValue::set([format!("e{value}")]),
            _ => FieldValue::Int(value),
        };
        Record::new().with(name, v)
    }

    /// Runs a history on three writers (skewed clocks) and returns them and the global log.
    fn history(kind: u8, skews: [i64; 3], steps: &[Step]) -> (Vec<Replica>, Vec<Event>) {
        let mut writers: Vec<Replica> = (0..3)
            .map(|i| Replica::new(REGIONS[i], i as u32 + 1, skews[i], resolver(kind)))
            .collect();
        let mut log: Vec<Event> = Vec::new();
        let mut now = 1_000_000u64;
        for s in steps {
            now += 1_000;
            match *s {
                Step::Write {
                    at,
                    key,
                    field,
                    value,
                } => {
                    let k = format!("k{key}");
                    let c = change(&writers[at], &k, field, value);
                    log.push(writers[at].write(&k, c, now));
                }
                Step::Delete { at, key } => log.push(writers[at].delete(&format!("k{key}"), now)),
                Step::Sync { at, percent } => {
                    let n = log.len() * usize::from(percent) / 100;
                    for e in &log[..n] {
                        let _ = writers[at].apply(e.clone(), now);
                    }
                }
            }
        }
        (writers, log)
    }

    /// Delivers `log` to `r` in the order given by sorting on `keys`, each event twice.
    fn deliver(r: &mut Replica, log: &[Event], keys: &[u32]) -> Result<(), TestCaseError> {
        let mut order: Vec<usize> = (0..log.len() * 2).collect();
        order.sort_by_key(|&i| (keys.get(i).copied().unwrap_or(0), i));
        for i in order {
            let out = r.apply(log[i % log.len()].clone(), 9_000_000_000);
            prop_assert!(out.is_ok(), "{out:?}");
        }
        prop_assert_eq!(r.pending_len(), 0);
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: 64,
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        /// Any delivery order, with every event delivered twice, ends in the same state at
        /// every replica, writers included, for every strategy that promises it: the
        /// order-independent ones (three regions, any order) and source priority (two regions,
        /// through causal buffering; see its docs for why not three).
        #[test]
        fn replicas_converge_whatever_the_order(
            kind in 0u8..4,
            skews in proptest::array::uniform3(-600_000i64..600_000),
            steps in proptest::collection::vec(step(true), 1..40),
            keys_a in proptest::collection::vec(any::<u32>(), 80),
            keys_b in proptest::collection::vec(any::<u32>(), 80),
        ) {
            // Field merge promises convergence for live records only (see FieldMerge).
            let steps: Vec<Step> = match kind {
                2 => steps
                    .into_iter()
                    .filter(|s| !matches!(s, Step::Delete { .. }))
                    .collect(),
                3 => steps.into_iter().map(two_regions).collect(),
                _ => steps,
            };
            let (mut writers, log) = history(kind, skews, &steps);
            prop_assume!(!log.is_empty());
            let mut a = Replica::new("OBS-A", 10, 0, resolver(kind));
            let mut b = Replica::new("OBS-B", 11, 0, resolver(kind));
            deliver(&mut a, &log, &keys_a)?;
            deliver(&mut b, &log, &keys_b)?;
            prop_assert_eq!(a.records(), b.records());
            prop_assert_eq!(a.stats().duplicates, log.len() as u64);
            for w in &mut writers {
                deliver(w, &log, &keys_a)?;
                prop_assert_eq!(w.records(), a.records(), "writer {}", w.region());
            }
        }
    }

    #[test]
    fn delivery_helper_covers_everything() {
        let mut w = Replica::new("US", 1, 0, Box::new(LwwHlc));
        let log = vec![w.write("k", Record::new(), 1)];
        let mut r = Replica::new("SG", 2, 0, Box::new(LwwHlc));
        assert!(deliver(&mut r, &log, &[]).is_ok());
        assert_eq!(r.records(), w.records());
    }
}
