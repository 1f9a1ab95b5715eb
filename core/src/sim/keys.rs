//! Per-key replica state and the record of recent commits, from which a read's staleness (in
//! time and in versions) is computed.

use alloc::vec;
use alloc::vec::Vec;

/// Commits remembered per key for staleness in time. A replica further behind than this is
/// charged from the oldest remembered commit, a lower bound of its true staleness.
pub(crate) const RING: usize = 4;

/// What a replica holds for one key: the write's last-write-wins stamp and its commit index.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Held {
    /// Ordering stamp: (hybrid clock µs << 5) | origin region; 0 = the initial value.
    pub(crate) stamp: u64,
    /// Index of the write in the key's commit order (0 = initial value).
    pub(crate) index: u32,
    /// Index the writer held for the key when it accepted the write (what it had seen).
    pub(crate) base: u32,
}

/// A committed write remembered for staleness.
#[derive(Debug, Clone, Copy, Default)]
struct Commit {
    stamp: u64,
    at_us: u64,
}

/// Key state for every replica, plus per-key commit history.
#[derive(Debug, Clone)]
pub(crate) struct KeyTable {
    keys: usize,
    /// `replicas × keys`, row per replica.
    held: Vec<Held>,
    /// Newest committed stamp and index per key.
    latest: Vec<Held>,
    /// Writes whose commit index has been handed out per key.
    issued: Vec<u32>,
    /// Last `RING` commits per key, oldest first in ring order.
    ring: Vec<[Commit; RING]>,
    ring_next: Vec<u8>,
}

/// How far behind a read was.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Lag {
    /// Time since the first committed write the replica lacked was committed, in µs.
    pub(crate) staleness_us: u64,
    /// Committed writes the replica lacked.
    pub(crate) versions_behind: u32,
}

impl KeyTable {
    pub(crate) fn new(replicas: usize, keys: usize) -> Self {
        KeyTable {
            keys,
            held: vec![Held::default(); replicas * keys],
            latest: vec![Held::default(); keys],
            issued: vec![0; keys],
            ring: vec![[Commit::default(); RING]; keys],
            ring_next: vec![0; keys],
        }
    }

    /// Hands out the next commit index of `key`.
    pub(crate) fn next_index(&mut self, key: u32) -> u32 {
        let slot = &mut self.issued[key as usize];
        *slot += 1;
        *slot
    }

    #[inline]
    pub(crate) fn held(&self, replica: usize, key: u32) -> Held {
        self.held[replica * self.keys + key as usize]
    }

    /// Applies a write at a replica by last-write-wins; returns the value it replaced, or `None`
    /// if the write lost (the replica holds a newer stamp).
    #[inline]
    pub(crate) fn apply(&mut self, replica: usize, key: u32, write: Held) -> Option<Held> {
        let slot = &mut self.held[replica * self.keys + key as usize];
        if write.stamp > slot.stamp {
            let old = *slot;
            *slot = write;
            Some(old)
        } else {
            None
        }
    }

    /// Records that `write` committed at `at_us`.
    pub(crate) fn commit(&mut self, key: u32, write: Held, at_us: u64) {
        let k = key as usize;
        if write.stamp > self.latest[k].stamp {
            self.latest[k] = write;
        }
        let next = self.ring_next[k] as usize;
        self.ring[k][next] = Commit {
            stamp: write.stamp,
            at_us,
        };
        self.ring_next[k] = ((next + 1) % RING) as u8;
    }

    /// Newest committed write of `key`.
    pub(crate) fn latest(&self, key: u32) -> Held {
        self.latest[key as usize]
    }

    /// How stale `held` is for `key` at `now_us`.
    pub(crate) fn lag_of(&self, key: u32, held: Held, now_us: u64) -> Lag {
        let k = key as usize;
        let latest = self.latest[k];
        if held.stamp >= latest.stamp {
            return Lag::default();
        }
        // The earliest remembered commit the replica lacks.
        let mut first_missing: Option<u64> = None;
        let mut oldest: u64 = u64::MAX;
        for c in &self.ring[k] {
            if c.stamp == 0 && c.at_us == 0 {
                continue;
            }
            oldest = oldest.min(c.at_us);
            if c.stamp > held.stamp {
                first_missing = Some(first_missing.map_or(c.at_us, |t: u64| t.min(c.at_us)));
            }
        }
        let since = first_missing.unwrap_or(if oldest == u64::MAX { now_us } else { oldest });
        Lag {
            staleness_us: now_us.saturating_sub(since),
            versions_behind: latest.index.saturating_sub(held.index).max(1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staleness_counts_from_the_first_missing_commit() {
        let mut t = KeyTable::new(2, 3);
        let w1 = Held {
            stamp: 10,
            index: t.next_index(1),
            base: 0,
        };
        t.apply(0, 1, w1);
        t.commit(1, w1, 1_000);
        let w2 = Held {
            stamp: 20,
            index: t.next_index(1),
            base: 1,
        };
        t.apply(0, 1, w2);
        t.commit(1, w2, 5_000);
        // Replica 1 has neither write: stale since the first commit.
        let lag = t.lag_of(1, t.held(1, 1), 9_000);
        assert_eq!(
            lag,
            Lag {
                staleness_us: 8_000,
                versions_behind: 2
            }
        );
        // Replica 0 is current.
        assert_eq!(t.lag_of(1, t.held(0, 1), 9_000), Lag::default());
        // Last-write-wins refuses an older stamp.
        assert_eq!(t.apply(0, 1, w1), None);
    }
}
