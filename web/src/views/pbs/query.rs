//! The PBS view's settings as URL query parameters (`preset=lnkd-disk&n=3&r=1&w=1&
//! target=0.999`). A bad value is refused with what is allowed, and its setting keeps its
//! default. `R` and `W` are checked against `N` once every parameter has been read
//! ([`ViewParams::check`]), so the parameters may come in any order.

use super::settings::{MAX_N, Settings, parse_n, parse_preset, parse_quorum, parse_target};
use crate::url_state::{PageState, ViewParams};
use crate::views::View;

impl ViewParams for Settings {
    const VIEW: View = View::Pbs;
    const KEYS: &'static [&'static str] = &["preset", "n", "r", "w", "target"];

    /// `r` and `w` are only checked against [`MAX_N`] here; [`Self::check`] holds them to `n`.
    fn apply(&mut self, key: &str, value: String) -> Option<Result<(), String>> {
        let outcome = match key {
            "preset" => parse_preset(&value).map(|p| self.preset = p),
            "n" => parse_n(&value).map(|n| self.n = n),
            "r" => parse_quorum("R", &value, MAX_N).map(|r| self.r = r),
            "w" => parse_quorum("W", &value, MAX_N).map(|w| self.w = w),
            "target" => parse_target(&value).map(|t| self.target = t),
            _ => return None,
        };
        Some(outcome)
    }

    /// Holds `R` and `W` to `N`: each one larger than `N` falls back to its default.
    fn check(&mut self) -> Vec<(&'static str, String)> {
        let n = self.n;
        let default = Settings::default();
        let mut problems = Vec::new();
        for (key, name, q, fallback) in [
            ("r", "R", &mut self.r, default.r),
            ("w", "W", &mut self.w, default.w),
        ] {
            if let Err(e) = parse_quorum(name, &q.to_string(), n) {
                problems.push((key, e));
                *q = fallback.min(n);
            }
        }
        problems
    }

    fn pairs(&self) -> Vec<(&'static str, String)> {
        vec![
            ("preset", self.preset.name().to_string()),
            ("n", self.n.to_string()),
            ("r", self.r.to_string()),
            ("w", self.w.to_string()),
            ("target", self.target.to_string()),
        ]
    }

    fn in_page(page: &mut PageState) -> &mut Self {
        &mut page.pbs
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::url_state::params::assert_reads_back;
    use meridian_core::pbs::Preset;

    #[test]
    fn every_written_key_reads_back() {
        assert_reads_back(&Settings {
            preset: Preset::Wan,
            n: 5,
            r: 2,
            w: 3,
            target: 0.95,
        });
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
            let e = s.apply(key, value.into()).unwrap().unwrap_err();
            assert!(e.contains(expected), "{key}={value}: {e}");
        }
        assert_eq!(s, Settings::default());
        assert_eq!(s.apply("example", "wallet".into()), None);
    }

    #[test]
    fn quorums_larger_than_n_are_named_in_any_order() {
        let mut s = Settings::default();
        for (key, value) in [("r", "5"), ("w", "2"), ("n", "4")] {
            assert_eq!(s.apply(key, value.into()), Some(Ok(())));
        }
        let problems = s.check();
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
