//! Numbers as the page writes them: grouped digits and durations in the unit a reader expects
//! ("40 ms", "2 s", "4.5 s"). Labels built from the model's figures go through here, so that the
//! same figure reads the same everywhere on the page. The general formats are core's
//! ([`meridian_core::format`], which the charts use too), re-exported; the page-only ones follow.

use meridian_core::dist::Dist;
pub use meridian_core::format::{
    duration_ms, duration_range_ms, group_digits, millis, probability,
};

/// The typical value of a latency distribution as a label: its median where that is known in
/// closed form (constant, uniform, normal, log-normal, exponential), otherwise its mean marked as
/// such, or "varies" when it has none.
pub fn typical_latency(d: &Dist) -> String {
    let median = match d {
        Dist::Constant { ms } => Some(*ms),
        Dist::Uniform { min_ms, max_ms } => Some(0.5 * (min_ms + max_ms)),
        Dist::Normal { mean_ms, .. } => Some(mean_ms.max(0.0)),
        Dist::LogNormal { median_ms, .. } => Some(*median_ms),
        Dist::Exponential { mean_ms } => Some(mean_ms * std::f64::consts::LN_2),
        _ => None,
    };
    match (median, d.mean_ms()) {
        (Some(m), _) => millis(m),
        (None, Some(mean)) => format!("mean {}", millis(mean)),
        (None, None) => "varies".into(),
    }
}

/// A probability in `[0, 1]` as a percentage without needless decimals: `2%`, `0.5%`.
pub fn percent(p: f64) -> String {
    let pct = p * 100.0;
    if (pct - pct.round()).abs() < 1e-9 {
        format!("{pct:.0}%")
    } else {
        let text = format!("{pct:.2}");
        format!("{}%", text.trim_end_matches('0').trim_end_matches('.'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typical_latency_is_the_median_when_known() {
        assert_eq!(typical_latency(&Dist::constant(180.0)), "180 ms");
        assert_eq!(typical_latency(&Dist::uniform(100.0, 200.0)), "150 ms");
        assert_eq!(typical_latency(&Dist::log_normal(219.3, 0.05)), "219.3 ms");
        let mix = Dist::mixture([(0.5, Dist::constant(10.0)), (0.5, Dist::constant(30.0))]);
        assert_eq!(typical_latency(&mix), "mean 20 ms");
        assert_eq!(typical_latency(&Dist::pareto(1.0, 0.5)), "varies");
    }

    #[test]
    fn percentages_drop_needless_decimals() {
        assert_eq!(percent(0.02), "2%");
        assert_eq!(percent(0.005), "0.5%");
        assert_eq!(percent(1.0), "100%");
        assert_eq!(percent(0.0), "0%");
    }
}
