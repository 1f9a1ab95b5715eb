//! Differential tests of the simulator's entity policies against the library that implements
//! the same ideas, driven with the same histories:
//!
//! * last-write-wins: the simulator's key table, the conflict library's resolvers ([`LwwHlc`],
//!   [`LwwPhysical`]) and the CRDT register ([`LwwRegister`]) receive the same writes, each
//!   replica in its own order, and must keep the same write: the one with the greatest
//!   [`Stamp`];
//! * escrow: the simulator's wallet rights and a [`BoundedCounter`] opened with the same split
//!   must accept and refuse the same charges.

use alloc::format;
use alloc::vec::Vec;

use proptest::prelude::*;

use crate::conflict::{
    EventId, FieldValue, Hlc, LwwHlc, LwwPhysical, Record, Resolver, Stamp, VersionVector,
    Versioned,
};
use crate::crdt::{BoundedCounter, LwwRegister, LwwWrite, OpCrdt, ReplicaId};
use crate::rng::SimRng;
use crate::scenario::Scenario;
use crate::sim::keys::{Held, KeyTable};
use crate::sim::policy::{Decision, Entities, EntityPolicy};

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

    /// The simulator's escrow wallet accepts exactly the charges a [`BoundedCounter`] holding
    /// the same rights per region accepts: the opening balance split evenly (the first regions
    /// take the remainder), and a charge refused when above the charging region's rights.
    #[test]
    fn escrow_rights_are_a_bounded_counter(
        charges in prop::collection::vec((0usize..8, any::<u64>()), 1..60),
    ) {
        let model = Scenario::preset("wallet-multi-leader-escrow")
            .expect("shipped preset")
            .validate()
            .expect("valid preset");
        let wallet = model
            .entities
            .iter()
            .find(|e| matches!(e.policy, EntityPolicy::Escrow { .. }))
            .expect("an escrow entity");
        let (initial, max_charge) = wallet.policy.wallet().expect("a wallet policy");
        let key = wallet.first_key;
        let regions = model.topology.region_count();
        let names: Vec<&str> = model.topology.regions().iter().map(|r| r.id.as_str()).collect();
        let mut table = KeyTable::new(regions, model.keys as usize);
        let mut entities = Entities::open(&model, &mut table);
        let mut counter = BoundedCounter::new();
        for (r, name) in names.iter().enumerate() {
            let share = u64::from(initial) / regions as u64
                + u64::from((r as u64) < u64::from(initial) % regions as u64);
            counter.apply(counter.inc(*name, share).expect("no overflow"));
        }
        for (region, seed) in charges {
            let region = region % regions;
            let mut net = SimRng::new(seed);
            let amount = 1 + net.clone().below(u64::from(max_charge));
            let mut write = Held::default();
            let funds_at = Some((region, table.held(region, key)));
            let decision = entities.prepare_write(key, funds_at, &mut net, &mut write);
            match counter.dec(names[region], amount) {
                Ok(op) => {
                    prop_assert_eq!(decision, Decision::Accept);
                    prop_assert_eq!(write.value, -(amount as i64));
                    counter.apply(op);
                }
                Err(_) => prop_assert_eq!(decision, Decision::Refuse),
            }
        }
    }
}
