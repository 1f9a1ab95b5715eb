//! Built-in merge walkthroughs: small, fixed races between two regions, each resolved by several
//! strategies so people can see, step by step, what each strategy keeps and what it throws away.
//!
//! Every figure and every trace step is produced by running the real resolvers and CRDTs of
//! [`crate::conflict`] and [`crate::crdt`]; nothing is scripted. The CLI (`meridian merge`) and the
//! browser render the same serde [`Walkthrough`].

use alloc::boxed::Box;
use alloc::collections::BTreeSet;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use crate::conflict::{
    FieldMerge, FieldRule, FieldValue, LwwHlc, LwwPhysical, MergeTrace, Record, Replica, Resolver,
};
use crate::crdt::{BoundedCounter, Crdt, LwwRegister, OpCrdt, OrSet};

/// A built-in example's name and one-line summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ExampleInfo {
    /// Name used on the command line.
    pub name: &'static str,
    /// What races.
    pub summary: &'static str,
}

/// The built-in examples.
pub const EXAMPLES: &[ExampleInfo] = &[
    ExampleInfo {
        name: "profile",
        summary: "a profile edited in SG and US at once: whole-record LWW vs field-level merge",
    },
    ExampleInfo {
        name: "wallet",
        summary: "a double spend across regions: LWW balance, counter deltas, escrow rights",
    },
    ExampleInfo {
        name: "cart",
        summary: "an add/remove race on a set: OR-Set (add wins) vs a last-write-wins set",
    },
    ExampleInfo {
        name: "clock-skew",
        summary: "SG's clock runs 500 ms behind: physical-time LWW drops the newer write, HLC keeps it",
    },
];

/// One strategy's handling of the race.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StrategyOutcome {
    /// A short name for the strategy, unique within its example, made of lowercase letters,
    /// digits and `-` (for links and command lines), e.g. `lww-record`.
    pub key: String,
    /// The strategy, e.g. "last-write-wins (HLC), whole record".
    pub strategy: String,
    /// The merges it performed, explained.
    pub traces: Vec<MergeTrace>,
    /// The converged value, rendered.
    pub result: String,
    /// What the outcome means for the application.
    pub verdict: String,
    /// Whether an accepted write or an invariant was lost.
    pub lost_data: bool,
}

/// A race and what each strategy made of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Walkthrough {
    /// Example name.
    pub name: String,
    /// The race, told in a few sentences.
    pub story: String,
    /// One entry per strategy.
    pub outcomes: Vec<StrategyOutcome>,
}

/// Runs a built-in example by name (see [`EXAMPLES`]).
pub fn walkthrough(name: &str) -> Option<Walkthrough> {
    match name.trim().to_ascii_lowercase().as_str() {
        "profile" => Some(profile()),
        "wallet" => Some(wallet()),
        "cart" => Some(cart()),
        "clock-skew" | "clock_skew" => Some(clock_skew()),
        _ => None,
    }
}

const MS: u64 = 1000;

/// Builds a fresh resolver for one replica.
type MakeResolver = fn() -> Box<dyn Resolver>;

/// Two replicas share `base`, then write `sg_change` and `us_change` concurrently and exchange.
/// Returns the traces of both receiving merges and the converged record.
fn concurrent_edit(
    resolver: MakeResolver,
    base: Record,
    sg_change: Record,
    us_change: Record,
) -> (Vec<MergeTrace>, Record, bool) {
    let mut sg = Replica::new("SG", 1, 0, resolver()).with_traces(8);
    let mut us = Replica::new("US", 2, 0, resolver()).with_traces(8);
    let first = sg.write("profile", base, 1_000 * MS);
    // A malformed event cannot occur here; ignoring the outcome keeps the example total.
    let _ = us.apply(first, 1_100 * MS);
    let from_sg = sg.write("profile", sg_change, 2_000 * MS);
    let from_us = us.write("profile", us_change, 2_000 * MS + 300);
    let _ = us.apply(from_sg, 2_200 * MS);
    let _ = sg.apply(from_us, 2_200 * MS);
    let mut traces: Vec<MergeTrace> = us.traces().cloned().collect();
    traces.extend(sg.traces().cloned());
    traces.retain(|t| !t.steps.is_empty());
    let sg_view = sg
        .get("profile")
        .map(|v| v.value.clone())
        .unwrap_or_default();
    let us_view = us
        .get("profile")
        .map(|v| v.value.clone())
        .unwrap_or_default();
    let converged = sg_view == us_view;
    (traces, sg_view, converged)
}

