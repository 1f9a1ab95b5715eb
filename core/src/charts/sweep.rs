//! The chart of a parameter sweep ([`crate::sweep`]): one metric over the sweep's varied fields.
//! Over one field it is a line chart of the means, each point with its 95 % confidence interval
//! as an error bar; over two it is a heatmap, each cell coloured by its mean on a colour scale
//! drawn beside it and labelled with it.
//!
//! [`sweep_chart`] picks the one the sweep calls for: it is the chart the page's Sweep view
//! shows and the one `meridian sweep --svg DIR` writes. The heatmap is laid out by hand with the
//! charts' text measure ([`text_size`]), the line chart on plotters' axes, so both are the same
//! document on every target.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{Chart, LATENCY_COLOR, span_label, svg_document, text_size};
use crate::sweep::{PointSummary, SweepSpec, Vary, figure_text, value_text};

/// Width of the chart, px.
pub const WIDTH: u32 = 760;
/// Height of the chart, px.
pub const HEIGHT: u32 = 420;

/// The colour scale of the heatmap, from the lowest mean to the highest: light to dark blue, so
/// the order reads without colour vision too.
const SCALE: [RGBColor; 3] = [
    RGBColor(239, 243, 255),
    RGBColor(107, 174, 214),
    RGBColor(8, 48, 107),
];

/// Colour of a heatmap cell whose runs did not measure the metric.
const NO_VALUE: RGBColor = RGBColor(225, 225, 225);

/// Bands the heatmap's colour scale is drawn with.
const SCALE_BANDS: i32 = 48;

/// The chart of `metric` over `spec`'s varied fields from the sweep's `points` (as
/// [`crate::sweep::summarize`] gives them): a line chart for one field, a heatmap for two. A
/// sweep of more fields (or none) gets a chart whose SVG is the reason it cannot be drawn.
pub fn sweep_chart(spec: &SweepSpec, points: &[PointSummary], metric: &str) -> Chart {
    let figures = |index: usize| figure(points, index, metric);
    let total: usize = spec.vary.iter().map(|v| v.values.len()).product();
    let found: Vec<(usize, f64)> = (0..total)
        .filter_map(|i| figures(i).map(|(mean, _)| (i, mean)))
        .collect();
    let (name, svg) = match spec.vary.as_slice() {
        [x] => {
            let name = format!("{metric} over {}", x.path);
            let title = format!("{}: {metric}, mean ± 95% interval", spec.scenario);
            let line = LineSpec {
                title: &title,
                metric,
                vary: x,
                figures: (0..x.values.len()).map(figures).collect(),
            };
            let svg = svg_document(WIDTH, HEIGHT, |root| draw_line(root, &line));
            (name, svg)
        }
        [x, y] => {
            let name = format!("{metric} over {} and {}", x.path, y.path);
            let title = format!("{}: {metric}, mean per point", spec.scenario);
            let heat = HeatmapSpec {
                title: &title,
                metric,
                x,
                y,
                figures: (0..total).map(figures).collect(),
            };
            let svg = svg_document(WIDTH, HEIGHT, |root| draw_heatmap(root, &heat));
            (name, svg)
        }
        fields => (
            format!("{metric} over {} fields", fields.len()),
            Err(format!(
                "a sweep chart shows one or two varied fields; this sweep varies {}",
                fields.len()
            )),
        ),
    };
    Chart {
        aria: describe(spec, points, metric, &name, &found),
        name,
        svg,
        width: WIDTH,
        height: HEIGHT,
    }
}

/// The mean and interval of `metric` at point `index`, when its runs measured it.
fn figure(points: &[PointSummary], index: usize, metric: &str) -> Option<(f64, Option<f64>)> {
    let stat = points
        .iter()
        .find(|p| p.point.index == index)?
        .stat(metric)?;
    stat.mean
        .is_finite()
        .then_some((stat.mean, stat.ci95.filter(|c| c.is_finite())))
}

