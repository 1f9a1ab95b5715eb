//! The page's address as its state: `?view=kata86&client=US&leader=SG&...`, so a link reproduces
//! a view in a design review. `view` picks the [`View`] (missing means the default view); the
//! other parameters belong to that view.
//!
//! The address is versioned: `v=1` leads every address the page writes, and an address from a
//! newer format is refused as a whole (with a message) rather than half understood. Bulky values,
//! such as an edited scenario document, are compressed ([`packed`]).
//!
//! Parsing never fails as a whole: a bad parameter is reported and its setting keeps its default,
//! while the other parameters still apply. Each view reads and writes its own parameters through
//! [`ViewParams`] ([`params`]), implemented in the view's `query.rs`.

pub mod packed;
pub mod params;

pub use params::ViewParams;
use params::read_params;

use crate::views::View;
use crate::views::compare::state::CompareSettings;
use crate::views::conflicts::state::Settings as ConflictsSettings;
use crate::views::drill::state::DrillSettings;
use crate::views::kata86::state::Controls;
use crate::views::pbs::settings::Settings as PbsSettings;
use crate::views::recovery::settings::Settings as RecoverySettings;
use crate::views::scenario::state::Settings;
use crate::views::sweep::settings::Settings as SweepSettings;

/// The parameter naming the view.
pub const VIEW_KEY: &str = "view";

/// The parameter naming the address format's version.
pub const VERSION_KEY: &str = "v";

/// The parameter holding a presentation deck ([`crate::deck`]), packed. It belongs to the page
/// around the view: a view writing its own state into the address keeps it.
pub const DECK_KEY: &str = "deck";

/// The parameter naming the deck's slide shown, from 1. Kept like [`DECK_KEY`].
pub const SLIDE_KEY: &str = "slide";

/// The address format this page writes and reads. Version 1 is also assumed for addresses
/// without a version (those written before the address had one read the same way).
pub const FORMAT_VERSION: u32 = 1;

/// Everything the address holds.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PageState {
    /// The view shown.
    pub view: View,
    /// The Kata 86 view's form.
    pub kata86: Controls,
    /// The Scenario view's preset, seed, duration and edited document.
    pub scenario: Settings,
    /// The Compare view's two options, seed and duration.
    pub compare: CompareSettings,
    /// The PBS view's latency fit, quorum and target.
    pub pbs: PbsSettings,
    /// The Conflicts view's example, step and strategies.
    pub conflicts: ConflictsSettings,
    /// The Drill view's preset, seed, duration, edited document and scrubbed time.
    pub drill: DrillSettings,
    /// The Recovery view's preset, seed and outage edit.
    pub recovery: RecoverySettings,
    /// The Sweep view's preset, fields, metric, seeds and duration.
    pub sweep: SweepSettings,
}

/// Reads the page state from a query string (with or without the leading `?`). Returns the
/// state and, if any parameter was bad, one message naming every bad parameter and what is
/// allowed.
pub fn page_from_query(query: &str) -> (PageState, Option<String>) {
    let mut page = PageState::default();
    let mut problems = Vec::new();
    let mut view_params = Vec::new();
    for (key, value) in pairs(query) {
        if key == DECK_KEY || key == SLIDE_KEY {
            // Read by the deck (crate::deck), not by the view.
            continue;
        }
        if key == VERSION_KEY {
            match value.trim().parse::<u32>() {
                Ok(FORMAT_VERSION) => {}
                Ok(v) if v > FORMAT_VERSION => {
                    let message = format!(
                        "This link was written in address format v{v}, newer than this page \
                         reads (v{FORMAT_VERSION}); the default view is shown instead."
                    );
                    return (PageState::default(), Some(message));
                }
                _ => problems.push(format!(
                    "'{key}': unknown address format '{value}' (this page reads v{FORMAT_VERSION}); \
                     read as v{FORMAT_VERSION}"
                )),
            }
        } else if key == VIEW_KEY {
            match value.parse::<View>() {
                Ok(v) => page.view = v,
                Err(e) => problems.push(format!("'{key}': {e}")),
            }
        } else {
            view_params.push((key, value));
        }
    }
    // The view is known only once every pair has been read; its own parameters follow.
    problems.extend(match page.view {
        View::Kata86 => read_params(&mut page.kata86, view_params),
        View::Scenario => read_params(&mut page.scenario, view_params),
        View::Compare => read_params(&mut page.compare, view_params),
        View::Pbs => read_params(&mut page.pbs, view_params),
        View::Conflicts => read_params(&mut page.conflicts, view_params),
        View::Drill => read_params(&mut page.drill, view_params),
        View::Recovery => read_params(&mut page.recovery, view_params),
        View::Sweep => read_params(&mut page.sweep, view_params),
    });
    let message = (!problems.is_empty()).then(|| {
        format!(
            "Ignored in the page address: {}. Defaults are used for those settings.",
            problems.join("; ")
        )
    });
    (page, message)
}

