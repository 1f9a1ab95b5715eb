//! The Compare view: option A against option B (two presets, or two edited documents) run with the
//! same seed and duration, side by side: the headline figures with their differences, each
//! option's SLO verdicts, both maps, and the latency and staleness CDFs overlaid. It opens on
//! Kata 86's options A (one leader in SG, local reads) and B (multi-leader, last-write-wins).
//!
//! Each option is a Scenario view's state ([`crate::views::scenario::state`]) with a run of its
//! own, so editing one option runs only that one again.

pub mod query;
pub mod rows;
pub mod state;

use meridian_core::charts::run::{RunData, compare_charts};
use meridian_core::scenario::PRESETS;
use yew::prelude::*;

use crate::components::chart_export::chart_box;
use crate::components::export_links::ExportLinks;
use crate::components::world_map::WorldMap;
use crate::hooks::{RunStatus, use_address};

use crate::views::scenario::results::slo_table;
use crate::views::scenario::state::{Action as SideAction, ScenarioState, Shown};
use crate::views::scenario::{
    SeedDurationFields, doc_error, seed_duration_fields, use_engine_runs,
};
use rows::{Better, rows};
use state::{Action, CompareSettings, CompareState, Side};

/// Props of [`CompareView`].
#[derive(Debug, PartialEq, Properties)]
pub struct CompareViewProps {
    /// The two options, seed and duration as the page opens (from the page address).
    pub initial: CompareSettings,
}

/// One option's controls: its preset, its document behind a disclosure, its run's progress.
fn side_controls(side: Side, s: &ScenarioState, dispatch: &Callback<Action>) -> Html {
    let letter = side.letter();
    let key = letter.to_ascii_lowercase();
    let on_preset = dispatch.reform(move |e: Event| {
        Action::Side(
            side,
            SideAction::PickPreset(
                e.target_unchecked_into::<web_sys::HtmlSelectElement>()
                    .value(),
            ),
        )
    });
    let on_text = dispatch.reform(move |e: InputEvent| {
        Action::Side(
            side,
            SideAction::EditText(
                e.target_unchecked_into::<web_sys::HtmlTextAreaElement>()
                    .value(),
            ),
        )
    });
    let summary = PRESETS
        .iter()
        .find(|p| p.name == s.preset)
        .map(|p| p.summary)
        .unwrap_or_default();
    let status = match &s.status {
        RunStatus::Idle => Html::default(),
        RunStatus::Running { done, .. } => html! {
            <p class="run-status" role="status" data-testid={format!("cmp-status-{key}")}>
                <progress max="1" value={done.to_string()} />
                { format!(" Simulating option {letter}… {:.0}%", done * 100.0) }
            </p>
        },
        RunStatus::Failed { message } => html! {
            <p class="field-error" role="alert">{ format!("Option {letter}: {message}") }</p>
        },
    };
    let editor_id = format!("cmp-text-{key}");
    html! {
        <div class={classes!("compare-side", format!("side-{key}"))} data-testid={format!("cmp-side-{key}")}>
            <h2>{ format!("Option {letter}") }</h2>
            <label>
                <span>{ "Preset" }</span>
                <select data-testid={format!("cmp-preset-{key}")} onchange={on_preset}
                        aria-label={format!("Option {letter} preset")}>
                    { for PRESETS.iter().map(|p| html! {
                        <option value={p.name} selected={p.name == s.preset} title={p.summary}>{ p.name }</option>
                    }) }
                </select>
                <small class="muted">{ if s.edited { "edited document" } else { summary } }</small>
            </label>
            <details open={s.edited || s.problems.document.is_some()}>
                <summary>{ format!("Option {letter}'s document") }</summary>
                <label for={editor_id.clone()} class="editor-label">
                    { "Scenario document (TOML, or JSON); the shared seed and duration apply over it" }
                </label>
                <textarea id={editor_id} data-testid={format!("cmp-editor-{key}")} spellcheck="false" rows="16"
                          aria-invalid={s.problems.document.is_some().to_string()}
                          value={s.text.clone()} oninput={on_text} />
                if let Some(e) = &s.problems.document {
                    { doc_error(e) }
                }
            </details>
            { status }
        </div>
    }
}

/// The shared seed and duration controls. A new seed that cannot be drawn leaves the seed as it
/// is (the button is a convenience; the field still takes any seed).
fn shared_controls(s: &CompareState, dispatch: &Callback<Action>) -> Html {
    let seed = s.seed.clone();
    html! {
        <div class="controls compare-shared" data-testid="cmp-controls">
            { seed_duration_fields(SeedDurationFields {
                seed: &s.seed,
                duration: &s.duration,
                problems: &s.a.problems,
                seed_label: "Seed (both options)",
                duration_label: "Duration (simulated seconds, both options)",
                testid_prefix: "cmp-",
                on_seed: dispatch.reform(Action::SetSeed),
                on_duration: dispatch.reform(Action::SetDuration),
                on_new_seed: dispatch.reform(move |drawn: Result<u64, String>| {
                    Action::SetSeed(drawn.map_or_else(|_| seed.clone(), |v| v.to_string()))
                }),
            }) }
        </div>
    }
}

