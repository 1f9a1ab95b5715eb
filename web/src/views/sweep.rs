//! The Sweep view: one metric of a scenario over a small grid of its fields
//! ([`meridian_core::sweep`]). Pick a preset, a first field and its values (`replication.r` with
//! `1,2,3`), an optional second one, the seeds per point, the seconds per run and the metric;
//! the page runs the grid's runs one after the other in slices, with a progress line and a
//! Cancel button, and shows core's chart of the metric (the one `meridian sweep --svg` writes: a
//! heatmap over two fields, a line with 95% intervals over one) and a table of every point's
//! figures as `meridian sweep` prints them.
//!
//! The state lives in a reducer ([`state`]); every change of the runs starts a
//! [`SweepJob`] through [`crate::hooks::use_run()`] (cancelling the one before), a new metric
//! only redraws, and the settings are kept in the page address ([`query`]). A bad field is named
//! under it and the last chart stays.

pub mod labels;
pub mod query;
pub mod settings;
pub mod state;

use crate::components::field_value::{input_value, select_value};
use crate::components::text_field::{FieldInput, text_field};
use meridian_core::charts::sweep::sweep_chart;
use meridian_core::scenario::PRESETS;
use meridian_core::sweep::{FAULT_METRICS, METRICS};
use yew::prelude::*;

use crate::components::chart_export::chart_box;
use crate::hooks::{RunStatus, use_address, use_run};
use crate::run::sweep::SweepJob;
use settings::{EXAMPLES, MAX_RUNS, Settings, plan};
use state::{Action, Shown, SweepState};

/// Props of [`SweepView`].
#[derive(Debug, PartialEq, Properties)]
pub struct SweepViewProps {
    /// The settings as the page opens (from the page address).
    pub initial: Settings,
}

