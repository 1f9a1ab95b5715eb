//! Browser test of the Recovery view, run in headless Chromium by `wasm-bindgen-test`: the view
//! of `delivery-down-10m` with seed 1 shows the outage measures of a direct run of core's
//! [`meridian_core::reliability::run`], and its chart is core's chart of that run.

mod support;

use meridian_core::charts::recovery::recovery_chart;
use meridian_core::reliability::presets::preset;
use meridian_core::reliability::run;
use meridian_core::reliability::sweep::human_ms;
use meridian_web::views::recovery::settings::Settings;
use meridian_web::views::recovery::{RecoveryView, RecoveryViewProps};
use support::{by_testid, mount, text_by_selector, text_by_testid, until};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn the_recovery_view_shows_the_outage_measures_of_a_direct_run() {
    let root = mount::<RecoveryView>(RecoveryViewProps {
        initial: Settings::default(),
    });
    until(30_000, || by_testid(&root, "recovery-outage-0").is_some()).await;
    let direct = run(&preset("delivery-down-10m").unwrap().scenario()).unwrap();
    let m = &direct.outages[0];
    let row = "[data-testid=\"recovery-outage-0\"]";
    assert_eq!(
        text_by_selector(&root, &format!("{row} [data-testid=\"outage-detection\"]")),
        human_ms(m.detection_ms.unwrap())
    );
    assert_eq!(
        text_by_selector(&root, &format!("{row} [data-testid=\"outage-recovery\"]")),
        human_ms(m.recovery_ms.unwrap())
    );
    assert_eq!(
        text_by_selector(&root, &format!("{row} [data-testid=\"outage-refused\"]")),
        human_ms(m.downtime_ms)
    );
    assert!(
        text_by_testid(&root, "recovery-orders")
            .starts_with(&format!("{} arrived", direct.orders.arrived))
    );
    // The chart's summary is core's for the same run.
    let figure = by_testid(&root, "recovery-chart").unwrap();
    assert_eq!(
        figure.get_attribute("aria-label").unwrap_or_default(),
        recovery_chart(&direct).aria
    );
}
