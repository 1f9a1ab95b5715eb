//! Why a wallet refused a request, with what to do about it.

use alloc::boxed::Box;
use alloc::format;
use alloc::string::String;
use core::fmt;

use serde::{Deserialize, Serialize};

use super::request::RequestFingerprint;

/// A request the wallet did not apply.
///
/// Each message says what happened and what the caller should do next. Which of these are
/// remembered under an idempotency key is described in [`LedgerError::is_recorded`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "error", rename_all = "snake_case")]
pub enum LedgerError {
    /// The request named a version it read, but the wallet has moved on since (another write got
    /// in between). Nothing was applied.
    VersionConflict {
        /// The version the request expected.
        expected: u64,
        /// The wallet's version now.
        current: u64,
        /// What to do: re-read and retry.
        hint: String,
    },
    /// The charge is larger than the balance; applying it would overspend. Nothing was applied.
    InsufficientFunds {
        /// The balance when the charge arrived, in minor units.
        balance: u64,
        /// The amount asked for, in minor units.
        amount: u64,
    },
    /// The idempotency key is still remembered for a *different* request (another kind, amount,
    /// charge id or refund target). Nothing was applied.
    IdempotencyKeyReused {
        /// The key.
        key: String,
        /// What the key was first used for.
        first: Box<RequestFingerprint>,
        /// What this request asked for.
        now: Box<RequestFingerprint>,
    },
    /// The amount is zero; every entry must move at least one minor unit.
    InvalidAmount {
        /// The amount given.
        amount: u64,
    },
    /// A charge or refund came without an idempotency key (or with an empty one).
    MissingIdempotencyKey,
    /// A refund names a `seq` that is not a charge in this wallet.
    UnknownCharge {
        /// The `seq` given.
        charge_seq: u64,
    },
    /// A refund asks for more than is left of its charge after earlier refunds.
    RefundExceedsCharge {
        /// The charge being refunded.
        charge_seq: u64,
        /// What can still be refunded, in minor units.
        refundable: u64,
        /// The amount asked for, in minor units.
        amount: u64,
    },
    /// A credit would push the balance past the largest representable amount.
    BalanceOverflow {
        /// The balance now, in minor units.
        balance: u64,
        /// The amount asked for, in minor units.
        amount: u64,
    },
}

impl LedgerError {
    /// A version conflict with the standard hint.
    pub fn version_conflict(expected: u64, current: u64) -> Self {
        LedgerError::VersionConflict {
            expected,
            current,
            hint: format!(
                "re-read the wallet (now at version {current}), check the request still makes \
                 sense, then retry it with the same idempotency key and expected_version {current}"
            ),
        }
    }

    /// Whether this refusal is a *decision* about the request, stored under its idempotency key
    /// so a retry gets the same answer (`true`: insufficient funds, unknown charge, refund too
    /// large, overflow), or a statement about the request's timing or form that a retry may fix,
    /// never stored (`false`: version conflicts, key reuse, a zero amount, a missing key).
    pub const fn is_recorded(&self) -> bool {
        matches!(
            self,
            LedgerError::InsufficientFunds { .. }
                | LedgerError::UnknownCharge { .. }
                | LedgerError::RefundExceedsCharge { .. }
                | LedgerError::BalanceOverflow { .. }
        )
    }
}

impl fmt::Display for LedgerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LedgerError::VersionConflict {
                expected,
                current,
                hint,
            } => write!(
                f,
                "version conflict: the request expected wallet version {expected} but it is at \
                 {current}; nothing was applied; {hint}"
            ),
            LedgerError::InsufficientFunds { balance, amount } => write!(
                f,
                "insufficient funds: a charge of {amount} exceeds the balance of {balance} (minor \
                 units); nothing was applied; credit the wallet first, then charge with a new \
                 idempotency key"
            ),
            LedgerError::IdempotencyKeyReused { key, first, now } => write!(
                f,
                "idempotency key '{key}' was already used for a {} of {} and cannot be reused for \
                 a {} of {}; nothing was applied; generate a new key for a new operation",
                first.kind.name(),
                first.amount_minor,
                now.kind.name(),
                now.amount_minor
            ),
            LedgerError::InvalidAmount { amount } => write!(
                f,
                "invalid amount {amount}: an entry must move at least 1 minor unit; nothing was \
                 applied"
            ),
            LedgerError::MissingIdempotencyKey => write!(
                f,
                "missing idempotency key: charges and refunds need a non-empty key, generated \
                 once per operation and resent unchanged on every retry; nothing was applied"
            ),
            LedgerError::UnknownCharge { charge_seq } => write!(
                f,
                "unknown charge: entry {charge_seq} is not a charge in this wallet; nothing was \
                 applied; refund by the seq of a charge receipt"
            ),
            LedgerError::RefundExceedsCharge {
                charge_seq,
                refundable,
                amount,
            } => write!(
                f,
                "refund too large: {amount} asked but only {refundable} of charge {charge_seq} is \
                 left to refund (minor units); nothing was applied"
            ),
            LedgerError::BalanceOverflow { balance, amount } => write!(
                f,
                "balance overflow: crediting {amount} to a balance of {balance} exceeds the \
                 largest amount a wallet can hold; nothing was applied; split the funds across \
                 wallets"
            ),
        }
    }
}

impl core::error::Error for LedgerError {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::EntryKind;
    use alloc::string::ToString;

    #[test]
    fn version_conflict_message_names_both_versions_and_says_retry() {
        let e = LedgerError::version_conflict(3, 5);
        let msg = e.to_string();
        assert!(msg.contains("expected wallet version 3"), "{msg}");
        assert!(msg.contains("at 5"), "{msg}");
        assert!(msg.contains("re-read"), "{msg}");
        assert!(msg.contains("retry"), "{msg}");
        assert!(!e.is_recorded());
    }

    #[test]
    fn messages_say_what_to_do() {
        let msg = LedgerError::InsufficientFunds {
            balance: 10,
            amount: 25,
        }
        .to_string();
        assert!(msg.contains("25") && msg.contains("10") && msg.contains("credit"));
        let fp = |amount_minor| RequestFingerprint {
            kind: EntryKind::Charge,
            amount_minor,
            charge_id: None,
            refund_of: None,
        };
        let msg = LedgerError::IdempotencyKeyReused {
            key: "k".into(),
            first: Box::new(fp(1)),
            now: Box::new(fp(2)),
        }
        .to_string();
        assert!(msg.contains("'k'") && msg.contains("new key"), "{msg}");
    }

    #[test]
    fn errors_round_trip_through_json() {
        let e = LedgerError::version_conflict(1, 2);
        let json = serde_json::to_string(&e).unwrap();
        assert!(json.contains("\"error\":\"version_conflict\""), "{json}");
        assert_eq!(serde_json::from_str::<LedgerError>(&json).unwrap(), e);
    }
}
