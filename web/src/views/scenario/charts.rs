//! Latency and staleness charts of an engine run: for read latency, write latency and staleness,
//! a histogram (log count axis, so rare tails stay visible) and a CDF, over all clients or the
//! clients of one home region, with the p95/p99 and the scenario's SLO thresholds drawn as lines.
//! Core decides and draws them ([`meridian_core::charts::run::metric_charts`]), the same charts
//! `meridian run --svg DIR` writes; this component adds the population picker.

use meridian_core::charts::run::{RunData, metric_charts};
use yew::prelude::*;

use super::state::Shown;
use crate::components::chart_export::chart_box;

/// Props of [`ScenarioCharts`].
#[derive(Debug, PartialEq, Properties)]
pub struct ScenarioChartsProps {
    /// The run to draw.
    pub shown: Shown,
}

/// The charts, with a picker for the population shown.
#[function_component(ScenarioCharts)]
pub fn scenario_charts(props: &ScenarioChartsProps) -> Html {
    let scope = use_state(|| None::<usize>);
    let shown = &props.shown;
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
    let run = RunData {
        model: &shown.model,
        report: &shown.output.report,
        histograms: &shown.output.histograms,
    };
    let rows: Html = metric_charts(&run, scope_now)
        .iter()
        .map(|m| {
            html! {
                <div class="chart-row" data-testid={format!("charts-{}", m.key)}>
                    { chart_box(&m.histogram, "chart", &format!("hist-{}", m.key)) }
                    { chart_box(&m.cdf, "chart", &format!("cdf-{}", m.key)) }
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