/// `replication.r=1, replication.w=2`: where point `index` is.
fn place(points: &[PointSummary], index: usize) -> String {
    points
        .iter()
        .find(|p| p.point.index == index)
        .map(|p| {
            let parts: Vec<String> = p
                .point
                .values
                .iter()
                .map(|(path, v)| format!("{path}={}", value_text(v)))
                .collect();
            parts.join(", ")
        })
        .unwrap_or_default()
}

/// The chart's text summary: what it shows and where the metric is lowest and highest.
fn describe(
    spec: &SweepSpec,
    points: &[PointSummary],
    metric: &str,
    name: &str,
    found: &[(usize, f64)],
) -> String {
    let kind = match spec.vary.len() {
        1 => "line chart with 95% intervals",
        2 => "heatmap",
        _ => "not drawn",
    };
    let seeds = match spec.seeds {
        1 => "1 seed".to_string(),
        n => format!("{n} seeds"),
    };
    let mut text = format!(
        "{name} in {}, {kind}, mean of {seeds} per point",
        spec.scenario
    );
    let lowest = found.iter().min_by(|a, b| a.1.total_cmp(&b.1));
    let highest = found.iter().max_by(|a, b| a.1.total_cmp(&b.1));
    match (lowest, highest) {
        (Some(lo), Some(hi)) => text.push_str(&format!(
            ": lowest {} at {}, highest {} at {}",
            figure_text(metric, lo.1),
            place(points, lo.0),
            figure_text(metric, hi.1),
            place(points, hi.0)
        )),
        _ => text.push_str(&format!(": the runs did not measure {metric}")),
    }
    text
}

/// What the heatmap draws.
struct HeatmapSpec<'a> {
    title: &'a str,
    metric: &'a str,
    /// The first varied field, across.
    x: &'a Vary,
    /// The second varied field, up.
    y: &'a Vary,
    /// `(mean, interval)` per point in grid order (`x` slowest), `None` where unmeasured.
    figures: Vec<Option<(f64, Option<f64>)>>,
}

/// The colour of `t` (0 for the lowest mean, 1 for the highest) on [`SCALE`].
fn scale_color(t: f64) -> RGBColor {
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let last = (SCALE.len() - 1) as f64;
    let at = t * last;
    let i = (libm::floor(at) as usize).min(SCALE.len() - 2);
    let f = at - i as f64;
    let mix = |a: u8, b: u8| libm::round(f64::from(a) + (f64::from(b) - f64::from(a)) * f) as u8;
    let (a, b) = (SCALE[i], SCALE[i + 1]);
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// Black on light cells, white on dark ones.
fn ink_on(fill: RGBColor) -> RGBColor {
    let luma = 0.299 * f64::from(fill.0) + 0.587 * f64::from(fill.1) + 0.114 * f64::from(fill.2);
    if luma < 140.0 { WHITE } else { BLACK }
}

/// A text style of `size` px in `color`, anchored at `h`/`v`.
fn font(size: f64, color: RGBColor, h: HPos, v: VPos) -> TextStyle<'static> {
    ("sans-serif", size)
        .into_font()
        .color(&color)
        .pos(Pos::new(h, v))
}

