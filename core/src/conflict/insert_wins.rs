//! Insert-wins: a write that keeps a record alive beats a concurrent delete.

use alloc::boxed::Box;
use alloc::format;
use alloc::string::String;

use super::record::Versioned;
use super::resolver::{Ranked, Resolver, causality_step, close_trace, has_seen, open_trace};
use super::trace::MergeTrace;

/// When one version deletes the record and the other is a live write made without seeing that
/// delete, the live write wins: no data is lost to a delete that raced an update. A delete made
/// after seeing the write (by version vector) still deletes, and a re-insert after a delete
/// still revives. Conflicts between two live versions (or two deletes) go to `inner`.
///
/// It looks at history, so it wants causal delivery. Commutative and idempotent when `inner`
/// is, and associative over pairwise concurrent versions.
///
/// Convergence is not guaranteed in every history: a record holds one winning version, so an
/// insert that lost to another insert is forgotten, and if the winner is later deleted the
/// forgotten insert cannot come back. (US writes x; SG concurrently writes z with an earlier
/// clock; US deletes after x. A replica that saw x, z, then the delete holds nothing; one that
/// saw x, the delete, then z holds z.) For add-wins semantics that converge in every order,
/// use the observed-remove set of the `crdt` module.
#[derive(Debug)]
pub struct InsertWins {
    /// The strategy for conflicts that are not insert-versus-delete.
    pub inner: Box<dyn Resolver>,
}

impl InsertWins {
    /// Insert-wins over `inner`.
    pub fn new(inner: impl Resolver + 'static) -> Self {
        InsertWins {
            inner: Box::new(inner),
        }
    }
}

impl Resolver for InsertWins {
    fn name(&self) -> String {
        format!("insert-wins over {}", self.inner.name())
    }

    fn needs_causal_order(&self) -> bool {
        true
    }

    fn resolve(
        &self,
        local: &Versioned,
        remote: &Versioned,
        mut trace: Option<&mut MergeTrace>,
    ) -> Versioned {
        open_trace(&mut trace, &self.name(), local, remote);
        causality_step(&mut trace, local, remote);
        let (ld, rd) = (local.value.deleted, remote.value.deleted);
        if ld == rd {
            if let Some(t) = trace.as_deref_mut() {
                let what = if ld { "both delete" } else { "both are live" };
                t.step(
                    "",
                    format!("defer to {}", self.inner.name()),
                    format!("{what}: not an insert-versus-delete conflict"),
                );
            }
            return self.inner.resolve(local, remote, trace);
        }
        // The live side first: the remote one when the local side is the delete.
        let live_first = Ranked::new(local, remote, ld);
        let newer_is_dead = match (has_seen(remote, local), has_seen(local, remote)) {
            (true, false) => rd,
            (false, true) => ld,
            _ => false,
        };
        let out = if newer_is_dead {
            let dead_first = live_first.reversed();
            dead_first.keep(&mut trace, "delete", || {
                format!(
                    "the delete was made after seeing {}'s write",
                    dead_first.loser_name
                )
            })
        } else {
            let (live, dead) = (live_first.winner, live_first.loser);
            live_first.keep(&mut trace, "write", || {
                if !has_seen(live, dead) || has_seen(dead, live) {
                    format!(
                        "insert wins: {}'s delete is concurrent with it",
                        live_first.loser_name
                    )
                } else {
                    String::from("the write was made after seeing the delete (a re-insert)")
                }
            })
        };
        close_trace(&mut trace, &out);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conflict::{EventId, FieldValue, Hlc, LwwHlc, Record};

    #[test]
    fn a_concurrent_delete_loses_and_a_later_one_wins() {
        let iw = InsertWins::new(LwwHlc);
        let put = Versioned::write(
            Record::new().with("qty", FieldValue::Int(2)),
            EventId::new("US", 1),
            Hlc::new(1_000, 0, 1),
            1_000,
        );
        let del = Versioned::write(
            Record::tombstone(),
            EventId::new("SG", 1),
            Hlc::new(9_000, 0, 2),
            9_000,
        );
        let (m, t) = iw.explain(&del, &put);
        assert_eq!(
            m.value, put.value,
            "the insert wins though the delete is later by clock"
        );
        assert_eq!(
            t.steps[1].reason,
            "insert wins: SG's delete is concurrent with it"
        );
        assert_eq!(
            t.discarded,
            ["SG's write <deleted record> (event SG#1, HLC 9ms+0)"]
        );
        assert_eq!(iw.resolve(&put, &del, None), m);

        // A delete that saw the insert deletes.
        let mut later = del.clone();
        later.vv = put.vv.merged(&del.vv);
        let (m, t) = iw.explain(&put, &later);
        assert!(m.value.deleted);
        assert_eq!(
            t.steps[1].reason,
            "the delete was made after seeing US's write"
        );
        assert!(t.discarded.is_empty());

        // Two live writes go to the inner strategy.
        let mut other = put.clone();
        other.id = EventId::new("SG", 2);
        other.vv = [("SG", 2u64)].into_iter().collect();
        other.hlc = Hlc::new(2_000, 0, 2);
        other.value.set("qty", FieldValue::Int(5));
        let (m, t) = iw.explain(&put, &other);
        assert_eq!(m.value, other.value);
        assert_eq!(t.title, "insert-wins over last-write-wins (HLC)");
        assert_eq!(t.steps[1].decision, "defer to last-write-wins (HLC)");
        assert_eq!(t.steps[2].decision, "keep SG's write");
        assert_eq!(t.inputs.len(), 2);
    }
}
