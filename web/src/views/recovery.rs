//! The Recovery view: seed 003's order flow under a service outage
//! ([`meridian_core::reliability`]). Pick a recovery preset (or the bare order flow), edit the
//! outage (service, kind, start, length, and the error rate or added latency its kind needs)
//! and the seed; core runs it in the page and the view shows the run's figures, each outage's
//! detection, recovery and downtime, the recovery timeline (core's chart, the one
//! `meridian recovery --svg` writes) and the report as JSON. Below, seed 003's table: every
//! failure type down for 20 s, 2 min and 10 min over a few seeds, next to the document's
//! estimates, as `meridian recovery` prints it.
//!
//! The state lives in a reducer ([`state`]); every valid change starts a run through
//! [`crate::hooks::use_run()`] with a [`RecoveryJob`], the table with a [`TableJob`] (one
//! seed-run per slice) on a runner of its own, and the settings are kept in the page address
//! ([`query`]).

pub mod labels;
pub mod query;
pub mod settings;
pub mod state;

use crate::components::field_value::{input_value, select_value};
use crate::components::text_field::{FieldInput, text_field};
use meridian_core::charts::recovery::recovery_chart;
use meridian_core::reliability::RecoveryReport;
use meridian_core::reliability::presets::order_flow;
use meridian_core::reliability::scenario::{OutageKind, ServiceName};
use yew::prelude::*;

use crate::components::chart_export::chart_box;
use crate::hooks::{RunStatus, use_address, use_run};
use crate::run::recovery::{RecoveryJob, TableJob};
use crate::url_state::percent_encode;
use settings::{Settings, preset_names};
use state::{Action, RecoveryState, Shown, TABLE_DURATIONS_S, kind_options};

/// Props of [`RecoveryView`].
#[derive(Debug, PartialEq, Properties)]
pub struct RecoveryViewProps {
    /// The settings as the page opens (from the page address).
    pub initial: Settings,
}

/// The report as a `data:` address of its JSON: the text `meridian recovery --json` prints,
/// byte for byte (pretty-printed, as the other views' report downloads are).
fn report_href(report: &RecoveryReport) -> Option<String> {
    serde_json::to_string_pretty(report).ok().map(|json| {
        format!(
            "data:application/json;charset=utf-8,{}",
            percent_encode(&format!("{json}\n"))
        )
    })
}

/// The file name of a report's download.
fn report_file(report: &RecoveryReport) -> String {
    let name: String = report
        .name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!(
        "{}-seed{}-recovery.json",
        name.trim_matches('-'),
        report.seed
    )
}

