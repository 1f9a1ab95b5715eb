//! The charts of a scenario run, decided once for the page and the CLI: which charts a run has,
//! their titles, their percentile and SLO lines, their sizes and their file names.
//!
//! * [`metric_charts`]: read latency, write latency and staleness, a histogram and a CDF each,
//!   over all clients or the clients of one home region (the Scenario view);
//! * [`timeline_chart`]: the failure timeline of a run with faults (the Drill view);
//! * [`policies_chart`]: the write success rate of a drill's runs, one line per failover policy
//!   (the Drill view's policy comparison);
//! * [`compare_charts`]: two runs' CDFs overlaid (the Compare view);
//! * [`run_charts`] and [`drill_charts`]: what `meridian run --svg` and `meridian drill --svg`
//!   write, the same charts the page shows for the same run.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use super::timeline::{Run, describe_timeline, timeline_svg, write_rates_svg};
use super::{
    CdfSeries, CdfSpec, Chart, HistogramSpec, LATENCY_COLOR, Marker, PERCENTILE_COLOR, RGBColor,
    SERIES_A_COLOR, SERIES_B_COLOR, SLO_COLOR, STALENESS_COLOR, cdf_chart, cdfs_svg,
    histogram_chart,
};
use crate::format::millis;
use crate::metrics::Summary;
use crate::sim::{FailoverPolicy, FailureReport, Histograms, MetricBins, Model, Report, SloMetric};

/// Width of a latency or staleness chart, px.
pub const METRIC_WIDTH: u32 = 560;
/// Height of a latency or staleness chart, px.
pub const METRIC_HEIGHT: u32 = 300;
/// Width of the failure timeline, px.
pub const TIMELINE_WIDTH: u32 = 960;
/// Height of the failure timeline, px.
pub const TIMELINE_HEIGHT: u32 = 640;
/// Width of the policies' write-rate chart, px.
pub const POLICIES_WIDTH: u32 = 900;
/// Height of the policies' write-rate chart, px.
pub const POLICIES_HEIGHT: u32 = 300;

/// One finished run as the charts read it.
#[derive(Debug, Clone, Copy)]
pub struct RunData<'a> {
    /// The model that ran (topology for region names, SLOs for their lines).
    pub model: &'a Model,
    /// Its report (percentiles, failures).
    pub report: &'a Report,
    /// Its bars ([`crate::sim::Simulation::histograms`]).
    pub histograms: &'a Histograms,
}

/// One metric's two charts.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricCharts {
    /// `read`, `write` or `staleness`.
    pub key: &'static str,
    /// Its histogram (log count axis).
    pub histogram: Chart,
    /// Its cumulative distribution.
    pub cdf: Chart,
}

/// A charted metric: key, title, what it counts, the SLO metric, its bars and colour.
struct Metric {
    key: &'static str,
    title: &'static str,
    count_label: &'static str,
    slo: SloMetric,
    color: RGBColor,
}

const METRICS: [Metric; 3] = [
    Metric {
        key: "read",
        title: "Read latency",
        count_label: "reads",
        slo: SloMetric::ReadLatency,
        color: LATENCY_COLOR,
    },
    Metric {
        key: "write",
        title: "Write latency",
        count_label: "writes",
        slo: SloMetric::WriteLatency,
        color: LATENCY_COLOR,
    },
    Metric {
        key: "staleness",
        title: "Staleness of reads",
        count_label: "reads",
        slo: SloMetric::Staleness,
        color: STALENESS_COLOR,
    },
];

impl Metric {
    fn bins<'a>(&self, h: &'a Histograms) -> &'a MetricBins {
        match self.slo {
            SloMetric::WriteLatency => &h.write_latency,
            SloMetric::Staleness => &h.staleness,
            _ => &h.read_latency,
        }
    }
}

