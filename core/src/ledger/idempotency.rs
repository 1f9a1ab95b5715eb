//! Remembering the first answer to each idempotency key for a while, in bounded memory.

use alloc::collections::{BTreeMap, VecDeque};
use alloc::string::String;

use serde::{Deserialize, Serialize};

use super::error::LedgerError;
use super::request::{Receipt, RequestFingerprint};
use crate::time::{SimDuration, SimTime};

/// The first answer given under one idempotency key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdempotencyRecord {
    /// What the first request asked for; a retry must match it.
    pub fingerprint: RequestFingerprint,
    /// The first answer: the receipt, or the recorded refusal.
    pub outcome: Result<Receipt, LedgerError>,
    /// When the key was first recorded.
    pub recorded_at: SimTime,
    /// When the key is forgotten: `recorded_at + ttl`. The record is live strictly before.
    pub expires_at: SimTime,
}

/// What the store knows about a key, as answered by [`IdempotencyStore::check`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyStatus {
    /// Not seen within the TTL: process the request, then [`record`](IdempotencyStore::record)
    /// its outcome.
    New,
    /// A retry of a remembered request: return this outcome and apply nothing. A receipt comes
    /// back with `replayed` set.
    Replay(Result<Receipt, LedgerError>),
    /// The key is remembered for a different request; refuse this one.
    Reused {
        /// What the key was first used for.
        first: RequestFingerprint,
    },
}

/// Idempotency keys mapped to their first outcome, each forgotten `ttl` after it was recorded.
///
/// Records live in a `BTreeMap` (ordered, deterministic, no hashing) and their expiry times in a
/// queue in recording order. The store keeps its own clock, the latest time it has been shown, so
/// the queue stays sorted by expiry even if requests arrive with out-of-order timestamps; each
/// call purges the expired front of the queue first. Memory therefore holds only the keys
/// recorded within the last `ttl` of simulated time.
///
/// ## The TTL trade-off
///
/// A retry that arrives after its key expired is indistinguishable from a new request and *is
/// applied again*. A longer TTL covers slower retries (clients that back off for minutes, queues
/// that redeliver after an outage) at the cost of memory proportional to the request rate times
/// the TTL; a shorter one bounds memory but widens the window for double charges. Pick a TTL
/// longer than the longest retry horizon of any client, and use the ledger checker's
/// double-charge report (which ignores TTLs) to see what slipped through.
#[derive(Debug, Clone)]
pub struct IdempotencyStore {
    ttl: SimDuration,
    now: SimTime,
    records: BTreeMap<String, IdempotencyRecord>,
    expiry: VecDeque<(SimTime, String)>,
}

impl IdempotencyStore {
    /// An empty store whose keys live for `ttl`. A zero TTL remembers nothing.
    pub fn new(ttl: SimDuration) -> Self {
        IdempotencyStore {
            ttl,
            now: SimTime::ZERO,
            records: BTreeMap::new(),
            expiry: VecDeque::new(),
        }
    }

    /// How long a key is remembered.
    pub const fn ttl(&self) -> SimDuration {
        self.ttl
    }

    /// The store's clock: the latest time it has been shown.
    pub const fn now(&self) -> SimTime {
        self.now
    }

    /// How many keys are remembered.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// Whether no key is remembered.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Moves the clock to `now` (never backwards) and forgets every key whose TTL has run out.
    /// Returns how many were forgotten.
    pub fn advance(&mut self, now: SimTime) -> usize {
        if now > self.now {
            self.now = now;
        }
        let mut purged = 0;
        while let Some((expires_at, _)) = self.expiry.front() {
            if *expires_at > self.now {
                break;
            }
            if let Some((expires_at, key)) = self.expiry.pop_front() {
                // Only drop the record this queue slot was made for.
                if self
                    .records
                    .get(&key)
                    .is_some_and(|r| r.expires_at == expires_at)
                {
                    self.records.remove(&key);
                    purged += 1;
                }
            }
        }
        purged
    }

    /// The live record for `key`, if any, as of the store's clock.
    pub fn get(&self, key: &str) -> Option<&IdempotencyRecord> {
        self.records.get(key).filter(|r| r.expires_at > self.now)
    }

    /// Advances the clock to `now`, then says whether a request with `key` and `fingerprint` is
    /// new, a retry to replay, or a reuse of the key for something else.
    pub fn check(
        &mut self,
        key: &str,
        fingerprint: &RequestFingerprint,
        now: SimTime,
    ) -> KeyStatus {
        self.advance(now);
        match self.get(key) {
            None => KeyStatus::New,
            Some(r) if r.fingerprint == *fingerprint => {
                let mut outcome = r.outcome.clone();
                if let Ok(receipt) = &mut outcome {
                    receipt.replayed = true;
                }
                KeyStatus::Replay(outcome)
            }
            Some(r) => KeyStatus::Reused {
                first: r.fingerprint.clone(),
            },
        }
    }

