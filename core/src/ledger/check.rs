//! Invariant checks over finished ledgers: did anyone overspend, was anything charged twice?
//!
//! The wallet refuses overspends and replays retries, so a ledger it wrote passes these checks
//! (except for retries slower than the idempotency TTL, which show up as double charges). The
//! checker exists for everything else: ledgers built by hand, written by a multi-leader design
//! where each region accepted charges on its own, or replicated with bugs.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use super::entry::{EntryKind, LedgerEntry};
use crate::time::SimTime;

/// The most examples a report carries; the counts are always exact.
pub const MAX_EXAMPLES: usize = 20;

/// Sums are kept in `i128` while checking; reports carry `i64` (which JSON readers, TOML and
/// JavaScript handle), saturated at its limits, about ±9.2e18 minor units.
fn saturate(v: i128) -> i64 {
    i64::try_from(v).unwrap_or(if v < 0 { i64::MIN } else { i64::MAX })
}

/// Enough of an entry to find it again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryRef {
    /// The region that applied it.
    pub region: String,
    /// Its sequence number there.
    pub seq: u64,
    /// When it was applied.
    pub at: SimTime,
    /// Its amount, in minor units.
    pub amount_minor: u64,
}

impl From<&LedgerEntry> for EntryRef {
    fn from(e: &LedgerEntry) -> Self {
        EntryRef {
            region: e.region.clone(),
            seq: e.seq,
            at: e.at,
            amount_minor: e.amount_minor,
        }
    }
}

/// What two charges had in common that makes them one charge applied twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DuplicateBasis {
    /// The same idempotency key.
    IdempotencyKey,
    /// The same logical charge id (order or checkout), under different keys.
    ChargeId,
}

/// One broken invariant, with the entries involved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "violation", rename_all = "snake_case")]
pub enum Violation {
    /// Replaying one ledger in order, the balance went below zero after this entry.
    Overspend {
        /// The replica whose ledger it is, when checking several.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        replica: Option<String>,
        /// The entry after which the balance was negative.
        entry: EntryRef,
        /// The balance right after it, in minor units.
        balance_after: i64,
    },
    /// Every replica's ledger may look fine alone, but together (each distinct entry once) the
    /// charges exceed the credits and refunds: the regions spent the same money.
    CombinedOverspend {
        /// Sum of distinct credits, in minor units.
        credits: i64,
        /// Sum of distinct refunds.
        refunds: i64,
        /// Sum of distinct charges.
        charges: i64,
        /// `credits + refunds - charges`, below zero.
        balance: i64,
    },
    /// A charge that repeats an earlier one.
    DoubleCharge {
        /// What they share.
        basis: DuplicateBasis,
        /// The shared key or charge id.
        value: String,
        /// The earlier charge.
        first: EntryRef,
        /// The repeat.
        again: EntryRef,
    },
    /// Within one ledger, an entry's `seq` is not above the previous `seq` from the same region:
    /// the ledger was reordered, rewritten or an entry was applied twice.
    OrderBreak {
        /// The replica whose ledger it is, when checking several.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        replica: Option<String>,
        /// The region both entries came from.
        region: String,
        /// The previous `seq` from that region.
        previous_seq: u64,
        /// The offending `seq`.
        seq: u64,
    },
    /// Two replicas hold different entries under the same `(region, seq)`.
    Divergent {
        /// The region and seq, with the first replica's version of the entry.
        entry: EntryRef,
        /// The replica whose version was seen first.
        first_replica: String,
        /// The replica that disagrees.
        other_replica: String,
    },
}

/// What the checker found. All counts are exact; `examples` holds the first
/// [`MAX_EXAMPLES`] violations in the order found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerViolations {
    /// How many ledgers were checked.
    pub ledgers: usize,
    /// How many entries were read, over all ledgers.
    pub entries_checked: usize,
    /// How many distinct entries there were (copies of one `(region, seq)` counted once).
    pub distinct_entries: usize,
    /// Entries that left a ledger's running balance negative, plus one if the combined replicas
    /// overspend.
    pub overspends: u64,
    /// Charges that repeat an earlier charge's idempotency key or charge id.
    pub double_charges: u64,
    /// Entries out of `seq` order within their ledger.
    pub order_breaks: u64,
    /// `(region, seq)` pairs on which replicas disagree.
    pub divergent_entries: u64,
    /// The first violations found, at most [`MAX_EXAMPLES`].
    pub examples: Vec<Violation>,
}

