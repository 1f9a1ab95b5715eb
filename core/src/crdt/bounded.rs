//! The bounded (escrow) counter: a counter that never goes below zero.

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use serde::{Deserialize, Serialize};

use super::replica::{ReplicaId, nonzero_slots, render_slots};
use super::traits::{Crdt, OpCrdt, explain_slot, title};
use crate::conflict::MergeTrace;

/// A counter that never goes below zero, by escrow: each replica holds *rights* to part of the
/// value and may only decrement what it holds, without asking anyone.
///
/// The state is grow-only slots, each written only by the replica it belongs to:
///
/// * `increments[i]`: how much `i` has added (adding gives `i` that many rights);
/// * `decrements[i]`: how much `i` has taken away;
/// * `transfers[i][j]`: how many rights `i` has handed to `j` in total.
///
/// The rights of `i` are `increments[i] + Σ transfers[j][i] - Σ transfers[i][j] - decrements[i]`
/// and the value is `Σ increments - Σ decrements`, which equals the sum of all replicas' rights
/// (transfers cancel out). A replica refuses a decrement or a transfer larger than its own rights
/// with [`BoundedCounterError::InsufficientRights`], so every replica's rights, and hence the
/// value, stay non-negative in every state any replica can reach, whatever the interleaving of
/// operations and merges. Merge takes each slot's maximum.
///
/// Each [`BoundedCounterOp`] carries its origin's whole state, so a replica that learns of a
/// decrement also learns of the increments and transfers that paid for it: operations applied in
/// any order and with duplicates keep the same guarantee.
///
/// Use it for stock, seats, wallet balances or quotas spread over regions (after Balegas et al.,
/// "Extending Eventually Consistent Cloud Databases for Enforcing Numeric Invariants", SRDS
/// 2015). A region that runs out of rights must get a transfer from another region (a
/// coordination step on the slow path) before it can decrement again.
///
/// ```
/// use meridian_core::crdt::{BoundedCounter, BoundedCounterError, OpCrdt};
///
/// let mut sg = BoundedCounter::new();
/// sg.apply(sg.inc("SG", 3).unwrap());
/// assert!(matches!(sg.dec("US", 1), Err(BoundedCounterError::InsufficientRights { .. })));
/// sg.apply(sg.dec("SG", 3).unwrap());
/// assert_eq!(sg.value(), 0);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoundedCounter {
    // Zero slots are dropped on reading, as the counter never stores one (see `nonzero_slots`).
    #[serde(deserialize_with = "nonzero_slots")]
    increments: BTreeMap<ReplicaId, u64>,
    #[serde(deserialize_with = "nonzero_slots")]
    decrements: BTreeMap<ReplicaId, u64>,
    /// From, to, total rights handed over.
    #[serde(deserialize_with = "nonzero_transfers")]
    transfers: BTreeMap<ReplicaId, BTreeMap<ReplicaId, u64>>,
}

/// Reads the transfers without zero totals and without senders left with none.
fn nonzero_transfers<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<BTreeMap<ReplicaId, BTreeMap<ReplicaId, u64>>, D::Error> {
    let mut transfers = BTreeMap::<ReplicaId, BTreeMap<ReplicaId, u64>>::deserialize(d)?;
    for to in transfers.values_mut() {
        to.retain(|_, n| *n != 0);
    }
    transfers.retain(|_, to| !to.is_empty());
    Ok(transfers)
}

/// What a [`BoundedCounterOp`] did, for people and traces; applying ignores it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum BoundedOpKind {
    /// Added `amount` (and as many rights) at the origin.
    Increment {
        /// How much.
        amount: u64,
    },
    /// Took `amount` away at the origin, spending as many rights.
    Decrement {
        /// How much.
        amount: u64,
    },
    /// Handed `amount` rights from the origin to `to`.
    Transfer {
        /// The receiving replica.
        to: ReplicaId,
        /// How many rights.
        amount: u64,
    },
}

