//! Per-key replica state and the backlog of commits not yet applied everywhere, from which a
//! read's staleness (in time and in versions) is computed exactly.

use alloc::collections::VecDeque;
use alloc::vec;
use alloc::vec::Vec;

use crate::conflict::Stamp;

/// Most unapplied commits remembered per key. Only a replica that has been cut off (its writes
/// dropped) can fall this far behind; beyond it the oldest entries are forgotten and that
/// replica's staleness becomes a lower bound.
pub(crate) const MAX_BACKLOG: usize = 4096;

/// What a replica holds for one key: the write's last-write-wins stamp and its commit index.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Held {
    /// Last-write-wins stamp: the origin region's clock and the region ([`Stamp::INITIAL`] for
    /// the initial value).
    pub(crate) stamp: Stamp,
    /// Index of the write in the key's commit order (0 = initial value).
    pub(crate) index: u32,
    /// Index the writer held for the key when it accepted the write (what it had seen).
    pub(crate) base: u32,
    /// Entity payload: a wallet's balance (last-write-wins balances) or a balance change
    /// (counter and escrow wallets); 0 for plain records.
    pub(crate) value: i64,
    /// The field a field-merged record's write changed.
    pub(crate) field: u8,
}

/// A committed write that some replica has not applied yet.
#[derive(Debug, Clone, Copy)]
struct Commit {
    stamp: Stamp,
    at_us: u64,
}

