//! Browser tests of the page's pieces, run in headless Chromium by `wasm-bindgen-test`: the view
//! in the page address, the run hook (slices, progress, cancellation, same figures as a direct
//! run), the region map (every region drawn where its latitude and longitude put it) and the
//! Kata 86 view end to end.

mod support;

use std::cell::RefCell;
use std::rc::Rc;

use meridian_core::kata86::{Kata86Params, Kata86Report, ReadStrategy, Region};
use meridian_core::scenario::Scenario;
use meridian_core::sim::Report;
use meridian_web::components::region_map::{RegionMap, RegionMapProps, layout};
use meridian_web::hooks::{RunEvent, Runner};
use meridian_web::run::kata86::Kata86Job;
use meridian_web::url_state::{PageState, page_from_query, query_from_page};
use meridian_web::views::View;
use meridian_web::views::kata86::network::Network;
use meridian_web::views::kata86::state::Controls;
use meridian_web::views::kata86::{Kata86View, Kata86ViewProps};
use meridian_web::views::scenario::results::ms;
use meridian_web::views::scenario::state::Settings;
use meridian_web::views::scenario::{ScenarioView, ScenarioViewProps};
use support::{by_testid, fire_input, mount, pause, press, text_by_testid, until};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use yew::Callback;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn the_view_round_trips_through_the_address() {
    let page = PageState {
        view: View::Kata86,
        kata86: Controls {
            client: Region::Sg,
            seed: "42".into(),
            ..Controls::default()
        },
        ..PageState::default()
    };
    let query = query_from_page(&page);
    assert!(query.starts_with("?v=1&view=kata86&"), "{query}");
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
        message.contains("'view': unknown view '<script>'; allowed: kata86, scenario"),
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
    until(limit_ms, || {
        events
            .borrow()
            .iter()
            .any(|e| matches!(e, RunEvent::Finished { .. } | RunEvent::Failed { .. }))
    })
    .await;
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
        let root = mount::<RegionMap>(RegionMapProps {
            topology: topology.clone(),
            clients: Rc::default(),
            leader: Some(0),
            replication: Rc::default(),
        });
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
    let root = mount::<RegionMap>(RegionMapProps {
        topology: n.topology.clone(),
        clients: n.clients.clone(),
        leader: Some(n.leader),
        replication: n.replication.clone(),
    });
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
    let map = by_testid(&root, "region-map").unwrap();
    assert_eq!(
        map.get_attribute("aria-label").as_deref(),
        Some("Map: client in Ho Chi Minh City, regions SG and US, leader SG")
    );
    root.remove();
}

#[wasm_bindgen_test]
async fn the_kata86_view_shows_the_reference_figures_after_its_run() {
    let root = mount::<Kata86View>(Kata86ViewProps {
        initial: Controls::default(),
    });
    until(10_000, || text_by_testid(&root, "read-p95").contains("ms")).await;
    // The exercise's reference figures for a US client, SG leader, fallback reads, seed 1.
    assert!(
        text_by_testid(&root, "read-p95").contains("220 ms"),
        "{}",
        text_by_testid(&root, "read-p95")
    );
    assert!(text_by_testid(&root, "write-p95").contains("400 ms"));
    assert!(text_by_testid(&root, "staleness-p95").contains("344 ms"));
    assert!(text_by_testid(&root, "staleness-p99").contains("6193 ms"));
    assert_eq!(
        root.query_selector_all("[data-testid=\"slo-table\"] tbody tr")
            .unwrap()
            .length(),
        3
    );
    assert!(text_by_testid(&root, "tallies").contains("reads staler than 2 s"));
    root.remove();
}

/// Renders the Scenario view for `settings` and waits for its first results.
async fn scenario_view(settings: Settings) -> web_sys::Element {
    let root = mount::<ScenarioView>(ScenarioViewProps { initial: settings });
    until(30_000, || {
        text_by_testid(&root, "sc-read-p95").contains("ms")
    })
    .await;
    root
}