fn profile() -> Walkthrough {
    let base = Record::new()
        .with("name", FieldValue::text("Lan"))
        .with("city", FieldValue::text("Hanoi"))
        .with("email", FieldValue::text("lan@old.example"));
    let sg_change = Record::new().with("city", FieldValue::text("Singapore"));
    let us_change = Record::new().with("email", FieldValue::text("lan@new.example"));
    let strategies: [(&str, &str, MakeResolver); 2] = [
        ("lww-record", "last-write-wins (HLC), whole record", || {
            Box::new(LwwHlc)
        }),
        ("field-merge", "field-level merge, LWW per field", || {
            Box::new(FieldMerge::new(FieldRule::Lww))
        }),
    ];
    let outcomes = strategies
        .into_iter()
        .map(|(key, strategy, resolver)| {
            let (traces, result, converged) =
                concurrent_edit(resolver, base.clone(), sg_change.clone(), us_change.clone());
            let kept_city = result.get("city") == Some(&FieldValue::text("Singapore"));
            let kept_email = result.get("email") == Some(&FieldValue::text("lan@new.example"));
            let lost_data = !kept_city || !kept_email || !converged;
            let verdict = if lost_data {
                let lost = if kept_city {
                    "US's new email"
                } else {
                    "SG's new city"
                };
                format!("{lost} is gone: one region's edit replaced the whole record")
            } else {
                "both edits survive: they touched different fields".to_string()
            };
            StrategyOutcome {
                key: key.into(),
                strategy: strategy.into(),
                traces,
                result: result.to_string(),
                verdict,
                lost_data,
            }
        })
        .collect();
    Walkthrough {
        name: "profile".into(),
        story:
            "Lan's profile is {city: Hanoi, email: lan@old.example} everywhere. At the same moment \
                SG changes the city to Singapore and US changes the email. Each region then \
                receives the other's write."
                .into(),
        outcomes,
    }
}

