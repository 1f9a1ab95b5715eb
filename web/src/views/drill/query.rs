//! The Drill view's settings as URL query parameters: the Scenario view's (`preset`, `seed`,
//! `duration`, `doc` for an edited document) read as that view reads them ([`crate::views::scenario::query`]), and `t`,
//! the scrubbed time in simulated seconds. A bad value is refused with what is allowed, and its
//! setting keeps its default.

use meridian_core::scenario::MAX_DURATION_S;

use super::state::DrillSettings;
use crate::url_state::{PageState, ViewParams};
use crate::views::View;

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

impl ViewParams for DrillSettings {
    const VIEW: View = View::Drill;
    const KEYS: &'static [&'static str] = &["preset", "seed", "duration", "doc", "t"];

    fn apply(&mut self, key: &str, value: String) -> Option<Result<(), String>> {
        match key {
            "t" => Some(parse_time(&value).map(|t| self.t = Some(t))),
            _ => self.scenario.apply(key, value),
        }
    }

    fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = self.scenario.pairs();
        if let Some(t) = self.t {
            out.push(("t", t.to_string()));
        }
        out
    }

    fn in_page(page: &mut PageState) -> &mut Self {
        &mut page.drill
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::url_state::params::assert_reads_back;
    use crate::views::scenario::state::Settings;

    #[test]
    fn every_written_key_reads_back() {
        assert_reads_back(&DrillSettings {
            scenario: Settings {
                preset: "sg-down-reject".into(),
                seed: Some(7),
                duration_s: Some(40.0),
                document: Some("name = \"mine\"\n".into()),
            },
            t: Some(23.5),
        });
    }

    #[test]
    fn bad_values_are_named_and_leave_the_default() {
        let mut s = DrillSettings::default();
        for bad in ["-1", "NaN", "inf", "1e9", "x", ""] {
            let e = s.apply("t", bad.into()).unwrap().unwrap_err();
            assert!(e.starts_with(&format!("time '{bad}'")), "{e}");
        }
        assert!(s.apply("preset", "mars".into()).unwrap().is_err());
        assert!(s.apply("seed", "-3".into()).unwrap().is_err());
        assert_eq!(s, DrillSettings::default());
        assert_eq!(s.apply("speed", "2".into()), None);
    }
}
