//! The anomaly checker: judges what the simulated history did against what it promised.
//!
//! * **Sessions**: a read that misses the session's own earlier write of the key breaks
//!   read-your-writes; a read older than the session's earlier read of the key breaks monotonic
//!   reads. The same rule decides whether a session read may be served locally.
//! * **Wallets**: after the run, each wallet's accepted charges are reconciled against its
//!   starting balance (overspends) and against the balance the replicas converged to (charges
//!   that vanished).
//! * **Examples** (runs with faults): the first few of each anomaly, with when, which key and
//!   client, and what should have been seen against what was.

use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use super::fault::CLOCK_EPOCH_US;
use super::keys::{Held, KeyTable};
use super::policy::Entities;
use super::report::{Counters, EntityReport};
use super::strategy::SessionGuarantee;
use super::timeline::{AnomalyExample, EXAMPLES_PER_KIND};
use crate::conflict::Stamp;
use crate::time::SimTime;
use crate::topology::Topology;

const NONE_KEY: u32 = u32::MAX;

/// What a client session remembers: its latest completed write and read (key, stamp, and when
/// the client saw it complete). Guarantees are judged per key against these.
#[derive(Debug, Clone, Copy)]
struct Session {
    last_write_key: u32,
    last_write_stamp: Stamp,
    last_write_done: SimTime,
    last_read_key: u32,
    last_read_stamp: Stamp,
    last_read_done: SimTime,
}

impl Session {
    const NEW: Session = Session {
        last_write_key: NONE_KEY,
        last_write_stamp: Stamp::INITIAL,
        last_write_done: SimTime::ZERO,
        last_read_key: NONE_KEY,
        last_read_stamp: Stamp::INITIAL,
        last_read_done: SimTime::ZERO,
    };
}

/// Every client session's memory, and the session guarantees judged against it.
#[derive(Debug, Clone)]
pub(crate) struct SessionChecker {
    sessions: Vec<Session>,
}

impl SessionChecker {
    pub(crate) fn new(sessions: usize) -> Self {
        SessionChecker {
            sessions: vec![Session::NEW; sessions],
        }
    }

    /// Whether a replica holding `held_stamp` for `key` can serve `session` a read without
    /// breaking `guarantee` (used by session reads to decide whether to serve locally).
    pub(crate) fn satisfies(
        &self,
        session: u32,
        key: u32,
        held_stamp: Stamp,
        guarantee: SessionGuarantee,
    ) -> bool {
        let s = &self.sessions[session as usize];
        let ryw = s.last_write_key != key || held_stamp >= s.last_write_stamp;
        let mono = s.last_read_key != key || held_stamp >= s.last_read_stamp;
        match guarantee {
            SessionGuarantee::ReadYourWrites => ryw,
            SessionGuarantee::MonotonicReads => mono,
            SessionGuarantee::Both => ryw && mono,
        }
    }

    /// Judges a read of `key` issued at `start` that returned `held` at `done`, counting
    /// anomalies in `counters`, then remembers it. Anomalies only count against what the session
    /// had seen complete before the read was issued; a write or read still in flight may
    /// legitimately be missed. Returns the stamps the read should have reached: the session's
    /// write it missed, and the session's earlier read it went behind, if any.
    pub(crate) fn observe_read(
        &mut self,
        session: u32,
        key: u32,
        start: SimTime,
        held: Held,
        done: SimTime,
        counters: &mut Counters,
    ) -> (Option<Stamp>, Option<Stamp>) {
        let s = &mut self.sessions[session as usize];
        let mut broken = (None, None);
        if s.last_write_key == key && s.last_write_done <= start && held.stamp < s.last_write_stamp
        {
            counters.read_your_writes_violations += 1;
            broken.0 = Some(s.last_write_stamp);
        }
        if s.last_read_key == key && s.last_read_done <= start && held.stamp < s.last_read_stamp {
            counters.monotonic_read_violations += 1;
            broken.1 = Some(s.last_read_stamp);
        }
        if done >= s.last_read_done {
            s.last_read_key = key;
            s.last_read_stamp = held.stamp;
            s.last_read_done = done;
        }
        broken
    }

    /// Remembers that `session`'s write of `key` with `stamp` completed at `done`.
    pub(crate) fn observe_write(&mut self, session: u32, key: u32, stamp: Stamp, done: SimTime) {
        let s = &mut self.sessions[session as usize];
        s.last_write_key = key;
        s.last_write_stamp = stamp;
        s.last_write_done = done;
    }
}

/// The first few examples of each anomaly kind.
#[derive(Debug, Clone, Default)]
pub(crate) struct Examples {
    list: Vec<AnomalyExample>,
}

impl Examples {
    /// Whether another example of `kind` would be kept.
    pub(crate) fn wants(&self, kind: &str) -> bool {
        self.list.iter().filter(|e| e.kind == kind).count() < EXAMPLES_PER_KIND
    }

    /// Keeps `example` if its kind still wants one.
    pub(crate) fn keep(&mut self, example: AnomalyExample) {
        if self.wants(&example.kind) {
            self.list.push(example);
        }
    }