fn wallet() -> Walkthrough {
    let story = "A wallet holds 100. SG accepts a charge of 80 and US a charge of 70 at the same \
                 moment, each checking only its local balance. Then the regions exchange updates."
        .to_string();
    let mut outcomes = Vec::new();

    // 1. The balance as a last-write-wins register.
    {
        let mut sg = Replica::new("SG", 1, 0, Box::new(LwwHlc)).with_traces(8);
        let mut us = Replica::new("US", 2, 0, Box::new(LwwHlc)).with_traces(8);
        let open = sg.write(
            "wallet",
            Record::new().with("balance", FieldValue::Int(100)),
            1_000 * MS,
        );
        let _ = us.apply(open, 1_100 * MS);
        let a = sg.write(
            "wallet",
            Record::new().with("balance", FieldValue::Int(100 - 80)),
            2_000 * MS,
        );
        let b = us.write(
            "wallet",
            Record::new().with("balance", FieldValue::Int(100 - 70)),
            2_000 * MS + 300,
        );
        let _ = us.apply(a, 2_200 * MS);
        let _ = sg.apply(b, 2_200 * MS);
        let mut traces: Vec<MergeTrace> = sg.traces().chain(us.traces()).cloned().collect();
        traces.retain(|t| !t.steps.is_empty());
        let result = sg
            .get("wallet")
            .map(|v| v.value.to_string())
            .unwrap_or_default();
        outcomes.push(StrategyOutcome {
            key: "lww".into(),
            strategy: "balance as a last-write-wins register".into(),
            traces,
            result: format!("{result} (charges accepted: 80 + 70 = 150)"),
            verdict: "150 was charged from 100 (an overspend of 50), yet the balance shows one \
                      charge only: the other charge vanished from the books"
                .into(),
            lost_data: true,
        });
    }

    // 2. The balance as a counter of per-region deltas.
    {
        let mut sg = Replica::new("SG", 1, 0, Box::new(FieldMerge::new(FieldRule::CounterSum)))
            .with_traces(8);
        let mut us = Replica::new("US", 2, 0, Box::new(FieldMerge::new(FieldRule::CounterSum)))
            .with_traces(8);
        let counter = |region: &str, delta: i64| {
            let mut c = crate::conflict::Counter::new();
            c.add(region, delta);
            c
        };
        let open = sg.write(
            "wallet",
            Record::new().with("balance", FieldValue::Counter(counter("SG", 100))),
            1_000 * MS,
        );
        let _ = us.apply(open, 1_100 * MS);
        let with = |replica: &Replica, region: &str, delta: i64| {
            let mut c = match replica.get("wallet").and_then(|v| v.value.get("balance")) {
                Some(FieldValue::Counter(c)) => c.clone(),
                _ => crate::conflict::Counter::new(),
            };
            c.add(region, delta);
            Record::new().with("balance", FieldValue::Counter(c))
        };
        let a_rec = with(&sg, "SG", -80);
        let b_rec = with(&us, "US", -70);
        let a = sg.write("wallet", a_rec, 2_000 * MS);
        let b = us.write("wallet", b_rec, 2_000 * MS + 300);
        let _ = us.apply(a, 2_200 * MS);
        let _ = sg.apply(b, 2_200 * MS);
        let mut traces: Vec<MergeTrace> = sg.traces().chain(us.traces()).cloned().collect();
        traces.retain(|t| !t.steps.is_empty());
        let balance = match sg.get("wallet").and_then(|v| v.value.get("balance")) {
            Some(FieldValue::Counter(c)) => c.value(),
            _ => 0,
        };
        outcomes.push(StrategyOutcome {
            key: "pn-counter".into(),
            strategy: "balance as a counter of per-region deltas (PN-counter)".into(),
            traces,
            result: format!("balance {balance}"),
            verdict: format!(
                "no charge is lost, but the wallet went to {balance}: both regions spent money \
                 the other had already spent"
            ),
            lost_data: balance < 0,
        });
    }

    // 3. Escrow: a bounded counter whose rights are split between the regions.
    {
        let mut trace = MergeTrace::new("escrow: rights per region");
        let mut sg = BoundedCounter::new();
        let mut notes = Vec::new();
        let mut apply =
            |c: &mut BoundedCounter,
             op: Result<crate::crdt::BoundedCounterOp, crate::crdt::BoundedCounterError>,
             what: &str| {
                match op {
                    Ok(op) => {
                        c.apply(op);
                        notes.push(format!("{what}: accepted"));
                    }
                    Err(e) => notes.push(format!("{what}: refused ({e})")),
                }
            };
        let op = sg.inc("SG", 100);
        apply(&mut sg, op, "SG funds the wallet with 100");
        let op = sg.transfer("SG", "US", 40);
        apply(&mut sg, op, "SG hands 40 rights to US");
        let mut us = sg.clone();
        let op = sg.dec("SG", 80);
        apply(&mut sg, op, "SG charges 80");
        let op = us.dec("US", 70);
        apply(&mut us, op, "US charges 70");
        let op = us.dec("US", 40);
        apply(&mut us, op, "US charges 40 instead");
        for n in &notes {
            trace.step("", n.clone(), "a region may spend only the rights it holds");
        }
        let mut merged = sg.clone();
        merged.merge_traced(&us, &mut trace);
        let value = merged.value();
        outcomes.push(StrategyOutcome {
            key: "escrow".into(),
            strategy: "escrow (bounded counter: rights split SG 60 / US 40)".into(),
            traces: vec![trace],
            result: format!("balance {value}"),
            verdict: "a charge larger than the local rights is refused at once, so the wallet can \
                      never go below zero; the cost is refusing charges a global view might allow"
                .into(),
            lost_data: value < 0,
        });
    }
    Walkthrough {
        name: "wallet".into(),
        story,
        outcomes,
    }
}

