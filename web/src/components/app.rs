//! The page: the title, the view named in the page address, the "Copy link" button and the deck
//! panel, a banner naming any bad address parameter, and, under the Kata 86 view, a pointer to
//! its merge races (in the Conflicts view) and the page's benchmark. While a deck is presented
//! the header gives way to the slide bar and the view shown is the slide's.

use meridian_core::kata86::Kata86Config;
use yew::prelude::*;

use super::bench_panel::BenchPanel;
use super::copy_link::CopyLink;
use super::deck_panel::DeckPanel;
use super::presenter::{enter_full_screen, leave_full_screen, use_presentation_keys};
use crate::deck::DeckPosition;
use crate::deck::stage::{Stage, StageAction};
use crate::url_state::{
    PageState, current_query, page_from_query, percent_encode, replace_address,
    replace_deck_address,
};
use crate::views::View;
use crate::views::compare::CompareView;
use crate::views::conflicts::{ConflictsView, labels as conflicts_labels};
use crate::views::drill::DrillView;
use crate::views::kata86::{Kata86View, labels as kata86_labels};
use crate::views::pbs::{PbsView, labels as pbs_labels};
use crate::views::recovery::{RecoveryView, labels as recovery_labels};
use crate::views::scenario::ScenarioView;
use crate::views::sweep::{SweepView, labels as sweep_labels};

/// The title line, lede and footer of `view`, from its model.
fn frame_text(view: View) -> (String, String, String) {
    match view {
        View::Kata86 => (
            kata86_labels::subtitle(),
            kata86_labels::lede(),
            kata86_labels::footer(&Kata86Config::default()),
        ),
        View::Scenario => (
            View::Scenario.title().to_string(),
            format!(
                "Any design as a scenario document: pick one of the {} shipped presets or edit \
                 its document, and the general engine runs it here, in the page, with the same \
                 figures as `meridian run`.",
                meridian_core::scenario::PRESETS.len()
            ),
            "Every figure on this page is computed in the browser by meridian-core's \
             discrete-event engine from the document and seed shown."
                .to_string(),
        ),
        View::Compare => (
            View::Compare.title().to_string(),
            "Two designs, one workload: option A and option B run with the same seed and \
             duration, and every figure is set against the other's. It opens on Kata 86's \
             options: one leader in Singapore with local reads, against multi-leader with \
             last-write-wins."
                .to_string(),
            "Both options are simulated in the browser by meridian-core's discrete-event engine; \
             `meridian run` gives the same figures for each document and seed."
                .to_string(),
        ),
        View::Pbs => (
            "Probabilistically Bounded Staleness".to_string(),
            pbs_labels::lede(),
            pbs_labels::footer(),
        ),
        View::Conflicts => (
            "Conflicts, one merge at a time".to_string(),
            conflicts_labels::lede(),
            conflicts_labels::footer(),
        ),
        View::Drill => (
            "Failure drill".to_string(),
            "What a failure does to a design, second by second: the run's timeline with the \
             fault, its detection and the failover, recovery time (RTO) and lost writes (RPO); a \
             scrubber the map follows; and the same fault under each failover policy."
                .to_string(),
            "Every figure is computed in the browser by meridian-core's discrete-event engine; \
             `meridian drill` prints the same policy comparison for the same document and seed."
                .to_string(),
        ),
        View::Recovery => (
            "Recovery under service outages".to_string(),
            recovery_labels::lede(),
            recovery_labels::footer(),
        ),
        View::Sweep => (
            "Parameter sweeps".to_string(),
            sweep_labels::lede(),
            sweep_labels::footer(),
        ),
    }
}

/// The view of `page`, started afresh whenever `key` moves.
fn view_body(page: &PageState, key: u32) -> Html {
    let key = key.to_string();
    match page.view {
        View::Kata86 => html! { <Kata86View {key} initial={page.kata86.clone()} /> },
        View::Scenario => html! { <ScenarioView {key} initial={page.scenario.clone()} /> },
        View::Compare => html! { <CompareView {key} initial={page.compare.clone()} /> },
        View::Pbs => html! { <PbsView {key} initial={page.pbs} /> },
        View::Conflicts => html! { <ConflictsView {key} initial={page.conflicts.clone()} /> },
        View::Drill => html! { <DrillView {key} initial={page.drill.clone()} /> },
        View::Recovery => html! { <RecoveryView {key} initial={page.recovery.clone()} /> },
        View::Sweep => html! { <SweepView {key} initial={page.sweep.clone()} /> },
    }
}

