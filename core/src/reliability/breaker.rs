//! A circuit breaker in simulated time: closed, open and half-open, with the knobs production
//! breakers expose (an error percentage and a minimum volume over a rolling window, a reset
//! timeout, and a number of trial calls in the half-open state).
//!
//! The rules, which the tests walk through on a timeline worked out by hand:
//!
//! * **Closed**: every call goes through and its outcome lands in the rolling window (split into
//!   buckets; a bucket older than the window is forgotten). After a failure, the breaker opens
//!   when the window holds at least `volume_threshold` calls *and* at least
//!   `error_threshold_pct` percent of them failed: both thresholds, never one alone.
//! * **Open**: calls are refused at once (the caller takes its fallback) until `reset_timeout`
//!   has passed since the breaker opened; from then on it is half-open.
//! * **Half-open**: up to `half_open_trials` calls go through as trials, the rest are refused. A
//!   failed trial opens the breaker again (the reset timeout starts over); once
//!   `half_open_trials` trials have succeeded, the breaker closes with an empty window.

use alloc::vec;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use crate::error::FieldError;
use crate::time::{SimDuration, SimTime};

/// How a breaker decides.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BreakerConfig {
    /// Share of failed calls in the window, in percent, at or above which the breaker opens.
    pub error_threshold_pct: f64,
    /// Fewest calls in the window before the breaker may open at all.
    pub volume_threshold: u32,
    /// Length of the rolling window, ms.
    #[serde(default = "default_window_ms")]
    pub window_ms: f64,
    /// Buckets the window is split into (it forgets one bucket at a time).
    #[serde(default = "default_buckets")]
    pub buckets: u32,
    /// Time from opening to half-open, ms.
    pub reset_timeout_ms: f64,
    /// Trial calls let through when half-open, all of which must succeed to close.
    #[serde(default = "default_trials")]
    pub half_open_trials: u32,
}

fn default_window_ms() -> f64 {
    10_000.0
}

fn default_buckets() -> u32 {
    10
}

fn default_trials() -> u32 {
    1
}

impl BreakerConfig {
    /// Checks every field; paths are relative to the breaker's table.
    pub fn validate(&self) -> Result<(), FieldError> {
        let pct = self.error_threshold_pct;
        if !(pct > 0.0 && pct <= 100.0) {
            return Err(FieldError::new(
                "error_threshold_pct",
                pct,
                "a percentage above 0 and at most 100",
            ));
        }
        if self.volume_threshold == 0 {
            return Err(FieldError::new(
                "volume_threshold",
                0,
                "a whole number of calls, at least 1",
            ));
        }
        if !(self.window_ms.is_finite() && self.window_ms >= 1.0 && self.window_ms <= 3.6e6) {
            return Err(FieldError::new(
                "window_ms",
                self.window_ms,
                "a duration from 1 ms to one hour",
            ));
        }
        if !(1..=1000).contains(&self.buckets) {
            return Err(FieldError::new("buckets", self.buckets, "from 1 to 1000"));
        }
        if !(self.reset_timeout_ms.is_finite()
            && self.reset_timeout_ms >= 1.0
            && self.reset_timeout_ms <= 8.64e7)
        {
            return Err(FieldError::new(
                "reset_timeout_ms",
                self.reset_timeout_ms,
                "a duration from 1 ms to one day",
            ));
        }
        if !(1..=1000).contains(&self.half_open_trials) {
            return Err(FieldError::new(
                "half_open_trials",
                self.half_open_trials,
                "from 1 to 1000",
            ));
        }
        Ok(())
    }
}

/// The breaker's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BreakerState {
    /// Calls go through.
    Closed,
    /// Calls are refused.
    Open,
    /// A few trial calls go through.
    HalfOpen,
}

/// A change of state, and when it happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transition {
    /// When.
    pub at: SimTime,
    /// The state before.
    pub from: BreakerState,
    /// The state after.
    pub to: BreakerState,
}

/// What the breaker says to a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    /// Go ahead (closed).
    Call,
    /// Go ahead as a half-open trial; report the outcome with `trial = true`.
    Trial,
    /// Refused: take the fallback.
    Refused,
}

