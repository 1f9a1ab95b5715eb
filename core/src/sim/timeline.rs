//! What a run with failures measured over time: a per-interval timeline, a log of faults,
//! detections, promotions and toggles, and per fault its recovery time (RTO) and the
//! acknowledged writes it lost (RPO).
//!
//! Memory follows the number of intervals (and the log's length, a few entries per fault),
//! never the number of requests: each interval keeps its counts and the percentiles of its
//! histograms, which are cleared when it closes.

use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use crate::metrics::LogHistogram;
use crate::time::{SimDuration, SimTime};

/// One interval of the timeline. Operations count in the interval in which they completed
/// (attempts in the one in which they arrived).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    /// Start of the interval, s.
    pub start_s: f64,
    /// Reads that arrived.
    pub reads: u64,
    /// Reads answered.
    pub reads_ok: u64,
    /// Reads that got no answer before their deadline.
    pub reads_failed: u64,
    /// Writes that arrived.
    pub writes: u64,
    /// Writes acknowledged.
    pub writes_ok: u64,
    /// Writes refused at once (leader unavailable, read-only mode, not the leader).
    pub writes_rejected: u64,
    /// Writes that failed after every attempt.
    pub writes_failed: u64,
    /// Read latency p95 of the reads answered, ms (0 without any).
    pub read_p95_ms: f64,
    /// Write latency p95 of the writes acknowledged, ms (0 without any).
    pub write_p95_ms: f64,
    /// Staleness p95 of the reads answered, ms.
    pub staleness_p95_ms: f64,
    /// Writes queued in replication agents at the end of the interval.
    pub backlog: u64,
    /// Regions that accept writes as leader at the end of the interval (single leader; two or
    /// more is split brain).
    pub leaders: Vec<String>,
    /// Regions down at the end of the interval.
    pub down: Vec<String>,
    /// Indices (into the report's `faults`) of the faults active at the end of the interval.
    pub active_faults: Vec<usize>,
    /// Where each client population's requests go at the end of the interval, in the order of
    /// the scenario's clients.
    #[serde(default)]
    pub routes: Vec<ClientRoute>,
}

/// Where one client population's requests go at a moment of the run, as the routers see it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientRoute {
    /// The population's name.
    pub client: String,
    /// The region its reads that start at the local replica go to: home, or the first healthy
    /// region of its failover order once home is declared down; `None` when no region is
    /// healthy. (A sticky session that moved earlier may still be elsewhere.)
    pub reads: Option<String>,
    /// The region its writes go to; `None` when they are refused at once (no reachable leader,
    /// read-only mode). For partitioned designs, where each key has its owner, the owner of
    /// the first key.
    pub writes: Option<String>,
}

/// One entry of the event log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogEntry {
    /// When, s.
    pub at_s: f64,
    /// What happened, e.g. "controller US detects SG down".
    pub what: String,
}

/// How one scheduled fault went.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FaultOutcome {
    /// The fault, e.g. "region_down SG at 60 s for 120 s".
    pub label: String,
    /// Its kind.
    pub kind: String,
    /// Start, s.
    pub start_s: f64,
    /// End, s (absent when it never ends or is an operator action).
    pub end_s: Option<f64>,
    /// When the failure detector declared a region down because of it, s.
    pub detected_s: Option<f64>,
    /// Recovery time for writes: from the start to the first write that arrived after the start
    /// and was acknowledged, ms. Absent if no such write happened.
    pub rto_write_ms: Option<f64>,
    /// Recovery time to the SLOs: from the start to the end of the first later interval in which
    /// every operation succeeded and the latency SLOs held over that interval, ms.
    pub rto_slo_ms: Option<f64>,
    /// Writes refused or failed from the start until writes recovered.
    pub writes_lost_to_outage: u64,
}

/// One example of an anomaly, for the report: when, which key and client, and what the
/// operation should have seen against what it saw.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnomalyExample {
    /// `stale_read`, `read_your_writes`, `monotonic_reads`, `lost_update`, `double_charge` (a
    /// retry without an idempotency key applied again: expected is the first application), or
    /// for wallets `overspend` and `lost_charges`.
    pub kind: String,
    /// When it was observed, s.
    pub at_s: f64,
    /// The key.
    pub key: u32,
    /// The client population (`(replication)` for a lost update found when applying a write).
    pub client: String,
    /// What it should have seen, e.g. "write stamped 12.345678 s at SG" (the writer's clock).
    pub expected: String,
    /// What it saw.
    pub seen: String,
}

/// Examples kept per anomaly kind.
pub const EXAMPLES_PER_KIND: usize = 3;

