//! The distributions behind a run's report, as bars for drawing: read latency, write latency and
//! staleness, over all clients and per home region. The report itself carries only summaries;
//! [`Simulation::histograms`] gives the bars from the same streaming histograms, so a chart and
//! the report's percentiles never disagree about the samples.
//!
//! In JSON (`meridian run --json --histograms`, the report's `histograms` field) each list of bars
//! is written compactly: the bar width in µs once, then `[bar index, count]` pairs for the
//! non-empty bars, bar `i` covering `[i·width, (i+1)·width)`.

use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use super::report::Metrics;
use super::world::Simulation;
use crate::metrics::{Bin, LogHistogram};

/// About how many bars a metric's histogram is cut into (its width is a round number of
/// microseconds: 1, 2 or 5 times a power of ten).
pub const HISTOGRAM_BARS: u64 = 60;

/// One metric's bars, in milliseconds: over all clients, and per home region (in topology order).
/// Every list uses the same bar width, so the regions' charts compare bar for bar.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(into = "CompactBins", try_from = "CompactBins")]
pub struct MetricBins {
    /// Width of every bar, ms.
    pub width_ms: f64,
    /// Over all clients.
    pub overall: Vec<Bin>,
    /// Per home region, in topology order (empty lists for regions without samples).
    pub regions: Vec<Vec<Bin>>,
}

/// A run's histograms, from [`Simulation::histograms`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Histograms {
    /// Read latency.
    pub read_latency: MetricBins,
    /// Write latency.
    pub write_latency: MetricBins,
    /// Staleness of reads.
    pub staleness: MetricBins,
}

/// [`MetricBins`] as written in JSON: the bar width in µs and `(bar index, count)` pairs.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct CompactBins {
    width_us: u64,
    overall: Vec<(u64, u64)>,
    regions: Vec<Vec<(u64, u64)>>,
}

impl From<MetricBins> for CompactBins {
    fn from(m: MetricBins) -> Self {
        // Bar widths are whole microseconds (see `bar_width_us`), so this is exact.
        let width_us = (libm::round(m.width_ms * 1000.0) as u64).max(1);
        let pairs = |bins: &[Bin]| -> Vec<(u64, u64)> {
            bins.iter()
                .map(|b| (libm::round(b.lo_ms * 1000.0) as u64 / width_us, b.count))
                .collect()
        };
        CompactBins {
            width_us,
            overall: pairs(&m.overall),
            regions: m.regions.iter().map(|r| pairs(r)).collect(),
        }
    }
}

impl TryFrom<CompactBins> for MetricBins {
    type Error = String;

    fn try_from(c: CompactBins) -> Result<Self, String> {
        if c.width_us == 0 {
            return Err("width_us must be at least 1".into());
        }
        let bars = |pairs: &[(u64, u64)]| -> Result<Vec<Bin>, String> {
            pairs
                .iter()
                .map(|&(index, count)| {
                    let low = index
                        .checked_mul(c.width_us)
                        .filter(|low| low.checked_add(c.width_us).is_some())
                        .ok_or_else(|| alloc::format!("bar index {index} is out of range"))?;
                    Ok(Bin::from_micros_inclusive((
                        low,
                        low + c.width_us - 1,
                        count,
                    )))
                })
                .collect()
        };
        Ok(MetricBins {
            width_ms: c.width_us as f64 / 1000.0,
            overall: bars(&c.overall)?,
            regions: c
                .regions
                .iter()
                .map(|r| bars(r))
                .collect::<Result<_, _>>()?,
        })
    }
}

/// The round bar width in µs (1, 2 or 5 times a power of ten) that cuts `0..=max_us` into about
/// [`HISTOGRAM_BARS`] bars.
fn bar_width_us(max_us: u64) -> u64 {
    let target = (max_us / HISTOGRAM_BARS).max(1);
    let mut decade: u64 = 1;
    loop {
        for step in [1, 2, 5] {
            let width = decade.saturating_mul(step);
            if width >= target || width == u64::MAX {
                return width;
            }
        }
        decade = decade.saturating_mul(10);
    }
}

