//! The page: controls, map, headline figures, histograms and the strategy table, wired to the
//! reducer in [`crate::state`] and kept in sync with the URL.

use std::rc::Rc;

use meridian_core::kata86::{Kata86Report, SEED_SLOS, SloMetric, StalenessAccounting};
use wasm_bindgen::JsValue;
use yew::prelude::*;

use super::bench_panel::BenchPanel;
use super::controls::ControlsPanel;
use super::histogram_chart::HistogramChart;
use super::merge_walkthrough::MergeWalkthrough;
use super::region_map::RegionMap;
use super::slo_table::SloTable;
use super::summary::Summary;
use crate::charts::{LATENCY_COLOR, Marker, PERCENTILE_COLOR, SLO_COLOR, STALENESS_COLOR};
use crate::state::{Action, Controls, KataState};
use crate::url_state::{controls_from_query, query_from_controls};

fn initial_state() -> KataState {
    let query = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    let (controls, url_error) = controls_from_query(&query);
    KataState::new(controls, url_error)
}

/// Writes the valid settings into the address bar without adding a history entry.
fn sync_url(controls: &Controls) {
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        // Failing to update the address bar is harmless, so the error is dropped.
        let _ = history.replace_state_with_url(
            &JsValue::NULL,
            "",
            Some(&query_from_controls(controls)),
        );
    }
}

fn slo_marker(metric: SloMetric) -> Vec<Marker> {
    SEED_SLOS
        .iter()
        .filter(|s| s.metric == metric)
        .map(|s| Marker {
            at_ms: s.below_ms,
            label: format!("SLO {} ms", s.below_ms),
            color: SLO_COLOR,
        })
        .collect()
}

fn charts(report: &Kata86Report) -> Html {
    let mut read_markers = vec![Marker {
        at_ms: report.read_latency.p95,
        label: format!("p95 {} ms", report.read_latency.p95),
        color: PERCENTILE_COLOR,
    }];
    read_markers.extend(slo_marker(SloMetric::ReadP95));
    let mut staleness_markers = vec![
        Marker {
            at_ms: report.staleness.p95,
            label: format!("p95 {} ms", report.staleness.p95),
            color: PERCENTILE_COLOR,
        },
        Marker {
            at_ms: report.staleness.p99,
            label: format!("p99 {} ms", report.staleness.p99),
            color: PERCENTILE_COLOR,
        },
    ];
    staleness_markers.extend(slo_marker(SloMetric::StalenessP95));
    html! {
        <div class="charts">
            <HistogramChart title="Read latency" x_label="ms"
                bins={Rc::new(report.read_histogram.clone())} markers={read_markers}
                color={LATENCY_COLOR} testid="read-chart" />
            <HistogramChart title="Staleness of reads" x_label="ms"
                bins={Rc::new(report.staleness_histogram.clone())} markers={staleness_markers}
                color={STALENESS_COLOR} testid="staleness-chart" />
        </div>
    }
}

/// The whole page.
#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(initial_state);
    {
        let controls = state.controls.clone();
        let valid = state.errors.form_is_valid();
        use_effect_with((controls, valid), |(controls, valid)| {
            if *valid {
                sync_url(controls);
            }
        });
    }
    let on_action = {
        let state = state.clone();
        Callback::from(move |a: Action| state.dispatch(a))
    };
    let on_select_strategy = on_action.reform(Action::SetStrategy);

    let results = state.results.clone();
    let stale_view = !state.errors.form_is_valid() && results.is_some();
    html! {
        <main class="page">
            <header>
                <h1>{ "Meridian" }<span class="subtitle">{ " · Kata 86: Wallet + Checkout on SG and US" }</span></h1>
                <p class="lede">
                    { "One leader takes every charge; balance reads go local, to the leader, or local with a \
                       fallback to the leader when the local replica lags more than 2 s. Every figure below \
                       is simulated in this page from the seed." }
                </p>
            </header>
            if let Some(msg) = &state.errors.url {
                <p class="url-error" role="alert" data-testid="url-error">{ msg }</p>
            }
            <div class="top">
                <ControlsPanel controls={state.controls.clone()} errors={state.errors.clone()} on_action={on_action} />
                {
                    match &results {
                        Some(r) => html! { <RegionMap params={r.report.params} /> },
                        None => html! {},
                    }
                }
            </div>
            if stale_view {
                <p class="stale-note" data-testid="stale-note">
                    { "Showing the last valid settings until the form is fixed." }
                </p>
            }
            {
                match &results {
                    Some(r) => html! {
                        <>
                            <Summary report={r.report.clone()} />
                            { charts(&r.report) }
                            <SloTable rows={r.comparison.clone()} selected={r.report.params.strategy}
                                      on_select={on_select_strategy} />
                            if r.report.params.accounting == StalenessAccounting::ReplicaLag {
                                <p class="note">
                                    { "Staleness follows the exercise's rule: every read is charged the local \
                                       replica's lag, even when the leader answered it, so the three strategies \
                                       show the same staleness. Choose \u{201c}staleness of the data served\u{201d} \
                                       to count leader-served reads as fresh." }
                                </p>
                            }
                        </>
                    },
                    None => html! {
                        <p class="note">{ "Fix the settings above to run the simulation." }</p>
                    },
                }
            }
            <MergeWalkthrough />
            <BenchPanel />
            <footer>
                <p>{ "Client round trips: SG 40 ms, US 220 ms. Percentiles use the exercise's rule \
                      (the sample at floor(q/100 × (n − 1)) after sorting); with the default accounting \
                      the figures equal the exercise's reference simulation for the same seed." }</p>
            </footer>
        </main>
    }
}
