//! Latency and staleness charts of an engine run: for read latency, write latency and staleness,
//! a histogram (log count axis, so rare tails stay visible) and a CDF, over all clients or the
//! clients of one home region, with the p95/p99 and the scenario's SLO thresholds drawn as lines.

use std::rc::Rc;

use meridian_core::metrics::{Bin, Summary};
use meridian_core::sim::{MetricBins, SloMetric};
use plotters::style::RGBColor;
use yew::prelude::*;

use super::results::ms;
use super::state::Shown;
use crate::charts::{
    HistogramSpec, LATENCY_COLOR, Marker, PERCENTILE_COLOR, SLO_COLOR, STALENESS_COLOR, cdf_svg,
    describe,
};
use crate::components::chart_export::boxed;
use crate::components::histogram_chart::HistogramChart;

/// Props of [`ScenarioCharts`].
#[derive(Debug, PartialEq, Properties)]
pub struct ScenarioChartsProps {
    /// The run to draw.
    pub shown: Shown,
}

/// One metric as the charts draw it.
struct MetricView<'a> {
    key: &'static str,
    title: &'static str,
    count_label: &'static str,
    metric: SloMetric,
    bins: &'a MetricBins,
    color: RGBColor,
}

/// The p95/p99 lines of `summary` and the SLO lines that apply to `scope` (whole-population
/// objectives, and those of the region shown).
pub fn markers(
    shown: &Shown,
    metric: SloMetric,
    summary: &Summary,
    scope: Option<usize>,
) -> Vec<Marker> {
    let mut out = Vec::new();
    if summary.count > 0 {
        for (name, v) in [("p95", summary.p95), ("p99", summary.p99)] {
            out.push(Marker {
                at_ms: v,
                label: format!("{name} {}", ms(v)),
                color: PERCENTILE_COLOR,
            });
        }
    }
    for slo in &shown.model.slos {
        if slo.metric == metric && (slo.region.is_none() || slo.region == scope) {
            out.push(Marker {
                at_ms: slo.below_ms,
                label: format!("SLO p{} < {}", slo.percentile, ms(slo.below_ms)),
                color: SLO_COLOR,
            });
        }
    }
    out
}

/// A CDF drawn as inline SVG.
fn cdf(
    title: &str,
    count_label: &str,
    bins: &[Bin],
    markers: &[Marker],
    color: RGBColor,
    testid: String,
) -> Html {
    let spec = HistogramSpec {
        title,
        x_label: "ms",
        count_label,
        bins,
        markers,
        color,
    };
    let drawn = cdf_svg(&spec, 560, 300);
    let body = match &drawn {
        // Generated here by plotters, which escapes every text it writes (region ids in titles
        // come from the document), so it is safe to inline.
        Ok(svg) => Html::from_html_unchecked(AttrValue::from(svg.clone())),
        Err(e) => html! { <p class="chart-error">{ format!("Could not draw the chart: {e}") }</p> },
    };
    let aria = describe(&spec, "cumulative distribution");
    let figure = html! { <figure class="chart" data-testid={testid} role="img" aria-label={aria}>{ body }</figure> };
    boxed(figure, drawn.as_deref().ok(), title, 560, 300)
}

/// The charts, with a picker for the population shown.
#[function_component(ScenarioCharts)]
pub fn scenario_charts(props: &ScenarioChartsProps) -> Html {
    let scope = use_state(|| None::<usize>);
    let shown = &props.shown;
    let report = &shown.output.report;
    let h = &shown.output.histograms;
    let regions = shown.model.topology.regions();
    // A scope left over from another scenario with more regions falls back to all clients.
    let scope_now = scope.filter(|&i| i < regions.len());
    let on_scope = {
        let scope = scope.clone();
        Callback::from(move |e: Event| {
            let v = e
                .target_unchecked_into::<web_sys::HtmlSelectElement>()
                .value();
            scope.set(v.parse::<usize>().ok());
        })
    };
    let metrics = [
        MetricView {
            key: "read",
            title: "Read latency",
            count_label: "reads",
            metric: SloMetric::ReadLatency,
            bins: &h.read_latency,
            color: LATENCY_COLOR,
        },
        MetricView {
            key: "write",
            title: "Write latency",
            count_label: "writes",
            metric: SloMetric::WriteLatency,
            bins: &h.write_latency,
            color: LATENCY_COLOR,
        },
        MetricView {
            key: "staleness",
            title: "Staleness of reads",
            count_label: "reads",
            metric: SloMetric::Staleness,
            bins: &h.staleness,
            color: STALENESS_COLOR,
        },
    ];
    let where_ = match scope_now.and_then(|i| regions.get(i)) {
        Some(r) => format!(" · clients of {}", r.id),
        None => String::new(),
    };
    let rows: Html = metrics
        .iter()
        .map(|m| {
            let (bins, summary) = match scope_now {
                Some(i) => {
                    let rr = report.regions.get(i);
                    let summary = match (m.metric, rr) {
                        (SloMetric::ReadLatency, Some(r)) => r.read_latency,
                        (SloMetric::WriteLatency, Some(r)) => r.write_latency,
                        (SloMetric::Staleness, Some(r)) => r.staleness,
                        (SloMetric::Rto | SloMetric::Rpo, _) | (_, None) => Summary::default(),
                    };
                    (m.bins.regions.get(i).cloned().unwrap_or_default(), summary)
                }
                None => {
                    let summary = match m.metric {
                        SloMetric::ReadLatency => report.read_latency,
                        SloMetric::WriteLatency => report.write_latency,
                        SloMetric::Staleness => report.staleness,
                        // Not charted: recovery objectives have no distribution.
                        SloMetric::Rto | SloMetric::Rpo => Summary::default(),
                    };
                    (m.bins.overall.clone(), summary)
                }
            };
            let marks = markers(shown, m.metric, &summary, scope_now);
            let title = format!("{}{where_}", m.title);
            html! {
                <div class="chart-row" data-testid={format!("charts-{}", m.key)}>
                    <HistogramChart title={title.clone()} x_label="ms" count_label={m.count_label}
                        bins={Rc::new(bins.clone())} markers={marks.clone()} color={m.color}
                        testid={format!("hist-{}", m.key)} />
                    { cdf(&format!("{title} (CDF)"), m.count_label, &bins, &marks, m.color, format!("cdf-{}", m.key)) }
                </div>
            }
        })
        .collect();
    html! {
        <section class="scenario-charts" aria-label="Latency and staleness charts" data-testid="sc-charts">
            <h2>{ "Latency & staleness" }</h2>
            <label class="inline">
                <span>{ "Clients shown " }</span>
                <select data-testid="chart-scope" onchange={on_scope} aria-label="Clients shown in the charts">
                    <option value="all" selected={scope_now.is_none()}>{ "all clients" }</option>
                    { for regions.iter().enumerate().map(|(i, r)| html! {
                        <option value={i.to_string()} selected={scope_now == Some(i)}>
                            { format!("homed in {} ({})", r.id, r.name) }
                        </option>
                    }) }
                </select>
            </label>
            { rows }
        </section>
    }
}