/// Draws the heatmap of `spec` on `area`: the grid of cells (first field across, second up), the
/// fields' values and paths on the axes, and the colour scale on the right.
fn draw_heatmap<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    spec: &HeatmapSpec<'_>,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    area.fill(&WHITE)?;
    let (w, h) = area.dim_in_pixel();
    let (w, h) = (w as i32, h as i32);
    area.draw(&Text::new(
        spec.title.to_string(),
        (w / 2, 10),
        font(16.0, BLACK, HPos::Center, VPos::Top),
    ))?;
    let (nx, ny) = (spec.x.values.len(), spec.y.values.len());
    let x_labels: Vec<String> = spec.x.values.iter().map(value_text).collect();
    let y_labels: Vec<String> = spec.y.values.iter().map(value_text).collect();
    let y_label_w = y_labels
        .iter()
        .map(|l| text_size(12.0, l).0 as i32)
        .max()
        .unwrap_or(0);
    let (left, right, top, bottom) = (44 + y_label_w, 130, 44, 58);
    let (grid_w, grid_h) = (w - left - right, h - top - bottom);
    if nx == 0 || ny == 0 || grid_w < 10 || grid_h < 10 {
        area.draw(&Text::new(
            "no grid",
            (20, 40),
            font(14.0, BLACK, HPos::Left, VPos::Top),
        ))?;
        return Ok(());
    }
    let measured = spec.figures.iter().flatten().map(|f| f.0);
    let lo = measured.clone().fold(f64::INFINITY, f64::min);
    let hi = measured.fold(f64::NEG_INFINITY, f64::max);
    let share = |v: f64| {
        if hi > lo { (v - lo) / (hi - lo) } else { 0.5 }
    };
    let col = |i: usize| left + libm::round(i as f64 * grid_w as f64 / nx as f64) as i32;
    // Row 0 at the bottom, as on a plot's y axis.
    let row = |j: usize| top + grid_h - libm::round(j as f64 * grid_h as f64 / ny as f64) as i32;
    for ix in 0..nx {
        for iy in 0..ny {
            let (x0, x1, y0, y1) = (col(ix), col(ix + 1), row(iy + 1), row(iy));
            let figure = spec.figures.get(ix * ny + iy).copied().flatten();
            let fill = figure.map_or(NO_VALUE, |(mean, _)| scale_color(share(mean)));
            area.draw(&Rectangle::new([(x0, y0), (x1, y1)], fill.filled()))?;
            area.draw(&Rectangle::new([(x0, y0), (x1, y1)], WHITE.stroke_width(1)))?;
            let ink = ink_on(fill);
            let (cx, cy) = ((x0 + x1) / 2, (y0 + y1) / 2);
            let fits = |size: f64, text: &str| text_size(size, text).0 as i32 + 6 <= x1 - x0;
            let Some((mean, ci)) = figure else {
                area.draw(&Text::new(
                    "–",
                    (cx, cy),
                    font(12.0, ink, HPos::Center, VPos::Center),
                ))?;
                continue;
            };
            let text = figure_text(spec.metric, mean);
            let size = [13.0, 11.0, 9.0].into_iter().find(|s| fits(*s, &text));
            let Some(size) = size else { continue };
            let interval = ci.map(|c| format!("± {}", figure_text(spec.metric, c)));
            match interval.filter(|i| fits(11.0, i) && y1 - y0 >= 40) {
                Some(interval) => {
                    area.draw(&Text::new(
                        text,
                        (cx, cy - 1),
                        font(size, ink, HPos::Center, VPos::Bottom),
                    ))?;
                    area.draw(&Text::new(
                        interval,
                        (cx, cy + 2),
                        font(11.0, ink, HPos::Center, VPos::Top),
                    ))?;
                }
                None => area.draw(&Text::new(
                    text,
                    (cx, cy),
                    font(size, ink, HPos::Center, VPos::Center),
                ))?,
            }
        }
    }
    area.draw(&Rectangle::new(
        [(left, top), (left + grid_w, top + grid_h)],
        BLACK.mix(0.4).stroke_width(1),
    ))?;
    // The fields' values and paths.
    let axis = font(12.0, BLACK, HPos::Center, VPos::Top);
    let mut free_from = i32::MIN;
    for (ix, label) in x_labels.iter().enumerate() {
        let cx = (col(ix) + col(ix + 1)) / 2;
        let half = text_size(12.0, label).0 as i32 / 2;
        // A label that would overlap the one before is left out.
        if cx - half >= free_from {
            area.draw(&Text::new(
                label.clone(),
                (cx, top + grid_h + 6),
                axis.clone(),
            ))?;
            free_from = cx + half + 6;
        }
    }
    area.draw(&Text::new(
        spec.x.path.clone(),
        (left + grid_w / 2, h - 10),
        font(13.0, BLACK, HPos::Center, VPos::Bottom),
    ))?;
    let mut free_above = i32::MAX;
    for (iy, label) in y_labels.iter().enumerate() {
        let cy = (row(iy) + row(iy + 1)) / 2;
        if cy + 7 <= free_above {
            area.draw(&Text::new(
                label.clone(),
                (left - 6, cy),
                font(12.0, BLACK, HPos::Right, VPos::Center),
            ))?;
            free_above = cy - 7;
        }
    }
    area.draw(&Text::new(
        spec.y.path.clone(),
        (16, top + grid_h / 2),
        ("sans-serif", 13.0)
            .into_font()
            .transform(FontTransform::Rotate270)
            .color(&BLACK)
            .pos(Pos::new(HPos::Center, VPos::Center)),
    ))?;
    if lo.is_finite() {
        draw_scale(
            area,
            spec.metric,
            (lo, hi),
            left + grid_w + 28,
            (top, grid_h),
        )?;
    }
    Ok(())
}

