//! Presentation decks: an ordered list of slides, each one view with its state exactly as a
//! shared link holds it (the query string [`crate::url_state`] writes). A design review walks a
//! room through a deck: option A, the failure, option B.
//!
//! A deck lives in the page address next to the view it shows (`deck=`, packed like an edited
//! document, and `slide=`, the slide shown, from 1), and travels as a small JSON file:
//!
//! ```json
//! {
//!   "meridian_deck": 1,
//!   "title": "SG goes down",
//!   "slides": [
//!     { "title": "Writes rejected", "link": "?v=1&view=drill&preset=sg-down-reject" }
//!   ]
//! }
//! ```
//!
//! Reading a deck checks every slide's link with the page's own address reader, so a deck that
//! opens is a deck whose every slide opens without complaint; links are kept in the page's own
//! spelling. [`builtin`] holds the decks the page ships.

pub mod builtin;
pub mod stage;

use serde::{Deserialize, Serialize};

use crate::url_state::packed::{pack, unpack};
use crate::url_state::{
    DECK_KEY, PageState, SLIDE_KEY, page_from_query, query_from_page, without_deck,
};
use crate::views::View;

/// The deck file format this page writes and reads.
pub const FORMAT: u32 = 1;

/// Most slides a deck may hold.
pub const MAX_SLIDES: usize = 60;

/// Longest title kept, in characters (longer ones are cut).
pub const MAX_TITLE_CHARS: usize = 120;

/// Largest deck file accepted, in bytes.
pub const MAX_FILE_BYTES: usize = 1_000_000;

/// One slide: a view and its state, as a link's query string (`?v=1&view=...`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Slide {
    /// What the slide is called in the deck and on screen while presenting.
    pub title: String,
    /// The view and its state, as the page address writes them.
    pub link: String,
}

/// An ordered list of slides.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Deck {
    /// The deck's name (may be empty).
    pub title: String,
    /// The slides, in presentation order.
    pub slides: Vec<Slide>,
}

/// The JSON file's shape.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct DeckFile {
    meridian_deck: u32,
    #[serde(default)]
    title: String,
    slides: Vec<Slide>,
}

/// A deck in the page address, and which of its slides is shown.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeckPosition {
    /// The deck.
    pub deck: Deck,
    /// The slide shown, from 0; `None` when the page shows a view that is not one of the slides.
    pub slide: Option<usize>,
}

impl Deck {
    /// Reads a deck file, checking the format, the number of slides and every slide's link.
    /// The error names what is wrong and where (the slide's number and title).
    pub fn from_json(text: &str) -> Result<Deck, String> {
        if text.len() > MAX_FILE_BYTES {
            return Err(format!(
                "the deck is {} bytes; decks up to {MAX_FILE_BYTES} bytes are read",
                text.len()
            ));
        }
        let file: DeckFile =
            serde_json::from_str(text).map_err(|e| format!("not a Meridian deck: {e}"))?;
        if file.meridian_deck != FORMAT {
            return Err(format!(
                "deck format {} is not one this page reads (it reads format {FORMAT})",
                file.meridian_deck
            ));
        }
        if file.slides.len() > MAX_SLIDES {
            return Err(format!(
                "the deck has {} slides; at most {MAX_SLIDES} are allowed",
                file.slides.len()
            ));
        }
        let slides = file
            .slides
            .into_iter()
            .enumerate()
            .map(|(i, s)| {
                let link = canonical_link(&s.link)
                    .map_err(|e| format!("slide {} ('{}'): {e}", i + 1, clip(&s.title)))?;
                Ok(Slide {
                    title: clip(&s.title),
                    link,
                })
            })
            .collect::<Result<Vec<_>, String>>()?;
        Ok(Deck {
            title: clip(&file.title),
            slides,
        })
    }

    /// The deck as a JSON file (pretty-printed, for reading and editing by hand).
    pub fn to_json(&self) -> String {
        let file = DeckFile {
            meridian_deck: FORMAT,
            title: self.title.clone(),
            slides: self.slides.clone(),
        };
        // Serialising strings and numbers cannot fail.
        serde_json::to_string_pretty(&file).unwrap_or_default()
    }

