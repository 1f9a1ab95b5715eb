//! Browser test of the Drill view, run in headless Chromium by `wasm-bindgen-test`: the view of
//! sg-down-promote shows the RTO and RPO of the native golden report, and scrubbing into the
//! outage shows the crashed region down on the map.

mod support;

use meridian_core::sim::Report;
use meridian_web::format::millis;
use meridian_web::views::drill::state::DrillSettings;
use meridian_web::views::drill::{DrillView, DrillViewProps};
use support::{by_testid, fire_input, mount, text_by_testid, until};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn the_drill_view_shows_the_golden_recovery_and_the_map_follows_the_scrubber() {
    let root = mount::<DrillView>(DrillViewProps {
        initial: DrillSettings::default(),
    });
    until(30_000, || {
        by_testid(&root, "drill-rto-write-0").is_some()
            && by_testid(&root, "drill-policies").is_some()
    })
    .await;
    let golden: Report = serde_json::from_str(include_str!(
        "../../tests/fixtures/golden/sg-down-promote.json"
    ))
    .unwrap();
    let f = golden.failures.unwrap();
    assert_eq!(
        text_by_testid(&root, "drill-rto-write-0"),
        millis(f.faults[0].rto_write_ms.unwrap())
    );
    assert_eq!(
        text_by_testid(&root, "drill-rto-slo-0"),
        millis(f.faults[0].rto_slo_ms.unwrap())
    );
    assert_eq!(
        text_by_testid(&root, "drill-rpo"),
        f.rpo.lost_writes.to_string()
    );
    // The promote column of the policy table is the same run.
    assert_eq!(
        text_by_testid(&root, "drill-promote-rpo"),
        f.rpo.lost_writes.to_string()
    );
    assert_eq!(text_by_testid(&root, "drill-reject_writes-rpo"), "0");

    // Before the crash every region is up; inside the outage SG is down on the map.
    let slider: web_sys::HtmlInputElement = by_testid(&root, "drill-slider")
        .unwrap()
        .dyn_into()
        .unwrap();
    let scrub = |t: &str| {
        slider.set_value(t);
        fire_input(&slider);
    };
    scrub("10");
    until(30_000, || {
        text_by_testid(&root, "map-moment").starts_with("At 10 s")
    })
    .await;
    let sg = || {
        by_testid(&root, "wregion-SG")
            .unwrap()
            .get_attribute("class")
            .unwrap()
    };
    assert!(!sg().contains("down"), "{}", sg());
    assert!(text_by_testid(&root, "map-moment").contains("every region up; leader SG"));
    scrub("25");
    until(30_000, || {
        text_by_testid(&root, "map-moment").starts_with("At 25 s")
    })
    .await;
    assert!(sg().contains("down"), "{}", sg());
    let moment = text_by_testid(&root, "map-moment");
    assert!(
        moment.contains("SG down; no leader accepts writes"),
        "{moment}"
    );
    assert!(moment.contains("VN reads at US"), "{moment}");
}
