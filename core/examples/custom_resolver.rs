//! A conflict strategy of your own, plugged into two replicas: "the larger stock count wins",
//! a rule some inventory systems use so that a concurrent restock is never lost to a sale (at
//! the price of overselling). Both replicas take each other's write and converge on it.
//!
//! ```sh
//! cargo run -p meridian-core --example custom_resolver
//! ```

use meridian_core::conflict::{
    FieldValue, LwwHlc, MergeTrace, Record, Replica, Resolver, Versioned,
};

/// Keeps the version whose `stock` field is larger; on a tie, last-write-wins by the hybrid
/// clock (so the choice is the same at every replica).
#[derive(Debug)]
struct LargestStock;

fn stock(v: &Versioned) -> i64 {
    match v.value.get("stock") {
        Some(FieldValue::Int(n)) => *n,
        _ => i64::MIN,
    }
}

impl Resolver for LargestStock {
    fn name(&self) -> String {
        "largest stock wins".into()
    }

    fn resolve(
        &self,
        local: &Versioned,
        remote: &Versioned,
        trace: Option<&mut MergeTrace>,
    ) -> Versioned {
        match stock(local).cmp(&stock(remote)) {
            std::cmp::Ordering::Greater => local.clone(),
            std::cmp::Ordering::Less => remote.clone(),
            // Commutative on ties: the library's LWW decides and explains.
            std::cmp::Ordering::Equal => LwwHlc.resolve(local, remote, trace),
        }
    }
}

fn main() {
    let mut sg = Replica::new("SG", 1, 0, Box::new(LargestStock));
    let mut us = Replica::new("US", 2, 0, Box::new(LargestStock));
    // Both start from 5 in stock; SG sells one while US restocks ten, at the same moment.
    let start = sg.write(
        "sku-42",
        Record::new().with("stock", FieldValue::Int(5)),
        1_000,
    );
    us.apply(start, 1_100).expect("applies");
    let sale = sg.write(
        "sku-42",
        Record::new().with("stock", FieldValue::Int(4)),
        2_000,
    );
    let restock = us.write(
        "sku-42",
        Record::new().with("stock", FieldValue::Int(15)),
        2_000,
    );
    us.apply(sale, 2_200).expect("applies");
    sg.apply(restock, 2_200).expect("applies");
    for replica in [&sg, &us] {
        let v = replica.get("sku-42").expect("the key");
        println!(
            "{}: stock {} (from {}), conflicts seen: {}",
            replica.region(),
            stock(v),
            v.origin(),
            replica.stats().conflicts
        );
    }
    assert_eq!(sg.records(), us.records(), "both replicas converge");
}