/// Key state for every replica, plus, per key, the committed writes not yet applied everywhere.
///
/// The backlog makes staleness exact (time since the first missed commit, and the number of
/// missed commits) while memory follows the replication backlog, not the length of the run.
#[derive(Debug, Clone)]
pub(crate) struct KeyTable {
    keys: usize,
    replicas: usize,
    /// `replicas × keys`, row per replica.
    held: Vec<Held>,
    /// Newest committed stamp and index per key.
    latest: Vec<Held>,
    /// Writes whose commit index has been handed out per key.
    issued: Vec<u32>,
    /// Per key, committed writes some replica still lacks, in commit order.
    backlog: Vec<VecDeque<Commit>>,
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
            replicas,
            held: vec![Held::default(); replicas * keys],
            latest: vec![Held::default(); keys],
            issued: vec![0; keys],
            backlog: vec![VecDeque::new(); keys],
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
        if write.stamp.beats(slot.stamp) {
            let old = *slot;
            *slot = write;
            self.prune(key);
            Some(old)
        } else {
            None
        }
    }

    /// Adds a balance change at a replica (counter and escrow wallets: commutative, so no write
    /// is ever discarded); the stamp moves to the newest seen.
    pub(crate) fn add_delta(&mut self, replica: usize, key: u32, write: Held) {
        let slot = &mut self.held[replica * self.keys + key as usize];
        slot.value += write.value;
        if write.stamp.beats(slot.stamp) {
            slot.stamp = write.stamp;
            slot.index = write.index;
            slot.base = write.base;
        }
        self.prune(key);
    }

    /// Sets the starting value of `key` at every replica (a wallet's opening balance).
    pub(crate) fn set_initial_value(&mut self, key: u32, value: i64) {
        for r in 0..self.replicas {
            self.held[r * self.keys + key as usize].value = value;
        }
    }

    /// Records that `write` committed at `at_us`.
    pub(crate) fn commit(&mut self, key: u32, write: Held, at_us: u64) {
        let k = key as usize;
        if write.stamp.beats(self.latest[k].stamp) {
            self.latest[k] = write;
        }
        let backlog = &mut self.backlog[k];
        if backlog.len() == MAX_BACKLOG {
            backlog.pop_front();
        }
        backlog.push_back(Commit {
            stamp: write.stamp,
            at_us,
        });
        self.prune(key);
    }

    /// Forgets the oldest backlog entries every replica already covers.
    fn prune(&mut self, key: u32) {
        let k = key as usize;
        let min_held = (0..self.replicas)
            .map(|r| self.held[r * self.keys + k].stamp)
            .min()
            .unwrap_or(Stamp::INITIAL);
        let backlog = &mut self.backlog[k];
        while backlog.front().is_some_and(|c| c.stamp <= min_held) {
            backlog.pop_front();
        }
    }

    /// When the write `stamp` of `key` committed, if it did and some replica still lacks it.
    pub(crate) fn commit_time(&self, key: u32, stamp: Stamp) -> Option<u64> {
        self.backlog[key as usize]
            .iter()
            .find(|c| c.stamp == stamp)
            .map(|c| c.at_us)
    }

    /// Takes back the commit of write `stamp` of `key` (a failover lost it): it leaves the
    /// backlog, and if it was the newest, `truth` (the new leader's value) becomes the newest.
    /// Every commit the new leader lacks is retracted this way, and it applies in order, so once
    /// they all are, nothing left in the backlog is newer than `truth`.
    pub(crate) fn retract(&mut self, key: u32, stamp: Stamp, truth: Held) {
        let k = key as usize;
        self.backlog[k].retain(|c| c.stamp != stamp);
        if self.latest[k].stamp == stamp {
            self.latest[k] = truth;
        }
    }

    /// Replaces what `replica` holds for `key` (rewinding a replica to the leader's value).
    pub(crate) fn overwrite(&mut self, replica: usize, key: u32, held: Held) {
        self.held[replica * self.keys + key as usize] = held;
        self.prune(key);
    }

    /// Makes `to` hold exactly what `from` holds, for every key (a rejoining replica's resync).
    pub(crate) fn copy_replica(&mut self, from: usize, to: usize) {
        if from == to {
            return;
        }
        let (f, t) = (from * self.keys, to * self.keys);
        self.held.copy_within(f..f + self.keys, t);
        for key in 0..self.keys as u32 {
            self.prune(key);
        }
    }

    /// Keys whose replicas do not all hold the same stamp.
    pub(crate) fn divergent_keys(&self) -> u32 {
        (0..self.keys)
            .filter(|&k| {
                (1..self.replicas).any(|r| self.held[r * self.keys + k].stamp != self.held[k].stamp)
            })
            .count() as u32
    }

    /// Newest committed write of `key`.
    pub(crate) fn latest(&self, key: u32) -> Held {
        self.latest[key as usize]
    }

    /// How stale `held` is for a read of `key` issued at `issued_us` and served at `now_us`.
    ///
    /// A read is stale when it misses writes committed before it was issued (writes committing
    /// while it is in flight are concurrent with it, as in the PBS definition); its staleness in
    /// time runs from the first missed commit to `now_us`, and its versions behind count the
    /// missed commits.
    pub(crate) fn lag_of(&self, key: u32, held: Held, issued_us: u64, now_us: u64) -> Lag {
        let k = key as usize;
        if held.stamp >= self.latest[k].stamp {
            return Lag::default();
        }
        let mut lag = Lag::default();
        let mut first: Option<u64> = None;
        for c in &self.backlog[k] {
            if c.at_us > issued_us {
                break;
            }
            if c.stamp > held.stamp {
                first.get_or_insert(c.at_us);
                lag.versions_behind += 1;
            }
        }
        if let Some(since) = first {
            lag.staleness_us = now_us.saturating_sub(since);
        }
        lag
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(t: &mut KeyTable, stamp: u64, base: u32) -> Held {
        Held {
            stamp: Stamp::from_bits(stamp),
            index: t.next_index(1),
            base,
            ..Held::default()
        }
    }

    #[test]
    fn staleness_counts_from_the_first_missed_commit_issued_before_the_read() {
        let mut t = KeyTable::new(2, 3);
        let w1 = write(&mut t, 10, 0);
        t.apply(0, 1, w1);
        t.commit(1, w1, 1_000);
        let w2 = write(&mut t, 20, 1);
        t.apply(0, 1, w2);
        t.commit(1, w2, 5_000);
        // Replica 1 has neither write: stale since the first commit, two versions behind.
        let lag = t.lag_of(1, t.held(1, 1), 9_000, 9_000);
        assert_eq!(
            lag,
            Lag {
                staleness_us: 8_000,
                versions_behind: 2
            }
        );
        // A read issued before the second commit only missed the first.
        let lag = t.lag_of(1, t.held(1, 1), 4_000, 9_000);
        assert_eq!(
            lag,
            Lag {
                staleness_us: 8_000,
                versions_behind: 1
            }
        );
        // A read issued before any commit missed nothing.
        assert_eq!(t.lag_of(1, t.held(1, 1), 500, 9_000), Lag::default());
        // Replica 0 is current.
        assert_eq!(t.lag_of(1, t.held(0, 1), 9_000, 9_000), Lag::default());
        // Last-write-wins refuses an older stamp.
        assert_eq!(t.apply(0, 1, w1), None);
    }

    #[test]
    fn the_backlog_is_exact_however_far_behind_and_empties_when_caught_up() {
        let mut t = KeyTable::new(2, 2);
        let mut last = Held::default();
        for i in 1..=100u64 {
            last = write(&mut t, i * 10, 0);
            t.apply(0, 1, last);
            t.commit(1, last, i * 1000);
        }
        let lag = t.lag_of(1, t.held(1, 1), 200_000, 200_000);
        assert_eq!(
            lag,
            Lag {
                staleness_us: 199_000,
                versions_behind: 100
            }
        );
        t.apply(1, 1, last);
        assert!(t.backlog[1].is_empty());
    }
}
