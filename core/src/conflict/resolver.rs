//! The [`Resolver`] trait every strategy implements, and the trace-writing helpers they share.

use alloc::format;
use alloc::string::{String, ToString};
use core::fmt;

use super::record::Versioned;
use super::trace::MergeTrace;
use super::version_vector::Causality;

/// A conflict-resolution strategy: merges a replica's version of a record with one that arrived
/// from elsewhere.
///
/// The trait is object safe, so a replica can hold any strategy (including your own) as a
/// `Box<dyn Resolver>`. A resolver must be deterministic and must not panic. When `trace` is
/// given it records the inputs (unless already there), one step per decision, the result and
/// everything it threw away; the helpers [`open_trace`], [`causality_step`], [`keep_whole`] and
/// [`close_trace`] do the common parts.
///
/// ```
/// use meridian_core::conflict::{EventId, FieldValue, Hlc, LwwHlc, MergeTrace, Record,
///                               Resolver, Versioned};
///
/// let us = Versioned::write(Record::new().with("city", FieldValue::text("Austin")),
///                           EventId::new("US", 1), Hlc::new(1_000_000, 3, 1), 1_000_000);
/// let sg = Versioned::write(Record::new().with("city", FieldValue::text("Hanoi")),
///                           EventId::new("SG", 1), Hlc::new(998_000, 0, 2), 998_000);
/// let mut trace = MergeTrace::default();
/// let merged = LwwHlc.resolve(&sg, &us, Some(&mut trace));
/// assert_eq!(merged.value.get("city"), Some(&FieldValue::text("Austin")));
/// assert_eq!(trace.steps[1].reason, "US's HLC 1000ms+3 beats SG's 998ms+0 by 2 ms");
/// assert_eq!(trace.discarded.len(), 1);
/// ```
pub trait Resolver: fmt::Debug {
    /// A short name for people, used as the trace title, e.g. "last-write-wins (HLC)".
    fn name(&self) -> String;

    /// Whether versions must arrive in causal order (every event after the events it has seen).
    ///
    /// `false` (the default) promises that merging is commutative, associative and idempotent,
    /// so a replica may apply events in any order, duplicates included, and still converge.
    /// Strategies that consult version vectors to tell "newer" from "concurrent", or that
    /// favour one side, return `true`, and the replica buffers early events until their
    /// predecessors arrive.
    fn needs_causal_order(&self) -> bool {
        false
    }

    /// Merges `remote` into `local`, explaining each decision in `trace` when given.
    fn resolve(
        &self,
        local: &Versioned,
        remote: &Versioned,
        trace: Option<&mut MergeTrace>,
    ) -> Versioned;

    /// Merges and returns the walkthrough too.
    fn explain(&self, local: &Versioned, remote: &Versioned) -> (Versioned, MergeTrace) {
        let mut trace = MergeTrace::default();
        let merged = self.resolve(local, remote, Some(&mut trace));
        (merged, trace)
    }
}

/// Names for the two sides as the trace words them: the origin regions, or the event ids when
/// both came from the same region, or "local" and "remote" for the same event.
pub fn side_names(local: &Versioned, remote: &Versioned) -> (String, String) {
    if local.origin() != remote.origin() {
        (local.origin().to_string(), remote.origin().to_string())
    } else if local.id != remote.id {
        (local.id.to_string(), remote.id.to_string())
    } else {
        (String::from("local"), String::from("remote"))
    }
}

/// Starts a trace: sets the title and the two inputs, unless an outer strategy already did.
pub fn open_trace(
    trace: &mut Option<&mut MergeTrace>,
    title: &str,
    local: &Versioned,
    remote: &Versioned,
) {
    if let Some(t) = trace.as_deref_mut() {
        if t.title.is_empty() {
            t.title = title.to_string();
        }
        if t.inputs.is_empty() {
            let (l, r) = side_names(local, remote);
            t.input(
                format!("{l} (local)"),
                local.value.to_string(),
                local.clock_text(),
            );
            t.input(
                format!("{r} (remote)"),
                remote.value.to_string(),
                remote.clock_text(),
            );
        }
    }
}

/// Compares the version vectors, records the finding as a "history" step (once per trace, so a
/// wrapped strategy does not repeat it), and returns how `remote` relates to `local`.
pub fn causality_step(
    trace: &mut Option<&mut MergeTrace>,
    local: &Versioned,
    remote: &Versioned,
) -> Causality {
    let c = remote.vv.compare(&local.vv);
    if let Some(t) = trace.as_deref_mut()
        && !t.steps.iter().any(|s| s.subject == "history")
    {
        let (l, r) = side_names(local, remote);
        let decision = match c {
            Causality::After => format!("{r}'s version is newer: it has seen {l}'s"),
            Causality::Before => format!("{r}'s version is older: {l}'s has seen it"),
            Causality::Equal => String::from("both versions have the same history"),
            Causality::Concurrent => String::from("concurrent versions: a conflict"),
        };
        t.step(
            "history",
            decision,
            format!("version vectors: {l} {}, {r} {}", local.vv, remote.vv),
        );
    }
    c
}

