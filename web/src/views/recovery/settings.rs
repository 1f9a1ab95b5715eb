//! The Recovery view's settings: a recovery preset (or the bare order flow), the seed, and the
//! outage as edited on top of the preset's own; the checks that read each one from text (the
//! form and the page address share them, so both name a bad value the same way); and the
//! scenario the settings ask core to run.
//!
//! An edit is kept as the fields that differ from the preset's outage, so an address carries
//! only what was changed (`?view=recovery&preset=queue-down-2m&for=300`) and a preset's own
//! outage needs no parameter at all.

use meridian_core::reliability::RecoveryScenario;
use meridian_core::reliability::presets::{OUTAGE_AT_S, PRESETS, order_flow, preset};
use meridian_core::reliability::scenario::{Outage, OutageKind, ServiceName};

/// The name of the order flow without an outage, offered next to the presets.
pub const ORDER_FLOW: &str = "order-flow";

/// The preset the view opens with.
pub const DEFAULT_PRESET: &str = "delivery-down-10m";

/// Largest seed the view accepts.
pub const MAX_SEED: u64 = 1_000_000_000;

/// The outage a change of the order flow starts from (the flow itself has none): the delivery
/// service down for a minute at the presets' start.
pub const NEW_OUTAGE: Outage = Outage {
    service: ServiceName::Delivery,
    kind: OutageKind::Down,
    at_s: OUTAGE_AT_S,
    for_s: 60.0,
    error_rate: None,
    extra_ms: None,
};

/// An error rate a degraded outage starts with when none was given.
pub const DEFAULT_ERROR_RATE: f64 = 0.5;
/// Added latency a slow outage starts with when none was given, ms.
pub const DEFAULT_EXTRA_MS: f64 = 3_000.0;

/// The fields of the outage that differ from the preset's (none: the preset's own outage).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct OutageEdit {
    /// `Some(None)`: no outage at all; `Some(Some(s))`: service `s`.
    pub service: Option<Option<ServiceName>>,
    /// How it fails.
    pub kind: Option<OutageKind>,
    /// Start, s.
    pub at_s: Option<f64>,
    /// Length, s.
    pub for_s: Option<f64>,
    /// Share of failing calls (degraded).
    pub error_rate: Option<f64>,
    /// Added latency, ms (slow).
    pub extra_ms: Option<f64>,
}

impl OutageEdit {
    /// Whether nothing was edited.
    pub fn is_empty(&self) -> bool {
        *self == OutageEdit::default()
    }
}

/// What the view runs.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// A recovery preset's name, or [`ORDER_FLOW`].
    pub preset: String,
    /// The seed.
    pub seed: u64,
    /// The outage's fields changed from the preset's.
    pub edit: OutageEdit,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            preset: DEFAULT_PRESET.to_string(),
            seed: 1,
            edit: OutageEdit::default(),
        }
    }
}

/// The names the preset field accepts: the order flow, then the presets.
pub fn preset_names() -> Vec<&'static str> {
    std::iter::once(ORDER_FLOW)
        .chain(PRESETS.iter().map(|p| p.name))
        .collect()
}

/// The outage of preset `name` (none for the order flow or an unknown name).
pub fn preset_outage(name: &str) -> Option<Outage> {
    preset(name).and_then(|p| p.scenario().outages.first().copied())
}

/// The scenario of preset `name` before its outage is edited.
fn base(name: &str) -> RecoveryScenario {
    preset(name).map_or_else(order_flow, |p| p.scenario())
}

impl Settings {
    /// The settings running `outage` on preset `preset` with `seed`, keeping only what differs
    /// from the preset's outage.
    pub fn with_outage(preset: &str, seed: u64, outage: Option<Outage>) -> Self {
        let own = preset_outage(preset);
        let edit = match (own, outage) {
            (Some(a), Some(b)) if a == b => OutageEdit::default(),
            (None, None) => OutageEdit::default(),
            (Some(_), None) => OutageEdit {
                service: Some(None),
                ..OutageEdit::default()
            },
            (own, Some(b)) => {
                let a = own.unwrap_or(NEW_OUTAGE);
                let differs = |x: bool| !x || own.is_none();
                OutageEdit {
                    service: differs(a.service == b.service).then_some(Some(b.service)),
                    kind: differs(a.kind == b.kind).then_some(b.kind),
                    at_s: differs(a.at_s == b.at_s).then_some(b.at_s),
                    for_s: differs(a.for_s == b.for_s).then_some(b.for_s),
                    error_rate: b
                        .error_rate
                        .filter(|_| a.error_rate != b.error_rate || own.is_none()),
                    extra_ms: b
                        .extra_ms
                        .filter(|_| a.extra_ms != b.extra_ms || own.is_none()),
                }
            }
        };
        Settings {
            preset: preset.to_string(),
            seed,
            edit,
        }
    }

