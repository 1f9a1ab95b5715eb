//! The drill compare: the same scenario and faults under `reject_writes`, `promote` and
//! `manual` side by side, as `meridian drill` prints them: writes acknowledged, rejected and
//! failed, each fault's RTO, the RPO and split brain per policy, and the write success rate of
//! the three runs on one chart.

use meridian_core::sim::{FailoverPolicy, FailureReport, Report};
use plotters::style::RGBColor;
use yew::prelude::*;

use super::state::PolicyRun;
use crate::charts::timeline::{Run, write_rates_svg};
use crate::charts::{SERIES_A_COLOR, SERIES_B_COLOR};
use crate::format::{group_digits, millis};
use crate::hooks::RunStatus;

/// Colour and dash pattern of a policy's line: solid blue, dashed vermillion, dotted green.
pub fn line_style(policy: FailoverPolicy) -> (RGBColor, Option<(u32, u32)>) {
    match policy {
        FailoverPolicy::RejectWrites => (SERIES_A_COLOR, None),
        FailoverPolicy::Promote => (SERIES_B_COLOR, Some((9, 4))),
        FailoverPolicy::Manual => (RGBColor(0, 158, 115), Some((2, 4))),
    }
}

/// A row of the table: its key (for tests), its name and its cell of one run.
type Row = (
    String,
    String,
    Box<dyn Fn(&Report, &FailureReport) -> String>,
);

/// The table's rows, for faults numbered when there are several.
fn rows(faults: usize) -> Vec<Row> {
    let mut rows: Vec<Row> = vec![
        (
            "writes-ok".into(),
            "writes acknowledged".into(),
            Box::new(|r, _| group_digits(r.write_latency.count)),
        ),
        (
            "writes-rejected".into(),
            "writes rejected".into(),
            Box::new(|_, f| {
                let c = &f.counters;
                group_digits(
                    c.writes_rejected_no_leader
                        + c.writes_rejected_readonly
                        + c.writes_rejected_not_leader,
                )
            }),
        ),
        (
            "writes-failed".into(),
            "writes failed".into(),
            Box::new(|r, _| group_digits(r.counters.write_failures)),
        ),
    ];
    let opt = |v: Option<f64>| v.map_or_else(|| "not recovered".to_string(), millis);
    for i in 0..faults {
        let tag = if faults > 1 {
            format!(" [{}]", i + 1)
        } else {
            String::new()
        };
        rows.push((
            format!("rto-write-{i}"),
            format!("RTO, first write{tag}"),
            Box::new(move |_, f| opt(f.faults.get(i).and_then(|o| o.rto_write_ms))),
        ));
        rows.push((
            format!("rto-slo-{i}"),
            format!("RTO, back to SLO{tag}"),
            Box::new(move |_, f| opt(f.faults.get(i).and_then(|o| o.rto_slo_ms))),
        ));
    }
    rows.push((
        "rpo".into(),
        "RPO, acknowledged writes lost".into(),
        Box::new(|_, f| group_digits(f.rpo.lost_writes)),
    ));
    rows.push((
        "rpo-window".into(),
        "RPO window".into(),
        Box::new(|_, f| millis(f.rpo.window_ms)),
    ));
    rows.push((
        "split-brain".into(),
        "split brain".into(),
        Box::new(|_, f| millis(f.split_brain_ms)),
    ));
    rows
}

