//! Numbers as Meridian writes them for people: grouped digits (`1,234,567`), durations in the
//! unit a reader expects (`40 ms`, `2 s`, `4.5 s`) and probabilities with the decimals they need
//! (`33.33%`, `99.9%`). The charts ([`crate::charts`], feature `charts`) and the page's labels
//! both go through here, so that the same figure reads the same in a chart drawn by the CLI, in
//! the same chart drawn by the page and in the page's tables.
//!
//! Everything here is `no_std` + `alloc` (rounding comes from `libm`).

use alloc::format;
use alloc::string::{String, ToString};

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

/// A latency in milliseconds that may have a fraction: `40 ms`, `2 s`, `0.5 ms`, `219.3 ms`;
/// `? ms` for a value that is not a finite, non-negative number.
pub fn millis(ms: f64) -> String {
    if !ms.is_finite() || ms < 0.0 {
        return "? ms".into();
    }
    let rounded = libm::round(ms);
    if (ms - rounded).abs() < 1e-9 && rounded <= f64::from(u32::MAX) {
        duration_ms(rounded as u32)
    } else if ms < 10.0 {
        format!("{} ms", trim_zeros(&format!("{ms:.2}")))
    } else {
        format!("{} ms", trim_zeros(&format!("{ms:.1}")))
    }
}

/// `1.50` as `1.5`, `2.00` as `2`.
fn trim_zeros(text: &str) -> String {
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// A probability as a percentage with the decimals it needs, never rounding a probability
/// below 1 up to "100%": `33.33%`, `99.9%`, `99.998%`, `100%`; `?%` for one that is not finite.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latencies_keep_only_meaningful_decimals() {
        assert_eq!(millis(40.0), "40 ms");
        assert_eq!(millis(2000.0), "2 s");
        assert_eq!(millis(0.5), "0.5 ms");
        assert_eq!(millis(219.3), "219.3 ms");
        assert_eq!(millis(8230.0), "8.23 s");
        assert_eq!(millis(f64::NAN), "? ms");
        assert_eq!(millis(-1.0), "? ms");
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