/// The chart of the shown sweep's `metric` and the table of its points.
fn results(shown: &Shown, metric: &str) -> Html {
    let out = &shown.output;
    let chart = sweep_chart(&out.spec, &out.points, metric);
    let columns = labels::table_columns(&out.points, metric);
    html! {
        <section class="sweep-results" aria-label="Sweep results">
            { chart_box(&chart, "chart sweep-chart", "sweep-chart") }
            <p class="note" data-testid="sweep-table-caption">
                { labels::table_caption(&out.spec, out.points.len()) }
            </p>
            <div class="table-scroll">
                <table class="sweep-table" data-testid="sweep-table">
                    <thead><tr>
                        { for out.spec.vary.iter().map(|v| html! { <th scope="col">{ v.path.clone() }</th> }) }
                        { for columns.iter().map(|m| html! {
                            <th scope="col" class={classes!((m == metric).then_some("charted"))}>{ m.clone() }</th>
                        }) }
                    </tr></thead>
                    <tbody>
                        { for out.points.iter().map(|p| {
                            let (values, cells) = labels::row(p, &columns);
                            html! {
                                <tr data-testid={format!("sweep-row-{}", p.point.index)}>
                                    { for values.into_iter().map(|v| html! { <td>{ v }</td> }) }
                                    { for cells.into_iter().map(|c| html! {
                                        <td data-testid={format!("sweep-cell-{}", c.metric)}
                                            data-mean={c.mean} data-ci95={c.ci95}
                                            class={classes!((c.metric == metric).then_some("charted"))}>
                                            { c.text }
                                        </td>
                                    }) }
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
            </div>
        </section>
    }
}

/// The Sweep view.
#[function_component(SweepView)]
pub fn sweep_view(props: &SweepViewProps) -> Html {
    let initial = props.initial.clone();
    let state = use_reducer(move || SweepState::new(&initial));
    let runner = use_run();

    // A sweep of every new valid request; a newer one cancels the one before.
    {
        let dispatcher = state.dispatcher();
        let settings = state.requested.clone();
        let runner = runner.clone();
        use_effect_with(state.generation, move |_| {
            let on_event = dispatcher.to_callback().reform(Action::Run);
            let job = plan(&settings)
                .map_err(|_| "the settings are refused".to_string())
                .and_then(|p| SweepJob::new(p.base, p.spec, MAX_RUNS));
            runner.start(job, on_event);
        });
    }
    // The address follows the valid settings.
    use_address(Some(state.requested.clone()));

    let dispatch = state.dispatcher().to_callback();
    let on_preset = dispatch.reform(move |e| Action::SetPreset(select_value(e)));
    let on_metric = dispatch.reform(move |e| Action::SetMetric(select_value(e)));
    let on_x = dispatch.reform(move |e| Action::SetX(input_value(e)));
    let on_y = dispatch.reform(move |e| Action::SetY(input_value(e)));
    let on_seeds = dispatch.reform(move |e| Action::SetSeeds(input_value(e)));
    let on_duration = dispatch.reform(move |e| Action::SetDuration(input_value(e)));
    let on_cancel = {
        let (runner, dispatch) = (runner.clone(), dispatch.clone());
        Callback::from(move |_: MouseEvent| {
            runner.cancel();
            dispatch.emit(Action::Cancel);
        })
    };
    let on_restart = dispatch.reform(|_: MouseEvent| Action::Restart);

    let s = &*state;
    let f = &s.form;
    let status = match (&s.status, s.runs_done()) {
        (RunStatus::Running { done, .. }, Some(runs)) => html! {
            <p class="run-status" role="status" data-testid="sweep-status">
                <progress max="1" value={done.to_string()} />
                { format!(" {}", labels::progress(runs, s.runs)) }
                <button type="button" class="button" onclick={on_cancel} data-testid="sweep-cancel">{ "Cancel" }</button>
            </p>
        },
        (RunStatus::Failed { message }, _) => html! {
            <p class="field-error" role="alert" data-testid="sweep-run-error">{ message.clone() }</p>
        },
        _ => match &s.stopped {
            Some(stopped) => html! {
                <p class="run-status" role="status" data-testid="sweep-status">
                    { format!("{stopped} ") }
                    <button type="button" class="button" onclick={on_restart} data-testid="sweep-restart">{ "Run again" }</button>
                </p>
            },
            None => Html::default(),
        },
    };
    let stale = s.errors.any() && s.results.is_some();
    let metrics = METRICS.iter().chain(FAULT_METRICS.iter());
    html! {
        <>
            <div class="top sweep-top">
                <div class="controls" data-testid="sweep-controls">
                    <label>
                        <span>{ "Base preset" }</span>
                        <select data-testid="sweep-preset" onchange={on_preset}>
                            { for PRESETS.iter().map(|p| html! {
                                <option value={p.name} selected={p.name == f.preset}>{ p.name }</option>
                            }) }
                        </select>
                        if let Some(e) = &s.errors.preset {
                            <p class="field-error" data-testid="sweep-preset-error">{ e.clone() }</p>
                        }
                    </label>
                    { text_field("Field 1: PATH=VALUES", "sweep-x", &f.x, &s.errors.x, FieldInput::Text, on_x) }
                    { text_field("Field 2 (optional)", "sweep-y", &f.y, &s.errors.y, FieldInput::Text, on_y) }
                    <p class="hint">
                        { "Values are a list (1,2,3) or a range LO..HI:STEP; paths as in the \
                           preset's document (Scenarios view), e.g. replication.r, \
                           failover.heartbeat_timeout_ms." }
                    </p>
                    { text_field(&format!("Seeds per point (1 to {})", settings::MAX_SEEDS),
                                 "sweep-seeds", &f.seeds, &s.errors.seeds, FieldInput::Numeric, on_seeds) }
                    { text_field(&format!("Seconds per run (up to {})", settings::MAX_DURATION_S),
                                 "sweep-duration", &f.duration, &s.errors.duration, FieldInput::Decimal, on_duration) }
                    <label>
                        <span>{ "Metric" }</span>
                        <select data-testid="sweep-metric" onchange={on_metric}>
                            { for metrics.map(|m| html! {
                                <option value={*m} selected={*m == f.metric}>{ *m }</option>
                            }) }
                        </select>
                    </label>
                    if let Some(e) = &s.errors.grid {
                        <p class="field-error" data-testid="sweep-grid-error">{ e.clone() }</p>
                    }
                    <div class="sweep-examples">
                        <span class="muted">{ "Examples:" }</span>
                        { for EXAMPLES.iter().enumerate().map(|(i, ex)| {
                            let onclick = dispatch.reform(move |_: MouseEvent| Action::Example(i));
                            html! {
                                <button type="button" class="button" {onclick}
                                        data-testid={format!("sweep-example-{i}")}>{ ex.label }</button>
                            }
                        }) }
                    </div>
                </div>
                <div class="sweep-main">
                    <p class="note" data-testid="sweep-grid">{ s.grid.clone() }</p>
                    if stale {
                        <p class="stale-note" data-testid="sweep-stale-note">
                            { "Showing the last valid sweep until the form is fixed." }
                        </p>
                    }
                    { status }
                    if let Some(shown) = &s.results {
                        { results(shown, s.metric()) }
                    }
                </div>
            </div>
        </>
    }
}