impl LedgerViolations {
    /// Whether nothing was found.
    pub fn is_clean(&self) -> bool {
        self.overspends == 0
            && self.double_charges == 0
            && self.order_breaks == 0
            && self.divergent_entries == 0
    }

    fn example(&mut self, v: Violation) {
        if self.examples.len() < MAX_EXAMPLES {
            self.examples.push(v);
        }
    }

    /// Replays one ledger in order: prefix balances and `seq` order.
    fn replay(&mut self, replica: Option<&str>, entries: &[LedgerEntry]) {
        self.entries_checked = self.entries_checked.saturating_add(entries.len());
        let mut balance: i128 = 0;
        let mut last_seq: BTreeMap<&str, u64> = BTreeMap::new();
        for e in entries {
            balance = balance.saturating_add(e.delta());
            if balance < 0 {
                self.overspends = self.overspends.saturating_add(1);
                self.example(Violation::Overspend {
                    replica: replica.map(String::from),
                    entry: e.into(),
                    balance_after: saturate(balance),
                });
            }
            if let Some(previous_seq) = last_seq.insert(&e.region, e.seq)
                && e.seq <= previous_seq
            {
                self.order_breaks = self.order_breaks.saturating_add(1);
                self.example(Violation::OrderBreak {
                    replica: replica.map(String::from),
                    region: e.region.clone(),
                    previous_seq,
                    seq: e.seq,
                });
            }
        }
    }

    /// Looks for charges that repeat an earlier charge's key or charge id. Each repeat is counted
    /// once, by its key if that matches, else by its charge id.
    fn double_charges<'a>(&mut self, entries: impl IntoIterator<Item = &'a LedgerEntry>) {
        let mut by_key: BTreeMap<&str, &LedgerEntry> = BTreeMap::new();
        let mut by_id: BTreeMap<&str, &LedgerEntry> = BTreeMap::new();
        for e in entries.into_iter().filter(|e| e.kind == EntryKind::Charge) {
            let key = e.idempotency_key.as_deref().filter(|k| !k.is_empty());
            let id = e.charge_id.as_deref().filter(|k| !k.is_empty());
            let seen = key
                .and_then(|k| Some((DuplicateBasis::IdempotencyKey, k, *by_key.get(k)?)))
                .or_else(|| id.and_then(|i| Some((DuplicateBasis::ChargeId, i, *by_id.get(i)?))));
            if let Some((basis, value, first)) = seen {
                self.double_charges = self.double_charges.saturating_add(1);
                self.example(Violation::DoubleCharge {
                    basis,
                    value: String::from(value),
                    first: first.into(),
                    again: e.into(),
                });
            }
            if let Some(k) = key {
                by_key.entry(k).or_insert(e);
            }
            if let Some(i) = id {
                by_id.entry(i).or_insert(e);
            }
        }
    }
}

/// Checks one ledger, in its stored order, for overspends (a negative balance after any entry),
/// double charges (a charge repeating an earlier charge's idempotency key or charge id, however
/// far apart; a TTL does not excuse it) and `seq` order breaks.
pub fn check_ledger(entries: &[LedgerEntry]) -> LedgerViolations {
    let mut report = LedgerViolations {
        ledgers: 1,
        distinct_entries: entries.len(),
        ..LedgerViolations::default()
    };
    report.replay(None, entries);
    report.double_charges(entries);
    report
}

