//! The PBS view's words: probabilities as percentages, the sentence summing up a curve (the
//! chart's accessible name), where the target is reached, and the view's lede and footer. Every
//! number in them comes from the report, the settings or core's constants.

use meridian_core::pbs::PbsReport;

use super::figures::{Figures, Reach};
use super::settings::{SEED, TRIALS};
use crate::format::{group_digits, millis};

/// A probability as a percentage with the decimals it needs, never rounding a probability
/// below 1 up to "100%": `33.33%`, `99.9%`, `99.998%`, `100%`.
pub fn probability(p: f64) -> String {
    if !p.is_finite() {
        return "?%".into();
    }
    let pct = p * 100.0;
    for decimals in 2..=6 {
        let text = format!("{pct:.decimals$}");
        let text = if text.contains('.') {
            text.trim_end_matches('0').trim_end_matches('.')
        } else {
            &text
        };
        if p >= 1.0 || text != "100" {
            return format!("{text}%");
        }
    }
    format!("{pct}%")
}

/// `N=3, R=1, W=1 (lnkd-disk)`.
pub fn quorum(report: &PbsReport, preset: &str) -> String {
    format!("N={}, R={}, W={} ({preset})", report.n, report.r, report.w)
}

/// Where the target is reached, in words: `99.9% consistent after 12.3 ms`.
pub fn reach(report: &PbsReport, figures: &Figures) -> String {
    let target = probability(report.target);
    match figures.reach {
        Reach::AtCommit => format!("{target} consistent from t = 0, right after commit"),
        Reach::Within { t_ms } => format!("{target} consistent after {}", millis(t_ms)),
        Reach::Beyond { t_ms, curve_end_ms } => format!(
            "{target} not reached within the curve (up to {}); the trials reach it after {}",
            millis(curve_end_ms),
            millis(t_ms)
        ),
    }
}

/// The chart's accessible name: what it shows and where the target is reached.
pub fn summary(report: &PbsReport, figures: &Figures, preset: &str) -> String {
    format!(
        "t-visibility for {}: {}",
        quorum(report, preset),
        reach(report, figures)
    )
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probabilities_keep_the_decimals_they_need() {
        assert_eq!(probability(1.0 / 3.0), "33.33%");
        assert_eq!(probability(0.999), "99.9%");
        assert_eq!(probability(0.5), "50%");
        assert_eq!(probability(1.0), "100%");
        assert_eq!(probability(0.99998), "99.998%");
        assert_eq!(probability(0.0), "0%");
        assert_eq!(probability(f64::NAN), "?%");
    }
}
