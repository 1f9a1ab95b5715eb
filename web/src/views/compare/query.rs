//! The Compare view's settings as URL query parameters: `a=sg-us-wallet&b=sg-us-multi-leader&
//! seed=7&duration=30`, and `da=...`/`db=...` for an option whose document was edited (packed by
//! [`crate::url_state::packed`]). A bad value is refused with what is allowed, and its setting
//! keeps its default.

use super::state::{CompareSettings, SideSettings};
use crate::url_state::{PageState, ViewParams};
use crate::views::View;
use crate::views::scenario::document::{parse_duration, parse_seed};
use crate::views::scenario::query::{document, packed_document, preset_name};

impl ViewParams for CompareSettings {
    const VIEW: View = View::Compare;
    const KEYS: &'static [&'static str] = &["a", "b", "seed", "duration", "da", "db"];

    fn apply(&mut self, key: &str, value: String) -> Option<Result<(), String>> {
        let outcome = match key {
            "a" => preset_name(&value).map(|p| self.a.preset = p.to_string()),
            "b" => preset_name(&value).map(|p| self.b.preset = p.to_string()),
            "seed" => parse_seed(&value).map(|v| self.seed = Some(v)),
            "duration" => parse_duration(&value).map(|v| self.duration_s = Some(v)),
            "da" => document(&value).map(|d| self.a.document = Some(d)),
            "db" => document(&value).map(|d| self.b.document = Some(d)),
            _ => return None,
        };
        Some(outcome)
    }

    /// Both presets, then the seed, duration and documents only when set (documents only when
    /// they fit in an address).
    fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = vec![("a", self.a.preset.clone()), ("b", self.b.preset.clone())];
        if let Some(seed) = self.seed {
            out.push(("seed", seed.to_string()));
        }
        if let Some(d) = self.duration_s {
            out.push(("duration", d.to_string()));
        }
        let packed = |side: &SideSettings| side.document.as_deref().and_then(packed_document);
        if let Some(doc) = packed(&self.a) {
            out.push(("da", doc));
        }
        if let Some(doc) = packed(&self.b) {
            out.push(("db", doc));
        }
        out
    }

    fn in_page(page: &mut PageState) -> &mut Self {
        &mut page.compare
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::url_state::params::assert_reads_back;

    #[test]
    fn every_written_key_reads_back() {
        assert_reads_back(&CompareSettings {
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
        });
    }

    #[test]
    fn bad_values_are_named_and_leave_the_default() {
        let mut s = CompareSettings::default();
        assert!(
            s.apply("a", "mars".into())
                .unwrap()
                .unwrap_err()
                .contains("unknown preset 'mars'")
        );
        assert!(s.apply("db", "%%%".into()).unwrap().is_err());
        assert!(s.apply("seed", "-1".into()).unwrap().is_err());
        assert_eq!(s, CompareSettings::default());
        assert_eq!(s.apply("preset", "x".into()), None);
    }
}
