//! Field-level merge: each field of a record is merged by its own rule.

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::format;
use alloc::string::String;
use core::cmp::Ordering;

use serde::{Deserialize, Serialize};

use super::hlc::Hlc;
use super::lww::{decide_by_hlc, hlc_order};
use super::record::{FieldValue, Record, Versioned};
use super::resolver::{Resolver, causality_step, close_trace, open_trace, side_names};
use super::trace::MergeTrace;
use super::version_vector::Causality;

/// How one field is merged.
///
/// The typed rules (`Max`, `Min`, `CounterSum`, `Union`) apply when both sides hold a value of
/// their type; otherwise (different types, a removed field) the field falls back to `Lww` and
/// the trace says so. A field only one side has is kept as it is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldRule {
    /// The value with the later field clock (HLC of the field's last change) wins.
    #[default]
    Lww,
    /// The larger integer wins (a grow-only value: a later, smaller write loses).
    Max,
    /// The smaller integer wins.
    Min,
    /// Counters: each region's own increments and decrements are added up, each counted once.
    CounterSum,
    /// Sets: the union (nothing is ever removed by a merge).
    Union,
    /// On a conflict the local value stays; a remote value that has seen it replaces it.
    KeepLocal,
    /// On a conflict the remote value wins; a local value that has seen it stays.
    KeepRemote,
}

impl FieldRule {
    /// The rule's name for people.
    pub fn label(self) -> &'static str {
        match self {
            FieldRule::Lww => "last-write-wins",
            FieldRule::Max => "max",
            FieldRule::Min => "min",
            FieldRule::CounterSum => "counter sum",
            FieldRule::Union => "set union",
            FieldRule::KeepLocal => "keep local",
            FieldRule::KeepRemote => "keep remote",
        }
    }

    /// Whether the rule favours one side (and so is neither commutative nor order-independent).
    pub fn is_sided(self) -> bool {
        matches!(self, FieldRule::KeepLocal | FieldRule::KeepRemote)
    }
}

/// Merges two versions of a record field by field, each by the rule named for it in `rules`
/// (others by `default`).
///
/// The merged version carries, per field, the later of the two field clocks, the metadata of
/// the version with the greater HLC, and both histories. Without `KeepLocal`/`KeepRemote` rules
/// the merge is commutative, associative and idempotent, so replicas converge whatever the
/// delivery order. `KeepLocal` and `KeepRemote` are excluded from those laws on purpose: they
/// make each replica favour its own (or the incoming) value, so replicas may differ; with such a
/// rule [`Resolver::needs_causal_order`] is `true`.
///
/// A deleted record competes as a whole with the other version by HLC (the fields of a delete
/// have no clocks of their own); wrap the merge in [`super::InsertWins`] to let live data win
/// over concurrent deletes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldMerge {
    /// The rule of each named field.
    #[serde(default)]
    pub rules: BTreeMap<String, FieldRule>,
    /// The rule of every field not named in `rules`.
    #[serde(default)]
    pub default: FieldRule,
}

/// One field's outcome: the value, its clock and, if something was thrown away, what.
struct Outcome {
    value: FieldValue,
    clock: Hlc,
    decision: String,
    reason: String,
    discarded: Option<String>,
}

impl FieldMerge {
    /// A merge with `default` for every field.
    pub fn new(default: FieldRule) -> Self {
        FieldMerge {
            rules: BTreeMap::new(),
            default,
        }
    }

    /// The same merge with `rule` for `field`.
    pub fn with_rule(mut self, field: impl Into<String>, rule: FieldRule) -> Self {
        self.rules.insert(field.into(), rule);
        self
    }

    /// The rule that merges `field`.
    pub fn rule_for(&self, field: &str) -> FieldRule {
        self.rules.get(field).copied().unwrap_or(self.default)
    }