/// The summary of `metric` in `report`, over all clients or those of region `scope` (none for
/// the recovery objectives, which have no distribution).
fn summary_of(report: &Report, metric: SloMetric, scope: Option<usize>) -> Summary {
    let (read, write, stale) = match scope {
        None => (report.read_latency, report.write_latency, report.staleness),
        Some(i) => match report.regions.get(i) {
            Some(r) => (r.read_latency, r.write_latency, r.staleness),
            None => return Summary::default(),
        },
    };
    match metric {
        SloMetric::ReadLatency => read,
        SloMetric::WriteLatency => write,
        SloMetric::Staleness => stale,
        SloMetric::Rto | SloMetric::Rpo => Summary::default(),
    }
}

/// The p95/p99 lines of `summary` and the SLO lines of `model` on `metric` that apply to
/// `scope` (whole-population objectives, and those of the region shown).
pub fn markers(
    model: &Model,
    metric: SloMetric,
    summary: &Summary,
    scope: Option<usize>,
) -> Vec<Marker> {
    let mut out = Vec::new();
    if summary.count > 0 {
        for (name, v) in [("p95", summary.p95), ("p99", summary.p99)] {
            out.push(Marker {
                at_ms: v,
                label: format!("{name} {}", millis(v)),
                color: PERCENTILE_COLOR,
            });
        }
    }
    for slo in &model.slos {
        if slo.metric == metric && (slo.region.is_none() || slo.region == scope) {
            out.push(Marker {
                at_ms: slo.below_ms,
                label: format!("SLO p{} < {}", slo.percentile, millis(slo.below_ms)),
                color: SLO_COLOR,
            });
        }
    }
    out
}

/// Read latency, write latency and staleness of `run`, a histogram and a CDF each, over all
/// clients (`scope` none) or the clients homed in region `scope`, as the Scenario view draws
/// them. A scope past the topology's regions counts as all clients.
pub fn metric_charts(run: &RunData<'_>, scope: Option<usize>) -> Vec<MetricCharts> {
    let regions = run.model.topology.regions();
    let scope = scope.filter(|&i| i < regions.len());
    let where_ = match scope.and_then(|i| regions.get(i)) {
        Some(r) => format!(" · clients of {}", r.id),
        None => String::new(),
    };
    METRICS
        .iter()
        .map(|m| {
            let all = m.bins(run.histograms);
            let bins = match scope {
                Some(i) => all.regions.get(i).map_or(&[][..], Vec::as_slice),
                None => all.overall.as_slice(),
            };
            let summary = summary_of(run.report, m.slo, scope);
            let marks = markers(run.model, m.slo, &summary, scope);
            let title = format!("{}{where_}", m.title);
            let cdf_title = format!("{title} (CDF)");
            let spec = |title| HistogramSpec {
                title,
                x_label: "ms",
                count_label: m.count_label,
                bins,
                markers: &marks,
                color: m.color,
            };
            MetricCharts {
                key: m.key,
                histogram: histogram_chart(&spec(&title), METRIC_WIDTH, METRIC_HEIGHT),
                cdf: cdf_chart(&spec(&cdf_title), METRIC_WIDTH, METRIC_HEIGHT),
            }
        })
        .collect()
}

/// The failure timeline of `report`, as the Drill view draws it, or none for a run without
/// faults. Its name carries the failover policy (`failure-timeline-promote.svg`).
pub fn timeline_chart(report: &Report) -> Option<Chart> {
    let f = report.failures.as_ref()?;
    let title = format!("{} · failover policy {}", report.scenario, f.policy);
    Some(Chart {
        name: format!("failure timeline {}", f.policy),
        svg: timeline_svg(&title, f, TIMELINE_WIDTH, TIMELINE_HEIGHT),
        aria: describe_timeline(&title, f),
        width: TIMELINE_WIDTH,
        height: TIMELINE_HEIGHT,
    })
}

/// Every chart of `run` over all clients, as the Scenario view draws them (read latency, write
/// latency and staleness: histogram then CDF each), then, for a run with faults, its failure
/// timeline as the Drill view draws it: what `meridian run --svg` writes.
pub fn run_charts(run: &RunData<'_>) -> Vec<Chart> {
    let mut out: Vec<Chart> = metric_charts(run, None)
        .into_iter()
        .flat_map(|m| [m.histogram, m.cdf])
        .collect();
    out.extend(timeline_chart(run.report));
    out
}