#[wasm_bindgen_test]
async fn the_scenario_view_shows_the_native_report_of_aws8() {
    // `meridian run aws8-single-leader --json --histograms`: the figures and the bars.
    let golden: Report = serde_json::from_str(include_str!(
        "../../tests/fixtures/golden/aws8-single-leader.histograms.json"
    ))
    .unwrap();
    let bins = golden.histograms.clone().expect("the file has the bars");
    let root = scenario_view(Settings {
        preset: "aws8-single-leader".into(),
        seed: None,
        duration_s: None,
        document: None,
    })
    .await;
    assert!(text_by_testid(&root, "sc-read-p95").contains(&ms(golden.read_latency.p95)));
    assert!(text_by_testid(&root, "sc-write-p95").contains(&ms(golden.write_latency.p95)));
    assert!(text_by_testid(&root, "sc-staleness-p95").contains(&ms(golden.staleness.p95)));
    assert!(text_by_testid(&root, "sc-staleness-p99").contains(&ms(golden.staleness.p99)));
    let rows = root
        .query_selector_all("[data-testid=\"sc-regions\"] tbody tr")
        .unwrap();
    assert_eq!(rows.length(), 8);
    for r in &golden.regions {
        let row = text_by_testid(&root, &format!("sc-region-{}", r.region));
        assert!(row.contains(&ms(r.read_latency.p95)), "{row}");
    }
    let slos = text_by_testid(&root, "sc-slos");
    for v in &golden.slos {
        assert!(slos.contains(&v.label), "{slos}");
        if v.samples > 0 {
            assert!(slos.contains(&ms(v.measured_ms)), "{slos}");
        }
    }
    // The charts: a histogram per metric with exactly the native run's bars, and a CDF.
    for (m, metric, fill) in [
        ("read", &bins.read_latency, "#2D6EBE"),
        ("write", &bins.write_latency, "#2D6EBE"),
        ("staleness", &bins.staleness, "#CD6E28"),
    ] {
        let bars = root
            .query_selector_all(&format!(
                "[data-testid=\"hist-{m}\"] svg rect[fill=\"{fill}\"]"
            ))
            .unwrap()
            .length() as usize;
        let native = metric.overall.iter().filter(|b| b.count > 0).count();
        assert_eq!(bars, native, "{m}");
        assert!(
            root.query_selector(&format!("[data-testid=\"cdf-{m}\"] svg polyline"))
                .unwrap()
                .is_some(),
            "{m}"
        );
    }
    assert!(text_by_testid(&root, "hist-read").contains("p95"));
    root.remove();
}

#[wasm_bindgen_test]
async fn a_broken_document_names_the_field_and_line_and_keeps_the_results() {
    let root = scenario_view(Settings::default()).await;
    let before = text_by_testid(&root, "sc-read-p95");
    assert!(before.contains("ms"));
    let editor: web_sys::HtmlTextAreaElement =
        by_testid(&root, "editor").unwrap().dyn_into().unwrap();
    let text = editor.value();
    let broken = text.replacen("keys = ", "keys = 0 #", 1);
    let line = broken
        .lines()
        .position(|l| l.starts_with("keys = 0"))
        .unwrap()
        + 1;
    editor.set_value(&broken);
    fire_input(&editor);
    pause(50).await;
    let error = text_by_testid(&root, "doc-error");
    assert!(error.contains("workload.keys"), "{error}");
    assert!(error.contains(&format!("line {line}")), "{error}");
    assert_eq!(
        text_by_testid(&root, "sc-read-p95"),
        before,
        "the last results stay"
    );
    assert!(text_by_testid(&root, "sc-stale-note").contains("last valid document"));
    root.remove();
}

