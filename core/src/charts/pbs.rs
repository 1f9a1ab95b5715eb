//! The t-visibility chart of Probabilistically Bounded Staleness: the probability of a consistent
//! read against the time since commit, with the target as a horizontal line, the `t` reaching it
//! as a vertical one, and the closed form at `t = 0` ([`crate::pbs::k_staleness`] with `k = 1`)
//! as a point.
//!
//! [`t_visibility_chart`] is the chart as the page's PBS view shows it and as
//! `meridian pbs --svg DIR` writes it; [`curve_times`] are the times it is evaluated at, and
//! [`Figures`] what both read out of the report (where the target is reached, the closed form,
//! the span of `t` drawn).

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{Chart, LATENCY_COLOR, PERCENTILE_COLOR, SLO_COLOR, span_label, svg_document};
use crate::format::{millis, probability};
use crate::pbs::{PbsReport, TVisibility, k_staleness};

/// Width of the chart, px.
pub const WIDTH: u32 = 760;
/// Height of the chart, px.
pub const HEIGHT: u32 = 340;

/// Smallest positive time on the curve, in milliseconds (the curve also has `t = 0`).
pub const T_FIRST_MS: f64 = 0.01;

/// Largest time on the curve, in milliseconds.
pub const T_LAST_MS: f64 = 10_000.0;

/// Positive times on the curve, spaced geometrically from [`T_FIRST_MS`] to [`T_LAST_MS`]
/// (neighbours about 0.9% apart), so that fast and slow fits both get a smooth curve.
pub const T_POINTS: usize = 1_600;

/// The times after commit at which the chart's curve is evaluated, in milliseconds, ascending:
/// 0, then [`T_POINTS`] times from [`T_FIRST_MS`] to [`T_LAST_MS`]. Computed with `libm`, so the
/// page and the CLI evaluate the very same times.
pub fn curve_times() -> Vec<f64> {
    let span = T_LAST_MS / T_FIRST_MS;
    let last = (T_POINTS - 1) as f64;
    core::iter::once(0.0)
        .chain((0..T_POINTS).map(|i| {
            if i + 1 == T_POINTS {
                T_LAST_MS
            } else {
                T_FIRST_MS * libm::pow(span, i as f64 / last)
            }
        }))
        .collect()
}

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

/// What the chart and its words read out of one report.
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

/// The chart's text summary: what it shows and where the target is reached.
pub fn summary(report: &PbsReport, figures: &Figures, preset: &str) -> String {
    format!(
        "t-visibility for {}: {}",
        quorum(report, preset),
        reach(report, figures)
    )
}

/// The t-visibility chart of `report` (its curve sorted by `t`), as the PBS view shows it and
/// `meridian pbs --svg` writes it; `preset` names the latency fit in the summary.
pub fn t_visibility_chart(report: &PbsReport, preset: &str) -> Chart {
    let figures = Figures::of(report);
    let mut curve = report.consistency.clone();
    curve.sort_by(|a, b| a.t_ms.total_cmp(&b.t_ms));
    let spec = CurveSpec {
        curve: &curve,
        target: report.target,
        figures: &figures,
    };
    Chart {
        name: "t-visibility".into(),
        svg: curve_svg(&spec),
        aria: summary(report, &figures, preset),
        width: WIDTH,
        height: HEIGHT,
    }
}

/// What the chart draws.
#[derive(Debug, Clone, PartialEq)]
pub struct CurveSpec<'a> {
    /// `P(consistent)` at each `t`, ascending in `t`.
    pub curve: &'a [TVisibility],
    /// The target probability.
    pub target: f64,
    /// The figures read from the same report (where the target is reached, the closed form,
    /// the span of `t`).
    pub figures: &'a Figures,
}

/// The bottom of the probability axis: below the lowest probability on the curve and the
/// target by one step more than needed, the step a power of ten fitted to the gap from 1 (0.1
/// for a curve starting at 44%, 0.001 for one starting at 99.02%), so that a curve climbing
/// through the last nines still fills the chart. Core's closed form may fall below it.
fn y_floor(spec: &CurveSpec<'_>) -> f64 {
    let lowest = spec
        .curve
        .iter()
        .map(|c| c.p_consistent)
        .chain([spec.target])
        .filter(|p| p.is_finite())
        .fold(1.0, f64::min);
    let gap = (1.0 - lowest).max(1e-6);
    let step = libm::pow(10.0, libm::floor(libm::log10(gap)));
    // Less a hair before rounding up, so that 1 - 0.999 counts as one step, not two.
    (1.0 - (libm::ceil(gap / step - 1e-9) + 1.0) * step).clamp(0.0, 1.0 - 1e-6)
}