    /// The outage these settings run: the preset's with the edit applied (on the order flow,
    /// any edit starts from [`NEW_OUTAGE`]), or none.
    pub fn outage(&self) -> Option<Outage> {
        let e = &self.edit;
        if e.service == Some(None) {
            return None;
        }
        let own = preset_outage(&self.preset);
        if own.is_none() && e.is_empty() {
            return None;
        }
        let mut o = own.unwrap_or(NEW_OUTAGE);
        if let Some(Some(s)) = e.service {
            o.service = s;
        }
        if let Some(k) = e.kind {
            o.kind = k;
        }
        o.at_s = e.at_s.unwrap_or(o.at_s);
        o.for_s = e.for_s.unwrap_or(o.for_s);
        o.error_rate = e.error_rate.or(o.error_rate);
        o.extra_ms = e.extra_ms.or(o.extra_ms);
        // Each kind keeps only the figure it uses.
        match o.kind {
            OutageKind::Down => {
                o.error_rate = None;
                o.extra_ms = None;
            }
            OutageKind::Degraded => {
                o.error_rate = Some(o.error_rate.unwrap_or(DEFAULT_ERROR_RATE));
                o.extra_ms = None;
            }
            OutageKind::Slow => {
                o.extra_ms = Some(o.extra_ms.unwrap_or(DEFAULT_EXTRA_MS));
                o.error_rate = None;
            }
        }
        Some(o)
    }

    /// The scenario to run: the preset's document with the seed and the outage, its name
    /// marked "(edited)" when the outage differs from the preset's.
    pub fn scenario(&self) -> RecoveryScenario {
        let mut sc = base(&self.preset);
        sc.seed = self.seed;
        sc.outages = self.outage().into_iter().collect();
        if !self.edit.is_empty() {
            sc.name.push_str(" (edited)");
        }
        sc
    }
}

/// The name of a service in the form and the address ("none" for no outage).
pub fn service_name(s: Option<ServiceName>) -> &'static str {
    s.map_or("none", ServiceName::name)
}

/// The name of an outage kind in the form and the address.
pub fn kind_name(k: OutageKind) -> &'static str {
    meridian_core::charts::recovery::kind_name(k)
}

/// The three outage kinds.
pub const KINDS: [OutageKind; 3] = [OutageKind::Down, OutageKind::Degraded, OutageKind::Slow];

/// Reads a preset name.
pub fn parse_preset(text: &str) -> Result<String, String> {
    let t = text.trim();
    if preset_names().contains(&t) {
        Ok(t.to_string())
    } else {
        Err(format!(
            "unknown recovery preset '{text}'; allowed: {}",
            preset_names().join(", ")
        ))
    }
}

/// Reads a seed, 0 to [`MAX_SEED`].
pub fn parse_seed(text: &str) -> Result<u64, String> {
    match text.trim().parse::<u64>() {
        Ok(v) if v <= MAX_SEED => Ok(v),
        _ => Err(format!(
            "seed '{text}': expected a whole number from 0 to {MAX_SEED}"
        )),
    }
}

/// Reads a service name, or "none" for no outage.
pub fn parse_service(text: &str) -> Result<Option<ServiceName>, String> {
    let t = text.trim();
    if t.eq_ignore_ascii_case("none") {
        return Ok(None);
    }
    ServiceName::ALL
        .into_iter()
        .find(|s| s.name().eq_ignore_ascii_case(t))
        .map(Some)
        .ok_or_else(|| {
            format!("service '{text}': expected none, product, database, delivery or queue")
        })
}

/// Reads an outage kind.
pub fn parse_kind(text: &str) -> Result<OutageKind, String> {
    KINDS
        .into_iter()
        .find(|k| kind_name(*k).eq_ignore_ascii_case(text.trim()))
        .ok_or_else(|| format!("kind '{text}': expected down, degraded or slow"))
}

