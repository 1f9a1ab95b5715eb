//! The text of the form field an event came from, for the views' `oninput` / `onchange`
//! callbacks (one place instead of a closure per view).
use yew::{Event, InputEvent, TargetCast};

/// The value of the `<input>` that fired `e`.
pub fn input_value(e: InputEvent) -> String {
    e.target_unchecked_into::<web_sys::HtmlInputElement>()
        .value()
}

/// The value of the `<select>` that fired `e`.
pub fn select_value(e: Event) -> String {
    e.target_unchecked_into::<web_sys::HtmlSelectElement>()
        .value()
}
