//! The deck panel in the page's header: add the view shown as a slide, reorder, rename and
//! remove slides, present the deck, download it as JSON or read one from a file, and open one of
//! the built-in decks (a link, so the browser's Back button returns to the deck before).

use std::rc::Rc;

use yew::prelude::*;

use crate::deck::builtin::BUILTIN;
use crate::deck::stage::{Stage, StageAction};
use crate::deck::{Deck, DeckPosition, MAX_FILE_BYTES};
use crate::url_state::{current_query, percent_encode};

/// Props of [`DeckPanel`].
#[derive(Debug, PartialEq, Properties)]
pub struct DeckPanelProps {
    /// The stage: the deck and the slide shown.
    pub stage: Rc<Stage>,
    /// Where the panel's actions go.
    pub dispatch: Callback<StageAction>,
}

/// The address opening `deck` on its first slide.
pub fn deck_href(deck: &Deck) -> String {
    let first = deck.slides.first().map_or("?", |s| s.link.as_str());
    let at = DeckPosition {
        deck: deck.clone(),
        slide: Some(0),
    };
    let mut href = first.to_string();
    for (key, value) in at.pairs() {
        href.push('&');
        href.push_str(key);
        href.push('=');
        href.push_str(&percent_encode(&value));
    }
    href
}

/// Reads the deck file chosen in `input` and hands the outcome to `dispatch`.
fn read_deck_file(input: web_sys::HtmlInputElement, dispatch: Callback<StageAction>) {
    let Some(file) = input.files().and_then(|f| f.get(0)) else {
        return;
    };
    // Let the same file be chosen again later.
    input.set_value("");
    let name = file.name();
    if file.size() > MAX_FILE_BYTES as f64 {
        dispatch.emit(StageAction::Import(Err(format!(
            "{name} is {} bytes; decks up to {MAX_FILE_BYTES} bytes are read",
            file.size()
        ))));
        return;
    }
    let promise = file.text();
    yew::platform::spawn_local(async move {
        let outcome = match wasm_bindgen_futures::JsFuture::from(promise).await {
            Ok(v) => match v.as_string() {
                Some(text) => Deck::from_json(&text).map_err(|e| format!("{name}: {e}")),
                None => Err(format!("{name} is not text")),
            },
            Err(_) => Err(format!("could not read {name}")),
        };
        dispatch.emit(StageAction::Import(outcome));
    });
}

/// A file name made of the deck's title (safe characters only).
fn file_name(deck: &Deck) -> String {
    let stem: String = deck
        .title
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let stem = stem
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if stem.is_empty() {
        "meridian-deck.json".into()
    } else {
        format!("{stem}.deck.json")
    }
}

