//! The PBS view's settings as URL query parameters (`preset=lnkd-disk&n=3&r=1&w=1&
//! target=0.999`). A bad value is refused with what is allowed, and its setting keeps its
//! default. `R` and `W` are checked against `N` once every parameter has been read
//! ([`check`]), so the parameters may come in any order.

use super::settings::{MAX_N, Settings, parse_n, parse_preset, parse_quorum, parse_target};

/// The view's parameters, in the order they are written.
pub const KEYS: [&str; 5] = ["preset", "n", "r", "w", "target"];

/// Applies one decoded parameter to `settings`. `None` when `key` is not one of the view's;
/// otherwise whether `value` was accepted, with the reason and what is allowed when not.
/// `r` and `w` are only checked against [`MAX_N`] here; [`check`] holds them to `n`.
pub fn apply(settings: &mut Settings, key: &str, value: String) -> Option<Result<(), String>> {
    let outcome = match key {
        "preset" => parse_preset(&value).map(|p| settings.preset = p),
        "n" => parse_n(&value).map(|n| settings.n = n),
        "r" => parse_quorum("R", &value, MAX_N).map(|r| settings.r = r),
        "w" => parse_quorum("W", &value, MAX_N).map(|w| settings.w = w),
        "target" => parse_target(&value).map(|t| settings.target = t),
        _ => return None,
    };
    Some(outcome)
}

/// Holds `R` and `W` to `N` once all parameters are in: each one larger than `N` falls back to
/// its default, with a message naming it (`(key, message)` pairs).
pub fn check(settings: &mut Settings) -> Vec<(&'static str, String)> {
    let n = settings.n;
    let default = Settings::default();
    let mut problems = Vec::new();
    for (key, name, q, fallback) in [
        ("r", "R", &mut settings.r, default.r),
        ("w", "W", &mut settings.w, default.w),
    ] {
        if let Err(e) = parse_quorum(name, &q.to_string(), n) {
            problems.push((key, e));
            *q = fallback.min(n);
        }
    }
    problems
}

/// The view's parameters as `(key, value)` pairs, in [`KEYS`] order, values not yet encoded.
pub fn pairs(s: &Settings) -> Vec<(&'static str, String)> {
    vec![
        ("preset", s.preset.name().to_string()),
        ("n", s.n.to_string()),
        ("r", s.r.to_string()),
        ("w", s.w.to_string()),
        ("target", s.target.to_string()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use meridian_core::pbs::Preset;

    #[test]
    fn every_written_key_reads_back() {
        let s = Settings {
            preset: Preset::Wan,
            n: 5,
            r: 2,
            w: 3,
            target: 0.95,
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
        assert!(check(&mut back).is_empty());
        assert_eq!(back, s);
    }

    #[test]
    fn bad_values_are_named_and_leave_the_default() {
        let mut s = Settings::default();
        for (key, value, expected) in [
            ("preset", "ssd", "unknown latency fit 'ssd'"),
            ("n", "0", "N '0': expected a whole number from 1 to 16"),
            ("n", "65", "N '65'"),
            ("r", "x", "R 'x'"),
            ("w", "-1", "W '-1'"),
            ("target", "1.5", "target '1.5'"),
            ("target", "0", "target '0'"),
        ] {
            let e = apply(&mut s, key, value.into()).unwrap().unwrap_err();
            assert!(e.contains(expected), "{key}={value}: {e}");
        }
        assert_eq!(s, Settings::default());
        assert_eq!(apply(&mut s, "example", "wallet".into()), None);
    }

    #[test]
    fn quorums_larger_than_n_are_named_in_any_order() {
        let mut s = Settings::default();
        for (key, value) in [("r", "5"), ("w", "2"), ("n", "4")] {
            assert_eq!(apply(&mut s, key, value.into()), Some(Ok(())));
        }
        let problems = check(&mut s);
        assert_eq!(
            problems,
            [(
                "r",
                "R '5': expected a whole number from 1 to N (4)".to_string()
            )]
        );
        assert_eq!((s.n, s.r, s.w), (4, 1, 2));
    }
}