    /// The deck as an address parameter value: its JSON, packed.
    pub fn packed(&self) -> String {
        let file = DeckFile {
            meridian_deck: FORMAT,
            title: self.title.clone(),
            slides: self.slides.clone(),
        };
        pack(&serde_json::to_string(&file).unwrap_or_default())
    }

    /// Reads a deck from its address parameter value.
    pub fn from_packed(value: &str) -> Result<Deck, String> {
        Deck::from_json(&unpack(value)?)
    }

    /// A slide showing the view of `query` (a page address's query string, which may also hold
    /// a deck: that part is left out), titled after what it shows.
    pub fn slide_of(query: &str) -> Result<Slide, String> {
        let link = canonical_link(&without_deck(query))?;
        let (page, _) = page_from_query(&link);
        Ok(Slide {
            title: default_title(&page),
            link,
        })
    }

    /// Appends a slide, unless the deck is full.
    pub fn push(&mut self, slide: Slide) -> Result<(), String> {
        if self.slides.len() >= MAX_SLIDES {
            return Err(format!("a deck holds at most {MAX_SLIDES} slides"));
        }
        self.slides.push(slide);
        Ok(())
    }

    /// Moves slide `from` to `to` (both from 0); out-of-range indexes change nothing.
    pub fn move_slide(&mut self, from: usize, to: usize) {
        if from < self.slides.len() && to < self.slides.len() {
            let slide = self.slides.remove(from);
            self.slides.insert(to, slide);
        }
    }

    /// Removes slide `index` (from 0), if there is one.
    pub fn remove(&mut self, index: usize) {
        if index < self.slides.len() {
            self.slides.remove(index);
        }
    }

    /// The page state slide `index` shows.
    pub fn page(&self, index: usize) -> Option<PageState> {
        self.slides.get(index).map(|s| page_from_query(&s.link).0)
    }
}

impl DeckPosition {
    /// The address parameters of the deck and the slide shown, values not yet encoded; none
    /// for an empty deck.
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        if self.deck.slides.is_empty() && self.deck.title.is_empty() {
            return Vec::new();
        }
        let mut out = vec![(DECK_KEY, self.deck.packed())];
        if let Some(i) = self.slide {
            out.push((SLIDE_KEY, (i + 1).to_string()));
        }
        out
    }

    /// Reads the deck and slide parameters of a query string. No deck parameter gives an empty
    /// deck; a bad one gives the reason, and a bad slide number is dropped with a reason too.
    pub fn from_query(query: &str) -> (DeckPosition, Option<String>) {
        let mut deck = None;
        let mut slide = None;
        for (key, value) in crate::url_state::pairs(query) {
            if key == DECK_KEY {
                deck = Some(value);
            } else if key == SLIDE_KEY {
                slide = Some(value);
            }
        }
        let mut problems = Vec::new();
        let deck = match deck.map(|v| Deck::from_packed(&v)) {
            None => Deck::default(),
            Some(Ok(d)) => d,
            Some(Err(e)) => {
                problems.push(format!("'{DECK_KEY}': {e}; the deck is left out"));
                Deck::default()
            }
        };
        let slide = match slide {
            None => None,
            Some(v) => match v.trim().parse::<usize>() {
                Ok(n) if n >= 1 && n <= deck.slides.len() => Some(n - 1),
                _ => {
                    problems.push(format!(
                        "'{SLIDE_KEY}': slide '{v}' is not a slide of this deck (it has {})",
                        deck.slides.len()
                    ));
                    None
                }
            },
        };
        let message = (!problems.is_empty()).then(|| problems.join("; "));
        (DeckPosition { deck, slide }, message)
    }
}

