//! What the browser tests share (`mod support;` in each `tests/browser_*.rs`): rendering a
//! component into the page, finding elements and their text, waiting for the page to catch up,
//! and acting as a user would.
//!
//! Elements are found either by their `data-testid` (the `*_testid` helpers, given the bare id)
//! or by any CSS selector (the `*_selector` helpers, for an element inside another or a match on
//! an attribute's prefix).

// Each test crate that includes this module uses a different part of it.
#![allow(dead_code)]

use std::time::Duration;

use wasm_bindgen::JsCast;

/// Lets the browser run timers and Yew render for about `ms` milliseconds.
pub async fn pause(ms: u64) {
    yew::platform::time::sleep(Duration::from_millis(ms)).await;
}

/// Waits until `done` holds, checking every 20 ms for up to about `limit_ms` (runs and renders
/// go on meanwhile). Returns either way: the test's own assertions say what was missing.
pub async fn until(limit_ms: u64, done: impl Fn() -> bool) {
    for _ in 0..limit_ms / 20 {
        if done() {
            return;
        }
        pause(20).await;
    }
}

/// A fresh element in the page's body to render into.
pub fn mount_point() -> web_sys::Element {
    let document = web_sys::window().unwrap().document().unwrap();
    let div = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&div).unwrap();
    div
}

/// Renders component `C` with `props` into a fresh [`mount_point`], which it returns. The first
/// render happens once the test yields ([`pause`], [`until`]).
pub fn mount<C: yew::BaseComponent>(props: C::Properties) -> web_sys::Element {
    let root = mount_point();
    yew::Renderer::<C>::with_root_and_props(root.clone(), props).render();
    root
}

/// The CSS selector of the element whose `data-testid` is `testid`.
pub fn testid_selector(testid: &str) -> String {
    format!("[data-testid=\"{testid}\"]")
}

/// The first element under `root` matching the CSS `selector`.
pub fn by_selector(root: &web_sys::Element, selector: &str) -> Option<web_sys::Element> {
    root.query_selector(selector).unwrap()
}

/// The element under `root` whose `data-testid` is `testid`.
pub fn by_testid(root: &web_sys::Element, testid: &str) -> Option<web_sys::Element> {
    by_selector(root, &testid_selector(testid))
}

/// The text of the first element under `root` matching the CSS `selector` (empty when there is
/// none).
pub fn text_by_selector(root: &web_sys::Element, selector: &str) -> String {
    by_selector(root, selector)
        .and_then(|e| e.text_content())
        .unwrap_or_default()
}

/// The text of the element under `root` whose `data-testid` is `testid` (empty when there is
/// none).
pub fn text_by_testid(root: &web_sys::Element, testid: &str) -> String {
    text_by_selector(root, &testid_selector(testid))
}

/// Sends `target` a bubbling `input` event, as the browser does after each edit of a field.
pub fn fire_input(target: &web_sys::EventTarget) {
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    target
        .dispatch_event(&web_sys::Event::new_with_event_init_dict("input", &init).unwrap())
        .unwrap();
}

/// Types `value` into the `<input>` whose `data-testid` is `testid`, as a user would.
pub fn type_into(root: &web_sys::Element, testid: &str, value: &str) {
    let input: web_sys::HtmlInputElement = by_testid(root, testid).unwrap().dyn_into().unwrap();
    input.set_value(value);
    fire_input(&input);
}

/// Presses `key` on `target`: a bubbling, cancelable `keydown`.
pub fn press(target: &web_sys::Element, key: &str) {
    let init = web_sys::KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event =
        web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    target.dispatch_event(&event).unwrap();
}
