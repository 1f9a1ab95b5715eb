//! The Scenario view: pick a shipped preset or edit its document (TOML, or JSON), set the seed and
//! duration, run it with the general engine, and read its figures: headline percentiles, SLO
//! verdicts, per-region figures, failures, and the latency and staleness charts.
//!
//! The state lives in a reducer ([`state`]); every valid change starts a run through
//! [`crate::hooks::use_run()`] (a newer change cancels the older run), and the preset, seed and
//! duration are kept in the page address ([`query`]). A broken document shows its error next to
//! the editor, naming the field and line, while the last good results stay on screen.

pub mod charts;
pub mod document;
pub mod query;
pub mod results;
pub mod state;
pub mod toml_path;

use std::rc::Rc;

use meridian_core::scenario::PRESETS;
use meridian_core::sim::Model;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::components::export_links::ExportLinks;
use crate::components::world_map::WorldMap;
use crate::hooks::{RunStatus, use_address, use_run};
use crate::run::engine::EngineJob;
use crate::url_state::percent_encode;
use document::{DocError, Format, MAX_SEED, Problems, parse_duration, parse_seed, with_controls};
use state::{Action, ScenarioState, Settings};

/// Largest document the upload accepts, in bytes.
pub const MAX_UPLOAD_BYTES: f64 = 1_000_000.0;

/// Props of [`ScenarioView`].
#[derive(Debug, PartialEq, Properties)]
pub struct ScenarioViewProps {
    /// The preset, seed and duration as the page opens (from the page address).
    pub initial: Settings,
}

/// The message next to the editor.
pub fn doc_error(e: &DocError) -> Html {
    let location = e.location();
    html! {
        <div class="doc-error" role="alert" data-testid="doc-error">
            if !location.is_empty() {
                <strong data-testid="doc-error-where">{ format!("At {location}: ") }</strong>
            }
            <span>{ e.message.clone() }</span>
        </div>
    }
}

/// A `data:` address of the document with the controls written into it, for the download link.
fn download_href(s: &ScenarioState) -> Option<(String, String)> {
    let seed = parse_seed(&s.seed).ok()?;
    let duration = parse_duration(&s.duration).ok()?;
    let format = Format::of(&s.text);
    let text = with_controls(&s.text, seed, duration);
    let base = s
        .source
        .as_deref()
        .and_then(|n| n.rsplit_once('.').map(|(b, _)| b.to_string()))
        .unwrap_or_else(|| s.preset.clone());
    let base: String = base
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    Some((
        format!(
            "data:{};charset=utf-8,{}",
            format.mime(),
            percent_encode(&text)
        ),
        format!("{base}.{}", format.extension()),
    ))
}

/// Reads the first file of a file input and hands its text to `dispatch`.
fn read_upload(input: web_sys::HtmlInputElement, dispatch: Callback<Action>) {
    let Some(file) = input.files().and_then(|f| f.get(0)) else {
        return;
    };
    // Let the same file be chosen again later.
    input.set_value("");
    if file.size() > MAX_UPLOAD_BYTES {
        dispatch.emit(Action::Notice(format!(
            "{} is {} bytes; documents up to {} bytes are accepted",
            file.name(),
            file.size(),
            MAX_UPLOAD_BYTES
        )));
        return;
    }
    let name = file.name();
    let promise = file.text();
    yew::platform::spawn_local(async move {
        match wasm_bindgen_futures::JsFuture::from(promise).await {
            Ok(v) => match v.as_string() {
                Some(text) => dispatch.emit(Action::Upload { name, text }),
                None => dispatch.emit(Action::Notice(format!("{name} is not text"))),
            },
            Err(_) => dispatch.emit(Action::Notice(format!("could not read {name}"))),
        }
    });
}

/// Runs `model` whenever `generation` moves (a newer run cancels the one before), reporting to
/// `dispatch` as the view's actions. Each side of the Compare view runs through this too.
#[hook]
pub fn use_engine_runs(generation: u64, model: Option<Rc<Model>>, dispatch: Callback<Action>) {
    let runner = use_run();
    use_effect_with(generation, move |_| {
        if let Some(model) = model {
            let on_event = dispatch.reform(Action::Run);
            runner.start(Ok::<_, String>(EngineJob::new((*model).clone())), on_event);
        }
    });
}

