//! The Scenario view's settings as URL query parameters (`preset=aws8-single-leader&seed=7&
//! duration=30`, and `doc=...` with an edited document, packed by [`crate::url_state::packed`]).
//! A bad value is refused with what is allowed, and its setting keeps its default.

use meridian_core::scenario::{PRESETS, Scenario};

use super::document::{parse_duration, parse_seed};
use super::state::Settings;
use crate::url_state::packed::{MAX_PACKED_CHARS, pack, unpack};

/// The view's parameters, in the order they are written.
pub const KEYS: [&str; 4] = ["preset", "seed", "duration", "doc"];

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

/// Applies one decoded parameter to `settings`. `None` when `key` is not one of the view's;
/// otherwise whether `value` was accepted, with the reason and what is allowed when not.
pub fn apply(settings: &mut Settings, key: &str, value: String) -> Option<Result<(), String>> {
    let outcome = match key {
        "preset" => preset_name(&value).map(|p| settings.preset = p.to_string()),
        "seed" => parse_seed(&value).map(|v| settings.seed = Some(v)),
        "duration" => parse_duration(&value).map(|v| settings.duration_s = Some(v)),
        "doc" => document(&value).map(|d| settings.document = Some(d)),
        _ => return None,
    };
    Some(outcome)
}

/// The view's parameters as `(key, value)` pairs, in [`KEYS`] order, values not yet encoded;
/// seed, duration and document only when set (and the document only when it fits, see
/// [`packed_document`]).
pub fn pairs(s: &Settings) -> Vec<(&'static str, String)> {
    let mut out = vec![("preset", s.preset.clone())];
    if let Some(seed) = s.seed {
        out.push(("seed", seed.to_string()));
    }
    if let Some(d) = s.duration_s {
        out.push(("duration", d.to_string()));
    }
    if let Some(doc) = s.document.as_deref().and_then(packed_document) {
        out.push(("doc", doc));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_written_key_reads_back() {
        let s = Settings {
            preset: "aws8-multi-leader".into(),
            seed: Some(123),
            duration_s: Some(2.5),
            document: Some("name = \"mine\"\n# edited\n".into()),
        };
        let mut back = Settings::default();
        let written = pairs(&s);
        assert_eq!(
            written.iter().map(|(k, _)| *k).collect::<Vec<_>>(),
            KEYS.to_vec()
        );
        for (key, value) in written {
            assert_eq!(apply(&mut back, key, value), Some(Ok(())));
        }
        assert_eq!(back, s);
    }

    #[test]
    fn bad_values_are_named_and_leave_the_default() {
        let mut s = Settings::default();
        let e = apply(&mut s, "preset", "<b>".into()).unwrap().unwrap_err();
        assert!(
            e.contains("unknown preset '<b>'; available: sg-us-wallet"),
            "{e}"
        );
        assert!(apply(&mut s, "seed", "1e3".into()).unwrap().is_err());
        assert!(apply(&mut s, "duration", "-4".into()).unwrap().is_err());
        let cut = pack(PRESETS[0].toml)[..40].to_string();
        let e = apply(&mut s, "doc", cut).unwrap().unwrap_err();
        assert!(e.contains("the preset's own document is shown"), "{e}");
        assert_eq!(s, Settings::default());
        assert_eq!(apply(&mut s, "client", "SG".into()), None);
    }
}