/// Checks several replicas' ledgers of one wallet, each given as `(replica name, entries)`.
///
/// Each ledger is replayed alone (prefix overspends and order breaks, reported with its replica's
/// name). Then the ledgers are merged, keeping each `(region, seq)` once (copies of one entry are
/// replication, not duplication; copies that differ are reported as divergent), and the merged set
/// is checked for a combined overspend (charges above credits plus refunds, as happens when
/// regions accept charges against the same money independently) and for double charges, taken in
/// `(at, region, seq)` order.
pub fn check_replicas(replicas: &[(&str, &[LedgerEntry])]) -> LedgerViolations {
    let mut report = LedgerViolations {
        ledgers: replicas.len(),
        ..LedgerViolations::default()
    };
    let mut merged: BTreeMap<(&str, u64), (&str, &LedgerEntry)> = BTreeMap::new();
    for (name, entries) in replicas {
        report.replay(Some(name), entries);
        for e in *entries {
            match merged.get(&(e.region.as_str(), e.seq)) {
                None => {
                    merged.insert((&e.region, e.seq), (name, e));
                }
                Some((_, seen)) if *seen == e => {}
                Some((first_replica, seen)) => {
                    let v = Violation::Divergent {
                        entry: (*seen).into(),
                        first_replica: String::from(*first_replica),
                        other_replica: String::from(*name),
                    };
                    report.divergent_entries = report.divergent_entries.saturating_add(1);
                    report.example(v);
                }
            }
        }
    }
    report.distinct_entries = merged.len();

    let (mut credits, mut refunds, mut charges) = (0i128, 0i128, 0i128);
    for (_, e) in merged.values() {
        let sum = match e.kind {
            EntryKind::Credit => &mut credits,
            EntryKind::Refund => &mut refunds,
            EntryKind::Charge => &mut charges,
        };
        *sum = sum.saturating_add(i128::from(e.amount_minor));
    }
    let balance = credits.saturating_add(refunds).saturating_sub(charges);
    if balance < 0 {
        report.overspends = report.overspends.saturating_add(1);
        report.example(Violation::CombinedOverspend {
            credits: saturate(credits),
            refunds: saturate(refunds),
            charges: saturate(charges),
            balance: saturate(balance),
        });
    }

    let mut in_time: Vec<&LedgerEntry> = merged.values().map(|(_, e)| *e).collect();
    in_time.sort_by(|a, b| (a.at, &a.region, a.seq).cmp(&(b.at, &b.region, b.seq)));
    report.double_charges(in_time);
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    fn t(ms: u64) -> SimTime {
        SimTime(ms * 1_000)
    }

    fn correct_ledger() -> Vec<LedgerEntry> {
        vec![
            LedgerEntry::credit(1, 1_000, t(0), "SG"),
            LedgerEntry::charge(2, 400, t(1), "SG")
                .with_key("k1")
                .with_charge_id("order-1"),
            LedgerEntry::charge(3, 600, t(2), "SG")
                .with_key("k2")
                .with_charge_id("order-2"),
            LedgerEntry::refund(4, 2, 100, t(3), "SG"),
            LedgerEntry::charge(5, 100, t(4), "SG").with_key("k3"),
        ]
    }

    #[test]
    fn a_correct_ledger_reports_nothing() {
        let r = check_ledger(&correct_ledger());
        assert!(r.is_clean(), "{r:?}");
        assert!(r.examples.is_empty());
        assert_eq!((r.entries_checked, r.distinct_entries), (5, 5));
        assert!(check_ledger(&[]).is_clean());
    }

    #[test]
    fn finds_a_planted_prefix_overspend_even_if_the_end_balance_is_fine() {
        let ledger = vec![
            LedgerEntry::credit(1, 100, t(0), "SG"),
            LedgerEntry::charge(2, 150, t(1), "SG").with_key("a"),
            LedgerEntry::credit(3, 500, t(2), "SG"),
        ];
        let r = check_ledger(&ledger);
        assert_eq!(r.overspends, 1);
        assert_eq!(
            r.examples,
            vec![Violation::Overspend {
                replica: None,
                entry: EntryRef::from(&ledger[1]),
                balance_after: -50,
            }]
        );
    }

    #[test]
    fn finds_planted_double_charges_by_key_and_by_charge_id() {
        let mut ledger = correct_ledger();
        ledger.push(LedgerEntry::credit(6, 5_000, t(5), "SG"));
        // A retry that slipped past idempotency: same key.
        ledger.push(LedgerEntry::charge(7, 400, t(6), "SG").with_key("k1"));
        // A client that regenerated its key on retry: same order, new key.
        ledger.push(
            LedgerEntry::charge(8, 600, t(7), "SG")
                .with_key("k2-retry")
                .with_charge_id("order-2"),
        );
        let r = check_ledger(&ledger);
        assert_eq!(r.double_charges, 2, "{r:?}");
        assert_eq!(r.overspends, 0);
        let bases: Vec<DuplicateBasis> = r
            .examples
            .iter()
            .filter_map(|v| match v {
                Violation::DoubleCharge { basis, .. } => Some(*basis),
                _ => None,
            })
            .collect();
        assert_eq!(
            bases,
            [DuplicateBasis::IdempotencyKey, DuplicateBasis::ChargeId]
        );
    }

    #[test]
    fn finds_an_entry_applied_twice_as_an_order_break() {
        let mut ledger = correct_ledger();
        ledger.insert(2, ledger[1].clone());
        let r = check_ledger(&ledger);
        assert_eq!(r.order_breaks, 1);
        assert_eq!(r.double_charges, 1);
    }

    #[test]
    fn replicas_holding_copies_of_the_same_entries_are_clean() {
        let sg = correct_ledger();
        let us: Vec<LedgerEntry> = sg[..3].to_vec(); // lagging replica
        let r = check_replicas(&[("SG", &sg), ("US", &us)]);
        assert!(r.is_clean(), "{r:?}");
        assert_eq!(
            (r.ledgers, r.entries_checked, r.distinct_entries),
            (2, 8, 5)
        );
    }

    #[test]
    fn finds_a_combined_overspend_and_a_cross_region_double_charge() {
        // Multi-leader without escrow: both regions see the 1000 credit and each accepts a 700
        // charge; the US one is a retry of the SG one under the same key.
        let credit = LedgerEntry::credit(1, 1_000, t(0), "SG");
        let sg = vec![
            credit.clone(),
            LedgerEntry::charge(2, 700, t(10), "SG").with_key("pay-9"),
        ];
        let us = vec![
            credit,
            LedgerEntry::charge(1, 700, t(12), "US").with_key("pay-9"),
        ];
        let r = check_replicas(&[("SG", &sg), ("US", &us)]);
        assert_eq!(r.overspends, 1, "{r:?}");
        assert_eq!(r.double_charges, 1);
        assert!(r.examples.contains(&Violation::CombinedOverspend {
            credits: 1_000,
            refunds: 0,
            charges: 1_400,
            balance: -400,
        }));
        assert!(r.examples.iter().any(|v| matches!(
            v,
            Violation::DoubleCharge { again, .. } if again.region == "US"
        )));
    }

    #[test]
    fn finds_divergent_replicas() {
        let sg = vec![LedgerEntry::credit(1, 1_000, t(0), "SG")];
        let us = vec![LedgerEntry::credit(1, 9_000, t(0), "SG")];
        let r = check_replicas(&[("SG", &sg), ("US", &us)]);
        assert_eq!(r.divergent_entries, 1);
        assert!(matches!(
            &r.examples[..],
            [Violation::Divergent { first_replica, other_replica, .. }]
                if first_replica == "SG" && other_replica == "US"
        ));
    }

    #[test]
    fn examples_are_capped_but_counts_are_exact() {
        let ledger: Vec<LedgerEntry> = (1..=100)
            .map(|i| LedgerEntry::charge(i, 1, t(i), "SG"))
            .collect();
        let r = check_ledger(&ledger);
        assert_eq!(r.overspends, 100);
        assert_eq!(r.examples.len(), MAX_EXAMPLES);
    }

    #[test]
    fn reports_round_trip_through_json() {
        let ledger = vec![
            LedgerEntry::charge(1, u64::MAX, t(0), "SG").with_key("k"),
            LedgerEntry::charge(2, u64::MAX, t(1), "SG").with_key("k"),
        ];
        let r = check_ledger(&ledger);
        assert!(r.examples.contains(&Violation::Overspend {
            replica: None,
            entry: EntryRef::from(&ledger[1]),
            balance_after: i64::MIN,
        }));
        let json = serde_json::to_string(&r).unwrap();
        assert!(json.contains("\"violation\":\"double_charge\""), "{json}");
        let back: LedgerViolations = serde_json::from_str(&json).unwrap();
        assert_eq!(back, r);
    }
}
