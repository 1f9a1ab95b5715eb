//! The Drill view: a failure drill of a scenario document (a preset or an edited one), for a
//! design review. It shows the run's failure timeline ([`crate::charts::timeline`]: success
//! rates, p95 latencies, staleness and backlog with the fault windows, detections and
//! promotions, RTO and RPO), a scrubber over the run's time (Play/Pause at a chosen speed) that
//! the world map follows (regions down, the leader, where clients go: [`moment`]), and the same
//! faults under each failover policy side by side ([`policies`]).
//!
//! The document, its controls and its run are a Scenario view's ([`crate::views::scenario`]);
//! [`state`] adds the policy runs and the scrubber, [`query`] the address (`t`, the scrubbed
//! time), and [`add_fault`] the one-click fault for scenarios without one.
//!
//! The schedule is edited from the page ([`edit`], [`panel`]): a region clicked on the map (or
//! activated with Enter or Space) goes down, or is cut off, from the scrubbed time for the length
//! given; a window dragged across the timeline takes the picked region down from its start to
//! its end; the runbook toggles switch at the scrubbed time; each entry can be removed, and the
//! page's edits undone.

pub mod add_fault;
pub mod edit;
pub mod moment;
pub mod panel;
pub mod policies;
pub mod query;
pub mod state;

use std::rc::Rc;
use std::time::Duration;

use meridian_core::sim::{FailureReport, Model};
use yew::prelude::*;

use crate::components::chart_export::boxed;
use crate::components::export_links::ExportLinks;

use crate::charts::run::{TIMELINE_HEIGHT, TIMELINE_WIDTH, timeline_chart};
use crate::charts::timeline::{end_s, marks, rpo_text};
use crate::components::world_map::WorldMap;
use crate::format::millis;
use crate::hooks::{RunStatus, use_address};
use crate::run::engine::EngineOutput;
use crate::views::scenario::state::{Action as ScenarioAction, ScenarioState};
use crate::views::scenario::{controls_panel, editor_panel, use_engine_runs};
use moment::{moment_at, snap, step, time_at_x, x_at_time};
use state::{Action, DrillSettings, DrillState, SPEEDS, failures};

/// Width and height of the timeline chart, px.
const TIMELINE: (u32, u32) = (TIMELINE_WIDTH, TIMELINE_HEIGHT);
/// A pointer moved less than this across the timeline (chart px) clicks rather than drags.
const DRAG_MIN_PX: f64 = 4.0;

/// A drag across the timeline in progress, in chart pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Drag {
    /// Where it started.
    from: f64,
    /// Where the pointer is.
    to: f64,
    /// The chart's left edge on screen, CSS px.
    left: f64,
    /// Screen CSS px per chart px.
    scale: f64,
}

impl Drag {
    /// The chart x of a pointer at `client_x`.
    fn x(&self, client_x: i32) -> f64 {
        (f64::from(client_x) - self.left) / self.scale
    }
}

/// A drag starting at `e` on the chart's wrapper `plot` (the pointer is captured there, so the
/// drag goes on outside it).
fn drag_start(e: &PointerEvent, plot: &NodeRef) -> Option<Drag> {
    // Not `e.current_target()`: Yew listens at the application's root.
    let wrap = plot.cast::<web_sys::Element>()?;
    let rect = wrap.get_bounding_client_rect();
    if rect.width() <= 0.0 {
        return None;
    }
    let mut d = Drag {
        from: 0.0,
        to: 0.0,
        left: rect.left(),
        scale: rect.width() / f64::from(TIMELINE.0),
    };
    d.from = d.x(e.client_x());
    d.to = d.from;
    let _ = wrap.set_pointer_capture(e.pointer_id());
    Some(d)
}

