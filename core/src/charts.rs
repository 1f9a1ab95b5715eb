//! Chart drawing (feature `charts`): every chart Meridian draws, as pure functions from a run's
//! data to an SVG document.
//!
//! # Why the drawing lives in core
//!
//! The page (meridian-web) and the `meridian` CLI draw the same charts: the page inlines them and
//! offers them as downloads, and `meridian run|drill|pbs|sweep --svg DIR` writes them to files for a CI
//! job or a slide generator. Both call the functions here, so one chart code serves both, and a
//! chart written by the CLI is byte for byte the chart the page shows for the same run (an
//! end-to-end test checks it). Nothing here touches a DOM, a clock or a file: the input is core's
//! report or histograms, the output a string, so the same code runs natively and in WebAssembly.
//! The drawing functions are generic over plotters' [`DrawingBackend`]; the `*_svg` functions
//! render them through [`svg_document`], the one SVG renderer.
//!
//! Beyond drawing, core also decides *what* each chart shows (its title, its percentile and SLO
//! lines, its size and its file name): [`Chart`] carries one finished chart, and [`run`] and
//! [`pbs`] list the charts of a run as the page's views show them.
//!
//! * this module: histograms and CDFs of core's view-neutral [`Bin`]s, in milliseconds,
//!   whichever model measured them; their colours, [`Marker`] lines and text summaries;
//! * [`timeline`]: a run's failure timeline and the drill's write-rate comparison;
//! * [`pbs`]: the t-visibility curve of Probabilistically Bounded Staleness;
//! * [`recovery`]: the recovery timeline of a reliability run (breakers, backlogs, queues);
//! * [`run`]: the charts of a scenario run and of a drill, as the Scenario, Drill and Compare
//!   views draw them;
//! * [`sweep`]: one metric of a parameter sweep over its varied fields, a line chart or a
//!   heatmap, as the Sweep view draws it.

mod panels;
pub mod pbs;
pub mod recovery;
pub mod run;
mod svg;
pub mod sweep;
pub mod timeline;

pub use svg::{Corner, LegendEntry, SvgBackend, draw_legend, text_size};

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::format::group_digits;
use crate::metrics::Bin;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::series::DashedLineSeries;

pub use plotters::style::RGBColor;

/// One finished chart: what it shows, its SVG document (or why it could not be drawn), its text
/// summary for screen readers and its size. The page inlines [`Chart::svg`] and offers it for
/// download as [`Chart::file_name`]; the CLI writes it to that file.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// What the chart shows, e.g. "Read latency (CDF)"; the download's name.
    pub name: String,
    /// The SVG document, or the drawing error.
    pub svg: Result<String, String>,
    /// A text summary of what it shows (the figure's `aria-label`).
    pub aria: String,
    /// Width of the SVG, px.
    pub width: u32,
    /// Height of the SVG, px.
    pub height: u32,
}

impl Chart {
    /// The file name without extension, from [`Chart::name`] (see [`file_stem`]).
    pub fn file_stem(&self) -> String {
        file_stem(&self.name)
    }

    /// The SVG file's name, e.g. `read-latency-cdf.svg`.
    pub fn file_name(&self) -> String {
        format!("{}.svg", self.file_stem())
    }
}

/// A file name made of `name`'s ASCII letters and digits in lower case, every run of other
/// characters one `-`, none at either end: "Read latency (CDF)" gives `read-latency-cdf`,
/// "Read latency · clients of SG" gives `read-latency-clients-of-sg`; `chart` when nothing is
/// left. The page's downloads and the CLI's files take their names from here.
pub fn file_stem(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut gap = false;
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            if gap && !out.is_empty() {
                out.push('-');
            }
            gap = false;
            out.push(c.to_ascii_lowercase());
        } else {
            gap = true;
        }
    }
    if out.is_empty() {
        out.push_str("chart");
    }
    out
}

