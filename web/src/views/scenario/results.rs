//! What the Scenario view shows of a finished run: the headline figures, the SLO table, the
//! per-region figures, counters, entity checks and, for runs with faults, the per-fault recovery
//! summary and the event log. Every figure is read from the engine's [`Report`].

use meridian_core::metrics::Summary;
use meridian_core::sim::{Model, Report, SloMetric};
use yew::prelude::*;

use crate::format::{group_digits, millis};

/// A figure in ms as the page writes it (`19.3 ms`, `2 s`).
pub fn ms(v: f64) -> String {
    millis(v)
}

/// The verdict of the first whole-population SLO on `metric` at `percentile`, if the scenario has
/// one: `(label, pass)`.
fn verdict(
    model: &Model,
    report: &Report,
    metric: SloMetric,
    percentile: f64,
) -> Option<(String, bool)> {
    model
        .slos
        .iter()
        .zip(&report.slos)
        .find(|(m, _)| m.metric == metric && m.region.is_none() && m.percentile == percentile)
        .map(|(_, v)| (v.label.clone(), v.pass && v.samples > 0))
}

fn tile(name: &str, value: f64, testid: &str, slo: Option<(String, bool)>) -> Html {
    let class = match &slo {
        Some((_, true)) => "tile pass",
        Some((_, false)) => "tile fail",
        None => "tile",
    };
    html! {
        <div class={class} data-testid={testid.to_string()}>
            <div class="tile-name">{ name }</div>
            <div class="tile-value">{ ms(value) }</div>
            <div class="tile-slo">
                { match slo {
                    Some((label, pass)) => format!("{label} · {}", if pass { "pass" } else { "fail" }),
                    None => "no SLO on this figure".to_string(),
                } }
            </div>
        </div>
    }
}

/// The headline tiles.
pub fn headline(model: &Model, r: &Report) -> Html {
    html! {
        <section class="summary" aria-label="Headline figures">
            <div class="tiles">
                { tile("read p95", r.read_latency.p95, "sc-read-p95", verdict(model, r, SloMetric::ReadLatency, 95.0)) }
                { tile("write p95", r.write_latency.p95, "sc-write-p95", verdict(model, r, SloMetric::WriteLatency, 95.0)) }
                { tile("staleness p95", r.staleness.p95, "sc-staleness-p95", verdict(model, r, SloMetric::Staleness, 95.0)) }
                { tile("staleness p99", r.staleness.p99, "sc-staleness-p99", verdict(model, r, SloMetric::Staleness, 99.0)) }
            </div>
            <p class="tallies" data-testid="sc-tallies">
                { format!(
                    "{} · seed {} · {} s simulated · {} events · {} reads ({} stale) · {} writes",
                    r.scenario, r.seed, r.duration_s, group_digits(r.events),
                    group_digits(r.counters.reads), group_digits(r.counters.stale_reads),
                    group_digits(r.counters.writes),
                ) }
            </p>
        </section>
    }
}

/// The SLO table: each objective with its measured value and verdict.
pub fn slo_table(r: &Report) -> Html {
    if r.slos.is_empty() {
        return html! { <p class="note" data-testid="sc-slos">{ "The scenario sets no SLOs." }</p> };
    }
    html! {
        <table class="slo-table" data-testid="sc-slos">
            <caption>{ "SLOs" }</caption>
            <thead><tr>
                <th scope="col">{ "objective" }</th>
                <th scope="col">{ "measured" }</th>
                <th scope="col">{ "samples" }</th>
                <th scope="col">{ "verdict" }</th>
            </tr></thead>
            <tbody>
                { for r.slos.iter().map(|v| {
                    let (class, text) = if v.samples == 0 {
                        ("none", "not evaluated: no samples".to_string())
                    } else if v.pass {
                        ("pass", "pass".to_string())
                    } else {
                        ("fail", "fail".to_string())
                    };
                    html! {
                        <tr>
                            <th scope="row">{ v.label.clone() }</th>
                            <td>{ if v.samples == 0 { "–".to_string() } else { ms(v.measured_ms) } }</td>
                            <td>{ group_digits(v.samples) }</td>
                            <td class={class}><span class="verdict">{ text }</span></td>
                        </tr>
                    }
                }) }
            </tbody>
        </table>
    }
}

fn pcts(s: &Summary) -> String {
    if s.count == 0 {
        "–".into()
    } else {
        format!("{} / {} / {}", ms(s.p50), ms(s.p95), ms(s.p99))
    }
}

/// Figures per home region.
pub fn region_table(model: &Model, r: &Report) -> Html {
    let regions = model.topology.regions();
    html! {
        <table class="data-table" data-testid="sc-regions">
            <caption>{ "Per home region (clients homed there): p50 / p95 / p99" }</caption>
            <thead><tr>
                <th scope="col">{ "region" }</th>
                <th scope="col">{ "reads" }</th>
                <th scope="col">{ "read latency" }</th>
                <th scope="col">{ "writes" }</th>
                <th scope="col">{ "write latency" }</th>
                <th scope="col">{ "staleness" }</th>
            </tr></thead>
            <tbody>
                { for r.regions.iter().enumerate().map(|(i, rr)| {
                    let name = regions.get(i).map(|g| g.name.clone()).unwrap_or_default();
                    html! {
                        <tr data-testid={format!("sc-region-{}", rr.region)}>
                            <th scope="row">{ rr.region.clone() }<span class="muted">{ format!(" {name}") }</span></th>
                            <td>{ group_digits(rr.read_latency.count) }</td>
                            <td>{ pcts(&rr.read_latency) }</td>
                            <td>{ group_digits(rr.write_latency.count) }</td>
                            <td>{ pcts(&rr.write_latency) }</td>
                            <td>{ pcts(&rr.staleness) }</td>
                        </tr>
                    }
                }) }
            </tbody>
        </table>
    }
}

