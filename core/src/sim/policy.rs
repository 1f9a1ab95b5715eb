//! Per-entity conflict policies: how concurrent writes to a type of record are merged (seed
//! 000's per-entity consistency: wallet = escrow, profile = field merge, analytics = LWW).
//!
//! The engine applies them with compact state of its own (a [`Stamp`](crate::conflict::Stamp)
//! per key and replica, escrow rights per key and region), for speed; the rules are the
//! library's: last-write-wins is `Stamp`'s order, which [`LwwHlc`](crate::conflict::LwwHlc) and
//! [`LwwRegister`](crate::crdt::LwwRegister) follow, and escrow is a
//! [`BoundedCounter`](crate::crdt::BoundedCounter) without transfers. A differential test
//! drives both sides with the same histories and checks that they agree.

use alloc::vec;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use super::keys::{Held, KeyTable};
use super::model::{EntityModel, Model};
use super::strategy::ReadStrategy;
use crate::rng::SimRng;

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

/// How a replica merges an incoming write of a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Merge {
    /// Last-write-wins on the whole record (plain records, `lww`, `lww_balance`).
    Lww,
    /// Last-write-wins per field: writes to different fields do not conflict.
    PerField,
    /// Balance changes are added (`counter_balance`, `escrow`): commutative, nothing discarded.
    AddDelta,
}

/// What the write path decided about a write under its entity's policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decision {
    /// Apply and replicate the write.
    Accept,
    /// A charge the accepting region's check refused: nothing is written or replicated.
    Refuse,
}

/// Counts per entity type.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct EntityStats {
    pub(crate) writes: u64,
    pub(crate) conflicts: u64,
    pub(crate) discarded_writes: u64,
    pub(crate) accepted_charges: u64,
    pub(crate) refused_charges: u64,
}

/// The entity types of a run: which keys each owns, its policy applied on the write path, and
/// what the reconciliation needs afterwards (charges accepted per wallet).
#[derive(Debug, Clone)]
pub(crate) struct Entities {
    spans: Vec<EntityModel>,
    keys: usize,
    pub(crate) stats: Vec<EntityStats>,
    /// Accepted charges per key (wallet entities).
    pub(crate) charged: Vec<i64>,
    /// Escrow rights per region and key (regions × keys; empty without escrow entities).
    rights: Vec<i64>,
    /// Whether any entity type has its own read strategy.
    read_overrides: bool,
}

impl Entities {
    /// The model's entity types, with every wallet opened: its balance at every replica, and for
    /// escrow its rights split evenly between the regions (the first regions take the remainder).
    pub(crate) fn open(model: &Model, key_table: &mut KeyTable) -> Self {
        let regions = model.topology.region_count();
        let keys = model.keys as usize;
        let any = |f: fn(&EntityPolicy) -> bool| model.entities.iter().any(|e| f(&e.policy));
        let mut entities = Entities {
            spans: model.entities.clone(),
            read_overrides: model.entities.iter().any(|e| e.reads.is_some()),
            keys,
            stats: vec![EntityStats::default(); model.entities.len()],
            charged: if any(|p| p.wallet().is_some()) {
                vec![0; keys]
            } else {
                Vec::new()
            },
            rights: if any(|p| matches!(p, EntityPolicy::Escrow { .. })) {
                vec![0; regions * keys]
            } else {
                Vec::new()
            },
        };
        for e in &model.entities {
            let Some((initial, _)) = e.policy.wallet() else {
                continue;
            };
            for key in e.first_key..e.end_key {
                key_table.set_initial_value(key, i64::from(initial));
                if let EntityPolicy::Escrow { .. } = e.policy {
                    let share = i64::from(initial) / regions as i64;
                    let rest = i64::from(initial) % regions as i64;
                    for r in 0..regions {
                        entities.rights[r * keys + key as usize] =
                            share + i64::from((r as i64) < rest);
                    }
                }
            }
        }
        entities
    }

    /// The entity types, in document order.
    pub(crate) fn spans(&self) -> &[EntityModel] {
        &self.spans
    }

    /// The entity type owning `key`, if any.
    pub(crate) fn of(&self, key: u32) -> Option<usize> {
        self.spans
            .iter()
            .position(|e| (e.first_key..e.end_key).contains(&key))
    }

    /// The read strategy of `key`'s entity type, if it has its own.
    #[inline]
    pub(crate) fn reads_of(&self, key: u32) -> Option<ReadStrategy> {
        if !self.read_overrides {
            return None;
        }
        self.of(key).and_then(|e| self.spans[e].reads)
    }

    /// Whether reads of `key` are optional (shed by the `disable_recs` toggle).
    pub(crate) fn optional(&self, key: u32) -> bool {
        self.of(key).is_some_and(|e| self.spans[e].optional)
    }

    /// How replicas merge writes of `key`, and its entity type.
    pub(crate) fn merge_of(&self, key: u32) -> (Merge, Option<usize>) {
        let entity = self.of(key);
        let merge = match entity.map(|e| self.spans[e].policy) {
            Some(EntityPolicy::CounterBalance { .. } | EntityPolicy::Escrow { .. }) => {
                Merge::AddDelta
            }
            Some(EntityPolicy::FieldMerge { .. }) => Merge::PerField,
            _ => Merge::Lww,
        };
        (merge, entity)
    }

    /// Fills in the entity payload of `write` to `key` and decides whether it is accepted.
    ///
    /// A field-merged record's write changes one random field. A wallet write is a charge of a
    /// random amount, checked against the accepting region's funds: `current`'s balance there,
    /// or its escrow rights. `funds_at` is that region and what its replica holds; `None` (a
    /// leaderless quorum write, which no one region accepts) skips the wallet check.
    pub(crate) fn prepare_write(
        &mut self,
        key: u32,
        funds_at: Option<(usize, Held)>,
        net: &mut SimRng,
        write: &mut Held,
    ) -> Decision {
        let Some(e) = self.of(key) else {
            return Decision::Accept;
        };
        self.stats[e].writes += 1;
        let policy = self.spans[e].policy;
        match policy {
            EntityPolicy::Lww => {}
            EntityPolicy::FieldMerge { fields } => {
                write.field = net.below(u64::from(fields)) as u8;
            }
            _ => {
                let Some((region, current)) = funds_at else {
                    return Decision::Accept;
                };
                let max_charge = policy.wallet().map_or(1, |w| w.1);
                let amount = 1 + net.below(u64::from(max_charge)) as i64;
                let slot = region * self.keys + key as usize;
                let funds = match policy {
                    EntityPolicy::Escrow { .. } => self.rights[slot],
                    _ => current.value,
                };
                if funds < amount {
                    self.stats[e].refused_charges += 1;
                    return Decision::Refuse;
                }
                self.stats[e].accepted_charges += 1;
                self.charged[key as usize] += amount;
                write.value = match policy {
                    EntityPolicy::LwwBalance { .. } => current.value - amount,
                    _ => -amount,
                };
                if let EntityPolicy::Escrow { .. } = policy {
                    self.rights[slot] -= amount;
                }
            }
        }
        Decision::Accept
    }

    /// Counts a conflict on entity type `e` in which one write was discarded.
    pub(crate) fn note_conflict(&mut self, e: usize) {
        self.stats[e].conflicts += 1;
        self.stats[e].discarded_writes += 1;
    }
}