/// The histogram of `spec` as a [`Chart`] of `width` x `height` px, named by its title.
pub fn histogram_chart(spec: &HistogramSpec<'_>, width: u32, height: u32) -> Chart {
    Chart {
        name: spec.title.to_string(),
        svg: histogram_svg(spec, width, height),
        aria: describe(spec, "histogram, log count scale"),
        width,
        height,
    }
}

/// The CDF of `spec` as a [`Chart`] of `width` x `height` px, named by its title.
pub fn cdf_chart(spec: &HistogramSpec<'_>, width: u32, height: u32) -> Chart {
    Chart {
        name: spec.title.to_string(),
        svg: cdf_svg(spec, width, height),
        aria: describe(spec, "cumulative distribution"),
        width,
        height,
    }
}

/// A vertical line drawn across the chart, such as a percentile or an SLO threshold.
#[derive(Debug, Clone, PartialEq)]
pub struct Marker {
    /// Position on the x axis, in ms.
    pub at_ms: f64,
    /// Text shown next to the line.
    pub label: String,
    /// Line colour.
    pub color: RGBColor,
}

/// What one histogram shows.
#[derive(Debug, Clone, PartialEq)]
pub struct HistogramSpec<'a> {
    /// Caption above the plot.
    pub title: &'a str,
    /// Label of the x axis.
    pub x_label: &'a str,
    /// What the bars count, for the y axis (e.g. "reads").
    pub count_label: &'a str,
    /// The bars, from the simulation.
    pub bins: &'a [Bin],
    /// Vertical lines to draw over the bars.
    pub markers: &'a [Marker],
    /// Bar colour.
    pub color: RGBColor,
}

/// Bar colour for latency histograms.
pub const LATENCY_COLOR: RGBColor = RGBColor(45, 110, 190);
/// Bar colour for staleness histograms.
pub const STALENESS_COLOR: RGBColor = RGBColor(205, 110, 40);
/// Colour of percentile markers.
pub const PERCENTILE_COLOR: RGBColor = RGBColor(30, 30, 30);
/// Colour of option A in charts that overlay two options (Okabe–Ito blue, told apart from B's
/// vermillion with any colour vision; B is also drawn dashed).
pub const SERIES_A_COLOR: RGBColor = RGBColor(0, 114, 178);
/// Colour of option B in charts that overlay two options (Okabe–Ito vermillion).
pub const SERIES_B_COLOR: RGBColor = RGBColor(213, 94, 0);
/// Colour of SLO threshold markers.
pub const SLO_COLOR: RGBColor = RGBColor(200, 30, 60);

/// Draws `spec` on `area`: bars on a logarithmic count axis (so rare spikes stay visible next to
/// the bulk) and the markers as vertical lines.
pub fn draw_histogram<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    spec: &HistogramSpec<'_>,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    area.fill(&WHITE)?;
    let (Some(first), Some(last)) = (spec.bins.first(), spec.bins.last()) else {
        area.draw(&Text::new(
            "no samples",
            (20, 20),
            ("sans-serif", 14).into_font().color(&BLACK),
        ))?;
        return Ok(());
    };
    let finite = |v: f64| if v.is_finite() { v } else { 0.0 };
    let marker_max = spec
        .markers
        .iter()
        .map(|m| finite(m.at_ms) + 1.0)
        .fold(f64::NEG_INFINITY, f64::max);
    let x_min = finite(first.lo_ms);
    let x_max = finite(last.hi_ms).max(marker_max).max(x_min + 1.0);
    let x_span = x_max - x_min;
    // Leave a little room on the right so the last bar and marker labels are not clipped.
    let x_max = x_max + (x_span / 20.0).floor().max(1.0);
    let y_top = spec.bins.iter().map(|b| b.count).max().unwrap_or(1).max(1) as f64 * 3.0;

    let mut chart = ChartBuilder::on(area)
        .caption(spec.title, ("sans-serif", 16))
        .margin(8)
        .x_label_area_size(38)
        .y_label_area_size(58)
        .build_cartesian_2d(x_min..x_max, (0.7f64..y_top).log_scale())?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_desc(spec.x_label)
        .y_desc(format!("{} (log scale)", spec.count_label))
        .x_labels(8)
        .x_label_formatter(&|v| format_ms(*v))
        .y_labels(6)
        .y_label_formatter(&|v| format_count(*v))
        .axis_desc_style(("sans-serif", 13))
        .draw()?;

    let drawable = |b: &&Bin| b.count > 0 && b.lo_ms.is_finite() && b.hi_ms.is_finite();
    chart.draw_series(spec.bins.iter().filter(drawable).map(|b| {
        Rectangle::new(
            [(b.lo_ms, b.count as f64), (b.hi_ms, 0.7)],
            spec.color.mix(0.85).filled(),
        )
    }))?;

    for (i, m) in spec
        .markers
        .iter()
        .filter(|m| m.at_ms.is_finite())
        .enumerate()
    {
        let style = m.color.stroke_width(2);
        chart.draw_series(core::iter::once(PathElement::new(
            [(m.at_ms, 0.7), (m.at_ms, y_top)],
            style,
        )))?;
        // Stagger labels vertically so two close markers stay readable.
        let label_y = y_top / (1.8 + 2.5 * i as f64);
        chart.draw_series(core::iter::once(Text::new(
            m.label.clone(),
            (m.at_ms, label_y),
            marker_text(m, x_min, x_max),
        )))?;
    }
    Ok(())
}

