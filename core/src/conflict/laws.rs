//! Property tests of the algebraic laws each strategy promises: commutativity (the same result
//! whichever side is local), associativity and idempotence.
//!
//! `KeepLocal`/`KeepRemote` field rules are left out on purpose: they favour one side by
//! definition, so swapping the sides changes the result.

use alloc::boxed::Box;
use alloc::collections::BTreeMap;
use alloc::format;
use alloc::vec::Vec;

use proptest::prelude::*;

use super::*;

const REGIONS: [&str; 3] = ["US", "SG", "EU"];

fn field_merge() -> FieldMerge {
    FieldMerge::new(FieldRule::Lww)
        .with_rule("f1", FieldRule::Max)
        .with_rule("f2", FieldRule::Min)
        .with_rule("f3", FieldRule::CounterSum)
        .with_rule("f4", FieldRule::Union)
}

/// A typed value for field `i` under [`field_merge`]'s rules.
fn value(i: usize) -> BoxedStrategy<FieldValue> {
    match i {
        0 => prop_oneof![
            (0..3u8).prop_map(|n| FieldValue::text(format!("t{n}"))),
            Just(FieldValue::Deleted)
        ]
        .boxed(),
        1 | 2 => (-3i64..4).prop_map(FieldValue::Int).boxed(),
        3 => proptest::collection::btree_map(0..3usize, (0u64..4, 0u64..4), 0..3)
            .prop_map(|m| {
                let mut c = Counter::new();
                for (r, (up, down)) in m {
                    c.added.insert(REGIONS[r].into(), up);
                    c.subtracted.insert(REGIONS[r].into(), down);
                }
                FieldValue::Counter(c)
            })
            .boxed(),
        _ => proptest::collection::btree_set(0..4u8, 0..3)
            .prop_map(|s| FieldValue::set(s.into_iter().map(|e| format!("e{e}"))))
            .boxed(),
    }
}

/// A version from region `origin`: small clocks so ties happen, typed fields, field clocks no
/// later than the record's, a tombstone when `deletes` allows, and a version vector that is
/// either only its own write (`concurrent`) or random.
fn version(deletes: bool, concurrent: Option<usize>) -> impl Strategy<Value = Versioned> {
    let origin = match concurrent {
        Some(i) => Just(i).boxed(),
        None => (0..3usize).boxed(),
    };
    let fields: Vec<_> = (0..5)
        .map(|i| proptest::option::of((value(i), 0u64..3)))
        .collect();
    (
        origin,
        1u64..4,
        (0u64..4, 0u32..3),
        0u64..4,
        fields,
        proptest::bool::weighted(if deletes { 0.2 } else { 0.0 }),
        proptest::array::uniform3(0u64..4),
    )
        .prop_map(move |(o, seq, (p, l), wall, fields, deleted, others)| {
            let hlc = Hlc::new(p * 1000, l, o as u32 + 1);
            let mut record = Record::new();
            let mut field_hlc = BTreeMap::new();
            for (i, f) in fields.into_iter().enumerate() {
                if let Some((v, back)) = f {
                    let name = format!("f{i}");
                    let c = Hlc::new(hlc.physical_us.saturating_sub(back * 1000), l, hlc.node);
                    field_hlc.insert(name.clone(), c.min(hlc));
                    record.set(name, v);
                }
            }
            if deleted {
                record = Record::tombstone();
            }
            let mut vv = VersionVector::new();
            if concurrent.is_none() {
                for (i, n) in others.into_iter().enumerate() {
                    vv.set(REGIONS[i], n);
                }
            }
            vv.set(REGIONS[o], seq);
            let mut v = Versioned::new(record, EventId::new(REGIONS[o], seq), hlc, wall * 1000, vv);
            v.field_hlc = field_hlc;
            v.normalize();
            v
        })
}

fn order_independent() -> Vec<Box<dyn Resolver>> {
    alloc::vec![
        Box::new(LwwHlc),
        Box::new(LwwPhysical),
        Box::new(field_merge()),
    ]
}

