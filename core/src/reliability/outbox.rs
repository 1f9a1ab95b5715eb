//! The transactional outbox: events written in the same transaction as the state change they
//! announce, then published by a background poller. The poller wakes every `poll_interval`,
//! takes up to `batch_size` events that are due (oldest first), and tries to publish each; a
//! failed publish is retried after a backoff that doubles per attempt (up to a cap), and an event
//! that has failed `retry_limit` times goes to the dead-letter count. Nothing vanishes: at any
//! moment every committed event is pending, published or dead-lettered, exactly one of the three
//! ([`Outbox::accounted`]).
//!
//! A publish that reaches the broker but whose acknowledgement is lost leaves the event pending,
//! so it is published again: the broker then holds a duplicate, which is counted (consumers must
//! be idempotent, and the count says how often that matters).

use alloc::collections::VecDeque;

use serde::{Deserialize, Serialize};

use crate::error::FieldError;
use crate::time::{SimDuration, SimTime};

/// How the poller works.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutboxConfig {
    /// Time between two polls, ms (seed 003: 30 s).
    pub poll_interval_ms: f64,
    /// Most events taken per poll.
    pub batch_size: u32,
    /// Failed publishes after which an event is dead-lettered (seed 003: 5).
    pub retry_limit: u32,
    /// Wait before the first retry of an event, ms; it doubles with every further failure.
    #[serde(default = "default_backoff_ms")]
    pub backoff_ms: f64,
    /// Longest wait between two retries of one event, ms.
    #[serde(default = "default_backoff_cap_ms")]
    pub backoff_cap_ms: f64,
}

fn default_backoff_ms() -> f64 {
    1_000.0
}

fn default_backoff_cap_ms() -> f64 {
    300_000.0
}

impl OutboxConfig {
    /// Checks every field; paths are relative to the outbox's table.
    pub fn validate(&self) -> Result<(), FieldError> {
        let duration = |name: &str, v: f64, min: f64| {
            if v.is_finite() && v >= min && v <= 8.64e7 {
                Ok(())
            } else {
                Err(FieldError::new(
                    name,
                    v,
                    alloc::format!("a duration from {min} ms to one day"),
                ))
            }
        };
        duration("poll_interval_ms", self.poll_interval_ms, 1.0)?;
        if !(1..=1_000_000).contains(&self.batch_size) {
            return Err(FieldError::new(
                "batch_size",
                self.batch_size,
                "from 1 to 1,000,000",
            ));
        }
        if !(1..=1000).contains(&self.retry_limit) {
            return Err(FieldError::new(
                "retry_limit",
                self.retry_limit,
                "from 1 to 1000",
            ));
        }
        duration("backoff_ms", self.backoff_ms, 0.0)?;
        duration("backoff_cap_ms", self.backoff_cap_ms, 0.0)?;
        if self.backoff_cap_ms < self.backoff_ms {
            return Err(FieldError::new(
                "backoff_cap_ms",
                self.backoff_cap_ms,
                "at least backoff_ms",
            ));
        }
        Ok(())
    }

    /// The wait after an event's `failures`-th failed publish.
    pub fn backoff(&self, failures: u32) -> SimDuration {
        let doubled = self.backoff_ms * libm::pow(2.0, f64::from(failures.saturating_sub(1)));
        SimDuration::from_millis_f64(doubled.min(self.backoff_cap_ms))
    }
}

/// An event waiting in the outbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pending {
    /// The event's number, in commit order.
    pub id: u64,
    /// When it was committed.
    pub committed: SimTime,
    /// Failed publishes so far.
    pub failures: u32,
    /// Earliest time of its next publish.
    pub due: SimTime,
    /// Whether the broker already holds a copy (an earlier publish whose acknowledgement was
    /// lost).
    pub delivered: bool,
}

/// What one publish attempt did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Publish {
    /// The broker took it and said so.
    Acked,
    /// The broker took it, but the acknowledgement was lost.
    AckLost,
    /// The broker did not take it.
    Failed,
}

/// What a poll did.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct PollOutcome {
    /// Events published and acknowledged.
    pub published: u32,
    /// Publishes that failed (the events stay, or are dead-lettered).
    pub failed: u32,
    /// Events dead-lettered by this poll.
    pub dead_lettered: u32,
    /// Longest time from commit to acknowledged publish among this poll's events, ms.
    pub max_delay_ms: f64,
}

/// The outbox table and its poller's counts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Outbox {
    pending: VecDeque<Pending>,
    next_id: u64,
    /// Events committed.
    pub committed: u64,
    /// Events published and acknowledged (each event once).
    pub published: u64,
    /// Events given up after the retry limit.
    pub dead_lettered: u64,
    /// Extra copies the broker received (publishes whose acknowledgement was lost).
    pub duplicates: u64,
    /// Most events pending at once.
    pub peak_backlog: u64,
}

impl Outbox {
    /// An empty outbox.
    pub fn new() -> Self {
        Outbox::default()
    }