/// A slide's link in the page's own spelling, or why the page would not open it as written.
/// Whole addresses (`https://host/path?v=1&...`) are cut to their query.
fn canonical_link(link: &str) -> Result<String, String> {
    let query = match link.split_once('?') {
        Some((_, q)) => q,
        None if link.contains('=') || link.trim().is_empty() => link,
        None => return Err(format!("'{}' is not a page address", clip(link))),
    };
    let query = query.split('#').next().unwrap_or_default();
    if query.split('&').any(|p| {
        matches!(
            p.split_once('=').map_or(p, |(k, _)| k),
            DECK_KEY | SLIDE_KEY
        )
    }) {
        return Err("a slide cannot hold a deck".into());
    }
    match page_from_query(query) {
        (page, None) => Ok(query_from_page(&page)),
        (_, Some(problem)) => Err(problem),
    }
}

/// `text` trimmed and cut to [`MAX_TITLE_CHARS`].
fn clip(text: &str) -> String {
    text.trim().chars().take(MAX_TITLE_CHARS).collect()
}

/// A title saying what `page` shows: the view and its main setting.
pub fn default_title(page: &PageState) -> String {
    let edited = |doc: &Option<String>| if doc.is_some() { " (edited)" } else { "" };
    let detail = match page.view {
        View::Kata86 => format!(
            "client {}, leader {}, reads {}",
            page.kata86.client,
            page.kata86.leader,
            page.kata86.strategy.name()
        ),
        View::Scenario => format!(
            "{}{}",
            page.scenario.preset,
            edited(&page.scenario.document)
        ),
        View::Compare => format!(
            "{}{} vs {}{}",
            page.compare.a.preset,
            edited(&page.compare.a.document),
            page.compare.b.preset,
            edited(&page.compare.b.document)
        ),
        View::Drill => format!(
            "{}{}",
            page.drill.scenario.preset,
            edited(&page.drill.scenario.document)
        ),
        View::Pbs => format!("N={} R={} W={}", page.pbs.n, page.pbs.r, page.pbs.w),
        View::Conflicts => page.conflicts.example.clone(),
        View::Recovery => format!(
            "{}{}, seed {}",
            page.recovery.preset,
            if page.recovery.edit.is_empty() {
                ""
            } else {
                " (edited)"
            },
            page.recovery.seed
        ),
        View::Sweep => format!(
            "{} over {}{}",
            page.sweep.metric,
            page.sweep.x,
            page.sweep
                .y
                .as_deref()
                .map(|y| format!(" and {y}"))
                .unwrap_or_default()
        ),
    };
    format!("{} · {detail}", page.view.title())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn three() -> Deck {
        let mut deck = Deck {
            title: "Review".into(),
            slides: Vec::new(),
        };
        for q in [
            "?v=1&view=scenario&preset=aws8-single-leader",
            "?view=pbs&n=3&r=1&w=1",
            "view=drill&preset=sg-down-promote&deck=xyz&slide=2",
        ] {
            deck.push(Deck::slide_of(q).expect("a slide"))
                .expect("room");
        }
        deck
    }

    #[test]
    fn slides_take_the_view_part_of_an_address_and_a_title_from_it() {
        let deck = three();
        let links: Vec<&str> = deck.slides.iter().map(|s| s.link.as_str()).collect();
        assert_eq!(
            links,
            [
                "?v=1&view=scenario&preset=aws8-single-leader",
                "?v=1&view=pbs&preset=lnkd-disk&n=3&r=1&w=1&target=0.999",
                "?v=1&view=drill&preset=sg-down-promote",
            ]
        );
        let titles: Vec<&str> = deck.slides.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "Scenarios · aws8-single-leader",
                "PBS · N=3 R=1 W=1",
                "Drill · sg-down-promote"
            ]
        );
    }

    #[test]
    fn json_and_address_round_trip() {
        let deck = three();
        assert_eq!(Deck::from_json(&deck.to_json()), Ok(deck.clone()));
        assert_eq!(Deck::from_packed(&deck.packed()), Ok(deck.clone()));
        let at = DeckPosition {
            deck: deck.clone(),
            slide: Some(1),
        };
        let query: Vec<String> = at
            .pairs()
            .into_iter()
            .map(|(k, v)| format!("{k}={}", crate::url_state::percent_encode(&v)))
            .collect();
        let query = format!("?v=1&view=kata86&{}", query.join("&"));
        assert_eq!(DeckPosition::from_query(&query), (at, None));
        assert_eq!(without_deck(&query), "?v=1&view=kata86");
    }

    #[test]
    fn bad_files_are_refused_with_the_reason_and_the_slide() {
        let err = |text: &str| Deck::from_json(text).unwrap_err();
        assert!(
            err("[1, 2]").starts_with("not a Meridian deck: "),
            "{}",
            err("[1, 2]")
        );
        assert!(
            err(r#"{"meridian_deck": 1, "slides": [], "theme": "dark"}"#)
                .contains("unknown field `theme`"),
        );
        assert_eq!(
            err(r#"{"meridian_deck": 2, "slides": []}"#),
            "deck format 2 is not one this page reads (it reads format 1)"
        );
        let bad_slide = r#"{"meridian_deck": 1, "slides": [
            {"title": "ok", "link": "?view=pbs"},
            {"title": "Mars", "link": "?view=scenario&preset=mars"}]}"#;
        let e = err(bad_slide);
        assert!(
            e.starts_with(
                "slide 2 ('Mars'): Ignored in the page address: 'preset': unknown preset 'mars'"
            ),
            "{e}"
        );
        let nested =
            r#"{"meridian_deck": 1, "slides": [{"title": "x", "link": "?view=pbs&deck=abc"}]}"#;
        assert_eq!(err(nested), "slide 1 ('x'): a slide cannot hold a deck");
        let word = r#"{"meridian_deck": 1, "slides": [{"title": "x", "link": "hello"}]}"#;
        assert_eq!(err(word), "slide 1 ('x'): 'hello' is not a page address");
        let many = format!(
            r#"{{"meridian_deck": 1, "slides": [{}]}}"#,
            vec![r#"{"title": "s", "link": "?view=pbs"}"#; MAX_SLIDES + 1].join(",")
        );
        assert_eq!(
            err(&many),
            format!(
                "the deck has {} slides; at most {MAX_SLIDES} are allowed",
                MAX_SLIDES + 1
            )
        );
    }

    #[test]
    fn whole_addresses_are_cut_to_their_query_and_titles_are_clipped() {
        let long = "t".repeat(500);
        let text = format!(
            r#"{{"meridian_deck": 1, "title": "  Deck  ", "slides": [{{"title": "{long}", "link": "https://example.org/meridian/?view=conflicts&example=wallet#top"}}]}}"#
        );
        let deck = Deck::from_json(&text).expect("a deck");
        assert_eq!(deck.title, "Deck");
        assert_eq!(deck.slides[0].title.chars().count(), MAX_TITLE_CHARS);
        assert_eq!(
            deck.slides[0].link,
            "?v=1&view=conflicts&example=wallet&step=1"
        );
    }

    #[test]
    fn bad_address_parameters_are_named_and_leave_an_empty_deck() {
        let (at, msg) = DeckPosition::from_query("?view=pbs&deck=%%%&slide=1");
        assert_eq!(at, DeckPosition::default());
        let msg = msg.expect("a message");
        assert!(msg.starts_with("'deck': not a packed document"), "{msg}");
        assert!(
            msg.contains("'slide': slide '1' is not a slide of this deck (it has 0)"),
            "{msg}"
        );
    }

    #[test]
    fn slides_move_and_go() {
        let mut deck = three();
        deck.move_slide(2, 0);
        assert!(deck.slides[0].link.contains("view=drill"));
        deck.move_slide(0, 9);
        deck.remove(1);
        deck.remove(7);
        assert_eq!(deck.slides.len(), 2);
        assert!(deck.slides[1].link.contains("view=pbs"));
        assert_eq!(deck.page(1).map(|p| p.view), Some(View::Pbs));
    }
}