/// An axis label with the decimals a short span needs: none from 100 up, one from 1, three
/// below, trailing zeros dropped (`1500`, `12.3`, `0.125`, `0`). Shared by the PBS curve and
/// the sweep charts.
pub(crate) fn span_label(v: f64) -> String {
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

/// The style of a marker's label: starting at its line, or ending there when the line is in the
/// right quarter of the chart (so the label is not cut off at the edge).
fn marker_text(m: &Marker, x_min: f64, x_max: f64) -> TextStyle<'static> {
    use plotters::style::text_anchor::{HPos, Pos, VPos};
    let style = ("sans-serif", 12).into_font().color(&m.color);
    if m.at_ms > x_min + 0.75 * (x_max - x_min) {
        style.pos(Pos::new(HPos::Right, VPos::Top))
    } else {
        style
    }
}

/// A text summary of what a chart of `spec` shows, for screen readers (the figure's `aria-label`):
/// how many samples, their range, and the lines drawn.
/// `kind` names the chart ("histogram", "cumulative distribution").
pub fn describe(spec: &HistogramSpec<'_>, kind: &str) -> String {
    let total: u64 = spec.bins.iter().map(|b| b.count).sum();
    let mut text = format!("{}, {kind}", spec.title);
    let drawn = spec
        .bins
        .iter()
        .filter(|b| b.count > 0 && b.lo_ms.is_finite() && b.hi_ms.is_finite());
    let range = drawn.fold(None, |acc: Option<(f64, f64)>, b| {
        Some(acc.map_or((b.lo_ms, b.hi_ms), |(lo, hi)| {
            (lo.min(b.lo_ms), hi.max(b.hi_ms))
        }))
    });
    match range {
        Some((lo, hi)) if total > 0 => text.push_str(&format!(
            ": {} {} from {} to {} {}",
            group_digits(total),
            spec.count_label,
            format_ms(lo),
            format_ms(hi),
            spec.x_label
        )),
        _ => text.push_str(": no samples"),
    }
    let lines: Vec<&str> = spec
        .markers
        .iter()
        .filter(|m| m.at_ms.is_finite())
        .map(|m| m.label.as_str())
        .collect();
    if !lines.is_empty() {
        text.push_str(&format!("; lines at {}", lines.join(", ")));
    }
    text
}

/// Renders `spec` as a standalone SVG document of `width` x `height` pixels.
pub fn histogram_svg(spec: &HistogramSpec<'_>, width: u32, height: u32) -> Result<String, String> {
    svg_document(width, height, |root| draw_histogram(root, spec))
}

