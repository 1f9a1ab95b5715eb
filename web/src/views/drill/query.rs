//! The Drill view's settings as URL query parameters: the Scenario view's (`preset`, `seed`,
//! `duration`, `doc` for an edited document) read by [`crate::views::scenario::query`], and `t`,
//! the scrubbed time in simulated seconds. A bad value is refused with what is allowed, and its
//! setting keeps its default.

use meridian_core::scenario::MAX_DURATION_S;

use super::state::DrillSettings;
use crate::views::scenario::query as scenario_query;

/// The view's parameters, in the order they are written.
pub const KEYS: [&str; 5] = ["preset", "seed", "duration", "doc", "t"];

/// Reads the scrubbed time: simulated seconds from 0 to [`MAX_DURATION_S`] (the view keeps it
/// within the run).
pub fn parse_time(value: &str) -> Result<f64, String> {
    let t = value.trim();
    match t.parse::<f64>() {
        Ok(v) if v.is_finite() && (0.0..=MAX_DURATION_S).contains(&v) => Ok(v),
        _ => Err(format!(
            "time '{t}': expected simulated seconds from 0 to {MAX_DURATION_S}"
        )),
    }
}

/// Applies one decoded parameter to `settings`. `None` when `key` is not one of the view's;
/// otherwise whether `value` was accepted, with the reason and what is allowed when not.
pub fn apply(settings: &mut DrillSettings, key: &str, value: String) -> Option<Result<(), String>> {
    match key {
        "t" => Some(parse_time(&value).map(|t| settings.t = Some(t))),
        _ => scenario_query::apply(&mut settings.scenario, key, value),
    }
}

/// The view's parameters as `(key, value)` pairs, in [`KEYS`] order, values not yet encoded.
pub fn pairs(s: &DrillSettings) -> Vec<(&'static str, String)> {
    let mut out = scenario_query::pairs(&s.scenario);
    if let Some(t) = s.t {
        out.push(("t", t.to_string()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::views::scenario::state::Settings;

    #[test]
    fn every_written_key_reads_back() {
        let s = DrillSettings {
            scenario: Settings {
                preset: "sg-down-reject".into(),
                seed: Some(7),
                duration_s: Some(40.0),
                document: Some("name = \"mine\"\n".into()),
            },
            t: Some(23.5),
        };
        let written = pairs(&s);
        assert_eq!(
            written.iter().map(|(k, _)| *k).collect::<Vec<_>>(),
            KEYS.to_vec()
        );
        let mut back = DrillSettings::default();
        for (key, value) in written {
            assert_eq!(apply(&mut back, key, value), Some(Ok(())));
        }
        assert_eq!(back, s);
    }

    #[test]
    fn bad_values_are_named_and_leave_the_default() {
        let mut s = DrillSettings::default();
        for bad in ["-1", "NaN", "inf", "1e9", "x", ""] {
            let e = apply(&mut s, "t", bad.into()).unwrap().unwrap_err();
            assert!(e.starts_with(&format!("time '{bad}'")), "{e}");
        }
        assert!(apply(&mut s, "preset", "mars".into()).unwrap().is_err());
        assert!(apply(&mut s, "seed", "-3".into()).unwrap().is_err());
        assert_eq!(s, DrillSettings::default());
        assert_eq!(apply(&mut s, "speed", "2".into()), None);
    }
}