fn history_aware() -> Vec<Box<dyn Resolver>> {
    alloc::vec![
        Box::new(SourcePriority::new(["SG", "US"])),
        Box::new(InsertWins::new(LwwHlc)),
        Box::new(InsertWins::new(field_merge())),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// Every strategy but the sided field rules: commutative and idempotent on any versions.
    #[test]
    fn commutative_and_idempotent(
        a in version(true, None),
        b in version(true, None),
    ) {
        for r in order_independent().into_iter().chain(history_aware()) {
            prop_assert_eq!(r.resolve(&a, &b, None), r.resolve(&b, &a, None), "{}", r.name());
            prop_assert_eq!(r.resolve(&a, &a, None), a.clone(), "{}", r.name());
            let once = r.resolve(&a, &b, None);
            prop_assert_eq!(r.resolve(&once, &b, None), once.clone(), "{}", r.name());
        }
    }

    /// The order-independent strategies: associative on any versions (live ones for field
    /// merge, where a delete competes as a whole record).
    #[test]
    fn order_independent_strategies_are_associative(
        a in version(false, None),
        b in version(false, None),
        c in version(false, None),
    ) {
        for r in order_independent() {
            prop_assert!(!r.needs_causal_order());
            let left = r.resolve(&r.resolve(&a, &b, None), &c, None);
            let right = r.resolve(&a, &r.resolve(&b, &c, None), None);
            prop_assert_eq!(left, right, "{}", r.name());
        }
    }

    /// Whole-record LWW stays associative with deletes in the mix.
    #[test]
    fn lww_is_associative_with_deletes(
        a in version(true, None),
        b in version(true, None),
        c in version(true, None),
    ) {
        for r in [&LwwHlc as &dyn Resolver, &LwwPhysical] {
            let left = r.resolve(&r.resolve(&a, &b, None), &c, None);
            let right = r.resolve(&a, &r.resolve(&b, &c, None), None);
            prop_assert_eq!(left, right, "{}", r.name());
        }
    }

    /// The history-aware strategies: associative over pairwise concurrent versions (one write
    /// per region, none having seen another), which is where they decide by their rule.
    #[test]
    fn history_aware_strategies_are_associative_over_concurrent_writes(
        a in version(true, Some(0)),
        b in version(true, Some(1)),
        c in version(true, Some(2)),
    ) {
        for r in history_aware() {
            prop_assert!(r.needs_causal_order());
            let left = r.resolve(&r.resolve(&a, &b, None), &c, None);
            let right = r.resolve(&a, &r.resolve(&b, &c, None), None);
            prop_assert_eq!(left, right, "{}", r.name());
        }
    }

    /// Traces never disagree with the merge: the result text is the merged value's.
    #[test]
    fn traces_describe_the_result(a in version(true, None), b in version(true, None)) {
        for r in order_independent().into_iter().chain(history_aware()) {
            let (m, t) = r.explain(&a, &b);
            prop_assert_eq!(t.result, format!("{}", m.value));
            prop_assert_eq!(t.inputs.len(), 2);
            prop_assert!(!t.steps.is_empty());
        }
    }
}

#[test]
fn keep_rules_are_not_commutative_by_design() {
    let fm = FieldMerge::new(FieldRule::KeepLocal);
    let a = Versioned::write(
        Record::new().with("x", FieldValue::Int(1)),
        EventId::new("US", 1),
        Hlc::new(1_000, 0, 1),
        1_000,
    );
    let b = Versioned::write(
        Record::new().with("x", FieldValue::Int(2)),
        EventId::new("SG", 1),
        Hlc::new(2_000, 0, 2),
        2_000,
    );
    assert_ne!(
        fm.resolve(&a, &b, None).value,
        fm.resolve(&b, &a, None).value
    );
    let fr = FieldMerge::new(FieldRule::KeepRemote);
    assert_eq!(fr.resolve(&a, &b, None).value, b.value);
    assert!(fm.needs_causal_order() && fr.needs_causal_order());
}
