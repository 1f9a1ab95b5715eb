//! The Scenario view's settings as URL query parameters (`preset=aws8-single-leader&seed=7&
//! duration=30`, and `doc=...` with an edited document, packed by [`crate::url_state::packed`]).
//! A bad value is refused with what is allowed, and its setting keeps its default.

use meridian_core::scenario::{PRESETS, Scenario};

use super::document::{parse_duration, parse_seed};
use super::state::Settings;
use crate::url_state::packed::{MAX_PACKED_CHARS, pack, unpack};
use crate::url_state::{PageState, ViewParams};
use crate::views::View;

/// Reads a `preset` parameter: the name of a shipped preset (any case), or what is allowed.
pub fn preset_name(value: &str) -> Result<&'static str, String> {
    PRESETS
        .iter()
        .find(|p| p.name.eq_ignore_ascii_case(value.trim()))
        .map(|p| p.name)
        .ok_or_else(|| {
            Scenario::preset(value)
                .err()
                .map_or_else(|| "unknown preset".to_string(), |e| e.to_string())
        })
}

/// Reads a packed document parameter, saying what is wrong with a damaged one.
pub fn document(value: &str) -> Result<String, String> {
    unpack(value).map_err(|e| format!("{e}; the preset's own document is shown"))
}

/// The packed form of `document` for the address, when it is short enough to keep there.
pub fn packed_document(document: &str) -> Option<String> {
    Some(pack(document)).filter(|p| p.len() <= MAX_PACKED_CHARS)
}

impl ViewParams for Settings {
    const VIEW: View = View::Scenario;
    const KEYS: &'static [&'static str] = &["preset", "seed", "duration", "doc"];

    fn apply(&mut self, key: &str, value: String) -> Option<Result<(), String>> {
        let outcome = match key {
            "preset" => preset_name(&value).map(|p| self.preset = p.to_string()),
            "seed" => parse_seed(&value).map(|v| self.seed = Some(v)),
            "duration" => parse_duration(&value).map(|v| self.duration_s = Some(v)),
            "doc" => document(&value).map(|d| self.document = Some(d)),
            _ => return None,
        };
        Some(outcome)
    }

    /// The preset, then the seed, duration and document only when set (and the document only
    /// when it fits, see [`packed_document`]).
    fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = vec![("preset", self.preset.clone())];
        if let Some(seed) = self.seed {
            out.push(("seed", seed.to_string()));
        }
        if let Some(d) = self.duration_s {
            out.push(("duration", d.to_string()));
        }
        if let Some(doc) = self.document.as_deref().and_then(packed_document) {
            out.push(("doc", doc));
        }
        out
    }

    fn in_page(page: &mut PageState) -> &mut Self {
        &mut page.scenario
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::url_state::params::assert_reads_back;

    #[test]
    fn every_written_key_reads_back() {
        assert_reads_back(&Settings {
            preset: "aws8-multi-leader".into(),
            seed: Some(123),
            duration_s: Some(2.5),
            document: Some("name = \"mine\"\n# edited\n".into()),
        });
    }

    #[test]
    fn bad_values_are_named_and_leave_the_default() {
        let mut s = Settings::default();
        let e = s.apply("preset", "<b>".into()).unwrap().unwrap_err();
        assert!(
            e.contains("unknown preset '<b>'; available: sg-us-wallet"),
            "{e}"
        );
        assert!(s.apply("seed", "1e3".into()).unwrap().is_err());
        assert!(s.apply("duration", "-4".into()).unwrap().is_err());
        let cut = pack(PRESETS[0].toml)[..40].to_string();
        let e = s.apply("doc", cut).unwrap().unwrap_err();
        assert!(e.contains("the preset's own document is shown"), "{e}");
        assert_eq!(s, Settings::default());
        assert_eq!(s.apply("client", "SG".into()), None);
    }
}