/// One bucket of the rolling window: its index (time / bucket length) and its counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Bucket {
    index: u64,
    calls: u32,
    failures: u32,
}

/// A circuit breaker.
#[derive(Debug, Clone, PartialEq)]
pub struct CircuitBreaker {
    config: BreakerConfig,
    bucket_len: SimDuration,
    reset_timeout: SimDuration,
    state: BreakerState,
    opened_at: SimTime,
    buckets: Vec<Bucket>,
    trials_out: u32,
    trial_successes: u32,
}

impl CircuitBreaker {
    /// A closed breaker. `config` should have passed [`BreakerConfig::validate`]; out-of-range
    /// values are held to the nearest sensible one rather than trusted.
    pub fn new(config: BreakerConfig) -> Self {
        let buckets = config.buckets.clamp(1, 1000);
        let window = SimDuration::from_millis_f64(config.window_ms.max(1.0));
        let bucket_len = SimDuration((window.0 / u64::from(buckets)).max(1));
        CircuitBreaker {
            config,
            bucket_len,
            reset_timeout: SimDuration::from_millis_f64(config.reset_timeout_ms.max(1.0)),
            state: BreakerState::Closed,
            opened_at: SimTime::ZERO,
            buckets: vec![Bucket::default(); buckets as usize],
            trials_out: 0,
            trial_successes: 0,
        }
    }

    /// The state at `now` (an open breaker whose reset timeout has passed is half-open).
    pub fn state(&self, now: SimTime) -> BreakerState {
        match self.state {
            BreakerState::Open if now.since(self.opened_at) >= self.reset_timeout => {
                BreakerState::HalfOpen
            }
            s => s,
        }
    }

    /// When an open breaker turns half-open, if it is open.
    pub fn half_open_at(&self) -> Option<SimTime> {
        (self.state == BreakerState::Open).then(|| self.opened_at + self.reset_timeout)
    }

    /// Moves an open breaker whose timeout has passed to half-open, returning the transition
    /// (timed at the moment the timeout ran out, not at `now`).
    fn settle(&mut self, now: SimTime) -> Option<Transition> {
        if self.state == BreakerState::Open && now.since(self.opened_at) >= self.reset_timeout {
            self.state = BreakerState::HalfOpen;
            self.trials_out = 0;
            self.trial_successes = 0;
            return Some(Transition {
                at: self.opened_at + self.reset_timeout,
                from: BreakerState::Open,
                to: BreakerState::HalfOpen,
            });
        }
        None
    }

    /// Asks to make a call at `now`. Also returns the transition to half-open, if asking
    /// found the reset timeout over.
    pub fn admit(&mut self, now: SimTime) -> (Admission, Option<Transition>) {
        let moved = self.settle(now);
        let admission = match self.state {
            BreakerState::Closed => Admission::Call,
            BreakerState::Open => Admission::Refused,
            BreakerState::HalfOpen => {
                if self.trials_out + self.trial_successes < self.config.half_open_trials {
                    self.trials_out += 1;
                    Admission::Trial
                } else {
                    Admission::Refused
                }
            }
        };
        (admission, moved)
    }

