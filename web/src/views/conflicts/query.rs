//! The Conflicts view's settings as URL query parameters (`example=wallet&step=3&a=lww&
//! b=escrow`). A bad value is refused with what is allowed, and its setting keeps its default.
//! The strategies and the step depend on the example, so they are checked against it once
//! every parameter has been read ([`check`]), whatever their order.

use meridian_core::walkthrough::EXAMPLES;

use super::recorded::walkthrough;

use super::state::{ConflictsState, Settings, keys};

/// The view's parameters, in the order they are written.
pub const KEYS: [&str; 4] = ["example", "step", "a", "b"];

/// Reads a step: a whole number from 1.
fn parse_step(text: &str) -> Result<usize, String> {
    match text.trim().parse::<usize>() {
        Ok(s) if s >= 1 => Ok(s),
        _ => Err(format!("step '{text}': expected a whole number from 1")),
    }
}

/// Applies one decoded parameter to `settings`. `None` when `key` is not one of the view's;
/// otherwise whether `value` was accepted, with the reason and what is allowed when not.
pub fn apply(settings: &mut Settings, key: &str, value: String) -> Option<Result<(), String>> {
    let outcome = match key {
        "example" => match EXAMPLES
            .iter()
            .find(|e| e.name.eq_ignore_ascii_case(value.trim()))
        {
            Some(e) => {
                settings.example = e.name.to_string();
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
        "step" => parse_step(&value).map(|s| settings.step = s),
        // Checked against the example by `check`.
        "a" => {
            settings.a = Some(value.trim().to_string());
            Ok(())
        }
        "b" => {
            settings.b = Some(value.trim().to_string());
            Ok(())
        }
        _ => return None,
    };
    Some(outcome)
}

/// Checks the strategies and the step against the example once all parameters are in: a
/// strategy the example does not have falls back to the default column, and a step past the
/// last one to the last, each with a message naming it (`(key, message)` pairs).
pub fn check(settings: &mut Settings) -> Vec<(&'static str, String)> {
    let mut problems = Vec::new();
    let Some(walk) = walkthrough(&settings.example) else {
        return problems;
    };
    let allowed = keys(&walk);
    for (key, slot) in [("a", &mut settings.a), ("b", &mut settings.b)] {
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
    let steps = ConflictsState::new(settings).steps();
    if settings.step > steps {
        problems.push((
            "step",
            format!(
                "step {} is past the last step ({steps}) of these strategies; showing step {steps}",
                settings.step
            ),
        ));
        settings.step = steps;
    }
    problems
}

/// The view's parameters as `(key, value)` pairs, in [`KEYS`] order, values not yet encoded;
/// the strategies only when chosen.
pub fn pairs(s: &Settings) -> Vec<(&'static str, String)> {
    let mut out = vec![("example", s.example.clone()), ("step", s.step.to_string())];
    for (key, v) in [("a", &s.a), ("b", &s.b)] {
        if let Some(v) = v {
            out.push((key, v.clone()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_written_key_reads_back() {
        let s = Settings {
            example: "wallet".into(),
            step: 3,
            a: Some("escrow".into()),
            b: Some("lww".into()),
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
        let e = apply(&mut s, "example", "bank".into())
            .unwrap()
            .unwrap_err();
        assert_eq!(
            e,
            "unknown example 'bank'; allowed: profile, wallet, cart, clock-skew"
        );
        for bad in ["0", "-1", "two", ""] {
            let e = apply(&mut s, "step", bad.into()).unwrap().unwrap_err();
            assert_eq!(e, format!("step '{bad}': expected a whole number from 1"));
        }
        assert_eq!(s, Settings::default());
        assert_eq!(apply(&mut s, "n", "3".into()), None);
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
            assert_eq!(apply(&mut s, key, value.into()), Some(Ok(())));
        }
        let problems = check(&mut s);
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
