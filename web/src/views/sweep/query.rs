//! The Sweep view's settings as address parameters: `preset=quorum-r1w1&x=replication.r%3D1%2C2
//! &y=replication.w%3D1%2C2&metric=staleness_p99_ms&seeds=2&duration=5`, so a link reproduces
//! the sweep. A bad value is refused with what is allowed and its setting keeps its default; a
//! field the preset does not have is named once every parameter is in
//! ([`ViewParams::check`]).

use super::settings::{
    Settings, parse_duration, parse_field, parse_metric_name, parse_preset, parse_seeds, plan,
};
use crate::url_state::{PageState, ViewParams};
use crate::views::View;

impl ViewParams for Settings {
    const VIEW: View = View::Sweep;
    const KEYS: &'static [&'static str] = &["preset", "x", "y", "metric", "seeds", "duration"];

    fn apply(&mut self, key: &str, value: String) -> Option<Result<(), String>> {
        let outcome = match key {
            "preset" => parse_preset(&value).map(|p| self.preset = p),
            "x" => parse_field(&value).map(|_| self.x = value.trim().to_string()),
            "y" if value.trim().is_empty() => {
                self.y = None;
                Ok(())
            }
            "y" => parse_field(&value).map(|_| self.y = Some(value.trim().to_string())),
            "metric" => parse_metric_name(&value).map(|m| self.metric = m),
            "seeds" => parse_seeds(&value).map(|n| self.seeds = n),
            "duration" => parse_duration(&value).map(|d| self.duration_s = d),
            _ => return None,
        };
        Some(outcome)
    }

    /// Checks the sweep as a whole: a field the preset does not have, a value it refuses or a
    /// grid past the page's runs falls back to the default sweep.
    fn check(&mut self) -> Vec<(&'static str, String)> {
        let Err(errors) = plan(self) else {
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
        *self = Settings::default();
        problems
    }

    /// `y` only with a second field.
    fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = vec![("preset", self.preset.clone()), ("x", self.x.clone())];
        if let Some(y) = &self.y {
            out.push(("y", y.clone()));
        }
        out.extend([
            ("metric", self.metric.clone()),
            ("seeds", self.seeds.to_string()),
            ("duration", self.duration_s.to_string()),
        ]);
        out
    }

    fn in_page(page: &mut PageState) -> &mut Self {
        &mut page.sweep
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::url_state::params::assert_reads_back;

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
        assert_reads_back(&s);
        let one = Settings {
            y: None,
            ..s.clone()
        };
        assert!(!one.pairs().iter().any(|(k, _)| *k == "y"));
        let mut back = s;
        assert_eq!(back.apply("y", String::new()), Some(Ok(())));
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
            let e = s.apply(key, value.into()).unwrap().unwrap_err();
            assert!(e.contains(expected), "{key}={value}: {e}");
        }
        assert_eq!(s, Settings::default());
        assert_eq!(s.apply("r", "3".into()), None);
    }

    #[test]
    fn a_field_the_preset_lacks_is_named_and_the_default_sweep_shown() {
        let mut s = Settings::default();
        assert_eq!(s.apply("x", "replication.q=1,2".into()), Some(Ok(())));
        let problems = s.check();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].0, "x");
        assert!(
            problems[0].1.contains("no field 'replication.q'"),
            "{problems:?}"
        );
        assert_eq!(s, Settings::default());
    }
}
