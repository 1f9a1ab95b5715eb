//! The Drill view's schedule editing: what a click on the map adds and for how long, the runbook
//! toggles switched at the scrubbed time, the region of windows dragged on the timeline, and
//! the schedule itself, each entry with a button that removes it, and Undo.

use meridian_core::sim::{Model, Toggle};
use yew::prelude::*;

use super::edit::{self, RegionFault, schedule, toggle_on_at};
use super::state::{Action, DrillState};

/// The toggles offered at the scrubbed time.
pub const TOGGLES: [Toggle; 2] = [Toggle::ForceLeaderRead, Toggle::WriteReadonlyMode];

/// A time as the view writes it: whole seconds without decimals.
fn secs(t: f64) -> String {
    if (t - t.round()).abs() < 1e-9 {
        format!("{t:.0} s")
    } else {
        format!("{t:.1} s")
    }
}

/// The controls next to the map: what a click on a region adds and its length, and the toggle
/// buttons at the scrubbed time `now`.
pub fn map_controls(s: &DrillState, now: f64, dispatch: &Callback<Action>) -> Html {
    let length_error = edit::parse_length(&s.length).err();
    let on_kind = dispatch.reform(|e: Event| {
        let v = e
            .target_unchecked_into::<web_sys::HtmlSelectElement>()
            .value();
        Action::SetFaultKind(RegionFault::from_key(&v).unwrap_or_default())
    });
    let on_length = dispatch.reform(|e: InputEvent| {
        Action::SetLength(
            e.target_unchecked_into::<web_sys::HtmlInputElement>()
                .value(),
        )
    });
    let faults = schedule(&s.scenario.text).unwrap_or_default();
    let length =
        edit::parse_length(&s.length).map_or_else(|_| "the length given".to_string(), secs);
    html! {
        <div class="drill-add" data-testid="drill-add">
            <p class="drill-hint" id="drill-map-hint">
                { format!("Click a region on the map (or focus it with Tab and press Enter) to add a fault \
                           from t = {} for {length}:", secs(now)) }
            </p>
            <div class="row">
                <label class="inline">
                    <span>{ "Fault" }</span>
                    <select data-testid="drill-fault-kind" onchange={on_kind}>
                        { for RegionFault::ALL.iter().map(|k| html! {
                            <option value={k.key()} selected={*k == s.fault_kind}>{ k.describe() }</option>
                        }) }
                    </select>
                </label>
                <label class="inline">
                    <span>{ "Length, s" }</span>
                    <input type="text" inputmode="decimal" size="7" data-testid="drill-fault-length"
                           value={s.length.clone()} oninput={on_length}
                           aria-invalid={length_error.is_some().to_string()}
                           aria-describedby="drill-fault-length-error" />
                </label>
            </div>
            <p class="field-error" id="drill-fault-length-error" data-testid="drill-fault-length-error">
                { length_error.unwrap_or_default() }
            </p>
            <div class="row drill-toggles">
                <span class="muted">{ format!("Runbook toggles at t = {}:", secs(now)) }</span>
                { for TOGGLES.iter().map(|&toggle| {
                    let on = toggle_on_at(&faults, toggle, now).is_some();
                    let label = format!("Switch {} {} at {}", toggle.name(), if on { "off" } else { "on" }, secs(now));
                    let click = dispatch.reform(move |_: MouseEvent| Action::SwitchToggle(toggle, now));
                    html! {
                        <button type="button" data-testid={format!("drill-toggle-{}", toggle.name())}
                                aria-pressed={on.to_string()} onclick={click}>{ label }</button>
                    }
                }) }
            </div>
        </div>
    }
}

/// The region picker next to the timeline: the region of a window dragged across it.
pub fn drag_controls(s: &DrillState, model: &Model, dispatch: &Callback<Action>) -> Html {
    let chosen = s.drag_region();
    let on_region = dispatch.reform(|e: Event| {
        Action::SetDragRegion(
            e.target_unchecked_into::<web_sys::HtmlSelectElement>()
                .value(),
        )
    });
    html! {
        <p class="drill-drag row">
            <span>{ format!("Drag across the timeline to add a {} window of", s.fault_kind.key()) }</span>
            <select data-testid="drill-drag-region" aria-label="Region of a window dragged on the timeline"
                    onchange={on_region}>
                { for model.topology.regions().iter().map(|r| html! {
                    <option value={r.id.clone()} selected={chosen.as_deref() == Some(r.id.as_str())}>
                        { format!("{} ({})", r.id, r.name) }
                    </option>
                }) }
            </select>
            <span class="muted">{ "(a click on the timeline moves the scrubber there)" }</span>
        </p>
    }
}

/// The schedule: each entry with its remove button, Undo, and why the last edit was refused.
pub fn schedule_list(s: &DrillState, dispatch: &Callback<Action>) -> Html {
    let sc = &*s.scenario;
    // The labels are the validated document's (the requested model is the text's when the
    // document and controls have no problem).
    let labels: Option<Vec<String>> = sc
        .requested
        .as_ref()
        .filter(|_| sc.problems.is_empty())
        .map(|m| m.faults.iter().map(|f| f.label.clone()).collect());
    let undo = dispatch.reform(|_: MouseEvent| Action::Undo);
    html! {
        <div class="drill-schedule" data-testid="drill-schedule">
            <h3>{ "Faults and toggles of this drill" }</h3>
            if let Some(error) = &s.edit_error {
                <p class="field-error" role="alert" data-testid="drill-edit-error">{ error.clone() }</p>
            }
            {
                match labels {
                    Some(labels) if labels.is_empty() => html! { <p class="muted">{ "None." }</p> },
                    Some(labels) => html! {
                        <ol data-testid="drill-fault-list">
                            { for labels.into_iter().enumerate().map(|(i, label)| {
                                let remove = dispatch.reform(move |_: MouseEvent| Action::RemoveFault(i));
                                html! {
                                    <li data-testid={format!("drill-fault-{i}")}>
                                        <span>{ label.clone() }</span>{ " " }
                                        <button type="button" class="link-button" onclick={remove}
                                                data-testid={format!("drill-remove-{i}")}
                                                aria-label={format!("Remove {label}")}>{ "Remove" }</button>
                                    </li>
                                }
                            }) }
                        </ol>
                    },
                    None => html! {
                        <p class="muted">{ "The document or a control has an error (see above), so its faults are not listed." }</p>
                    },
                }
            }
            <button type="button" data-testid="drill-undo" onclick={undo} disabled={!s.can_undo()}>
                { "Undo last change" }
            </button>
        </div>
    }
}
