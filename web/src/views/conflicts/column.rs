//! One strategy's column at one step: the merge of that step (its inputs with their clocks, the
//! decisions in order) with the value it kept and the values it discarded marked both by colour
//! and in words; and, at the last step, the converged result and what it means.

use meridian_core::conflict::MergeTrace;
use meridian_core::walkthrough::StrategyOutcome;
use yew::prelude::*;

use super::labels::merge_heading;

/// Which column: its place in words and its test id suffix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The left column.
    Left,
    /// The right column.
    Right,
}

impl Side {
    /// `left` or `right`, for test ids and classes.
    pub const fn id(self) -> &'static str {
        match self {
            Side::Left => "left",
            Side::Right => "right",
        }
    }
}

/// The merge of one step.
fn merge(t: &MergeTrace, side: Side) -> Html {
    let id = side.id();
    html! {
        <>
            <ul class="merge-inputs" aria-label="What met">
                { for t.inputs.iter().map(|i| html! {
                    <li><b>{ i.source.clone() }</b>{ format!(" {} ", i.value) }<span class="clock">{ i.clock.clone() }</span></li>
                }) }
            </ul>
            <ol class="merge-decisions" aria-label="Decisions">
                { for t.steps.iter().map(|s| html! {
                    <li>
                        if !s.subject.is_empty() { <b>{ format!("{}: ", s.subject) }</b> }
                        { s.decision.clone() }
                        <span class="reason">{ format!(" ({})", s.reason) }</span>
                    </li>
                }) }
            </ol>
            <p class="kept" data-testid={format!("cf-kept-{id}")}>
                <span class="tag">{ "Kept:" }</span>{ " " }{ t.result.clone() }
            </p>
            if t.discarded.is_empty() {
                <p class="discarded none" data-testid={format!("cf-discarded-{id}")}>
                    <span class="tag">{ "Discarded:" }</span>{ " nothing" }
                </p>
            } else {
                <ul class="discarded" data-testid={format!("cf-discarded-{id}")}>
                    { for t.discarded.iter().map(|d| html! {
                        <li><span class="tag">{ "Discarded:" }</span>{ " " }{ d.clone() }</li>
                    }) }
                </ul>
            }
        </>
    }
}

/// `outcome`'s column at `step` (from 1) of `steps`.
pub fn column(outcome: &StrategyOutcome, step: usize, steps: usize, side: Side) -> Html {
    let id = side.id();
    let merges = outcome.traces.len();
    let verdict = if outcome.lost_data {
        "Data lost: "
    } else {
        "Nothing lost: "
    };
    html! {
        <article class={classes!("conflict-column", id)} data-testid={format!("cf-column-{id}")}
                 aria-label={format!("{} column: {}", if side == Side::Left { "Left" } else { "Right" }, outcome.strategy)}>
            <h3>{ outcome.strategy.clone() }</h3>
            {
                match outcome.traces.get(step.saturating_sub(1)) {
                    Some(t) => html! {
                        <>
                            <p class="merge-title" data-testid={format!("cf-merge-{id}")}>
                                { merge_heading(step, merges, &t.title) }
                            </p>
                            { merge(t, side) }
                        </>
                    },
                    None => html! {
                        <p class="muted" data-testid={format!("cf-merge-{id}")}>
                            { format!("This strategy made {merges} merge{}; nothing more happens here.",
                                if merges == 1 { "" } else { "s" }) }
                        </p>
                    },
                }
            }
            if step >= steps {
                <div class={classes!("outcome-final", if outcome.lost_data { "fail" } else { "pass" })}
                     data-testid={format!("cf-outcome-{id}")}>
                    <p class="result">{ format!("Converged result: {}", outcome.result) }</p>
                    <p class="outcome-verdict"><strong>{ verdict }</strong>{ outcome.verdict.clone() }</p>
                </div>
            }
        </article>
    }
}
