//! The conflict walkthroughs of `meridian_core::walkthrough`, rendered step by step: pick a race,
//! see what each strategy kept and what it threw away.

use meridian_core::walkthrough::{EXAMPLES, walkthrough};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

/// The walkthrough section.
#[function_component(MergeWalkthrough)]
pub fn merge_walkthrough() -> Html {
    let selected = use_state(|| EXAMPLES.first().map_or("wallet", |e| e.name));
    let on_change = {
        let selected = selected.clone();
        Callback::from(move |e: Event| {
            let value = e.target_dyn_into::<HtmlSelectElement>().map(|s| s.value());
            if let Some(name) = value.and_then(|v| EXAMPLES.iter().find(|x| x.name == v)) {
                selected.set(name.name);
            }
        })
    };
    let body = match walkthrough(*selected) {
        Some(w) => html! {
            <>
                <p class="story">{ w.story.clone() }</p>
                <div class="outcomes">
                    { for w.outcomes.iter().map(|o| html! {
                        <article class={classes!("outcome", if o.lost_data { "fail" } else { "pass" })}
                                 data-testid="merge-outcome">
                            <h3>{ o.strategy.clone() }</h3>
                            { for o.traces.iter().map(|t| html! {
                                <details class="trace">
                                    <summary>{ format!("{} ({} steps)", t.title, t.steps.len()) }</summary>
                                    <ul class="trace-inputs">
                                        { for t.inputs.iter().map(|i| html! {
                                            <li><b>{ i.source.clone() }</b>{ format!(" {} ", i.value) }<span class="clock">{ i.clock.clone() }</span></li>
                                        }) }
                                    </ul>
                                    <ol class="trace-steps">
                                        { for t.steps.iter().map(|s| html! {
                                            <li>
                                                if !s.subject.is_empty() { <b>{ format!("{}: ", s.subject) }</b> }
                                                { s.decision.clone() }
                                                <span class="reason">{ format!(" ({})", s.reason) }</span>
                                            </li>
                                        }) }
                                    </ol>
                                    if !t.discarded.is_empty() {
                                        <p class="discarded">{ format!("thrown away: {}", t.discarded.join("; ")) }</p>
                                    }
                                </details>
                            }) }
                            <p class="result">{ format!("result: {}", o.result) }</p>
                            <p class="outcome-verdict">{ o.verdict.clone() }</p>
                        </article>
                    }) }
                </div>
            </>
        },
        None => html! { <p class="field-error">{ "Unknown example." }</p> },
    };
    html! {
        <section class="merge" aria-label="Conflict walkthroughs">
            <h2>{ "Concurrent writes: what each strategy keeps" }</h2>
            <label>
                { "Race: " }
                <select data-testid="merge-example" onchange={on_change}>
                    { for EXAMPLES.iter().map(|e| html! {
                        <option value={e.name} selected={e.name == *selected}>{ format!("{}: {}", e.name, e.summary) }</option>
                    }) }
                </select>
            </label>
            { body }
        </section>
    }
}