#[wasm_bindgen_test]
fn the_scenario_view_round_trips_through_the_address_and_names_bad_values() {
    let page = PageState {
        view: View::Scenario,
        scenario: Settings {
            preset: "quorum-r2w2".into(),
            seed: Some(7),
            duration_s: Some(12.0),
            document: Some("# edited in a test\nname = \"mine\"\n".into()),
        },
        ..PageState::default()
    };
    assert_eq!(page_from_query(&query_from_page(&page)), (page, None));
    let (page, message) =
        page_from_query("?view=scenario&preset=%3Cimg%3E&seed=99999999999999999999&duration=NaN");
    assert_eq!(page.scenario, Settings::default());
    let message = message.expect("a message");
    for part in ["'preset': unknown preset '<img>'", "'seed':", "'duration':"] {
        assert!(message.contains(part), "{message}");
    }
}

#[wasm_bindgen_test]
async fn the_world_map_draws_aws8_at_its_coordinates_with_clear_labels_and_figures_on_focus() {
    use meridian_core::sim::Simulation;
    use meridian_web::components::world_map::{WorldMap, WorldMapProps};
    use meridian_web::run::engine::EngineOutput;
    use meridian_web::world::project;

    let model = Scenario::preset("aws8-single-leader")
        .unwrap()
        .validate()
        .unwrap();
    let mut sim = Simulation::new(model.clone());
    sim.run();
    let output = Rc::new(EngineOutput {
        report: sim.report(),
        histograms: sim.histograms(),
    });
    let root = mount::<WorldMap>(WorldMapProps {
        model: Rc::new(model.clone()),
        output: Some(output.clone()),
        moment: None,
        on_region: None,
        region_action: yew::AttrValue::default(),
    });
    pause(20).await;
    let regions = model.topology.regions();
    assert_eq!(
        root.query_selector_all("[data-testid^=\"wregion-\"]")
            .unwrap()
            .length(),
        8
    );
    for r in regions {
        let circle = root
            .query_selector(&format!("[data-testid=\"wregion-{}\"] circle", r.id))
            .unwrap()
            .unwrap();
        let c = |a: &str| circle.get_attribute(a).unwrap().parse::<f64>().unwrap();
        let (x, y) = project(r.lat, r.lon);
        assert!(
            (c("cx") - x).abs() < 0.06 && (c("cy") - y).abs() < 0.06,
            "{}",
            r.id
        );
    }
    // Every region is labelled, and no two labels overlap on screen.
    let labels = root
        .query_selector_all("[data-testid=\"region-label\"], [data-testid=\"link-label\"]")
        .unwrap();
    let mut boxes = Vec::new();
    for i in 0..labels.length() {
        let e: web_sys::Element = labels.item(i).unwrap().dyn_into().unwrap();
        let b = e.get_bounding_client_rect();
        boxes.push((
            b.left(),
            b.top(),
            b.right(),
            b.bottom(),
            e.text_content().unwrap(),
        ));
    }
    assert!(boxes.len() >= 8 + 6, "{}", boxes.len());
    for (i, a) in boxes.iter().enumerate() {
        for b in &boxes[i + 1..] {
            let overlap = a.0 < b.2 - 0.5 && b.0 < a.2 - 0.5 && a.1 < b.3 - 0.5 && b.1 < a.3 - 0.5;
            assert!(!overlap, "{} overlaps {}", a.4, b.4);
        }
    }
    let text = root.text_content().unwrap_or_default();
    assert!(text.contains("us-east-1 (leader)"), "{text}");
    // Focus a region: its figures from the run.
    let ireland = regions.iter().position(|r| r.id == "eu-west-1").unwrap();
    let g: web_sys::HtmlElement = by_testid(&root, "wregion-eu-west-1")
        .unwrap()
        .unchecked_into();
    g.focus().unwrap();
    pause(20).await;
    let panel = text_by_testid(&root, "map-focus");
    let rr = &output.report.regions[ireland];
    assert!(panel.contains("eu-west-1 · Ireland"), "{panel}");
    assert!(
        panel.contains(&format!("read p95 {}", ms(rr.read_latency.p95))),
        "{panel}"
    );
    assert!(
        panel.contains(&format!("staleness p95 {}", ms(rr.staleness.p95))),
        "{panel}"
    );
    assert!(panel.contains("pass") || panel.contains("fail"), "{panel}");
    root.remove();
}