/// Colour and dash pattern of a policy's line: solid blue, dashed vermillion, dotted green.
pub fn line_style(policy: FailoverPolicy) -> (RGBColor, Option<(u32, u32)>) {
    match policy {
        FailoverPolicy::RejectWrites => (SERIES_A_COLOR, None),
        FailoverPolicy::Promote => (SERIES_B_COLOR, Some((9, 4))),
        FailoverPolicy::Manual => (RGBColor(0, 158, 115), Some((2, 4))),
    }
}

/// The write success rate of each of a drill's `runs` (one per failover policy) on one chart,
/// the faults shaded, as the Drill view draws it.
pub fn policies_chart(runs: &[(FailoverPolicy, &FailureReport)]) -> Chart {
    let series: Vec<Run<'_>> = runs
        .iter()
        .map(|(policy, f)| {
            let (color, dash) = line_style(*policy);
            Run {
                label: policy.name(),
                failures: f,
                color,
                dash,
            }
        })
        .collect();
    let aria = format!(
        "Writes acknowledged per interval under each failover policy, with the faults shaded: {}",
        runs.iter()
            .map(|(p, f)| format!(
                "{} RTO (writes) {}",
                p.name(),
                f.faults
                    .first()
                    .and_then(|o| o.rto_write_ms)
                    .map_or_else(|| "not recovered".to_string(), millis)
            ))
            .collect::<Vec<_>>()
            .join(", ")
    );
    Chart {
        name: "writes acknowledged by policy".into(),
        svg: write_rates_svg(
            "Writes acknowledged, % per interval",
            &series,
            POLICIES_WIDTH,
            POLICIES_HEIGHT,
        ),
        aria,
        width: POLICIES_WIDTH,
        height: POLICIES_HEIGHT,
    }
}

/// What `meridian drill --svg` writes for a drill's `runs` (one report per failover policy):
/// each policy's failure timeline, then their write success rates on one chart, as the Drill
/// view draws them. Runs without a failure section are left out.
pub fn drill_charts(runs: &[(FailoverPolicy, &Report)]) -> Vec<Chart> {
    let mut out: Vec<Chart> = runs.iter().filter_map(|(_, r)| timeline_chart(r)).collect();
    let failures: Vec<(FailoverPolicy, &FailureReport)> = runs
        .iter()
        .filter_map(|(p, r)| Some((*p, r.failures.as_ref()?)))
        .collect();
    if !failures.is_empty() {
        out.push(policies_chart(&failures));
    }
    out
}

