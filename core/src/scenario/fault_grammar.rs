//! A one-line grammar for faults, for the command line (`--fault "region-down SG at 60s for
//! 120s"`): the same faults as `[[faults]]` entries, validated the same way afterwards.
//!
//! ```text
//! region-down REGION                      at TIME [for TIME]
//! zone-down ZONE | node-down NODE         at TIME [for TIME]
//! partition REGIONS <-> REGIONS           at TIME [for TIME]   (REGIONS: SG or SG,JP; -> cuts one way)
//! link-degradation REGION REGION [+DELAY] [loss P] at TIME [for TIME]
//! lag-spike REGION|all DELAY              at TIME [for TIME]   (a constant apply delay)
//! clock-skew REGION OFFSET [DRIFTppm]     at TIME [for TIME]   (OFFSET may be negative)
//! toggle force_leader_read|write_readonly_mode|disable_recs at TIME [for TIME]
//! failover REGION                         at TIME
//! failback                                at TIME
//! ```
//!
//! TIME and DELAY are a number with a unit: `ms`, `s` or `m` (a bare number is seconds for
//! TIME and milliseconds for DELAY). Words are separated by spaces; `_` and `-` are the same in
//! kind names.
//!
//! ```
//! use meridian_core::scenario::{FaultKindSpec, FaultSpec};
//!
//! let f = FaultSpec::parse("region-down SG at 60s for 2m").unwrap();
//! assert_eq!((f.at_s, f.for_s), (60.0, Some(120.0)));
//! assert_eq!(f.kind, FaultKindSpec::RegionDown { region: "SG".into() });
//! assert!(FaultSpec::parse("region-down SG at soon").is_err());
//! ```

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use super::faults::{FaultKindSpec, FaultSpec};
use crate::dist::Dist;
use crate::sim::Toggle;

/// The grammar, for error messages and `--help`.
pub const FAULT_GRAMMAR: &str = "region-down REGION | zone-down ZONE | node-down NODE | partition A[,B] <-> C[,D] (or ->) | \
link-degradation A B [+DELAY] [loss P] | lag-spike REGION|all DELAY | clock-skew REGION OFFSET \
[DRIFTppm] | toggle force_leader_read|write_readonly_mode|disable_recs | failover REGION | failback, then \
'at TIME' and optionally 'for TIME' (TIME like 60s, 1.5m, 500ms)";

/// Why a fault line could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaultParseError {
    /// The line.
    pub line: String,
    /// What is wrong.
    pub message: String,
}

impl core::fmt::Display for FaultParseError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            f,
            "fault '{}': {}; expected {}",
            self.line, self.message, FAULT_GRAMMAR
        )
    }
}

impl core::error::Error for FaultParseError {}

/// A duration with a unit; `bare` is the unit of a bare number, in ms.
fn duration_ms(word: &str, bare: f64) -> Option<f64> {
    let (num, unit) = if let Some(n) = word.strip_suffix("ms") {
        (n, 1.0)
    } else if let Some(n) = word.strip_suffix('s') {
        (n, 1000.0)
    } else if let Some(n) = word.strip_suffix('m') {
        (n, 60_000.0)
    } else {
        (word, bare)
    };
    let v: f64 = num.parse().ok()?;
    v.is_finite().then_some(v * unit)
}

fn regions(word: &str) -> Vec<String> {
    word.split(',')
        .filter(|s| !s.is_empty())
        .map(ToString::to_string)
        .collect()
}

