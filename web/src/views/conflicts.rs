//! The Conflicts view: core's conflict walkthroughs ([`meridian_core::walkthrough`]) stepped one
//! merge at a time, two strategies side by side, with what each kept and discarded at every
//! step.
//!
//! The state ([`state`]) is the walkthrough and the choices over it; the steps are driven by the
//! Back and Forward buttons or by the keyboard on the focusable stepper (ArrowLeft, ArrowRight,
//! Home, End). The example, the step and both strategies are kept in the page address
//! ([`query`]).

pub mod column;
pub mod labels;
pub mod query;
pub mod recorded;
pub mod state;

use meridian_core::walkthrough::EXAMPLES;
use yew::prelude::*;

use crate::hooks::use_address;
use column::{Side, column};
use labels::counter;
use state::{Action, ConflictsState, Settings};

/// Props of [`ConflictsView`].
#[derive(Debug, PartialEq, Properties)]
pub struct ConflictsViewProps {
    /// The settings as the page opens (from the page address, already checked).
    pub initial: Settings,
}

/// A select of the walkthrough's strategies, `selected` chosen.
fn strategy_select(
    s: &ConflictsState,
    label: &str,
    testid: &'static str,
    selected: usize,
    onchange: Callback<Event>,
) -> Html {
    html! {
        <label>
            <span>{ label.to_string() }</span>
            <select data-testid={testid} {onchange}>
                { for s.walk.outcomes.iter().enumerate().map(|(i, o)| html! {
                    <option value={o.key.clone()} selected={i == selected}>{ o.strategy.clone() }</option>
                }) }
            </select>
        </label>
    }
}

/// The Conflicts view.
#[function_component(ConflictsView)]
pub fn conflicts_view(props: &ConflictsViewProps) -> Html {
    let initial = props.initial.clone();
    let state = use_reducer(move || ConflictsState::new(&initial));

    // The address follows the view.
    use_address(Some(state.settings()));

    let dispatch = state.dispatcher().to_callback();
    let select_value = |e: Event| {
        e.target_unchecked_into::<web_sys::HtmlSelectElement>()
            .value()
    };
    let on_example = dispatch.reform(move |e| Action::Example(select_value(e)));
    let on_left = dispatch.reform(move |e| Action::Left(select_value(e)));
    let on_right = dispatch.reform(move |e| Action::Right(select_value(e)));
    let on_back = dispatch.reform(|_: MouseEvent| Action::Back);
    let on_forward = dispatch.reform(|_: MouseEvent| Action::Forward);
    let on_key = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.alt_key() || e.ctrl_key() || e.meta_key() {
                return;
            }
            if let Some(action) = Action::for_key(&e.key()) {
                e.prevent_default();
                dispatch.emit(action);
            }
        })
    };

    let s = &*state;
    let steps = s.steps();
    let columns = match (s.left(), s.right()) {
        (Some(a), Some(b)) => html! {
            <div class="conflict-columns">
                { column(a, s.step, steps, Side::Left) }
                { column(b, s.step, steps, Side::Right) }
            </div>
        },
        _ => html! { <p class="field-error">{ "This walkthrough has no strategies." }</p> },
    };

    html! {
        <section class="conflicts" aria-label="Conflict walkthrough">
            <div class="controls conflict-controls" data-testid="cf-controls">
                <label>
                    <span>{ "Race" }</span>
                    <select data-testid="cf-example" onchange={on_example}>
                        { for EXAMPLES.iter().map(|e| html! {
                            <option value={e.name} selected={e.name == s.walk.name}>
                                { format!("{}: {}", e.name, e.summary) }
                            </option>
                        }) }
                    </select>
                </label>
                { strategy_select(s, "Left column", "cf-a", s.a, on_left) }
                { strategy_select(s, "Right column", "cf-b", s.b, on_right) }
            </div>
            <p class="story" data-testid="cf-story">{ s.walk.story.clone() }</p>
            <div class="stepper" tabindex="0" role="group" data-testid="cf-stepper"
                 aria-label="Merge steps: ArrowLeft and ArrowRight step, Home and End go to the ends"
                 onkeydown={on_key}>
                <div class="step-bar">
                    <button type="button" data-testid="cf-back" onclick={on_back}
                            aria-disabled={(s.step <= 1).to_string()}>{ "← Back" }</button>
                    <p class="step-counter" aria-live="polite" data-testid="cf-counter">
                        { counter(s.step, steps) }
                    </p>
                    <button type="button" data-testid="cf-forward" onclick={on_forward}
                            aria-disabled={(s.step >= steps).to_string()}>{ "Forward →" }</button>
                    <span class="muted key-hint">{ "Keys: ← → Home End" }</span>
                </div>
                { columns }
            </div>
        </section>
    }
}