/// Writes the page state as a query string starting with `?`: the format version, the view,
/// then the view's parameters.
pub fn query_from_page(page: &PageState) -> String {
    let params = match page.view {
        View::Kata86 => page.kata86.pairs(),
        View::Scenario => page.scenario.pairs(),
        View::Compare => page.compare.pairs(),
        View::Pbs => page.pbs.pairs(),
        View::Conflicts => page.conflicts.pairs(),
        View::Drill => page.drill.pairs(),
        View::Recovery => page.recovery.pairs(),
        View::Sweep => page.sweep.pairs(),
    };
    let mut query = format!(
        "?{VERSION_KEY}={FORMAT_VERSION}&{VIEW_KEY}={}",
        page.view.name()
    );
    for (key, value) in params {
        query.push('&');
        query.push_str(key);
        query.push('=');
        query.push_str(&percent_encode(&value));
    }
    query
}

/// The decoded `(key, value)` pairs of a query string (with or without the leading `?`), in
/// order; a pair without `=` has an empty value.
pub fn pairs(query: &str) -> impl Iterator<Item = (String, String)> + '_ {
    query
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(key), percent_decode(value))
        })
}

/// The deck parameters of `query` ([`DECK_KEY`], [`SLIDE_KEY`]) exactly as written, each with
/// its leading `&`.
fn deck_part(query: &str) -> String {
    query
        .trim_start_matches('?')
        .split('&')
        .filter(|p| {
            let key = p.split_once('=').map_or(*p, |(k, _)| k);
            key == DECK_KEY || key == SLIDE_KEY
        })
        .map(|p| format!("&{p}"))
        .collect()
}

/// `query` without its deck and slide parameters.
pub fn without_deck(query: &str) -> String {
    let kept: Vec<&str> = query
        .trim_start_matches('?')
        .split('&')
        .filter(|p| {
            let key = p.split_once('=').map_or(*p, |(k, _)| k);
            !p.is_empty() && key != DECK_KEY && key != SLIDE_KEY
        })
        .collect();
    format!("?{}", kept.join("&"))
}

/// Writes `query` into the address bar without adding a history entry.
fn replace_query(query: &str) {
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        // Failing to update the address bar is harmless, so the error is dropped.
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(query));
    }
}

/// Writes the deck parameters `deck` (values not yet encoded; none to drop the deck) into the
/// address bar, keeping the view's parameters as they are.
pub fn replace_deck_address(deck: &[(&str, String)]) {
    let current = current_query();
    let mut query = without_deck(&current);
    for (key, value) in deck {
        if query.len() > 1 {
            query.push('&');
        }
        query.push_str(key);
        query.push('=');
        query.push_str(&percent_encode(value));
    }
    // An address without a deck is left exactly as it was (not even a bare `?` added).
    if query.trim_start_matches('?') != current.trim_start_matches('?') {
        replace_query(&query);
    }
}

/// The page's query string as the browser has it (empty outside a browser page).
pub fn current_query() -> String {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default()
}

