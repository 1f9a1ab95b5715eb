//! The PBS view: Probabilistically Bounded Staleness for a Dynamo-style partial quorum. Pick one
//! of the paper's latency fits and `N`, `R`, `W`; core's WARS Monte Carlo
//! ([`meridian_core::pbs`]) gives the t-visibility curve (the probability of a consistent read
//! `t` ms after commit), drawn with the target probability and the smallest `t` reaching it,
//! next to core's closed form at `t = 0`.
//!
//! The state lives in a reducer ([`state`]); every valid change starts a run through
//! [`crate::hooks::use_run()`] with a [`crate::run::pbs::PbsJob`] (a newer change cancels the older
//! run), and the settings are kept in the page address ([`query`]).

pub mod chart;
pub mod figures;
pub mod labels;
pub mod query;
pub mod settings;
pub mod state;

use crate::components::field_value::{input_value, select_value};
use crate::components::text_field::{FieldInput, text_field};
use meridian_core::pbs::Preset;
use yew::prelude::*;

use crate::hooks::{RunStatus, use_address, use_run};
use crate::run::pbs::PbsJob;
use chart::TVisibilityChart;
use figures::Figures;
use labels::{probability, quorum, reach, strict_note, tallies};
use settings::{MAX_N, Settings};
use state::{Action, PbsState, Shown};

/// Props of [`PbsView`].
#[derive(Debug, PartialEq, Properties)]
pub struct PbsViewProps {
    /// The settings as the page opens (from the page address).
    pub initial: Settings,
}

/// The figures of a finished run: where the target is reached, the closed form and the
/// simulation at `t = 0`, the strict-quorum note, and the chart.
fn results(shown: &Shown) -> Html {
    let report = &shown.report;
    let f = Figures::of(report);
    let preset = shown.settings.preset.name();
    html! {
        <section class="pbs-results" aria-label="t-visibility">
            <h2 data-testid="pbs-quorum">{ format!("t-visibility for {}", quorum(report, preset)) }</h2>
            <div class="tiles pbs-tiles">
                <div class="tile">
                    <div class="tile-name">{ format!("Smallest t reaching {}", probability(report.target)) }</div>
                    <div class="tile-value" data-testid="pbs-t-target">{ reach(report, &f) }</div>
                </div>
                <div class="tile">
                    <div class="tile-name">{ "Closed form at t = 0: 1 − C(N−W, R) / C(N, R)" }</div>
                    <div class="tile-value" data-testid="pbs-closed-t0">{ probability(f.closed_form_t0) }</div>
                    <div class="tile-slo">{ "consistent reads if the write stays on its W replicas" }</div>
                </div>
                <div class="tile">
                    <div class="tile-name">{ "Simulated at t = 0" }</div>
                    <div class="tile-value" data-testid="pbs-sim-t0">
                        { f.simulated_t0.map_or_else(|| "not simulated".to_string(), probability) }
                    </div>
                    <div class="tile-slo">{ "consistent reads right after commit" }</div>
                </div>
            </div>
            if let Some(note) = strict_note(report) {
                <p class="note strict" data-testid="pbs-strict">{ note }</p>
            } else {
                <p class="note" data-testid="pbs-partial">
                    { format!(
                        "R + W = {} ≤ N = {}: a partial quorum, so a read may miss the write. The \
                         simulation beats the closed form at t = 0 because the write keeps reaching \
                         the other replicas while the coordinator waits for its W acknowledgements.",
                        report.r + report.w, report.n) }
                </p>
            }
            <TVisibilityChart report={report.clone()} preset={preset} />
            <p class="tallies" data-testid="pbs-tallies">{ tallies(report) }</p>
        </section>
    }
}

/// The PBS view.
#[function_component(PbsView)]
pub fn pbs_view(props: &PbsViewProps) -> Html {
    let initial = props.initial;
    let state = use_reducer(move || PbsState::new(&initial));
    let runner = use_run();

    // A run of every new valid request; a newer run cancels the one before.
    {
        let dispatcher = state.dispatcher();
        let settings = state.requested;
        use_effect_with(state.generation, move |_| {
            let on_event = dispatcher.to_callback().reform(Action::Run);
            runner.start(
                PbsJob::new(settings.config()).map_err(|e| e.to_string()),
                on_event,
            );
        });
    }
    // The address follows the valid settings.
    use_address(Some(state.requested));

    let dispatch = state.dispatcher().to_callback();
    let on_preset = dispatch.reform(|e: Event| {
        let name = select_value(e);
        // The select lists only Preset::ALL, so the default is never needed.
        Action::SetPreset(name.parse().unwrap_or(Settings::default().preset))
    });
    let on_n = dispatch.reform(move |e| Action::SetN(input_value(e)));
    let on_r = dispatch.reform(move |e| Action::SetR(input_value(e)));
    let on_w = dispatch.reform(move |e| Action::SetW(input_value(e)));
    let on_target = dispatch.reform(move |e| Action::SetTarget(input_value(e)));

    let s = &*state;
    let status = match &s.status {
        RunStatus::Idle => Html::default(),
        RunStatus::Running { done, .. } => html! {
            <p class="run-status" role="status" data-testid="pbs-run-status">
                <progress max="1" value={done.to_string()} />
                { format!(" Running trials… {:.0}%", done * 100.0) }
            </p>
        },
        RunStatus::Failed { message } => html! {
            <p class="field-error" role="alert" data-testid="pbs-run-error">{ message.clone() }</p>
        },
    };
    let stale = s.errors.any() && s.results.is_some();

    html! {
        <>
            <div class="top pbs-top">
                <div class="controls" data-testid="pbs-controls">
                    <label>
                        <span>{ "Latency fit (Bailis et al., Table 3)" }</span>
                        <select data-testid="pbs-preset" onchange={on_preset}>
                            { for Preset::ALL.iter().map(|p| html! {
                                <option value={p.name()} selected={*p == s.form.preset}>{ p.name() }</option>
                            }) }
                        </select>
                    </label>
                    { text_field(&format!("N: replicas (1 to {MAX_N})"), "pbs-n", &s.form.n, &s.errors.n, FieldInput::Numeric, on_n) }
                    { text_field("R: read quorum (1 to N)", "pbs-r", &s.form.r, &s.errors.r, FieldInput::Numeric, on_r) }
                    { text_field("W: write quorum (1 to N)", "pbs-w", &s.form.w, &s.errors.w, FieldInput::Numeric, on_w) }
                    { text_field("Target probability of a consistent read", "pbs-target", &s.form.target, &s.errors.target, FieldInput::Decimal, on_target) }
                </div>
                <div class="pbs-main">
                    if stale {
                        <p class="stale-note" data-testid="pbs-stale-note">
                            { "Showing the last valid settings' curve until the form is fixed." }
                        </p>
                    }
                    { status }
                    if let Some(shown) = &s.results {
                        { results(shown) }
                    }
                </div>
            </div>
        </>
    }
}