/// An operation on a [`BoundedCounter`]: what the origin did, and the origin's whole state
/// right after it.
///
/// The state is the operation's causal context: the escrow invariant needs a replica that
/// learns of a decrement to also learn of the increments and transfers that paid for it, and of
/// what paid for those, so an operation carries everything its origin had seen (a few slots per
/// pair of replicas). Applying it is a merge, so operations may arrive in any order and more than
/// once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoundedCounterOp {
    /// The replica that made the operation.
    pub origin: ReplicaId,
    /// What it did.
    pub kind: BoundedOpKind,
    /// The origin's state after the operation.
    pub state: BoundedCounter,
}

/// Why a [`BoundedCounter`] refused an operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum BoundedCounterError {
    /// The replica does not hold enough rights for the decrement or transfer.
    InsufficientRights {
        /// The replica (region) that refused.
        replica: ReplicaId,
        /// The rights it holds.
        held: i128,
        /// The amount asked for.
        requested: u64,
        /// The receiver, when a transfer was asked for; `None` for a decrement.
        transfer_to: Option<ReplicaId>,
    },
    /// A replica cannot transfer rights to itself.
    SelfTransfer {
        /// The replica.
        replica: ReplicaId,
    },
    /// A slot would pass `u64::MAX`.
    Overflow {
        /// The replica whose slot would overflow.
        replica: ReplicaId,
        /// The amount asked for.
        requested: u64,
    },
}

impl fmt::Display for BoundedCounterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BoundedCounterError::InsufficientRights {
                replica,
                held,
                requested,
                transfer_to: None,
            } => write!(
                f,
                "replica {replica} holds {held} rights but asked to decrement {requested}"
            ),
            BoundedCounterError::InsufficientRights {
                replica,
                held,
                requested,
                transfer_to: Some(to),
            } => write!(
                f,
                "replica {replica} holds {held} rights but asked to transfer {requested} to {to}"
            ),
            BoundedCounterError::SelfTransfer { replica } => {
                write!(f, "replica {replica} cannot transfer rights to itself")
            }
            BoundedCounterError::Overflow { replica, requested } => {
                write!(
                    f,
                    "adding {requested} at replica {replica} would overflow its counter"
                )
            }
        }
    }
}

impl core::error::Error for BoundedCounterError {}

fn slot(map: &BTreeMap<ReplicaId, u64>, replica: &str) -> u64 {
    map.get(replica).copied().unwrap_or(0)
}

/// Adds `amount` to a slot; callers have checked that it cannot overflow (saturates otherwise).
fn add_to(map: &mut BTreeMap<ReplicaId, u64>, replica: &ReplicaId, amount: u64) {
    if amount == 0 {
        return;
    }
    let v = map.entry(replica.clone()).or_insert(0);
    *v = v.saturating_add(amount);
}

fn raise(map: &mut BTreeMap<ReplicaId, u64>, replica: &ReplicaId, value: u64) {
    if value == 0 {
        return;
    }
    match map.get_mut(replica.as_str()) {
        Some(v) => *v = (*v).max(value),
        None => {
            map.insert(replica.clone(), value);
        }
    }
}

impl BoundedCounter {
    /// A counter at zero; nobody holds rights.
    pub fn new() -> Self {
        BoundedCounter::default()
    }

    /// Increments minus decrements; never negative for states built by this type's operations.
    pub fn value(&self) -> i128 {
        let inc: i128 = self.increments.values().map(|&v| i128::from(v)).sum();
        let dec: i128 = self.decrements.values().map(|&v| i128::from(v)).sum();
        inc - dec
    }

