//! The headline figures of the selected strategy, each checked against its SLO.

use meridian_core::kata86::{Kata86Report, SEED_SLOS, SloMetric};
use yew::prelude::*;

use crate::views::kata86::labels;

/// Props of [`Summary`].
#[derive(Debug, PartialEq, Properties)]
pub struct SummaryProps {
    /// The selected strategy's report.
    pub report: Kata86Report,
}

/// The figure tiles.
#[function_component(Summary)]
pub fn summary(props: &SummaryProps) -> Html {
    let r = &props.report;
    let verdict = |metric: SloMetric| {
        SEED_SLOS
            .iter()
            .find(|s| s.metric == metric)
            .map(|s| s.check(&r.summary))
    };
    let tile = |name: &str, value: u32, metric: Option<SloMetric>, testid: &str| -> Html {
        let v = metric.and_then(verdict);
        let class = match v {
            Some(v) if v.pass => "tile pass",
            Some(_) => "tile fail",
            None => "tile",
        };
        html! {
            <div class={class} data-testid={testid.to_string()}>
                <div class="tile-name">{ name }</div>
                <div class="tile-value">{ format!("{value} ms") }</div>
                <div class="tile-slo">
                    { match v {
                        Some(v) => format!("{} · {}", v.slo.label, if v.pass { "pass" } else { "fail" }),
                        None => "no SLO".to_string(),
                    } }
                </div>
            </div>
        }
    };
    let share = |n: u64| n as f64 / r.iterations_done.max(1) as f64;
    html! {
        <section class="summary" aria-label="Headline figures">
            <div class="tiles">
                { tile("read p95", r.summary.read_p95, Some(SloMetric::ReadP95), "read-p95") }
                { tile("charge p95", r.summary.write_p95, Some(SloMetric::WriteP95), "write-p95") }
                { tile("staleness p95", r.summary.staleness_p95, Some(SloMetric::StalenessP95), "staleness-p95") }
                { tile("staleness p99", r.summary.staleness_p99, None, "staleness-p99") }
            </div>
            <p class="tallies" data-testid="tallies">
                { labels::tallies(
                    r.iterations_done, r.params.seed, share(r.leader_reads),
                    r.fallback_reads, share(r.reads_over_threshold),
                ) }
            </p>
        </section>
    }
}