#[wasm_bindgen_test]
async fn a_run_with_faults_shows_each_fault_its_recovery_and_the_event_log() {
    use meridian_core::sim::Simulation;

    let root = scenario_view(Settings {
        duration_s: Some(40.0),
        ..Settings::default()
    })
    .await;
    let editor: web_sys::HtmlTextAreaElement =
        by_testid(&root, "editor").unwrap().dyn_into().unwrap();
    let text = format!(
        "{}\n[failover]\npolicy = \"promote\"\n\n[[faults]]\nkind = \"region_down\"\nregion = \"SG\"\nat_s = 10\nfor_s = 15\n",
        editor.value()
    );
    // The same document, run directly.
    let mut scenario = Scenario::from_toml(&text).unwrap();
    scenario.duration_s = 40.0;
    let mut sim = Simulation::new(scenario.validate().unwrap());
    sim.run();
    let failures = sim.report().failures.expect("a failures section");
    editor.set_value(&text);
    fire_input(&editor);
    until(30_000, || !text_by_testid(&root, "sc-faults").is_empty()).await;
    let faults = text_by_testid(&root, "sc-faults");
    let fault = &failures.faults[0];
    assert!(faults.contains(&fault.label), "{faults}");
    if let Some(rto) = fault.rto_write_ms {
        assert!(faults.contains(&ms(rto)), "{faults}");
    }
    assert_eq!(
        root.query_selector_all("[data-testid=\"sc-log\"] tbody tr")
            .unwrap()
            .length() as usize,
        failures.log.len()
    );
    assert!(text_by_testid(&root, "sc-failures").contains("RPO"));
    root.remove();
}

#[wasm_bindgen_test]
async fn map_regions_answer_clicks_and_keys_and_the_map_downloads_with_its_styles() {
    use meridian_web::components::map_export::standalone_svg;
    use meridian_web::components::world_map::{WorldMap, WorldMapProps};

    let model = Scenario::preset("sg-us-wallet")
        .unwrap()
        .validate()
        .unwrap();
    let activated = Rc::new(RefCell::new(Vec::new()));
    let on_region = {
        let activated = activated.clone();
        Callback::from(move |i: usize| activated.borrow_mut().push(i))
    };
    let root = mount::<WorldMap>(WorldMapProps {
        model: Rc::new(model),
        output: None,
        moment: None,
        on_region: Some(on_region),
        region_action: "activate to add a fault".into(),
    });
    pause(20).await;
    let us = by_testid(&root, "wregion-US").unwrap();
    assert!(
        us.get_attribute("aria-label")
            .unwrap()
            .ends_with("; activate to add a fault")
    );
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    us.dispatch_event(&web_sys::Event::new_with_event_init_dict("click", &init).unwrap())
        .unwrap();
    for key in ["Enter", " ", "a"] {
        press(&us, key);
    }
    pause(20).await;
    // The click, Enter and Space; not other keys.
    assert_eq!(*activated.borrow(), vec![1, 1, 1]);
    // The download: the drawing with its light-theme styles inside, at the given size.
    let svg = root.query_selector("svg.world-map").unwrap().unwrap();
    let file = standalone_svg(&svg, 960.0, 427.0).unwrap();
    assert!(
        file.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""),
        "{}",
        &file[..120]
    );
    assert!(file.contains("width=\"960\" height=\"427\""));
    assert!(file.contains("<style>text { font-family: sans-serif; }"));
    assert!(file.contains(".world-map .land { fill: #dfe5dc;"));
    assert!(file.contains("data-testid=\"wregion-SG\""));
    // The page's own map is left as it was.
    assert!(svg.get_attribute("width").is_none());
    assert!(svg.query_selector("style").unwrap().is_none());
}
