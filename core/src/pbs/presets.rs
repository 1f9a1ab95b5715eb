//! The production latency fits of Bailis et al. (VLDB 2012), Table 3, and their WAN scenario.

use core::fmt;
use core::str::FromStr;

use serde::{Deserialize, Serialize};

use super::config::{PbsConfig, WarsLegs};
use crate::dist::Dist;

/// One-way delay added to messages to and from replicas outside the coordinator's datacenter in
/// the paper's `WAN` scenario, in milliseconds.
pub const WAN_REMOTE_DELAY_MS: f64 = 75.0;

/// A named set of WARS leg distributions from the paper.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Preset {
    /// LinkedIn Voldemort on SSDs: `W = A = R = S` = 91.22% Pareto (x_m = 0.235 ms, alpha = 10),
    /// 8.78% exponential (lambda = 1.66 per ms).
    LnkdSsd,
    /// LinkedIn Voldemort on spinning disks: `A = R = S` as [`Preset::LnkdSsd`]; `W` = 38% Pareto
    /// (x_m = 1.05 ms, alpha = 1.51), 62% exponential (lambda = 0.183 per ms).
    LnkdDisk,
    /// Yammer Riak: `W` = 93.9% Pareto (x_m = 3 ms, alpha = 3.35), 6.1% exponential (lambda =
    /// 0.0028 per ms); `A = R = S` = 98.2% Pareto (x_m = 1.5 ms, alpha = 3.8), 1.8% exponential
    /// (lambda = 0.0217 per ms).
    Ymmr,
    /// Wide-area replication: [`Preset::LnkdDisk`] once a message reaches its datacenter, and
    /// [`WAN_REMOTE_DELAY_MS`] more each way for every replica but one, the coordinator's local
    /// replica, chosen at random for each write and each read.
    Wan,
}

impl Preset {
    /// Every preset, in the paper's order.
    pub const ALL: [Preset; 4] = [Preset::LnkdSsd, Preset::LnkdDisk, Preset::Ymmr, Preset::Wan];

    /// The name used on the command line and in documents: `lnkd-ssd`, `lnkd-disk`, `ymmr`, `wan`.
    pub const fn name(self) -> &'static str {
        match self {
            Preset::LnkdSsd => "lnkd-ssd",
            Preset::LnkdDisk => "lnkd-disk",
            Preset::Ymmr => "ymmr",
            Preset::Wan => "wan",
        }
    }

    /// The preset's leg distributions.
    pub fn legs(self) -> WarsLegs {
        match self {
            Preset::LnkdSsd => WarsLegs::iid(lnkd_ssd(), lnkd_ssd(), 0.0),
            Preset::LnkdDisk => WarsLegs::iid(lnkd_disk_write(), lnkd_ssd(), 0.0),
            Preset::Ymmr => WarsLegs::iid(ymmr_write(), ymmr_ars(), 0.0),
            Preset::Wan => WarsLegs::iid(lnkd_disk_write(), lnkd_ssd(), WAN_REMOTE_DELAY_MS),
        }
    }
}

impl fmt::Display for Preset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The name is not one of [`Preset::ALL`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnknownPreset;

impl fmt::Display for UnknownPreset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("unknown preset; expected one of lnkd-ssd, lnkd-disk, ymmr, wan")
    }
}

impl core::error::Error for UnknownPreset {}

impl FromStr for Preset {
    type Err = UnknownPreset;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Preset::ALL
            .into_iter()
            .find(|p| p.name().eq_ignore_ascii_case(s))
            .ok_or(UnknownPreset)
    }
}

/// The paper's fits read "p%: Pareto(x_m, alpha), (100 - p)%: exponential(lambda)", with lambda
/// per millisecond; the percentages are kept as the mixture's weights, as printed.
fn pareto_exponential(
    pareto_pct: f64,
    scale_ms: f64,
    shape: f64,
    exponential_pct: f64,
    lambda_per_ms: f64,
) -> Dist {
    Dist::mixture([
        (pareto_pct, Dist::pareto(scale_ms, shape)),
        (exponential_pct, Dist::exponential(1.0 / lambda_per_ms)),
    ])
}

fn lnkd_ssd() -> Dist {
    pareto_exponential(91.22, 0.235, 10.0, 8.78, 1.66)
}

fn lnkd_disk_write() -> Dist {
    pareto_exponential(38.0, 1.05, 1.51, 62.0, 0.183)
}

fn ymmr_write() -> Dist {
    pareto_exponential(93.9, 3.0, 3.35, 6.1, 0.0028)
}

fn ymmr_ars() -> Dist {
    pareto_exponential(98.2, 1.5, 3.8, 1.8, 0.0217)
}

impl PbsConfig {
    /// `N`, `R`, `W` with a preset's legs and the defaults:
    /// [`DEFAULT_TRIALS`](super::DEFAULT_TRIALS) trials, seed 1,
    /// [`DEFAULT_T_MS`](super::DEFAULT_T_MS) and [`DEFAULT_TARGET`](super::DEFAULT_TARGET).
    pub fn preset(preset: Preset, n: u32, r: u32, w: u32) -> Self {
        Self::with_legs(preset.legs(), n, r, w)
    }
}