/// The figures, outages, chart and download of a finished run.
fn results(shown: &Shown) -> Html {
    let r = &shown.report;
    let chart = recovery_chart(r);
    html! {
        <section class="recovery-results" aria-label="Recovery run">
            <p class="tallies" data-testid="recovery-tallies">{ labels::tallies(r) }</p>
            <dl class="recovery-figures">
                { for labels::figures(r).into_iter().map(|f| html! {
                    <>
                        <dt>{ f.name }</dt>
                        <dd data-testid={f.testid}>{ f.value }</dd>
                    </>
                }) }
            </dl>
            if r.outages.is_empty() {
                <p class="note" data-testid="recovery-no-outage">{ "No outage: the flow as it runs every day." }</p>
            } else {
                <table class="recovery-outages" data-testid="recovery-outages">
                    <thead><tr>
                        <th scope="col">{ "outage" }</th><th scope="col">{ "detection" }</th>
                        <th scope="col">{ "recovery" }</th><th scope="col">{ "total downtime" }</th>
                        <th scope="col">{ "refused orders" }</th>
                    </tr></thead>
                    <tbody>
                        { for r.outages.iter().enumerate().map(|(i, m)| html! {
                            <tr data-testid={format!("recovery-outage-{i}")}>
                                <td>{ labels::outage(m) }</td>
                                <td data-testid="outage-detection">{ labels::detection(m) }</td>
                                <td data-testid="outage-recovery">{ labels::recovery(m) }</td>
                                <td data-testid="outage-total">{ labels::total(m) }</td>
                                <td data-testid="outage-refused">{ labels::human_ms(m.downtime_ms) }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            }
            { chart_box(&chart, "chart recovery-chart", "recovery-chart") }
            if let Some(href) = report_href(r) {
                <p class="exports" data-testid="exports">
                    <span class="muted">{ "Download this run: " }</span>
                    <a href={href} download={report_file(r)} data-testid="export-report">{ "report (JSON)" }</a>
                </p>
            }
        </section>
    }
}

/// Seed 003's table, or its progress.
fn table_section(s: &RecoveryState, on_seeds: Callback<InputEvent>) -> Html {
    let t = &s.table;
    let status = match &t.status {
        RunStatus::Idle => Html::default(),
        RunStatus::Running { done, .. } => html! {
            <p class="run-status" role="status" data-testid="recovery-table-status">
                <progress max="1" value={done.to_string()} />
                { format!(" Running the table… {:.0}%", done * 100.0) }
            </p>
        },
        RunStatus::Failed { message } => html! {
            <p class="field-error" role="alert" data-testid="recovery-table-error">{ message.clone() }</p>
        },
    };
    html! {
        <section class="recovery-table" aria-labelledby="recovery-table-title">
            <h2 id="recovery-table-title">{ "Seed 003's table" }</h2>
            { text_field(
                &format!("Seeds per row (1 to {})", TableJob::MAX_SEEDS),
                "recovery-table-seeds", &t.seeds_text, &t.seeds_error, FieldInput::Numeric, on_seeds) }
            { status }
            if let Some(out) = &t.results {
                <p class="note" data-testid="recovery-table-caption">{ labels::table_caption(out.seeds) }</p>
                <div class="table-scroll">
                    <table data-testid="recovery-table-rows">
                        <thead><tr>
                            { for labels::table_header().iter().map(|h| html! { <th scope="col">{ *h }</th> }) }
                        </tr></thead>
                        <tbody>
                            { for labels::table_cells(&out.rows).into_iter().map(|cells| html! {
                                <tr>{ for cells.into_iter().map(|c| html! { <td>{ c }</td> }) }</tr>
                            }) }
                        </tbody>
                    </table>
                </div>
            }
        </section>
    }
}

/// The Recovery view.
#[function_component(RecoveryView)]
pub fn recovery_view(props: &RecoveryViewProps) -> Html {
    let initial = props.initial.clone();
    let state = use_reducer(move || RecoveryState::new(&initial));
    let runner = use_run();
    let table_runner = use_run();

    // A run of every new valid request; a newer run cancels the one before.
    {
        let dispatcher = state.dispatcher();
        let settings = state.requested.clone();
        use_effect_with(state.generation, move |_| {
            let on_event = dispatcher.to_callback().reform(Action::Run);
            runner.start(
                RecoveryJob::new(settings.scenario()).map_err(|e| e.to_string()),
                on_event,
            );
        });
    }
    // The table, whenever its seeds change.
    {
        let dispatcher = state.dispatcher();
        let seeds = state.table.seeds;
        use_effect_with(state.table.generation, move |_| {
            let on_event = dispatcher.to_callback().reform(Action::Table);
            table_runner.start(
                TableJob::new(order_flow(), TABLE_DURATIONS_S.to_vec(), seeds),
                on_event,
            );
        });
    }
    // The address follows the valid settings.
    use_address(Some(state.requested.clone()));

    let dispatch = state.dispatcher().to_callback();
    let on_preset = dispatch.reform(move |e| Action::SetPreset(select_value(e)));
    let on_service = dispatch.reform(move |e| Action::SetService(select_value(e)));
    let on_kind = dispatch.reform(move |e| {
        let name = select_value(e);
        // The select lists only the three kinds, so the default is never needed.
        Action::SetKind(
            settings::parse_kind(&name).unwrap_or(state::Form::of(&Settings::default()).kind),
        )
    });
    let on_seed = dispatch.reform(move |e| Action::SetSeed(input_value(e)));
    let on_at = dispatch.reform(move |e| Action::SetAt(input_value(e)));
    let on_for = dispatch.reform(move |e| Action::SetFor(input_value(e)));
    let on_error_rate = dispatch.reform(move |e| Action::SetErrorRate(input_value(e)));
    let on_extra_ms = dispatch.reform(move |e| Action::SetExtraMs(input_value(e)));
    let on_seeds = dispatch.reform(move |e| Action::SetTableSeeds(input_value(e)));

    let s = &*state;
    let f = &s.form;
    let with_outage = f.service != "none";
    let status = match &s.status {
        RunStatus::Idle => Html::default(),
        RunStatus::Running { .. } => html! {
            <p class="run-status" role="status" data-testid="recovery-run-status">{ "Running…" }</p>
        },
        RunStatus::Failed { message } => html! {
            <p class="field-error" role="alert" data-testid="recovery-run-error">{ message.clone() }</p>
        },
    };
    let stale = s.errors.any() && s.results.is_some();
    let services = std::iter::once("none").chain(ServiceName::ALL.iter().map(|s| s.name()));

    html! {
        <>
            <div class="top recovery-top">
                <div class="controls" data-testid="recovery-controls">
                    <label>
                        <span>{ "Preset" }</span>
                        <select data-testid="recovery-preset" onchange={on_preset}>
                            { for preset_names().into_iter().map(|p| html! {
                                <option value={p} selected={p == f.preset}>{ p }</option>
                            }) }
                        </select>
                    </label>
                    { text_field("Seed", "recovery-seed", &f.seed, &s.errors.seed, FieldInput::Numeric, on_seed) }
                    <label>
                        <span>{ "Service down" }</span>
                        <select data-testid="recovery-service" onchange={on_service}>
                            { for services.map(|name| html! {
                                <option value={name} selected={name == f.service}>{ name }</option>
                            }) }
                        </select>
                        if let Some(e) = &s.errors.service {
                            <p class="field-error" data-testid="recovery-service-error">{ e.clone() }</p>
                        }
                    </label>
                    if with_outage {
                        <label>
                            <span>{ "Kind" }</span>
                            <select data-testid="recovery-kind" onchange={on_kind}>
                                { for kind_options().into_iter().map(|(k, name)| html! {
                                    <option value={name} selected={k == f.kind}>{ name }</option>
                                }) }
                            </select>
                        </label>
                        { text_field("Start, s", "recovery-at", &f.at, &s.errors.at, FieldInput::Decimal, on_at) }
                        { text_field("Length, s", "recovery-for", &f.for_s, &s.errors.for_s, FieldInput::Decimal, on_for) }
                        if f.kind == OutageKind::Degraded {
                            { text_field("Error rate (0 to 1)", "recovery-error-rate", &f.error_rate, &s.errors.error_rate, FieldInput::Decimal, on_error_rate) }
                        }
                        if f.kind == OutageKind::Slow {
                            { text_field("Added latency, ms", "recovery-extra-ms", &f.extra_ms, &s.errors.extra_ms, FieldInput::Decimal, on_extra_ms) }
                        }
                    }
                    if let Some(e) = &s.errors.scenario {
                        <p class="field-error" data-testid="recovery-scenario-error">{ e.clone() }</p>
                    }
                </div>
                <div class="recovery-main">
                    if stale {
                        <p class="stale-note" data-testid="recovery-stale-note">
                            { "Showing the last valid settings' run until the form is fixed." }
                        </p>
                    }
                    { status }
                    if let Some(shown) = &s.results {
                        { results(shown) }
                    }
                </div>
            </div>
            { table_section(s, on_seeds) }
        </>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use meridian_core::reliability::presets::preset;
    use meridian_core::reliability::run;

    #[test]
    fn the_report_download_is_the_cli_json() {
        let report = run(&preset("queue-down-2m").unwrap().scenario()).unwrap();
        let href = report_href(&report).unwrap();
        let json = href
            .strip_prefix("data:application/json;charset=utf-8,")
            .unwrap();
        assert_eq!(
            crate::url_state::percent_decode(json),
            include_str!("../../../tests/fixtures/golden/recovery-queue-down-2m.json")
        );
        assert_eq!(report_file(&report), "queue-down-2m-seed1-recovery.json");
    }
}
