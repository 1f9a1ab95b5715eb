//! The Compare view's settings as URL query parameters: `a=sg-us-wallet&b=sg-us-multi-leader&
//! seed=7&duration=30`, and `da=...`/`db=...` for an option whose document was edited (packed by
//! [`crate::url_state::packed`]). A bad value is refused with what is allowed, and its setting
//! keeps its default.

use super::state::{CompareSettings, SideSettings};
use crate::views::scenario::document::{parse_duration, parse_seed};
use crate::views::scenario::query::{document, packed_document, preset_name};

/// The view's parameters, in the order they are written.
pub const KEYS: [&str; 6] = ["a", "b", "seed", "duration", "da", "db"];

/// Applies one decoded parameter to `settings`. `None` when `key` is not one of the view's;
/// otherwise whether `value` was accepted, with the reason and what is allowed when not.
pub fn apply(
    settings: &mut CompareSettings,
    key: &str,
    value: String,
) -> Option<Result<(), String>> {
    let outcome = match key {
        "a" => preset_name(&value).map(|p| settings.a.preset = p.to_string()),
        "b" => preset_name(&value).map(|p| settings.b.preset = p.to_string()),
        "seed" => parse_seed(&value).map(|v| settings.seed = Some(v)),
        "duration" => parse_duration(&value).map(|v| settings.duration_s = Some(v)),
        "da" => document(&value).map(|d| settings.a.document = Some(d)),
        "db" => document(&value).map(|d| settings.b.document = Some(d)),
        _ => return None,
    };
    Some(outcome)
}

/// The view's parameters as `(key, value)` pairs, in [`KEYS`] order, values not yet encoded;
/// seed, duration and documents only when set (documents only when they fit in an address).
pub fn pairs(s: &CompareSettings) -> Vec<(&'static str, String)> {
    let mut out = vec![("a", s.a.preset.clone()), ("b", s.b.preset.clone())];
    if let Some(seed) = s.seed {
        out.push(("seed", seed.to_string()));
    }
    if let Some(d) = s.duration_s {
        out.push(("duration", d.to_string()));
    }
    let packed = |side: &SideSettings| side.document.as_deref().and_then(packed_document);
    if let Some(doc) = packed(&s.a) {
        out.push(("da", doc));
    }
    if let Some(doc) = packed(&s.b) {
        out.push(("db", doc));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_written_key_reads_back() {
        let s = CompareSettings {
            a: SideSettings {
                preset: "quorum-r1w1".into(),
                document: Some("name = \"a\"\n".into()),
            },
            b: SideSettings {
                preset: "quorum-r2w2".into(),
                document: Some("{\"name\": \"b\"}".into()),
            },
            seed: Some(5),
            duration_s: Some(12.5),
        };
        let written = pairs(&s);
        assert_eq!(
            written.iter().map(|(k, _)| *k).collect::<Vec<_>>(),
            KEYS.to_vec()
        );
        let mut back = CompareSettings::default();
        for (key, value) in written {
            assert_eq!(apply(&mut back, key, value), Some(Ok(())));
        }
        assert_eq!(back, s);
    }

    #[test]
    fn bad_values_are_named_and_leave_the_default() {
        let mut s = CompareSettings::default();
        assert!(
            apply(&mut s, "a", "mars".into())
                .unwrap()
                .unwrap_err()
                .contains("unknown preset 'mars'")
        );
        assert!(apply(&mut s, "db", "%%%".into()).unwrap().is_err());
        assert!(apply(&mut s, "seed", "-1".into()).unwrap().is_err());
        assert_eq!(s, CompareSettings::default());
        assert_eq!(apply(&mut s, "preset", "x".into()), None);
    }
}