/// Runs `draw` on an SVG backend of `width` x `height` pixels and returns the document: the one
/// SVG renderer of every chart, in the page and in the CLI ([`SvgBackend`], whose text measure
/// is the same on every target, so the document is too).
pub fn svg_document<E: core::fmt::Display>(
    width: u32,
    height: u32,
    draw: impl FnOnce(&DrawingArea<SvgBackend<'_>, Shift>) -> Result<(), E>,
) -> Result<String, String> {
    let mut svg = String::new();
    {
        let root = SvgBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        draw(&root).map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(svg)
}

/// The cumulative share of samples at or below each bar's upper edge, starting from 0 at the first
/// bar's lower edge: the points of an empirical CDF drawn from bars.
pub fn cdf_points(bins: &[Bin]) -> Vec<(f64, f64)> {
    let total: u64 = bins.iter().map(|b| b.count).sum();
    let Some(first) = bins.first() else {
        return Vec::new();
    };
    if total == 0 {
        return Vec::new();
    }
    let mut out = Vec::with_capacity(bins.len() + 1);
    out.push((first.lo_ms, 0.0));
    let mut seen = 0u64;
    for b in bins {
        seen += b.count;
        out.push((b.hi_ms, seen as f64 / total as f64));
    }
    out.retain(|(x, y)| x.is_finite() && y.is_finite());
    out
}

/// Draws the cumulative distribution of `spec`'s bars on `area` (share of samples at or below
/// each latency, 0 to 1), with the markers as vertical lines.
pub fn draw_cdf<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    spec: &HistogramSpec<'_>,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let series = [CdfSeries {
        label: "",
        bins: spec.bins,
        color: spec.color,
        dashed: false,
    }];
    draw_cdfs(area, &CdfSpec::of(spec, &series))
}

/// One distribution of an overlaid CDF.
#[derive(Debug, Clone, PartialEq)]
pub struct CdfSeries<'a> {
    /// Its name in the legend (no legend is drawn for a single unnamed series).
    pub label: &'a str,
    /// Its bars, from the simulation.
    pub bins: &'a [Bin],
    /// Line colour.
    pub color: RGBColor,
    /// Drawn dashed, so that two series differ by more than their colour.
    pub dashed: bool,
}

/// What a CDF chart of one or more distributions shows.
#[derive(Debug, Clone, PartialEq)]
pub struct CdfSpec<'a> {
    /// Caption above the plot.
    pub title: &'a str,
    /// Label of the x axis.
    pub x_label: &'a str,
    /// What the samples are (e.g. "reads"), for the y axis.
    pub count_label: &'a str,
    /// The distributions, drawn in order.
    pub series: &'a [CdfSeries<'a>],
    /// Vertical lines to draw over the curves.
    pub markers: &'a [Marker],
}