/// The winner of a whole-record decision, with the merged version vector (it has now seen
/// both). Records the loser as discarded unless the winner had already seen the loser's write
/// (superseded, see [`has_seen`]) or holds the same value.
pub fn keep_whole(
    trace: &mut Option<&mut MergeTrace>,
    winner: &Versioned,
    loser: &Versioned,
    loser_name: &str,
) -> Versioned {
    let mut out = winner.clone();
    out.vv.merge(&loser.vv);
    if let Some(t) = trace.as_deref_mut()
        && loser.value != winner.value
        && !has_seen(winner, loser)
    {
        t.discard(format!(
            "{loser_name}'s write {} (event {}, HLC {})",
            loser.value, loser.id, loser.hlc
        ));
    }
    out
}

/// Whether `a`'s history includes the write `b` holds (`b.id`): then `a` is a later state of
/// the record than `b`'s value, even if `a` has merged writes `b` never saw.
pub fn has_seen(a: &Versioned, b: &Versioned) -> bool {
    a.vv.get(b.origin()) >= b.id.seq
}

/// The two sides of a whole-record decision, the kept one first, each with its name in the trace
/// (see [`side_names`]).
#[derive(Debug)]
pub struct Ranked<'a> {
    /// The version kept.
    pub winner: &'a Versioned,
    /// The kept side's name.
    pub winner_name: String,
    /// The version replaced.
    pub loser: &'a Versioned,
    /// The replaced side's name.
    pub loser_name: String,
}

impl<'a> Ranked<'a> {
    /// Orders `local` and `remote`: the remote side first when `remote_wins`.
    pub fn new(local: &'a Versioned, remote: &'a Versioned, remote_wins: bool) -> Self {
        let (l, r) = side_names(local, remote);
        if remote_wins {
            Ranked {
                winner: remote,
                winner_name: r,
                loser: local,
                loser_name: l,
            }
        } else {
            Ranked {
                winner: local,
                winner_name: l,
                loser: remote,
                loser_name: r,
            }
        }
    }

    /// The same two sides, the other one kept.
    pub fn reversed(self) -> Self {
        Ranked {
            winner: self.loser,
            winner_name: self.loser_name,
            loser: self.winner,
            loser_name: self.winner_name,
        }
    }

    /// Records the decision as the step "keep W's `kept`" with `reason` (computed only when
    /// tracing) and returns the winner with both histories merged (see [`keep_whole`]).
    pub fn keep(
        &self,
        trace: &mut Option<&mut MergeTrace>,
        kept: &str,
        reason: impl FnOnce() -> String,
    ) -> Versioned {
        if let Some(t) = trace.as_deref_mut() {
            t.step("", format!("keep {}'s {kept}", self.winner_name), reason());
        }
        keep_whole(trace, self.winner, self.loser, &self.loser_name)
    }
}

/// Finishes a trace with the merged value.
pub fn close_trace(trace: &mut Option<&mut MergeTrace>, merged: &Versioned) {
    if let Some(t) = trace.as_deref_mut() {
        t.result = merged.value.to_string();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conflict::{EventId, FieldValue, Hlc, Record};
    use alloc::boxed::Box;
    use alloc::vec::Vec;

    /// A custom rule through the trait: the longer text in `note` wins; the whole record follows.
    #[derive(Debug)]
    struct LongestNote;

    impl LongestNote {
        fn len(v: &Versioned) -> usize {
            match v.value.get("note") {
                Some(FieldValue::Text(s)) => s.chars().count(),
                _ => 0,
            }
        }
    }

    impl Resolver for LongestNote {
        fn name(&self) -> String {
            String::from("longest note")
        }

        fn resolve(
            &self,
            local: &Versioned,
            remote: &Versioned,
            mut trace: Option<&mut MergeTrace>,
        ) -> Versioned {
            open_trace(&mut trace, &self.name(), local, remote);
            let (a, b) = (Self::len(local), Self::len(remote));
            let ranked = Ranked::new(local, remote, (b, &remote.hlc) > (a, &local.hlc));
            let out = ranked.keep(&mut trace, "record", || {
                format!(
                    "its note has {} characters, {}'s {}",
                    a.max(b),
                    ranked.loser_name,
                    a.min(b)
                )
            });
            close_trace(&mut trace, &out);
            out
        }
    }

    fn note(origin: &str, node: u32, ms: u64, text: &str) -> Versioned {
        Versioned::write(
            Record::new().with("note", FieldValue::text(text)),
            EventId::new(origin, 1),
            Hlc::new(ms * 1000, 0, node),
            ms * 1000,
        )
    }

    #[test]
    fn custom_rules_plug_in_through_a_box() {
        let rules: Vec<Box<dyn Resolver>> = alloc::vec![Box::new(LongestNote)];
        let a = note("US", 1, 10, "a long note");
        let b = note("SG", 2, 20, "short");
        let (m, t) = rules[0].explain(&a, &b);
        assert_eq!(m.value, a.value);
        assert_eq!(m.vv.get("SG"), 1);
        assert_eq!(t.title, "longest note");
        assert_eq!(t.inputs.len(), 2);
        assert_eq!(t.steps[0].reason, "its note has 11 characters, SG's 5");
        assert_eq!(
            t.discarded,
            ["SG's write {note: \"short\"} (event SG#1, HLC 20ms+0)"]
        );
        assert_eq!(t.result, "{note: \"a long note\"}");
        assert!(!rules[0].needs_causal_order());
        // Commutative: the same winner whichever side is local.
        assert_eq!(rules[0].resolve(&b, &a, None), m);
    }
}
