//! The page's views and the [`View`] enum that picks one. The view is part of the page address
//! (`?view=kata86`), so a link opens the view it was copied from; a view owns the rest of the
//! address's parameters and its own state. A new view is one more variant here and one more
//! module under `views/`.

use std::fmt;
use std::str::FromStr;

pub mod compare;
pub mod conflicts;
pub mod drill;
pub mod kata86;
pub mod pbs;
pub mod recovery;
pub mod scenario;
pub mod sweep;

/// Which view the page shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum View {
    /// The Kata 86 model: two regions, one leader, three read strategies.
    #[default]
    Kata86,
    /// Any scenario document: a preset or an edited one, run by the general engine.
    Scenario,
    /// Two scenario documents run with the same seed, side by side.
    Compare,
    /// Probabilistically Bounded Staleness: the t-visibility curve of a partial quorum.
    Pbs,
    /// Conflict walkthroughs stepped one merge at a time, two strategies side by side.
    Conflicts,
    /// A failure drill: the timeline of a run with faults, a scrubber the map follows, and the
    /// same faults under each failover policy.
    Drill,
    /// Seed 003's order flow under a service outage: breakers, outbox, reviews and the
    /// simulated recovery table.
    Recovery,
    /// One metric over a small grid of a scenario's fields: a line chart or a heatmap, and a
    /// table of the points.
    Sweep,
}

impl View {
    /// Every view, in the order a menu lists them.
    pub const ALL: [View; 8] = [
        View::Kata86,
        View::Scenario,
        View::Compare,
        View::Drill,
        View::Recovery,
        View::Sweep,
        View::Pbs,
        View::Conflicts,
    ];

    /// The view's name in the page address.
    pub const fn name(self) -> &'static str {
        match self {
            View::Kata86 => "kata86",
            View::Scenario => "scenario",
            View::Compare => "compare",
            View::Pbs => "pbs",
            View::Conflicts => "conflicts",
            View::Drill => "drill",
            View::Recovery => "recovery",
            View::Sweep => "sweep",
        }
    }

    /// The view's title, shown next to the page's name.
    pub const fn title(self) -> &'static str {
        match self {
            View::Kata86 => "Kata 86",
            View::Scenario => "Scenarios",
            View::Compare => "Compare",
            View::Pbs => "PBS",
            View::Conflicts => "Conflicts",
            View::Drill => "Drill",
            View::Recovery => "Recovery",
            View::Sweep => "Sweep",
        }
    }
}

impl fmt::Display for View {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A view name the page does not know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownView {
    /// The name given.
    pub given: String,
}

impl fmt::Display for UnknownView {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let known: Vec<&str> = View::ALL.iter().map(|v| v.name()).collect();
        write!(
            f,
            "unknown view '{}'; allowed: {}",
            self.given,
            known.join(", ")
        )
    }
}

impl FromStr for View {
    type Err = UnknownView;

    /// Parses a view name, ignoring case and surrounding spaces.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        View::ALL
            .into_iter()
            .find(|v| v.name().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| UnknownView { given: s.into() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_unknown_names_are_named() {
        for v in View::ALL {
            assert_eq!(v.name().parse::<View>(), Ok(v));
        }
        assert_eq!(" KATA86 ".parse::<View>(), Ok(View::Kata86));
        assert_eq!(
            "map".parse::<View>().unwrap_err().to_string(),
            "unknown view 'map'; allowed: kata86, scenario, compare, drill, recovery, sweep, pbs, conflicts"
        );
    }
}