    /// The rights `replica` holds in this state: what it may still decrement or transfer.
    pub fn rights(&self, replica: &str) -> i128 {
        let received: i128 = self
            .transfers
            .iter()
            .filter(|(from, _)| from.as_str() != replica)
            .map(|(_, to)| i128::from(slot(to, replica)))
            .sum();
        let sent: i128 = self
            .transfers
            .get(replica)
            .map(|to| {
                to.iter()
                    .filter(|(r, _)| r.as_str() != replica)
                    .map(|(_, &v)| i128::from(v))
                    .sum()
            })
            .unwrap_or(0);
        i128::from(slot(&self.increments, replica)) + received
            - sent
            - i128::from(slot(&self.decrements, replica))
    }

    /// The total `replica` has added.
    pub fn increments(&self, replica: &str) -> u64 {
        slot(&self.increments, replica)
    }

    /// The total `replica` has taken away.
    pub fn decrements(&self, replica: &str) -> u64 {
        slot(&self.decrements, replica)
    }

    /// The total rights `from` has handed to `to`.
    pub fn transferred(&self, from: &str, to: &str) -> u64 {
        self.transfers.get(from).map_or(0, |m| slot(m, to))
    }

    /// Every replica the state mentions, in order.
    pub fn replicas(&self) -> BTreeSet<&ReplicaId> {
        let mut out: BTreeSet<&ReplicaId> = self
            .increments
            .keys()
            .chain(self.decrements.keys())
            .collect();
        for (from, to) in &self.transfers {
            out.insert(from);
            out.extend(to.keys());
        }
        out
    }

    /// The rights of every replica the state mentions.
    pub fn all_rights(&self) -> BTreeMap<ReplicaId, i128> {
        self.replicas()
            .into_iter()
            .map(|r| (r.clone(), self.rights(r.as_str())))
            .collect()
    }

    fn op(&self, origin: ReplicaId, kind: BoundedOpKind) -> BoundedCounterOp {
        let mut state = self.clone();
        match &kind {
            BoundedOpKind::Increment { amount } => add_to(&mut state.increments, &origin, *amount),
            BoundedOpKind::Decrement { amount } => add_to(&mut state.decrements, &origin, *amount),
            BoundedOpKind::Transfer { to, amount } => {
                add_to(
                    state.transfers.entry(origin.clone()).or_default(),
                    to,
                    *amount,
                );
                state.transfers.retain(|_, row| !row.is_empty());
            }
        }
        BoundedCounterOp {
            origin,
            kind,
            state,
        }
    }

    /// The operation that adds `amount` at `replica`, giving it as many rights. Refused only
    /// when the replica's increment total would pass `u64::MAX`.
    pub fn inc(
        &self,
        replica: impl Into<ReplicaId>,
        amount: u64,
    ) -> Result<BoundedCounterOp, BoundedCounterError> {
        let replica = replica.into();
        if slot(&self.increments, replica.as_str())
            .checked_add(amount)
            .is_none()
        {
            return Err(BoundedCounterError::Overflow {
                replica,
                requested: amount,
            });
        }
        Ok(self.op(replica, BoundedOpKind::Increment { amount }))
    }

    /// The operation that takes `amount` away at `replica`. Refused, naming the replica, the
    /// rights it holds and the amount, when it holds fewer than `amount` rights.
    pub fn dec(
        &self,
        replica: impl Into<ReplicaId>,
        amount: u64,
    ) -> Result<BoundedCounterOp, BoundedCounterError> {
        let replica = replica.into();
        let held = self.rights(replica.as_str());
        if held < i128::from(amount) {
            return Err(BoundedCounterError::InsufficientRights {
                replica,
                held,
                requested: amount,
                transfer_to: None,
            });
        }
        if slot(&self.decrements, replica.as_str())
            .checked_add(amount)
            .is_none()
        {
            return Err(BoundedCounterError::Overflow {
                replica,
                requested: amount,
            });
        }
        Ok(self.op(replica, BoundedOpKind::Decrement { amount }))
    }

