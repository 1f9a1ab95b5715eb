//! The merge walkthroughs the Conflicts view steps through, as meridian-core ran them when the
//! page was built (see `web/build.rs`): the same values [`meridian_core::walkthrough::walkthrough`]
//! gives, read from embedded JSON, so the page's wasm carries no resolver or CRDT code.

use std::sync::OnceLock;

use meridian_core::walkthrough::Walkthrough;

/// The walkthroughs' JSON, written by the build script.
const JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/walkthroughs.json"));

/// Every walkthrough, in core's [`meridian_core::walkthrough::EXAMPLES`] order.
pub fn all() -> &'static [Walkthrough] {
    static RUNS: OnceLock<Vec<Walkthrough>> = OnceLock::new();
    // The build script wrote this JSON from the same types, so it always reads back; an empty
    // list (the view then says it has nothing to show) is the fallback, never a panic.
    RUNS.get_or_init(|| serde_json::from_str(JSON).unwrap_or_default())
}

/// The walkthrough called `name` (any case; `clock_skew` for `clock-skew`), as core names them.
pub fn walkthrough(name: &str) -> Option<Walkthrough> {
    let wanted = name.trim().to_ascii_lowercase().replace('_', "-");
    all().iter().find(|w| w.name == wanted).cloned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use meridian_core::walkthrough::{EXAMPLES, walkthrough as run};

    #[test]
    fn the_recorded_runs_are_cores() {
        assert_eq!(all().len(), EXAMPLES.len());
        for e in EXAMPLES {
            assert_eq!(walkthrough(e.name), run(e.name), "{}", e.name);
        }
        assert_eq!(walkthrough(" Clock_Skew "), run("clock-skew"));
        assert_eq!(walkthrough("nope"), None);
    }
}