fn cart() -> Walkthrough {
    let story = "A cart holds {book}. SG removes the book while US, at the same moment, adds the \
                 book again (the shopper changed their mind on another device)."
        .to_string();
    let mut outcomes = Vec::new();
    {
        let mut sg: OrSet<String> = OrSet::new();
        let op = sg.add("SG", "book".to_string());
        sg.apply(op);
        let mut us = sg.clone();
        let op = sg.remove(&"book".to_string());
        sg.apply(op);
        let op = us.add("US", "book".to_string());
        us.apply(op);
        let mut trace = MergeTrace::new("OR-Set merge at SG");
        let mut merged = sg.clone();
        merged.merge_traced(&us, &mut trace);
        let has = merged.contains(&"book".to_string());
        outcomes.push(StrategyOutcome {
            key: "or-set".into(),
            strategy: "OR-Set (add wins)".into(),
            traces: vec![trace],
            result: format!(
                "{{{}}}",
                merged.elements().cloned().collect::<Vec<_>>().join(", ")
            ),
            verdict: if has {
                "the concurrent add survives: SG's remove only removed the copy it had seen".into()
            } else {
                "the add was lost".into()
            },
            lost_data: !has,
        });
    }
    {
        let set = |items: &[&str]| {
            items
                .iter()
                .map(|s| s.to_string())
                .collect::<BTreeSet<String>>()
        };
        let mut sg: LwwRegister<BTreeSet<String>> = LwwRegister::new();
        let op = sg.write("SG", set(&["book"]), 1_000);
        sg.apply(op);
        let mut us = sg.clone();
        let op = us.write("US", set(&["book"]), 2_000);
        us.apply(op);
        let op = sg.write("SG", set(&[]), 2_001);
        sg.apply(op);
        let mut trace = MergeTrace::new("last-write-wins set merge at US");
        let mut merged = us.clone();
        merged.merge_traced(&sg, &mut trace);
        let has = merged.value().is_some_and(|s| s.contains("book"));
        outcomes.push(StrategyOutcome {
            key: "lww-set".into(),
            strategy: "the whole set as a last-write-wins register".into(),
            traces: vec![trace],
            result: format!("{:?}", merged.value().cloned().unwrap_or_default()),
            verdict: if has {
                "the add survived".into()
            } else {
                "US's add is gone: SG's later write of the whole set replaced it".into()
            },
            lost_data: !has,
        });
    }
    Walkthrough {
        name: "cart".into(),
        story,
        outcomes,
    }
}

