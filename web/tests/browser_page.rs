//! Browser tests of the page's pieces, run in headless Chromium by `wasm-bindgen-test`: the view
//! in the page address, the run hook (slices, progress, cancellation, same figures as a direct
//! run), the region map (every region drawn where its latitude and longitude put it) and the
//! Kata 86 view end to end.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use meridian_core::kata86::{Kata86Params, Kata86Report, ReadStrategy, Region};
use meridian_core::scenario::Scenario;
use meridian_web::components::region_map::{RegionMap, RegionMapProps, layout};
use meridian_web::hooks::{RunEvent, Runner};
use meridian_web::run::kata86::Kata86Job;
use meridian_web::url_state::{PageState, page_from_query, query_from_page};
use meridian_web::views::View;
use meridian_web::views::kata86::network::Network;
use meridian_web::views::kata86::state::Controls;
use meridian_web::views::kata86::{Kata86View, Kata86ViewProps};
use wasm_bindgen_test::*;
use yew::Callback;

wasm_bindgen_test_configure!(run_in_browser);

/// Lets the browser run timers and Yew render.
async fn pause(ms: u64) {
    yew::platform::time::sleep(Duration::from_millis(ms)).await;
}

/// A fresh element in the page's body to render into.
fn mount_point() -> web_sys::Element {
    let document = web_sys::window().unwrap().document().unwrap();
    let div = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&div).unwrap();
    div
}

#[wasm_bindgen_test]
fn the_view_round_trips_through_the_address() {
    let page = PageState {
        view: View::Kata86,
        kata86: Controls {
            client: Region::Sg,
            seed: "42".into(),
            ..Controls::default()
        },
    };
    let query = query_from_page(&page);
    assert!(query.starts_with("?view=kata86&"), "{query}");
    assert_eq!(page_from_query(&query), (page, None));
    // No view parameter: the Kata 86 view.
    assert_eq!(page_from_query("?seed=3").0.view, View::Kata86);
}

#[wasm_bindgen_test]
fn a_bad_view_is_named_and_the_default_view_shown() {
    let (page, message) = page_from_query("?view=%3Cscript%3E&client=SG");
    assert_eq!(page.view, View::Kata86);
    assert_eq!(
        page.kata86.client,
        Region::Sg,
        "the other parameters still apply"
    );
    let message = message.expect("a message");
    assert!(
        message.contains("'view': unknown view '<script>'; allowed: kata86"),
        "{message}"
    );
}

type Events = Rc<RefCell<Vec<RunEvent<Vec<Kata86Report>>>>>;

fn recorder() -> (Events, Callback<RunEvent<Vec<Kata86Report>>>) {
    let events: Events = Rc::default();
    let sink = events.clone();
    (events, Callback::from(move |e| sink.borrow_mut().push(e)))
}

/// Waits until `events` holds a finished or failed event, up to about `limit_ms`.
async fn settle(events: &Events, limit_ms: u64) {
    for _ in 0..limit_ms / 20 {
        let done = events
            .borrow()
            .iter()
            .any(|e| matches!(e, RunEvent::Finished { .. } | RunEvent::Failed { .. }));
        if done {
            return;
        }
        pause(20).await;
    }
}

fn strategies(params: Kata86Params) -> Vec<Kata86Params> {
    ReadStrategy::ALL
        .into_iter()
        .map(|strategy| Kata86Params { strategy, ..params })
        .collect()
}

#[wasm_bindgen_test]
async fn a_run_in_slices_reports_progress_and_the_direct_figures() {
    let params = strategies(Kata86Params {
        iterations: 1_000_000,
        client: Region::Us,
        seed: 5,
        ..Kata86Params::default()
    });
    let (events, on_event) = recorder();
    let runner = Runner::default();
    let run = runner.start(
        Kata86Job::new(params.clone()).map_err(|e| e.to_string()),
        on_event,
    );
    // Started is reported at once; the work itself waits for the run's own task.
    assert_eq!(*events.borrow(), [RunEvent::Started { run }]);
    settle(&events, 60_000).await;
    let events = events.borrow();
    let progress: Vec<f64> = events
        .iter()
        .filter_map(|e| match e {
            RunEvent::Progress { done, .. } => Some(*done),
            _ => None,
        })
        .collect();
    assert!(
        !progress.is_empty(),
        "3,000,000 iterations take more than one slice"
    );
    assert!(progress.windows(2).all(|w| w[0] < w[1]), "{progress:?}");
    assert!(events.iter().all(|e| e.run() == run));
    let Some(RunEvent::Finished { output, .. }) = events.last() else {
        panic!("no finish: {:?}", events.last());
    };
    let direct: Vec<Kata86Report> = params.iter().map(|p| p.run().unwrap()).collect();
    assert_eq!(**output, direct);
}

#[wasm_bindgen_test]
async fn a_newer_run_cancels_an_older_one() {
    let runner = Runner::default();
    let big = strategies(Kata86Params {
        iterations: 1_000_000,
        ..Kata86Params::default()
    });
    let small = strategies(Kata86Params {
        iterations: 1_000,
        ..Kata86Params::default()
    });
    let (old_events, on_old) = recorder();
    let (new_events, on_new) = recorder();
    let old = runner.start(Kata86Job::new(big).map_err(|e| e.to_string()), on_old);
    let new = runner.start(Kata86Job::new(small).map_err(|e| e.to_string()), on_new);
    assert!(new > old);
    assert!(runner.is_current(new) && !runner.is_current(old));
    settle(&new_events, 10_000).await;
    pause(50).await;
    assert!(
        matches!(new_events.borrow().last(), Some(RunEvent::Finished { run, .. }) if *run == new)
    );
    assert_eq!(
        *old_events.borrow(),
        [RunEvent::Started { run: old }],
        "the older run stopped"
    );
}