/// What the seed and duration fields show and send: shared by the Scenario, Drill and Compare
/// views, whose test ids differ only by `testid_prefix` (`""` or `"cmp-"`).
#[derive(Debug)]
pub struct SeedDurationFields<'a> {
    /// The seed as typed.
    pub seed: &'a str,
    /// The duration as typed.
    pub duration: &'a str,
    /// What is wrong with them.
    pub problems: &'a Problems,
    /// Label of the seed field.
    pub seed_label: &'a str,
    /// Label of the duration field.
    pub duration_label: &'a str,
    /// Prefix of the fields' test ids.
    pub testid_prefix: &'a str,
    /// Gets the seed as typed.
    pub on_seed: Callback<String>,
    /// Gets the duration as typed.
    pub on_duration: Callback<String>,
    /// Gets a new random seed, or why none could be drawn.
    pub on_new_seed: Callback<Result<u64, String>>,
}

/// The seed field (with "New seed", drawing from the OS's randomness) and the duration field,
/// each with its error under it.
pub fn seed_duration_fields(f: SeedDurationFields<'_>) -> Html {
    let id = |name: &str| format!("{}{name}", f.testid_prefix);
    let text = |e: InputEvent| {
        e.target_unchecked_into::<web_sys::HtmlInputElement>()
            .value()
    };
    let on_seed = f.on_seed.reform(text);
    let on_duration = f.on_duration.reform(text);
    let on_new_seed = f.on_new_seed.reform(|_: MouseEvent| {
        getrandom::u64()
            .map(|v| v & MAX_SEED)
            .map_err(|e| e.to_string())
    });
    html! {
        <>
            <label>
                <span>{ f.seed_label }</span>
                <div class="row">
                    <input data-testid={id("seed")} inputmode="numeric" value={f.seed.to_string()} oninput={on_seed}
                           aria-invalid={f.problems.seed.is_some().to_string()} />
                    <button type="button" data-testid={id("new-seed")} onclick={on_new_seed}>{ "New seed" }</button>
                </div>
                if let Some(e) = &f.problems.seed {
                    <p class="field-error" data-testid={id("seed-error")}>{ e.clone() }</p>
                }
            </label>
            <label>
                <span>{ f.duration_label }</span>
                <input data-testid={id("duration")} inputmode="decimal" value={f.duration.to_string()} oninput={on_duration}
                       aria-invalid={f.problems.duration.is_some().to_string()} />
                if let Some(e) = &f.problems.duration {
                    <p class="field-error" data-testid={id("duration-error")}>{ e.clone() }</p>
                }
            </label>
        </>
    }
}

/// The Scenario view's controls (preset, seed, duration, download and upload) over `s`,
/// dispatching to `dispatch`. The Drill view shows the same.
pub fn controls_panel(s: &ScenarioState, dispatch: &Callback<Action>) -> Html {
    let on_preset = dispatch.reform(|e: Event| {
        Action::PickPreset(
            e.target_unchecked_into::<web_sys::HtmlSelectElement>()
                .value(),
        )
    });
    let on_upload = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: Event| {
            if let Some(input) = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            {
                read_upload(input, dispatch.clone());
            }
        })
    };

    let preset_summary = PRESETS
        .iter()
        .find(|p| p.name == s.preset)
        .map(|p| p.summary)
        .unwrap_or_default();
    let download = download_href(s);
    html! {
        <div class="controls" data-testid="sc-controls">
            <label>
                <span>{ "Preset" }</span>
                <select data-testid="preset" onchange={on_preset}>
                    { for PRESETS.iter().map(|p| html! {
                        <option value={p.name} selected={p.name == s.preset} title={p.summary}>{ p.name }</option>
                    }) }
                </select>
                <small class="muted">{ preset_summary }</small>
            </label>
            { seed_duration_fields(SeedDurationFields {
                seed: &s.seed,
                duration: &s.duration,
                problems: &s.problems,
                seed_label: "Seed",
                duration_label: "Duration (simulated seconds of arrivals)",
                testid_prefix: "",
                on_seed: dispatch.reform(Action::SetSeed),
                on_duration: dispatch.reform(Action::SetDuration),
                on_new_seed: dispatch.reform(|drawn: Result<u64, String>| match drawn {
                    Ok(v) => Action::SetSeed(v.to_string()),
                    Err(e) => Action::Notice(format!("no random seed available: {e}")),
                }),
            }) }
            <p class="note">{ "Seed and duration here apply over the document's." }</p>
            <div class="row">
                if let Some((href, name)) = download {
                    <a class="button" data-testid="download" href={href} download={name}>{ "Download document" }</a>
                }
                <label class="button upload">
                    { "Upload…" }
                    <input type="file" data-testid="upload" accept=".toml,.json,text/plain,application/json"
                           onchange={on_upload} />
                </label>
            </div>
            if let Some(n) = &s.notice {
                <p class="field-error" role="alert" data-testid="sc-notice">{ n.clone() }</p>
            }
        </div>
    }
}

