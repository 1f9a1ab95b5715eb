//! Browser test of the Drill view, run in headless Chromium by `wasm-bindgen-test`: the view of
//! sg-down-promote shows the RTO and RPO of the native golden report, and scrubbing into the
//! outage shows the crashed region down on the map.

use std::time::Duration;

use meridian_core::sim::Report;
use meridian_web::format::millis;
use meridian_web::views::drill::state::DrillSettings;
use meridian_web::views::drill::{DrillView, DrillViewProps};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn find(root: &web_sys::Element, testid: &str) -> Option<web_sys::Element> {
    root.query_selector(&format!("[data-testid=\"{testid}\"]"))
        .unwrap()
}

fn text_of(root: &web_sys::Element, testid: &str) -> String {
    find(root, testid)
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
async fn the_drill_view_shows_the_golden_recovery_and_the_map_follows_the_scrubber() {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<DrillView>::with_root_and_props(
        root.clone(),
        DrillViewProps {
            initial: DrillSettings::default(),
        },
    )
    .render();
    until(|| find(&root, "drill-rto-write-0").is_some() && find(&root, "drill-policies").is_some())
        .await;
    let golden: Report = serde_json::from_str(include_str!(
        "../../tests/fixtures/golden/sg-down-promote.json"
    ))
    .unwrap();
    let f = golden.failures.unwrap();
    assert_eq!(
        text_of(&root, "drill-rto-write-0"),
        millis(f.faults[0].rto_write_ms.unwrap())
    );
    assert_eq!(
        text_of(&root, "drill-rto-slo-0"),
        millis(f.faults[0].rto_slo_ms.unwrap())
    );
    assert_eq!(text_of(&root, "drill-rpo"), f.rpo.lost_writes.to_string());
    // The promote column of the policy table is the same run.
    assert_eq!(
        text_of(&root, "drill-promote-rpo"),
        f.rpo.lost_writes.to_string()
    );
    assert_eq!(text_of(&root, "drill-reject_writes-rpo"), "0");

    // Before the crash every region is up; inside the outage SG is down on the map.
    let slider: web_sys::HtmlInputElement =
        find(&root, "drill-slider").unwrap().dyn_into().unwrap();
    let scrub = |t: &str| {
        slider.set_value(t);
        let init = web_sys::EventInit::new();
        init.set_bubbles(true);
        slider
            .dispatch_event(&web_sys::Event::new_with_event_init_dict("input", &init).unwrap())
            .unwrap();
    };
    scrub("10");
    until(|| text_of(&root, "map-moment").starts_with("At 10 s")).await;
    let sg = || {
        find(&root, "wregion-SG")
            .unwrap()
            .get_attribute("class")
            .unwrap()
    };
    assert!(!sg().contains("down"), "{}", sg());
    assert!(text_of(&root, "map-moment").contains("every region up; leader SG"));
    scrub("25");
    until(|| text_of(&root, "map-moment").starts_with("At 25 s")).await;
    assert!(sg().contains("down"), "{}", sg());
    let moment = text_of(&root, "map-moment");
    assert!(
        moment.contains("SG down; no leader accepts writes"),
        "{moment}"
    );
    assert!(moment.contains("VN reads at US"), "{moment}");
}