    /// Merges one field both sides hold with different values.
    fn merge_field(
        rule: FieldRule,
        name: &str,
        history: Causality,
        (lv, lc, ln): (&FieldValue, Hlc, &str),
        (rv, rc, rn): (&FieldValue, Hlc, &str),
    ) -> Outcome {
        let clock = lc.max(rc);
        let lost = |who: &str, v: &FieldValue| Some(format!("{who}'s {name} = {v}"));
        match (rule, lv, rv) {
            (FieldRule::Max | FieldRule::Min, FieldValue::Int(a), FieldValue::Int(b)) => {
                let want_max = rule == FieldRule::Max;
                let local_wins = if want_max { a >= b } else { a <= b };
                let (wv, wn, lov, lon) = if local_wins {
                    (*a, ln, *b, rn)
                } else {
                    (*b, rn, *a, ln)
                };
                let cmp = if want_max { ">" } else { "<" };
                Outcome {
                    value: FieldValue::Int(wv),
                    clock,
                    decision: format!("keep {wn}'s {wv}"),
                    reason: format!(
                        "{} rule: {wv} {cmp} {lov} (by {})",
                        rule.label(),
                        wv.abs_diff(lov)
                    ),
                    discarded: lost(lon, &FieldValue::Int(lov)),
                }
            }
            (FieldRule::CounterSum, FieldValue::Counter(a), FieldValue::Counter(b)) => {
                let mut m = a.clone();
                m.merge(b);
                Outcome {
                    reason: format!(
                        "counter sum: each region's own changes counted once ({ln} had {}, \
                         {rn} {}; together {})",
                        a.value(),
                        b.value(),
                        m.value()
                    ),
                    decision: format!("total {}", m.value()),
                    value: FieldValue::Counter(m),
                    clock,
                    discarded: None,
                }
            }
            (FieldRule::Union, FieldValue::Set(a), FieldValue::Set(b)) => {
                let u: BTreeSet<String> = a.union(b).cloned().collect();
                let from_r = FieldValue::Set(b.difference(a).cloned().collect());
                let from_l = FieldValue::Set(a.difference(b).cloned().collect());
                let u = FieldValue::Set(u);
                Outcome {
                    decision: format!("keep {u}"),
                    reason: format!("set union: {from_l} only at {ln}, {from_r} only at {rn}"),
                    value: u,
                    clock,
                    discarded: None,
                }
            }
            (FieldRule::KeepLocal | FieldRule::KeepRemote, _, _) => {
                let keep_local = match history {
                    Causality::After => false,
                    Causality::Before => true,
                    Causality::Equal | Causality::Concurrent => rule == FieldRule::KeepLocal,
                };
                let why = match history {
                    Causality::After => format!("{rn}'s version has seen {ln}'s: not a conflict"),
                    Causality::Before => format!("{ln}'s version has seen {rn}'s: not a conflict"),
                    _ => format!("{} rule on a conflict", rule.label()),
                };
                let (v, who, other, other_name) = if keep_local {
                    (lv, ln, rv, rn)
                } else {
                    (rv, rn, lv, ln)
                };
                let superseded = !matches!(history, Causality::Equal | Causality::Concurrent);
                Outcome {
                    value: v.clone(),
                    clock,
                    decision: format!("keep {who}'s {v}"),
                    reason: why,
                    discarded: if superseded {
                        None
                    } else {
                        lost(other_name, other)
                    },
                }
            }
            _ => {
                // Last-write-wins on the field clocks, the larger value breaking exact ties.
                let local_wins = (lc, lv).cmp(&(rc, rv)) != Ordering::Less;
                let (wv, wc, wn, lov, loc, lon) = if local_wins {
                    (lv, lc, ln, rv, rc, rn)
                } else {
                    (rv, rc, rn, lv, lc, ln)
                };
                let mut reason = if wc != loc {
                    format!(
                        "field clocks: {wn}'s HLC {wc} beats {lon}'s {loc} {}",
                        wc.margin_over(&loc)
                    )
                } else {
                    format!("equal field clocks {wc}: the greater value wins to stay deterministic")
                };
                if rule != FieldRule::Lww {
                    reason = format!(
                        "{} needs two {} values (found {} and {}), so last-write-wins: {reason}",
                        rule.label(),
                        match rule {
                            FieldRule::CounterSum => "counter",
                            FieldRule::Union => "set",
                            _ => "integer",
                        },
                        lv.kind(),
                        rv.kind()
                    );
                }
                Outcome {
                    value: wv.clone(),
                    clock,
                    decision: format!("keep {wn}'s {wv}"),
                    reason,
                    discarded: lost(lon, lov),
                }
            }
        }
    }
}

impl Resolver for FieldMerge {
    fn name(&self) -> String {
        let mut s = format!("field merge (default {}", self.default.label());
        for (f, r) in &self.rules {
            s.push_str(&format!(", {f}: {}", r.label()));
        }
        s.push(')');
        s
    }

