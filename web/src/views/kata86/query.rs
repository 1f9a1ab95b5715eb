//! The Kata 86 view's settings as URL query parameters (`client=US&leader=SG&strategy=local&
//! accounting=replica_lag&n=5000&seed=1`). [`crate::url_state`] splits and decodes the query; this
//! module reads and writes the view's own parameters.

use meridian_core::kata86::{ReadStrategy, Region, StalenessAccounting};

use super::state::Controls;

/// The view's parameters, in the order they are written.
pub const KEYS: [&str; 6] = ["client", "leader", "strategy", "accounting", "n", "seed"];

/// Applies one decoded parameter to `controls`. `None` when `key` is not one of the view's;
/// otherwise whether `value` was accepted, with the reason and what is allowed when not.
pub fn apply(controls: &mut Controls, key: &str, value: String) -> Option<Result<(), String>> {
    let outcome = match key {
        "client" => value.parse::<Region>().map(|r| controls.client = r),
        "leader" => value.parse::<Region>().map(|r| controls.leader = r),
        "strategy" => value.parse::<ReadStrategy>().map(|s| controls.strategy = s),
        "accounting" => value
            .parse::<StalenessAccounting>()
            .map(|a| controls.accounting = a),
        // Numbers go to the form as typed; the form's own validation reports them.
        // Trimmed as they are written (see `pairs`), so an address reads as the state it writes.
        "n" => {
            controls.iterations = value.trim().to_string();
            Ok(())
        }
        "seed" => {
            controls.seed = value.trim().to_string();
            Ok(())
        }
        _ => return None,
    };
    Some(outcome.map_err(|e| e.to_string()))
}

/// The view's parameters as `(key, value)` pairs, in [`KEYS`] order, values not yet encoded.
pub fn pairs(c: &Controls) -> Vec<(&'static str, String)> {
    vec![
        ("client", c.client.code().to_string()),
        ("leader", c.leader.code().to_string()),
        ("strategy", c.strategy.name().to_string()),
        ("accounting", c.accounting.name().to_string()),
        ("n", c.iterations.trim().to_string()),
        ("seed", c.seed.trim().to_string()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_written_key_reads_back() {
        let c = Controls {
            client: Region::Sg,
            leader: Region::Us,
            strategy: ReadStrategy::Leader,
            accounting: StalenessAccounting::ServedRead,
            iterations: "123".into(),
            seed: "9".into(),
        };
        let mut back = Controls::default();
        let written = pairs(&c);
        assert_eq!(
            written.iter().map(|(k, _)| *k).collect::<Vec<_>>(),
            KEYS.to_vec()
        );
        for (key, value) in written {
            assert_eq!(apply(&mut back, key, value), Some(Ok(())));
        }
        assert_eq!(back, c);
    }

    /// Found by the `url_state` fuzz target: `n=+22` read as " 22" (`+` is a space) but was
    /// written back as `n=22`, so the page's own address read as a different state.
    #[test]
    fn padded_numbers_read_as_they_are_written() {
        let (page, problem) =
            crate::url_state::page_from_query("?v=1&view=kata86&n=+22&seed=%209%20");
        assert_eq!(problem, None);
        assert_eq!(
            (page.kata86.iterations.as_str(), page.kata86.seed.as_str()),
            ("22", "9")
        );
        let written = crate::url_state::query_from_page(&page);
        assert_eq!(crate::url_state::page_from_query(&written), (page, None));
    }

    #[test]
    fn other_keys_are_not_the_views() {
        assert_eq!(apply(&mut Controls::default(), "view", "x".into()), None);
    }
}
