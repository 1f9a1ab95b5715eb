//! The drill compare: the same scenario and faults under `reject_writes`, `promote` and
//! `manual` side by side, as `meridian drill` prints them: writes acknowledged, rejected and
//! failed, each fault's RTO, the RPO and split brain per policy, and the write success rate of
//! the three runs on one chart.

use meridian_core::sim::{FailoverPolicy, FailureReport, Report};
use yew::prelude::*;

use crate::components::chart_export::chart_box;

use super::state::PolicyRun;
use crate::charts::run::policies_chart;
use crate::format::{group_digits, millis};
use crate::hooks::RunStatus;

/// The table's rows as (key for tests, name), for `faults` faults (numbered when several).
fn row_names(faults: usize) -> Vec<(String, String)> {
    let mut rows: Vec<(String, String)> = [
        ("writes-ok", "writes acknowledged"),
        ("writes-rejected", "writes rejected"),
        ("writes-failed", "writes failed"),
    ]
    .iter()
    .map(|(k, n)| (k.to_string(), n.to_string()))
    .collect();
    for i in 0..faults {
        let tag = if faults > 1 {
            format!(" [{}]", i + 1)
        } else {
            String::new()
        };
        rows.push((format!("rto-write-{i}"), format!("RTO, first write{tag}")));
        rows.push((format!("rto-slo-{i}"), format!("RTO, back to SLO{tag}")));
    }
    for (k, n) in [
        ("rpo", "RPO, acknowledged writes lost"),
        ("rpo-window", "RPO window"),
        ("split-brain", "split brain"),
    ] {
        rows.push((k.to_string(), n.to_string()));
    }
    rows
}

/// One run's cells, in [`row_names`] order, from its report and failure section.
fn cells(r: &Report, f: &FailureReport, faults: usize) -> Vec<String> {
    let opt = |v: Option<f64>| v.map_or_else(|| "not recovered".to_string(), millis);
    let c = &f.counters;
    let mut out = vec![
        group_digits(r.write_latency.count),
        group_digits(
            c.writes_rejected_no_leader + c.writes_rejected_readonly + c.writes_rejected_not_leader,
        ),
        group_digits(r.counters.write_failures),
    ];
    for i in 0..faults {
        let o = f.faults.get(i);
        out.push(opt(o.and_then(|o| o.rto_write_ms)));
        out.push(opt(o.and_then(|o| o.rto_slo_ms)));
    }
    out.push(group_digits(f.rpo.lost_writes));
    out.push(millis(f.rpo.window_ms));
    out.push(millis(f.split_brain_ms));
    out
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
    let columns: Vec<Vec<String>> = done.iter().map(|(_, r, f)| cells(r, f, faults)).collect();
    // Core's chart, the one `meridian drill --svg` writes.
    let runs: Vec<(FailoverPolicy, &FailureReport)> =
        done.iter().map(|(p, _, f)| (p.policy, *f)).collect();
    let chart = policies_chart(&runs);
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
                    { for row_names(faults).into_iter().enumerate().map(|(i, (key, name))| html! {
                        <tr>
                            <th scope="row">{ name }</th>
                            { for done.iter().zip(&columns).map(|((p, _, _), col)| html! {
                                <td data-testid={format!("drill-{}-{key}", p.policy.name())}>
                                    { col.get(i).cloned().unwrap_or_default() }
                                </td>
                            }) }
                        </tr>
                    }) }
                </tbody>
            </table>
            { chart_box(&chart, "chart drill-policy-chart", "drill-policy-chart") }
        </>
    }
}