    /// Commits an event with its state change at `now`; returns its id.
    pub fn commit(&mut self, now: SimTime) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        self.committed += 1;
        self.pending.push_back(Pending {
            id,
            committed: now,
            failures: 0,
            due: now,
            delivered: false,
        });
        self.peak_backlog = self.peak_backlog.max(self.pending.len() as u64);
        id
    }

    /// Events pending.
    pub fn backlog(&self) -> u64 {
        self.pending.len() as u64
    }

    /// Events a poll at `now` would try, at most `batch`.
    pub fn due(&self, now: SimTime, batch: u32) -> usize {
        self.pending
            .iter()
            .filter(|p| p.due <= now)
            .take(batch as usize)
            .count()
    }

    /// When the oldest pending event was committed.
    pub fn oldest_pending(&self) -> Option<SimTime> {
        self.pending.iter().map(|p| p.committed).min()
    }

    /// Whether every committed event is exactly one of pending, published, dead-lettered.
    pub fn accounted(&self) -> bool {
        self.committed == self.backlog() + self.published + self.dead_lettered
    }

    /// One poll at `now`: up to `batch_size` due events, oldest first, each handed to `publish`.
    pub fn poll(
        &mut self,
        now: SimTime,
        config: &OutboxConfig,
        mut publish: impl FnMut(&Pending) -> Publish,
    ) -> PollOutcome {
        let mut out = PollOutcome::default();
        let mut taken = 0u32;
        let mut i = 0;
        while i < self.pending.len() && taken < config.batch_size {
            if self.pending[i].due > now {
                i += 1;
                continue;
            }
            taken += 1;
            let event = self.pending[i];
            match publish(&event) {
                Publish::Acked => {
                    if event.delivered {
                        self.duplicates += 1;
                    }
                    self.published += 1;
                    out.published += 1;
                    out.max_delay_ms = out
                        .max_delay_ms
                        .max(now.since(event.committed).as_millis_f64());
                    self.pending.remove(i);
                    continue;
                }
                Publish::AckLost => {
                    if event.delivered {
                        self.duplicates += 1;
                    }
                    self.pending[i].delivered = true;
                    self.fail(i, now, config, &mut out);
                }
                Publish::Failed => self.fail(i, now, config, &mut out),
            }
            if self.pending.get(i).is_some_and(|p| p.id == event.id) {
                i += 1;
            }
        }
        out
    }

    fn fail(&mut self, i: usize, now: SimTime, config: &OutboxConfig, out: &mut PollOutcome) {
        out.failed += 1;
        let event = &mut self.pending[i];
        event.failures += 1;
        if event.failures >= config.retry_limit {
            self.pending.remove(i);
            self.dead_lettered += 1;
            out.dead_lettered += 1;
        } else {
            event.due = now + config.backoff(event.failures);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> OutboxConfig {
        OutboxConfig {
            poll_interval_ms: 30_000.0,
            batch_size: 2,
            retry_limit: 3,
            backoff_ms: 1_000.0,
            backoff_cap_ms: 3_000.0,
        }
    }

    fn s(v: u64) -> SimTime {
        SimTime(v * 1_000_000)
    }

    #[test]
    fn polls_take_a_batch_of_due_events_oldest_first() {
        let mut o = Outbox::new();
        for t in 0..3 {
            o.commit(s(t));
        }
        let mut seen = alloc::vec::Vec::new();
        let out = o.poll(s(30), &config(), |p| {
            seen.push(p.id);
            Publish::Acked
        });
        assert_eq!(seen, [0, 1]);
        assert_eq!((out.published, out.max_delay_ms), (2, 30_000.0));
        assert_eq!((o.backlog(), o.oldest_pending()), (1, Some(s(2))));
        assert!(o.accounted());
    }

    #[test]
    fn failures_back_off_then_dead_letter_and_nothing_vanishes() {
        let c = config();
        assert_eq!(c.backoff(1), SimDuration::from_millis(1_000));
        assert_eq!(c.backoff(2), SimDuration::from_millis(2_000));
        assert_eq!(c.backoff(3), SimDuration::from_millis(3_000), "capped");
        let mut o = Outbox::new();
        o.commit(s(0));
        assert_eq!(o.poll(s(1), &c, |_| Publish::Failed).failed, 1);
        // Not due again until 1 s later.
        assert_eq!(o.poll(s(1), &c, |_| panic!("not due")).failed, 0);
        assert_eq!(o.poll(s(2), &c, |_| Publish::Failed).failed, 1);
        let out = o.poll(s(4), &c, |_| Publish::Failed);
        assert_eq!((out.failed, out.dead_lettered), (1, 1));
        assert_eq!((o.backlog(), o.dead_lettered, o.published), (0, 1, 0));
        assert!(o.accounted());
    }

    #[test]
    fn a_lost_acknowledgement_publishes_twice_and_counts_the_duplicate() {
        let mut o = Outbox::new();
        o.commit(s(0));
        o.poll(s(1), &config(), |_| Publish::AckLost);
        assert_eq!((o.backlog(), o.duplicates), (1, 0));
        o.poll(s(3), &config(), |p| {
            assert!(p.delivered);
            Publish::Acked
        });
        assert_eq!((o.published, o.duplicates, o.backlog()), (1, 1, 0));
        assert!(o.accounted());
    }

    #[test]
    fn bad_configurations_name_the_field() {
        let path = |c: OutboxConfig| c.validate().unwrap_err().path;
        assert_eq!(config().validate(), Ok(()));
        assert_eq!(
            path(OutboxConfig {
                poll_interval_ms: 0.0,
                ..config()
            }),
            "poll_interval_ms"
        );
        assert_eq!(
            path(OutboxConfig {
                batch_size: 0,
                ..config()
            }),
            "batch_size"
        );
        assert_eq!(
            path(OutboxConfig {
                retry_limit: 0,
                ..config()
            }),
            "retry_limit"
        );
        assert_eq!(
            path(OutboxConfig {
                backoff_cap_ms: 10.0,
                ..config()
            }),
            "backoff_cap_ms"
        );
    }
}
