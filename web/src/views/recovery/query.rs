//! The Recovery view's settings as URL query parameters
//! (`preset=delivery-down-10m&seed=1`, and for an edited outage only what differs from the
//! preset's: `service`, `kind`, `at`, `for`, `error_rate`, `extra_ms`; `service=none` for no
//! outage). A bad value is refused with what is allowed, and its setting keeps its default.
//! The start is checked against the preset's run once every parameter has been read
//! ([`check`]), so the parameters may come in any order.

use super::settings::{
    Settings, kind_name, parse_error_rate, parse_extra_ms, parse_for, parse_kind, parse_preset,
    parse_seed, parse_service, run_end_s, service_name,
};

/// The view's parameters, in the order they are written.
pub const KEYS: [&str; 8] = [
    "preset",
    "seed",
    "service",
    "kind",
    "at",
    "for",
    "error_rate",
    "extra_ms",
];

/// Applies one decoded parameter to `settings`. `None` when `key` is not one of the view's;
/// otherwise whether `value` was accepted, with the reason and what is allowed when not.
pub fn apply(settings: &mut Settings, key: &str, value: String) -> Option<Result<(), String>> {
    let e = &mut settings.edit;
    let outcome = match key {
        "preset" => parse_preset(&value).map(|p| settings.preset = p),
        "seed" => parse_seed(&value).map(|s| settings.seed = s),
        "service" => parse_service(&value).map(|s| e.service = Some(s)),
        "kind" => parse_kind(&value).map(|k| e.kind = Some(k)),
        // The start's upper bound depends on the preset: checked by `check`.
        "at" => match value.trim().parse::<f64>() {
            Ok(v) if v.is_finite() && v >= 0.0 => {
                e.at_s = Some(v);
                Ok(())
            }
            _ => Err(format!(
                "start '{value}': expected a number of seconds from 0 to the run's end"
            )),
        },
        "for" => parse_for(&value).map(|v| e.for_s = Some(v)),
        "error_rate" => parse_error_rate(&value).map(|v| e.error_rate = Some(v)),
        "extra_ms" => parse_extra_ms(&value).map(|v| e.extra_ms = Some(v)),
        _ => return None,
    };
    Some(outcome)
}

/// Holds the outage's start to the preset's run once all parameters are in: a start after the
/// run's end falls back to the preset's, with a message naming it (`(key, message)` pairs).
pub fn check(settings: &mut Settings) -> Vec<(&'static str, String)> {
    let end = run_end_s(&settings.preset);
    match settings.edit.at_s {
        Some(at) if at > end => {
            settings.edit.at_s = None;
            vec![(
                "at",
                format!(
                    "start '{at}': expected a number of seconds from 0 to {end} (the run's end)"
                ),
            )]
        }
        _ => Vec::new(),
    }
}

/// The view's parameters as `(key, value)` pairs, in [`KEYS`] order, values not yet encoded:
/// the preset and seed, then only the outage's edited fields.
pub fn pairs(s: &Settings) -> Vec<(&'static str, String)> {
    let e = &s.edit;
    let mut out = vec![("preset", s.preset.clone()), ("seed", s.seed.to_string())];
    if let Some(service) = e.service {
        out.push(("service", service_name(service).to_string()));
    }
    if let Some(k) = e.kind {
        out.push(("kind", kind_name(k).to_string()));
    }
    for (key, v) in [
        ("at", e.at_s),
        ("for", e.for_s),
        ("error_rate", e.error_rate),
        ("extra_ms", e.extra_ms),
    ] {
        if let Some(v) = v {
            out.push((key, v.to_string()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::views::recovery::settings::{ORDER_FLOW, OutageEdit};
    use meridian_core::reliability::scenario::{OutageKind, ServiceName};

    #[test]
    fn every_written_key_reads_back() {
        let s = Settings {
            preset: ORDER_FLOW.into(),
            seed: 7,
            edit: OutageEdit {
                service: Some(Some(ServiceName::Product)),
                kind: Some(OutageKind::Degraded),
                at_s: Some(100.5),
                for_s: Some(90.0),
                error_rate: Some(0.25),
                extra_ms: Some(10.0),
            },
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
        // A preset's own outage writes only the preset and the seed.
        assert_eq!(
            pairs(&Settings::default()),
            [
                ("preset", "delivery-down-10m".to_string()),
                ("seed", "1".to_string())
            ]
        );
    }

    #[test]
    fn bad_values_are_named_and_leave_the_default() {
        let mut s = Settings::default();
        for (key, value, expected) in [
            ("preset", "mars", "unknown recovery preset 'mars'"),
            ("seed", "x", "seed 'x'"),
            ("service", "cache", "service 'cache'"),
            ("kind", "gone", "kind 'gone'"),
            ("at", "-1", "start '-1'"),
            ("for", "0", "length '0'"),
            ("error_rate", "2", "error rate '2'"),
            ("extra_ms", "fast", "added latency 'fast'"),
        ] {
            let e = apply(&mut s, key, value.into()).unwrap().unwrap_err();
            assert!(e.contains(expected), "{key}={value}: {e}");
        }
        assert_eq!(s, Settings::default());
        assert_eq!(apply(&mut s, "n", "3".into()), None);
    }

    #[test]
    fn a_start_after_the_run_is_named_in_any_order() {
        let mut s = Settings::default();
        for (key, value) in [("at", "5000"), ("preset", "queue-down-2m")] {
            assert_eq!(apply(&mut s, key, value.into()), Some(Ok(())));
        }
        let problems = check(&mut s);
        assert_eq!(problems.len(), 1);
        assert!(problems[0].1.contains("start '5000'"), "{problems:?}");
        assert_eq!(s.edit.at_s, None);
    }
}