/// Reads a number of `what` from `lo` to `hi` (`lo` itself allowed when `lo_ok`).
fn number(
    what: &str,
    text: &str,
    lo: f64,
    lo_ok: bool,
    hi: f64,
    unit: &str,
) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && (v > lo || (lo_ok && v == lo)) && v <= hi => Ok(v),
        _ => Err(format!(
            "{what} '{text}': expected {} {lo} to {hi}{unit}",
            if lo_ok {
                "a number from"
            } else {
                "a number above"
            }
        )),
    }
}

/// The run's end, s (arrivals and drain): where an outage may start at the latest.
pub fn run_end_s(preset: &str) -> f64 {
    let sc = base(preset);
    sc.duration_s + sc.drain_s
}

/// Reads an outage start, s: from 0 to the run's end.
pub fn parse_at(text: &str, preset: &str) -> Result<f64, String> {
    number(
        "start",
        text,
        0.0,
        true,
        run_end_s(preset),
        " s (the run's end)",
    )
}

/// Reads an outage length, s: above 0, at most a day.
pub fn parse_for(text: &str) -> Result<f64, String> {
    number("length", text, 0.0, false, 86_400.0, " s")
}

/// Reads a degraded outage's error rate: a share from 0 to 1.
pub fn parse_error_rate(text: &str) -> Result<f64, String> {
    number("error rate", text, 0.0, true, 1.0, "")
}

/// Reads a slow outage's added latency, ms: from 0 to a day.
pub fn parse_extra_ms(text: &str) -> Result<f64, String> {
    number("added latency", text, 0.0, true, 86_400_000.0, " ms")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_outage_equal_to_the_presets_is_no_edit() {
        for name in preset_names() {
            let own = preset_outage(name);
            let s = Settings::with_outage(name, 3, own);
            assert!(s.edit.is_empty(), "{name}");
            assert_eq!(s.outage(), own);
            assert_eq!(s.scenario().outages, own.into_iter().collect::<Vec<_>>());
        }
    }

    #[test]
    fn edits_keep_only_what_changed_and_read_back() {
        let own = preset_outage("queue-down-2m").unwrap();
        let longer = Outage {
            for_s: 300.0,
            ..own
        };
        let s = Settings::with_outage("queue-down-2m", 1, Some(longer));
        assert_eq!(
            s.edit,
            OutageEdit {
                for_s: Some(300.0),
                ..OutageEdit::default()
            }
        );
        assert_eq!(s.outage(), Some(longer));
        assert_eq!(s.scenario().name, "queue-down-2m (edited)");
        // No outage at all.
        let none = Settings::with_outage("queue-down-2m", 1, None);
        assert_eq!(none.edit.service, Some(None));
        assert_eq!(none.outage(), None);
        // The order flow: any outage is an edit of every field.
        let degraded = Outage {
            kind: OutageKind::Degraded,
            error_rate: Some(0.3),
            ..NEW_OUTAGE
        };
        let s = Settings::with_outage(ORDER_FLOW, 1, Some(degraded));
        assert_eq!(s.outage(), Some(degraded));
        assert_eq!(Settings::with_outage(ORDER_FLOW, 1, None).outage(), None);
    }

    #[test]
    fn each_kind_keeps_its_own_figure() {
        let mut s = Settings::default();
        s.edit.kind = Some(OutageKind::Slow);
        s.edit.error_rate = Some(0.2);
        let o = s.outage().unwrap();
        assert_eq!((o.extra_ms, o.error_rate), (Some(DEFAULT_EXTRA_MS), None));
        assert!(s.scenario().validate().is_ok());
    }

    #[test]
    fn bad_text_is_named() {
        assert!(
            parse_preset("mars")
                .unwrap_err()
                .contains("unknown recovery preset 'mars'")
        );
        assert!(parse_seed("-1").unwrap_err().starts_with("seed '-1'"));
        assert!(
            parse_service("cache")
                .unwrap_err()
                .starts_with("service 'cache'")
        );
        assert_eq!(parse_service("NONE"), Ok(None));
        assert!(parse_kind("gone").unwrap_err().starts_with("kind 'gone'"));
        assert!(
            parse_at("4000", "queue-down-2m")
                .unwrap_err()
                .starts_with("start '4000'")
        );
        assert_eq!(parse_at("0", "queue-down-2m"), Ok(0.0));
        assert!(parse_for("0").unwrap_err().starts_with("length '0'"));
        assert!(
            parse_error_rate("1.5")
                .unwrap_err()
                .starts_with("error rate '1.5'")
        );
        assert!(parse_extra_ms("NaN").is_err());
    }
}