    pub(crate) fn into_vec(self) -> Vec<AnomalyExample> {
        self.list
    }
}

/// Describes a stamp of a run with failures: "write stamped 12.345678 s at SG" (the writer's
/// clock, skew included), or the initial value.
pub(crate) fn describe_stamp(topo: &Topology, stamp: Stamp) -> String {
    if stamp == Stamp::INITIAL {
        return String::from("the initial value");
    }
    let id = topo
        .regions()
        .get(stamp.node())
        .map_or("?", |r| r.id.as_str());
    let clock_s = stamp.clock_us() as f64 / 1e6 - CLOCK_EPOCH_US as f64 / 1e6;
    format!("write stamped {clock_s:.6} s at {id}")
}

/// The first few overspent wallets and wallets with lost charges, as anomaly examples taken at
/// the end of the run (`at`).
pub(crate) fn wallet_examples(
    entities: &Entities,
    keys: &KeyTable,
    at: SimTime,
) -> Vec<AnomalyExample> {
    let mut out = Examples::default();
    for e in entities.spans() {
        let Some((initial, _)) = e.policy.wallet() else {
            continue;
        };
        for key in e.first_key..e.end_key {
            let charged = entities.charged[key as usize];
            let truth = i64::from(initial) - charged;
            let shown = keys.held(0, key).value;
            let example = |kind: &str, expected: String, seen: String| AnomalyExample {
                kind: kind.into(),
                at_s: at.as_millis_f64() / 1000.0,
                key,
                client: format!("(entity {})", e.name),
                expected,
                seen,
            };
            if truth < 0 {
                out.keep(example(
                    "overspend",
                    format!("charges within the balance of {initial}"),
                    format!("{charged} charged"),
                ));
            }
            if shown > truth {
                out.keep(example(
                    "lost_charges",
                    format!("balance {truth} ({initial} - {charged} charged)"),
                    format!("balance {shown}"),
                ));
            }
        }
    }
    out.into_vec()
}

/// Per entity type: its counts, and for wallets the reconciliation of accepted charges against
/// the starting balance and the converged balance (replica 0's view; after draining, all
/// replicas agree).
pub(crate) fn entity_reports(entities: &Entities, keys: &KeyTable) -> Vec<EntityReport> {
    entities
        .spans()
        .iter()
        .zip(&entities.stats)
        .map(|(e, st)| {
            let mut r = EntityReport {
                name: e.name.clone(),
                policy: e.policy.name().into(),
                keys: e.end_key - e.first_key,
                writes: st.writes,
                conflicts: st.conflicts,
                discarded_writes: st.discarded_writes,
                accepted_charges: st.accepted_charges,
                refused_charges: st.refused_charges,
                ..EntityReport::default()
            };
            if let Some((initial, _)) = e.policy.wallet() {
                for key in e.first_key..e.end_key {
                    let truth = i64::from(initial) - entities.charged[key as usize];
                    if truth < 0 {
                        r.overspent_wallets += 1;
                        r.overspent_amount += (-truth) as u64;
                    }
                    let shown = keys.held(0, key).value;
                    if shown > truth {
                        r.wallets_with_lost_charges += 1;
                        r.lost_charge_amount += (shown - truth) as u64;
                    }
                }
            }
            r
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn held(stamp: u64) -> Held {
        Held {
            stamp: Stamp::from_bits(stamp),
            ..Held::default()
        }
    }

    fn at(us: u64) -> SimTime {
        SimTime(us)
    }

    #[test]
    fn a_read_missing_the_sessions_completed_write_breaks_read_your_writes() {
        let mut c = SessionChecker::new(1);
        let mut counters = Counters::default();
        c.observe_write(0, 7, Stamp::from_bits(100), at(10));
        assert!(!c.satisfies(0, 7, Stamp::from_bits(99), SessionGuarantee::ReadYourWrites));
        assert!(c.satisfies(
            0,
            7,
            Stamp::from_bits(100),
            SessionGuarantee::ReadYourWrites
        ));
        assert!(c.satisfies(0, 8, Stamp::from_bits(0), SessionGuarantee::ReadYourWrites));
        // Issued before the write completed: not an anomaly.
        c.observe_read(0, 7, at(5), held(99), at(20), &mut counters);
        assert_eq!(counters.read_your_writes_violations, 0);
        c.observe_read(0, 7, at(30), held(99), at(40), &mut counters);
        assert_eq!(counters.read_your_writes_violations, 1);
    }

    #[test]
    fn a_read_older_than_the_sessions_earlier_read_breaks_monotonic_reads() {
        let mut c = SessionChecker::new(1);
        let mut counters = Counters::default();
        c.observe_read(0, 3, at(0), held(50), at(10), &mut counters);
        assert!(!c.satisfies(0, 3, Stamp::from_bits(40), SessionGuarantee::MonotonicReads));
        assert!(c.satisfies(0, 3, Stamp::from_bits(40), SessionGuarantee::ReadYourWrites));
        c.observe_read(0, 3, at(20), held(40), at(30), &mut counters);
        assert_eq!(counters.monotonic_read_violations, 1);
        assert_eq!(counters.read_your_writes_violations, 0);
    }
}
