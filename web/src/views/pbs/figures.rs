//! The figures the PBS view shows, each read from core: from a run's report, the simulated
//! probability of a consistent read at `t = 0` and the smallest `t` reaching the target (and
//! whether the curve gets there); from core's closed form, the probability at `t = 0` for a
//! quorum that does not grow after the write returns; and the span of `t` the chart draws.

use meridian_core::pbs::{PbsReport, k_staleness};

/// Where the target probability is reached.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Reach {
    /// Already at `t = 0`, right after the write commits.
    AtCommit,
    /// At `t_ms`, within the curve.
    Within {
        /// The smallest `t` reaching the target, in ms.
        t_ms: f64,
    },
    /// Only after the curve's last time.
    Beyond {
        /// The smallest `t` reaching the target, in ms.
        t_ms: f64,
        /// The curve's last time, in ms.
        curve_end_ms: f64,
    },
}

/// What the view reads out of one report.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Figures {
    /// Simulated probability of a consistent read at `t = 0` (`None` if the run had no `t = 0`).
    pub simulated_t0: Option<f64>,
    /// The closed form at `t = 0`: `1 - C(N-W, R) / C(N, R)` (see [`closed_form_t0`]).
    pub closed_form_t0: f64,
    /// `R + W > N`.
    pub strict_quorum: bool,
    /// Where the target is reached.
    pub reach: Reach,
    /// Right end of the chart's `t` axis, in ms.
    pub x_max_ms: f64,
}

/// The paper's closed form for a consistent read right after commit when the quorums do not
/// grow: a read of `R` of `N` replicas misses the `W` that hold the write with probability
/// `C(N-W, R) / C(N, R)`, so it is consistent with probability one minus that. Core's
/// [`k_staleness`] with `k = 1` (the last version only) is exactly this; it is 1 when
/// `R + W > N`.
pub fn closed_form_t0(n: u32, r: u32, w: u32) -> f64 {
    k_staleness(n, r, w, 1)
}

/// How far right of the target's `t` the chart extends, as a multiple of it.
const X_MARGIN: f64 = 1.5;

impl Figures {
    /// The figures of `report`.
    pub fn of(report: &PbsReport) -> Self {
        let simulated_t0 = report
            .consistency
            .iter()
            .find(|c| c.t_ms == 0.0)
            .map(|c| c.p_consistent);
        let curve_end_ms = report
            .consistency
            .iter()
            .map(|c| c.t_ms)
            .fold(0.0, f64::max);
        let t = report.t_for_target_ms;
        let reach = if t <= 0.0 {
            Reach::AtCommit
        } else if t <= curve_end_ms {
            Reach::Within { t_ms: t }
        } else {
            Reach::Beyond {
                t_ms: t,
                curve_end_ms,
            }
        };
        // Past the target's t; when the target holds from commit, over the write latency's
        // p99, the time scale on which a write spreads.
        let wanted = match reach {
            Reach::Within { t_ms } => t_ms * X_MARGIN,
            Reach::Beyond { .. } => curve_end_ms,
            Reach::AtCommit => report.write_latency_ms.p99 * X_MARGIN,
        };
        let x_max_ms = if wanted.is_finite() && wanted > 0.0 {
            wanted.min(curve_end_ms.max(f64::MIN_POSITIVE))
        } else {
            curve_end_ms.max(1.0)
        };
        Figures {
            simulated_t0,
            closed_form_t0: closed_form_t0(report.n, report.r, report.w),
            strict_quorum: report.strict_quorum,
            reach,
            x_max_ms,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::views::pbs::settings::{Settings, T_LAST_MS};
    use meridian_core::pbs::{PbsConfig, Preset};

    fn run(settings: Settings, trials: u64) -> PbsReport {
        PbsConfig {
            trials,
            ..settings.config()
        }
        .run()
        .unwrap()
    }

    #[test]
    fn the_closed_form_is_one_minus_the_share_of_read_quorums_missing_the_write() {
        // C(2,1)/C(3,1) = 2/3 of the reads miss the one replica holding the write.
        assert!((closed_form_t0(3, 1, 1) - 1.0 / 3.0).abs() < 1e-12);
        // C(3,2)/C(5,2) = 3/10.
        assert!((closed_form_t0(5, 2, 2) - 0.7).abs() < 1e-12);
        assert_eq!(closed_form_t0(3, 2, 2), 1.0);
    }

    #[test]
    fn a_partial_quorum_reaches_the_target_within_the_curve() {
        let report = run(Settings::default(), 20_000);
        let f = Figures::of(&report);
        assert_eq!(f.simulated_t0, Some(report.consistency[0].p_consistent));
        assert!(!f.strict_quorum);
        let Reach::Within { t_ms } = f.reach else {
            panic!("{:?}", f.reach)
        };
        assert_eq!(t_ms, report.t_for_target_ms);
        assert_eq!(f.x_max_ms, t_ms * X_MARGIN);
        // With expanding quorums the simulation beats the closed form's lower bound.
        assert!(f.simulated_t0.unwrap() > f.closed_form_t0);
    }

    #[test]
    fn a_strict_quorum_is_consistent_from_commit() {
        let report = run(
            Settings {
                r: 2,
                w: 2,
                ..Settings::default()
            },
            5_000,
        );
        let f = Figures::of(&report);
        assert!(f.strict_quorum);
        assert_eq!((f.simulated_t0, f.closed_form_t0), (Some(1.0), 1.0));
        assert_eq!(f.reach, Reach::AtCommit);
        assert!(f.x_max_ms > 0.0 && f.x_max_ms <= T_LAST_MS);
    }

    #[test]
    fn a_target_past_the_curve_says_so() {
        let mut report = run(
            Settings {
                preset: Preset::LnkdSsd,
                ..Settings::default()
            },
            2_000,
        );
        report.t_for_target_ms = T_LAST_MS * 2.0;
        let f = Figures::of(&report);
        assert_eq!(
            f.reach,
            Reach::Beyond {
                t_ms: T_LAST_MS * 2.0,
                curve_end_ms: T_LAST_MS
            }
        );
        assert_eq!(f.x_max_ms, T_LAST_MS);
        // No t = 0 in the run, odd latencies: still a positive span.
        report.consistency.retain(|c| c.t_ms > 0.0);
        report.write_latency_ms.p99 = f64::NAN;
        report.t_for_target_ms = 0.0;
        let f = Figures::of(&report);
        assert_eq!(f.simulated_t0, None);
        assert_eq!(f.x_max_ms, T_LAST_MS);
    }
}