/// Writes `page` into the address bar without adding a history entry, keeping the deck
/// parameters the address has.
pub fn replace_address(page: &PageState) {
    replace_query(&(query_from_page(page) + &deck_part(&current_query())));
}

/// Decodes `%XX` escapes and `+` (space). Malformed escapes are kept as written.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Escapes everything but unreserved characters.
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use meridian_core::kata86::{ReadStrategy, Region, StalenessAccounting};

    fn kata86(controls: Controls) -> PageState {
        PageState {
            view: View::Kata86,
            kata86: controls,
            ..PageState::default()
        }
    }

    #[test]
    fn round_trips_through_the_query() {
        let page = kata86(Controls {
            client: Region::Sg,
            leader: Region::Us,
            strategy: ReadStrategy::Leader,
            accounting: StalenessAccounting::ServedRead,
            iterations: "123".into(),
            seed: "9".into(),
        });
        let q = query_from_page(&page);
        assert_eq!(
            q,
            "?v=1&view=kata86&client=SG&leader=US&strategy=leader&accounting=served_read&n=123&seed=9"
        );
        assert_eq!(page_from_query(&q), (page, None));
    }

    #[test]
    fn empty_query_gives_defaults_and_a_missing_view_is_kata86() {
        assert_eq!(page_from_query(""), (PageState::default(), None));
        assert_eq!(page_from_query("?"), (PageState::default(), None));
        let (page, msg) = page_from_query("?client=SG");
        assert_eq!(
            (page.view, page.kata86.client, msg),
            (View::Kata86, Region::Sg, None)
        );
    }

    #[test]
    fn bad_parameters_are_named_and_the_rest_still_applies() {
        let (page, msg) =
            page_from_query("?client=EU&leader=US&color=red&strategy=%71uorum&view=globe");
        assert_eq!(page.view, View::Kata86);
        assert_eq!(page.kata86.leader, Region::Us);
        assert_eq!(page.kata86.client, Controls::default().client);
        let msg = msg.expect("a message");
        assert!(msg.contains("'client': unknown region 'EU'"), "{msg}");
        assert!(msg.contains("unknown parameter 'color'"), "{msg}");
        assert!(msg.contains("known: v, view, client,"), "{msg}");
        assert!(
            msg.contains("'strategy': unknown read strategy 'quorum'"),
            "{msg}"
        );
        assert!(
            msg.contains(
                "'view': unknown view 'globe'; allowed: kata86, scenario, compare, drill, recovery, sweep, pbs, conflicts"
            ),
            "{msg}"
        );
    }

    #[test]
    fn numbers_pass_through_as_typed_for_the_form_to_check() {
        let (page, msg) = page_from_query("n=abc&seed=%2D1");
        assert_eq!(msg, None);
        assert_eq!(page.kata86.iterations, "abc");
        assert_eq!(page.kata86.seed, "-1");
    }

    #[test]
    fn the_scenario_view_round_trips_and_names_bad_values() {
        let page = PageState {
            view: View::Scenario,
            scenario: Settings {
                preset: "aws8-single-leader".into(),
                seed: Some(42),
                duration_s: Some(7.5),
                document: None,
            },
            ..PageState::default()
        };
        let q = query_from_page(&page);
        assert_eq!(
            q,
            "?v=1&view=scenario&preset=aws8-single-leader&seed=42&duration=7.5"
        );
        assert_eq!(page_from_query(&q), (page, None));
        let (page, msg) = page_from_query("?view=scenario&preset=mars&seed=x&duration=1e9&n=4");
        assert_eq!(page.scenario, Settings::default());
        let msg = msg.expect("a message");
        assert!(msg.contains("'preset': unknown preset 'mars'"), "{msg}");
        assert!(msg.contains("'seed': seed 'x'"), "{msg}");
        assert!(msg.contains("'duration': duration '1e9'"), "{msg}");
        assert!(
            msg.contains("unknown parameter 'n' (known: v, view, preset, seed, duration, doc)"),
            "{msg}"
        );
    }

    #[test]
    fn the_pbs_view_round_trips_and_names_bad_values() {
        use meridian_core::pbs::Preset;
        let page = PageState {
            view: View::Pbs,
            pbs: PbsSettings {
                preset: Preset::Ymmr,
                n: 5,
                r: 2,
                w: 3,
                target: 0.99,
            },
            ..PageState::default()
        };
        let q = query_from_page(&page);
        assert_eq!(q, "?v=1&view=pbs&preset=ymmr&n=5&r=2&w=3&target=0.99");
        assert_eq!(page_from_query(&q), (page, None));
        let (page, msg) = page_from_query("?view=pbs&r=4&preset=disk&target=2&n=3&w=1&seed=1");
        assert_eq!(page.pbs, PbsSettings::default());
        let msg = msg.expect("a message");
        assert!(
            msg.contains("'preset': unknown latency fit 'disk'"),
            "{msg}"
        );
        assert!(msg.contains("'target': target '2'"), "{msg}");
        assert!(
            msg.contains("'r': R '4': expected a whole number from 1 to N (3)"),
            "{msg}"
        );
        assert!(
            msg.contains("unknown parameter 'seed' (known: v, view, preset, n, r, w, target)"),
            "{msg}"
        );
    }

    #[test]
    fn the_conflicts_view_round_trips_and_names_bad_values() {
        let page = PageState {
            view: View::Conflicts,
            conflicts: ConflictsSettings {
                example: "wallet".into(),
                step: 3,
                a: Some("lww".into()),
                b: Some("escrow".into()),
            },
            ..PageState::default()
        };
        let q = query_from_page(&page);
        assert_eq!(
            q,
            "?v=1&view=conflicts&example=wallet&step=3&a=lww&b=escrow"
        );
        assert_eq!(page_from_query(&q), (page, None));
        let (page, msg) = page_from_query("?view=conflicts&example=cart&a=escrow&step=x&b=or-set");
        assert_eq!(page.conflicts.example, "cart");
        assert_eq!((page.conflicts.a, page.conflicts.step), (None, 1));
        let msg = msg.expect("a message");
        assert!(msg.contains("'step': step 'x'"), "{msg}");
        assert!(
            msg.contains("'a': strategy 'escrow' is not one of cart's; allowed: or-set, lww-set"),
            "{msg}"
        );
    }

    #[test]
    fn the_drill_view_round_trips_and_names_bad_values() {
        let mut page = PageState {
            view: View::Drill,
            ..PageState::default()
        };
        page.drill.scenario.seed = Some(3);
        page.drill.t = Some(24.0);
        let q = query_from_page(&page);
        assert_eq!(q, "?v=1&view=drill&preset=sg-down-promote&seed=3&t=24");
        assert_eq!(page_from_query(&q), (page, None));
        let (page, msg) = page_from_query("?view=drill&preset=nope&t=-1&speed=2&duration=0");
        assert_eq!(page.drill, DrillSettings::default());
        let msg = msg.expect("a message");
        assert!(msg.contains("'preset': unknown preset 'nope'"), "{msg}");
        assert!(msg.contains("'t': time '-1'"), "{msg}");
        assert!(msg.contains("'duration': duration '0'"), "{msg}");
        assert!(
            msg.contains(
                "unknown parameter 'speed' (known: v, view, preset, seed, duration, doc, t)"
            ),
            "{msg}"
        );
    }

    #[test]
    fn malformed_escapes_do_not_panic() {
        for q in [
            "n=%",
            "n=%4",
            "n=%zz",
            "%=%",
            "n=%E2%82",
            "view=%",
            "view",
            "=&&=",
            "view=pbs&n=%",
            "view=pbs&n=99999999999999999999&r=-0&w=%00",
            "view=conflicts&step=18446744073709551616&a=&b=%FF",
            "view=drill&t=%&doc=%FF&t=1e400",
        ] {
            let _ = page_from_query(q);
        }
        assert_eq!(percent_decode("a%20b+c%"), "a b c%");
    }
}
