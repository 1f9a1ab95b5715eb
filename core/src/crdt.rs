//! Conflict-free replicated data types (CRDTs): values that several regions update without
//! coordination and that still converge once every replica has seen every update.
//!
//! Each type here can be used in two styles, through the traits in this module:
//!
//! * **state-based** ([`Crdt`]): replicas ship their whole state and combine it with
//!   [`Crdt::merge`]. Merge is commutative, associative and idempotent, so states can be
//!   exchanged in any order, any number of times, over any gossip topology.
//!   [`Crdt::merge_traced`] does the same merge and explains it, decision by decision, in a
//!   [`MergeTrace`](crate::conflict::MergeTrace).
//! * **operation-based** ([`OpCrdt`]): a replica turns an intent into an operation *value* with a
//!   method such as [`GCounter::inc`], applies it locally and ships it; others apply it later:
//!   `a.apply(a.inc("SG", 1))`. Every operation here carries the resulting state of the slots it
//!   touched, so applying is itself a merge: operations may arrive in any order and more than
//!   once. Generate an operation from the replica's current state and apply it locally before
//!   generating the next one.
//!
//! ## Which type, when
//!
//! | type | holds | use it for | watch out for |
//! | --- | --- | --- | --- |
//! | [`GCounter`] | a count that only grows | page views, events, retries: anything only ever added | no decrement |
//! | [`PnCounter`] | a count that goes up and down | likes, stock adjustments where negative values are acceptable | no lower bound: two regions can both take the last item |
//! | [`LwwRegister`] | one value, the latest write wins | settings, profile fields, caches: when losing a concurrent write is acceptable | concurrent writes are silently dropped (the trace names them) |
//! | [`MvRegister`] | every concurrent value | shopping carts, documents: when the application (or a person) resolves conflicts | readers must handle several values |
//! | [`OrSet`] | a set; a concurrent add and remove keep the element (add wins) | tags, memberships, carts as sets | removed tags are kept as tombstones |
//! | [`BoundedCounter`] | a count that never goes below zero | stock, seats, wallet balances, quotas: escrow across regions | a region may refuse a decrement while others hold the rights |
//!
//! ## Replica ids
//!
//! Replicas (usually regions) are named by a [`ReplicaId`], a short string such as `"SG"` or
//! `"us-east-1"`, so traces read naturally. Every map is a `BTreeMap` keyed by it, so iteration
//! order, serialised output and traces are deterministic. Causality is tracked with a
//! [`VersionVector`].
//!
//! ## Example
//!
//! ```
//! use meridian_core::crdt::{BoundedCounter, Crdt, OpCrdt};
//!
//! // SG holds 10 units of stock; it hands 4 to US.
//! let mut sg = BoundedCounter::new();
//! sg.apply(sg.inc("SG", 10).expect("no overflow"));
//! let mut us = sg.clone();
//! let transfer = sg.transfer("SG", "US", 4).expect("SG holds 10");
//! sg.apply(transfer.clone());
//! us.apply(transfer);
//!
//! // US may sell 4 but not 5.
//! let err = us.dec("US", 5).unwrap_err();
//! assert_eq!(err.to_string(), "replica US holds 4 rights but asked to decrement 5");
//! us.apply(us.dec("US", 4).expect("US holds 4"));
//!
//! sg.merge(&us);
//! assert_eq!(sg.value(), 6);
//! assert_eq!(sg.rights("US"), 0);
//! ```

mod bounded;
mod gcounter;
mod lww;
mod mvreg;
mod orset;
mod pncounter;
mod replica;
mod traits;

#[cfg(all(test, not(target_arch = "wasm32")))]
mod proptests;

pub use crate::conflict::VersionVector;
pub use bounded::{BoundedCounter, BoundedCounterError, BoundedCounterOp, BoundedOpKind};
pub use gcounter::{GCounter, GCounterOp};
pub use lww::{LwwRegister, LwwWrite};
pub use mvreg::{MvRegister, MvWrite};
pub use orset::{Dot, OrSet, OrSetOp};
pub use pncounter::{PnCounter, PnCounterOp};
pub use replica::ReplicaId;
pub use traits::{Crdt, OpCrdt};
