//! The page's stage: the view shown (remounted, and so run afresh, whenever a slide replaces
//! it), the deck around it, and whether it is being presented. A pure reducer, so every rule of
//! building and walking a deck is tested without a browser.

use std::rc::Rc;

use yew::Reducible;

use super::{Deck, DeckPosition, Slide};
use crate::url_state::PageState;

/// What the page shows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stage {
    /// The view shown and its state as the view was opened.
    pub page: PageState,
    /// Moves whenever a slide replaces the view, so the view starts afresh from `page`.
    pub key: u32,
    /// The deck and the slide shown.
    pub at: DeckPosition,
    /// Presentation mode: full screen, large type, keys walk the slides.
    pub presenting: bool,
    /// What the last deck action said (an import's outcome, a refusal).
    pub notice: Option<String>,
}

/// What can happen to the stage.
#[derive(Debug, Clone, PartialEq)]
pub enum StageAction {
    /// Append a slide (the view shown, or why it cannot be one).
    Add(Result<Slide, String>),
    /// Remove slide `i`.
    Remove(usize),
    /// Move slide `from` to `to`.
    Move(usize, usize),
    /// Rename slide `i`.
    Retitle(usize, String),
    /// Rename the deck.
    Rename(String),
    /// Replace the deck with one read from a file, or say why it could not be read.
    Import(Result<Deck, String>),
    /// Empty the deck.
    Clear,
    /// Show slide `i`.
    Show(usize),
    /// The next slide.
    Next,
    /// The previous slide.
    Previous,
    /// The first slide.
    First,
    /// The last slide.
    Last,
    /// Start presenting from the first slide.
    Present,
    /// Stop presenting.
    Leave,
}

impl Stage {
    /// The stage a page address opens.
    pub fn opened(page: PageState, at: DeckPosition) -> Self {
        Stage {
            page,
            key: 0,
            at,
            presenting: false,
            notice: None,
        }
    }

    /// Shows slide `i` if the deck has it.
    fn show(&mut self, i: usize) {
        if let Some(page) = self.at.deck.page(i) {
            self.page = page;
            self.key = self.key.wrapping_add(1);
            self.at.slide = Some(i);
        }
    }

    /// The slide shown, as "3 / 7".
    pub fn counter(&self) -> Option<String> {
        self.at
            .slide
            .map(|i| format!("{} / {}", i + 1, self.at.deck.slides.len()))
    }

    /// The title of the slide shown.
    pub fn slide_title(&self) -> Option<&str> {
        self.at
            .slide
            .and_then(|i| self.at.deck.slides.get(i))
            .map(|s| s.title.as_str())
    }
}

impl Reducible for Stage {
    type Action = StageAction;

