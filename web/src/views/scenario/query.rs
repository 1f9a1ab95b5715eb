//! The Scenario view's settings as URL query parameters (`preset=aws8-single-leader&seed=7&
//! duration=30`). A bad value is refused with what is allowed, and its setting keeps its default.

use meridian_core::scenario::{PRESETS, Scenario};

use super::document::{parse_duration, parse_seed};
use super::state::Settings;

/// The view's parameters, in the order they are written.
pub const KEYS: [&str; 3] = ["preset", "seed", "duration"];

/// Applies one decoded parameter to `settings`. `None` when `key` is not one of the view's;
/// otherwise whether `value` was accepted, with the reason and what is allowed when not.
pub fn apply(settings: &mut Settings, key: &str, value: String) -> Option<Result<(), String>> {
    let outcome = match key {
        "preset" => match PRESETS
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case(value.trim()))
        {
            Some(p) => {
                settings.preset = p.name.to_string();
                Ok(())
            }
            None => Err(Scenario::preset(&value)
                .err()
                .map_or_else(|| "unknown preset".to_string(), |e| e.to_string())),
        },
        "seed" => parse_seed(&value).map(|v| settings.seed = Some(v)),
        "duration" => parse_duration(&value).map(|v| settings.duration_s = Some(v)),
        _ => return None,
    };
    Some(outcome)
}

/// The view's parameters as `(key, value)` pairs, in [`KEYS`] order, values not yet encoded;
/// seed and duration only when set.
pub fn pairs(s: &Settings) -> Vec<(&'static str, String)> {
    let mut out = vec![("preset", s.preset.clone())];
    if let Some(seed) = s.seed {
        out.push(("seed", seed.to_string()));
    }
    if let Some(d) = s.duration_s {
        out.push(("duration", d.to_string()));
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
        assert_eq!(s, Settings::default());
        assert_eq!(apply(&mut s, "client", "SG".into()), None);
    }
}
