//! What a run measured: streaming histograms per home region (bounded memory), counters, and the
//! serde [`Report`] that the CLI and the browser both render.

use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use super::histograms::Histograms;
use super::keys::Lag;
use super::model::{Model, SloMetric};
use super::timeline::FailureReport;
use crate::metrics::{LogHistogram, Summary};
use crate::time::{SimDuration, SimTime};

/// Histograms per home region, in µs (versions behind as plain counts).
#[derive(Debug, Clone)]
pub(crate) struct Metrics {
    read: Vec<LogHistogram>,
    write: Vec<LogHistogram>,
    staleness: Vec<LogHistogram>,
    versions_behind: LogHistogram,
}

impl Metrics {
    pub(crate) fn new(regions: usize) -> Self {
        Metrics {
            read: (0..regions).map(|_| LogHistogram::new()).collect(),
            write: (0..regions).map(|_| LogHistogram::new()).collect(),
            staleness: (0..regions).map(|_| LogHistogram::new()).collect(),
            versions_behind: LogHistogram::new(),
        }
    }

    pub(crate) fn record_read(&mut self, home: usize, latency: SimDuration, lag: Lag) {
        self.read[home].record(latency.as_micros());
        self.staleness[home].record(lag.staleness_us);
        self.versions_behind.record(u64::from(lag.versions_behind));
    }

    pub(crate) fn record_write(&mut self, home: usize, latency: SimDuration) {
        self.write[home].record(latency.as_micros());
    }

    /// Read latency, write latency and staleness histograms per home region, in µs.
    pub(crate) fn per_region(&self) -> [&[LogHistogram]; 3] {
        [&self.read, &self.write, &self.staleness]
    }

    pub(crate) fn merged(hs: &[LogHistogram]) -> LogHistogram {
        let mut all = LogHistogram::new();
        for h in hs {
            all.merge(h);
        }
        all
    }
}

/// Event counts of a run.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counters {
    /// Reads issued.
    pub reads: u64,
    /// Writes issued.
    pub writes: u64,
    /// Reads that returned data older than the newest committed write.
    pub stale_reads: u64,
    /// Reads the strategy sent on to the leader.
    pub fallback_reads: u64,
    /// Reads that waited for their replica to catch up.
    pub waited_reads: u64,
    /// Reads that missed the session's own earlier write of the same key.
    pub read_your_writes_violations: u64,
    /// Reads older than the session's earlier read of the same key.
    pub monotonic_read_violations: u64,
    /// Concurrent writes met at a replica (neither writer had seen the other).
    pub conflicts: u64,
    /// Concurrent writes that last-write-wins threw away on arrival.
    pub discarded_by_lww: u64,
    /// Values that last-write-wins overwrote with a concurrent write.
    pub overwritten_by_lww: u64,
    /// Client write attempts that passed their deadline.
    pub write_timeouts: u64,
    /// Write attempts retried after a timeout.
    pub write_retries: u64,
    /// Writes that failed after every attempt.
    pub write_failures: u64,
    /// Retries answered from the first attempt's result through the idempotency key.
    pub idempotent_retries: u64,
    /// Retries applied a second time because no idempotency key was used.
    pub duplicate_applies: u64,
    /// Replication batches sent again after a loss.
    pub batch_retries: u64,
    /// Replication batches dropped after the last retry.
    pub batch_drops: u64,
    /// Writes dropped because a replication buffer was full.
    pub buffer_drops: u64,
    /// Writes never applied at a replica because their batch was dropped.
    pub writes_lost_in_transit: u64,
}

/// Figures for one home region's clients.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegionReport {
    /// Region id.
    pub region: String,
    /// Read latency, ms.
    pub read_latency: Summary,
    /// Write latency, ms.
    pub write_latency: Summary,
    /// Staleness of reads, ms.
    pub staleness: Summary,
}

/// One SLO checked against the run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SloVerdict {
    /// E.g. "read latency p95 < 150 ms (SG)".
    pub label: String,
    /// The measured percentile, ms.
    pub measured_ms: f64,
    /// The bound, ms.
    pub below_ms: f64,
    /// Whether there were samples and measured < bound (an SLO with no samples does not pass).
    pub pass: bool,
    /// Samples behind the figure.
    pub samples: u64,
}

/// Everything a run measured. Times are milliseconds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Scenario name.
    pub scenario: String,
    /// Seed of the run.
    pub seed: u64,
    /// Arrival period, s.
    pub duration_s: f64,
    /// Simulated time when the report was taken, s (after draining, a little past the period).
    pub simulated_s: f64,
    /// Events processed.
    pub events: u64,
    /// Read latency over all clients.
    pub read_latency: Summary,
    /// Write latency over all clients.
    pub write_latency: Summary,
    /// Staleness of reads over all clients.
    pub staleness: Summary,
    /// Versions behind the newest committed write, per read (a count, not milliseconds).
    pub versions_behind: Summary,
    /// Per home region.
    pub regions: Vec<RegionReport>,
    /// Event counts.
    pub counters: Counters,
    /// SLO verdicts, in the scenario's order.
    pub slos: Vec<SloVerdict>,
    /// Per entity type (empty when the scenario defines none).
    pub entities: Vec<EntityReport>,
    /// Faults, failover, RTO/RPO and the timeline (absent when the scenario has no faults).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failures: Option<FailureReport>,
    /// The bars behind the latency and staleness summaries, when asked for
    /// ([`super::Simulation::report_with_histograms`], `meridian run --json --histograms`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub histograms: Option<Histograms>,
}

