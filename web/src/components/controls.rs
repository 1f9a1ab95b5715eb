//! The Kata 86 view's form: client region, leader, read strategy, staleness accounting, iterations and seed.
//! Every change is sent at once; numeric fields show their validation message inline.

use meridian_core::kata86::{ReadStrategy, Region, StalenessAccounting};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::format::group_digits;
use crate::views::kata86::labels;
use crate::views::kata86::state::{Action, Controls, FieldErrors, WEB_MAX_ITERATIONS};

/// Props of [`ControlsPanel`].
#[derive(Debug, PartialEq, Properties)]
pub struct ControlsProps {
    /// Current form values.
    pub controls: Controls,
    /// Current validation messages.
    pub errors: FieldErrors,
    /// Receives every change.
    pub on_action: Callback<Action>,
}

fn select_value(e: &Event) -> Option<String> {
    e.target_dyn_into::<HtmlSelectElement>().map(|s| s.value())
}

fn input_value(e: &InputEvent) -> Option<String> {
    e.target_dyn_into::<HtmlInputElement>().map(|i| i.value())
}

/// The settings form.
#[function_component(ControlsPanel)]
pub fn controls_panel(props: &ControlsProps) -> Html {
    let c = &props.controls;
    // A select only offers valid values, so a value that fails to parse is ignored.
    let on_select = |make: fn(&str) -> Option<Action>| {
        let cb = props.on_action.clone();
        Callback::from(move |e: Event| {
            if let Some(action) = select_value(&e).as_deref().and_then(make) {
                cb.emit(action);
            }
        })
    };
    let on_client = on_select(|v| v.parse().ok().map(Action::SetClient));
    let on_leader = on_select(|v| v.parse().ok().map(Action::SetLeader));
    let on_strategy = on_select(|v| v.parse().ok().map(Action::SetStrategy));
    let on_accounting = on_select(|v| v.parse().ok().map(Action::SetAccounting));
    let on_text = |make: fn(String) -> Action| {
        let cb = props.on_action.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(v) = input_value(&e) {
                cb.emit(make(v));
            }
        })
    };
    let on_iterations = on_text(Action::SetIterations);
    let on_seed = on_text(Action::SetSeed);

    let region_options = |selected: Region| -> Html {
        Region::ALL
            .iter()
            .map(|r| {
                html! {
                    <option value={r.code()} selected={*r == selected}>
                        { format!("{} ({})", r.code(), r.place()) }
                    </option>
                }
            })
            .collect()
    };
    let error = |id: &'static str, msg: &Option<String>| -> Html {
        match msg {
            Some(m) => {
                html! { <p class="field-error" id={id} role="alert" data-testid={id}>{ m }</p> }
            }
            None => html! {},
        }
    };

    html! {
        <form class="controls" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
            <label>
                <span>{ "Client served from" }</span>
                <select id="client" data-testid="client" onchange={on_client}>
                    { region_options(c.client) }
                </select>
            </label>
            <label>
                <span>{ "Leader (accepts writes)" }</span>
                <select id="leader" data-testid="leader" onchange={on_leader}>
                    { region_options(c.leader) }
                </select>
            </label>
            <label>
                <span>{ "Read strategy" }</span>
                <select id="strategy" data-testid="strategy" onchange={on_strategy}>
                    { for ReadStrategy::ALL.iter().map(|s| html! {
                        <option value={s.name()} selected={*s == c.strategy} title={labels::strategy(*s)}>
                            { s.name() }
                        </option>
                    }) }
                </select>
            </label>
            <label>
                <span>{ "Staleness counted as" }</span>
                <select id="accounting" data-testid="accounting" onchange={on_accounting}>
                    <option value="replica_lag"
                            selected={c.accounting == StalenessAccounting::ReplicaLag}>
                        { "replica lag (the exercise's rule)" }
                    </option>
                    <option value="served_read"
                            selected={c.accounting == StalenessAccounting::ServedRead}>
                        { "staleness of the data served" }
                    </option>
                </select>
            </label>
            <label>
                <span>{ format!("Iterations (1 to {})", group_digits(WEB_MAX_ITERATIONS)) }</span>
                <input id="iterations" data-testid="iterations" type="text" inputmode="numeric"
                       value={c.iterations.clone()} oninput={on_iterations}
                       aria-invalid={props.errors.iterations.is_some().to_string()}
                       aria-describedby="iterations-error" />
                { error("iterations-error", &props.errors.iterations) }
            </label>
            <label>
                <span>{ "Seed" }</span>
                <input id="seed" data-testid="seed" type="text" inputmode="numeric"
                       value={c.seed.clone()} oninput={on_seed}
                       aria-invalid={props.errors.seed.is_some().to_string()}
                       aria-describedby="seed-error" />
                { error("seed-error", &props.errors.seed) }
            </label>
        </form>
    }
}
