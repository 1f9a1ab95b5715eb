//! The read strategies the simulator offers, and what a read does when its replica is too far
//! behind. These are the settings as written in a scenario document (`[reads]`).

use serde::{Deserialize, Serialize};

/// A read strategy.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum ReadStrategy {
    /// The home region's replica.
    Local {},
    /// The key's leader (single leader, or the owner when partitioned).
    Leader {},
    /// Ask every replica and return the newest of the first `r` answers (for quorum replication
    /// the configured R; otherwise a majority of regions).
    Quorum {},
    /// Local, unless the local replica lags the leader by more than the threshold.
    LocalThenLeaderIfStale {
        /// Lag above which the read goes to the leader, in ms.
        threshold_ms: f64,
    },
    /// Local if the replica's lag is at most `max_lag_ms`; otherwise fall back or wait.
    BoundedStaleness {
        /// Largest acceptable lag, in ms.
        max_lag_ms: f64,
        /// What to do when the bound is violated.
        on_violation: OnViolation,
    },
    /// Local, but only if the replica has everything the session has written (and/or read).
    Session {
        /// Which session guarantee to enforce.
        guarantee: SessionGuarantee,
        /// What to do when the local replica is behind the session.
        on_violation: OnViolation,
    },
}

/// What a read does when its replica is too far behind.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum OnViolation {
    /// Read the leader instead.
    Fallback {},
    /// Re-check every `poll_ms` until the replica catches up, at most `max_wait_ms`, then read
    /// the leader.
    Wait {
        /// Interval between checks, in ms.
        poll_ms: f64,
        /// Longest wait, in ms.
        max_wait_ms: f64,
    },
}

/// A session guarantee.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionGuarantee {
    /// A read sees the session's own earlier writes.
    ReadYourWrites,
    /// A read never sees older data than the session's earlier reads.
    MonotonicReads,
    /// Both.
    Both,
}

impl Default for ReadStrategy {
    fn default() -> Self {
        ReadStrategy::Local {}
    }
}