    /// The operation that hands `amount` of `from`'s rights to `to`. Refused when `from` holds
    /// fewer than `amount` rights or `from == to`.
    pub fn transfer(
        &self,
        from: impl Into<ReplicaId>,
        to: impl Into<ReplicaId>,
        amount: u64,
    ) -> Result<BoundedCounterOp, BoundedCounterError> {
        let from = from.into();
        let to = to.into();
        if from == to {
            return Err(BoundedCounterError::SelfTransfer { replica: from });
        }
        let held = self.rights(from.as_str());
        if held < i128::from(amount) {
            return Err(BoundedCounterError::InsufficientRights {
                replica: from,
                held,
                requested: amount,
                transfer_to: Some(to),
            });
        }
        if self
            .transferred(from.as_str(), to.as_str())
            .checked_add(amount)
            .is_none()
        {
            return Err(BoundedCounterError::Overflow {
                replica: from,
                requested: amount,
            });
        }
        Ok(self.op(from, BoundedOpKind::Transfer { to, amount }))
    }

    fn merge_from(&mut self, other: &BoundedCounter, mut trace: Option<&mut MergeTrace>) {
        if let Some(trace) = trace.as_deref_mut() {
            let mut replicas: Vec<&ReplicaId> = self
                .replicas()
                .into_iter()
                .chain(other.replicas())
                .collect();
            replicas.sort();
            replicas.dedup();
            for r in &replicas {
                let (mine, theirs) = (self.increments(r.as_str()), other.increments(r.as_str()));
                if mine != 0 || theirs != 0 {
                    explain_slot(trace, format!("increments of {r}"), mine, theirs);
                }
                let (mine, theirs) = (self.decrements(r.as_str()), other.decrements(r.as_str()));
                if mine != 0 || theirs != 0 {
                    explain_slot(trace, format!("decrements of {r}"), mine, theirs);
                }
            }
            for from in &replicas {
                for to in &replicas {
                    let (mine, theirs) = (
                        self.transferred(from.as_str(), to.as_str()),
                        other.transferred(from.as_str(), to.as_str()),
                    );
                    if mine != 0 || theirs != 0 {
                        explain_slot(trace, format!("transfers {from} -> {to}"), mine, theirs);
                    }
                }
            }
        }
        for (r, &v) in &other.increments {
            raise(&mut self.increments, r, v);
        }
        for (r, &v) in &other.decrements {
            raise(&mut self.decrements, r, v);
        }
        for (from, to) in &other.transfers {
            let row = self.transfers.entry(from.clone()).or_default();
            for (r, &v) in to {
                raise(row, r, v);
            }
        }
        self.transfers.retain(|_, row| !row.is_empty());
        if let Some(trace) = trace {
            for (r, held) in self.all_rights() {
                let received: u64 = self
                    .transfers
                    .iter()
                    .filter(|(from, _)| **from != r)
                    .map(|(_, to)| slot(to, r.as_str()))
                    .fold(0, u64::saturating_add);
                let sent: u64 = self.transfers.get(r.as_str()).map_or(0, |to| {
                    to.iter()
                        .filter(|(t, _)| **t != r)
                        .map(|(_, &v)| v)
                        .fold(0, u64::saturating_add)
                });
                trace.step(
                    format!("rights of {r}"),
                    format!("{r} holds {held}"),
                    format!(
                        "increments {} + received {received} - sent {sent} - decrements {}",
                        self.increments(r.as_str()),
                        self.decrements(r.as_str())
                    ),
                );
            }
        }
    }

    fn render_clock(&self) -> String {
        let mut transfers = Vec::new();
        for (from, to) in &self.transfers {
            for (r, v) in to {
                transfers.push(format!("{from}->{r}:{v}"));
            }
        }
        format!(
            "increments {} decrements {} transfers {{{}}}",
            render_slots(&self.increments),
            render_slots(&self.decrements),
            transfers.join(", ")
        )
    }

    fn render_value(&self) -> String {
        let rights: Vec<String> = self
            .all_rights()
            .iter()
            .map(|(r, v)| format!("{r}:{v}"))
            .collect();
        format!("{} (rights {{{}}})", self.value(), rights.join(", "))
    }
}

