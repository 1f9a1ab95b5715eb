//! The "Copy link" button: puts the page's address, which holds the whole view state (see
//! [`crate::url_state`]), on the clipboard, so a design review can pass the exact view around.
//! Where the clipboard is refused, the link is shown selected for copying by hand.

use yew::prelude::*;

/// What the last click did.
#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    /// Nothing yet.
    Idle,
    /// The link is on the clipboard.
    Copied,
    /// The clipboard refused; the link to copy by hand.
    Manual(String),
}

/// The page's address as the browser has it.
fn current_href() -> Option<String> {
    web_sys::window().and_then(|w| w.location().href().ok())
}

/// The button, and what happened after a click.
#[function_component(CopyLink)]
pub fn copy_link() -> Html {
    let outcome = use_state(|| Outcome::Idle);
    let onclick = {
        let outcome = outcome.clone();
        Callback::from(move |_: MouseEvent| {
            let Some(href) = current_href() else {
                return;
            };
            let Some(window) = web_sys::window() else {
                return;
            };
            let promise = window.navigator().clipboard().write_text(&href);
            let outcome = outcome.clone();
            yew::platform::spawn_local(async move {
                match wasm_bindgen_futures::JsFuture::from(promise).await {
                    Ok(_) => outcome.set(Outcome::Copied),
                    Err(_) => outcome.set(Outcome::Manual(href)),
                }
            });
        })
    };
    let select_all = Callback::from(|e: FocusEvent| {
        e.target_unchecked_into::<web_sys::HtmlInputElement>()
            .select();
    });
    html! {
        <div class="copy-link">
            <button type="button" data-testid="copy-link" {onclick}
                    title="Copy a link that opens this view with these settings">{ "Copy link" }</button>
            <span role="status" class="copy-link-status" data-testid="copy-link-status">
                { match &*outcome {
                    Outcome::Idle => Html::default(),
                    Outcome::Copied => html! { "Link copied." },
                    Outcome::Manual(href) => html! {
                        <label>
                            { "The clipboard is not available here; copy this link: " }
                            <input readonly=true value={href.clone()} onfocus={select_all}
                                   data-testid="copy-link-text" />
                        </label>
                    },
                } }
            </span>
        </div>
    }
}
