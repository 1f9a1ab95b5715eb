//! The JS API's tests, shared by `browser.rs` (headless Chromium) and `node.rs` (Node): the
//! figures equal the CLI's golden reports and core's own results, and every bad input is a
//! thrown `Error` whose message and `path` name the field. (The Node test `presets.test.mjs`
//! runs every preset through the built npm package.)

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Function, JSON, Object, Reflect};
use meridian_core::kata86::Kata86Params;
use meridian_core::scenario::PRESETS;
use meridian_core::walkthrough::walkthrough;
use meridian_js::{kata86, merge, pbs, presets, simulate, validate};
use wasm_bindgen::JsCast;
use wasm_bindgen::JsValue;
use wasm_bindgen::closure::Closure;
use wasm_bindgen_test::wasm_bindgen_test;

const GOLDEN_WALLET: &str = include_str!("../../../../tests/fixtures/golden/sg-us-wallet.json");
const GOLDEN_PBS: &str = include_str!("../../../../tests/fixtures/golden/pbs-lnkd-disk.json");

fn parse(text: &str) -> JsValue {
    JSON::parse(text).expect("valid JSON")
}

/// The value as JSON text, for comparing whole objects.
fn text(value: &JsValue) -> String {
    JSON::stringify(value).expect("plain data").into()
}

fn get(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &key.into()).expect("an object")
}

fn set(target: &JsValue, key: &str, value: impl Into<JsValue>) {
    Reflect::set(target, &key.into(), &value.into()).expect("an object");
}

fn obj(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in pairs {
        set(&o, k, v.clone());
    }
    o.into()
}

/// The thrown `Error`'s message and `path` property.
fn thrown(outcome: Result<JsValue, JsValue>) -> (String, Option<String>) {
    let error = outcome.expect_err("should throw");
    let error: js_sys::Error = error.dyn_into().expect("a JS Error");
    let path = get(&error, "path").as_string();
    (error.message().into(), path)
}

fn preset(name: &str) -> JsValue {
    let list: Array = presets().expect("presets").dyn_into().expect("an array");
    list.iter()
        .find(|p| get(p, "name").as_string().as_deref() == Some(name))
        .expect("a shipped preset")
}

/// The preset's scenario object, a fresh copy.
fn scenario_object(name: &str) -> JsValue {
    parse(&text(&get(&preset(name), "scenario")))
}

#[wasm_bindgen_test]
fn a_preset_by_name_gives_the_cli_golden_report() {
    let report = simulate("sg-us-wallet".into(), None).expect("runs");
    assert_eq!(text(&report), text(&parse(GOLDEN_WALLET)));
}

#[wasm_bindgen_test]
fn toml_text_json_text_and_objects_give_the_same_report() {
    let p = preset("sg-us-wallet");
    let golden = text(&parse(GOLDEN_WALLET));
    let scenario = get(&p, "scenario");
    for input in [
        get(&p, "toml"),
        scenario.clone(),
        JsValue::from(text(&scenario)),
    ] {
        let report = simulate(input, None).expect("runs");
        assert_eq!(text(&report), golden);
    }
}

#[wasm_bindgen_test]
fn options_override_like_the_cli_and_progress_ends_at_the_total() {
    let calls: Rc<RefCell<Vec<(f64, f64)>>> = Rc::default();
    let sink = calls.clone();
    let callback = Closure::<dyn FnMut(f64, f64)>::new(move |done, total| {
        sink.borrow_mut().push((done, total));
    });
    let faults = Array::of1(&"region-down SG at 2s for 3s".into());
    let options = obj(&[
        ("seed", 7.into()),
        ("duration", 10.into()),
        ("faults", faults.into()),
        ("histograms", true.into()),
        ("onProgress", callback.as_ref().clone()),
    ]);
    let report = simulate("sg-us-wallet".into(), Some(options)).expect("runs");
    assert_eq!(get(&report, "seed").as_f64(), Some(7.0));
    assert_eq!(get(&report, "duration_s").as_f64(), Some(10.0));
    assert!(get(&report, "failures").is_object());
    assert!(get(&report, "histograms").is_object());
    let calls = calls.borrow();
    assert!(calls.len() > 100, "{} calls", calls.len());
    assert!(calls.windows(2).all(|w| w[0].0 < w[1].0));
    assert_eq!(calls.last(), Some(&(10_000.0, 10_000.0)));
}