impl Crdt for BoundedCounter {
    fn merge(&mut self, other: &Self) {
        self.merge_from(other, None);
    }

    fn merge_traced(&mut self, other: &Self, trace: &mut MergeTrace) {
        title(
            trace,
            "Bounded counter merge: each slot's maximum, then each replica's rights",
        );
        trace.input("local", self.render_value(), self.render_clock());
        trace.input("other", other.render_value(), other.render_clock());
        self.merge_from(other, Some(trace));
        trace.result = self.render_value();
    }
}

impl OpCrdt for BoundedCounter {
    type Op = BoundedCounterOp;

    fn apply(&mut self, op: BoundedCounterOp) {
        self.merge_from(&op.state, None);
    }
}

#[cfg(test)]
mod tests {
    use alloc::string::ToString;

    use super::*;

    /// Found by the `crdt_states` fuzz target: a state decoded with a zero transfer
    /// (`"SG": {"US": 4, "WS": 0}`) merged to different states depending on the order.
    #[test]
    fn decoded_zero_slots_and_transfers_are_dropped_so_merge_commutes() {
        let a: BoundedCounter = serde_json::from_str(
            r#"{"increments": {"SG": 10, "JP": 0}, "decrements": {"US": 0},
                "transfers": {"SG": {"US": 4, "WS": 0}, "JP": {"US": 0}}}"#,
        )
        .unwrap();
        let b: BoundedCounter = serde_json::from_str(
            r#"{"increments": {"SG": 10}, "decrements": {"US": 2}, "transfers": {"SG": {"US": 4}}}"#,
        )
        .unwrap();
        let (mut ab, mut ba) = (a.clone(), b.clone());
        ab.merge(&b);
        ba.merge(&a);
        assert_eq!(ab, ba);
        let mut expected = BoundedCounter::new();
        expected.apply(expected.inc("SG", 10).unwrap());
        expected.apply(expected.transfer("SG", "US", 4).unwrap());
        assert_eq!(a, expected);
    }

    #[test]
    fn refuses_without_rights_and_names_them() {
        let mut c = BoundedCounter::new();
        c.apply(c.inc("SG", 5).unwrap());
        let err = c.dec("US", 1).unwrap_err();
        assert_eq!(
            err,
            BoundedCounterError::InsufficientRights {
                replica: ReplicaId::from("US"),
                held: 0,
                requested: 1,
                transfer_to: None,
            }
        );
        assert_eq!(
            err.to_string(),
            "replica US holds 0 rights but asked to decrement 1"
        );
        let err = c.transfer("SG", "US", 6).unwrap_err();
        assert_eq!(
            err.to_string(),
            "replica SG holds 5 rights but asked to transfer 6 to US"
        );
        assert_eq!(
            c.transfer("SG", "SG", 1).unwrap_err().to_string(),
            "replica SG cannot transfer rights to itself"
        );
        c.apply(c.dec("SG", 5).unwrap());
        assert_eq!(c.value(), 0);
        assert!(c.dec("SG", 1).is_err());
    }

    #[test]
    fn transfer_moves_rights() {
        let mut sg = BoundedCounter::new();
        sg.apply(sg.inc("SG", 10).unwrap());
        let t = sg.transfer("SG", "US", 4).unwrap();
        sg.apply(t.clone());
        assert_eq!(sg.rights("SG"), 6);
        assert_eq!(sg.rights("US"), 4);
        assert_eq!(sg.value(), 10);
        // US learns of the transfer from the operation alone.
        let mut us = BoundedCounter::new();
        us.apply(t);
        assert_eq!(us.rights("US"), 4);
        let d = us.dec("US", 4).unwrap();
        us.apply(d.clone());
        // A third replica that sees only US's decrement also learns what paid for it: SG's
        // increment and transfer.
        let mut eu = BoundedCounter::new();
        eu.apply(d);
        assert_eq!(eu.value(), 6);
        assert_eq!(eu.rights("US"), 0);
        assert_eq!(eu.rights("SG"), 6);
        sg.merge(&us);
        sg.merge(&eu);
        assert_eq!(sg.value(), 6);
        assert_eq!(
            sg.all_rights().into_iter().collect::<Vec<_>>(),
            [(ReplicaId::from("SG"), 6), (ReplicaId::from("US"), 0)]
        );
    }

    #[test]
    fn concurrent_decrements_cannot_overdraw() {
        let mut sg = BoundedCounter::new();
        sg.apply(sg.inc("SG", 1).unwrap());
        sg.apply(sg.transfer("SG", "US", 1).unwrap());
        let mut us = sg.clone();
        // Both see one item left, but only US holds the right to it.
        assert!(sg.dec("SG", 1).is_err());
        us.apply(us.dec("US", 1).unwrap());
        sg.merge(&us);
        assert_eq!(sg.value(), 0);
    }

    #[test]
    fn overflow_is_refused_not_a_panic() {
        let mut c = BoundedCounter::new();
        c.apply(c.inc("A", u64::MAX).unwrap());
        assert!(matches!(
            c.inc("A", 1),
            Err(BoundedCounterError::Overflow { .. })
        ));
        c.apply(c.inc("B", u64::MAX).unwrap());
        c.apply(c.transfer("B", "A", u64::MAX).unwrap());
        assert_eq!(c.rights("A"), 2 * i128::from(u64::MAX));
        c.apply(c.dec("A", u64::MAX).unwrap());
        assert!(matches!(
            c.dec("A", u64::MAX),
            Err(BoundedCounterError::Overflow { .. })
        ));
        assert_eq!(c.value(), i128::from(u64::MAX));
    }

    #[test]
    fn trace_shows_slots_and_rights() {
        let mut sg = BoundedCounter::new();
        sg.apply(sg.inc("SG", 10).unwrap());
        let mut us = sg.clone();
        sg.apply(sg.transfer("SG", "US", 3).unwrap());
        us.apply(us.inc("US", 2).unwrap());
        let mut trace = MergeTrace::default();
        us.merge_traced(&sg, &mut trace);
        let subjects: Vec<&str> = trace.steps.iter().map(|s| s.subject.as_str()).collect();
        assert_eq!(
            subjects,
            [
                "increments of SG",
                "increments of US",
                "transfers SG -> US",
                "rights of SG",
                "rights of US"
            ]
        );
        assert_eq!(trace.steps[2].decision, "take other's 3");
        assert_eq!(trace.steps[2].reason, "other's slot is higher: 3 > 0 by 3");
        assert_eq!(trace.steps[4].decision, "US holds 5");
        assert_eq!(
            trace.steps[4].reason,
            "increments 2 + received 3 - sent 0 - decrements 0"
        );
        assert_eq!(trace.result, "12 (rights {SG:7, US:5})");
        assert_eq!(
            trace.inputs[1].clock,
            "increments {SG:10} decrements {} transfers {SG->US:3}"
        );
        assert!(trace.discarded.is_empty());
    }

    #[test]
    fn serde_round_trip() {
        let mut c = BoundedCounter::new();
        c.apply(c.inc("SG", 4).unwrap());
        let op = c.transfer("SG", "US", 2).unwrap();
        c.apply(op.clone());
        let back: BoundedCounter =
            serde_json::from_str(&serde_json::to_string(&c).unwrap()).unwrap();
        assert_eq!(back, c);
        let back: BoundedCounterOp =
            serde_json::from_str(&serde_json::to_string(&op).unwrap()).unwrap();
        assert_eq!(back, op);
        let err = c.dec("US", 3).unwrap_err();
        let back: BoundedCounterError =
            serde_json::from_str(&serde_json::to_string(&err).unwrap()).unwrap();
        assert_eq!(back, err);
    }
}
