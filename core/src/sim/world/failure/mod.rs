//! Failures in the world: the fault schedule's windows opening and closing, the failure
//! detector (heartbeats seen by a controller region), failover (reject writes, promote,
//! manual), failback, the routers' view of which region leads and which is down, and the
//! measurements only failures produce (timeline, log, RTO, RPO, split brain).
//!
//! None of this exists in a run without faults: the world's `failures` is `None`, no event is
//! added and no random number is drawn, so such runs are exactly what they were before faults.
//!
//! [`failover`] opens and closes fault windows and runs detection, promotion and failback;
//! [`route`] answers the handlers (where to send, whether a message arrives); [`measure`] keeps
//! the timeline, the RTO bookkeeping and the examples, and builds the report.

mod failover;
mod measure;
mod route;

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use crate::sim::check::Examples;
use crate::sim::fault::{FaultState, LwwClock};
use crate::sim::model::{Model, ReplicationModel};
use crate::sim::timeline::{FailureCounters, FaultOutcome, LogEntry, Rpo, TimelineRecorder};
use crate::time::{SimDuration, SimTime};

/// Why a write was refused at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rejection {
    /// The leader is detected down and unreachable (reject_writes, or before promotion).
    NoLeader,
    /// The `write_readonly_mode` toggle is on.
    ReadOnly,
    /// The region the write reached does not lead (any more).
    NotLeader,
}

/// Which way a client message travels (a one-way partition cuts one of them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Leg {
    /// From the client (its home region's side) to the region.
    Request,
    /// From the region back to the client.
    Answer,
    /// Both, decided when the request is sent (a quorum leg).
    RoundTrip,
}

/// A replication batch that found its path closed, waiting for a fault to end.
#[derive(Debug, Clone, Copy)]
pub(crate) struct HeldBatch {
    pub(crate) link: u32,
    pub(crate) count: u32,
    pub(crate) delivered: bool,
    pub(crate) generation: u32,
}

/// Everything the world keeps about failures.
#[derive(Debug, Clone)]
pub(crate) struct Failures {
    pub(crate) state: FaultState,
    regions: usize,
    /// Per region: which region it believes leads (single leader).
    pub(crate) believed_leader: Vec<usize>,
    /// The leader as the controller knows it.
    pub(crate) leader: Option<usize>,
    original_leader: Option<usize>,
    /// The controller's verdicts: regions declared down.
    pub(crate) detected_down: Vec<bool>,
    /// Bumped when a region's reachability changes, so stale detections are ignored.
    detect_epoch: Vec<u32>,
    detect_pending: Vec<bool>,
    promote_epoch: u32,
    /// Per region: the deposed leader must resynchronise from the leader when it rejoins.
    resync_pending: Vec<bool>,
    /// Extra one-way delay (µs) and loss probability per directed region pair.
    link_extra_us: Vec<u64>,
    link_loss: Vec<f64>,
    /// Per region: the apply-delay override active there (index into the model's faults).
    lag_override: Vec<Option<usize>>,
    /// Per region: clock offset (µs) and drift (ppm) since a start time.
    skew: Vec<Option<(i64, f64, SimTime)>>,
    pub(crate) counters: FailureCounters,
    outcomes: Vec<FaultOutcome>,
    /// Per fault: whether writes have recovered since it started.
    write_recovered: Vec<bool>,
    log: Vec<LogEntry>,
    pub(crate) timeline: TimelineRecorder,
    rpo: Rpo,
    oldest_lost_commit_us: Option<u64>,
    split_brain_us: u64,
    split_since: Option<SimTime>,
    /// Replication batches waiting for a crashed end or a partition to heal.
    pub(crate) held_batches: Vec<HeldBatch>,
    /// The first few examples of each anomaly.
    examples: Examples,
    /// Sticky sessions: the region each session moved to (`u16::MAX`: its own); empty unless
    /// sticky.
    pinned: Vec<u16>,
}

impl Failures {
    /// The failure state of `model`, or `None` when the model has nothing that needs it.
    pub(crate) fn for_model(model: &Model) -> Option<Box<Failures>> {
        if model.faults.is_empty() && model.lww_clock == LwwClock::Hybrid {
            return None;
        }
        let regions = model.topology.region_count();
        let leader = match &model.replication {
            ReplicationModel::SingleLeader { leader, .. } => Some(*leader),
            _ => None,
        };
        Some(Box::new(Failures {
            state: FaultState::new(
                regions,
                model.topology.nodes().iter().map(|n| n.region).collect(),
            ),
            regions,
            believed_leader: vec![leader.unwrap_or(0); regions],
            leader,
            original_leader: leader,
            detected_down: vec![false; regions],
            detect_epoch: vec![0; regions],
            detect_pending: vec![false; regions],
            promote_epoch: 0,
            resync_pending: vec![false; regions],
            link_extra_us: vec![0; regions * regions],
            link_loss: vec![0.0; regions * regions],
            lag_override: vec![None; regions],
            skew: vec![None; regions],
            counters: FailureCounters::default(),
            outcomes: model
                .faults
                .iter()
                .map(|f| FaultOutcome {
                    label: f.label.clone(),
                    kind: f.kind.name().into(),
                    start_s: f.start.as_millis_f64() / 1000.0,
                    end_s: f.end.map(|e| e.as_millis_f64() / 1000.0),
                    detected_s: None,
                    rto_write_ms: None,
                    rto_slo_ms: None,
                    writes_lost_to_outage: 0,
                })
                .collect(),
            write_recovered: vec![false; model.faults.len()],
            log: Vec::new(),
            timeline: TimelineRecorder::new(model.timeline_interval),
            rpo: Rpo::default(),
            oldest_lost_commit_us: None,
            split_brain_us: 0,
            split_since: None,
            held_batches: Vec::new(),
            examples: Examples::default(),
            pinned: if model.failover.sticky_sessions {
                vec![u16::MAX; model.clients.len() * model.sessions_per_client as usize]
            } else {
                Vec::new()
            },
        }))
    }

    /// Extra one-way delay from region `a` to `b` (a degraded link).
    #[inline]
    pub(crate) fn extra_one_way(&self, a: usize, b: usize) -> SimDuration {
        SimDuration::from_micros(self.link_extra_us[a * self.regions + b])
    }

    /// Loss probability of the link between `a` and `b` (0 unless degraded).
    #[inline]
    pub(crate) fn loss(&self, a: usize, b: usize) -> f64 {
        self.link_loss[a * self.regions + b]
    }

    /// Regions accepting writes as leader: up, and believing they lead.
    fn acting_leaders(&self) -> usize {
        (0..self.regions)
            .filter(|&r| {
                self.leader.is_some() && self.state.is_up(r) && self.believed_leader[r] == r
            })
            .count()
    }

    /// The region whose detector decides: the configured controller while it is up, else the
    /// first region up (a standby takes over), or none when every region is down.
    pub(crate) fn controller(&self, configured: usize) -> Option<usize> {
        if self.state.is_up(configured) {
            return Some(configured);
        }
        (0..self.regions).find(|&r| self.state.is_up(r))
    }

    fn log(&mut self, now: SimTime, what: String) {
        self.log.push(LogEntry {
            at_s: now.as_millis_f64() / 1000.0,
            what,
        });
    }
}
