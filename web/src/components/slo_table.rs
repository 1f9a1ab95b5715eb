//! All three read strategies side by side against the exercise's SLOs.

use meridian_core::kata86::{ReadStrategy, SEED_SLOS, StrategyComparison};
use yew::prelude::*;

use crate::views::kata86::labels;

/// Props of [`SloTable`].
#[derive(Debug, PartialEq, Properties)]
pub struct SloTableProps {
    /// One row per strategy, from the simulation.
    pub rows: Vec<StrategyComparison>,
    /// The strategy shown in the charts (highlighted).
    pub selected: ReadStrategy,
    /// Called when a row is picked.
    pub on_select: Callback<ReadStrategy>,
}

/// The comparison table.
#[function_component(SloTable)]
pub fn slo_table(props: &SloTableProps) -> Html {
    html! {
        <table class="slo-table" data-testid="slo-table">
            <caption>{ "Read strategies against the exercise's SLOs (same seed and iterations)" }</caption>
            <thead>
                <tr>
                    <th scope="col">{ "strategy" }</th>
                    { for SEED_SLOS.iter().map(|s| html! { <th scope="col">{ s.label }</th> }) }
                    <th scope="col">{ "staleness p99" }</th>
                    <th scope="col">{ "all SLOs" }</th>
                </tr>
            </thead>
            <tbody>
                { for props.rows.iter().map(|row| {
                    let strategy = row.strategy;
                    let on_click = props.on_select.reform(move |_: MouseEvent| strategy);
                    let selected = strategy == props.selected;
                    html! {
                        <tr class={classes!(selected.then_some("selected"))} onclick={on_click}
                            data-testid={format!("row-{}", strategy.name())} title={labels::strategy(strategy)}>
                            <th scope="row">{ strategy.name() }</th>
                            { for row.verdicts.iter().map(|v| html! {
                                <td class={if v.pass { "pass" } else { "fail" }}>
                                    { format!("{} ms ", v.measured_ms) }
                                    <span class="verdict">{ if v.pass { "pass" } else { "fail" } }</span>
                                </td>
                            }) }
                            <td>{ format!("{} ms", row.result.staleness_p99) }</td>
                            <td class={if row.all_pass() { "pass" } else { "fail" }}>
                                { if row.all_pass() { "pass" } else { "fail" } }
                            </td>
                        </tr>
                    }
                }) }
            </tbody>
        </table>
    }
}
