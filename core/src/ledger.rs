//! Wallet ledgers: an append-only record of money in and out, the balance derived from it, and
//! the three mechanisms that keep a charge path correct under retries, concurrency and
//! replication.
//!
//! ## The model
//!
//! A [`Wallet`] owns a ledger of [`LedgerEntry`] values, each a [`EntryKind::Credit`],
//! [`EntryKind::Charge`] or [`EntryKind::Refund`] of a positive amount in minor units (integers,
//! never floats). Entries are only appended, never edited or deleted; a mistake is corrected by
//! a new entry (a refund), so the ledger is also the audit trail. The balance is not stored as
//! truth: it is [`fold_balance`] over the entries (credits and refunds minus charges). The wallet
//! caches it for speed, and the cache must always equal the fold. The wallet's version is the
//! number of entries.
//!
//! ## Invariants
//!
//! 1. **No overspend**: the balance after every entry is at least zero.
//! 2. **Exactly-once effects**: one client operation produces at most one entry, however many
//!    times the request is delivered.
//! 3. **Append-only**: an entry, once written, never changes; `seq` grows by one per entry.
//! 4. **Derived balance**: the balance equals the fold of the ledger.
//!
//! ## When each mechanism matters
//!
//! * **Idempotency keys** ([`IdempotencyStore`]) matter whenever a request can be delivered more
//!   than once: a client times out and retries, a region forwards a charge to the leader and the
//!   reply is lost, a queue redelivers. The client generates a key per logical operation and
//!   resends it unchanged; the wallet answers a repeat with the first answer (receipt or
//!   refusal) and applies nothing. Keys are remembered for a TTL in simulated time, so memory is
//!   bounded by the keys seen within one TTL; the price is that a retry slower than the TTL is
//!   applied again (see the store's docs for choosing it).
//! * **Optimistic locking** (`expected_version` on a request) matters when a client decides based
//!   on what it read: "the balance is 120, so a 100 charge is fine". If another write landed in
//!   between, the wallet refuses with [`LedgerError::VersionConflict`], carrying the current
//!   version and a hint to re-read and retry. Idempotency is checked first, so the retry of a
//!   charge that already succeeded (and so moved the version) still gets its receipt back rather
//!   than a conflict.
//! * **The overspend check** matters on every charge, and is only sound where one writer sees
//!   every charge, such as a single leader. It is what [`LedgerError::InsufficientFunds`] enforces.
//! * **The checker** ([`check_ledger`], [`check_replicas`]) matters after the fact: for ledgers
//!   written by designs that cannot enforce the invariants locally (multi-leader regions each
//!   accepting charges against the same money), for retries that outlived the TTL, and as the
//!   oracle in tests. It returns a serde [`LedgerViolations`] report with exact counts and
//!   examples.
//!
//! ## What uses it
//!
//! The ledger is a library for code that keeps real wallets (and the reference its own tests
//! check against); the simulator does not run it. The simulator's wallets (`lww_balance`,
//! `counter_balance` and `escrow` entities) model the same mechanisms in aggregate, one number
//! per key and replica, so that a run of millions of charges stays fast:
//!
//! * its idempotency keys (`writes.idempotency_keys`) are an [`IdempotencyStore`] whose TTL
//!   outlives every retry: a retry of an applied write returns the first result, and without
//!   keys it is applied again, which the run counts as a duplicate apply (a double charge);
//! * its overspend check is [`LedgerError::InsufficientFunds`] against the accepting region's
//!   view of the balance, sound only where that view sees every charge;
//! * its escrow is the CRDT [`BoundedCounter`](crate::crdt::BoundedCounter) without transfers:
//!   the opening balance split into rights per region, a charge refused above the region's
//!   rights. A differential test drives the simulator's wallet and a `BoundedCounter` with the
//!   same charges and checks they accept and refuse the same ones.
//!
//! ```
//! use meridian_core::ledger::{ChargeRequest, CreditRequest, LedgerError, Wallet, check_ledger};
//! use meridian_core::time::{SimDuration, SimTime};
//!
//! let mut wallet = Wallet::new("SG", SimDuration::from_secs(24 * 3600));
//! wallet.credit(&CreditRequest::new(10_000, SimTime(0))).unwrap();
//!
//! let read = wallet.version();
//! let charge = ChargeRequest::new("order-42-attempt", 2_500, SimTime(1_000)).expecting(read);
//! let first = wallet.charge(&charge).unwrap();
//! let retry = wallet.charge(&charge).unwrap(); // a lost reply, resent
//! assert!(retry.replayed && retry.seq == first.seq);
//! assert_eq!(wallet.balance(), 7_500);
//!
//! let too_much = ChargeRequest::new("order-43", 9_000, SimTime(2_000));
//! assert!(matches!(wallet.charge(&too_much), Err(LedgerError::InsufficientFunds { .. })));
//! assert!(check_ledger(wallet.entries()).is_clean());
//! ```

mod check;
mod entry;
mod error;
mod idempotency;
mod request;
mod wallet;

pub use check::{
    DuplicateBasis, EntryRef, LedgerViolations, MAX_EXAMPLES, Violation, check_ledger,
    check_replicas,
};
pub use entry::{EntryKind, LedgerEntry, fold_balance};
pub use error::LedgerError;
pub use idempotency::{IdempotencyRecord, IdempotencyStore, KeyStatus};
pub use request::{
    ChargeReceipt, ChargeRequest, CreditRequest, Receipt, RefundRequest, RequestFingerprint,
};
pub use wallet::Wallet;
