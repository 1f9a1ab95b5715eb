//! What a PBS run is asked: the WARS legs ([`WarsLegs`]) and the run's configuration
//! ([`PbsConfig`]) with its defaults and validation.

use alloc::format;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use crate::dist::Dist;
use crate::error::FieldError;
#[cfg(doc)]
use crate::rng::SimRng;

/// Largest replication factor `N` accepted.
pub const MAX_REPLICAS: u32 = 64;

/// Largest number of trials accepted (10^12).
pub const MAX_TRIALS: u64 = 1_000_000_000_000;

/// Largest number of `t` values in one run.
pub const MAX_T_POINTS: usize = 10_000;

/// Trials run by [`PbsConfig::preset`] unless changed.
pub const DEFAULT_TRIALS: u64 = 1_000_000;

/// Times after commit evaluated by [`PbsConfig::preset`] unless changed, in milliseconds.
pub const DEFAULT_T_MS: [f64; 6] = [0.0, 1.0, 5.0, 10.0, 50.0, 100.0];

/// Target probability of a consistent read used by [`PbsConfig::preset`] unless changed.
pub const DEFAULT_TARGET: f64 = 0.999;

/// The four one-way delay distributions of the WARS model, in milliseconds, each drawn
/// independently for every replica and trial.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WarsLegs {
    /// Coordinator to replica with the write (`W`), until the replica has applied it.
    pub w: Dist,
    /// Replica to coordinator with the write's acknowledgement (`A`).
    pub a: Dist,
    /// Coordinator to replica with the read request (`R`).
    pub r: Dist,
    /// Replica to coordinator with the read's answer (`S`).
    pub s: Dist,
    /// Extra one-way delay, in milliseconds, for replicas outside the coordinator's datacenter:
    /// when positive, one replica chosen at random for each write (and, independently, for each
    /// read) is local, and every leg to or from the others takes this much longer (the paper's
    /// `WAN` scenario, 75 ms). 0, the default, puts every replica next to the coordinator.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub remote_delay_ms: f64,
}

fn is_zero(x: &f64) -> bool {
    *x == 0.0
}

impl WarsLegs {
    /// Legs with `W` drawn from `w`, `A`, `R` and `S` all from `ars`, and the given remote delay.
    pub fn iid(w: Dist, ars: Dist, remote_delay_ms: f64) -> Self {
        WarsLegs {
            w,
            a: ars.clone(),
            r: ars.clone(),
            s: ars,
            remote_delay_ms,
        }
    }

    /// Checks the four distributions and the remote delay; paths are relative to the legs
    /// (`a.components[0].dist.shape`, `remote_delay_ms`).
    pub fn validate(&self) -> Result<(), FieldError> {
        for (name, d) in [
            ("w", &self.w),
            ("a", &self.a),
            ("r", &self.r),
            ("s", &self.s),
        ] {
            d.validate().map_err(|e| e.within(name))?;
        }
        if !(self.remote_delay_ms.is_finite() && self.remote_delay_ms >= 0.0) {
            return Err(FieldError::new(
                "remote_delay_ms",
                self.remote_delay_ms,
                "a finite number >= 0",
            ));
        }
        Ok(())
    }
}

/// Everything a PBS run needs: quorum sizes, latency legs, trials, seed, the times to evaluate
/// and the target probability.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PbsConfig {
    /// Replication factor `N`, 1 to [`MAX_REPLICAS`].
    pub n: u32,
    /// Read quorum `R`: answers the coordinator waits for, 1 to `n`.
    pub r: u32,
    /// Write quorum `W`: acknowledgements the coordinator waits for, 1 to `n`.
    pub w: u32,
    /// The WARS delay distributions.
    pub legs: WarsLegs,
    /// Number of trials (one write and one read each), 1 to [`MAX_TRIALS`].
    #[serde(default = "default_trials")]
    pub trials: u64,
    /// Seed of the run's [`SimRng`].
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// Times after commit at which to report `P(consistent read)`, in milliseconds (finite,
    /// `>= 0`, at most [`MAX_T_POINTS`] of them; any order, repeats allowed).
    #[serde(default = "default_t_ms")]
    pub t_ms: Vec<f64>,
    /// Target probability of a consistent read, in `(0, 1]`; the report gives the smallest `t`
    /// reaching it.
    #[serde(default = "default_target")]
    pub target: f64,
}

fn default_trials() -> u64 {
    DEFAULT_TRIALS
}

fn default_seed() -> u64 {
    1
}

fn default_t_ms() -> Vec<f64> {
    DEFAULT_T_MS.to_vec()
}

fn default_target() -> f64 {
    DEFAULT_TARGET
}

impl PbsConfig {
    /// `N`, `R`, `W` with the given legs and the same defaults as [`PbsConfig::preset`].
    pub fn with_legs(legs: WarsLegs, n: u32, r: u32, w: u32) -> Self {
        PbsConfig {
            n,
            r,
            w,
            legs,
            trials: DEFAULT_TRIALS,
            seed: default_seed(),
            t_ms: default_t_ms(),
            target: DEFAULT_TARGET,
        }
    }

    /// Checks every field; the error names it by its path (`r`, `legs.w.components[1].dist.shape`,
    /// `t_ms[2]`, ...) and says what is allowed.
    pub fn validate(&self) -> Result<(), FieldError> {
        if !(1..=MAX_REPLICAS).contains(&self.n) {
            return Err(FieldError::new(
                "n",
                self.n,
                format!("an integer from 1 to {MAX_REPLICAS}"),
            ));
        }
        for (name, q) in [("r", self.r), ("w", self.w)] {
            if !(1..=self.n).contains(&q) {
                return Err(FieldError::new(
                    name,
                    q,
                    format!("an integer from 1 to n ({})", self.n),
                ));
            }
        }
        self.legs.validate().map_err(|e| e.within("legs"))?;
        if !(1..=MAX_TRIALS).contains(&self.trials) {
            return Err(FieldError::new(
                "trials",
                self.trials,
                "an integer from 1 to 10^12",
            ));
        }
        if self.t_ms.len() > MAX_T_POINTS {
            return Err(FieldError::new(
                "t_ms",
                format!("{} values", self.t_ms.len()),
                format!("at most {MAX_T_POINTS} values"),
            ));
        }
        for (i, &t) in self.t_ms.iter().enumerate() {
            if !(t.is_finite() && t >= 0.0) {
                return Err(FieldError::new(
                    format!("t_ms[{i}]"),
                    t,
                    "a finite number >= 0",
                ));
            }
        }
        if !(self.target > 0.0 && self.target <= 1.0) {
            return Err(FieldError::new(
                "target",
                self.target,
                "a number > 0 and <= 1",
            ));
        }
        Ok(())
    }
}