#[wasm_bindgen_test]
async fn a_refused_job_reports_failure() {
    let runner = Runner::default();
    let (events, on_event) = recorder();
    let bad = Kata86Job::new([Kata86Params {
        iterations: 0,
        ..Kata86Params::default()
    }]);
    let run = runner.start(bad.map_err(|e| e.to_string()), on_event);
    let events = events.borrow();
    assert_eq!(events.len(), 2);
    assert!(
        matches!(&events[1], RunEvent::Failed { run: r, message } if *r == run && message.contains("iterations"))
    );
}

/// The `(cx, cy)` of the circle drawn for region `id`.
fn drawn_at(root: &web_sys::Element, id: &str) -> (f64, f64) {
    let circle = root
        .query_selector(&format!("[data-testid=\"region-{id}\"] circle"))
        .unwrap()
        .unwrap_or_else(|| panic!("region {id} is not drawn"));
    let coord = |a: &str| circle.get_attribute(a).unwrap().parse::<f64>().unwrap();
    (coord("cx"), coord("cy"))
}

#[wasm_bindgen_test]
async fn the_map_draws_every_region_at_its_latitude_and_longitude() {
    for preset in ["aws8-multi-leader", "sg-us-wallet", "quorum-r2w2"] {
        let model = Scenario::preset(preset).unwrap().validate().unwrap();
        let topology = Rc::new(model.topology);
        let expected = layout(&topology, &[]);
        let root = mount_point();
        yew::Renderer::<RegionMap>::with_root_and_props(
            root.clone(),
            RegionMapProps {
                topology: topology.clone(),
                clients: Rc::default(),
                leader: Some(0),
                replication: Rc::default(),
            },
        )
        .render();
        pause(10).await;
        let regions = topology.regions();
        assert_eq!(
            root.query_selector_all("[data-testid^=\"region-\"] circle")
                .unwrap()
                .length() as usize,
            regions.len(),
            "{preset}"
        );
        for (r, &(x, y)) in regions.iter().zip(&expected.regions) {
            let (cx, cy) = drawn_at(&root, &r.id);
            assert!(
                (cx - x).abs() < 1e-6 && (cy - y).abs() < 1e-6,
                "{preset} {}",
                r.id
            );
            assert!((0.0..=640.0).contains(&cx) && (0.0..=300.0).contains(&cy));
        }
        // East is right and north is up, whatever the window.
        for (a, pa) in regions.iter().zip(&expected.regions) {
            for (b, pb) in regions.iter().zip(&expected.regions) {
                if a.lat > b.lat {
                    assert!(pa.1 < pb.1, "{preset}: {} north of {}", a.id, b.id);
                }
            }
        }
        root.remove();
    }
}

#[wasm_bindgen_test]
async fn the_kata86_map_shows_both_regions_the_client_and_its_round_trips() {
    let params = Kata86Params {
        client: Region::Us,
        leader: Region::Sg,
        ..Kata86Params::default()
    };
    let n = Network::of(&params).expect("a network");
    let expected = layout(&n.topology, &n.clients);
    let root = mount_point();
    yew::Renderer::<RegionMap>::with_root_and_props(
        root.clone(),
        RegionMapProps {
            topology: n.topology.clone(),
            clients: n.clients.clone(),
            leader: Some(n.leader),
            replication: n.replication.clone(),
        },
    )
    .render();
    pause(10).await;
    for r in Region::ALL {
        let (cx, cy) = drawn_at(&root, r.code());
        let (x, y) = expected.regions[r.index()];
        assert!((cx - x).abs() < 1e-6 && (cy - y).abs() < 1e-6);
    }
    let text = root.text_content().unwrap_or_default();
    for expected in [
        "SG↔US 180 ms RTT · lag 150–350 ms, 2% spikes +4–8 s",
        "40 ms",
        "client→US 220 ms",
        "Ho Chi Minh City",
        "client's local region",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from {text:?}"
        );
    }
    assert!(
        root.query_selector("[data-testid=\"region-SG\"].leader")
            .unwrap()
            .is_some()
    );
    let map = root
        .query_selector("[data-testid=\"region-map\"]")
        .unwrap()
        .unwrap();
    assert_eq!(
        map.get_attribute("aria-label").as_deref(),
        Some("Map: client in Ho Chi Minh City, regions SG and US, leader SG")
    );
    root.remove();
}

#[wasm_bindgen_test]
async fn the_kata86_view_shows_the_reference_figures_after_its_run() {
    let root = mount_point();
    yew::Renderer::<Kata86View>::with_root_and_props(
        root.clone(),
        Kata86ViewProps {
            initial: Controls::default(),
        },
    )
    .render();
    let tile = |id: &str| {
        root.query_selector(&format!("[data-testid=\"{id}\"]"))
            .unwrap()
            .and_then(|e| e.text_content())
            .unwrap_or_default()
    };
    for _ in 0..500 {
        if tile("read-p95").contains("ms") {
            break;
        }
        pause(20).await;
    }
    // The exercise's reference figures for a US client, SG leader, fallback reads, seed 1.
    assert!(tile("read-p95").contains("220 ms"), "{}", tile("read-p95"));
    assert!(tile("write-p95").contains("400 ms"));
    assert!(tile("staleness-p95").contains("344 ms"));
    assert!(tile("staleness-p99").contains("6193 ms"));
    assert_eq!(
        root.query_selector_all("[data-testid=\"slo-table\"] tbody tr")
            .unwrap()
            .length(),
        3
    );
    assert!(tile("tallies").contains("reads staler than 2 s"));
    root.remove();
}
