//! What a client asks a wallet to do, and what it gets back.

use alloc::string::String;

use serde::{Deserialize, Serialize};

use super::entry::EntryKind;
use crate::time::SimTime;

/// Take money out of a wallet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChargeRequest {
    /// The client's idempotency key: generated once per logical charge and sent again, unchanged,
    /// on every retry. Required and non-empty.
    pub key: String,
    /// How much to take, in minor units; at least 1.
    pub amount_minor: u64,
    /// The wallet version the client read before deciding to charge, or `None` to skip the check.
    #[serde(default)]
    pub expected_version: Option<u64>,
    /// The order or checkout this charge pays for, if any; recorded on the entry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub charge_id: Option<String>,
    /// When the request reaches the wallet.
    pub at: SimTime,
}

impl ChargeRequest {
    /// A charge of `amount_minor` under `key` at `at`, with no version check.
    pub fn new(key: impl Into<String>, amount_minor: u64, at: SimTime) -> Self {
        ChargeRequest {
            key: key.into(),
            amount_minor,
            expected_version: None,
            charge_id: None,
            at,
        }
    }

    /// The same request, applied only if the wallet is still at `version`.
    pub fn expecting(mut self, version: u64) -> Self {
        self.expected_version = Some(version);
        self
    }

    /// The same request, paying for the logical charge `id`.
    pub fn for_charge(mut self, id: impl Into<String>) -> Self {
        self.charge_id = Some(id.into());
        self
    }
}

/// Put money into a wallet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditRequest {
    /// An idempotency key, if the source of the money may retry (a payment-provider webhook
    /// does); `None` applies the credit every time.
    #[serde(default)]
    pub key: Option<String>,
    /// How much to add, in minor units; at least 1.
    pub amount_minor: u64,
    /// The wallet version the client read, or `None` to skip the check.
    #[serde(default)]
    pub expected_version: Option<u64>,
    /// When the request reaches the wallet.
    pub at: SimTime,
}

impl CreditRequest {
    /// A credit of `amount_minor` at `at`, with no key and no version check.
    pub fn new(amount_minor: u64, at: SimTime) -> Self {
        CreditRequest {
            key: None,
            amount_minor,
            expected_version: None,
            at,
        }
    }

    /// The same request under idempotency key `key`.
    pub fn with_key(mut self, key: impl Into<String>) -> Self {
        self.key = Some(key.into());
        self
    }

    /// The same request, applied only if the wallet is still at `version`.
    pub fn expecting(mut self, version: u64) -> Self {
        self.expected_version = Some(version);
        self
    }
}

/// Give back (part of) an earlier charge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundRequest {
    /// The client's idempotency key for this refund. Required and non-empty.
    pub key: String,
    /// The `seq` of the charge being refunded.
    pub charge_seq: u64,
    /// How much to give back, in minor units; at least 1 and at most what is left of the charge.
    pub amount_minor: u64,
    /// The wallet version the client read, or `None` to skip the check.
    #[serde(default)]
    pub expected_version: Option<u64>,
    /// When the request reaches the wallet.
    pub at: SimTime,
}

impl RefundRequest {
    /// A refund of `amount_minor` of charge `charge_seq` under `key`, with no version check.
    pub fn new(key: impl Into<String>, charge_seq: u64, amount_minor: u64, at: SimTime) -> Self {
        RefundRequest {
            key: key.into(),
            charge_seq,
            amount_minor,
            expected_version: None,
            at,
        }
    }

    /// The same request, applied only if the wallet is still at `version`.
    pub fn expecting(mut self, version: u64) -> Self {
        self.expected_version = Some(version);
        self
    }
}

/// The parts of a request that define *what* it does, compared when an idempotency key comes
/// back: a retry must match the first request exactly, or the key is being reused for something
/// else. The expected version and the arrival time are left out on purpose: a retry that re-read
/// the wallet, or simply arrives later, is still the same operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestFingerprint {
    /// Credit, charge or refund.
    pub kind: EntryKind,
    /// The amount, in minor units.
    pub amount_minor: u64,
    /// A charge's logical charge id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub charge_id: Option<String>,
    /// A refund's target charge.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refund_of: Option<u64>,
}

impl From<&ChargeRequest> for RequestFingerprint {
    fn from(r: &ChargeRequest) -> Self {
        RequestFingerprint {
            kind: EntryKind::Charge,
            amount_minor: r.amount_minor,
            charge_id: r.charge_id.clone(),
            refund_of: None,
        }
    }
}

impl From<&CreditRequest> for RequestFingerprint {
    fn from(r: &CreditRequest) -> Self {
        RequestFingerprint {
            kind: EntryKind::Credit,
            amount_minor: r.amount_minor,
            charge_id: None,
            refund_of: None,
        }
    }
}

impl From<&RefundRequest> for RequestFingerprint {
    fn from(r: &RefundRequest) -> Self {
        RequestFingerprint {
            kind: EntryKind::Refund,
            amount_minor: r.amount_minor,
            charge_id: None,
            refund_of: Some(r.charge_seq),
        }
    }
}

/// Proof that a request was applied: the entry it appended and the wallet right after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    /// The `seq` of the appended entry.
    pub seq: u64,
    /// What was applied.
    pub kind: EntryKind,
    /// The amount applied, in minor units.
    pub amount_minor: u64,
    /// The balance right after this entry, in minor units.
    pub balance_after: u64,
    /// The wallet version right after this entry (equal to `seq`).
    pub version: u64,
    /// When it was applied.
    pub at: SimTime,
    /// `true` when this is the stored receipt of an earlier request with the same idempotency
    /// key, returned again without applying anything; `false` on first application.
    pub replayed: bool,
}

/// The receipt of a charge (the same type serves credits and refunds).
pub type ChargeReceipt = Receipt;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_ignore_version_and_time_but_not_amount() {
        let a = ChargeRequest::new("k", 500, SimTime(0));
        let b = ChargeRequest::new("k", 500, SimTime(9_000)).expecting(4);
        let c = ChargeRequest::new("k", 501, SimTime(0));
        assert_eq!(RequestFingerprint::from(&a), RequestFingerprint::from(&b));
        assert_ne!(RequestFingerprint::from(&a), RequestFingerprint::from(&c));
        let credit = CreditRequest::new(500, SimTime(0)).with_key("k");
        assert_ne!(
            RequestFingerprint::from(&a),
            RequestFingerprint::from(&credit)
        );
    }

    #[test]
    fn requests_deserialize_with_optional_fields_missing() {
        let r: ChargeRequest =
            serde_json::from_str(r#"{"key":"k","amount_minor":5,"at":100}"#).unwrap();
        assert_eq!(r, ChargeRequest::new("k", 5, SimTime(100)));
    }
}
