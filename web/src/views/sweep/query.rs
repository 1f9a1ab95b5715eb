//! The Sweep view's settings as address parameters: `preset=quorum-r1w1&x=replication.r%3D1%2C2
//! &y=replication.w%3D1%2C2&metric=staleness_p99_ms&seeds=2&duration=5`, so a link reproduces
//! the sweep. A bad value is refused with what is allowed and its setting keeps its default; a
//! field the preset does not have is named once every parameter is in ([`check`]).

use super::settings::{
    Settings, parse_duration, parse_field, parse_metric_name, parse_preset, parse_seeds, plan,
};

/// The view's parameters, in the order they are written.
pub const KEYS: [&str; 6] = ["preset", "x", "y", "metric", "seeds", "duration"];

/// Applies one decoded parameter to `settings`. `None` when `key` is not one of the view's;
/// otherwise whether `value` was accepted, with the reason and what is allowed when not.
pub fn apply(settings: &mut Settings, key: &str, value: String) -> Option<Result<(), String>> {
    let outcome = match key {
        "preset" => parse_preset(&value).map(|p| settings.preset = p),
        "x" => parse_field(&value).map(|_| settings.x = value.trim().to_string()),
        "y" if value.trim().is_empty() => {
            settings.y = None;
            Ok(())
        }
        "y" => parse_field(&value).map(|_| settings.y = Some(value.trim().to_string())),
        "metric" => parse_metric_name(&value).map(|m| settings.metric = m),
        "seeds" => parse_seeds(&value).map(|n| settings.seeds = n),
        "duration" => parse_duration(&value).map(|d| settings.duration_s = d),
        _ => return None,
    };
    Some(outcome)
}

/// Checks the sweep as a whole once all parameters are in: a field the preset does not have, a
/// value it refuses or a grid past the page's runs falls back to the default sweep, with a
/// message naming the parameter (`(key, message)` pairs).
pub fn check(settings: &mut Settings) -> Vec<(&'static str, String)> {
    let Err(errors) = plan(settings) else {
        return Vec::new();
    };
    let problems: Vec<(&'static str, String)> = [
        ("preset", errors.preset),
        ("x", errors.x),
        ("y", errors.y),
        ("metric", errors.metric),
        ("seeds", errors.seeds),
        ("duration", errors.duration),
        ("x", errors.grid),
    ]
    .into_iter()
    .filter_map(|(key, e)| e.map(|e| (key, e)))
    .collect();
    *settings = Settings::default();
    problems
}

/// The view's parameters as `(key, value)` pairs, in [`KEYS`] order, values not yet encoded;
/// `y` only with a second field.
pub fn pairs(s: &Settings) -> Vec<(&'static str, String)> {
    let mut out = vec![("preset", s.preset.clone()), ("x", s.x.clone())];
    if let Some(y) = &s.y {
        out.push(("y", y.clone()));
    }
    out.extend([
        ("metric", s.metric.clone()),
        ("seeds", s.seeds.to_string()),
        ("duration", s.duration_s.to_string()),
    ]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_written_key_reads_back() {
        let s = Settings {
            preset: "quorum-r2w2".into(),
            x: "replication.r=1,2".into(),
            y: Some("replication.w=1..3:1".into()),
            metric: "read_p95_ms".into(),
            seeds: 3,
            duration_s: 2.5,
        };
        let written = pairs(&s);
        assert_eq!(
            written.iter().map(|(k, _)| *k).collect::<Vec<_>>(),
            KEYS.to_vec()
        );
        let mut back = Settings::default();
        for (key, value) in written {
            assert_eq!(apply(&mut back, key, value), Some(Ok(())));
        }
        assert!(check(&mut back).is_empty());
        assert_eq!(back, s);
        let one = Settings {
            y: None,
            ..s.clone()
        };
        assert!(!pairs(&one).iter().any(|(k, _)| *k == "y"));
        let mut back = s;
        assert_eq!(apply(&mut back, "y", String::new()), Some(Ok(())));
        assert_eq!(back.y, None);
    }

    #[test]
    fn bad_values_are_named_and_leave_the_default() {
        let mut s = Settings::default();
        for (key, value, expected) in [
            ("preset", "mars", "unknown preset 'mars'"),
            ("x", "replication.r", "expected PATH=VALUES"),
            ("y", "replication.w=", "no values"),
            ("metric", "p99", "unknown metric 'p99'"),
            ("seeds", "9", "seeds '9'"),
            ("duration", "-1", "duration '-1'"),
        ] {
            let e = apply(&mut s, key, value.into()).unwrap().unwrap_err();
            assert!(e.contains(expected), "{key}={value}: {e}");
        }
        assert_eq!(s, Settings::default());
        assert_eq!(apply(&mut s, "r", "3".into()), None);
    }

    #[test]
    fn a_field_the_preset_lacks_is_named_and_the_default_sweep_shown() {
        let mut s = Settings::default();
        assert_eq!(apply(&mut s, "x", "replication.q=1,2".into()), Some(Ok(())));
        let problems = check(&mut s);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].0, "x");
        assert!(
            problems[0].1.contains("no field 'replication.q'"),
            "{problems:?}"
        );
        assert_eq!(s, Settings::default());
    }
}