/// What a click on region `i` of `model`'s map does: add a fault there from `now`.
fn on_region(model: &Rc<Model>, now: f64, dispatch: &Callback<Action>) -> Callback<usize> {
    let model = model.clone();
    dispatch.reform(move |i: usize| Action::AddRegionFault {
        region: model
            .topology
            .regions()
            .get(i)
            .map(|r| r.id.clone())
            .unwrap_or_default(),
        from_s: now,
        to_s: None,
    })
}

/// A time `t` moved to the nearest multiple of `step` (the timeline's interval).
fn on_grid(t: f64, step: f64) -> f64 {
    (t / step).round() * step
}

/// A run's output, equal to another only when it is the same one (not a deep comparison).
#[derive(Debug, Clone)]
struct SameRun(Rc<EngineOutput>);

impl PartialEq for SameRun {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// Props of [`DrillView`].
#[derive(Debug, PartialEq, Properties)]
pub struct DrillViewProps {
    /// The preset, seed, duration, document and time as the page opens (from the address).
    pub initial: DrillSettings,
}

/// The model of policy run `i`, if the document can be drilled.
fn policy_model(s: &DrillState, i: usize) -> Option<Rc<Model>> {
    s.policies.as_ref().ok()?.get(i).map(|p| p.model.clone())
}

/// A time in seconds as the view writes it: whole seconds without decimals.
fn secs(t: f64) -> String {
    if (t - t.round()).abs() < 1e-9 {
        format!("{t:.0} s")
    } else {
        format!("{t:.1} s")
    }
}

/// The recovery figures above the timeline: each fault's RTOs, and the RPO.
fn recovery_tiles(f: &FailureReport) -> Html {
    let opt = |v: Option<f64>| v.map_or_else(|| "not recovered".to_string(), millis);
    html! {
        <div class="tiles drill-tiles" data-testid="drill-recovery">
            { for f.faults.iter().enumerate().map(|(i, o)| html! {
                <>
                    <div class="tile">
                        <div class="tile-name">{ format!("RTO, first write · {}", o.label) }</div>
                        <div class="tile-value" data-testid={format!("drill-rto-write-{i}")}>{ opt(o.rto_write_ms) }</div>
                    </div>
                    <div class="tile">
                        <div class="tile-name">{ format!("RTO, back to SLO · {}", o.label) }</div>
                        <div class="tile-value" data-testid={format!("drill-rto-slo-{i}")}>{ opt(o.rto_slo_ms) }</div>
                    </div>
                </>
            }) }
            <div class="tile">
                <div class="tile-name">{ "RPO, acknowledged writes lost" }</div>
                <div class="tile-value" data-testid="drill-rpo">{ f.rpo.lost_writes.to_string() }</div>
                <div class="tile-slo">{ rpo_text(f) }</div>
            </div>
        </div>
    }
}

/// The scrubber: a range over the run's time, Play/Pause, the speed and jumps to the events.
fn scrubber(s: &DrillState, f: &FailureReport, now: f64, dispatch: &Callback<Action>) -> Html {
    let step = step(f);
    let (lo, hi) = (snap(f, 0.0), snap(f, f64::MAX));
    let on_input = dispatch.reform(|e: InputEvent| {
        let v = e
            .target_unchecked_into::<web_sys::HtmlInputElement>()
            .value_as_number();
        Action::Scrub(v)
    });
    let playing = s.playing;
    // Space plays or pauses; arrows, Home, End and Page keys are the range's own.
    let on_key = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == " " {
                e.prevent_default();
                dispatch.emit(if playing { Action::Pause } else { Action::Play });
            }
        })
    };
    let on_play =
        dispatch.reform(move |_: MouseEvent| if playing { Action::Pause } else { Action::Play });
    let on_speed = dispatch.reform(|e: Event| {
        let v = e
            .target_unchecked_into::<web_sys::HtmlSelectElement>()
            .value()
            .parse::<f64>()
            .unwrap_or(f64::NAN);
        Action::SetSpeed(v)
    });
    // Jumps: each fault's start and end and each mark, shown one interval after the event (the
    // timeline records the state at each interval's end).
    let mut events: Vec<(String, f64)> = Vec::new();
    for o in &f.faults {
        events.push((format!("fault starts {}", secs(o.start_s)), o.start_s));
        if let Some(e) = o.end_s {
            events.push((format!("fault ends {}", secs(e)), e));
        }
    }
    events.extend(
        marks(f)
            .into_iter()
            .map(|m| (format!("{} {}", m.label, secs(m.at_s)), m.at_s)),
    );
    // In time order (a few entries: an insertion keeps the page free of a sort).
    let mut jumps: Vec<(String, f64)> = Vec::with_capacity(events.len());
    for e in events {
        let at = jumps.iter().position(|j| j.1 > e.1).unwrap_or(jumps.len());
        jumps.insert(at, e);
    }
    html! {
        <div class="scrubber" data-testid="drill-scrubber">
            <div class="row">
                <button type="button" data-testid="drill-play" onclick={on_play}
                        aria-pressed={playing.to_string()}>
                    { if playing { "Pause" } else { "Play" } }
                </button>
                <label class="inline">
                    <span>{ "Speed" }</span>
                    <select data-testid="drill-speed" onchange={on_speed} aria-label="Playback speed">
                        { for SPEEDS.iter().map(|&v| html! {
                            <option value={v.to_string()} selected={v == s.speed}>{ format!("{v}× (simulated s per s)") }</option>
                        }) }
                    </select>
                </label>
                <output data-testid="drill-time" class="scrub-time" for="drill-time">{ format!("t = {}", secs(now)) }</output>
            </div>
            <input id="drill-time" type="range" data-testid="drill-slider" class="scrub-range"
                   min={lo.to_string()} max={hi.to_string()} step={step.to_string()} value={now.to_string()}
                   aria-label="Simulated time, s (arrow keys step one interval; Space plays or pauses)"
                   aria-valuetext={secs(now)} oninput={on_input} onkeydown={on_key} />
            <p class="jumps">
                <span class="muted">{ "Go to: " }</span>
                { for jumps.into_iter().map(|(label, at)| {
                    let to = at + step;
                    let go = dispatch.reform(move |_: MouseEvent| Action::Scrub(to));
                    html! { <button type="button" class="link-button" onclick={go}>{ label }</button> }
                }) }
            </p>
        </div>
    }
}