    /// Remembers `outcome` as the answer to `key` until the store's clock plus the TTL. The first
    /// answer wins: if `key` is already live, nothing changes and `false` is returned. With a zero
    /// TTL nothing is stored.
    pub fn record(
        &mut self,
        key: &str,
        fingerprint: RequestFingerprint,
        outcome: Result<Receipt, LedgerError>,
    ) -> bool {
        if self.ttl == SimDuration::ZERO || self.get(key).is_some() {
            return false;
        }
        let expires_at = self.now + self.ttl;
        self.records.insert(
            String::from(key),
            IdempotencyRecord {
                fingerprint,
                outcome,
                recorded_at: self.now,
                expires_at,
            },
        );
        self.expiry.push_back((expires_at, String::from(key)));
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::EntryKind;

    fn fp(amount_minor: u64) -> RequestFingerprint {
        RequestFingerprint {
            kind: EntryKind::Charge,
            amount_minor,
            charge_id: None,
            refund_of: None,
        }
    }

    fn receipt(seq: u64) -> Receipt {
        Receipt {
            seq,
            kind: EntryKind::Charge,
            amount_minor: 5,
            balance_after: 0,
            version: seq,
            at: SimTime::ZERO,
            replayed: false,
        }
    }

    #[test]
    fn replays_within_ttl_and_forgets_at_expiry() {
        let mut s = IdempotencyStore::new(SimDuration::from_secs(10));
        assert_eq!(s.check("a", &fp(5), SimTime(0)), KeyStatus::New);
        assert!(s.record("a", fp(5), Ok(receipt(1))));
        let t = SimTime(0) + SimDuration::from_secs(10);
        match s.check("a", &fp(5), SimTime(t.0 - 1)) {
            KeyStatus::Replay(Ok(r)) => {
                assert!(r.replayed);
                assert_eq!(r.seq, 1);
            }
            other => panic!("expected a replay, got {other:?}"),
        }
        assert_eq!(s.check("a", &fp(5), t), KeyStatus::New);
        assert!(s.is_empty());
    }

    #[test]
    fn a_different_payload_under_a_live_key_is_reuse() {
        let mut s = IdempotencyStore::new(SimDuration::from_secs(1));
        s.check("a", &fp(5), SimTime(0));
        s.record("a", fp(5), Ok(receipt(1)));
        assert_eq!(
            s.check("a", &fp(6), SimTime(10)),
            KeyStatus::Reused { first: fp(5) }
        );
    }

    #[test]
    fn the_first_answer_wins_and_errors_replay_too() {
        let mut s = IdempotencyStore::new(SimDuration::from_secs(1));
        let refused = LedgerError::InsufficientFunds {
            balance: 1,
            amount: 5,
        };
        assert!(s.record("a", fp(5), Err(refused.clone())));
        assert!(!s.record("a", fp(5), Ok(receipt(1))));
        assert_eq!(
            s.check("a", &fp(5), SimTime(1)),
            KeyStatus::Replay(Err(refused))
        );
    }

    #[test]
    fn memory_holds_only_keys_within_the_ttl() {
        let ttl = SimDuration::from_millis(100);
        let mut s = IdempotencyStore::new(ttl);
        for i in 0..10_000u64 {
            let now = SimTime(i * 1_000); // one key per simulated millisecond
            let key = alloc::format!("k{i}");
            s.check(&key, &fp(1), now);
            s.record(&key, fp(1), Ok(receipt(i + 1)));
            assert!(s.len() <= 100, "{} keys live at {now}", s.len());
        }
        s.advance(SimTime(u64::MAX));
        assert!(s.is_empty());
        assert_eq!(s.expiry.len(), 0);
    }

    #[test]
    fn time_never_runs_backwards_for_the_store() {
        let mut s = IdempotencyStore::new(SimDuration::from_micros(10));
        s.advance(SimTime(100));
        s.check("a", &fp(1), SimTime(5)); // late-stamped request
        assert_eq!(s.now(), SimTime(100));
        s.record("a", fp(1), Ok(receipt(1)));
        assert_eq!(s.get("a").map(|r| r.expires_at), Some(SimTime(110)));
    }

    #[test]
    fn zero_ttl_remembers_nothing() {
        let mut s = IdempotencyStore::new(SimDuration::ZERO);
        assert!(!s.record("a", fp(1), Ok(receipt(1))));
        assert_eq!(s.check("a", &fp(1), SimTime(0)), KeyStatus::New);
    }
}
