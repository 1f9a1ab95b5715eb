//! A run's history, recorded on request: client operations as they arrive and complete, and
//! writes as they commit and reach each replica. Tests and external checkers judge a run from
//! it independently of the engine's own counters.
//!
//! Recording is off by default: unlike everything else in the engine, a history grows with the
//! number of simulated requests (a few events per request).

use serde::{Deserialize, Serialize};

/// One step of a history. Times are simulated µs; `op` numbers client operations in arrival
/// order from 0; stamps are the engine's last-write-wins stamps (0 = the initial value).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum HistoryEvent {
    /// A client operation arrived.
    Invoke {
        /// When.
        at_us: u64,
        /// Operation number.
        op: u64,
        /// A write (otherwise a read).
        write: bool,
        /// The key.
        key: u32,
        /// The client population.
        pop: u16,
    },
    /// A client's write was applied where it was sent (its leader, owner or local leader),
    /// before any acknowledgement it waits for: from here it may be read there, whether or not
    /// it ever commits. A retry applied again (no idempotency key, or another region) is
    /// accepted again, under a new stamp. (Quorum writes have no such step.)
    Accept {
        /// When.
        at_us: u64,
        /// The client operation whose write it is.
        op: u64,
        /// The key.
        key: u32,
        /// The stamp it was applied under.
        stamp: u64,
        /// Region that applied it.
        region: u16,
    },
    /// A write committed (was acknowledged by its leader, owner or quorum) in `region`.
    Commit {
        /// When.
        at_us: u64,
        /// The client operation whose write it is.
        op: u64,
        /// The key.
        key: u32,
        /// The write's stamp.
        stamp: u64,
        /// Region that committed it.
        region: u16,
    },
    /// A replica took a write in (for counters: added its change).
    Apply {
        /// When.
        at_us: u64,
        /// Replica index.
        replica: u16,
        /// The key.
        key: u32,
        /// The write's stamp.
        stamp: u64,
    },
    /// A client operation completed: the write's stamp, or the stamp the read returned.
    Ok {
        /// When the client got the answer.
        at_us: u64,
        /// Operation number.
        op: u64,
        /// Stamp written or read.
        stamp: u64,
        /// For a read, the committed writes it missed by the engine's staleness check (writes
        /// of the key committed before the read was issued that the replica lacked); 0 for a
        /// write.
        behind: u32,
    },
    /// A client operation failed: a read past its deadline, a write refused or out of attempts.
    Fail {
        /// When the client gave up.
        at_us: u64,
        /// Operation number.
        op: u64,
    },
}