/// The headline figures of both options with their differences.
fn figures_table(a: &Shown, b: &Shown) -> Html {
    let rows = rows(&a.output.report, &b.output.report);
    html! {
        <table class="compare-table" data-testid="cmp-figures">
            <caption>{ format!("{} (A) against {} (B), seed {}",
                a.output.report.scenario, b.output.report.scenario, a.output.report.seed) }</caption>
            <thead>
                <tr><th scope="col">{ "Figure" }</th><th scope="col">{ "A" }</th><th scope="col">{ "B" }</th>
                    <th scope="col">{ "B − A" }</th><th scope="col">{ "Lower" }</th></tr>
            </thead>
            <tbody>
                { for rows.iter().map(|r| {
                    let (class, lower) = match r.better() {
                        Better::A => ("better-a", "A"),
                        Better::B => ("better-b", "B"),
                        Better::Same => ("same", "same"),
                    };
                    html! {
                        <tr class={class} data-testid={format!("cmp-row-{}", r.key)}>
                            <th scope="row">{ r.label }</th>
                            <td data-testid="cmp-a">{ r.unit.format(r.a) }</td>
                            <td data-testid="cmp-b">{ r.unit.format(r.b) }</td>
                            <td>{ r.delta() }</td>
                            <td>{ lower }</td>
                        </tr>
                    }
                }) }
            </tbody>
        </table>
    }
}

/// The read latency, write latency and staleness CDFs of both options, overlaid (core's
/// [`compare_charts`], which decides their lines and draws them).
fn overlaid_cdfs(a: &Shown, b: &Shown) -> Html {
    fn run(s: &Shown) -> RunData<'_> {
        RunData {
            model: &s.model,
            report: &s.output.report,
            histograms: &s.output.histograms,
        }
    }
    compare_charts(&run(a), &run(b))
        .iter()
        .map(|(key, chart)| chart_box(chart, "chart", &format!("cmp-cdf-{key}")))
        .collect()
}

/// The Compare view.
#[function_component(CompareView)]
pub fn compare_view(props: &CompareViewProps) -> Html {
    let initial = props.initial.clone();
    let state = use_reducer(move || CompareState::new(&initial));
    let dispatch = state.dispatcher().to_callback();
    // One run per option, so that editing one option runs only that one again.
    use_engine_runs(
        state.a.generation,
        state.a.requested.clone(),
        dispatch.reform(|a: SideAction| Action::Side(Side::A, a)),
    );
    use_engine_runs(
        state.b.generation,
        state.b.requested.clone(),
        dispatch.reform(|a: SideAction| Action::Side(Side::B, a)),
    );
    // The address follows the valid settings.
    use_address(state.settings());

    let s = &*state;
    let results = match (&s.a.results, &s.b.results) {
        (Some(a), Some(b)) => html! {
            <>
                <section class="compare-results" aria-label="Figures of both options">
                    <h2>{ "Figures" }</h2>
                    { figures_table(a, b) }
                </section>
                <section class="compare-slos" aria-label="SLO verdicts of both options">
                    <h2>{ "SLO verdicts" }</h2>
                    <div class="compare-pair">
                        { for Side::BOTH.iter().zip([a, b]).map(|(side, shown)| html! {
                            <div data-testid={format!("cmp-slos-{}", side.letter().to_ascii_lowercase())}>
                                <h3>{ format!("Option {}: {}", side.letter(), shown.output.report.scenario) }</h3>
                                { slo_table(&shown.output.report) }
                            </div>
                        }) }
                    </div>
                </section>
                <section class="compare-charts" aria-label="Latency and staleness of both options">
                    <h2>{ "Latency & staleness, overlaid" }</h2>
                    <div class="compare-pair">
                        { overlaid_cdfs(a, b) }
                    </div>
                </section>
                <section class="compare-maps" aria-label="Maps of both options">
                    <h2>{ "Where the regions and clients are" }</h2>
                    <div class="compare-pair">
                        { for Side::BOTH.iter().zip([a, b]).map(|(side, shown)| html! {
                            <div data-testid={format!("cmp-map-{}", side.letter().to_ascii_lowercase())}>
                                <h3>{ format!("Option {}", side.letter()) }</h3>
                                <WorldMap model={shown.model.clone()} output={Some(shown.output.clone())} />
                                <ExportLinks model={shown.model.clone()} output={shown.output.clone()} />
                            </div>
                        }) }
                    </div>
                </section>
            </>
        },
        _ => html! { <p class="note">{ "Running both options…" }</p> },
    };
    html! {
        <>
            <div class="top compare-top">
                { shared_controls(s, &dispatch) }
                { side_controls(Side::A, &s.a, &dispatch) }
                { side_controls(Side::B, &s.b, &dispatch) }
            </div>
            { results }
        </>
    }
}
