//! The two ways to replicate a CRDT: ship states and merge them, or ship operations and apply them.

use alloc::format;
use alloc::string::String;

use crate::conflict::MergeTrace;

/// A state-based CRDT (a join semilattice): replicas exchange whole states and merge them.
///
/// For all states `a`, `b`, `c` built by the type's own operations:
///
/// * commutative: `a ⊔ b == b ⊔ a`;
/// * associative: `(a ⊔ b) ⊔ c == a ⊔ (b ⊔ c)`;
/// * idempotent: `a ⊔ a == a`.
///
/// so replicas that have (transitively) merged each other's states hold equal states.
pub trait Crdt {
    /// Merges `other` into `self`.
    fn merge(&mut self, other: &Self);

    /// Merges `other` into `self` exactly as [`Crdt::merge`] does, and explains it in `trace`.
    ///
    /// `self` is the trace's input `local`, `other` its input `other`. The trace's title is set
    /// when it is empty; inputs, steps and discarded values are appended, and the result is
    /// overwritten with the merged value.
    fn merge_traced(&mut self, other: &Self, trace: &mut MergeTrace);
}

/// An operation-based CRDT: a replica builds an operation from its current state (for example
/// [`GCounter::inc`](super::GCounter::inc)), applies it locally and sends it to the others, which
/// apply it whenever it arrives: `a.apply(a.inc("SG", 1))`.
///
/// Every operation in this module is *self-describing*: it carries the resulting state of the
/// slots it changed rather than a delta, so applying it is a merge. Operations therefore need no
/// causal delivery: they may be applied in any order and any number of times, and replicas that
/// applied the same set of operations hold equal states.
pub trait OpCrdt {
    /// The operation type.
    type Op;

    /// Applies an operation, produced here or at another replica. Never fails: whether an intent
    /// is allowed (for example a decrement of a [`BoundedCounter`](super::BoundedCounter)) is
    /// decided when the operation is built.
    fn apply(&mut self, op: Self::Op);
}

/// Sets the title of `trace` when it has none.
pub(crate) fn title(trace: &mut MergeTrace, title: &str) {
    if trace.title.is_empty() {
        trace.title = alloc::string::String::from(title);
    }
}

/// Appends a trace step for one counter slot merged by maximum (shared by the counters and
/// the bounded counter).
pub(crate) fn explain_slot(trace: &mut MergeTrace, subject: String, mine: u64, theirs: u64) {
    if theirs > mine {
        trace.step(
            subject,
            format!("take other's {theirs}"),
            format!(
                "other's slot is higher: {theirs} > {mine} by {}",
                theirs - mine
            ),
        );
    } else if mine > theirs {
        trace.step(
            subject,
            format!("keep local {mine}"),
            format!(
                "local slot is higher: {mine} > {theirs} by {}",
                mine - theirs
            ),
        );
    } else {
        trace.step(subject, format!("keep {mine}"), "both hold the same count");
    }
}