impl<'a> CdfSpec<'a> {
    /// The CDF of a histogram's spec with `series` as its curves.
    pub fn of(spec: &HistogramSpec<'a>, series: &'a [CdfSeries<'a>]) -> Self {
        CdfSpec {
            title: spec.title,
            x_label: spec.x_label,
            count_label: spec.count_label,
            series,
            markers: spec.markers,
        }
    }
}

/// Draws the cumulative distributions of `spec`'s series on one chart (share of samples at or
/// below each value, 0 to 1), with the markers as vertical lines and a legend naming the series
/// when there is more than one.
pub fn draw_cdfs<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    spec: &CdfSpec<'_>,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    area.fill(&WHITE)?;
    let curves: Vec<Vec<(f64, f64)>> = spec.series.iter().map(|s| cdf_points(s.bins)).collect();
    let x_range = curves
        .iter()
        .filter_map(|c| Some((c.first()?.0, c.last()?.0)))
        .reduce(|(lo, hi), (l, h)| (lo.min(l), hi.max(h)));
    let Some((x_min, data_max)) = x_range else {
        area.draw(&Text::new(
            "no samples",
            (20, 20),
            ("sans-serif", 14).into_font().color(&BLACK),
        ))?;
        return Ok(());
    };
    let marker_max = spec
        .markers
        .iter()
        .filter(|m| m.at_ms.is_finite())
        .map(|m| m.at_ms + 1.0)
        .fold(f64::NEG_INFINITY, f64::max);
    let x_max = data_max.max(marker_max).max(x_min + 1.0);
    let x_max = x_max + ((x_max - x_min) / 20.0).floor().max(1.0);
    let mut chart = ChartBuilder::on(area)
        .caption(spec.title, ("sans-serif", 16))
        .margin(8)
        .x_label_area_size(38)
        .y_label_area_size(58)
        .build_cartesian_2d(x_min..x_max, 0f64..1.05f64)?;
    chart
        .configure_mesh()
        .x_desc(spec.x_label)
        .y_desc(format!("share of {} ≤ x", spec.count_label))
        .x_labels(8)
        .x_label_formatter(&|v| format_ms(*v))
        .y_labels(6)
        .y_label_formatter(&|v| format!("{:.0}%", v * 100.0))
        .axis_desc_style(("sans-serif", 13))
        .draw()?;
    let mut legend = Vec::new();
    for (series, points) in spec.series.iter().zip(curves) {
        let style = series.color.stroke_width(2);
        if series.dashed {
            chart.draw_series(DashedLineSeries::new(points, 7, 4, style))?;
        } else {
            chart.draw_series(core::iter::once(PathElement::new(points, style)))?;
        }
        if !series.label.is_empty() {
            // The legend's sample line: two dashes, or one stroke.
            let (dash, gap) = if series.dashed { (7, 4) } else { (9, 0) };
            legend.push(LegendEntry::dashed(series.label, style, dash, gap));
        }
    }
    for (i, m) in spec
        .markers
        .iter()
        .filter(|m| m.at_ms.is_finite())
        .enumerate()
    {
        chart.draw_series(core::iter::once(PathElement::new(
            [(m.at_ms, 0.0), (m.at_ms, 1.05)],
            m.color.stroke_width(2),
        )))?;
        chart.draw_series(core::iter::once(Text::new(
            m.label.clone(),
            (m.at_ms, 0.5 - 0.12 * i as f64),
            marker_text(m, x_min, x_max),
        )))?;
    }
    if legend.len() > 1 {
        draw_legend(
            &chart.plotting_area().strip_coord_spec(),
            &legend,
            13.0,
            Corner::LowerRight,
            WHITE.mix(0.9).filled(),
            BLACK.mix(0.4).stroke_width(1),
        )?;
    }
    Ok(())
}

/// Renders the CDF of `spec` as a standalone SVG document of `width` x `height` pixels.
pub fn cdf_svg(spec: &HistogramSpec<'_>, width: u32, height: u32) -> Result<String, String> {
    svg_document(width, height, |root| draw_cdf(root, spec))
}

/// Renders the overlaid CDFs of `spec` as a standalone SVG document of `width` x `height` pixels.
pub fn cdfs_svg(spec: &CdfSpec<'_>, width: u32, height: u32) -> Result<String, String> {
    svg_document(width, height, |root| draw_cdfs(root, spec))
}