#[wasm_bindgen_test]
fn an_exception_in_on_progress_stops_the_run_and_is_thrown_on() {
    let stop = Function::new_with_args("done, total", "throw new Error('stopped at ' + done)");
    let options = obj(&[("onProgress", stop.into())]);
    let (message, _) = thrown(simulate("sg-us-wallet".into(), Some(options)));
    assert!(message.starts_with("stopped at "), "{message}");
}

#[wasm_bindgen_test]
fn scenario_errors_name_the_field_path() {
    // A wrong type in an object.
    let s = scenario_object("sg-us-wallet");
    let region = Reflect::get_u32(&get(&get(&s, "topology"), "regions"), 0).unwrap();
    set(&region, "lat", "north");
    let (message, path) = thrown(simulate(s, None));
    assert_eq!(path.as_deref(), Some("topology.regions[0].lat"));
    assert!(message.contains("topology.regions[0].lat"), "{message}");

    // A value out of range (core's validation).
    let s = scenario_object("sg-us-wallet");
    set(&get(&s, "workload"), "read_fraction", 2);
    let (message, path) = thrown(simulate(s, None));
    assert_eq!(path.as_deref(), Some("workload.read_fraction"));
    assert!(
        message.starts_with("invalid scenario: workload.read_fraction = 2"),
        "{message}"
    );

    // An unknown field.
    let s = scenario_object("sg-us-wallet");
    set(&get(&s, "workload"), "request_per_s", 1);
    let (message, _) = thrown(simulate(s, None));
    assert!(
        message.contains("unknown field `request_per_s`"),
        "{message}"
    );

    // TOML text with a wrong type, and with a syntax error.
    let toml = get(&preset("sg-us-wallet"), "toml").as_string().unwrap();
    let wrong = toml.replace("duration_s = 60.0", "duration_s = \"long\"");
    let (message, path) = thrown(simulate(wrong.into(), None));
    assert_eq!(path.as_deref(), Some("duration_s"));
    assert!(
        message.contains("TOML") && message.contains("duration_s"),
        "{message}"
    );
    let (message, path) = thrown(simulate("name = \n[x".into(), None));
    assert!(message.contains("TOML"), "{message}");
    assert_eq!(path, None);

    // JSON text.
    let (message, path) = thrown(simulate(r#"{"name": 5}"#.into(), None));
    assert_eq!(path.as_deref(), Some("name"));
    assert!(message.contains("JSON"), "{message}");

    // Names and other values.
    let (message, _) = thrown(simulate("sg-us-walet".into(), None));
    assert!(message.contains("unknown preset 'sg-us-walet'") && message.contains("sg-us-wallet"));
    for bad in [JsValue::from(5), JsValue::NULL, Array::new().into()] {
        let (message, _) = thrown(simulate(bad, None));
        assert!(message.contains("expected a scenario object"), "{message}");
    }
}

#[wasm_bindgen_test]
fn option_errors_name_the_option() {
    let cases: [(JsValue, &str); 5] = [
        (obj(&[("seed", "x".into())]), "options.seed"),
        (obj(&[("seed", (-1).into())]), "options.seed"),
        (
            obj(&[("faults", Array::of1(&"region-down at".into()).into())]),
            "options.faults[0]",
        ),
        (obj(&[("onProgress", 3.into())]), "options.onProgress"),
        (obj(&[("duration", "long".into())]), "options.duration"),
    ];
    for (options, want) in cases {
        let (message, path) = thrown(simulate("sg-us-wallet".into(), Some(options)));
        assert_eq!(path.as_deref(), Some(want), "{message}");
        assert!(message.contains(want), "{message}");
    }
    // Values JSON has no place for.
    let function = Function::new_no_args("return 1");
    let (message, path) = thrown(simulate(
        "sg-us-wallet".into(),
        Some(obj(&[("faults", Array::of1(&function).into())])),
    ));
    assert_eq!(path.as_deref(), Some("options.faults[0]"));
    assert!(
        message.starts_with("invalid options: options.faults[0]: invalid type: "),
        "{message}"
    );
    let (message, _) = thrown(simulate(
        "sg-us-wallet".into(),
        Some(obj(&[("sed", 1.into())])),
    ));
    assert!(message.contains("unknown field `sed`"), "{message}");
    let (message, path) = thrown(simulate(
        "sg-us-wallet".into(),
        Some(obj(&[("duration", (-5).into())])),
    ));
    assert_eq!(path.as_deref(), Some("duration_s"), "{message}");
}

#[wasm_bindgen_test]
fn validate_returns_a_verdict_instead_of_throwing() {
    let ok = validate("clock-skew-lww".into()).expect("a verdict");
    assert_eq!(get(&ok, "ok").as_bool(), Some(true));
    assert_eq!(
        get(&get(&ok, "scenario"), "name").as_string().as_deref(),
        Some("clock-skew-lww")
    );
    // The scenario it gives back runs as it is.
    assert!(validate(get(&ok, "scenario")).is_ok());

    let s = scenario_object("clock-skew-lww");
    set(&s, "duration_s", -1);
    let bad = validate(s).expect("a verdict");
    assert_eq!(get(&bad, "ok").as_bool(), Some(false));
    assert_eq!(get(&bad, "path").as_string().as_deref(), Some("duration_s"));
    assert!(
        get(&bad, "message")
            .as_string()
            .unwrap()
            .starts_with("invalid scenario: duration_s")
    );

    let bad = validate(42.into()).expect("a verdict");
    assert_eq!(get(&bad, "ok").as_bool(), Some(false));
    assert!(get(&bad, "path").is_undefined());
}

#[wasm_bindgen_test]
fn kata86_gives_the_cli_figures_and_names_bad_parameters() {
    let got = kata86(None, None).expect("runs");
    let want = serde_json::to_string(&Kata86Params::default().run().unwrap().summary).unwrap();
    assert_eq!(text(&got), text(&parse(&want)));

    let params = Kata86Params {
        iterations: 20_000,
        seed: 9,
        client: meridian_core::kata86::Region::Us,
        strategy: meridian_core::kata86::ReadStrategy::LocalThenLeaderIfStale,
        ..Kata86Params::default()
    };
    let want = serde_json::to_string(&params.run().unwrap()).unwrap();
    let calls = Rc::new(RefCell::new(Vec::new()));
    let sink = calls.clone();
    let callback = Closure::<dyn FnMut(f64, f64)>::new(move |d, t| sink.borrow_mut().push((d, t)));
    let input = parse(
        r#"{"iterations": 20000, "seed": 9, "client": "US", "strategy": "local_then_leader_if_stale"}"#,
    );
    let options = obj(&[
        ("full", true.into()),
        ("onProgress", callback.as_ref().clone()),
    ]);
    let got = kata86(Some(input), Some(options)).expect("runs");
    assert_eq!(text(&got), text(&parse(&want)));
    assert_eq!(calls.borrow().last(), Some(&(20_000.0, 20_000.0)));

    let cases = [
        (r#"{"iterations": 0}"#, "iterations"),
        (r#"{"iterations": -3}"#, "iterations"),
        (r#"{"seed": 9007199254740993}"#, "seed"),
        (r#"{"client": "EU"}"#, "client"),
        (r#"{"strategy": "nearest"}"#, "strategy"),
        (
            r#"{"config": {"rtt_client_to_sg_ms": 99999999}}"#,
            "config.rtt_client_to_sg_ms",
        ),
        (r#"{"config": {"rtt": 1}}"#, "config"),
    ];
    for (input, want) in cases {
        let (message, path) = thrown(kata86(Some(parse(input)), None));
        assert!(
            path.as_deref().is_some_and(|p| p.starts_with(want)),
            "{input}: {message} {path:?}"
        );
        assert!(
            message.starts_with("invalid Kata 86 parameters: "),
            "{message}"
        );
    }
}

#[wasm_bindgen_test]
fn pbs_gives_the_cli_golden_report_and_names_bad_parameters() {
    let got = pbs(
        Some(parse(r#"{"preset": "lnkd-disk", "trials": 20000}"#)),
        None,
    )
    .expect("runs");
    assert_eq!(text(&got), text(&parse(GOLDEN_PBS)));

    let cases = [
        (r#"{"r": 5}"#, "r"),
        (r#"{"n": 0}"#, "n"),
        (r#"{"t_ms": [0, -1]}"#, "t_ms[1]"),
        (r#"{"target": 2}"#, "target"),
        (r#"{"trials": 0}"#, "trials"),
        (r#"{"preset": "lnkd-tape"}"#, "preset"),
        (r#"{"preset": "ymmr", "legs": {}}"#, "legs"),
        (r#"{"quorum": 2}"#, "quorum"),
    ];
    for (input, want) in cases {
        let (message, path) = thrown(pbs(Some(parse(input)), None));
        assert_eq!(path.as_deref(), Some(want), "{input}: {message}");
        assert!(message.starts_with("invalid PBS parameters: "), "{message}");
    }
}

/// A version written at `ms` by `origin` (its `seq`-th write) with one field.
fn version(origin: &str, seq: u32, ms: u32, city: &str) -> JsValue {
    parse(&format!(
        r#"{{"value": {{"fields": {{"city": {{"text": "{city}"}}}}}},
            "hlc": {{"physical_us": {us}, "logical": 0, "node": {seq}}},
            "physical_us": {us}, "id": {{"origin": "{origin}", "seq": {seq}}},
            "vv": {{"{origin}": {seq}}}}}"#,
        us = u64::from(ms) * 1000
    ))
}

#[wasm_bindgen_test]
fn merge_gives_the_cli_walkthroughs_and_merges_versions() {
    for name in ["profile", "wallet", "cart", "clock-skew"] {
        let got = merge(name.into(), None).expect("a walkthrough");
        let want = serde_json::to_string(&walkthrough(name).unwrap()).unwrap();
        assert_eq!(text(&got), text(&parse(&want)));
    }

    let versions = Array::of2(
        &version("SG", 1, 1000, "Hanoi"),
        &version("US", 1, 1200, "Austin"),
    );
    let got = merge(versions.clone().into(), Some("lww_hlc".into())).expect("merged");
    assert_eq!(
        get(&got, "resolver").as_string().as_deref(),
        Some("last-write-wins (HLC)")
    );
    let city = get(&get(&get(&get(&got, "merged"), "value"), "fields"), "city");
    assert_eq!(get(&city, "text").as_string().as_deref(), Some("Austin"));
    assert_eq!(Array::from(&get(&got, "traces")).length(), 1);

    let priority = parse(
        r#"{"kind": "insert_wins", "inner": {"kind": "source_priority", "order": ["SG", "US"]}}"#,
    );
    let got = merge(versions.clone().into(), Some(priority)).expect("merged");
    let city = get(&get(&get(&get(&got, "merged"), "value"), "fields"), "city");
    assert_eq!(get(&city, "text").as_string().as_deref(), Some("Hanoi"));

    let one = Array::of1(&version("SG", 1, 1000, "Hanoi"));
    let got = merge(
        one.into(),
        Some(parse(r#"{"kind": "field_merge", "default": "max"}"#)),
    )
    .expect("one");
    assert_eq!(Array::from(&get(&got, "traces")).length(), 0);
}

#[wasm_bindgen_test]
fn merge_errors_name_the_field() {
    let (message, _) = thrown(merge("shopping".into(), None));
    assert!(message.contains("unknown example 'shopping'") && message.contains("clock-skew"));
    let (_, path) = thrown(merge("wallet".into(), Some("lww_hlc".into())));
    assert_eq!(path.as_deref(), Some("resolver"));
    let (_, path) = thrown(merge(Array::new().into(), Some("lww_hlc".into())));
    assert_eq!(path.as_deref(), Some("versions"));

    let bad = version("US", 1, 1200, "Austin");
    set(&get(&bad, "hlc"), "logical", "late");
    let versions = Array::of2(&version("SG", 1, 1000, "Hanoi"), &bad);
    let (message, path) = thrown(merge(versions.clone().into(), Some("lww_hlc".into())));
    assert_eq!(
        path.as_deref(),
        Some("versions[1].hlc.logical"),
        "{message}"
    );

    let versions = Array::of1(&version("SG", 1, 1000, "Hanoi"));
    for (resolver, want) in [
        (JsValue::from("newest"), "resolver"),
        (JsValue::UNDEFINED, "resolver"),
        (
            parse(r#"{"kind": "field_merge", "default": "avg"}"#),
            "resolver",
        ),
        (parse(r#"{"kind": "lww_hlc", "order": []}"#), "resolver"),
        (parse(r#"{"kind": "source_priority"}"#), "resolver"),
    ] {
        let (message, path) = thrown(merge(versions.clone().into(), Some(resolver)));
        assert_eq!(path.as_deref(), Some(want), "{message}");
    }
    let (message, _) = thrown(merge(7.into(), None));
    assert!(message.contains("expected a built-in example's name or an array of versions"));
}

#[wasm_bindgen_test]
fn presets_list_every_shipped_scenario() {
    let list = Array::from(&presets().expect("presets"));
    assert_eq!(list.length() as usize, PRESETS.len());
    for (p, info) in list.iter().zip(PRESETS) {
        assert_eq!(get(&p, "name").as_string().as_deref(), Some(info.name));
        assert_eq!(get(&p, "toml").as_string().as_deref(), Some(info.toml));
        assert_eq!(
            get(&get(&p, "scenario"), "name").as_string().as_deref(),
            Some(info.name)
        );
    }
}

/// Runs a JS function body and gives its result.
fn js(body: &str) -> JsValue {
    Function::new_no_args(body)
        .call0(&JsValue::UNDEFINED)
        .expect("runs")
}

#[wasm_bindgen_test]
fn deep_or_cyclic_inputs_are_refused_and_the_module_keeps_working() {
    let versions: JsValue = Array::of2(
        &version("SG", 1, 1000, "Hanoi"),
        &version("US", 1, 1200, "Austin"),
    )
    .into();
    // Nested as deep as allowed (the resolver is the 64th level): merged.
    let nested = |levels: usize| {
        js(&format!(
            "let r = {{kind: 'lww_hlc'}}; for (let i = 1; i < {levels}; i++) r = {{kind: 'insert_wins', inner: r}}; return r;"
        ))
    };
    let got = merge(versions.clone(), Some(nested(64))).expect("merged");
    assert!(
        get(&got, "resolver")
            .as_string()
            .unwrap()
            .starts_with("insert-wins over")
    );
    // One level deeper, or far deeper: refused with a message.
    for levels in [65, 100_000] {
        let (message, path) = thrown(merge(versions.clone(), Some(nested(levels))));
        assert!(
            message.contains("nested more than 64 levels deep"),
            "{message}"
        );
        assert_eq!(path.as_deref(), Some("resolver"));
    }
    let cyclic = js("const s = {name: 'loop'}; s.self = s; s.again = s; return s;");
    let (message, _) = thrown(simulate(cyclic, None));
    assert!(message.contains("contains itself"), "{message}");
    let deep_json = format!("{{\"name\": {}", "[".repeat(100_000));
    let (message, _) = thrown(simulate(deep_json.into(), None));
    assert!(message.contains("recursion limit"), "{message}");
    let deep_toml = format!("name = {}", "[".repeat(100_000));
    let (message, _) = thrown(simulate(deep_toml.into(), None));
    assert!(message.contains("TOML"), "{message}");
    // The module still works.
    let options = obj(&[("duration", 1.into())]);
    assert!(simulate("sg-us-wallet".into(), Some(options)).is_ok());
}
