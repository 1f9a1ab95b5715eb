//! The differential test of the one last-write-wins order: the simulator's key table, the
//! conflict library's resolvers ([`LwwHlc`], [`LwwPhysical`]) and the CRDT register
//! ([`LwwRegister`]) are driven with the same write histories, delivered to each replica in its
//! own order, and must keep the same write: the one with the greatest [`Stamp`].

use alloc::format;
use alloc::vec::Vec;

use proptest::prelude::*;

use super::keys::{Held, KeyTable};
use crate::conflict::{
    EventId, FieldValue, Hlc, LwwHlc, LwwPhysical, Record, Resolver, Stamp, VersionVector,
    Versioned,
};
use crate::crdt::{LwwRegister, LwwWrite, OpCrdt, ReplicaId};

/// Regions (nodes) the histories write from.
const REGIONS: usize = 4;
/// Replicas each history is delivered to, each in its own order.
const REPLICAS: usize = 3;

/// One write of a history: the writer's clock (a small range, so that clocks tie often) and
/// its region.
fn write() -> impl Strategy<Value = (u64, usize)> {
    (1u64..6, 0..REGIONS)
}

/// A history of writes with distinct stamps, and an order of delivery per replica.
fn history() -> impl Strategy<Value = (Vec<Stamp>, Vec<Vec<usize>>)> {
    prop::collection::btree_set(write(), 1..10).prop_flat_map(|writes| {
        let stamps: Vec<Stamp> = writes.into_iter().map(|(c, r)| Stamp::new(c, r)).collect();
        let order: Vec<usize> = (0..stamps.len()).collect();
        let orders = prop::collection::vec(Just(order).prop_shuffle(), REPLICAS);
        (Just(stamps), orders)
    })
}

/// The write `i` of a history as the library's version: its HLC (logical part 0) and wall
/// clock are the stamp's clock, its node the stamp's node, and its value its own number.
fn version(i: usize, stamp: Stamp) -> Versioned {
    let node = stamp.node();
    Versioned::new(
        Record::new().with("write", FieldValue::Int(i as i64)),
        EventId::new(format!("r{node}"), i as u64 + 1),
        Hlc::new(stamp.clock_us(), 0, node as u32),
        stamp.clock_us(),
        VersionVector::new(),
    )
}

/// The winner's stamp after folding `order` of the versions with `resolver`.
fn resolve_all(resolver: &dyn Resolver, versions: &[Versioned], order: &[usize]) -> Stamp {
    let mut held = versions[order[0]].clone();
    for &i in &order[1..] {
        held = resolver.resolve(&held, &versions[i], None);
    }
    assert_eq!(held.hlc.logical, 0);
    Stamp::of_hlc(held.hlc)
}

/// The winner's stamp after applying `order` of the writes to an [`LwwRegister`] whose replica
/// ids sort as the region numbers do.
fn register_all(stamps: &[Stamp], order: &[usize]) -> Stamp {
    let mut register = LwwRegister::new();
    for &i in order {
        let s = stamps[i];
        register.apply(LwwWrite {
            value: i,
            timestamp: s.clock_us(),
            replica: ReplicaId::new(format!("{:02}", s.node())),
        });
    }
    let w = register.current().expect("a write was applied");
    let node = w.replica.as_str().parse().expect("a region number");
    Stamp::new(w.timestamp, node)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 512,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// Every replica of the simulator keeps the greatest stamp whatever the order of delivery,
    /// and so do the library's resolvers and the CRDT register on the same histories.
    #[test]
    fn stamp_order_is_the_libraries_lww_order((stamps, orders) in history()) {
        let greatest = *stamps.iter().max().expect("a write");
        let versions: Vec<Versioned> =
            stamps.iter().enumerate().map(|(i, &s)| version(i, s)).collect();
        let mut table = KeyTable::new(REPLICAS, 1);
        for (replica, order) in orders.iter().enumerate() {
            for &i in order {
                let write = Held {
                    stamp: stamps[i],
                    index: i as u32 + 1,
                    ..Held::default()
                };
                table.apply(replica, 0, write);
            }
            prop_assert_eq!(table.held(replica, 0).stamp, greatest);
            prop_assert_eq!(resolve_all(&LwwHlc, &versions, order), greatest);
            prop_assert_eq!(resolve_all(&LwwPhysical, &versions, order), greatest);
            prop_assert_eq!(register_all(&stamps, order), greatest);
        }
    }

    /// On an identical stamp (one region, one clock reading: physical-time LWW only) the
    /// simulator keeps the incumbent, as [`Stamp::beats`] says.
    #[test]
    fn an_identical_stamp_leaves_the_incumbent((clock, region) in write()) {
        let stamp = Stamp::new(clock, region);
        let mut table = KeyTable::new(1, 1);
        let first = Held { stamp, index: 1, value: 1, ..Held::default() };
        let second = Held { stamp, index: 2, value: 2, ..Held::default() };
        prop_assert!(table.apply(0, 0, first).is_some());
        prop_assert!(table.apply(0, 0, second).is_none());
        prop_assert_eq!(table.held(0, 0), first);
    }
}