/// The stage the page address opens, and what was wrong with the address.
fn opened_stage() -> (Stage, Option<String>) {
    let query = current_query();
    let (page, page_problem) = page_from_query(&query);
    let (at, deck_problem) = DeckPosition::from_query(&query);
    let problem = match (page_problem, deck_problem) {
        (None, None) => None,
        (Some(p), None) => Some(p),
        (None, Some(d)) => Some(format!("Ignored in the page address: {d}.")),
        (Some(p), Some(d)) => Some(format!("{p} Also ignored: {d}.")),
    };
    (Stage::opened(page, at), problem)
}

/// The deck's parameters as a query suffix (`&deck=...`), for links to other views: the deck
/// goes with the reader while it is being built.
fn deck_suffix(at: &DeckPosition) -> String {
    let away = DeckPosition {
        deck: at.deck.clone(),
        slide: None,
    };
    away.pairs()
        .into_iter()
        .map(|(k, v)| format!("&{k}={}", percent_encode(&v)))
        .collect()
}

/// The whole page.
#[function_component(App)]
pub fn app() -> Html {
    // The address is read once, when the page opens; views and the deck keep it up to date.
    let opened = use_memo((), |_| opened_stage());
    let url_error = opened.1.clone();
    let stage = {
        let first = opened.0.clone();
        use_reducer(move || first)
    };
    let dispatch = {
        let stage = stage.clone();
        Callback::from(move |action: StageAction| {
            match action {
                StageAction::Present => enter_full_screen(),
                StageAction::Leave | StageAction::Clear => leave_full_screen(),
                _ => {}
            }
            stage.dispatch(action)
        })
    };
    use_presentation_keys(stage.presenting, dispatch.clone());
    // The address follows the deck, and the view when a slide replaced it.
    {
        let stage = stage.clone();
        use_effect_with((stage.key, stage.at.clone()), move |(key, at)| {
            if *key > 0 {
                replace_address(&stage.page);
            }
            replace_deck_address(&at.pairs());
        });
    }
    let page = &stage.page;
    let body = view_body(page, stage.key);
    if stage.presenting {
        let step = |action: StageAction| {
            let dispatch = dispatch.clone();
            Callback::from(move |_: MouseEvent| dispatch.emit(action.clone()))
        };
        return html! {
            <main class="page presenting" data-view={page.view.name()} data-testid="presenting">
                <header class="slide-bar">
                    <h1 class="slide-title" data-testid="slide-title">
                        { stage.slide_title().unwrap_or_default().to_string() }
                    </h1>
                    <span class="slide-counter" data-testid="slide-counter" aria-live="polite">
                        { stage.counter().unwrap_or_default() }
                    </span>
                    <span class="slide-buttons">
                        <button type="button" onclick={step(StageAction::Previous)}
                                aria-label="Previous slide" data-testid="slide-previous">{ "←" }</button>
                        <button type="button" onclick={step(StageAction::Next)}
                                aria-label="Next slide" data-testid="slide-next">{ "→" }</button>
                        <button type="button" onclick={step(StageAction::Leave)}
                                data-testid="slide-leave" title="Leave the presentation (Esc)">{ "Leave" }</button>
                    </span>
                </header>
                { body }
            </main>
        };
    }
    let (subtitle, lede, footer) = frame_text(page.view);
    let suffix = deck_suffix(&stage.at);
    let nav: Html = View::ALL
        .iter()
        .map(|&v| {
            let current = (v == page.view).then_some("page");
            html! {
                <a href={format!("?view={}{suffix}", v.name())} aria-current={current}
                   data-testid={format!("nav-{}", v.name())}>{ v.title() }</a>
            }
        })
        .collect();
    html! {
        <main class="page" data-view={page.view.name()}>
            <header>
                <h1>{ "Meridian" }<span class="subtitle">{ format!(" · {subtitle}") }</span></h1>
                <div class="header-bar">
                    <nav class="views" aria-label="Views">{ nav }</nav>
                    <CopyLink />
                </div>
                <DeckPanel stage={std::rc::Rc::new((*stage).clone())} dispatch={dispatch.clone()} />
                <p class="lede">{ lede }</p>
            </header>
            if let Some(msg) = url_error {
                <p class="url-error" role="alert" data-testid="url-error">{ msg }</p>
            }
            { body }
            // Under Kata 86: where its merge races went, and the page's own benchmark.
            if page.view == View::Kata86 {
                <p class="note" data-testid="kata86-merges">
                    { "What each strategy keeps when SG and US accept writes at once: step through \
                       the exercise's merge races (profile, wallet, cart, clock skew) in the " }
                    <a href={format!("?view={}{suffix}", View::Conflicts.name())}>{ "Conflicts view" }</a>
                    { "." }
                </p>
                <BenchPanel />
            }
            <footer>
                <p>{ footer }</p>
            </footer>
        </main>
    }
}
