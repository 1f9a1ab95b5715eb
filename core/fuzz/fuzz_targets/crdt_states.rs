//! CRDT, record and conflict states read from JSON (as they travel between replicas, and as the
//! page embeds the merge walkthroughs), then merged. The first byte picks the type; the rest is a
//! JSON array of three states `[a, b, c]` of that type. Decoding and merging must never panic or
//! overflow, and where the type promises it (every state-based CRDT, and every resolver that does
//! not ask for causal delivery) the merge laws are checked on the decoded states: commutativity
//! (a ⊔ b = b ⊔ a), idempotence (a ⊔ a = a) and associativity ((a ⊔ b) ⊔ c = a ⊔ (b ⊔ c)).
//! Replicated events are also applied to a replica in the order given, twice, under each
//! resolver.
#![no_main]

use std::fmt::Debug;

use libfuzzer_sys::fuzz_target;
use meridian_core::conflict::{
    Counter, Event, FieldMerge, FieldRule, InsertWins, LwwHlc, LwwPhysical, Record, Replica,
    Resolver, VersionVector, Versioned,
};
use meridian_core::crdt::{
    BoundedCounter, Crdt, GCounter, LwwRegister, MvRegister, OrSet, PnCounter,
};
use serde::de::DeserializeOwned;

fn decode<T: DeserializeOwned>(json: &[u8]) -> Option<[T; 3]> {
    serde_json::from_slice::<[T; 3]>(json).ok()
}

/// The laws of a state-based merge, with `merge` the in-place merge.
fn laws<T: Clone + PartialEq + Debug>(states: &[T; 3], merge: impl Fn(&mut T, &T)) {
    let [a, b, c] = states;
    let join = |x: &T, y: &T| {
        let mut m = x.clone();
        merge(&mut m, y);
        m
    };
    assert_eq!(join(a, b), join(b, a), "merge is not commutative");
    assert_eq!(join(a, a), *a, "merge is not idempotent");
    assert_eq!(
        join(&join(a, b), c),
        join(a, &join(b, c)),
        "merge is not associative"
    );
}

fn crdt<T: Crdt + Clone + PartialEq + Debug + DeserializeOwned>(json: &[u8]) {
    if let Some(states) = decode::<T>(json) {
        laws(&states, |x: &mut T, y| x.merge(y));
    }
}

fn resolvers() -> Vec<Box<dyn Resolver>> {
    vec![
        Box::new(LwwHlc),
        Box::new(LwwPhysical),
        Box::new(InsertWins::new(LwwHlc)),
        Box::new(
            FieldMerge::new(FieldRule::Lww)
                .with_rule("balance", FieldRule::CounterSum)
                .with_rule("tags", FieldRule::Union)
                .with_rule("max", FieldRule::Max)
                .with_rule("min", FieldRule::Min),
        ),
    ]
}

fn versions(json: &[u8]) {
    let Some(states) = decode::<Versioned<Record>>(json) else {
        return;
    };
    for r in resolvers() {
        let _ = r.explain(&states[0], &states[1]);
        if !r.needs_causal_order() {
            laws(&states, |x: &mut Versioned<Record>, y| {
                *x = r.resolve(x, y, None);
            });
        }
    }
}

fn events(json: &[u8]) {
    let Ok(events) = serde_json::from_slice::<Vec<Event>>(json) else {
        return;
    };
    for (i, r) in resolvers().into_iter().enumerate() {
        let mut replica = Replica::new("FZ", i as u32, 0, r)
            .with_window(4)
            .with_traces(2);
        for round in 0..2u64 {
            for (t, e) in events.iter().enumerate() {
                let _ = replica.apply(e.clone(), round * 1_000 + t as u64);
            }
        }
        let _ = replica.stats();
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&kind, json)) = data.split_first() else {
        return;
    };
    match kind % 10 {
        0 => crdt::<GCounter>(json),
        1 => crdt::<PnCounter>(json),
        2 => crdt::<LwwRegister<String>>(json),
        3 => crdt::<MvRegister<String>>(json),
        4 => crdt::<OrSet<String>>(json),
        5 => crdt::<BoundedCounter>(json),
        6 => {
            if let Some(states) = decode::<VersionVector>(json) {
                laws(&states, |x: &mut VersionVector, y| x.merge(y));
                let _ = states[0].compare(&states[1]);
            }
        }
        7 => {
            if let Some(states) = decode::<Counter>(json) {
                laws(&states, |x: &mut Counter, y| x.merge(y));
                let _ = states.iter().map(Counter::value).collect::<Vec<_>>();
            }
        }
        8 => versions(json),
        _ => events(json),
    }
});
