//! Client operations in flight: one slot per read or write between its arrival and its last
//! event, reused once the operation is done. A handle carries the slot's generation, so an event
//! that outlived its operation (a late timeout, a second acknowledgement) is recognised and
//! ignored instead of touching the slot's next occupant.

use alloc::vec::Vec;

use super::keys::{Held, Lag};
use crate::time::SimTime;

/// A handle to an operation slot, with a generation so stale events are recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct OpId {
    slot: u32,
    generation: u32,
}

/// Where a read is in its strategy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum ReadStage {
    /// At the local replica; the strategy may still redirect it.
    #[default]
    Local,
    /// Redirected to (or sent directly to) a replica that serves it as is.
    Final,
}

/// One client operation's state. Reads use the read fields, writes the write fields, and quorum
/// operations of either kind the `q_` fields.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Op {
    pub(crate) pop: u16,
    /// Operation number, in arrival order (for the history).
    pub(crate) seq: u64,
    pub(crate) session: u32,
    pub(crate) key: u32,
    pub(crate) start: SimTime,
    // Writes.
    pub(crate) attempt: u8,
    pub(crate) target: u16,
    /// The region that applied `applied` (a retry may reach another one after a failover).
    pub(crate) applied_at: u16,
    pub(crate) applied: Option<Held>,
    /// With failures: the replicas (a bit per region) that hold `applied` and so its
    /// idempotency record: the region that applied it, the replicas it reached since, and those
    /// that took over such a replica's state (a resync); a rewind to a leader without it clears
    /// the bit.
    pub(crate) reached: u32,
    pub(crate) acks: u16,
    pub(crate) acks_needed: u16,
    pub(crate) committed: bool,
    pub(crate) client_done: bool,
    pub(crate) respond_attempt: u8,
    // Reads.
    pub(crate) stage: ReadStage,
    pub(crate) waited_us: u64,
    // Quorum operations.
    pub(crate) q_remaining: u16,
    pub(crate) q_best: Held,
    pub(crate) q_best_lag: Lag,
    pub(crate) q_end: SimTime,
}

/// A slot and its bookkeeping.
#[derive(Debug, Clone, Copy)]
struct Slot {
    generation: u32,
    live: bool,
    op: Op,
}

/// The operation slots: memory follows the operations in flight, not the requests simulated.
#[derive(Debug, Clone, Default)]
pub(crate) struct OpSlab {
    slots: Vec<Slot>,
    free: Vec<u32>,
}

impl OpSlab {
    /// Stores `op` in a free slot (or a new one) and returns its handle.
    pub(crate) fn alloc(&mut self, op: Op) -> OpId {
        if let Some(slot) = self.free.pop() {
            let s = &mut self.slots[slot as usize];
            s.generation = s.generation.wrapping_add(1);
            s.live = true;
            s.op = op;
            OpId {
                slot,
                generation: s.generation,
            }
        } else {
            let slot = self.slots.len() as u32;
            self.slots.push(Slot {
                generation: 0,
                live: true,
                op,
            });
            OpId {
                slot,
                generation: 0,
            }
        }
    }

    /// Every live operation.
    pub(crate) fn live_mut(&mut self) -> impl Iterator<Item = &mut Op> {
        self.slots.iter_mut().filter(|s| s.live).map(|s| &mut s.op)
    }

    /// The operation `id` names, unless it has finished.
    pub(crate) fn get_mut(&mut self, id: OpId) -> Option<&mut Op> {
        let s = self.slots.get_mut(id.slot as usize)?;
        (s.live && s.generation == id.generation).then_some(&mut s.op)
    }

    /// Ends operation `id`; its slot is reused by a later one.
    pub(crate) fn free(&mut self, id: OpId) {
        if let Some(s) = self.slots.get_mut(id.slot as usize)
            && s.live
            && s.generation == id.generation
        {
            s.live = false;
            self.free.push(id.slot);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reused_slot_rejects_the_old_handle() {
        let mut slab = OpSlab::default();
        let first = slab.alloc(Op::default());
        slab.free(first);
        let second = slab.alloc(Op::default());
        assert_eq!(first.slot, second.slot);
        assert!(slab.get_mut(first).is_none());
        assert!(slab.get_mut(second).is_some());
    }

    #[test]
    fn freeing_twice_frees_once() {
        let mut slab = OpSlab::default();
        let a = slab.alloc(Op::default());
        slab.free(a);
        slab.free(a);
        let b = slab.alloc(Op::default());
        let c = slab.alloc(Op::default());
        assert_ne!(b.slot, c.slot);
    }
}
