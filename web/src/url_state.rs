//! The form's settings as a URL query (`?client=US&leader=SG&strategy=local&n=5000&seed=1`), so a
//! link reproduces a view in a design review.
//!
//! Parsing never fails as a whole: a bad parameter is reported and its setting keeps its default,
//! while the other parameters still apply.

use meridian_core::kata86::{ReadStrategy, Region, StalenessAccounting};

use crate::state::Controls;

/// The query keys, in the order they are written.
pub const KEYS: [&str; 6] = ["client", "leader", "strategy", "accounting", "n", "seed"];

/// Reads controls from a query string (with or without the leading `?`). Returns the controls and,
/// if any parameter was bad, one message naming every bad parameter and what is allowed.
pub fn controls_from_query(query: &str) -> (Controls, Option<String>) {
    let mut controls = Controls::default();
    let mut problems = Vec::new();
    for pair in query
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty())
    {
        let (raw_key, raw_value) = pair.split_once('=').unwrap_or((pair, ""));
        let key = percent_decode(raw_key);
        let value = percent_decode(raw_value);
        let outcome = match key.as_str() {
            "client" => value.parse::<Region>().map(|r| controls.client = r),
            "leader" => value.parse::<Region>().map(|r| controls.leader = r),
            "strategy" => value.parse::<ReadStrategy>().map(|s| controls.strategy = s),
            "accounting" => value
                .parse::<StalenessAccounting>()
                .map(|a| controls.accounting = a),
            // Numbers go to the form as typed; the form's own validation reports them.
            "n" => {
                controls.iterations = value;
                Ok(())
            }
            "seed" => {
                controls.seed = value;
                Ok(())
            }
            _ => {
                problems.push(format!(
                    "unknown parameter '{key}' (known: {})",
                    KEYS.join(", ")
                ));
                continue;
            }
        };
        if let Err(e) = outcome {
            problems.push(format!("'{key}': {e}"));
        }
    }
    let message = (!problems.is_empty()).then(|| {
        format!(
            "Ignored in the page address: {}. Defaults are used for those settings.",
            problems.join("; ")
        )
    });
    (controls, message)
}

/// Writes controls as a query string starting with `?`.
pub fn query_from_controls(c: &Controls) -> String {
    format!(
        "?client={}&leader={}&strategy={}&accounting={}&n={}&seed={}",
        c.client.code(),
        c.leader.code(),
        c.strategy.name(),
        c.accounting.name(),
        percent_encode(c.iterations.trim()),
        percent_encode(c.seed.trim()),
    )
}

/// Decodes `%XX` escapes and `+` (space). Malformed escapes are kept as written.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Escapes everything but unreserved characters.
fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_the_query() {
        let c = Controls {
            client: Region::Sg,
            leader: Region::Us,
            strategy: ReadStrategy::Leader,
            accounting: StalenessAccounting::ServedRead,
            iterations: "123".into(),
            seed: "9".into(),
        };
        let q = query_from_controls(&c);
        assert_eq!(
            q,
            "?client=SG&leader=US&strategy=leader&accounting=served_read&n=123&seed=9"
        );
        assert_eq!(controls_from_query(&q), (c, None));
    }

    #[test]
    fn empty_query_gives_defaults() {
        assert_eq!(controls_from_query(""), (Controls::default(), None));
        assert_eq!(controls_from_query("?"), (Controls::default(), None));
    }

    #[test]
    fn bad_parameters_are_named_and_the_rest_still_applies() {
        let (c, msg) = controls_from_query("?client=EU&leader=US&color=red&strategy=%71uorum");
        assert_eq!(c.leader, Region::Us);
        assert_eq!(c.client, Controls::default().client);
        let msg = msg.expect("a message");
        assert!(msg.contains("'client': unknown region 'EU'"), "{msg}");
        assert!(msg.contains("unknown parameter 'color'"), "{msg}");
        assert!(
            msg.contains("'strategy': unknown read strategy 'quorum'"),
            "{msg}"
        );
    }

    #[test]
    fn numbers_pass_through_as_typed_for_the_form_to_check() {
        let (c, msg) = controls_from_query("n=abc&seed=%2D1");
        assert_eq!(msg, None);
        assert_eq!(c.iterations, "abc");
        assert_eq!(c.seed, "-1");
    }

    #[test]
    fn malformed_escapes_do_not_panic() {
        for q in ["n=%", "n=%4", "n=%zz", "%=%", "n=%E2%82"] {
            let _ = controls_from_query(q);
        }
        assert_eq!(percent_decode("a%20b+c%"), "a b c%");
    }
}