/// Read latency, write latency and staleness of option A and option B overlaid as CDFs, A solid
/// blue and B dashed orange, each with its p95 line and the whole-population SLO lines, as the
/// Compare view draws them; with their keys (`read`, `write`, `staleness`).
pub fn compare_charts(a: &RunData<'_>, b: &RunData<'_>) -> Vec<(&'static str, Chart)> {
    let sides = [("A", a, SERIES_A_COLOR), ("B", b, SERIES_B_COLOR)];
    METRICS
        .iter()
        .map(|m| {
            let labels: Vec<String> = sides
                .iter()
                .map(|(letter, run, _)| format!("{letter} {}", run.report.scenario))
                .collect();
            let series: Vec<CdfSeries<'_>> = sides
                .iter()
                .zip(&labels)
                .map(|((letter, run, color), label)| CdfSeries {
                    label,
                    bins: &m.bins(run.histograms).overall,
                    color: *color,
                    dashed: *letter == "B",
                })
                .collect();
            let mut markers: Vec<Marker> = Vec::new();
            let mut summary = Vec::new();
            for (letter, run, color) in &sides {
                let p95 = summary_of(run.report, m.slo, None).p95;
                summary.push(format!("{letter} p95 {}", millis(p95)));
                markers.push(Marker {
                    at_ms: p95,
                    label: format!("{letter} p95 {}", millis(p95)),
                    color: *color,
                });
                for slo in run
                    .model
                    .slos
                    .iter()
                    .filter(|o| o.metric == m.slo && o.region.is_none())
                {
                    if !markers.iter().any(|k| k.at_ms == slo.below_ms) {
                        markers.push(Marker {
                            at_ms: slo.below_ms,
                            label: format!(
                                "{letter} SLO p{} < {}",
                                slo.percentile,
                                millis(slo.below_ms)
                            ),
                            color: SLO_COLOR,
                        });
                    }
                }
            }
            let spec = CdfSpec {
                title: m.title,
                x_label: "ms",
                count_label: m.count_label,
                series: &series,
                markers: &markers,
            };
            let chart = Chart {
                name: format!("{} A vs B", m.title),
                svg: cdfs_svg(&spec, METRIC_WIDTH, METRIC_HEIGHT),
                aria: format!(
                    "{}, cumulative, option A solid and option B dashed: {}",
                    m.title,
                    summary.join(", ")
                ),
                width: METRIC_WIDTH,
                height: METRIC_HEIGHT,
            };
            (m.key, chart)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{Scenario, drill_variants};
    use crate::sim::Simulation;

    fn run(name: &str, duration_s: f64) -> (Model, Report, Histograms) {
        let mut s = Scenario::preset(name).unwrap();
        s.duration_s = duration_s;
        let model = s.validate().unwrap();
        let mut sim = Simulation::new(model.clone());
        sim.run();
        (model, sim.report(), sim.histograms())
    }

    #[test]
    fn a_run_has_six_metric_charts_named_as_the_page_saves_them() {
        let (model, report, histograms) = run("sg-us-wallet", 5.0);
        let data = RunData {
            model: &model,
            report: &report,
            histograms: &histograms,
        };
        let charts = run_charts(&data);
        let names: Vec<String> = charts.iter().map(Chart::file_name).collect();
        assert_eq!(
            names,
            [
                "read-latency.svg",
                "read-latency-cdf.svg",
                "write-latency.svg",
                "write-latency-cdf.svg",
                "staleness-of-reads.svg",
                "staleness-of-reads-cdf.svg",
            ]
        );
        let staleness = charts[4].svg.as_ref().unwrap();
        assert!(staleness.contains("SLO p95 &lt; 2 s"), "{staleness}");
        assert!(
            charts[0]
                .aria
                .starts_with("Read latency, histogram, log count scale: ")
        );
        // One home region: its title and its own bars.
        let sg = metric_charts(&data, Some(0));
        assert_eq!(sg[0].histogram.name, "Read latency · clients of SG");
        assert_eq!(sg[0].cdf.file_name(), "read-latency-clients-of-sg-cdf.svg");
        assert_eq!(
            metric_charts(&data, Some(99))[0].histogram.name,
            "Read latency"
        );
    }

    #[test]
    fn a_drill_has_each_policy_timeline_and_their_comparison() {
        let mut base = Scenario::preset("sg-down-promote").unwrap();
        base.duration_s = 30.0;
        let reports: Vec<(FailoverPolicy, Report)> = drill_variants(&base)
            .unwrap()
            .into_iter()
            .map(|v| {
                let mut sim = Simulation::new(v.scenario.validate().unwrap());
                sim.run();
                (v.policy, sim.report())
            })
            .collect();
        let runs: Vec<(FailoverPolicy, &Report)> = reports.iter().map(|(p, r)| (*p, r)).collect();
        let charts = drill_charts(&runs);
        let names: Vec<String> = charts.iter().map(Chart::file_name).collect();
        assert_eq!(
            names,
            [
                "failure-timeline-reject-writes.svg",
                "failure-timeline-promote.svg",
                "failure-timeline-manual.svg",
                "writes-acknowledged-by-policy.svg",
            ]
        );
        assert!(charts.iter().all(|c| c.svg.is_ok()));
        assert!(
            charts[3].aria.contains("promote RTO (writes) "),
            "{}",
            charts[3].aria
        );
        // A run without faults has no timeline.
        let (model, report, histograms) = run("sg-us-wallet", 2.0);
        assert!(timeline_chart(&report).is_none());
        let data = RunData {
            model: &model,
            report: &report,
            histograms: &histograms,
        };
        assert_eq!(run_charts(&data).len(), 6);
        let compared = compare_charts(&data, &data);
        assert_eq!(compared.len(), 3);
        assert_eq!(compared[2].1.file_name(), "staleness-of-reads-a-vs-b.svg");
    }
}
