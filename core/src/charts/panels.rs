//! What the charts of stacked panels on one time axis share: the failure [`super::timeline`] and
//! the [`super::recovery`] timeline. Each lays out its own caption, head and panels; a panel's
//! frame (margins, axes, grid), its shaded windows and dashed marks, its legend, the time axis's
//! pixels and the axis labels are drawn the same way in both.

use alloc::format;
use alloc::string::{String, ToString};

use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::series::DashedLineSeries;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{Corner, LegendEntry, draw_legend};

/// One panel: simulated time on x, s, and the panel's figure on y.
pub(crate) type Panel<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// The panels' right margin, px: the time axis ends there.
pub(crate) const PANEL_RIGHT: u32 = 16;

/// Draws `title` centred at the top of `area`, the caption of the charts with stacked panels,
/// which lay their panels out themselves.
pub(crate) fn draw_caption<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let (w, _) = area.dim_in_pixel();
    area.draw(&Text::new(
        title.to_string(),
        (w as i32 / 2, 6),
        ("sans-serif", 16)
            .into_font()
            .color(&BLACK)
            .pos(Pos::new(HPos::Center, VPos::Top)),
    ))?;
    Ok(())
}

/// A panel's y axis.
pub(crate) struct YAxis<'a> {
    /// Its name, written along it.
    pub name: &'a str,
    /// The values it spans.
    pub span: (f64, f64),
    /// Its four labels.
    pub labels: &'a dyn Fn(&f64) -> String,
    /// Whether faint lines cross the panel at the labels.
    pub grid: bool,
}

/// Builds and frames one panel on `area`: time from 0 to `end` s after a left margin and label
/// area of `left` px (and before [`PANEL_RIGHT`]), the y axis `y`; only the `last` panel, the
/// bottom one, labels the time axis.
pub(crate) fn time_panel<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    left: (u32, u32),
    end: f64,
    y: YAxis<'_>,
    last: bool,
) -> Result<Panel<'a, DB>, DrawingAreaErrorKind<DB::ErrorType>> {
    let mut chart = ChartBuilder::on(area)
        .margin_left(left.0)
        .margin_right(PANEL_RIGHT)
        .margin_top(4)
        .x_label_area_size(if last { 34 } else { 0 })
        .y_label_area_size(left.1)
        .build_cartesian_2d(0f64..end, y.span.0..y.span.1)?;
    let mut mesh = chart.configure_mesh();
    mesh.disable_x_mesh()
        .max_light_lines(0)
        .y_labels(4)
        .y_desc(y.name)
        .axis_desc_style(("sans-serif", 12))
        .y_label_formatter(y.labels);
    if !y.grid {
        mesh.disable_y_mesh();
    }
    if last {
        mesh.x_labels(12)
            .x_desc("simulated time, s")
            .x_label_formatter(&|v| short(*v));
    } else {
        mesh.x_labels(0);
    }
    mesh.draw()?;
    Ok(chart)
}

/// Shades each window `(from, to)`, s, in `shade` and draws a dashed line through the panel at
/// each mark `(at, colour)`, over a panel whose y axis spans `y`.
pub(crate) fn draw_windows_and_marks<DB: DrawingBackend>(
    chart: &mut Panel<'_, DB>,
    windows: impl IntoIterator<Item = (f64, f64)>,
    shade: ShapeStyle,
    marks: impl IntoIterator<Item = (f64, RGBColor)>,
    y: (f64, f64),
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    chart.draw_series(
        windows
            .into_iter()
            .map(|(a, b)| Rectangle::new([(a, y.0), (b, y.1)], shade)),
    )?;
    for (at, color) in marks {
        chart.draw_series(DashedLineSeries::new(
            [(at, y.0), (at, y.1)],
            4,
            3,
            color.stroke_width(1),
        ))?;
    }
    Ok(())
}

/// Draws a panel's legend in its upper right corner.
pub(crate) fn draw_panel_legend<DB: DrawingBackend>(
    chart: &Panel<'_, DB>,
    legend: &[LegendEntry],
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    draw_legend(
        &chart.plotting_area().strip_coord_spec(),
        legend,
        11.0,
        Corner::UpperRight,
        WHITE.mix(0.85).filled(),
        BLACK.mix(0.3).stroke_width(1),
    )
}

/// The pixel column, from the drawing's left, of each time (s) on a panel with coordinates
/// `coord`: where the head above the panels writes what happened when.
pub(crate) fn time_to_px(
    coord: Cartesian2d<RangedCoordf64, RangedCoordf64>,
) -> impl Fn(f64) -> i32 {
    move |t| {
        use plotters::coord::CoordTranslate;
        coord.translate(&(t, 0.0)).0
    }
}

/// Axis labels: whole numbers without decimals, large ones shortened (12k).
pub(crate) fn short(v: f64) -> String {
    if v.abs() >= 10_000.0 {
        format!("{:.0}k", v / 1000.0)
    } else if (v - libm::round(v)).abs() < 1e-9 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}
