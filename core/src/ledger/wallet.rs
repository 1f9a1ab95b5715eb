//! A wallet: an append-only ledger, the balance it implies, a version, and the checks that guard
//! every write (idempotency, optimistic locking, no overspend).

use alloc::boxed::Box;
use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use super::entry::{EntryKind, LedgerEntry, fold_balance};
use super::error::LedgerError;
use super::idempotency::{IdempotencyStore, KeyStatus};
use super::request::{ChargeRequest, CreditRequest, Receipt, RefundRequest, RequestFingerprint};
use crate::time::{SimDuration, SimTime};

/// One wallet on its leader region.
///
/// The ledger is the source of truth: entries are only ever appended, and [`balance`] is a cache
/// of [`derived_balance`] (the fold of the entries) kept in step on every append. The version is
/// the number of entries, so any successful write moves it by exactly one and a refused or
/// replayed request leaves it alone.
///
/// Every write goes through the same gate, in this order:
///
/// 1. the amount must be positive and charges and refunds must carry an idempotency key;
/// 2. a key remembered within its TTL replays the first answer (even if the version has moved
///    since, which it will have after a successful first attempt), or is refused as reused if the
///    request differs;
/// 3. an `expected_version` that is not the current version is a [`LedgerError::VersionConflict`];
/// 4. the request itself is decided (a charge above the balance is refused as
///    [`LedgerError::InsufficientFunds`]), and the decision is remembered under the key.
///
/// [`balance`]: Wallet::balance
/// [`derived_balance`]: Wallet::derived_balance
#[derive(Debug, Clone)]
pub struct Wallet {
    region: String,
    entries: Vec<LedgerEntry>,
    balance: u64,
    refunded: BTreeMap<u64, u64>,
    idempotency: IdempotencyStore,
}

impl Wallet {
    /// An empty wallet led from `region`, remembering idempotency keys for `key_ttl`.
    pub fn new(region: impl Into<String>, key_ttl: SimDuration) -> Self {
        Wallet {
            region: region.into(),
            entries: Vec::new(),
            balance: 0,
            refunded: BTreeMap::new(),
            idempotency: IdempotencyStore::new(key_ttl),
        }
    }

    /// The region that applies this wallet's writes; stamped on every entry.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// The ledger, oldest entry first.
    pub fn entries(&self) -> &[LedgerEntry] {
        &self.entries
    }

    /// The balance in minor units (the cached fold of the ledger; never negative).
    pub const fn balance(&self) -> u64 {
        self.balance
    }

    /// The balance recomputed from the ledger; always equal to [`balance`](Self::balance).
    pub fn derived_balance(&self) -> i128 {
        fold_balance(&self.entries)
    }

    /// The version: how many entries the ledger holds. A client reads it with the balance and
    /// names it in `expected_version` to make its write conditional.
    pub fn version(&self) -> u64 {
        self.entries.len() as u64
    }

    /// The idempotency keys this wallet currently remembers.
    pub const fn idempotency(&self) -> &IdempotencyStore {
        &self.idempotency
    }

    /// Forgets idempotency keys whose TTL has run out by `now`; returns how many.
    pub fn purge_expired(&mut self, now: SimTime) -> usize {
        self.idempotency.advance(now)
    }

    /// Takes `req.amount_minor` out of the wallet, exactly once per idempotency key within its
    /// TTL. Refused with [`LedgerError::InsufficientFunds`] if the balance is smaller.
    pub fn charge(&mut self, req: &ChargeRequest) -> Result<Receipt, LedgerError> {
        let fp = RequestFingerprint::from(req);
        let balance = self.balance;
        let amount = req.amount_minor;
        self.gate(Some(&req.key), fp, req.expected_version, req.at, |_| {
            if amount > balance {
                Err(LedgerError::InsufficientFunds { balance, amount })
            } else {
                Ok(())
            }
        })
    }

    /// Adds `req.amount_minor` to the wallet; idempotent if the request carries a key.
    pub fn credit(&mut self, req: &CreditRequest) -> Result<Receipt, LedgerError> {
        let fp = RequestFingerprint::from(req);
        let (balance, amount) = (self.balance, req.amount_minor);
        self.gate(req.key.as_deref(), fp, req.expected_version, req.at, |_| {
            overflow_check(balance, amount)
        })
    }

