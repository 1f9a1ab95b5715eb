//! The page: the title, the view named in the page address, the "Copy link" button, a banner
//! naming any bad address parameter, and, under the Kata 86 view, a pointer to its merge races
//! (in the Conflicts view) and the page's benchmark.

use meridian_core::kata86::Kata86Config;
use yew::prelude::*;

use super::bench_panel::BenchPanel;
use super::copy_link::CopyLink;
use crate::url_state::{current_query, page_from_query};
use crate::views::View;
use crate::views::compare::CompareView;
use crate::views::conflicts::{ConflictsView, labels as conflicts_labels};
use crate::views::drill::DrillView;
use crate::views::kata86::{Kata86View, labels as kata86_labels};
use crate::views::pbs::{PbsView, labels as pbs_labels};
use crate::views::scenario::ScenarioView;

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
    }
}

/// The whole page.
#[function_component(App)]
pub fn app() -> Html {
    // The address is read once, when the page opens; views keep it up to date from then on.
    let opened = use_memo((), |_| page_from_query(&current_query()));
    let (page, url_error) = &*opened;
    let (subtitle, lede, footer) = frame_text(page.view);
    let body = match page.view {
        View::Kata86 => html! { <Kata86View initial={page.kata86.clone()} /> },
        View::Scenario => html! { <ScenarioView initial={page.scenario.clone()} /> },
        View::Compare => html! { <CompareView initial={page.compare.clone()} /> },
        View::Pbs => html! { <PbsView initial={page.pbs} /> },
        View::Conflicts => html! { <ConflictsView initial={page.conflicts.clone()} /> },
        View::Drill => html! { <DrillView initial={page.drill.clone()} /> },
    };
    let nav: Html = View::ALL
        .iter()
        .map(|&v| {
            let current = (v == page.view).then_some("page");
            html! {
                <a href={format!("?view={}", v.name())} aria-current={current}
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
                    <a href={format!("?view={}", View::Conflicts.name())}>{ "Conflicts view" }</a>
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