    fn reduce(self: Rc<Self>, action: StageAction) -> Rc<Self> {
        let mut s = (*self).clone();
        s.notice = None;
        let last = s.at.deck.slides.len().checked_sub(1);
        match action {
            StageAction::Add(Ok(slide)) => match s.at.deck.push(slide) {
                Ok(()) => s.at.slide = Some(s.at.deck.slides.len() - 1),
                Err(e) => s.notice = Some(e),
            },
            StageAction::Add(Err(e)) => {
                s.notice = Some(format!("This view cannot be a slide: {e}"))
            }
            StageAction::Remove(i) => {
                s.at.deck.remove(i);
                s.at.slide = match s.at.slide {
                    Some(j) if j == i => None,
                    Some(j) if j > i => Some(j - 1),
                    other => other,
                };
                if s.at.deck.slides.is_empty() {
                    s.presenting = false;
                }
            }
            StageAction::Move(from, to) => {
                if from < s.at.deck.slides.len() && to < s.at.deck.slides.len() {
                    s.at.deck.move_slide(from, to);
                    s.at.slide = s.at.slide.map(|j| {
                        if j == from {
                            to
                        } else if from < j && j <= to {
                            j - 1
                        } else if to <= j && j < from {
                            j + 1
                        } else {
                            j
                        }
                    });
                }
            }
            StageAction::Retitle(i, title) => {
                if let Some(slide) = s.at.deck.slides.get_mut(i) {
                    slide.title = super::clip(&title);
                }
            }
            StageAction::Rename(title) => s.at.deck.title = super::clip(&title),
            StageAction::Import(Ok(deck)) => {
                s.notice = Some(format!(
                    "Read a deck of {} slide{}.",
                    deck.slides.len(),
                    if deck.slides.len() == 1 { "" } else { "s" }
                ));
                s.at = DeckPosition { deck, slide: None };
                s.presenting = false;
            }
            StageAction::Import(Err(e)) => {
                s.notice = Some(format!(
                    "The deck was not read: {e}. The deck is unchanged."
                ));
            }
            StageAction::Clear => {
                s.at = DeckPosition::default();
                s.presenting = false;
            }
            StageAction::Show(i) => s.show(i),
            StageAction::Next => {
                let next = s.at.slide.map_or(0, |i| i + 1);
                if last.is_some_and(|l| next <= l) {
                    s.show(next);
                }
            }
            StageAction::Previous => {
                if let Some(i) = s.at.slide.and_then(|i| i.checked_sub(1)) {
                    s.show(i);
                }
            }
            StageAction::First => s.show(0),
            StageAction::Last => {
                if let Some(l) = last {
                    s.show(l);
                }
            }
            StageAction::Present => {
                if s.at.deck.slides.is_empty() {
                    s.notice = Some("The deck has no slides yet: add a view first.".into());
                } else {
                    s.presenting = true;
                    s.show(0);
                }
            }
            StageAction::Leave => s.presenting = false,
        }
        Rc::new(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::views::View;

    fn reduce(stage: Stage, actions: &[StageAction]) -> Stage {
        let mut s = Rc::new(stage);
        for a in actions {
            s = s.reduce(a.clone());
        }
        (*s).clone()
    }

    fn slide(q: &str) -> StageAction {
        StageAction::Add(Deck::slide_of(q))
    }

    fn built() -> Stage {
        reduce(
            Stage::default(),
            &[
                slide("?view=scenario&preset=aws8-single-leader"),
                slide("?view=pbs&n=3&r=1&w=1"),
                slide("?view=drill&preset=sg-down-promote"),
            ],
        )
    }

    #[test]
    fn presenting_walks_the_slides_and_remounts_each_view() {
        let s = reduce(built(), &[StageAction::Present]);
        assert!(s.presenting);
        assert_eq!(
            (s.page.view, s.counter().as_deref()),
            (View::Scenario, Some("1 / 3"))
        );
        let s = reduce(
            s,
            &[StageAction::Next, StageAction::Next, StageAction::Next],
        );
        assert_eq!(
            (s.page.view, s.counter().as_deref()),
            (View::Drill, Some("3 / 3"))
        );
        let key = s.key;
        let s = reduce(s, &[StageAction::Previous]);
        assert_eq!((s.page.view, s.key), (View::Pbs, key + 1));
        assert_eq!(s.page.pbs.r, 1);
        let s = reduce(s, &[StageAction::First, StageAction::Previous]);
        assert_eq!(s.counter().as_deref(), Some("1 / 3"));
        let s = reduce(s, &[StageAction::Last, StageAction::Leave]);
        assert!(!s.presenting);
        assert_eq!(s.slide_title(), Some("Drill · sg-down-promote"));
    }

    #[test]
    fn an_empty_deck_is_not_presented_and_bad_imports_keep_the_deck() {
        let s = reduce(Stage::default(), &[StageAction::Present]);
        assert!(!s.presenting);
        assert!(s.notice.is_some());
        let before = built();
        let s = reduce(
            before.clone(),
            &[StageAction::Import(Deck::from_json("{}"))],
        );
        assert_eq!(s.at, before.at);
        assert!(
            s.notice
                .as_deref()
                .is_some_and(|n| n.starts_with("The deck was not read: not a Meridian deck")),
            "{:?}",
            s.notice
        );
    }

    #[test]
    fn the_slide_shown_follows_moves_and_removals() {
        let s = reduce(built(), &[StageAction::Show(1), StageAction::Move(1, 2)]);
        assert_eq!(s.at.slide, Some(2));
        let s = reduce(s, &[StageAction::Move(0, 2)]);
        assert_eq!(s.at.slide, Some(1));
        let s = reduce(s, &[StageAction::Remove(0)]);
        assert_eq!(s.at.slide, Some(0));
        assert_eq!(s.slide_title(), Some("PBS · N=3 R=1 W=1"));
        let s = reduce(s, &[StageAction::Remove(0)]);
        assert_eq!((s.at.slide, s.at.deck.slides.len()), (None, 1));
        let s = reduce(
            s,
            &[
                StageAction::Retitle(0, "  SG down  ".into()),
                StageAction::Rename("Review".into()),
            ],
        );
        assert_eq!(
            (s.at.deck.title.as_str(), s.at.deck.slides[0].title.as_str()),
            ("Review", "SG down")
        );
    }
}