/// The document's editor over `s`, with where the document came from and its error, dispatching
/// to `dispatch`. The Drill view shows the same.
pub fn editor_panel(s: &ScenarioState, dispatch: &Callback<Action>) -> Html {
    let on_text = dispatch.reform(|e: InputEvent| {
        Action::EditText(
            e.target_unchecked_into::<web_sys::HtmlTextAreaElement>()
                .value(),
        )
    });
    let mut origin = match (&s.source, s.edited) {
        (Some(file), false) => format!("from {file}"),
        (Some(file), true) => format!("from {file}, edited"),
        (None, false) => format!("preset {}", s.preset),
        (None, true) => format!("preset {}, edited", s.preset),
    };
    if let Some(doc) = s.own_document() {
        origin.push_str(if query::packed_document(doc).is_some() {
            " (kept in the page address: copy the link to share it)"
        } else {
            " (too large for the page address: download it to keep it)"
        });
    }
    html! {
        <div class="editor">
            <label for="scenario-text" class="editor-label">
                { format!("Scenario document (TOML, or JSON starting with {{) · {origin}") }
            </label>
            <textarea id="scenario-text" data-testid="editor" spellcheck="false" rows="22"
                      aria-invalid={s.problems.document.is_some().to_string()}
                      value={s.text.clone()} oninput={on_text} />
            if let Some(e) = &s.problems.document {
                { doc_error(e) }
            }
        </div>
    }
}

/// The Scenario view.
#[function_component(ScenarioView)]
pub fn scenario_view(props: &ScenarioViewProps) -> Html {
    let initial = props.initial.clone();
    let state = use_reducer(move || ScenarioState::new(&initial));
    use_engine_runs(
        state.generation,
        state.requested.clone(),
        state.dispatcher().to_callback(),
    );
    // The address follows the valid settings.
    use_address(state.settings());

    let dispatch = state.dispatcher().to_callback();
    let s = &*state;
    let status = match &s.status {
        RunStatus::Idle => Html::default(),
        RunStatus::Running { done, .. } => html! {
            <p class="run-status" role="status" data-testid="sc-run-status">
                <progress max="1" value={done.to_string()} />
                { format!(" Simulating {}… {:.0}%",
                    s.requested.as_ref().map(|m| m.name.clone()).unwrap_or_default(), done * 100.0) }
            </p>
        },
        RunStatus::Failed { message } => html! {
            <p class="field-error" role="alert" data-testid="sc-run-error">{ message.clone() }</p>
        },
    };
    let stale = !s.problems.is_empty() && s.results.is_some();
    html! {
        <>
            <div class="top scenario-top">
                { controls_panel(s, &dispatch) }
                { editor_panel(s, &dispatch) }
            </div>
            if stale {
                <p class="stale-note" data-testid="sc-stale-note">
                    { "Showing the results of the last valid document until it is fixed." }
                </p>
            }
            { status }
            {
                // The map of the figures shown, or of the document about to run.
                match (&s.results, &s.requested) {
                    (Some(shown), _) => html! {
                        <WorldMap model={shown.model.clone()} output={Some(shown.output.clone())} />
                    },
                    (None, Some(model)) => html! { <WorldMap model={model.clone()} /> },
                    (None, None) => Html::default(),
                }
            }
            if let Some(shown) = &s.results {
                <>
                    { results::headline(&shown.model, &shown.output.report) }
                    { results::slo_table(&shown.output.report) }
                    { results::region_table(&shown.model, &shown.output.report) }
                    { results::counters(&shown.output.report) }
                    { results::failures(&shown.output.report) }
                    <charts::ScenarioCharts shown={shown.clone()} />
                    <ExportLinks model={shown.model.clone()} output={shown.output.clone()} />
                </>
            }
        </>
    }
}