/// The heatmap's colour scale at `x`, from `top` down `height` px: the highest mean at the top,
/// the lowest at the bottom, both written beside it with the middle one.
fn draw_scale<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    metric: &str,
    (lo, hi): (f64, f64),
    x: i32,
    (top, height): (i32, i32),
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let bar_w = 16;
    let edge = |k: i32| {
        top + libm::round(f64::from(k) * f64::from(height) / f64::from(SCALE_BANDS)) as i32
    };
    for k in 0..SCALE_BANDS {
        let t = 1.0 - (f64::from(k) + 0.5) / f64::from(SCALE_BANDS);
        area.draw(&Rectangle::new(
            [(x, edge(k)), (x + bar_w, edge(k + 1))],
            scale_color(t).filled(),
        ))?;
    }
    area.draw(&Rectangle::new(
        [(x, top), (x + bar_w, top + height)],
        BLACK.mix(0.4).stroke_width(1),
    ))?;
    area.draw(&Text::new(
        "mean",
        (x, top - 6),
        font(12.0, BLACK, HPos::Left, VPos::Bottom),
    ))?;
    let marks: Vec<(f64, i32)> = if hi > lo {
        vec_of([
            (hi, top),
            ((lo + hi) / 2.0, top + height / 2),
            (lo, top + height),
        ])
    } else {
        vec_of([(lo, top + height / 2)])
    };
    for (value, y) in marks {
        area.draw(&PathElement::new(
            [(x + bar_w, y), (x + bar_w + 4, y)],
            BLACK.stroke_width(1),
        ))?;
        area.draw(&Text::new(
            figure_text(metric, value),
            (x + bar_w + 7, y),
            font(12.0, BLACK, HPos::Left, VPos::Center),
        ))?;
    }
    Ok(())
}

/// An array's items as a vector.
fn vec_of<T, const N: usize>(items: [T; N]) -> Vec<T> {
    items.into_iter().collect()
}

/// What the line chart draws.
struct LineSpec<'a> {
    title: &'a str,
    metric: &'a str,
    /// The varied field.
    vary: &'a Vary,
    /// `(mean, interval)` per value of the field, `None` where unmeasured.
    figures: Vec<Option<(f64, Option<f64>)>>,
}

