//! Browser test of the Recovery view, run in headless Chromium by `wasm-bindgen-test`: the view
//! of `delivery-down-10m` with seed 1 shows the outage measures of a direct run of core's
//! [`meridian_core::reliability::run`], and its chart is core's chart of that run.

use std::time::Duration;

use meridian_core::charts::recovery::recovery_chart;
use meridian_core::reliability::presets::preset;
use meridian_core::reliability::run;
use meridian_core::reliability::sweep::human_ms;
use meridian_web::views::recovery::settings::Settings;
use meridian_web::views::recovery::{RecoveryView, RecoveryViewProps};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn find(root: &web_sys::Element, selector: &str) -> Option<web_sys::Element> {
    root.query_selector(selector).unwrap()
}

fn text_of(root: &web_sys::Element, selector: &str) -> String {
    find(root, selector)
        .and_then(|e| e.text_content())
        .unwrap_or_default()
}

/// Waits until `ready` holds, letting the runs and Yew go on.
async fn until(ready: impl Fn() -> bool) {
    for _ in 0..1500 {
        if ready() {
            return;
        }
        yew::platform::time::sleep(Duration::from_millis(20)).await;
    }
}

#[wasm_bindgen_test]
async fn the_recovery_view_shows_the_outage_measures_of_a_direct_run() {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<RecoveryView>::with_root_and_props(
        root.clone(),
        RecoveryViewProps {
            initial: Settings::default(),
        },
    )
    .render();
    until(|| find(&root, "[data-testid=\"recovery-outage-0\"]").is_some()).await;
    let direct = run(&preset("delivery-down-10m").unwrap().scenario()).unwrap();
    let m = &direct.outages[0];
    let row = "[data-testid=\"recovery-outage-0\"]";
    assert_eq!(
        text_of(&root, &format!("{row} [data-testid=\"outage-detection\"]")),
        human_ms(m.detection_ms.unwrap())
    );
    assert_eq!(
        text_of(&root, &format!("{row} [data-testid=\"outage-recovery\"]")),
        human_ms(m.recovery_ms.unwrap())
    );
    assert_eq!(
        text_of(&root, &format!("{row} [data-testid=\"outage-refused\"]")),
        human_ms(m.downtime_ms)
    );
    assert!(
        text_of(&root, "[data-testid=\"recovery-orders\"]")
            .starts_with(&format!("{} arrived", direct.orders.arrived))
    );
    // The chart's summary is core's for the same run.
    let figure = find(&root, "[data-testid=\"recovery-chart\"]").unwrap();
    assert_eq!(
        figure.get_attribute("aria-label").unwrap_or_default(),
        recovery_chart(&direct).aria
    );
}