    /// Gives back `req.amount_minor` of the charge at `req.charge_seq`, never more in total than
    /// the charge took.
    pub fn refund(&mut self, req: &RefundRequest) -> Result<Receipt, LedgerError> {
        let fp = RequestFingerprint::from(req);
        let (balance, amount, charge_seq) = (self.balance, req.amount_minor, req.charge_seq);
        self.gate(Some(&req.key), fp, req.expected_version, req.at, |w| {
            let charged = w
                .entry(charge_seq)
                .filter(|e| e.kind == EntryKind::Charge)
                .map(|e| e.amount_minor)
                .ok_or(LedgerError::UnknownCharge { charge_seq })?;
            let already = w.refunded.get(&charge_seq).copied().unwrap_or(0);
            let refundable = charged.saturating_sub(already);
            if amount > refundable {
                return Err(LedgerError::RefundExceedsCharge {
                    charge_seq,
                    refundable,
                    amount,
                });
            }
            overflow_check(balance, amount)
        })
    }

    /// The entry with `seq`, if this wallet has one.
    pub fn entry(&self, seq: u64) -> Option<&LedgerEntry> {
        let index = usize::try_from(seq.checked_sub(1)?).ok()?;
        self.entries.get(index)
    }

    /// The common path of every write: validation, idempotency, version check, decision, append.
    fn gate(
        &mut self,
        key: Option<&str>,
        fp: RequestFingerprint,
        expected_version: Option<u64>,
        at: SimTime,
        decide: impl FnOnce(&Self) -> Result<(), LedgerError>,
    ) -> Result<Receipt, LedgerError> {
        if fp.amount_minor == 0 {
            return Err(LedgerError::InvalidAmount {
                amount: fp.amount_minor,
            });
        }
        if key.is_some_and(str::is_empty) || (key.is_none() && fp.kind != EntryKind::Credit) {
            return Err(LedgerError::MissingIdempotencyKey);
        }
        match key {
            Some(k) => match self.idempotency.check(k, &fp, at) {
                KeyStatus::New => {}
                KeyStatus::Replay(outcome) => return outcome,
                KeyStatus::Reused { first } => {
                    return Err(LedgerError::IdempotencyKeyReused {
                        key: String::from(k),
                        first: Box::new(first),
                        now: Box::new(fp),
                    });
                }
            },
            None => {
                self.idempotency.advance(at);
            }
        }
        let current = self.version();
        if let Some(expected) = expected_version
            && expected != current
        {
            return Err(LedgerError::version_conflict(expected, current));
        }
        let outcome = decide(self).map(|()| self.append(key, &fp, at));
        if let Some(k) = key
            && outcome.as_ref().err().is_none_or(LedgerError::is_recorded)
        {
            self.idempotency.record(k, fp, outcome.clone());
        }
        outcome
    }

    /// Appends the entry for an accepted request and keeps the caches in step. The caller has
    /// checked that the balance neither goes negative nor overflows.
    fn append(&mut self, key: Option<&str>, fp: &RequestFingerprint, at: SimTime) -> Receipt {
        let seq = self.version().saturating_add(1);
        let amount = fp.amount_minor;
        self.balance = match fp.kind {
            EntryKind::Charge => self.balance.saturating_sub(amount),
            EntryKind::Credit | EntryKind::Refund => self.balance.saturating_add(amount),
        };
        if let (EntryKind::Refund, Some(charge)) = (fp.kind, fp.refund_of) {
            let total = self.refunded.entry(charge).or_insert(0);
            *total = total.saturating_add(amount);
        }
        self.entries.push(LedgerEntry {
            seq,
            kind: fp.kind,
            amount_minor: amount,
            idempotency_key: key.map(String::from),
            charge_id: fp.charge_id.clone(),
            refund_of: fp.refund_of,
            at,
            region: self.region.clone(),
        });
        Receipt {
            seq,
            kind: fp.kind,
            amount_minor: amount,
            balance_after: self.balance,
            version: seq,
            at,
            replayed: false,
        }
    }
}

