//! Browser tests of the Compare view and the shareable address, run in headless Chromium by
//! `wasm-bindgen-test`: the view's figures equal the native golden reports of both options, and
//! the address (versioned, with edited documents packed into it) round-trips and survives hostile
//! values without a panic.

mod support;

use meridian_core::scenario::PRESETS;
use meridian_core::sim::Report;
use meridian_web::format::millis;
use meridian_web::url_state::packed::{pack, unpack};
use meridian_web::url_state::{PageState, page_from_query, query_from_page};
use meridian_web::views::View;
use meridian_web::views::compare::state::{CompareSettings, SideSettings};
use meridian_web::views::compare::{CompareView, CompareViewProps};
use support::{by_selector, by_testid, mount, text_by_selector, until};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn golden(name: &str) -> Report {
    let text = match name {
        "sg-us-wallet" => include_str!("../../tests/fixtures/golden/sg-us-wallet.json"),
        "sg-us-multi-leader" => include_str!("../../tests/fixtures/golden/sg-us-multi-leader.json"),
        other => panic!("no golden report named {other}"),
    };
    serde_json::from_str(text).unwrap()
}

#[wasm_bindgen_test]
async fn the_compare_view_shows_both_native_reports_side_by_side() {
    let root = mount::<CompareView>(CompareViewProps {
        initial: CompareSettings::default(),
    });
    until(30_000, || {
        by_testid(&root, "cmp-figures").is_some()
            && by_selector(&root, "[data-testid^=\"cmp-status-\"]").is_none()
    })
    .await;
    // Both presets run at their own seed 1 and 60 s, as their golden reports were made.
    let (a, b) = (golden("sg-us-wallet"), golden("sg-us-multi-leader"));
    for (key, va, vb) in [
        ("read-p95", a.read_latency.p95, b.read_latency.p95),
        ("write-p95", a.write_latency.p95, b.write_latency.p95),
        ("write-p99", a.write_latency.p99, b.write_latency.p99),
        ("staleness-p95", a.staleness.p95, b.staleness.p95),
        ("staleness-p99", a.staleness.p99, b.staleness.p99),
    ] {
        let row = format!("[data-testid=\"cmp-row-{key}\"]");
        assert_eq!(
            text_by_selector(&root, &format!("{row} [data-testid=\"cmp-a\"]")),
            millis(va),
            "{key}"
        );
        assert_eq!(
            text_by_selector(&root, &format!("{row} [data-testid=\"cmp-b\"]")),
            millis(vb),
            "{key}"
        );
    }
    let discarded = text_by_selector(
        &root,
        "[data-testid=\"cmp-row-lww-discarded\"] [data-testid=\"cmp-b\"]",
    );
    assert_eq!(discarded, b.counters.discarded_by_lww.to_string());
    // Each option's SLO table has its verdicts, and every chart a text summary of both options.
    for (side, report) in [("a", &a), ("b", &b)] {
        let rows = root
            .query_selector_all(&format!("[data-testid=\"cmp-slos-{side}\"] tbody tr"))
            .unwrap();
        assert_eq!(rows.length() as usize, report.slos.len(), "{side}");
    }
    let chart = by_testid(&root, "cmp-cdf-write").unwrap();
    let label = chart.get_attribute("aria-label").unwrap();
    assert!(
        label.contains(&format!("A p95 {}", millis(a.write_latency.p95)))
            && label.contains(&format!("B p95 {}", millis(b.write_latency.p95))),
        "{label}"
    );
}

#[wasm_bindgen_test]
fn the_compare_address_round_trips_with_edited_documents() {
    let edited = PRESETS[1].toml.replacen("seed = 1", "seed = 2", 1);
    let page = PageState {
        view: View::Compare,
        compare: CompareSettings {
            a: SideSettings {
                preset: "quorum-r1w1".into(),
                document: None,
            },
            b: SideSettings {
                preset: PRESETS[1].name.into(),
                document: Some(edited.clone()),
            },
            seed: Some(31),
            duration_s: Some(2.5),
        },
        ..PageState::default()
    };
    let query = query_from_page(&page);
    assert!(
        query.starts_with("?v=1&view=compare&a=quorum-r1w1&b="),
        "{query}"
    );
    assert!(query.len() < edited.len(), "packed: {}", query.len());
    assert_eq!(page_from_query(&query), (page, None));
    assert_eq!(unpack(&pack(&edited)).as_deref(), Ok(edited.as_str()));
}

#[wasm_bindgen_test]
fn hostile_addresses_are_named_without_a_panic() {
    let packed = pack(PRESETS[0].toml);
    let long = "x".repeat(100_000);
    let hostile = [
        format!("?view=compare&da={}", &packed[..packed.len() - 7]),
        format!("?view=scenario&doc={long}"),
        "?view=compare&a=&b=%00&seed=%FF%FE&duration=Infinity".to_string(),
        "?v=99999999999999999999&view=compare".to_string(),
        "?v=2&view=compare".to_string(),
        "?view=compare&view=scenario&doc=%%%%&doc=".to_string(),
        "?&&&=&=%&view".to_string(),
    ];
    for query in &hostile {
        let (page, message) = page_from_query(query);
        assert!(message.is_some(), "{query} should be reported");
        // Whatever was read writes back as an address that reads again without complaint.
        let again = query_from_page(&page);
        assert_eq!(page_from_query(&again), (page, None), "{query}");
    }
    // A well-packed document that is not a scenario is the editor's business, not the address's:
    // it opens in the editor, which names what is wrong with it.
    let junk = "[".repeat(50_000);
    let (page, message) = page_from_query(&format!("?view=compare&db={}", pack(&junk)));
    assert_eq!(
        (page.compare.b.document.as_deref(), message),
        (Some(junk.as_str()), None)
    );
    let (page, message) = page_from_query("?v=2&view=compare&a=quorum-r1w1");
    assert_eq!(page, PageState::default());
    assert!(message.unwrap().contains("newer than this page reads (v1)"));
}