/// Counters worth a look (the non-zero ones), and entity checks when the scenario has entities.
pub fn counters(r: &Report) -> Html {
    let c = &r.counters;
    let all = [
        ("stale reads", c.stale_reads),
        ("reads sent to the leader", c.fallback_reads),
        ("reads that waited", c.waited_reads),
        ("read-your-writes violations", c.read_your_writes_violations),
        ("monotonic-read violations", c.monotonic_read_violations),
        ("conflicts", c.conflicts),
        ("discarded by LWW", c.discarded_by_lww),
        ("write timeouts", c.write_timeouts),
        ("write retries", c.write_retries),
        ("write failures", c.write_failures),
        ("duplicate applies", c.duplicate_applies),
        ("batch retries", c.batch_retries),
        ("batch drops", c.batch_drops),
        ("buffer drops", c.buffer_drops),
        ("writes lost in transit", c.writes_lost_in_transit),
    ];
    let shown: Vec<String> = all
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(name, n)| format!("{name}: {}", group_digits(*n)))
        .collect();
    html! {
        <>
            <p class="tallies" data-testid="sc-counters">
                { if shown.is_empty() { "No anomalies counted.".to_string() } else { shown.join(" · ") } }
            </p>
            if !r.entities.is_empty() {
                <table class="data-table" data-testid="sc-entities">
                    <caption>{ "Entity types" }</caption>
                    <thead><tr>
                        <th scope="col">{ "entity" }</th><th scope="col">{ "policy" }</th>
                        <th scope="col">{ "writes" }</th><th scope="col">{ "conflicts" }</th>
                        <th scope="col">{ "charges accepted / refused" }</th>
                        <th scope="col">{ "overspent wallets" }</th>
                        <th scope="col">{ "wallets with lost charges" }</th>
                    </tr></thead>
                    <tbody>
                        { for r.entities.iter().map(|e| html! {
                            <tr>
                                <th scope="row">{ e.name.clone() }</th>
                                <td>{ e.policy.clone() }</td>
                                <td>{ group_digits(e.writes) }</td>
                                <td>{ group_digits(e.conflicts) }</td>
                                <td>{ format!("{} / {}", group_digits(e.accepted_charges), group_digits(e.refused_charges)) }</td>
                                <td>{ group_digits(e.overspent_wallets) }</td>
                                <td>{ group_digits(e.wallets_with_lost_charges) }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            }
        </>
    }
}

fn opt_s(v: Option<f64>) -> String {
    v.map_or_else(|| "–".into(), |s| format!("{s} s"))
}

fn opt_ms(v: Option<f64>) -> String {
    v.map_or_else(|| "not recovered".into(), ms)
}

/// The failure section of a run with a fault schedule: RPO, split brain, per-fault RTO and the
/// event log. Nothing for runs without faults.
pub fn failures(r: &Report) -> Html {
    let Some(f) = &r.failures else {
        return Html::default();
    };
    html! {
        <section class="failures" data-testid="sc-failures">
            <h2>{ "Failures" }</h2>
            <p class="tallies">
                { format!(
                    "failover policy {} · RPO: {} acknowledged writes lost (window {}) · split brain {} · failed reads {} · rejected writes {}",
                    f.policy, group_digits(f.rpo.lost_writes), ms(f.rpo.window_ms), ms(f.split_brain_ms),
                    group_digits(f.counters.reads_failed),
                    group_digits(f.counters.writes_rejected_no_leader + f.counters.writes_rejected_readonly
                        + f.counters.writes_rejected_not_leader),
                ) }
            </p>
            <table class="data-table" data-testid="sc-faults">
                <caption>{ "Per fault: recovery time (RTO) and writes lost to the outage" }</caption>
                <thead><tr>
                    <th scope="col">{ "fault" }</th><th scope="col">{ "start" }</th>
                    <th scope="col">{ "end" }</th><th scope="col">{ "detected" }</th>
                    <th scope="col">{ "RTO (writes)" }</th><th scope="col">{ "RTO (SLOs)" }</th>
                    <th scope="col">{ "writes lost to the outage" }</th>
                </tr></thead>
                <tbody>
                    { for f.faults.iter().map(|o| html! {
                        <tr>
                            <th scope="row">{ o.label.clone() }</th>
                            <td>{ format!("{} s", o.start_s) }</td>
                            <td>{ opt_s(o.end_s) }</td>
                            <td>{ opt_s(o.detected_s) }</td>
                            <td>{ opt_ms(o.rto_write_ms) }</td>
                            <td>{ opt_ms(o.rto_slo_ms) }</td>
                            <td>{ group_digits(o.writes_lost_to_outage) }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            <table class="data-table log" data-testid="sc-log">
                <caption>{ "Event log" }</caption>
                <thead><tr><th scope="col">{ "at" }</th><th scope="col">{ "what happened" }</th></tr></thead>
                <tbody>
                    { for f.log.iter().map(|e| html! {
                        <tr><td>{ format!("{} s", e.at_s) }</td><td>{ e.what.clone() }</td></tr>
                    }) }
                </tbody>
            </table>
        </section>
    }
}
