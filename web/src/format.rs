//! Numbers as the page writes them: grouped digits and durations in the unit a reader expects
//! ("40 ms", "2 s", "4.5 s"). Labels built from the model's figures go through here, so that the
//! same figure reads the same everywhere on the page.

use meridian_core::dist::Dist;

/// `1234567` as `1,234,567`.
pub fn group_digits(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// A whole number of milliseconds in milliseconds below a second and in seconds from a second
/// on: `150 ms`, `2 s`, `4.5 s`, `1.25 s`.
pub fn duration_ms(ms: u32) -> String {
    if ms < 1000 {
        format!("{ms} ms")
    } else {
        format!("{} s", seconds(ms))
    }
}

/// A span of whole milliseconds as one label, in the unit of its upper end: `150–350 ms`,
/// `4–8 s`, `0.5–2 s`.
pub fn duration_range_ms(lo: u32, hi: u32) -> String {
    if hi < 1000 {
        format!("{lo}–{hi} ms")
    } else {
        format!("{}–{} s", seconds(lo), seconds(hi))
    }
}

/// Milliseconds as seconds without trailing zeros or a unit: `4`, `0.5`, `1.25`.
fn seconds(ms: u32) -> String {
    let (whole, frac) = (ms / 1000, ms % 1000);
    if frac == 0 {
        whole.to_string()
    } else {
        format!("{whole}.{}", format!("{frac:03}").trim_end_matches('0'))
    }
}

/// A latency in milliseconds that may have a fraction: `40 ms`, `2 s`, `0.5 ms`, `219.3 ms`.
pub fn millis(ms: f64) -> String {
    if !ms.is_finite() || ms < 0.0 {
        return "? ms".into();
    }
    let rounded = ms.round();
    if (ms - rounded).abs() < 1e-9 && rounded <= f64::from(u32::MAX) {
        duration_ms(rounded as u32)
    } else if ms < 10.0 {
        format!("{} ms", trim_zeros(&format!("{ms:.2}")))
    } else {
        format!("{} ms", trim_zeros(&format!("{ms:.1}")))
    }
}

fn trim_zeros(text: &str) -> String {
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

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
    fn latencies_keep_only_meaningful_decimals() {
        assert_eq!(millis(40.0), "40 ms");
        assert_eq!(millis(2000.0), "2 s");
        assert_eq!(millis(0.5), "0.5 ms");
        assert_eq!(millis(219.3), "219.3 ms");
        assert_eq!(millis(f64::NAN), "? ms");
    }

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
    fn digits_are_grouped() {
        assert_eq!(group_digits(0), "0");
        assert_eq!(group_digits(999), "999");
        assert_eq!(group_digits(1_000), "1,000");
        assert_eq!(group_digits(10_000_000), "10,000,000");
    }

    #[test]
    fn durations_pick_their_unit() {
        assert_eq!(duration_ms(0), "0 ms");
        assert_eq!(duration_ms(40), "40 ms");
        assert_eq!(duration_ms(999), "999 ms");
        assert_eq!(duration_ms(2000), "2 s");
        assert_eq!(duration_ms(4500), "4.5 s");
        assert_eq!(duration_ms(1250), "1.25 s");
        assert_eq!(duration_ms(1001), "1.001 s");
        assert_eq!(duration_ms(u32::MAX), "4294967.295 s");
    }

    #[test]
    fn ranges_take_the_unit_of_their_upper_end() {
        assert_eq!(duration_range_ms(150, 350), "150–350 ms");
        assert_eq!(duration_range_ms(4000, 8000), "4–8 s");
        assert_eq!(duration_range_ms(500, 2000), "0.5–2 s");
        assert_eq!(duration_range_ms(0, 1500), "0–1.5 s");
    }

    #[test]
    fn percentages_drop_needless_decimals() {
        assert_eq!(percent(0.02), "2%");
        assert_eq!(percent(0.005), "0.5%");
        assert_eq!(percent(1.0), "100%");
        assert_eq!(percent(0.0), "0%");
    }
}
