//! The Conflicts view's settings as URL query parameters (`example=wallet&step=3&a=lww&
//! b=escrow`). A bad value is refused with what is allowed, and its setting keeps its default.
//! The strategies and the step depend on the example, so they are checked against it once
//! every parameter has been read ([`ViewParams::check`]), whatever their order.

use meridian_core::walkthrough::EXAMPLES;

use super::recorded::walkthrough;

use super::state::{ConflictsState, Settings, keys};
use crate::url_state::{PageState, ViewParams};
use crate::views::View;

/// Reads a step: a whole number from 1.
fn parse_step(text: &str) -> Result<usize, String> {
    match text.trim().parse::<usize>() {
        Ok(s) if s >= 1 => Ok(s),
        _ => Err(format!("step '{text}': expected a whole number from 1")),
    }
}

impl ViewParams for Settings {
    const VIEW: View = View::Conflicts;
    const KEYS: &'static [&'static str] = &["example", "step", "a", "b"];

    fn apply(&mut self, key: &str, value: String) -> Option<Result<(), String>> {
        let outcome = match key {
            "example" => match EXAMPLES
                .iter()
                .find(|e| e.name.eq_ignore_ascii_case(value.trim()))
            {
                Some(e) => {
                    self.example = e.name.to_string();
                    Ok(())
                }
                None => {
                    let names: Vec<&str> = EXAMPLES.iter().map(|e| e.name).collect();
                    Err(format!(
                        "unknown example '{value}'; allowed: {}",
                        names.join(", ")
                    ))
                }
            },
            "step" => parse_step(&value).map(|s| self.step = s),
            // Checked against the example by `check`.
            "a" => {
                self.a = Some(value.trim().to_string());
                Ok(())
            }
            "b" => {
                self.b = Some(value.trim().to_string());
                Ok(())
            }
            _ => return None,
        };
        Some(outcome)
    }

    /// Checks the strategies and the step against the example: a strategy the example does not
    /// have falls back to the default column, and a step past the last one to the last.
    fn check(&mut self) -> Vec<(&'static str, String)> {
        let mut problems = Vec::new();
        let Some(walk) = walkthrough(&self.example) else {
            return problems;
        };
        let allowed = keys(&walk);
        for (key, slot) in [("a", &mut self.a), ("b", &mut self.b)] {
            if let Some(k) = slot.as_deref()
                && !allowed.contains(&k)
            {
                problems.push((
                    key,
                    format!(
                        "strategy '{k}' is not one of {}'s; allowed: {}",
                        walk.name,
                        allowed.join(", ")
                    ),
                ));
                *slot = None;
            }
        }
        let steps = ConflictsState::new(self).steps();
        if self.step > steps {
            problems.push((
                "step",
                format!(
                    "step {} is past the last step ({steps}) of these strategies; showing step {steps}",
                    self.step
                ),
            ));
            self.step = steps;
        }
        problems
    }

    /// The example and the step, then the strategies only when chosen.
    fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = vec![
            ("example", self.example.clone()),
            ("step", self.step.to_string()),
        ];
        for (key, v) in [("a", &self.a), ("b", &self.b)] {
            if let Some(v) = v {
                out.push((key, v.clone()));
            }
        }
        out
    }

    fn in_page(page: &mut PageState) -> &mut Self {
        &mut page.conflicts
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::url_state::params::assert_reads_back;

    #[test]
    fn every_written_key_reads_back() {
        assert_reads_back(&Settings {
            example: "wallet".into(),
            step: 3,
            a: Some("escrow".into()),
            b: Some("lww".into()),
        });
    }

    #[test]
    fn bad_values_are_named_and_leave_the_default() {
        let mut s = Settings::default();
        let e = s.apply("example", "bank".into()).unwrap().unwrap_err();
        assert_eq!(
            e,
            "unknown example 'bank'; allowed: profile, wallet, cart, clock-skew"
        );
        for bad in ["0", "-1", "two", ""] {
            let e = s.apply("step", bad.into()).unwrap().unwrap_err();
            assert_eq!(e, format!("step '{bad}': expected a whole number from 1"));
        }
        assert_eq!(s, Settings::default());
        assert_eq!(s.apply("n", "3".into()), None);
    }

    #[test]
    fn strategies_and_steps_are_checked_against_the_example_in_any_order() {
        let mut s = Settings::default();
        for (key, value) in [
            ("a", "escrow"),
            ("b", "or-set"),
            ("step", "9"),
            ("example", "WALLET"),
        ] {
            assert_eq!(s.apply(key, value.into()), Some(Ok(())));
        }
        let problems = s.check();
        assert_eq!(
            problems,
            [
                (
                    "b",
                    "strategy 'or-set' is not one of wallet's; allowed: lww, pn-counter, escrow"
                        .to_string()
                ),
                (
                    "step",
                    "step 9 is past the last step (4) of these strategies; showing step 4"
                        .to_string()
                ),
            ]
        );
        assert_eq!(
            s,
            Settings {
                example: "wallet".into(),
                step: 4,
                a: Some("escrow".into()),
                b: None,
            }
        );
    }
}
