//! The replication agent on one directed link: it batches committed writes, sends each batch
//! (retrying lost batches with exponential backoff), keeps delivery in order, and holds at most
//! `buffer` writes, dropping (and counting) the rest.

use alloc::collections::VecDeque;

use super::keys::Held;
use super::ops::OpId;
use crate::time::SimTime;

/// One write travelling on a link.
#[derive(Debug, Clone, Copy)]
pub(crate) struct InFlight {
    pub(crate) key: u32,
    /// The write: stamp, index, what its origin had seen, and its entity payload.
    pub(crate) write: Held,
    /// When the write was accepted at its origin, in µs (for the replica's lag watermark).
    pub(crate) written_us: u64,
    /// The client operation whose write it is, if any (with failures, a replica that applies
    /// it records that it holds the operation's idempotency record).
    pub(crate) op: Option<OpId>,
    /// Whether that operation waits for this replica's acknowledgement.
    pub(crate) wants_ack: bool,
}

/// A directed link's agent state.
#[derive(Debug, Clone, Default)]
pub(crate) struct Link {
    pub(crate) from_replica: usize,
    pub(crate) to_replica: usize,
    /// Writes sent or waiting, oldest first: the first `queue.len() - pending` are in flight.
    pub(crate) queue: VecDeque<InFlight>,
    /// Writes at the back of the queue not yet in a batch that left.
    pub(crate) pending: u32,
    /// Identifies the open batch, so a stale batching timer is ignored.
    pub(crate) epoch: u32,
    /// Whether the open batch has a timer armed.
    pub(crate) timer_armed: bool,
    /// Arrival time of the last batch sent, to keep delivery in order.
    pub(crate) last_arrival: SimTime,
    /// Bumped when the queue is discarded, so batches already on their way are ignored.
    pub(crate) generation: u32,
}

impl Link {
    pub(crate) fn new(from_replica: usize, to_replica: usize) -> Self {
        Link {
            from_replica,
            to_replica,
            ..Link::default()
        }
    }

    /// Drops every queued write (a deposed leader's writes nobody will receive) and the open
    /// batch; batches already on their way are recognised by the generation and ignored.
    pub(crate) fn discard(&mut self) {
        self.queue.clear();
        self.pending = 0;
        self.epoch = self.epoch.wrapping_add(1);
        self.timer_armed = false;
        self.generation = self.generation.wrapping_add(1);
    }

    /// When the oldest write not yet applied at the destination was accepted, if any.
    pub(crate) fn oldest_unapplied_us(&self) -> Option<u64> {
        self.queue.front().map(|w| w.written_us)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write_at(us: u64) -> InFlight {
        InFlight {
            key: 0,
            write: Held::default(),
            written_us: us,
            op: None,
            wants_ack: false,
        }
    }

    #[test]
    fn the_lag_watermark_is_the_oldest_write_still_queued() {
        let mut link = Link::new(0, 1);
        assert_eq!(link.oldest_unapplied_us(), None);
        link.queue.push_back(write_at(5));
        link.queue.push_back(write_at(9));
        assert_eq!(link.oldest_unapplied_us(), Some(5));
        link.queue.pop_front();
        assert_eq!(link.oldest_unapplied_us(), Some(9));
    }
}
