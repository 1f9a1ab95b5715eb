//! Browser test of the Sweep view, run in headless Chromium by `wasm-bindgen-test`: the view of
//! the R × W grid of `quorum-r1w1` (two values each, two seeds, 5 s runs) draws core's chart of
//! a direct sweep ([`meridian_core::sweep::run_job`] for every job, then
//! [`meridian_core::sweep::summarize`]), and its table holds that sweep's figures.

mod support;

use meridian_core::charts::sweep::sweep_chart;
use meridian_core::scenario::Scenario;
use meridian_core::sweep::{SweepSpec, Vary, run_job, stat_text, summarize};
use meridian_web::views::sweep::settings::Settings;
use meridian_web::views::sweep::{SweepView, SweepViewProps};
use support::{by_selector, by_testid, mount, until};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn the_sweep_view_draws_the_chart_and_table_of_a_direct_sweep() {
    let settings = Settings {
        preset: "quorum-r1w1".into(),
        x: "replication.r=1,2".into(),
        y: Some("replication.w=1,2".into()),
        metric: "staleness_p99_ms".into(),
        seeds: 2,
        duration_s: 5.0,
    };
    let root = mount::<SweepView>(SweepViewProps { initial: settings });
    until(30_000, || by_testid(&root, "sweep-chart").is_some()).await;

    let mut base = Scenario::preset("quorum-r1w1").unwrap();
    base.duration_s = 5.0;
    let spec = SweepSpec {
        scenario: "quorum-r1w1".into(),
        vary: vec![
            Vary::parse("replication.r=1,2").unwrap(),
            Vary::parse("replication.w=1,2").unwrap(),
        ],
        seeds: 2,
    };
    let points = spec.points();
    let rows: Vec<_> = spec
        .jobs()
        .unwrap()
        .iter()
        .map(|j| run_job(&base, &points[j.point], j.seed).unwrap())
        .collect();
    let summaries = summarize(&spec, &rows);

    let figure = by_testid(&root, "sweep-chart").unwrap();
    assert_eq!(
        figure.get_attribute("aria-label").unwrap_or_default(),
        sweep_chart(&spec, &summaries, "staleness_p99_ms").aria
    );
    for s in &summaries {
        let cell = by_selector(
            &root,
            &format!(
                "[data-testid=\"sweep-row-{}\"] [data-testid=\"sweep-cell-staleness_p99_ms\"]",
                s.point.index
            ),
        )
        .unwrap();
        let stat = s.stat("staleness_p99_ms").unwrap();
        assert_eq!(
            cell.text_content().unwrap_or_default().trim(),
            stat_text(stat)
        );
        assert_eq!(cell.get_attribute("data-mean"), Some(stat.mean.to_string()));
    }
}