    fn needs_causal_order(&self) -> bool {
        self.default.is_sided() || self.rules.values().any(|r| r.is_sided())
    }

    fn resolve(
        &self,
        local: &Versioned,
        remote: &Versioned,
        mut trace: Option<&mut MergeTrace>,
    ) -> Versioned {
        open_trace(&mut trace, &self.name(), local, remote);
        let history = causality_step(&mut trace, local, remote);
        if local.value.deleted || remote.value.deleted {
            if let Some(t) = trace.as_deref_mut() {
                t.step(
                    "",
                    "whole record by last-write-wins (HLC)",
                    "a deleted record has no field clocks, so it competes as a whole",
                );
            }
            let out = decide_by_hlc(&mut trace, local, remote);
            close_trace(&mut trace, &out);
            return out;
        }
        let (ln, rn) = side_names(local, remote);
        let newest = if hlc_order(remote, local) == Ordering::Greater {
            remote
        } else {
            local
        };
        let mut out = Versioned {
            value: Record::new(),
            hlc: newest.hlc,
            physical_us: newest.physical_us,
            id: newest.id.clone(),
            vv: local.vv.merged(&remote.vv),
            field_hlc: BTreeMap::new(),
        };
        let names: BTreeSet<&String> = local
            .value
            .fields
            .keys()
            .chain(remote.value.fields.keys())
            .collect();
        for name in names {
            let rule = self.rule_for(name);
            let l = local.value.get(name);
            let r = remote.value.get(name);
            let (lc, rc) = (local.field_clock(name), remote.field_clock(name));
            let o = match (l, r) {
                (Some(v), None) | (None, Some(v)) => {
                    let (who, c) = if l.is_some() { (&ln, lc) } else { (&rn, rc) };
                    Outcome {
                        value: v.clone(),
                        clock: c,
                        decision: format!("keep {who}'s {v}"),
                        reason: format!("only {who} has the field"),
                        discarded: None,
                    }
                }
                (Some(a), Some(b)) if a == b => Outcome {
                    value: a.clone(),
                    clock: lc.max(rc),
                    decision: format!("keep {a}"),
                    reason: String::from("same value on both sides"),
                    discarded: None,
                },
                (Some(a), Some(b)) => {
                    Self::merge_field(rule, name, history, (a, lc, &ln), (b, rc, &rn))
                }
                (None, None) => continue,
            };
            if let Some(t) = trace.as_deref_mut() {
                t.step(name.clone(), o.decision, o.reason);
                if let Some(d) = o.discarded {
                    t.discard(d);
                }
            }
            out.field_hlc.insert(name.clone(), o.clock);
            out.value.fields.insert(name.clone(), o.value);
        }
        out.normalize();
        close_trace(&mut trace, &out);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conflict::{Counter, EventId};

    fn profile() -> FieldMerge {
        FieldMerge::new(FieldRule::Lww)
            .with_rule("visits", FieldRule::Max)
            .with_rule("low", FieldRule::Min)
            .with_rule("likes", FieldRule::CounterSum)
            .with_rule("tags", FieldRule::Union)
            .with_rule("note", FieldRule::KeepLocal)
    }

    fn base() -> Record {
        Record::new()
            .with("name", FieldValue::text("Ann"))
            .with("visits", FieldValue::Int(3))
            .with("low", FieldValue::Int(3))
            .with("likes", FieldValue::Counter(Counter::new().with("US", 10)))
            .with("tags", FieldValue::set(["a"]))
            .with("note", FieldValue::text("hi"))
    }

    #[test]
    fn each_field_by_its_rule_with_a_walkthrough() {
        let mut us_rec = base();
        us_rec.set("name", FieldValue::text("Annie"));
        us_rec.set("visits", FieldValue::Int(7));
        us_rec.set("low", FieldValue::Int(7));
        us_rec.set("likes", FieldValue::Counter(Counter::new().with("US", 15)));
        us_rec.set("tags", FieldValue::set(["a", "b"]));
        us_rec.set("note", FieldValue::text("from US"));
        let mut sg_rec = base();
        sg_rec.set("name", FieldValue::text("Anna"));
        sg_rec.set("visits", FieldValue::Int(5));
        sg_rec.set("low", FieldValue::Int(1));
        sg_rec.set(
            "likes",
            FieldValue::Counter(Counter::new().with("US", 10).with("SG", -3)),
        );
        sg_rec.set("tags", FieldValue::set(["a", "c"]));
        sg_rec.set("note", FieldValue::text("from SG"));
        sg_rec.set("city", FieldValue::text("Hanoi"));
        let us = Versioned::write(
            us_rec,
            EventId::new("US", 1),
            Hlc::new(1_000_000, 3, 1),
            1_000_000,
        );
        let sg = Versioned::write(
            sg_rec,
            EventId::new("SG", 1),
            Hlc::new(998_000, 0, 2),
            998_000,
        );

        let (m, t) = profile().explain(&sg, &us);
        let get = |f: &str| m.value.get(f).cloned();
        assert_eq!(get("name"), Some(FieldValue::text("Annie")));
        assert_eq!(get("visits"), Some(FieldValue::Int(7)));
        assert_eq!(get("low"), Some(FieldValue::Int(1)));
        assert!(matches!(get("likes"), Some(FieldValue::Counter(c)) if c.value() == 12));
        assert_eq!(get("tags"), Some(FieldValue::set(["a", "b", "c"])));
        assert_eq!(
            get("note"),
            Some(FieldValue::text("from SG")),
            "SG is local here"
        );
        assert_eq!(get("city"), Some(FieldValue::text("Hanoi")));
        assert_eq!(m.hlc, us.hlc);
        assert_eq!(m.field_clock("city"), sg.hlc);
        assert_eq!(
            m.field_hlc.len(),
            1,
            "only city's clock differs from the record's"
        );

        let step = |f: &str| t.steps.iter().find(|s| s.subject == f).cloned();
        assert_eq!(
            step("name").map(|s| s.reason),
            Some(String::from(
                "field clocks: US's HLC 1000ms+3 beats SG's 998ms+0 by 2 ms"
            ))
        );
        assert_eq!(
            step("visits").map(|s| s.reason),
            Some(String::from("max rule: 7 > 5 (by 2)"))
        );
        assert_eq!(
            step("low").map(|s| s.decision),
            Some(String::from("keep SG's 1"))
        );
        assert_eq!(
            step("likes").map(|s| s.decision),
            Some(String::from("total 12"))
        );
        assert_eq!(
            step("tags").map(|s| s.reason),
            Some(String::from("set union: {c} only at SG, {b} only at US"))
        );
        assert_eq!(
            step("note").map(|s| s.reason),
            Some(String::from("keep local rule on a conflict"))
        );
        assert_eq!(
            step("city").map(|s| s.reason),
            Some(String::from("only SG has the field"))
        );
        assert_eq!(
            t.discarded,
            [
                "US's low = 7",
                "SG's name = \"Anna\"",
                "US's note = \"from US\"",
                "SG's visits = 5"
            ]
            .map(String::from)
        );
        assert!(profile().needs_causal_order());
        assert!(!FieldMerge::new(FieldRule::Max).needs_causal_order());
    }

    #[test]
    fn mismatched_types_fall_back_to_lww_and_deletes_compete_whole() {
        let fm = FieldMerge::new(FieldRule::Max);
        let a = Versioned::write(
            Record::new().with("n", FieldValue::Int(9)),
            EventId::new("US", 1),
            Hlc::new(1_000, 0, 1),
            1_000,
        );
        let b = Versioned::write(
            Record::new().with("n", FieldValue::Deleted),
            EventId::new("SG", 1),
            Hlc::new(2_000, 0, 2),
            2_000,
        );
        let (m, t) = fm.explain(&a, &b);
        assert_eq!(m.value.get("n"), Some(&FieldValue::Deleted));
        assert!(
            t.steps[1]
                .reason
                .starts_with("max needs two integer values (found integer and deleted)")
        );
        let mut del = b.clone();
        del.value = Record::tombstone();
        let (m, t) = fm.explain(&a, &del);
        assert!(m.value.deleted);
        assert_eq!(t.steps[1].decision, "whole record by last-write-wins (HLC)");
        let json = serde_json::to_string(&profile()).unwrap_or_default();
        let back: Option<FieldMerge> = serde_json::from_str(&json).ok();
        assert_eq!(back, Some(profile()));
        assert!(json.contains("\"likes\":\"counter_sum\""));
    }
}
