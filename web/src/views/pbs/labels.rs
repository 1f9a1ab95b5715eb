//! The PBS view's words: probabilities as percentages, the sentence summing up a curve (the
//! chart's accessible name), where the target is reached (these three are core's, which the
//! chart uses too), and the view's lede and footer. Every
//! number in them comes from the report, the settings or core's constants.

use meridian_core::pbs::PbsReport;

use super::settings::{SEED, TRIALS};
use crate::format::group_digits;
/// Core's words for the chart and its figures, shared with `meridian pbs --svg`.
pub use meridian_core::charts::pbs::{quorum, reach, summary};
pub use meridian_core::format::probability;

/// The note on a strict quorum, or `None` for a partial one.
pub fn strict_note(report: &PbsReport) -> Option<String> {
    report.strict_quorum.then(|| {
        format!(
            "R + W = {} > N = {}: a strict quorum. Every read quorum overlaps the write quorum, \
             so a read right after commit is consistent with probability 1.",
            report.r + report.w,
            report.n
        )
    })
}

/// The run behind the figures: `200,000 trials, seed 1`.
pub fn tallies(report: &PbsReport) -> String {
    format!(
        "{} trials of the WARS model, seed {}",
        group_digits(report.trials),
        report.seed
    )
}

/// The paragraph under the title.
pub fn lede() -> String {
    format!(
        "Probabilistically Bounded Staleness (Bailis et al., VLDB 2012): how likely a read of R \
         of N replicas is to see a write t ms after the write was acknowledged by W of them. \
         Pick one of the paper's production latency fits and the quorum; the page runs {} \
         Monte Carlo trials (seed {}) of the WARS model in meridian-core.",
        group_digits(TRIALS),
        SEED
    )
}

/// The footer.
pub fn footer() -> String {
    "The curve is the share of trials whose read saw the write when it started t ms after \
     commit; the closed form assumes the write stays on the W replicas that acknowledged it, so \
     it is a lower bound when writes keep spreading, as they do in the simulation. Read repair \
     and failures are not modelled."
        .to_string()
}