    /// Reports the outcome of a call admitted earlier (`trial` as [`Admission::Trial`] said).
    /// Returns the transitions it caused, in order (at most two: a timeout that ran out before
    /// this report, then the report's own).
    pub fn record(&mut self, now: SimTime, ok: bool, trial: bool) -> Vec<Transition> {
        let mut out: Vec<Transition> = self.settle(now).into_iter().collect();
        if trial {
            // A trial reported after the breaker moved on (reopened by another trial) changes
            // nothing but its own count.
            if self.state != BreakerState::HalfOpen {
                return out;
            }
            self.trials_out = self.trials_out.saturating_sub(1);
            if ok {
                self.trial_successes += 1;
                if self.trial_successes >= self.config.half_open_trials {
                    self.state = BreakerState::Closed;
                    self.buckets.iter_mut().for_each(|b| *b = Bucket::default());
                    out.push(Transition {
                        at: now,
                        from: BreakerState::HalfOpen,
                        to: BreakerState::Closed,
                    });
                }
            } else {
                out.push(self.open(now, BreakerState::HalfOpen));
            }
            return out;
        }
        if self.state != BreakerState::Closed {
            // A call admitted while closed that finishes after the breaker opened: the window
            // that opened it is gone, so the late outcome is not counted.
            return out;
        }
        let index = now.0 / self.bucket_len.0;
        let slot = (index % self.buckets.len() as u64) as usize;
        let bucket = &mut self.buckets[slot];
        if bucket.index != index {
            *bucket = Bucket {
                index,
                calls: 0,
                failures: 0,
            };
        }
        bucket.calls += 1;
        if !ok {
            bucket.failures += 1;
            let oldest = index.saturating_sub(self.buckets.len() as u64 - 1);
            let (calls, failures) = self
                .buckets
                .iter()
                .filter(|b| b.index >= oldest && b.index <= index && b.calls > 0)
                .fold((0u64, 0u64), |(c, f), b| {
                    (c + u64::from(b.calls), f + u64::from(b.failures))
                });
            if calls >= u64::from(self.config.volume_threshold)
                && failures as f64 * 100.0 >= self.config.error_threshold_pct * calls as f64
            {
                out.push(self.open(now, BreakerState::Closed));
            }
        }
        out
    }