impl FaultSpec {
    /// Reads one fault from the command-line grammar (see the module docs).
    pub fn parse(line: &str) -> Result<FaultSpec, FaultParseError> {
        let fail = |message: String| FaultParseError {
            line: line.trim().into(),
            message,
        };
        let words: Vec<&str> = line.split_whitespace().collect();
        let Some(at) = words.iter().position(|w| *w == "at") else {
            return Err(fail("no 'at TIME'".into()));
        };
        let (head, tail) = words.split_at(at);
        let time = |w: Option<&&str>, what: &str| -> Result<f64, FaultParseError> {
            let w = w.ok_or_else(|| fail(format!("'{what}' needs a time")))?;
            duration_ms(w, 1000.0)
                .map(|ms| ms / 1000.0)
                .ok_or_else(|| fail(format!("'{w}' is not a time (e.g. 60s, 1.5m, 500ms)")))
        };
        let at_s = time(tail.get(1), "at")?;
        let for_s = match tail.get(2) {
            None => None,
            Some(&"for") => Some(time(tail.get(3), "for")?),
            Some(w) => return Err(fail(format!("unexpected '{w}' after the start time"))),
        };
        if tail.len() > 4 {
            return Err(fail(format!("unexpected '{}' at the end", tail[4])));
        }
        let Some((kind, args)) = head.split_first() else {
            return Err(fail("no fault kind".into()));
        };
        let kind_name = kind.to_ascii_lowercase().replace('_', "-");
        let arity = |n: usize| {
            if args.len() == n {
                Ok(())
            } else {
                Err(fail(format!(
                    "{kind_name} takes {n} argument(s) before 'at', got {}",
                    args.len()
                )))
            }
        };
        let delay = |w: &str| {
            duration_ms(w.trim_start_matches('+'), 1.0)
                .ok_or_else(|| fail(format!("'{w}' is not a delay (e.g. 200ms, 5s)")))
        };
        let kind = match kind_name.as_str() {
            "region-down" => {
                arity(1)?;
                FaultKindSpec::RegionDown {
                    region: args[0].into(),
                }
            }
            "zone-down" => {
                arity(1)?;
                FaultKindSpec::ZoneDown {
                    zone: args[0].into(),
                }
            }
            "node-down" => {
                arity(1)?;
                FaultKindSpec::NodeDown {
                    node: args[0].into(),
                }
            }
            "partition" => {
                arity(3)?;
                let one_way = match args[1] {
                    "<->" => false,
                    "->" => true,
                    other => return Err(fail(format!("'{other}' is not '<->' or '->'"))),
                };
                FaultKindSpec::Partition {
                    a: regions(args[0]),
                    b: regions(args[2]),
                    one_way,
                }
            }
            "link-degradation" => {
                if args.len() < 2 {
                    return Err(fail("link-degradation needs two regions".into()));
                }
                let (mut extra_rtt_ms, mut loss) = (0.0, 0.0);
                let mut rest = args[2..].iter();
                while let Some(w) = rest.next() {
                    if *w == "loss" {
                        let p = rest
                            .next()
                            .ok_or_else(|| fail("'loss' needs a probability".into()))?;
                        loss = p
                            .parse()
                            .map_err(|_| fail(format!("'{p}' is not a probability")))?;
                    } else {
                        extra_rtt_ms = delay(w)?;
                    }
                }
                FaultKindSpec::LinkDegradation {
                    a: args[0].into(),
                    b: args[1].into(),
                    extra_rtt_ms,
                    loss,
                }
            }
            "lag-spike" => {
                arity(2)?;
                FaultKindSpec::LagSpike {
                    region: (!args[0].eq_ignore_ascii_case("all")).then(|| args[0].into()),
                    apply_delay: Dist::constant(delay(args[1])?),
                }
            }
            "clock-skew" => {
                if !(2..=3).contains(&args.len()) {
                    return Err(fail("clock-skew takes REGION OFFSET [DRIFTppm]".into()));
                }
                let offset_ms = duration_ms(args[1], 1.0)
                    .ok_or_else(|| fail(format!("'{}' is not an offset (e.g. -500ms)", args[1])))?;
                let drift_ppm = match args.get(2) {
                    Some(w) => w
                        .trim_end_matches("ppm")
                        .parse()
                        .map_err(|_| fail(format!("'{w}' is not a drift in ppm")))?,
                    None => 0.0,
                };
                FaultKindSpec::ClockSkew {
                    region: args[0].into(),
                    offset_ms,
                    drift_ppm,
                }
            }
            "toggle" => {
                arity(1)?;
                let toggle = match args[0].to_ascii_lowercase().replace('-', "_").as_str() {
                    "force_leader_read" => Toggle::ForceLeaderRead,
                    "write_readonly_mode" => Toggle::WriteReadonlyMode,
                    "disable_recs" => Toggle::DisableRecs,
                    other => {
                        return Err(fail(format!(
                            "unknown toggle '{other}' (force_leader_read, write_readonly_mode or disable_recs)"
                        )));
                    }
                };
                FaultKindSpec::Toggle { toggle }
            }
            "failover" => {
                arity(1)?;
                FaultKindSpec::Failover { to: args[0].into() }
            }
            "failback" => {
                arity(0)?;
                FaultKindSpec::Failback {}
            }
            other => return Err(fail(format!("unknown fault kind '{other}'"))),
        };
        Ok(FaultSpec { at_s, for_s, kind })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_reads() {
        let p = |s: &str| FaultSpec::parse(s).unwrap();
        assert_eq!(
            p("partition SG,JP -> US at 1m").kind,
            FaultKindSpec::Partition {
                a: alloc::vec!["SG".into(), "JP".into()],
                b: alloc::vec!["US".into()],
                one_way: true
            }
        );
        assert_eq!(p("partition SG <-> US at 1m").at_s, 60.0);
        assert_eq!(
            p("zone-down sg-a at 1s").kind,
            FaultKindSpec::ZoneDown {
                zone: "sg-a".into()
            }
        );
        assert_eq!(
            p("node_down sg-1 at 1s").kind,
            FaultKindSpec::NodeDown {
                node: "sg-1".into()
            }
        );
        assert_eq!(
            p("link_degradation SG US +200ms loss 0.1 at 5 for 500ms").kind,
            FaultKindSpec::LinkDegradation {
                a: "SG".into(),
                b: "US".into(),
                extra_rtt_ms: 200.0,
                loss: 0.1
            }
        );
        assert_eq!(
            p("link_degradation SG US +200ms loss 0.1 at 5 for 500ms").for_s,
            Some(0.5)
        );
        assert_eq!(
            p("lag-spike all 5s at 0").kind,
            FaultKindSpec::LagSpike {
                region: None,
                apply_delay: Dist::constant(5000.0)
            }
        );
        assert_eq!(
            p("clock-skew SG -500ms 20ppm at 0").kind,
            FaultKindSpec::ClockSkew {
                region: "SG".into(),
                offset_ms: -500.0,
                drift_ppm: 20.0
            }
        );
        assert_eq!(
            p("toggle write-readonly-mode at 3s for 4s").kind,
            FaultKindSpec::Toggle {
                toggle: Toggle::WriteReadonlyMode
            }
        );
        assert_eq!(
            p("failover US at 30s").kind,
            FaultKindSpec::Failover { to: "US".into() }
        );
        assert_eq!(p("FAILBACK at 40s").kind, FaultKindSpec::Failback {});
    }

    #[test]
    fn errors_say_what_is_wrong() {
        let e = |s: &str| FaultSpec::parse(s).unwrap_err().message;
        assert_eq!(e("region-down SG"), "no 'at TIME'");
        assert!(e("region-down SG at noon").contains("'noon' is not a time"));
        assert!(e("region-down at 5s").contains("takes 1 argument"));
        assert!(e("meteor SG at 5s").contains("unknown fault kind 'meteor'"));
        assert!(e("partition SG | US at 5s").contains("'|' is not"));
        assert!(e("region-down SG at 5s until 9s").contains("unexpected 'until'"));
        assert!(e("toggle disco at 5s").contains("unknown toggle"));
        let full = FaultSpec::parse("x").unwrap_err().to_string();
        assert!(full.contains("expected region-down REGION"), "{full}");
    }
}