/// The message for a document without faults, with the one-click fault.
fn no_faults(s: &ScenarioState, dispatch: &Callback<Action>) -> Html {
    let Some(model) = s.requested.as_ref() else {
        return Html::default();
    };
    let target = add_fault::target(model);
    let (at, length) = add_fault::window(model.duration.as_millis_f64() / 1000.0);
    let button = target.map(|region| {
        let text = s.text.clone();
        let label = format!("Add region_down of {region} at {} for {}", secs(at), secs(length));
        let add = dispatch.reform(move |_: MouseEvent| {
            match add_fault::with_region_down(&text, &region, at, length) {
                Some(t) => Action::Scenario(ScenarioAction::EditText(t)),
                None => Action::Scenario(ScenarioAction::Notice(
                    "the document could not be read, so no fault was added".into(),
                )),
            }
        });
        html! { <button type="button" data-testid="drill-add-fault" onclick={add}>{ label }</button> }
    });
    html! {
        <div class="drill-empty" role="status" data-testid="drill-no-faults">
            <p>
                { "This scenario has no " }<code>{ "[[faults]]" }</code>
                { ", so nothing fails and there is nothing to drill. Add a fault to the document, e.g. " }
                <code>{ "[[faults]] kind = \"region_down\" region = \"SG\" at_s = 20 for_s = 30" }</code>
                { " (see the presets sg-down-promote and aws8-region-outage), or:" }
            </p>
            { button.unwrap_or_default() }
        </div>
    }
}