    fn open(&mut self, now: SimTime, from: BreakerState) -> Transition {
        self.state = BreakerState::Open;
        self.opened_at = now;
        self.trials_out = 0;
        self.trial_successes = 0;
        Transition {
            at: now,
            from,
            to: BreakerState::Open,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use BreakerState::{Closed, HalfOpen, Open};

    fn ms(v: u64) -> SimTime {
        SimTime(v * 1000)
    }

    /// Seed 003's delivery-service breaker, with a 10 s window in 10 buckets and 2 trials.
    fn delivery() -> CircuitBreaker {
        CircuitBreaker::new(BreakerConfig {
            error_threshold_pct: 40.0,
            volume_threshold: 5,
            window_ms: 10_000.0,
            buckets: 10,
            reset_timeout_ms: 60_000.0,
            half_open_trials: 2,
        })
    }

    fn call(b: &mut CircuitBreaker, at: SimTime, ok: bool) -> (Admission, Vec<Transition>) {
        let (admission, moved) = b.admit(at);
        let mut transitions: Vec<Transition> = moved.into_iter().collect();
        if admission != Admission::Refused {
            transitions.extend(b.record(at, ok, admission == Admission::Trial));
        }
        (admission, transitions)
    }

    #[test]
    fn opens_only_past_both_thresholds() {
        let mut b = delivery();
        // Four failures in a row: 100% errors, but fewer than five calls.
        for t in [100, 200, 300, 400] {
            assert_eq!(call(&mut b, ms(t), false), (Admission::Call, vec![]));
        }
        assert_eq!(b.state(ms(400)), Closed);
        // The fifth call succeeds: volume reached, 80% errors, but a success never opens.
        assert_eq!(call(&mut b, ms(500), true).1, vec![]);
        // The sixth fails: 5 of 6 failed (83% >= 40%) with 6 >= 5 calls: open.
        let (_, t) = call(&mut b, ms(600), false);
        assert_eq!(
            t,
            vec![Transition {
                at: ms(600),
                from: Closed,
                to: Open
            }]
        );
        assert_eq!(call(&mut b, ms(700), true).0, Admission::Refused);
    }

    #[test]
    fn many_calls_below_the_error_share_stay_closed_and_old_buckets_are_forgotten() {
        let mut b = delivery();
        // 3 failures in 10 calls: 30% < 40%.
        for i in 0..10u64 {
            call(&mut b, ms(i * 100), i < 7);
        }
        assert_eq!(b.state(ms(1_000)), Closed);
        // 11 s later the window has forgotten all of them: four failures are under the volume.
        for i in 0..4u64 {
            call(&mut b, ms(12_000 + i * 100), false);
        }
        assert_eq!(b.state(ms(12_400)), Closed);
        // A fifth failure reaches the volume: 5 of 5.
        let (_, t) = call(&mut b, ms(12_500), false);
        assert_eq!(t.last().map(|t| t.to), Some(Open));
    }

    #[test]
    fn half_open_after_the_reset_timeout_then_closes_after_the_trials() {
        let mut b = delivery();
        for t in 0..5 {
            call(&mut b, ms(t), false);
        }
        assert_eq!(b.state(ms(4)), Open);
        assert_eq!(b.half_open_at(), Some(ms(60_004)));
        assert_eq!(call(&mut b, ms(60_003), true).0, Admission::Refused);
        // The first call after the timeout is a trial; the transition is timed at the timeout.
        let (a, moved) = b.admit(ms(61_000));
        assert_eq!(a, Admission::Trial);
        assert_eq!(
            moved,
            Some(Transition {
                at: ms(60_004),
                from: Open,
                to: HalfOpen
            })
        );
        // A second trial may go while the first is out; a third may not.
        assert_eq!(b.admit(ms(61_001)).0, Admission::Trial);
        assert_eq!(b.admit(ms(61_002)).0, Admission::Refused);
        assert_eq!(b.record(ms(61_100), true, true), vec![]);
        assert_eq!(b.state(ms(61_100)), HalfOpen);
        assert_eq!(
            b.record(ms(61_200), true, true),
            vec![Transition {
                at: ms(61_200),
                from: HalfOpen,
                to: Closed
            }]
        );
        // Closed with an empty window: one failure does not reopen it.
        assert_eq!(call(&mut b, ms(61_300), false).1, vec![]);
    }

    #[test]
    fn a_failed_trial_reopens_and_restarts_the_timeout() {
        let mut b = delivery();
        for t in 0..5 {
            call(&mut b, ms(t), false);
        }
        let (a, _) = b.admit(ms(70_000));
        assert_eq!(a, Admission::Trial);
        assert_eq!(
            b.record(ms(70_050), false, true),
            vec![Transition {
                at: ms(70_050),
                from: HalfOpen,
                to: Open
            }]
        );
        assert_eq!(b.state(ms(130_049)), Open);
        assert_eq!(b.state(ms(130_050)), HalfOpen);
    }

    #[test]
    fn late_outcomes_of_calls_made_while_closed_do_not_count_once_open() {
        let mut b = delivery();
        let slow = b.admit(ms(0)).0;
        assert_eq!(slow, Admission::Call);
        for t in 1..6 {
            call(&mut b, ms(t), false);
        }
        assert_eq!(b.state(ms(6)), Open);
        assert_eq!(b.record(ms(5_000), true, false), vec![]);
        assert_eq!(b.state(ms(5_000)), Open);
    }

    #[test]
    fn bad_configurations_name_the_field() {
        let good = BreakerConfig {
            error_threshold_pct: 50.0,
            volume_threshold: 10,
            window_ms: 10_000.0,
            buckets: 10,
            reset_timeout_ms: 30_000.0,
            half_open_trials: 1,
        };
        assert_eq!(good.validate(), Ok(()));
        let path = |c: BreakerConfig| c.validate().unwrap_err().path;
        assert_eq!(
            path(BreakerConfig {
                error_threshold_pct: 0.0,
                ..good
            }),
            "error_threshold_pct"
        );
        assert_eq!(
            path(BreakerConfig {
                error_threshold_pct: f64::NAN,
                ..good
            }),
            "error_threshold_pct"
        );
        assert_eq!(
            path(BreakerConfig {
                volume_threshold: 0,
                ..good
            }),
            "volume_threshold"
        );
        assert_eq!(
            path(BreakerConfig {
                window_ms: 0.5,
                ..good
            }),
            "window_ms"
        );
        assert_eq!(path(BreakerConfig { buckets: 0, ..good }), "buckets");
        assert_eq!(
            path(BreakerConfig {
                reset_timeout_ms: -1.0,
                ..good
            }),
            "reset_timeout_ms"
        );
        assert_eq!(
            path(BreakerConfig {
                half_open_trials: 0,
                ..good
            }),
            "half_open_trials"
        );
    }
}