fn overflow_check(balance: u64, amount: u64) -> Result<(), LedgerError> {
    match balance.checked_add(amount) {
        Some(_) => Ok(()),
        None => Err(LedgerError::BalanceOverflow { balance, amount }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::check::check_ledger;

    const TTL: SimDuration = SimDuration::from_secs(60);

    fn t(ms: u64) -> SimTime {
        SimTime(0) + SimDuration::from_millis(ms)
    }

    fn funded(amount: u64) -> Wallet {
        let mut w = Wallet::new("SG", TTL);
        w.credit(&CreditRequest::new(amount, t(0))).unwrap();
        w
    }

    #[test]
    fn derived_balance_equals_the_folded_entries() {
        let mut w = funded(1_000);
        let c = w.charge(&ChargeRequest::new("a", 300, t(1))).unwrap();
        w.credit(&CreditRequest::new(50, t(2)).with_key("top-up"))
            .unwrap();
        w.refund(&RefundRequest::new("r", c.seq, 100, t(3)))
            .unwrap();
        w.charge(&ChargeRequest::new("b", 850, t(4))).unwrap();
        assert_eq!(w.balance(), 0);
        assert_eq!(w.derived_balance(), i128::from(w.balance()));
        assert_eq!(w.derived_balance(), fold_balance(w.entries()));
        assert_eq!(w.version(), 5);
        let seqs: Vec<u64> = w.entries().iter().map(|e| e.seq).collect();
        assert_eq!(seqs, [1, 2, 3, 4, 5]);
        assert!(w.entries().iter().all(|e| e.region == "SG"));
        assert!(check_ledger(w.entries()).is_clean());
    }

    #[test]
    fn a_retry_within_the_ttl_returns_the_first_receipt_and_appends_nothing() {
        let mut w = funded(1_000);
        let req = ChargeRequest::new("pay-1", 400, t(10)).expecting(1);
        let first = w.charge(&req).unwrap();
        assert!(!first.replayed);
        let len = w.entries().len();

        // The same request again, later: its expected version is now stale, yet it is a retry.
        let mut retry = req.clone();
        retry.at = t(59_999);
        let again = w.charge(&retry).unwrap();
        assert_eq!(
            again,
            Receipt {
                replayed: true,
                ..first.clone()
            }
        );
        assert_eq!(w.entries().len(), len);
        assert_eq!(w.balance(), 600);
    }

    #[test]
    fn after_the_ttl_the_key_is_forgotten_and_a_retry_charges_again() {
        // The TTL trade-off: memory is bounded, but a retry slower than the TTL is a new charge.
        let mut w = funded(1_000);
        w.charge(&ChargeRequest::new("pay-1", 400, t(0))).unwrap();
        let late = w
            .charge(&ChargeRequest::new("pay-1", 400, t(60_000)))
            .unwrap();
        assert!(!late.replayed);
        assert_eq!(w.balance(), 200);
        assert_eq!(w.idempotency().len(), 1);
        // The checker, which ignores TTLs, sees it for what it probably is.
        let report = check_ledger(w.entries());
        assert_eq!(report.double_charges, 1);
    }

    #[test]
    fn version_conflicts_carry_the_current_version_and_a_retry_hint() {
        let mut w = funded(1_000);
        let read_version = w.version();
        w.charge(&ChargeRequest::new("other", 100, t(1))).unwrap();
        let req = ChargeRequest::new("mine", 200, t(2)).expecting(read_version);
        let err = w.charge(&req).unwrap_err();
        match &err {
            LedgerError::VersionConflict {
                expected,
                current,
                hint,
            } => {
                assert_eq!((*expected, *current), (1, 2));
                assert!(hint.contains("re-read") && hint.contains("retry"));
            }
            other => panic!("expected a version conflict, got {other:?}"),
        }
        assert_eq!(w.version(), 2);
        // Conflicts are not remembered: re-read, retry with the same key, and it applies.
        let ok = w.charge(&req.clone().expecting(w.version())).unwrap();
        assert_eq!((ok.version, ok.balance_after), (3, 700));
    }

    #[test]
    fn overspend_is_refused_and_the_refusal_is_remembered_under_its_key() {
        let mut w = funded(100);
        let err = w.charge(&ChargeRequest::new("big", 101, t(1))).unwrap_err();
        assert_eq!(
            err,
            LedgerError::InsufficientFunds {
                balance: 100,
                amount: 101
            }
        );
        assert_eq!((w.version(), w.balance()), (1, 100));
        w.credit(&CreditRequest::new(50, t(2))).unwrap();
        // Same key: the first answer stands. A new key is a new attempt.
        assert_eq!(
            w.charge(&ChargeRequest::new("big", 101, t(3))).unwrap_err(),
            err
        );
        assert!(w.charge(&ChargeRequest::new("big-2", 101, t(4))).is_ok());
        assert_eq!(w.balance(), 49);
        // Spending exactly everything is fine.
        assert!(w.charge(&ChargeRequest::new("rest", 49, t(5))).is_ok());
        assert_eq!(w.balance(), 0);
    }

    #[test]
    fn a_key_reused_for_a_different_request_is_refused() {
        let mut w = funded(1_000);
        w.charge(&ChargeRequest::new("k", 100, t(1))).unwrap();
        let err = w.charge(&ChargeRequest::new("k", 150, t(2))).unwrap_err();
        assert!(matches!(err, LedgerError::IdempotencyKeyReused { ref key, .. } if key == "k"));
        let err = w
            .credit(&CreditRequest::new(100, t(3)).with_key("k"))
            .unwrap_err();
        assert!(matches!(err, LedgerError::IdempotencyKeyReused { .. }));
        assert_eq!(w.version(), 2);
    }

    #[test]
    fn refunds_are_bounded_by_their_charge() {
        let mut w = funded(1_000);
        let c = w.charge(&ChargeRequest::new("c", 300, t(1))).unwrap();
        assert!(
            w.refund(&RefundRequest::new("r1", c.seq, 200, t(2)))
                .is_ok()
        );
        assert_eq!(
            w.refund(&RefundRequest::new("r2", c.seq, 101, t(3)))
                .unwrap_err(),
            LedgerError::RefundExceedsCharge {
                charge_seq: c.seq,
                refundable: 100,
                amount: 101
            }
        );
        assert_eq!(
            w.refund(&RefundRequest::new("r3", 1, 1, t(4))).unwrap_err(),
            LedgerError::UnknownCharge { charge_seq: 1 }
        );
        for seq in [0, 99, u64::MAX] {
            assert!(w.refund(&RefundRequest::new("r4", seq, 1, t(5))).is_err());
        }
        assert_eq!(w.balance(), 900);
    }

    #[test]
    fn malformed_requests_are_refused_without_side_effects() {
        let mut w = funded(u64::MAX);
        assert_eq!(
            w.charge(&ChargeRequest::new("k", 0, t(1))).unwrap_err(),
            LedgerError::InvalidAmount { amount: 0 }
        );
        assert_eq!(
            w.charge(&ChargeRequest::new("", 5, t(1))).unwrap_err(),
            LedgerError::MissingIdempotencyKey
        );
        assert!(matches!(
            w.credit(&CreditRequest::new(1, t(1))).unwrap_err(),
            LedgerError::BalanceOverflow { .. }
        ));
        assert_eq!((w.version(), w.balance()), (1, u64::MAX));
        assert!(w.idempotency().is_empty());
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod props {
    use super::*;
    use crate::ledger::check::check_ledger;
    use alloc::format;
    use proptest::prelude::*;

    const TTL_MS: u64 = 2_000;

    #[derive(Debug, Clone)]
    enum Op {
        Credit(u64),
        Charge { key: u8, amount: u64, stale: bool },
        Retry(usize),
        Wait(u64),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            2 => (1u64..1_000).prop_map(Op::Credit),
            4 => (0u8..12, 1u64..1_500, any::<bool>())
                .prop_map(|(key, amount, stale)| Op::Charge { key, amount, stale }),
            3 => any::<usize>().prop_map(Op::Retry),
            2 => (0u64..1_500).prop_map(Op::Wait),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn balance_is_never_negative_and_keys_apply_once_per_ttl(
            ops in proptest::collection::vec(op(), 1..120)
        ) {
            let ttl = SimDuration::from_millis(TTL_MS);
            let mut w = Wallet::new("SG", ttl);
            let mut now = SimTime::ZERO;
            let mut credits: i128 = 0;
            let mut charged: i128 = 0;
            let mut sent: Vec<ChargeRequest> = Vec::new();
            let mut first_answer: BTreeMap<String, (SimTime, Result<Receipt, LedgerError>)> =
                BTreeMap::new();

            for op in ops {
                let req = match op {
                    Op::Credit(amount) => {
                        let r = w.credit(&CreditRequest::new(amount, now)).unwrap();
                        credits += i128::from(r.amount_minor);
                        None
                    }
                    Op::Wait(ms) => {
                        now += SimDuration::from_millis(ms);
                        None
                    }
                    Op::Charge { key, amount, stale } => {
                        let mut r = ChargeRequest::new(format!("key-{key}"), amount, now);
                        if stale {
                            r.expected_version = Some(w.version().wrapping_sub(1));
                        }
                        Some(r)
                    }
                    Op::Retry(i) if !sent.is_empty() => {
                        let mut r = sent[i % sent.len()].clone();
                        r.at = now;
                        Some(r)
                    }
                    Op::Retry(_) => None,
                };
                let Some(req) = req else { continue };
                let before = w.entries().len();
                let out = w.charge(&req);
                sent.push(req.clone());

                // A key seen within its TTL with the same request gets its first answer back.
                let live = first_answer
                    .get(&req.key)
                    .filter(|(at, _)| now < *at + ttl)
                    .cloned();
                match (&live, &out) {
                    (Some((_, Ok(first))), Ok(r)) => {
                        prop_assert!(r.replayed);
                        prop_assert_eq!(r, &Receipt { replayed: true, ..first.clone() });
                    }
                    (Some((_, Err(first))), Err(e)) => {
                        let reused = matches!(e, LedgerError::IdempotencyKeyReused { .. });
                        prop_assert!(e == first || reused, "{:?}", e);
                    }
                    (Some((_, Ok(_))), Err(e)) => prop_assert!(
                        matches!(e, LedgerError::IdempotencyKeyReused { .. }),
                        "{:?}", e
                    ),
                    (Some((_, Err(_))), Ok(_)) => {
                        prop_assert!(false, "a remembered refusal turned into a charge");
                    }
                    (None, _) => {}
                }
                match &out {
                    Ok(r) if !r.replayed => {
                        prop_assert!(live.is_none(), "key {} applied twice within its TTL", req.key);
                        prop_assert_eq!(w.entries().len(), before + 1);
                        charged += i128::from(r.amount_minor);
                    }
                    _ => prop_assert_eq!(w.entries().len(), before),
                }
                if live.is_none() {
                    if let Ok(r) = &out {
                        first_answer.insert(req.key.clone(), (now, Ok(r.clone())));
                    } else if let Err(e) = &out
                        && e.is_recorded()
                    {
                        first_answer.insert(req.key.clone(), (now, Err(e.clone())));
                    }
                }

                prop_assert!(w.derived_balance() >= 0);
                prop_assert_eq!(w.derived_balance(), i128::from(w.balance()));
                prop_assert_eq!(w.derived_balance(), credits - charged);
            }

            // Over the whole ledger: two charges under one key are at least a TTL apart.
            let mut last: BTreeMap<&str, SimTime> = BTreeMap::new();
            for e in w.entries().iter().filter(|e| e.kind == EntryKind::Charge) {
                let key = e.idempotency_key.as_deref().unwrap_or_default();
                if let Some(prev) = last.insert(key, e.at) {
                    prop_assert!(e.at - prev >= ttl, "key {} reapplied after {}", key, e.at - prev);
                }
            }
            prop_assert_eq!(check_ledger(w.entries()).overspends, 0);
        }
    }
}