/// Acknowledged writes lost to failovers (the recovery point objective, measured).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Rpo {
    /// Acknowledged writes the new leader never received.
    pub lost_writes: u64,
    /// For wallet keys: the money those writes moved.
    pub lost_amount: u64,
    /// From the oldest lost write's commit to the promotion that lost it, ms (0 without losses).
    pub window_ms: f64,
}

/// Counts that only failures produce.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailureCounters {
    /// Reads with no answer before their deadline.
    pub reads_failed: u64,
    /// Writes refused at once because no leader was available.
    pub writes_rejected_no_leader: u64,
    /// Writes refused at once by the read-only toggle.
    pub writes_rejected_readonly: u64,
    /// Writes refused by a region that no longer (or not yet) leads.
    pub writes_rejected_not_leader: u64,
    /// Reads served while the read's home region had no reachable leader (degraded mode).
    pub degraded_reads: u64,
    /// Reads served away from their local replica because it was detected down.
    pub rerouted_reads: u64,
    /// Times a router answered "region unavailable" (nothing healthy reachable); the client
    /// retries after a heartbeat interval, until its deadline.
    pub reads_region_unavailable: u64,
    /// Client messages lost to a crash, a partition or a lossy link.
    pub messages_lost: u64,
    /// Writes that replaced a newer value they had seen (lost updates), e.g. under clock skew.
    pub lost_updates: u64,
    /// Quorum operations that could not reach R or W replicas.
    pub quorum_unavailable: u64,
    /// Reads of optional entity types the `disable_recs` toggle shed.
    pub reads_shed: u64,
}

/// The failure part of a report; present when the scenario has a fault schedule.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FailureReport {
    /// The failover policy (`reject_writes`, `promote`, `manual`).
    pub policy: String,
    /// Each scheduled fault and how it went.
    pub faults: Vec<FaultOutcome>,
    /// Acknowledged writes lost.
    pub rpo: Rpo,
    /// Time during which two or more regions accepted writes as leader, ms.
    pub split_brain_ms: f64,
    /// Counts.
    pub counters: FailureCounters,
    /// Faults, detections, promotions, failbacks and toggles in time order.
    pub log: Vec<LogEntry>,
    /// The first few examples of each anomaly the checker counted.
    pub anomalies: Vec<AnomalyExample>,
    /// Interval length, s.
    pub interval_s: f64,
    /// The timeline.
    pub timeline: Vec<Interval>,
}

/// Collects the timeline while the run goes.
#[derive(Debug, Clone)]
pub(crate) struct TimelineRecorder {
    interval: SimDuration,
    /// Closed intervals.
    pub(crate) closed: Vec<Interval>,
    /// The open interval's counts.
    pub(crate) open: Interval,
    read: LogHistogram,
    write: LogHistogram,
    staleness: LogHistogram,
}

impl TimelineRecorder {
    pub(crate) fn new(interval: SimDuration) -> Self {
        TimelineRecorder {
            interval,
            closed: Vec::new(),
            open: Interval::default(),
            read: LogHistogram::new(),
            write: LogHistogram::new(),
            staleness: LogHistogram::new(),
        }
    }

    /// Start of the open interval.
    pub(crate) fn open_start(&self) -> SimTime {
        SimTime(self.interval.as_micros() * self.closed.len() as u64)
    }

    /// End of the open interval.
    pub(crate) fn open_end(&self) -> SimTime {
        SimTime(self.interval.as_micros() * (self.closed.len() as u64 + 1))
    }

    /// Closes the open interval, `snapshot` filling in its state columns.
    pub(crate) fn close(&mut self, snapshot: impl FnOnce(&mut Interval)) {
        let mut iv = core::mem::take(&mut self.open);
        iv.start_s = self.open_start().as_millis_f64() / 1000.0;
        let p95 = |h: &LogHistogram| {
            if h.is_empty() {
                0.0
            } else {
                h.value_at_quantile(0.95) as f64 / 1000.0
            }
        };
        iv.read_p95_ms = p95(&self.read);
        iv.write_p95_ms = p95(&self.write);
        iv.staleness_p95_ms = p95(&self.staleness);
        snapshot(&mut iv);
        self.read.clear();
        self.write.clear();
        self.staleness.clear();
        self.closed.push(iv);
    }

    pub(crate) fn read_ok(&mut self, latency: SimDuration, staleness_us: u64) {
        self.open.reads_ok += 1;
        self.read.record(latency.as_micros());
        self.staleness.record(staleness_us);
    }

    pub(crate) fn write_ok(&mut self, latency: SimDuration) {
        self.open.writes_ok += 1;
        self.write.record(latency.as_micros());
    }
}
