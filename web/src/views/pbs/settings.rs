//! The PBS view's settings: the paper's latency fit, `N`, `R`, `W` and the target probability;
//! the checks that read each one from text (the form and the page address share them, so both
//! name a bad value the same way); and the run the settings ask core for.

use meridian_core::pbs::{DEFAULT_TARGET, PbsConfig, Preset};

/// Largest replication factor `N` the view runs (core accepts more; past this the curve barely
/// changes and every run slows down with `N`).
pub const MAX_N: u32 = 16;

/// Trials per run: enough that a target of 99.9% rests on a couple of hundred stale reads.
pub const TRIALS: u64 = 200_000;

/// Seed of every run, so a link reproduces its figures.
pub const SEED: u64 = 1;

pub use meridian_core::charts::pbs::{T_FIRST_MS, T_LAST_MS, T_POINTS};

/// What the view shows: one latency fit and quorum, and the probability to reach.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// The paper's latency fit.
    pub preset: Preset,
    /// Replication factor `N`.
    pub n: u32,
    /// Read quorum `R`.
    pub r: u32,
    /// Write quorum `W`.
    pub w: u32,
    /// Target probability of a consistent read, in `(0, 1]`.
    pub target: f64,
}

impl Default for Settings {
    /// Spinning disks at `N = 3, R = W = 1`, the paper's case where staleness shows most, and
    /// core's default target.
    fn default() -> Self {
        Settings {
            preset: Preset::LnkdDisk,
            n: 3,
            r: 1,
            w: 1,
            target: DEFAULT_TARGET,
        }
    }
}

impl Settings {
    /// The run these settings ask for: [`TRIALS`] trials with seed [`SEED`], evaluated at
    /// [`t_grid`].
    pub fn config(&self) -> PbsConfig {
        PbsConfig {
            trials: TRIALS,
            seed: SEED,
            t_ms: t_grid(),
            target: self.target,
            ..PbsConfig::preset(self.preset, self.n, self.r, self.w)
        }
    }
}

/// The times after commit at which the curve is evaluated, in milliseconds, ascending: core's
/// chart grid ([`meridian_core::charts::pbs::curve_times`]), which `meridian pbs --svg` uses too.
pub fn t_grid() -> Vec<f64> {
    meridian_core::charts::pbs::curve_times()
}

/// Reads a latency fit by name (any case).
pub fn parse_preset(text: &str) -> Result<Preset, String> {
    text.trim().parse::<Preset>().map_err(|_| {
        let names: Vec<&str> = Preset::ALL.iter().map(|p| p.name()).collect();
        format!(
            "unknown latency fit '{text}'; allowed: {}",
            names.join(", ")
        )
    })
}

/// Reads `N`: a whole number from 1 to [`MAX_N`].
pub fn parse_n(text: &str) -> Result<u32, String> {
    match text.trim().parse::<u32>() {
        Ok(n) if (1..=MAX_N).contains(&n) => Ok(n),
        _ => Err(format!(
            "N '{text}': expected a whole number from 1 to {MAX_N}"
        )),
    }
}

/// Reads a quorum size (`name` is `R` or `W`): a whole number from 1 to `n`.
pub fn parse_quorum(name: &str, text: &str, n: u32) -> Result<u32, String> {
    match text.trim().parse::<u32>() {
        Ok(q) if (1..=n).contains(&q) => Ok(q),
        _ => Err(format!(
            "{name} '{text}': expected a whole number from 1 to N ({n})"
        )),
    }
}

/// Reads the target probability: a number above 0 and at most 1.
pub fn parse_target(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(p) if p > 0.0 && p <= 1.0 => Ok(p),
        _ => Err(format!(
            "target '{text}': expected a probability above 0 and at most 1, such as 0.999"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_grid_starts_at_zero_and_climbs_to_the_last_time() {
        let t = t_grid();
        assert_eq!(t.len(), T_POINTS + 1);
        assert_eq!((t[0], t[1], t[T_POINTS]), (0.0, T_FIRST_MS, T_LAST_MS));
        assert!(t.windows(2).all(|w| w[0] < w[1]));
        // Core accepts it.
        assert_eq!(Settings::default().config().validate(), Ok(()));
    }

    #[test]
    fn every_check_names_the_value_and_what_is_allowed() {
        assert_eq!(parse_preset(" YMMR "), Ok(Preset::Ymmr));
        assert_eq!(
            parse_preset("ssd").unwrap_err(),
            "unknown latency fit 'ssd'; allowed: lnkd-ssd, lnkd-disk, ymmr, wan"
        );
        assert_eq!(parse_n("16"), Ok(16));
        for bad in ["0", "17", "-1", "x", "", "2.5"] {
            assert_eq!(
                parse_n(bad).unwrap_err(),
                format!("N '{bad}': expected a whole number from 1 to 16")
            );
        }
        assert_eq!(parse_quorum("R", "3", 3), Ok(3));
        assert_eq!(
            parse_quorum("W", "4", 3).unwrap_err(),
            "W '4': expected a whole number from 1 to N (3)"
        );
        assert!(parse_quorum("R", "0", 3).is_err());
        assert_eq!(parse_target("1"), Ok(1.0));
        assert_eq!(parse_target("0.5"), Ok(0.5));
        for bad in ["0", "1.01", "NaN", "inf", "-0.5", "most"] {
            assert!(
                parse_target(bad)
                    .unwrap_err()
                    .starts_with(&format!("target '{bad}'")),
                "{bad}"
            );
        }
    }
}