/// The panel.
#[function_component(DeckPanel)]
pub fn deck_panel(props: &DeckPanelProps) -> Html {
    let deck = &props.stage.at.deck;
    let shown = props.stage.at.slide;
    let emit = |action: StageAction| {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(action.clone()))
    };
    let on_add = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| {
            dispatch.emit(StageAction::Add(Deck::slide_of(&current_query())));
        })
    };
    let on_rename = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: Event| {
            let v = e
                .target_unchecked_into::<web_sys::HtmlInputElement>()
                .value();
            dispatch.emit(StageAction::Rename(v));
        })
    };
    let on_import = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: Event| {
            read_deck_file(
                e.target_unchecked_into::<web_sys::HtmlInputElement>(),
                dispatch.clone(),
            );
        })
    };
    let n = deck.slides.len();
    let slides: Html = deck
        .slides
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let on_retitle = {
                let dispatch = props.dispatch.clone();
                Callback::from(move |e: Event| {
                    let v = e.target_unchecked_into::<web_sys::HtmlInputElement>().value();
                    dispatch.emit(StageAction::Retitle(i, v));
                })
            };
            let current = (shown == Some(i)).then_some("true");
            html! {
                <li class="deck-slide" data-testid={format!("deck-slide-{}", i + 1)} aria-current={current}>
                    <span class="deck-slide-no">{ format!("{}.", i + 1) }</span>
                    <input class="deck-slide-title" value={s.title.clone()} onchange={on_retitle}
                           aria-label={format!("Title of slide {}", i + 1)} />
                    <span class="deck-slide-actions">
                        <button type="button" onclick={emit(StageAction::Show(i))}
                                data-testid={format!("deck-show-{}", i + 1)}
                                title="Show this slide's view">{ "Show" }</button>
                        <button type="button" onclick={emit(StageAction::Move(i, i.saturating_sub(1)))}
                                disabled={i == 0} aria-label={format!("Move slide {} up", i + 1)}>{ "↑" }</button>
                        <button type="button" onclick={emit(StageAction::Move(i, i + 1))}
                                disabled={i + 1 == n} aria-label={format!("Move slide {} down", i + 1)}>{ "↓" }</button>
                        <button type="button" onclick={emit(StageAction::Remove(i))}
                                data-testid={format!("deck-remove-{}", i + 1)}
                                aria-label={format!("Remove slide {}", i + 1)}>{ "✕" }</button>
                    </span>
                </li>
            }
        })
        .collect();
    let download = format!(
        "data:application/json;charset=utf-8,{}",
        percent_encode(&deck.to_json())
    );
    let builtins: Html = BUILTIN
        .iter()
        .map(|b| {
            html! {
                <li>
                    <a href={deck_href(&b.deck())} data-testid={format!("deck-builtin-{}", b.name)}>{ b.title }</a>
                    { format!(" ({} slides)", b.slides.len()) }
                </li>
            }
        })
        .collect();
    html! {
        <details class="deck-panel" data-testid="deck-panel">
            <summary data-testid="deck-summary">{ format!("Deck ({n})") }</summary>
            <div class="deck-body">
                <div class="deck-actions">
                    <button type="button" onclick={on_add} data-testid="deck-add"
                            title="Add the view shown, with its settings, as the deck's last slide">
                        { "Add this view" }
                    </button>
                    <button type="button" onclick={emit(StageAction::Present)} disabled={n == 0}
                            data-testid="deck-present"
                            title="Full screen, one slide at a time: → or Space for the next, ← for the previous, Esc to leave">
                        { "Present" }
                    </button>
                    if n > 0 {
                        <a href={download} download={file_name(deck)} data-testid="deck-export">{ "Download JSON" }</a>
                    }
                    <label class="deck-import">
                        <span>{ "Open a deck file" }</span>
                        <input type="file" accept=".json,application/json" onchange={on_import}
                               data-testid="deck-import" />
                    </label>
                    if n > 0 {
                        <button type="button" onclick={emit(StageAction::Clear)} data-testid="deck-clear">
                            { "Clear" }
                        </button>
                    }
                </div>
                if let Some(notice) = &props.stage.notice {
                    <p class="deck-notice" role="status" data-testid="deck-notice">{ notice.clone() }</p>
                }
                if n > 0 {
                    <label class="deck-title">
                        <span>{ "Deck title " }</span>
                        <input value={deck.title.clone()} onchange={on_rename} data-testid="deck-title" />
                    </label>
                    <ol class="deck-slides" aria-label="Slides">{ slides }</ol>
                } else {
                    <p class="note">{ "No slides yet. Set a view up, then add it; the deck stays in the page's link." }</p>
                }
                <p class="deck-builtins-head">{ "Built-in decks:" }</p>
                <ul class="deck-builtins">{ builtins }</ul>
            </div>
        </details>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_links_open_their_first_slide_with_the_deck() {
        for b in BUILTIN {
            let deck = b.deck();
            let href = deck_href(&deck);
            assert!(href.starts_with(&deck.slides[0].link), "{href}");
            let (at, problem) = DeckPosition::from_query(&href);
            assert_eq!(problem, None);
            assert_eq!((at.deck, at.slide), (deck, Some(0)));
            let (_, page_problem) = crate::url_state::page_from_query(&href);
            assert_eq!(page_problem, None, "{href}");
        }
    }

    #[test]
    fn file_names_come_from_the_title() {
        let mut deck = Deck::default();
        assert_eq!(file_name(&deck), "meridian-deck.json");
        deck.title = "SG goes down: reject/promote!".into();
        assert_eq!(file_name(&deck), "sg-goes-down-reject-promote.deck.json");
    }
}
