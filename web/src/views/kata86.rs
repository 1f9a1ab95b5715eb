//! The Kata 86 view: the form, the map of the two regions, the headline figures, the histograms
//! and the table of all three read strategies.
//!
//! The form's state lives in a reducer ([`state`]); every valid change of the form starts a run
//! of the three strategies through [`crate::hooks::use_run()`], which reports back as the reducer's
//! run actions, and the settings are kept in the page address ([`query`]).

pub mod labels;
pub mod network;
pub mod query;
pub mod state;

use std::rc::Rc;

use meridian_core::kata86::{Kata86Report, SEED_SLOS, SloMetric, StalenessAccounting};
use yew::prelude::*;

use crate::charts::{LATENCY_COLOR, Marker, PERCENTILE_COLOR, SLO_COLOR, STALENESS_COLOR};
use crate::components::controls::ControlsPanel;
use crate::components::histogram_chart::HistogramChart;
use crate::components::region_map::RegionMap;
use crate::components::slo_table::SloTable;
use crate::components::summary::Summary;
use crate::format::group_digits;
use crate::hooks::{RunStatus, use_address, use_run};
use crate::run::kata86::Kata86Job;
use network::Network;
use state::{Action, Controls, KataState, Results};

/// Props of [`Kata86View`].
#[derive(Debug, PartialEq, Properties)]
pub struct Kata86ViewProps {
    /// The form as the page opens (from the page address).
    pub initial: Controls,
}

fn slo_marker(metric: SloMetric) -> Vec<Marker> {
    SEED_SLOS
        .iter()
        .filter(|s| s.metric == metric)
        .map(|s| Marker {
            at_ms: f64::from(s.below_ms),
            label: format!("SLO {} ms", s.below_ms),
            color: SLO_COLOR,
        })
        .collect()
}

fn percentile_marker(name: &str, ms: f64) -> Marker {
    Marker {
        at_ms: ms,
        label: format!("{name} {ms} ms"),
        color: PERCENTILE_COLOR,
    }
}

fn charts(report: &Kata86Report) -> Html {
    let mut read_markers = vec![percentile_marker("p95", report.read_latency.p95)];
    read_markers.extend(slo_marker(SloMetric::ReadP95));
    let mut staleness_markers = vec![
        percentile_marker("p95", report.staleness.p95),
        percentile_marker("p99", report.staleness.p99),
    ];
    staleness_markers.extend(slo_marker(SloMetric::StalenessP95));
    html! {
        <div class="charts">
            <HistogramChart title="Read latency" x_label="ms"
                bins={Rc::new(report.read_bins())} markers={read_markers}
                color={LATENCY_COLOR} testid="read-chart" />
            <HistogramChart title="Staleness of reads" x_label="ms"
                bins={Rc::new(report.staleness_bins())} markers={staleness_markers}
                color={STALENESS_COLOR} testid="staleness-chart" />
        </div>
    }
}

/// What the view says about the run in progress or the run that failed.
fn run_status(state: &KataState) -> Html {
    match &state.status {
        RunStatus::Idle => Html::default(),
        RunStatus::Running { done, .. } => {
            let iterations = state.requested.map_or(0, |p| p.iterations);
            html! {
                <p class="run-status" role="status" data-testid="run-status">
                    { format!(
                        "Simulating 3 strategies × {} iterations… {:.0}%",
                        group_digits(iterations),
                        done * 100.0
                    ) }
                </p>
            }
        }
        RunStatus::Failed { message } => html! {
            <p class="field-error" role="alert" data-testid="run-error">{ message }</p>
        },
    }
}

/// The Kata 86 view.
#[function_component(Kata86View)]
pub fn kata86_view(props: &Kata86ViewProps) -> Html {
    let initial = props.initial.clone();
    let state = use_reducer(move || KataState::new(initial));
    let runner = use_run();

    // A run of every new set of valid parameters; a newer run cancels the one before.
    {
        let dispatcher = state.dispatcher();
        use_effect_with(state.requested, move |requested| {
            if let Some(params) = requested {
                let on_event = dispatcher.to_callback().reform(Action::Run);
                let job = Kata86Job::new(Results::runs_for(params)).map_err(|e| e.to_string());
                runner.start(job, on_event);
            }
        });
    }
    // The address follows the valid settings.
    use_address(state.errors.form_is_valid().then(|| state.controls.clone()));

    let on_action = state.dispatcher().to_callback();
    let on_select_strategy = on_action.reform(Action::SetStrategy);
    let results = state.results.clone();
    let network = results.as_ref().and_then(|r| Network::of(&r.report.params));
    let stale_view = !state.errors.form_is_valid() && results.is_some();
    html! {
        <>
            <div class="top">
                <ControlsPanel controls={state.controls.clone()} errors={state.errors.clone()} on_action={on_action} />
                if let Some(n) = network {
                    <RegionMap topology={n.topology} clients={n.clients} leader={Some(n.leader)}
                               replication={n.replication} />
                }
            </div>
            if stale_view {
                <p class="stale-note" data-testid="stale-note">
                    { "Showing the last valid settings until the form is fixed." }
                </p>
            }
            { run_status(&state) }
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
                    None if state.errors.form_is_valid() => Html::default(),
                    None => html! {
                        <p class="note">{ "Fix the settings above to run the simulation." }</p>
                    },
                }
            }
        </>
    }
}