/// Draws the line chart of `spec` on `area`: the means joined in the order of the field's
/// values, each with its interval as an error bar and its mean written above it. Numeric values
/// sit at their value on the x axis, others one step apart.
fn draw_line<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    spec: &LineSpec<'_>,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    area.fill(&WHITE)?;
    let values = &spec.vary.values;
    let numeric: Option<Vec<f64>> = values
        .iter()
        .map(|v| v.as_f64().filter(|x| x.is_finite()))
        .collect();
    let xs: Vec<f64> = numeric
        .clone()
        .unwrap_or_else(|| (0..values.len()).map(|i| i as f64).collect());
    let mut shown: Vec<(f64, f64, Option<f64>)> = xs
        .iter()
        .zip(&spec.figures)
        .filter_map(|(x, f)| f.map(|(mean, ci)| (*x, mean, ci)))
        .collect();
    shown.sort_by(|a, b| a.0.total_cmp(&b.0));
    if shown.is_empty() || xs.is_empty() {
        area.draw(&Text::new(
            format!("no values of {}", spec.metric),
            (20, 20),
            font(14.0, BLACK, HPos::Left, VPos::Top),
        ))?;
        return Ok(());
    }
    let x_lo = xs.iter().copied().fold(f64::INFINITY, f64::min);
    let x_hi = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let pad = if x_hi > x_lo {
        (x_hi - x_lo) * 0.08
    } else {
        0.5
    };
    let (x_lo, x_hi) = (x_lo - pad, x_hi + pad);
    let low = |(_, m, c): &(f64, f64, Option<f64>)| m - c.unwrap_or(0.0);
    let high = |(_, m, c): &(f64, f64, Option<f64>)| m + c.unwrap_or(0.0);
    let y_lo = shown.iter().map(low).fold(0.0, f64::min);
    let y_hi = shown.iter().map(high).fold(f64::NEG_INFINITY, f64::max);
    let span = if y_hi > y_lo { y_hi - y_lo } else { 1.0 };
    let (y_lo, y_hi) = (
        if y_lo < 0.0 { y_lo - span * 0.08 } else { 0.0 },
        y_hi.max(y_lo) + span * 0.12,
    );
    let mut chart = ChartBuilder::on(area)
        .caption(spec.title, ("sans-serif", 16))
        .margin(10)
        .x_label_area_size(44)
        .y_label_area_size(64)
        .build_cartesian_2d(x_lo..x_hi, y_lo..y_hi)?;
    // The x labels are the field's values, drawn below at their points.
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(0)
        .x_desc(spec.vary.path.as_str())
        .y_desc(spec.metric)
        .y_labels(6)
        .y_label_formatter(&|v| span_label(*v))
        .axis_desc_style(("sans-serif", 13))
        .draw()?;
    let mut free_from = i32::MIN;
    for (x, value) in xs.iter().zip(values) {
        let label = value_text(value);
        let (px, py) = chart.backend_coord(&(*x, y_lo));
        area.draw(&PathElement::new(
            [(px, py), (px, py + 4)],
            BLACK.stroke_width(1),
        ))?;
        let half = text_size(12.0, &label).0 as i32 / 2;
        if px - half >= free_from {
            area.draw(&Text::new(
                label,
                (px, py + 7),
                font(12.0, BLACK, HPos::Center, VPos::Top),
            ))?;
            free_from = px + half + 6;
        }
    }
    let bar = LATENCY_COLOR.stroke_width(1);
    for &(x, mean, ci) in &shown {
        if let Some(c) = ci {
            chart.draw_series(core::iter::once(PathElement::new(
                [(x, mean - c), (x, mean + c)],
                bar,
            )))?;
            for end in [mean - c, mean + c] {
                chart.draw_series(core::iter::once(
                    EmptyElement::at((x, end)) + PathElement::new([(-5, 0), (5, 0)], bar),
                ))?;
            }
        }
    }
    chart.draw_series(core::iter::once(PathElement::new(
        shown.iter().map(|(x, m, _)| (*x, *m)).collect::<Vec<_>>(),
        LATENCY_COLOR.stroke_width(2),
    )))?;
    let label = font(11.0, BLACK, HPos::Left, VPos::Bottom);
    for &(x, mean, _) in &shown {
        chart.draw_series(core::iter::once(Circle::new(
            (x, mean),
            4,
            LATENCY_COLOR.filled(),
        )))?;
        if shown.len() <= 12 {
            chart.draw_series(core::iter::once(
                EmptyElement::at((x, mean))
                    + Text::new(figure_text(spec.metric, mean), (7, -4), label.clone()),
            ))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sweep::{Stat, Vary};
    use alloc::vec;

    /// A sweep of `vary` whose every point has `metric` = its index × 10 ± 1.
    fn sweep(vary: Vec<Vary>, metric: &str) -> (SweepSpec, Vec<PointSummary>) {
        let spec = SweepSpec {
            scenario: "quorum-r1w1".into(),
            vary,
            seeds: 2,
        };
        let points = spec
            .points()
            .into_iter()
            .map(|point| PointSummary {
                stats: vec![Stat {
                    metric: metric.into(),
                    mean: point.index as f64 * 10.0,
                    ci95: Some(1.0),
                }],
                point,
                runs: 2,
                slo_pass_share: Vec::new(),
            })
            .collect();
        (spec, points)
    }

    fn vary(spec: &str) -> Vary {
        Vary::parse(spec).unwrap()
    }

    #[test]
    fn two_fields_make_a_heatmap_with_every_mean_and_a_scale() {
        let (spec, points) = sweep(
            vec![vary("replication.r=1,2,3"), vary("replication.w=1,2")],
            "staleness_p99_ms",
        );
        let chart = sweep_chart(&spec, &points, "staleness_p99_ms");
        assert_eq!(
            chart.file_name(),
            "staleness-p99-ms-over-replication-r-and-replication-w.svg"
        );
        assert_eq!(
            chart.aria,
            "staleness_p99_ms over replication.r and replication.w in quorum-r1w1, heatmap, mean \
             of 2 seeds per point: lowest 0.0 at replication.r=1, replication.w=1, highest 50.0 \
             at replication.r=3, replication.w=2"
        );
        let svg = chart.svg.unwrap();
        for mean in [
            "0.0", "10.0", "20.0", "30.0", "40.0", "50.0", "± 1.0", "25.0",
        ] {
            assert!(svg.contains(mean), "{mean}: {svg}");
        }
        // Lowest and highest cells take the scale's ends; the scale has its bands.
        assert!(svg.contains("fill=\"#EFF3FF\""), "{svg}");
        assert!(svg.contains("fill=\"#08306B\""), "{svg}");
        assert!(
            svg.contains("replication.w") && svg.contains("rotate("),
            "{svg}"
        );
        // The same document every time.
        assert_eq!(
            sweep_chart(&spec, &points, "staleness_p99_ms").svg.unwrap(),
            svg
        );
    }

    #[test]
    fn one_field_makes_a_line_with_error_bars() {
        let (spec, points) = sweep(
            vec![vary("failover.heartbeat_timeout_ms=1000..3000:1000")],
            "rto_write_ms",
        );
        let chart = sweep_chart(&spec, &points, "rto_write_ms");
        assert_eq!(
            chart.file_name(),
            "rto-write-ms-over-failover-heartbeat-timeout-ms.svg"
        );
        assert!(chart.aria.contains("line chart with 95% intervals"));
        let svg = chart.svg.unwrap();
        assert!(svg.contains("<polyline"), "{svg}");
        assert_eq!(svg.matches("<circle").count(), 3, "{svg}");
        for label in [
            "1000",
            "2000",
            "3000",
            "20.0",
            "failover.heartbeat_timeout_ms",
        ] {
            assert!(svg.contains(label), "{label}: {svg}");
        }
    }

    #[test]
    fn names_and_missing_metrics_are_drawn_and_said() {
        let (spec, points) = sweep(vec![vary("reads.strategy=local,leader")], "read_p95_ms");
        let svg = sweep_chart(&spec, &points, "read_p95_ms").svg.unwrap();
        assert!(svg.contains("local") && svg.contains("leader"), "{svg}");
        let chart = sweep_chart(&spec, &points, "rto_write_ms");
        assert!(
            chart
                .aria
                .ends_with("the runs did not measure rto_write_ms")
        );
        assert!(chart.svg.unwrap().contains("no values of rto_write_ms"));
        let (spec, points) = sweep(vec![vary("a=1,2"), vary("b=1")], "read_p95_ms");
        let svg = sweep_chart(&spec, &points, "rto_write_ms").svg.unwrap();
        assert!(svg.contains("–"), "{svg}");
        let (spec, points) = sweep(vec![vary("a=1"), vary("b=1"), vary("c=1")], "x");
        let chart = sweep_chart(&spec, &points, "x");
        assert!(chart.svg.unwrap_err().contains("this sweep varies 3"));
    }

    #[test]
    fn the_scale_runs_light_to_dark_and_ink_stays_readable() {
        assert_eq!(scale_color(0.0), SCALE[0]);
        assert_eq!(scale_color(0.5), SCALE[1]);
        assert_eq!(scale_color(1.0), SCALE[2]);
        assert_eq!(scale_color(f64::NAN), SCALE[0]);
        assert_eq!(ink_on(SCALE[0]), BLACK);
        assert_eq!(ink_on(SCALE[2]), WHITE);
        assert_eq!(span_label(1500.0), "1500");
        assert_eq!(span_label(0.125), "0.125");
    }
}
