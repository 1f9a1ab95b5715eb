//! The Recovery view's settings as URL query parameters
//! (`preset=delivery-down-10m&seed=1`, and for an edited outage only what differs from the
//! preset's: `service`, `kind`, `at`, `for`, `error_rate`, `extra_ms`; `service=none` for no
//! outage). A bad value is refused with what is allowed, and its setting keeps its default.
//! The start is checked against the preset's run once every parameter has been read
//! ([`ViewParams::check`]), so the parameters may come in any order.

use super::settings::{
    Settings, kind_name, parse_error_rate, parse_extra_ms, parse_for, parse_kind, parse_preset,
    parse_seed, parse_service, run_end_s, service_name,
};
use crate::url_state::{PageState, ViewParams};
use crate::views::View;

impl ViewParams for Settings {
    const VIEW: View = View::Recovery;
    const KEYS: &'static [&'static str] = &[
        "preset",
        "seed",
        "service",
        "kind",
        "at",
        "for",
        "error_rate",
        "extra_ms",
    ];

    fn apply(&mut self, key: &str, value: String) -> Option<Result<(), String>> {
        let e = &mut self.edit;
        let outcome = match key {
            "preset" => parse_preset(&value).map(|p| self.preset = p),
            "seed" => parse_seed(&value).map(|s| self.seed = s),
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

    /// Holds the outage's start to the preset's run: a start after the run's end falls back to
    /// the preset's.
    fn check(&mut self) -> Vec<(&'static str, String)> {
        let end = run_end_s(&self.preset);
        match self.edit.at_s {
            Some(at) if at > end => {
                self.edit.at_s = None;
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

    /// The preset and seed, then only the outage's edited fields.
    fn pairs(&self) -> Vec<(&'static str, String)> {
        let e = &self.edit;
        let mut out = vec![
            ("preset", self.preset.clone()),
            ("seed", self.seed.to_string()),
        ];
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

    fn in_page(page: &mut PageState) -> &mut Self {
        &mut page.recovery
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::url_state::params::assert_reads_back;
    use crate::views::recovery::settings::{ORDER_FLOW, OutageEdit};
    use meridian_core::reliability::scenario::{OutageKind, ServiceName};

    #[test]
    fn every_written_key_reads_back() {
        assert_reads_back(&Settings {
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
        });
        // A preset's own outage writes only the preset and the seed.
        assert_eq!(
            Settings::default().pairs(),
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
            let e = s.apply(key, value.into()).unwrap().unwrap_err();
            assert!(e.contains(expected), "{key}={value}: {e}");
        }
        assert_eq!(s, Settings::default());
        assert_eq!(s.apply("n", "3".into()), None);
    }

    #[test]
    fn a_start_after_the_run_is_named_in_any_order() {
        let mut s = Settings::default();
        for (key, value) in [("at", "5000"), ("preset", "queue-down-2m")] {
            assert_eq!(s.apply(key, value.into()), Some(Ok(())));
        }
        let problems = s.check();
        assert_eq!(problems.len(), 1);
        assert!(problems[0].1.contains("start '5000'"), "{problems:?}");
        assert_eq!(s.edit.at_s, None);
    }
}
