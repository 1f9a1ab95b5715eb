//! Per-entity conflict policies: how concurrent writes to a type of record are merged (seed
//! 000's per-entity consistency: wallet = escrow, profile = field merge, analytics = LWW).

use serde::{Deserialize, Serialize};

/// How an entity type resolves concurrent writes.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum EntityPolicy {
    /// The whole record, last-write-wins on the hybrid clock.
    Lww,
    /// Records of `fields` fields; a write changes one field and concurrent writes conflict only
    /// on the same field.
    FieldMerge {
        /// Fields per record (1 to 64).
        fields: u32,
    },
    /// A wallet whose balance is a last-write-wins register: each region checks its own view of
    /// the balance, so concurrent charges can overspend and one of them vanishes from the balance.
    LwwBalance {
        /// Starting balance of every wallet.
        initial_balance: u32,
        /// Charges are uniform from 1 to this.
        max_charge: u32,
    },
    /// A wallet whose balance is a counter of deltas: no charge vanishes, but concurrent charges
    /// can overspend.
    CounterBalance {
        /// Starting balance of every wallet.
        initial_balance: u32,
        /// Charges are uniform from 1 to this.
        max_charge: u32,
    },
    /// A wallet under escrow (a bounded counter): the balance is split into rights per region,
    /// and a region refuses a charge above its own rights, so the wallet never overspends.
    Escrow {
        /// Starting balance of every wallet, split evenly between the regions.
        initial_balance: u32,
        /// Charges are uniform from 1 to this.
        max_charge: u32,
    },
}

impl EntityPolicy {
    /// The policy's name as written in documents.
    pub fn name(&self) -> &'static str {
        match self {
            EntityPolicy::Lww => "lww",
            EntityPolicy::FieldMerge { .. } => "field_merge",
            EntityPolicy::LwwBalance { .. } => "lww_balance",
            EntityPolicy::CounterBalance { .. } => "counter_balance",
            EntityPolicy::Escrow { .. } => "escrow",
        }
    }

    /// Starting balance and largest charge, for wallet policies.
    pub fn wallet(&self) -> Option<(u32, u32)> {
        match *self {
            EntityPolicy::LwwBalance {
                initial_balance,
                max_charge,
            }
            | EntityPolicy::CounterBalance {
                initial_balance,
                max_charge,
            }
            | EntityPolicy::Escrow {
                initial_balance,
                max_charge,
            } => Some((initial_balance, max_charge)),
            _ => None,
        }
    }
}