/// Draws `spec` on `area`.
pub fn draw_curve<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    spec: &CurveSpec<'_>,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    area.fill(&WHITE)?;
    let x_max = spec.figures.x_max_ms;
    let points: Vec<(f64, f64)> = spec
        .curve
        .iter()
        .filter(|c| c.t_ms <= x_max && c.t_ms.is_finite() && c.p_consistent.is_finite())
        .map(|c| (c.t_ms, c.p_consistent))
        .collect();
    if points.is_empty() || !(x_max.is_finite() && x_max > 0.0) {
        area.draw(&Text::new(
            "no curve",
            (20, 20),
            ("sans-serif", 14).into_font().color(&BLACK),
        ))?;
        return Ok(());
    }
    let y_min = y_floor(spec);
    let mut chart = ChartBuilder::on(area)
        .margin(10)
        .x_label_area_size(40)
        .y_label_area_size(64)
        .build_cartesian_2d(0f64..x_max, y_min..1.0f64 + (1.0 - y_min) * 0.04)?;
    chart
        .configure_mesh()
        .x_desc("t: time from commit to read (ms)")
        .y_desc("P(consistent read)")
        .x_labels(8)
        .x_label_formatter(&|v| span_label(*v))
        .y_labels(6)
        .y_label_formatter(&|v| probability(*v))
        .axis_desc_style(("sans-serif", 13))
        .draw()?;
    let target = spec.target;
    chart.draw_series(core::iter::once(PathElement::new(
        [(0.0, target), (x_max, target)],
        SLO_COLOR.stroke_width(2),
    )))?;
    // The curve through the evaluated times, close enough together to read as a line, over
    // the target's line.
    chart.draw_series(core::iter::once(PathElement::new(
        points,
        LATENCY_COLOR.stroke_width(3),
    )))?;
    chart.draw_series(core::iter::once(Text::new(
        format!("target {}", probability(target)),
        (x_max * 0.98, target),
        right_label(SLO_COLOR),
    )))?;
    if let Reach::Within { t_ms } = spec.figures.reach {
        chart.draw_series(core::iter::once(PathElement::new(
            [(t_ms, y_min), (t_ms, target)],
            PERCENTILE_COLOR.stroke_width(1),
        )))?;
        chart.draw_series(core::iter::once(Text::new(
            format!("t = {}", span_label(t_ms)),
            (t_ms, y_min + (target - y_min) * 0.1),
            right_label(PERCENTILE_COLOR),
        )))?;
    }
    let closed = spec.figures.closed_form_t0;
    let closed_text = format!("closed form at t = 0: {}", probability(closed));
    let style = ("sans-serif", 12).into_font().color(&PERCENTILE_COLOR);
    if closed >= y_min {
        chart.draw_series(core::iter::once(Circle::new(
            (0.0, closed),
            5,
            PERCENTILE_COLOR.filled(),
        )))?;
        chart.draw_series(core::iter::once(Text::new(
            closed_text,
            (x_max * 0.02, closed),
            style,
        )))?;
    } else if closed.is_finite() {
        chart.draw_series(core::iter::once(Text::new(
            format!("{closed_text} (below this axis)"),
            (x_max * 0.02, y_min + (1.0 - y_min) * 0.25),
            style,
        )))?;
    }
    Ok(())
}

/// A label ending at its point (so it stays inside the chart's right edge).
fn right_label(color: RGBColor) -> TextStyle<'static> {
    ("sans-serif", 12)
        .into_font()
        .color(&color)
        .pos(Pos::new(HPos::Right, VPos::Bottom))
}