/// Axis labels in ms: whole numbers without decimals, others with one.
fn format_ms(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

/// Short count labels for the log axis: 1, 10, 1k, 10k, 1M.
fn format_count(v: f64) -> String {
    if v >= 1e6 {
        format!("{:.0}M", v / 1e6)
    } else if v >= 1e3 {
        format!("{:.0}k", v / 1e3)
    } else {
        format!("{v:.0}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    fn spec<'a>(bins: &'a [Bin], markers: &'a [Marker]) -> HistogramSpec<'a> {
        HistogramSpec {
            title: "staleness",
            x_label: "ms",
            count_label: "reads",
            bins,
            markers,
            color: STALENESS_COLOR,
        }
    }

    #[test]
    fn svg_has_one_rect_per_non_empty_bar_and_the_markers() {
        let bins = [
            Bin::new(100.0, 200.0, 900),
            Bin::new(200.0, 300.0, 0),
            Bin::new(300.0, 400.0, 100),
        ];
        let markers = [Marker {
            at_ms: 2000.0,
            label: "SLO 2 s".into(),
            color: SLO_COLOR,
        }];
        let svg = histogram_svg(&spec(&bins, &markers), 480, 260).unwrap();
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("SLO 2 s"));
        let bars = svg.matches("fill=\"#CD6E28\"").count();
        assert_eq!(bars, 2, "{svg}");
    }

    #[test]
    fn the_text_summary_names_samples_range_and_lines() {
        let bins = [
            Bin::new(100.0, 200.0, 900),
            Bin::new(200.0, 300.0, 0),
            Bin::new(300.0, 400.0, 100),
        ];
        let markers = [Marker {
            at_ms: 350.0,
            label: "p95 350 ms".into(),
            color: PERCENTILE_COLOR,
        }];
        assert_eq!(
            describe(&spec(&bins, &markers), "histogram"),
            "staleness, histogram: 1,000 reads from 100 to 400 ms; lines at p95 350 ms"
        );
        assert_eq!(
            describe(&spec(&[], &[]), "cumulative distribution"),
            "staleness, cumulative distribution: no samples"
        );
    }

    #[test]
    fn empty_histogram_says_so() {
        let svg = histogram_svg(&spec(&[], &[]), 300, 200).unwrap();
        assert!(svg.contains("no samples"));
    }

    #[test]
    fn axis_labels_show_whole_milliseconds_without_decimals() {
        let bins = [Bin::new(0.0, 1000.0, 5), Bin::new(1000.0, 2000.0, 3)];
        let svg = histogram_svg(&spec(&bins, &[]), 480, 260).unwrap();
        assert!(svg.contains("\n1000\n"), "{svg}");
        assert!(!svg.contains("1000.0"), "{svg}");
        assert_eq!(format_ms(0.5), "0.5");
    }

    #[test]
    fn odd_bars_and_markers_do_not_break_the_drawing() {
        let bins = [Bin::new(f64::NAN, f64::INFINITY, 1), Bin::new(5.0, 5.0, 0)];
        let markers = [Marker {
            at_ms: f64::NAN,
            label: "odd".into(),
            color: SLO_COLOR,
        }];
        assert!(histogram_svg(&spec(&bins, &markers), 300, 200).is_ok());
    }

    #[test]
    fn the_cdf_climbs_to_one_and_draws() {
        let bins = [Bin::new(0.0, 10.0, 3), Bin::new(10.0, 20.0, 1)];
        assert_eq!(
            cdf_points(&bins),
            vec![(0.0, 0.0), (10.0, 0.75), (20.0, 1.0)]
        );
        assert!(cdf_points(&[]).is_empty());
        assert!(cdf_points(&[Bin::new(0.0, 1.0, 0)]).is_empty());
        let markers = [Marker {
            at_ms: 15.0,
            label: "p95 15 ms".into(),
            color: PERCENTILE_COLOR,
        }];
        let svg = cdf_svg(&spec(&bins, &markers), 480, 260).unwrap();
        assert!(
            svg.contains("p95 15 ms") && svg.contains("<polyline"),
            "{svg}"
        );
        assert!(
            cdf_svg(&spec(&[], &[]), 300, 200)
                .unwrap()
                .contains("no samples")
        );
        let odd = [Bin::new(f64::NAN, f64::INFINITY, 1)];
        assert!(cdf_svg(&spec(&odd, &markers), 300, 200).is_ok());
    }

    #[test]
    fn file_names_are_safe_and_readable() {
        assert_eq!(file_stem("Read latency · SG"), "read-latency-sg");
        assert_eq!(file_stem("Read latency (CDF)"), "read-latency-cdf");
        assert_eq!(file_stem("  t-visibility "), "t-visibility");
        assert_eq!(file_stem("../../etc/passwd"), "etc-passwd");
        assert_eq!(file_stem("· ·"), "chart");
    }

    #[test]
    fn count_labels_are_short() {
        assert_eq!(format_count(1.0), "1");
        assert_eq!(format_count(10_000.0), "10k");
        assert_eq!(format_count(3_000_000.0), "3M");
    }
}