/// Conflicts and wallet invariants for one entity type.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntityReport {
    /// Entity type name.
    pub name: String,
    /// Its policy (`lww`, `field_merge`, `lww_balance`, `counter_balance`, `escrow`).
    pub policy: String,
    /// Keys of this type.
    pub keys: u32,
    /// Writes issued to these keys.
    pub writes: u64,
    /// Concurrent writes met at a replica that the policy had to resolve.
    pub conflicts: u64,
    /// Of those, writes whose change was thrown away.
    pub discarded_writes: u64,
    /// Wallet charges accepted by the region that received them.
    pub accepted_charges: u64,
    /// Wallet charges refused (not enough balance or escrow rights locally).
    pub refused_charges: u64,
    /// Wallets whose accepted charges exceed their funds (overspend).
    pub overspent_wallets: u64,
    /// Total overspent amount.
    pub overspent_amount: u64,
    /// Wallets whose converged balance misses accepted charges (lost charges).
    pub wallets_with_lost_charges: u64,
    /// Total amount charged but missing from the balances.
    pub lost_charge_amount: u64,
}

impl Report {
    /// Judges the `rto` and `rpo` objectives against the failure section: RTO is the worst
    /// time to the first acknowledged write after each fault (a fault after which no write
    /// succeeded counts as never recovered), RPO the window of lost acknowledged writes.
    /// Without faults they stay "not evaluated".
    pub(crate) fn judge_recovery(&mut self, model: &Model) {
        let Some(f) = &self.failures else {
            return;
        };
        for (slo, verdict) in model.slos.iter().zip(&mut self.slos) {
            let measured = match slo.metric {
                SloMetric::Rto => f
                    .faults
                    .iter()
                    .map(|o| o.rto_write_ms.unwrap_or(f64::INFINITY))
                    .fold(0.0, f64::max),
                SloMetric::Rpo => f.rpo.window_ms,
                _ => continue,
            };
            verdict.samples = f.faults.len() as u64;
            verdict.measured_ms = measured;
            verdict.pass = verdict.samples > 0 && measured < slo.below_ms;
        }
    }

    pub(crate) fn build(
        model: &Model,
        m: &Metrics,
        counters: &Counters,
        events: u64,
        now: SimTime,
    ) -> Self {
        let read = Metrics::merged(&m.read);
        let write = Metrics::merged(&m.write);
        let staleness = Metrics::merged(&m.staleness);
        let slos = model
            .slos
            .iter()
            .map(|slo| {
                let hist = match (slo.metric, slo.region) {
                    (SloMetric::ReadLatency, Some(r)) => &m.read[r],
                    (SloMetric::WriteLatency, Some(r)) => &m.write[r],
                    (SloMetric::Staleness, Some(r)) => &m.staleness[r],
                    (SloMetric::ReadLatency, None) => &read,
                    (SloMetric::WriteLatency, None) => &write,
                    (SloMetric::Staleness, None) => &staleness,
                    (SloMetric::Rto | SloMetric::Rpo, _) => {
                        // Judged from the failure figures (see `Report::judge_recovery`).
                        return SloVerdict {
                            label: slo.label.clone(),
                            measured_ms: 0.0,
                            below_ms: slo.below_ms,
                            pass: false,
                            samples: 0,
                        };
                    }
                };
                let measured_ms = hist.value_at_quantile(slo.percentile / 100.0) as f64 / 1000.0;
                SloVerdict {
                    label: slo.label.clone(),
                    measured_ms,
                    below_ms: slo.below_ms,
                    // Nothing measured proves nothing: an SLO without samples does not pass.
                    pass: hist.count() > 0 && measured_ms < slo.below_ms,
                    samples: hist.count(),
                }
            })
            .collect();
        Report {
            scenario: model.name.clone(),
            seed: model.seed,
            duration_s: model.duration.as_millis_f64() / 1000.0,
            simulated_s: now.as_millis_f64() / 1000.0,
            events,
            read_latency: read.summary_ms(),
            write_latency: write.summary_ms(),
            staleness: staleness.summary_ms(),
            versions_behind: m.versions_behind.summary_scaled(1.0),
            regions: model
                .topology
                .regions()
                .iter()
                .enumerate()
                .map(|(i, r)| RegionReport {
                    region: r.id.clone(),
                    read_latency: m.read[i].summary_ms(),
                    write_latency: m.write[i].summary_ms(),
                    staleness: m.staleness[i].summary_ms(),
                })
                .collect(),
            counters: counters.clone(),
            slos,
            entities: Vec::new(),
            failures: None,
            histograms: None,
        }
    }
}