/// Renders `spec` as a standalone SVG document of [`WIDTH`] x [`HEIGHT`] px.
pub fn curve_svg(spec: &CurveSpec<'_>) -> Result<String, String> {
    svg_document(WIDTH, HEIGHT, |root| draw_curve(root, spec))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pbs::{DEFAULT_TARGET, PbsConfig, Preset};

    fn run(preset: Preset, r: u32, w: u32, trials: u64) -> PbsReport {
        PbsConfig {
            trials,
            seed: 1,
            t_ms: curve_times(),
            target: DEFAULT_TARGET,
            ..PbsConfig::preset(preset, 3, r, w)
        }
        .run()
        .unwrap()
    }

    fn report() -> PbsReport {
        run(Preset::LnkdDisk, 1, 1, 20_000)
    }

    #[test]
    fn the_grid_starts_at_zero_and_climbs_to_the_last_time() {
        let t = curve_times();
        assert_eq!(t.len(), T_POINTS + 1);
        assert_eq!((t[0], t[1], t[T_POINTS]), (0.0, T_FIRST_MS, T_LAST_MS));
        assert!(t.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn the_chart_draws_the_curve_the_target_and_the_closed_form() {
        let report = report();
        let chart = t_visibility_chart(&report, "lnkd-disk");
        assert_eq!(chart.file_name(), "t-visibility.svg");
        assert!(
            chart
                .aria
                .starts_with("t-visibility for N=3, R=1, W=1 (lnkd-disk): 99.9% consistent after"),
            "{}",
            chart.aria
        );
        let svg = chart.svg.unwrap();
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("<polyline"), "{svg}");
        assert!(svg.contains("target 99.9%"), "{svg}");
        assert!(svg.contains("closed form at t = 0: 33.33%"), "{svg}");
        assert!(svg.contains("<circle"), "{svg}");
    }

    #[test]
    fn odd_input_says_so_instead_of_failing() {
        let report = report();
        let mut figures = Figures::of(&report);
        figures.x_max_ms = f64::NAN;
        let svg = curve_svg(&CurveSpec {
            curve: &report.consistency,
            target: report.target,
            figures: &figures,
        })
        .unwrap();
        assert!(svg.contains("no curve"));
        let figures = Figures::of(&report);
        assert!(
            curve_svg(&CurveSpec {
                curve: &[],
                target: 0.5,
                figures: &figures,
            })
            .unwrap()
            .contains("no curve")
        );
    }

    #[test]
    fn the_probability_axis_fits_the_curve_and_the_target() {
        let figures = Figures::of(&report());
        let spec = |curve: &[TVisibility], target: f64| {
            y_floor(&CurveSpec {
                curve,
                target,
                figures: &figures,
            })
        };
        let at = |p: f64| TVisibility {
            t_ms: 0.0,
            p_consistent: p,
        };
        let close = |a: f64, b: f64| (a - b).abs() < 1e-9;
        assert!(close(spec(&[at(0.4374), at(1.0)], 0.999), 0.3));
        assert!(close(spec(&[at(0.9902), at(1.0)], 0.999), 0.989));
        assert!(close(spec(&[at(1.0)], 0.999), 0.998));
        assert!(close(spec(&[at(0.01)], 0.5), 0.0));
        let floor = spec(&[at(1.0)], 1.0);
        assert!(floor < 1.0 && floor > 0.99);
    }

    #[test]
    fn axis_labels_keep_the_decimals_the_span_needs() {
        assert_eq!(span_label(0.0), "0");
        assert_eq!(span_label(0.125), "0.125");
        assert_eq!(span_label(12.34), "12.3");
        assert_eq!(span_label(1500.0), "1500");
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
        let report = report();
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
        let report = run(Preset::LnkdDisk, 2, 2, 5_000);
        let f = Figures::of(&report);
        assert!(f.strict_quorum);
        assert_eq!((f.simulated_t0, f.closed_form_t0), (Some(1.0), 1.0));
        assert_eq!(f.reach, Reach::AtCommit);
        assert!(f.x_max_ms > 0.0 && f.x_max_ms <= T_LAST_MS);
    }

    #[test]
    fn a_target_past_the_curve_says_so() {
        let mut report = run(Preset::LnkdSsd, 1, 1, 2_000);
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
        assert!(reach(&report, &f).contains("not reached within the curve (up to 10 s)"));
        // No t = 0 in the run, odd latencies: still a positive span.
        report.consistency.retain(|c| c.t_ms > 0.0);
        report.write_latency_ms.p99 = f64::NAN;
        report.t_for_target_ms = 0.0;
        let f = Figures::of(&report);
        assert_eq!(f.simulated_t0, None);
        assert_eq!(f.x_max_ms, T_LAST_MS);
    }
}
