//! The Kata 86 view's settings as URL query parameters (`client=US&leader=SG&strategy=local&
//! accounting=replica_lag&n=5000&seed=1`). [`crate::url_state`] splits and decodes the query; this
//! module reads and writes the view's own parameters ([`ViewParams`]).

use meridian_core::kata86::{ReadStrategy, Region, StalenessAccounting};

use super::state::Controls;
use crate::url_state::{PageState, ViewParams};
use crate::views::View;

impl ViewParams for Controls {
    const VIEW: View = View::Kata86;
    const KEYS: &'static [&'static str] =
        &["client", "leader", "strategy", "accounting", "n", "seed"];

    fn apply(&mut self, key: &str, value: String) -> Option<Result<(), String>> {
        let outcome = match key {
            "client" => value.parse::<Region>().map(|r| self.client = r),
            "leader" => value.parse::<Region>().map(|r| self.leader = r),
            "strategy" => value.parse::<ReadStrategy>().map(|s| self.strategy = s),
            "accounting" => value
                .parse::<StalenessAccounting>()
                .map(|a| self.accounting = a),
            // Numbers go to the form as typed; the form's own validation reports them.
            // Trimmed as they are written (see `pairs`), so an address reads as the state it
            // writes.
            "n" => {
                self.iterations = value.trim().to_string();
                Ok(())
            }
            "seed" => {
                self.seed = value.trim().to_string();
                Ok(())
            }
            _ => return None,
        };
        Some(outcome.map_err(|e| e.to_string()))
    }

    fn pairs(&self) -> Vec<(&'static str, String)> {
        vec![
            ("client", self.client.code().to_string()),
            ("leader", self.leader.code().to_string()),
            ("strategy", self.strategy.name().to_string()),
            ("accounting", self.accounting.name().to_string()),
            ("n", self.iterations.trim().to_string()),
            ("seed", self.seed.trim().to_string()),
        ]
    }

    fn in_page(page: &mut PageState) -> &mut Self {
        &mut page.kata86
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::url_state::params::assert_reads_back;

    #[test]
    fn every_written_key_reads_back() {
        assert_reads_back(&Controls {
            client: Region::Sg,
            leader: Region::Us,
            strategy: ReadStrategy::Leader,
            accounting: StalenessAccounting::ServedRead,
            iterations: "123".into(),
            seed: "9".into(),
        });
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
        assert_eq!(Controls::default().apply("view", "x".into()), None);
    }
}