fn metric_bins(per_region: &[LogHistogram]) -> MetricBins {
    let all = Metrics::merged(per_region);
    let width = bar_width_us(all.max().unwrap_or(0));
    let bars = |h: &LogHistogram| {
        h.bins_linear(width)
            .into_iter()
            .map(Bin::from_micros_inclusive)
            .collect::<Vec<Bin>>()
    };
    MetricBins {
        width_ms: width as f64 / 1000.0,
        overall: bars(&all),
        regions: per_region.iter().map(bars).collect(),
    }
}

impl Simulation {
    /// The bars of read latency, write latency and staleness simulated so far, over all clients
    /// and per home region. Counts are exact; bar edges follow the streaming histograms (within
    /// 1/256 of each sample).
    pub fn histograms(&self) -> Histograms {
        let [read, write, staleness] = self.metrics().per_region();
        Histograms {
            read_latency: metric_bins(read),
            write_latency: metric_bins(write),
            staleness: metric_bins(staleness),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Scenario;

    #[test]
    fn bars_round_trip_through_their_compact_json() {
        let model = Scenario::preset("sg-us-multi-leader")
            .unwrap()
            .validate()
            .unwrap();
        let mut sim = Simulation::new(model);
        sim.run_until(crate::time::SimTime(10_000_000));
        let h = sim.histograms();
        let json = serde_json::to_string(&h).unwrap();
        assert!(
            json.starts_with("{\"read_latency\":{\"width_us\":"),
            "{json}"
        );
        let back: Histograms = serde_json::from_str(&json).unwrap();
        assert_eq!(back, h);
        for bad in [
            r#"{"width_us":0,"overall":[],"regions":[]}"#,
            r#"{"width_us":10,"overall":[[18446744073709551615,1]],"regions":[]}"#,
        ] {
            assert!(serde_json::from_str::<MetricBins>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn widths_are_round_and_give_about_sixty_bars() {
        assert_eq!(bar_width_us(0), 1);
        assert_eq!(bar_width_us(59), 1);
        assert_eq!(bar_width_us(300_000), 5_000);
        assert_eq!(bar_width_us(8_000_000), 200_000);
        assert!(bar_width_us(u64::MAX) >= u64::MAX / HISTOGRAM_BARS);
    }

    #[test]
    fn bars_count_every_sample_of_the_report() {
        let model = Scenario::preset("aws8-single-leader")
            .unwrap()
            .validate()
            .unwrap();
        let mut sim = Simulation::new(model);
        sim.run();
        let report = sim.report();
        let h = sim.histograms();
        let total = |bins: &[Bin]| bins.iter().map(|b| b.count).sum::<u64>();
        for (bins, summary, regions) in [
            (
                &h.read_latency,
                &report.read_latency,
                report
                    .regions
                    .iter()
                    .map(|r| r.read_latency)
                    .collect::<Vec<_>>(),
            ),
            (
                &h.write_latency,
                &report.write_latency,
                report.regions.iter().map(|r| r.write_latency).collect(),
            ),
            (
                &h.staleness,
                &report.staleness,
                report.regions.iter().map(|r| r.staleness).collect(),
            ),
        ] {
            assert_eq!(total(&bins.overall), summary.count);
            assert_eq!(bins.regions.len(), 8);
            for (region, s) in bins.regions.iter().zip(&regions) {
                assert_eq!(total(region), s.count);
            }
            assert!(bins.overall.windows(2).all(|w| w[0].hi_ms <= w[1].lo_ms));
            let last = bins.overall.last().unwrap();
            assert!(last.lo_ms <= summary.max && summary.max < last.hi_ms + bins.width_ms);
        }
    }
}