fn clock_skew() -> Walkthrough {
    let story =
        "US sets the price to 100. SG, whose wall clock runs 500 ms behind, receives it and \
                 then sets the price to 120: SG's write is newer and made with US's in view. Both \
                 regions then exchange writes."
            .to_string();
    let strategies: [(&str, &str, MakeResolver); 2] = [
        ("lww-physical", "last-write-wins on physical time", || {
            Box::new(LwwPhysical)
        }),
        (
            "lww-hlc",
            "last-write-wins on hybrid logical clocks",
            || Box::new(LwwHlc),
        ),
    ];
    let outcomes = strategies
        .into_iter()
        .map(|(key, strategy, resolver)| {
            let mut us = Replica::new("US", 1, 0, resolver()).with_traces(8);
            let mut sg = Replica::new("SG", 2, -500_000, resolver()).with_traces(8);
            let first = us.write(
                "price",
                Record::new().with("cents", FieldValue::Int(100)),
                1_000 * MS,
            );
            let _ = sg.apply(first, 1_100 * MS);
            let second = sg.write(
                "price",
                Record::new().with("cents", FieldValue::Int(120)),
                1_200 * MS,
            );
            let _ = us.apply(second, 1_300 * MS);
            let mut traces: Vec<MergeTrace> = sg.traces().chain(us.traces()).cloned().collect();
            traces.retain(|t| !t.steps.is_empty());
            let price = us.get("price").and_then(|v| v.value.get("cents")).cloned();
            let kept_newer = price == Some(FieldValue::Int(120));
            StrategyOutcome {
                key: key.into(),
                strategy: strategy.into(),
                traces,
                result: us
                    .get("price")
                    .map(|v| v.value.to_string())
                    .unwrap_or_default(),
                verdict: if kept_newer {
                    "the newer price (120) wins: the clock carries what SG had seen".into()
                } else {
                    "the newer price (120) is dropped: SG's slow clock stamped it earlier than US's"
                        .into()
                },
                lost_data: !kept_newer,
            }
        })
        .collect();
    Walkthrough {
        name: "clock-skew".into(),
        story,
        outcomes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome<'a>(w: &'a Walkthrough, prefix: &str) -> &'a StrategyOutcome {
        w.outcomes
            .iter()
            .find(|o| o.strategy.starts_with(prefix))
            .expect("strategy present")
    }

    #[test]
    fn every_example_runs_and_explains_itself() {
        for e in EXAMPLES {
            let w = walkthrough(e.name).expect("known example");
            assert!(w.outcomes.len() >= 2, "{}", e.name);
            for o in &w.outcomes {
                assert!(
                    !o.traces.is_empty(),
                    "{} / {} has no trace",
                    e.name,
                    o.strategy
                );
                assert!(o.traces.iter().all(|t| !t.steps.is_empty()));
            }
        }
        assert!(walkthrough("nope").is_none());
    }

    #[test]
    fn strategy_keys_are_short_unique_and_link_safe() {
        for e in EXAMPLES {
            let w = walkthrough(e.name).unwrap();
            let keys: BTreeSet<&str> = w.outcomes.iter().map(|o| o.key.as_str()).collect();
            assert_eq!(keys.len(), w.outcomes.len(), "{}", e.name);
            for k in keys {
                assert!(
                    !k.is_empty()
                        && k.bytes()
                            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                    "{k}"
                );
            }
        }
    }

    #[test]
    fn field_merge_keeps_both_edits_where_whole_record_lww_loses_one() {
        let w = walkthrough("profile").unwrap();
        assert!(outcome(&w, "last-write-wins").lost_data);
        assert!(!outcome(&w, "field-level").lost_data);
    }

    #[test]
    fn lww_and_counters_overspend_while_escrow_refuses() {
        let w = walkthrough("wallet").unwrap();
        assert!(outcome(&w, "balance as a last-write-wins").lost_data);
        let counter = outcome(&w, "balance as a counter");
        assert!(counter.lost_data);
        assert_eq!(counter.result, "balance -50");
        let escrow = outcome(&w, "escrow");
        assert!(!escrow.lost_data);
        assert_eq!(escrow.result, "balance 60");
        let steps: Vec<&str> = escrow.traces[0]
            .steps
            .iter()
            .map(|s| s.decision.as_str())
            .collect();
        assert!(
            steps
                .iter()
                .any(|s| s.starts_with("SG charges 80: refused")),
            "{steps:?}"
        );
        assert!(
            steps
                .iter()
                .any(|s| s.starts_with("US charges 40 instead: accepted")),
            "{steps:?}"
        );
    }

    #[test]
    fn or_set_keeps_the_concurrent_add_and_lww_set_drops_it() {
        let w = walkthrough("cart").unwrap();
        assert!(!outcome(&w, "OR-Set").lost_data);
        assert!(outcome(&w, "the whole set").lost_data);
    }

    #[test]
    fn skew_makes_physical_lww_drop_the_newer_write() {
        let w = walkthrough("clock-skew").unwrap();
        assert!(outcome(&w, "last-write-wins on physical").lost_data);
        assert!(!outcome(&w, "last-write-wins on hybrid").lost_data);
    }
}