/// The Drill view.
#[function_component(DrillView)]
pub fn drill_view(props: &DrillViewProps) -> Html {
    let initial = props.initial.clone();
    let state = use_reducer(move || DrillState::new(&initial));
    let drag = use_state(|| None::<Drag>);
    let plot_ref = use_node_ref();
    // The timeline is drawn once per finished run, not on every scrub, tick or drag.
    let timeline = use_memo(
        state
            .scenario
            .results
            .as_ref()
            .map(|r| SameRun(r.output.clone())),
        // Core's chart, the one `meridian run|drill --svg` writes for this run.
        |run| timeline_chart(&run.as_ref()?.0.report),
    );
    let dispatch = state.dispatcher().to_callback();
    let generation = state.scenario.generation;
    use_engine_runs(
        generation,
        state.scenario.requested.clone(),
        dispatch.reform(Action::Scenario),
    );
    // One run per failover policy (three, in FailoverPolicy::ALL order).
    use_engine_runs(
        generation,
        policy_model(&state, 0),
        dispatch.reform(|a| Action::Policy(0, a)),
    );
    use_engine_runs(
        generation,
        policy_model(&state, 1),
        dispatch.reform(|a| Action::Policy(1, a)),
    );
    use_engine_runs(
        generation,
        policy_model(&state, 2),
        dispatch.reform(|a| Action::Policy(2, a)),
    );
    // The address follows the valid settings.
    use_address(state.settings());
    // Playback: one interval per tick, at the chosen speed.
    {
        let dispatch = dispatch.clone();
        let delay = failures(&state.scenario).map_or(1000.0, |f| step(f) * 1000.0 / state.speed);
        use_effect_with(
            (state.playing, state.play_token, state.time()),
            move |&(playing, token, _)| {
                if playing {
                    yew::platform::spawn_local(async move {
                        yew::platform::time::sleep(Duration::from_millis(delay as u64)).await;
                        dispatch.emit(Action::Tick { token });
                    });
                }
            },
        );
    }

    let scenario_dispatch = dispatch.reform(Action::Scenario);
    let s = &*state;
    let sc = &*s.scenario;
    let status = match &sc.status {
        RunStatus::Idle => Html::default(),
        RunStatus::Running { done, .. } => html! {
            <p class="run-status" role="status" data-testid="drill-run-status">
                <progress max="1" value={done.to_string()} />
                { format!(" Simulating… {:.0}%", done * 100.0) }
            </p>
        },
        RunStatus::Failed { message } => html! {
            <p class="field-error" role="alert">{ message.clone() }</p>
        },
    };
    let no_fault = sc.requested.as_ref().is_some_and(|m| m.faults.is_empty());
    let shown = sc
        .results
        .as_ref()
        .and_then(|r| Some((r, r.output.report.failures.as_ref()?)));
    let results = match (shown, s.time(), timeline.as_ref()) {
        (Some((r, f)), Some(now), Some(chart)) if !no_fault => {
            let svg = match &chart.svg {
                // Drawn here by plotters, which escapes every text it writes.
                Ok(svg) => Html::from_html_unchecked(AttrValue::from(svg.clone())),
                Err(e) => {
                    html! { <p class="chart-error">{ format!("Could not draw the chart: {e}") }</p> }
                }
            };
            // Dragging across the chart adds a window of the picked region; a click scrubs.
            let (end, grid) = (end_s(f), moment::step(f));
            let at = move |x: f64| time_at_x(end, TIMELINE.0, x);
            let percent = |x: f64| format!("{:.3}%", x / f64::from(TIMELINE.0) * 100.0);
            let on_down = {
                let (drag, plot_ref) = (drag.clone(), plot_ref.clone());
                Callback::from(move |e: PointerEvent| {
                    if e.button() == 0
                        && let Some(d) = drag_start(&e, &plot_ref)
                    {
                        e.prevent_default();
                        drag.set(Some(d));
                    }
                })
            };
            let on_move = {
                let drag = drag.clone();
                Callback::from(move |e: PointerEvent| {
                    if let Some(d) = *drag {
                        drag.set(Some(Drag {
                            to: d.x(e.client_x()),
                            ..d
                        }));
                    }
                })
            };
            let on_up = {
                let (drag, dispatch) = (drag.clone(), dispatch.clone());
                let region = s.drag_region();
                Callback::from(move |e: PointerEvent| {
                    let Some(d) = *drag else { return };
                    drag.set(None);
                    let to = d.x(e.client_x());
                    if (to - d.from).abs() < DRAG_MIN_PX {
                        dispatch.emit(Action::Scrub(on_grid(at(to), grid)));
                        return;
                    }
                    let (a, b) = (at(d.from.min(to)), at(d.from.max(to)));
                    let (a, b) = (on_grid(a, grid), on_grid(b, grid));
                    if let Some(region) = region.clone() {
                        dispatch.emit(Action::AddRegionFault {
                            region,
                            from_s: a,
                            to_s: Some(b.max(a + grid)),
                        });
                    }
                })
            };
            let on_cancel = {
                let drag = drag.clone();
                Callback::from(move |_: PointerEvent| drag.set(None))
            };
            let now_x = x_at_time(end, TIMELINE.0, now);
            // The marks are drawn in an SVG overlay with percentage attributes rather than `style`
            // attributes, which the page's Content-Security-Policy does not allow.
            let band = drag.map(|d| {
                let (a, b) = (d.from.min(d.to), d.from.max(d.to));
                (percent(a), percent(b - a))
            });
            let plot = html! {
                <div class="drill-plot" data-testid="drill-plot" ref={plot_ref.clone()} onpointerdown={on_down}
                     onpointermove={on_move} onpointerup={on_up} onpointercancel={on_cancel}>
                    { svg }
                    <svg class="drill-overlay" aria-hidden="true">
                        <line class="drill-now" data-testid="drill-now" x1={percent(now_x)}
                              x2={percent(now_x)} y1="0" y2="100%" />
                        if let Some((x, width)) = band {
                            <rect class="drill-drag-band" {x} {width} y="0" height="100%" />
                        }
                    </svg>
                </div>
            };
            html! {
                <>
                    <section class="drill-timeline" aria-label="Failure timeline">
                        <h2>{ "Timeline" }</h2>
                        { recovery_tiles(f) }
                        { boxed(
                            html! { <figure class="chart" role="img" aria-label={chart.aria.clone()} data-testid="drill-timeline">{ plot }</figure> },
                            chart.svg.as_deref().ok(), &chart.name, chart.width, chart.height,
                        ) }
                        { panel::drag_controls(s, &r.model, &dispatch) }
                    </section>
                    <section class="drill-moment" aria-label="The map at the scrubbed time">
                        <h2>{ "The map over time" }</h2>
                        { scrubber(s, f, now, &dispatch) }
                        <div class="drill-edit">
                            { panel::map_controls(s, now, &dispatch) }
                            { panel::schedule_list(s, &dispatch) }
                        </div>
                        <WorldMap model={r.model.clone()} output={Some(r.output.clone())}
                                  moment={moment_at(&r.model, f, now)} on_region={on_region(&r.model, now, &dispatch)}
                                  region_action={AttrValue::from(format!("activate to add a fault from {}", secs(now)))} />
                        <ExportLinks model={r.model.clone()} output={r.output.clone()} />
                    </section>
                </>
            }
        }
        _ => Html::default(),
    };
    html! {
        <>
            <div class="top drill-top">
                { controls_panel(sc, &scenario_dispatch) }
                <details class="drill-editor" open={sc.edited || sc.problems.document.is_some()}>
                    <summary>{ "Scenario document" }</summary>
                    { editor_panel(sc, &scenario_dispatch) }
                </details>
            </div>
            { status }
            if no_fault {
                { no_faults(sc, &dispatch) }
            }
            { results }
            if !no_fault {
                { policies::section(&s.policies) }
            }
        </>
    }
}
