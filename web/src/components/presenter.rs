//! Presentation mode's controls: the slide bar (title, counter, previous/next, leave), the keys
//! that walk the deck (→, PageDown and Space forward; ←, PageUp back; Home, End; Esc leaves), and
//! full screen, entered on "Present" and left with the mode. Keys typed into a form field stay
//! with the field, so a slide's own controls keep working while presenting.

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use yew::prelude::*;

use crate::deck::stage::StageAction;

/// Asks the browser for full screen. Refusals (no user gesture, a browser without it) are
/// harmless: the slides are shown in the window instead.
pub fn enter_full_screen() {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.request_fullscreen();
    }
}

/// Leaves full screen if the page is in it.
pub fn leave_full_screen() {
    if let Some(document) = web_sys::window().and_then(|w| w.document())
        && document.fullscreen_element().is_some()
    {
        document.exit_fullscreen();
    }
}

/// The deck action of a key, if it walks the deck.
pub fn key_action(key: &str) -> Option<StageAction> {
    match key {
        "ArrowRight" | "PageDown" | " " | "Spacebar" => Some(StageAction::Next),
        "ArrowLeft" | "PageUp" => Some(StageAction::Previous),
        "Home" => Some(StageAction::First),
        "End" => Some(StageAction::Last),
        "Escape" | "Esc" => Some(StageAction::Leave),
        _ => None,
    }
}

/// Whether a key pressed in `target` belongs to it rather than to the deck: text fields,
/// selects and sliders take every key; buttons and links take Space and Enter.
fn owned_by_target(target: Option<web_sys::EventTarget>, key: &str) -> bool {
    let Some(element) = target.and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()) else {
        return false;
    };
    if element.is_content_editable() {
        return true;
    }
    match element.tag_name().to_ascii_uppercase().as_str() {
        "INPUT" | "TEXTAREA" | "SELECT" => key != "Escape",
        "BUTTON" | "A" | "SUMMARY" => key == " " || key == "Enter",
        _ => false,
    }
}

/// An event listener registered while presenting: where, for which event, and the callback
/// (kept alive until it is removed).
type Listener = (
    web_sys::EventTarget,
    &'static str,
    Closure<dyn Fn(web_sys::Event)>,
);

/// While `presenting`, walks the deck with the keyboard and leaves presentation mode when the
/// browser leaves full screen (Esc in full screen goes to the browser, not to the page).
#[hook]
pub fn use_presentation_keys(presenting: bool, dispatch: Callback<StageAction>) {
    use_effect_with(presenting, move |&on| {
        let window = web_sys::window();
        let document = window.as_ref().and_then(|w| w.document());
        let mut listeners: Vec<Listener> = Vec::new();
        if on && let (Some(window), Some(document)) = (window, document) {
            let keys = {
                let dispatch = dispatch.clone();
                Closure::<dyn Fn(web_sys::Event)>::new(move |e: web_sys::Event| {
                    let Some(e) = e.dyn_ref::<web_sys::KeyboardEvent>() else {
                        return;
                    };
                    if e.default_prevented() || e.ctrl_key() || e.alt_key() || e.meta_key() {
                        return;
                    }
                    let key = e.key();
                    if owned_by_target(e.target(), &key) {
                        return;
                    }
                    if let Some(action) = key_action(&key) {
                        e.prevent_default();
                        if action == StageAction::Leave {
                            leave_full_screen();
                        }
                        dispatch.emit(action);
                    }
                })
            };
            let full_screen = {
                let document = document.clone();
                Closure::<dyn Fn(web_sys::Event)>::new(move |_: web_sys::Event| {
                    if document.fullscreen_element().is_none() {
                        dispatch.emit(StageAction::Leave);
                    }
                })
            };
            listeners.push((window.into(), "keydown", keys));
            listeners.push((document.into(), "fullscreenchange", full_screen));
            for (target, kind, closure) in &listeners {
                // Registration fails only on a detached target, when there is nothing to walk.
                let _ =
                    target.add_event_listener_with_callback(kind, closure.as_ref().unchecked_ref());
            }
        }
        move || {
            for (target, kind, closure) in listeners {
                let _ = target
                    .remove_event_listener_with_callback(kind, closure.as_ref().unchecked_ref());
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_walk_the_deck_as_presentation_tools_do() {
        for (key, action) in [
            ("ArrowRight", StageAction::Next),
            ("PageDown", StageAction::Next),
            (" ", StageAction::Next),
            ("ArrowLeft", StageAction::Previous),
            ("PageUp", StageAction::Previous),
            ("Home", StageAction::First),
            ("End", StageAction::Last),
            ("Escape", StageAction::Leave),
        ] {
            assert_eq!(key_action(key), Some(action), "{key}");
        }
        assert_eq!(key_action("a"), None);
        assert_eq!(key_action("ArrowDown"), None, "left to scroll a tall slide");
    }
}
