//! One line of a wallet's ledger, and the fold that turns a ledger into a balance.

use alloc::string::String;

use serde::{Deserialize, Serialize};

use crate::time::SimTime;

/// What an entry does to the balance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// Money in: a top-up or a transfer into the wallet. Adds to the balance.
    Credit,
    /// Money out: a purchase. Subtracts from the balance.
    Charge,
    /// Money back for an earlier charge. Adds to the balance.
    Refund,
}

impl EntryKind {
    /// The lowercase name used in reports and messages: `credit`, `charge` or `refund`.
    pub const fn name(self) -> &'static str {
        match self {
            EntryKind::Credit => "credit",
            EntryKind::Charge => "charge",
            EntryKind::Refund => "refund",
        }
    }

    /// The signed effect of `amount_minor` of this kind on a balance.
    pub const fn signed(self, amount_minor: u64) -> i128 {
        match self {
            EntryKind::Credit | EntryKind::Refund => amount_minor as i128,
            EntryKind::Charge => -(amount_minor as i128),
        }
    }
}

/// One immutable line of a ledger.
///
/// An entry is identified by the region that applied it (`region`) and its sequence number there
/// (`seq`): a replica that copies the entry keeps both, so copies of one entry on several replicas
/// can be told apart from the same charge applied twice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerEntry {
    /// Position in the applying region's ledger, starting at 1. A [`Wallet`](super::Wallet)'s
    /// version equals the `seq` of its last entry.
    pub seq: u64,
    /// Credit, charge or refund.
    pub kind: EntryKind,
    /// The amount, in minor units of the currency (cents, đồng), always positive.
    pub amount_minor: u64,
    /// The client's idempotency key for the request that produced this entry, if it had one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idempotency_key: Option<String>,
    /// The business operation a charge pays for (an order or checkout id), if known. Unlike the
    /// idempotency key, which a buggy client may regenerate on retry, it names the *logical*
    /// charge, so the checker can spot the same order paid twice under two keys.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub charge_id: Option<String>,
    /// For a refund: the `seq` of the charge it returns money for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refund_of: Option<u64>,
    /// When it was applied, in simulated time.
    pub at: SimTime,
    /// The region that applied it (the wallet's leader when it was written).
    pub region: String,
}

impl LedgerEntry {
    /// A credit of `amount_minor` with no key; handy for building ledgers by hand.
    pub fn credit(seq: u64, amount_minor: u64, at: SimTime, region: impl Into<String>) -> Self {
        Self::new(seq, EntryKind::Credit, amount_minor, at, region)
    }

    /// A charge of `amount_minor` with no key; add one with [`with_key`](Self::with_key).
    pub fn charge(seq: u64, amount_minor: u64, at: SimTime, region: impl Into<String>) -> Self {
        Self::new(seq, EntryKind::Charge, amount_minor, at, region)
    }

    /// A refund of `amount_minor` for the charge at `charge_seq`.
    pub fn refund(
        seq: u64,
        charge_seq: u64,
        amount_minor: u64,
        at: SimTime,
        region: impl Into<String>,
    ) -> Self {
        let mut e = Self::new(seq, EntryKind::Refund, amount_minor, at, region);
        e.refund_of = Some(charge_seq);
        e
    }

    fn new(
        seq: u64,
        kind: EntryKind,
        amount_minor: u64,
        at: SimTime,
        region: impl Into<String>,
    ) -> Self {
        LedgerEntry {
            seq,
            kind,
            amount_minor,
            idempotency_key: None,
            charge_id: None,
            refund_of: None,
            at,
            region: region.into(),
        }
    }

    /// The same entry with idempotency key `key`.
    pub fn with_key(mut self, key: impl Into<String>) -> Self {
        self.idempotency_key = Some(key.into());
        self
    }

    /// The same entry with logical charge id `id`.
    pub fn with_charge_id(mut self, id: impl Into<String>) -> Self {
        self.charge_id = Some(id.into());
        self
    }

    /// This entry's signed effect on the balance: positive for credits and refunds.
    pub const fn delta(&self) -> i128 {
        self.kind.signed(self.amount_minor)
    }
}

/// The balance a ledger implies: credits plus refunds minus charges, in minor units.
///
/// This is the definition of a balance; any cached balance must equal it. It is signed so that a
/// corrupt or merged ledger that overspends shows as negative instead of wrapping, and it
/// saturates rather than overflowing (no realistic ledger comes near `i128`'s range).
pub fn fold_balance<'a>(entries: impl IntoIterator<Item = &'a LedgerEntry>) -> i128 {
    entries
        .into_iter()
        .fold(0i128, |acc, e| acc.saturating_add(e.delta()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    #[test]
    fn fold_adds_credits_and_refunds_and_subtracts_charges() {
        let t = SimTime(0);
        let ledger = vec![
            LedgerEntry::credit(1, 1_000, t, "SG"),
            LedgerEntry::charge(2, 300, t, "SG").with_key("k1"),
            LedgerEntry::refund(3, 2, 100, t, "SG"),
            LedgerEntry::charge(4, 900, t, "SG"),
        ];
        assert_eq!(fold_balance(&ledger), 1_000 - 300 + 100 - 900);
        assert_eq!(fold_balance(&[]), 0);
    }

    #[test]
    fn extreme_amounts_do_not_overflow() {
        let t = SimTime(0);
        let ledger = vec![
            LedgerEntry::charge(1, u64::MAX, t, "US"),
            LedgerEntry::charge(2, u64::MAX, t, "US"),
        ];
        assert_eq!(fold_balance(&ledger), -2 * (u64::MAX as i128));
    }

    #[test]
    fn entries_round_trip_through_json_and_omit_empty_options() {
        let e = LedgerEntry::charge(7, 250, SimTime(1_500), "SG")
            .with_key("pay-1")
            .with_charge_id("order-9");
        let json = serde_json::to_string(&e).unwrap();
        assert!(json.contains("\"kind\":\"charge\""));
        assert!(!json.contains("refund_of"));
        let back: LedgerEntry = serde_json::from_str(&json).unwrap();
        assert_eq!(back, e);
    }
}