/// The section: why there is no compare, the runs' progress, or the table and the chart.
pub fn section(policies: &Result<Vec<PolicyRun>, String>) -> Html {
    let body = match policies {
        Err(why) => html! {
            <p class="note" data-testid="drill-no-compare">
                { format!("No policy comparison: {why}.") }
            </p>
        },
        Ok(runs) => {
            let done: Vec<(&PolicyRun, &Report, &FailureReport)> = runs
                .iter()
                .filter_map(|p| {
                    let r = &p.output.as_ref()?.report;
                    Some((p, r, r.failures.as_ref()?))
                })
                .collect();
            if done.len() < runs.len() {
                let share = runs
                    .iter()
                    .map(|p| match p.status {
                        RunStatus::Running { done, .. } => done,
                        _ if p.output.is_some() => 1.0,
                        _ => 0.0,
                    })
                    .sum::<f64>()
                    / runs.len().max(1) as f64;
                let failed: Vec<String> = runs
                    .iter()
                    .filter_map(|p| match &p.status {
                        RunStatus::Failed { message } => {
                            Some(format!("{}: {message}", p.policy.name()))
                        }
                        _ => None,
                    })
                    .collect();
                html! {
                    <>
                        <p class="run-status" role="status" data-testid="drill-policies-status">
                            <progress max="1" value={share.to_string()} />
                            { format!(" Running the three policies… {:.0}%", share * 100.0) }
                        </p>
                        if !failed.is_empty() {
                            <p class="field-error" role="alert">{ failed.join("; ") }</p>
                        }
                    </>
                }
            } else {
                table_and_chart(&done)
            }
        }
    };
    html! {
        <section class="drill-policies" aria-label="The same faults under each failover policy">
            <h2>{ "The same faults under each failover policy" }</h2>
            { body }
        </section>
    }
}

/// The table of the finished runs and their write success rates on one chart.
fn table_and_chart(done: &[(&PolicyRun, &Report, &FailureReport)]) -> Html {
    let faults = done.first().map_or(0, |(_, _, f)| f.faults.len());
    let first = done.first().map(|(_, r, _)| *r);
    let caption = first.map_or_else(String::new, |r| {
        format!(
            "{} · seed {} · {}",
            r.scenario,
            r.seed,
            done.first()
                .map(|(_, _, f)| {
                    f.faults
                        .iter()
                        .map(|o| o.label.clone())
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default()
        )
    });
    let labels: Vec<String> = done
        .iter()
        .map(|(p, _, _)| p.policy.name().to_string())
        .collect();
    let series: Vec<Run<'_>> = done
        .iter()
        .zip(&labels)
        .map(|((p, _, f), label)| {
            let (color, dash) = line_style(p.policy);
            Run {
                label,
                failures: f,
                color,
                dash,
            }
        })
        .collect();
    let aria = format!(
        "Writes acknowledged per interval under each failover policy, with the faults shaded: {}",
        done.iter()
            .map(|(p, _, f)| format!(
                "{} RTO (writes) {}",
                p.policy.name(),
                f.faults
                    .first()
                    .and_then(|o| o.rto_write_ms)
                    .map_or_else(|| "not recovered".to_string(), millis)
            ))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let chart = match write_rates_svg("Writes acknowledged, % per interval", &series, 900, 300) {
        // Drawn here by plotters, which escapes every text it writes.
        Ok(svg) => Html::from_html_unchecked(AttrValue::from(svg)),
        Err(e) => html! { <p class="chart-error">{ format!("Could not draw the chart: {e}") }</p> },
    };
    html! {
        <>
            <table class="compare-table drill-table" data-testid="drill-policies">
                <caption>{ caption }</caption>
                <thead>
                    <tr>
                        <th scope="col">{ "Figure" }</th>
                        { for done.iter().map(|(p, _, _)| html! {
                            <th scope="col">{ p.policy.name() }</th>
                        }) }
                    </tr>
                </thead>
                <tbody>
                    { for rows(faults).into_iter().map(|(key, name, cell)| html! {
                        <tr>
                            <th scope="row">{ name }</th>
                            { for done.iter().map(|(p, r, f)| html! {
                                <td data-testid={format!("drill-{}-{key}", p.policy.name())}>{ cell(r, f) }</td>
                            }) }
                        </tr>
                    }) }
                </tbody>
            </table>
            <figure class="chart drill-policy-chart" role="img" aria-label={aria} data-testid="drill-policy-chart">
                { chart }
            </figure>
        </>
    }
}
