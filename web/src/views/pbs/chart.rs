//! The t-visibility chart: the probability of a consistent read against the time since commit,
//! drawn with plotters as inline SVG (through [`crate::charts::svg_document`]), with the target
//! as a horizontal line, the `t` reaching it as a vertical one, and core's closed form at
//! `t = 0` as a point. The figure carries a text summary as its accessible name.

use std::rc::Rc;

use meridian_core::pbs::{PbsReport, TVisibility};
use plotters::coord::Shift;
use plotters::prelude::*;
use yew::prelude::*;

use crate::components::chart_export::ChartExport;

use super::figures::{Figures, Reach};
use super::labels::{probability, summary};
use crate::charts::{LATENCY_COLOR, PERCENTILE_COLOR, SLO_COLOR, svg_document};

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

/// Width of the drawn SVG, in px (it scales with CSS).
const WIDTH: u32 = 760;
/// Height of the drawn SVG, in px.
const HEIGHT: u32 = 340;

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
    let step = 10f64.powf(gap.log10().floor());
    // Less a hair before rounding up, so that 1 - 0.999 counts as one step, not two.
    (1.0 - ((gap / step - 1e-9).ceil() + 1.0) * step).clamp(0.0, 1.0 - 1e-6)
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
        .x_label_formatter(&|v| format_t(*v))
        .y_labels(6)
        .y_label_formatter(&|v| probability(*v))
        .axis_desc_style(("sans-serif", 13))
        .draw()?;
    let target = spec.target;
    chart.draw_series(std::iter::once(PathElement::new(
        [(0.0, target), (x_max, target)],
        SLO_COLOR.stroke_width(2),
    )))?;
    // The curve through the evaluated times, close enough together to read as a line, over
    // the target's line.
    chart.draw_series(std::iter::once(PathElement::new(
        points,
        LATENCY_COLOR.stroke_width(3),
    )))?;
    chart.draw_series(std::iter::once(Text::new(
        format!("target {}", probability(target)),
        (x_max * 0.98, target),
        right_label(SLO_COLOR),
    )))?;
    if let Reach::Within { t_ms } = spec.figures.reach {
        chart.draw_series(std::iter::once(PathElement::new(
            [(t_ms, y_min), (t_ms, target)],
            PERCENTILE_COLOR.stroke_width(1),
        )))?;
        chart.draw_series(std::iter::once(Text::new(
            format!("t = {}", format_t(t_ms)),
            (t_ms, y_min + (target - y_min) * 0.1),
            right_label(PERCENTILE_COLOR),
        )))?;
    }
    let closed = spec.figures.closed_form_t0;
    let closed_text = format!("closed form at t = 0: {}", probability(closed));
    let style = ("sans-serif", 12).into_font().color(&PERCENTILE_COLOR);
    if closed >= y_min {
        chart.draw_series(std::iter::once(Circle::new(
            (0.0, closed),
            5,
            PERCENTILE_COLOR.filled(),
        )))?;
        chart.draw_series(std::iter::once(Text::new(
            closed_text,
            (x_max * 0.02, closed),
            style,
        )))?;
    } else if closed.is_finite() {
        chart.draw_series(std::iter::once(Text::new(
            format!("{closed_text} (below this axis)"),
            (x_max * 0.02, y_min + (1.0 - y_min) * 0.25),
            style,
        )))?;
    }
    Ok(())
}

/// A label ending at its point (so it stays inside the chart's right edge).
fn right_label(color: RGBColor) -> TextStyle<'static> {
    use plotters::style::text_anchor::{HPos, Pos, VPos};
    ("sans-serif", 12)
        .into_font()
        .color(&color)
        .pos(Pos::new(HPos::Right, VPos::Bottom))
}

/// Axis labels in ms with the decimals a short span needs.
fn format_t(v: f64) -> String {
    let text = if v.abs() >= 100.0 {
        format!("{v:.0}")
    } else if v.abs() >= 1.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.3}")
    };
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

/// Renders `spec` as a standalone SVG document.
pub fn curve_svg(spec: &CurveSpec<'_>) -> Result<String, String> {
    svg_document(WIDTH, HEIGHT, |root| draw_curve(root, spec))
}

/// Props of [`TVisibilityChart`].
#[derive(Debug, PartialEq, Properties)]
pub struct TVisibilityChartProps {
    /// The run to draw.
    pub report: Rc<PbsReport>,
    /// The latency fit's name, for the summary.
    pub preset: AttrValue,
}

/// The chart with its summary as accessible name and caption.
#[function_component(TVisibilityChart)]
pub fn t_visibility_chart(props: &TVisibilityChartProps) -> Html {
    let report = &props.report;
    let figures = Figures::of(report);
    let mut curve = report.consistency.clone();
    curve.sort_by(|a, b| a.t_ms.total_cmp(&b.t_ms));
    let spec = CurveSpec {
        curve: &curve,
        target: report.target,
        figures: &figures,
    };
    let text = summary(report, &figures, &props.preset);
    let drawn = curve_svg(&spec);
    let body = match &drawn {
        // Generated here by plotters from numbers and fixed words, so it is safe to inline.
        Ok(svg) => Html::from_html_unchecked(AttrValue::from(svg.clone())),
        Err(e) => html! { <p class="chart-error">{ format!("Could not draw the chart: {e}") }</p> },
    };
    html! {
        <figure class="chart pbs-chart" data-testid="pbs-chart">
            <div role="img" aria-label={text.clone()} data-testid="pbs-chart-img">{ body }</div>
            <figcaption data-testid="pbs-chart-summary">{ text }</figcaption>
            if let Ok(svg) = &drawn {
                <ChartExport svg={AttrValue::from(svg.clone())} name="t-visibility" width={WIDTH} height={HEIGHT} />
            }
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::views::pbs::settings::Settings;
    use meridian_core::pbs::PbsConfig;

    fn report() -> PbsReport {
        PbsConfig {
            trials: 20_000,
            ..Settings::default().config()
        }
        .run()
        .unwrap()
    }

    #[test]
    fn the_chart_draws_the_curve_the_target_and_the_closed_form() {
        let report = report();
        let figures = Figures::of(&report);
        let svg = curve_svg(&CurveSpec {
            curve: &report.consistency,
            target: report.target,
            figures: &figures,
        })
        .unwrap();
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
        assert_eq!(format_t(0.0), "0");
        assert_eq!(format_t(0.125), "0.125");
        assert_eq!(format_t(12.34), "12.3");
        assert_eq!(format_t(1500.0), "1500");
    }
}
