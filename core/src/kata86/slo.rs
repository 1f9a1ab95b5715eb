//! The exercise's service-level objectives, and a side-by-side check of all three read strategies.

use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use super::config::{Kata86Error, Kata86Params, ReadStrategy};
use super::report::SimResult;

/// A figure an SLO is stated on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SloMetric {
    /// p95 of read latency.
    ReadP95,
    /// p95 of write (charge) latency.
    WriteP95,
    /// p95 of staleness.
    StalenessP95,
}

impl SloMetric {
    /// The measured value of this metric.
    pub fn of(self, result: &SimResult) -> u32 {
        match self {
            SloMetric::ReadP95 => result.read_p95,
            SloMetric::WriteP95 => result.write_p95,
            SloMetric::StalenessP95 => result.staleness_p95,
        }
    }
}

/// "`metric` must stay below `below_ms`".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Slo {
    /// What is measured.
    pub metric: SloMetric,
    /// The objective holds when the measured value is strictly below this, in ms.
    pub below_ms: u32,
    /// Short human label, such as "read p95 < 150 ms".
    pub label: &'static str,
}

/// The exercise's targets: read p95 < 150 ms, charge p95 < 500 ms, staleness p95 < 2 s.
pub const SEED_SLOS: [Slo; 3] = [
    Slo {
        metric: SloMetric::ReadP95,
        below_ms: 150,
        label: "read p95 < 150 ms",
    },
    Slo {
        metric: SloMetric::WriteP95,
        below_ms: 500,
        label: "charge p95 < 500 ms",
    },
    Slo {
        metric: SloMetric::StalenessP95,
        below_ms: 2000,
        label: "staleness p95 < 2 s",
    },
];

/// One SLO checked against one run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SloVerdict {
    /// The objective.
    pub slo: Slo,
    /// The measured value, in ms.
    pub measured_ms: u32,
    /// Whether the objective holds.
    pub pass: bool,
}

impl Slo {
    /// Checks this objective against a result.
    pub fn check(&self, result: &SimResult) -> SloVerdict {
        let measured_ms = self.metric.of(result);
        SloVerdict {
            slo: *self,
            measured_ms,
            pass: measured_ms < self.below_ms,
        }
    }
}

/// One strategy's figures and SLO verdicts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StrategyComparison {
    /// The read strategy.
    pub strategy: ReadStrategy,
    /// Its figures, with every other parameter unchanged.
    pub result: SimResult,
    /// [`SEED_SLOS`] checked in order.
    pub verdicts: Vec<SloVerdict>,
}

impl StrategyComparison {
    /// Checks [`SEED_SLOS`] against `result`, the figures of a run with `strategy`.
    pub fn new(strategy: ReadStrategy, result: SimResult) -> Self {
        StrategyComparison {
            strategy,
            result,
            verdicts: SEED_SLOS.iter().map(|slo| slo.check(&result)).collect(),
        }
    }

    /// Whether every SLO holds.
    pub fn all_pass(&self) -> bool {
        self.verdicts.iter().all(|v| v.pass)
    }
}

/// Runs `params` once per read strategy (same seed, so the same lag draws) and checks the
/// exercise's SLOs for each.
pub fn compare_strategies(params: &Kata86Params) -> Result<Vec<StrategyComparison>, Kata86Error> {
    ReadStrategy::ALL
        .into_iter()
        .map(|strategy| {
            let result = Kata86Params {
                strategy,
                ..*params
            }
            .run()?
            .summary;
            Ok(StrategyComparison::new(strategy, result))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::config::{Region, StalenessAccounting};
    use super::*;

    #[test]
    fn pass_means_strictly_below() {
        let at = SimResult {
            read_p95: 150,
            write_p95: 499,
            staleness_p95: 0,
            staleness_p99: 0,
        };
        let v: Vec<bool> = SEED_SLOS.iter().map(|s| s.check(&at).pass).collect();
        assert_eq!(v, [false, true, true]);
    }

    #[test]
    fn far_client_trades_read_latency_for_freshness() {
        let params = Kata86Params {
            client: Region::Us,
            leader: Region::Sg,
            accounting: StalenessAccounting::ServedRead,
            ..Kata86Params::default()
        };
        let rows = compare_strategies(&params).unwrap();
        assert_eq!(rows.len(), 3);
        let local = &rows[0];
        let leader = &rows[1];
        // The client reaches SG in 40 ms and its local region US in 220 ms, so local reads miss
        // the read SLO, while leader reads are both faster and fresh.
        assert_eq!(local.result.read_p95, 220);
        assert_eq!(leader.result.read_p95, 40);
        assert_eq!(leader.result.staleness_p99, 0);
        assert!(local.result.staleness_p95 >= 150);
    }
}
