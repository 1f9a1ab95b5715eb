//! Versions, clocks and conflict resolution for records written in several regions at once.
//!
//! # The pieces
//!
//! * [`Hlc`] / [`HlcClock`]: hybrid logical clocks. Each region reads its own wall clock, which
//!   may be skewed; the logical counter keeps timestamps moving forward and after everything a
//!   region has received, so they respect happened-before. Equal clocks fall to the node id.
//! * [`Stamp`]: the one last-write-wins order (clock, then node; an equal stamp leaves the
//!   incumbent), which the simulator's replicas, [`LwwHlc`], [`LwwPhysical`] and the CRDT
//!   register all follow.
//! * [`VersionVector`]: per region, how many of its writes a version has seen; [`Causality`]
//!   tells "newer" (`Before`/`After`) from "concurrent" (a real conflict).
//! * [`Record`] / [`FieldValue`] / [`Versioned`]: named fields (text, integer, set of strings,
//!   per-region [`Counter`], or a removed-field tombstone), and a version carrying its HLC, the
//!   writer's wall-clock reading, its [`EventId`] (origin region and sequence number) and its
//!   version vector.
//! * [`Resolver`]: the one trait every strategy implements (object safe: box your own).
//! * [`Replica`]: applies [`Event`]s, ignoring duplicates by event id in bounded memory,
//!   buffering early events when the resolver needs causal order, and counting conflicts and
//!   discarded writes.
//! * [`MergeTrace`]: every merge can explain itself: the inputs, each decision with the clock or
//!   rule that took it and by how much, the result, and what was thrown away.
//!
//! # Which strategy when
//!
//! | strategy | decides by | use it when | watch out for |
//! | --- | --- | --- | --- |
//! | [`LwwHlc`] | greater HLC, node id on ties | a record is replaced whole and "the latest write" is the right answer | concurrent writes lose data silently; only one survives |
//! | [`LwwPhysical`] | writers' wall clocks | never by choice: it shows what naive `now()` timestamps do | a region whose clock runs behind loses even writes made after seeing the other one |
//! | [`SourcePriority`] | region rank on conflicts, newer history otherwise | one region is the authority (primary/backup, data residency) | the low-ranked region's concurrent edits always vanish |
//! | [`InsertWins`] | a live write beats a concurrent delete, then an inner strategy | losing data to a raced delete is worse than resurrecting a record | deletes must be re-issued after seeing the update |
//! | [`FieldMerge`] | a [`FieldRule`] per field | records whose fields change independently (profiles, carts, counters, tags) | `Max`/`Union` never go down; `KeepLocal`/`KeepRemote` let replicas differ |
//! | your own [`Resolver`] | anything deterministic | business rules | keep it commutative, associative and idempotent, or say it needs causal order |
//!
//! Strategies that promise commutative, associative and idempotent merges ([`LwwHlc`],
//! [`LwwPhysical`], [`FieldMerge`] without `KeepLocal`/`KeepRemote`) can be applied in any
//! order, duplicates included, and replicas still converge. Strategies that read history
//! ([`SourcePriority`], [`InsertWins`], sided field rules) report
//! [`Resolver::needs_causal_order`], and a [`Replica`] buffers each event until everything it
//! has seen has been applied.
//!
//! ```
//! use meridian_core::conflict::{LwwHlc, LwwPhysical, Record, FieldValue, Replica};
//!
//! // SG's wall clock runs 500 ms behind. SG overwrites US's price after seeing it.
//! for (resolver, kept) in [(Box::new(LwwPhysical) as Box<dyn meridian_core::conflict::Resolver>, 100),
//!                          (Box::new(LwwHlc), 120)] {
//!     let mut us = Replica::new("US", 1, 0, resolver);
//!     let mut sg = Replica::new("SG", 2, -500_000, Box::new(LwwHlc));
//!     let first = us.write("price", Record::new().with("cents", FieldValue::Int(100)), 1_000_000);
//!     sg.apply(first, 1_100_000).expect("well-formed");
//!     let second = sg.write("price", Record::new().with("cents", FieldValue::Int(120)), 1_200_000);
//!     us.apply(second, 1_300_000).expect("well-formed");
//!     let cents = us.get("price").and_then(|v| v.value.get("cents")).cloned();
//!     assert_eq!(cents, Some(FieldValue::Int(kept)));
//! }
//! ```

mod apply;
mod field_merge;
mod hlc;
mod insert_wins;
mod lww;
mod priority;
mod record;
mod resolver;
mod stamp;
mod trace;
mod version_vector;

#[cfg(all(test, not(target_arch = "wasm32")))]
mod laws;

pub use apply::{ApplyOutcome, ApplyStats, DEFAULT_WINDOW, Event, Replica};
pub use field_merge::{FieldMerge, FieldRule};
pub use hlc::{Hlc, HlcClock};
pub use insert_wins::InsertWins;
pub use lww::{LwwHlc, LwwPhysical};
pub use priority::SourcePriority;
pub use record::{Counter, EventId, FieldValue, Record, Versioned};
pub use resolver::{
    Ranked, Resolver, causality_step, close_trace, has_seen, keep_whole, open_trace, side_names,
};
pub use stamp::Stamp;
pub use trace::{MergeTrace, TraceInput, TraceStep};
pub use version_vector::{Causality, VersionVector};
