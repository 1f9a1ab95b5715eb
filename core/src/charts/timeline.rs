//! Timeline charts of a run with failures, drawn with plotters from the engine's per-interval
//! [`FailureReport`]: stacked panels sharing the time axis (success rates, p95 latencies,
//! staleness p95, replication backlog), each fault's window shaded, the log's detections,
//! promotions, failbacks and toggles drawn as labelled vertical marks, and each fault's recovery
//! time (RTO) and the run's lost writes (RPO) written on the chart. A second chart overlays the
//! write success rate of several runs of one scenario (the drill's failover policies).
//!
//! Every number drawn or written comes from the report.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;

use crate::format::{group_digits, millis};
use crate::sim::{FailureReport, Interval};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::series::DashedLineSeries;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::panels::{
    PANEL_RIGHT, Panel, YAxis, draw_caption, draw_panel_legend, draw_windows_and_marks, short,
    time_panel, time_to_px,
};
use super::{
    Corner, LegendEntry, SERIES_A_COLOR, SERIES_B_COLOR, STALENESS_COLOR, draw_legend, svg_document,
};

/// Fill of a fault's window (drawn translucent).
pub const FAULT_BAND_COLOR: RGBColor = RGBColor(213, 94, 0);
/// Colour of replication backlog.
pub const BACKLOG_COLOR: RGBColor = RGBColor(90, 90, 90);
/// Colour of RTO and RPO annotations.
pub const RECOVERY_COLOR: RGBColor = RGBColor(30, 30, 30);
/// Opacity of a fault's band.
const BAND_ALPHA: f64 = 0.14;

/// What a vertical mark stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkKind {
    /// The failure detector declared a region down.
    Detection,
    /// A follower was promoted (automatic failover, or an operator's).
    Promotion,
    /// Leadership returned to the original leader.
    Failback,
    /// An operator toggle was switched.
    Toggle,
}

impl MarkKind {
    /// The mark's colour (Okabe–Ito, told apart by line style as well).
    pub fn color(self) -> RGBColor {
        match self {
            MarkKind::Detection => RGBColor(0, 0, 0),
            MarkKind::Promotion => RGBColor(0, 158, 115),
            MarkKind::Failback => RGBColor(204, 121, 167),
            MarkKind::Toggle => RGBColor(86, 180, 233),
        }
    }
}

/// A labelled moment of the run's log.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    /// When, s.
    pub at_s: f64,
    /// What kind of event.
    pub kind: MarkKind,
    /// Short label drawn next to the line, e.g. "US leads".
    pub label: String,
}

/// The marks of `f`'s log, in time order: detections ("controller US declares SG down"),
/// promotions and failovers ("promotion: US leads (was SG)"), failbacks and toggles.
pub fn marks(f: &FailureReport) -> Vec<Mark> {
    f.log
        .iter()
        .filter_map(|e| {
            let what = e.what.as_str();
            let (kind, label) = if let Some((_, rest)) = what.split_once(" declares ") {
                let region = rest.trim_end_matches(" down");
                (MarkKind::Detection, format!("{region} declared down"))
            } else if let Some((why, rest)) = what.split_once(": ")
                && let Some((leader, _)) = rest.split_once(" leads (was ")
            {
                if why == "failback" {
                    (MarkKind::Failback, format!("failback: {leader} leads"))
                } else {
                    (MarkKind::Promotion, format!("{why}: {leader} leads"))
                }
            } else if what.starts_with("toggle ") {
                (MarkKind::Toggle, what.to_string())
            } else {
                return None;
            };
            Some(Mark {
                at_s: e.at_s,
                kind,
                label,
            })
        })
        .filter(|m| m.at_s.is_finite())
        .collect()
}

/// The end of the timeline, s: the last interval's end (at least one interval; intervals of a
/// damaged report that start at no finite time are passed over).
pub fn end_s(f: &FailureReport) -> f64 {
    let step = interval(f);
    let last = f
        .timeline
        .iter()
        .rev()
        .map(|iv| iv.start_s + step)
        .find(|e| e.is_finite() && *e < 1e9);
    last.unwrap_or(step).max(step)
}

/// The interval length, falling back to 1 s for a damaged report.
fn interval(f: &FailureReport) -> f64 {
    if f.interval_s.is_finite() && f.interval_s > 0.0 {
        f.interval_s
    } else {
        1.0
    }
}

/// Each fault's window, s (to the end of the timeline when it never ends).
pub fn bands(f: &FailureReport) -> Vec<(f64, f64)> {
    let end = end_s(f);
    f.faults
        .iter()
        .filter(|o| o.start_s.is_finite())
        .map(|o| (o.start_s, o.end_s.filter(|e| e.is_finite()).unwrap_or(end)))
        .filter(|(a, b)| b > a)
        .collect()
}

/// Share of `ok` among `ok + bad`, in %, or none without any.
fn rate(ok: u64, bad: u64) -> Option<f64> {
    let all = ok + bad;
    (all > 0).then(|| ok as f64 * 100.0 / all as f64)
}

/// Read success rate of an interval, %.
pub fn read_rate(iv: &Interval) -> Option<f64> {
    rate(iv.reads_ok, iv.reads_failed)
}

/// Write success rate of an interval (acknowledged among acknowledged, rejected and failed), %.
pub fn write_rate(iv: &Interval) -> Option<f64> {
    rate(iv.writes_ok, iv.writes_rejected + iv.writes_failed)
}

/// A percentile that is only meaningful with samples (the report writes 0 without any).
fn measured(v: f64) -> Option<f64> {
    (v.is_finite() && v > 0.0).then_some(v)
}

/// The points of `value` at each interval's middle, split where it has no value.
fn segments(f: &FailureReport, value: impl Fn(&Interval) -> Option<f64>) -> Vec<Vec<(f64, f64)>> {
    let half = interval(f) / 2.0;
    let mut out: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut open = false;
    for iv in &f.timeline {
        match value(iv).filter(|v| v.is_finite()) {
            Some(v) if iv.start_s.is_finite() => {
                if !open {
                    out.push(Vec::new());
                    open = true;
                }
                if let Some(seg) = out.last_mut() {
                    seg.push((iv.start_s + half, v));
                }
            }
            _ => open = false,
        }
    }
    out
}

/// One line of a panel.
struct Line<'a> {
    label: &'a str,
    color: RGBColor,
    dashed: bool,
    value: &'a dyn Fn(&Interval) -> Option<f64>,
}

/// Shades the fault windows and draws the marks over a panel whose y axis spans `y`.
fn draw_events<DB: DrawingBackend>(
    chart: &mut Panel<'_, DB>,
    f: &FailureReport,
    marks: &[Mark],
    y: (f64, f64),
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    draw_windows_and_marks(
        chart,
        bands(f),
        FAULT_BAND_COLOR.mix(BAND_ALPHA).filled(),
        marks.iter().map(|m| (m.at_s, m.kind.color())),
        y,
    )
}

/// The panels' left margin and y label area, px: the time axis starts after both.
const PANEL_LEFT: (u32, u32) = (8, 64);

/// The horizontal span (first and last pixel) of the time axis of a timeline drawn `width` px
/// wide by [`draw_timeline`]: after the panels' left margin and y labels, before their right
/// margin.
pub fn time_axis_px(width: u32) -> (f64, f64) {
    let left = f64::from(PANEL_LEFT.0 + PANEL_LEFT.1);
    (
        left,
        (f64::from(width) - f64::from(PANEL_RIGHT)).max(left + 1.0),
    )
}

/// Draws the timeline of `f` on `area`: a caption, then four panels sharing the time axis.
pub fn draw_timeline<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    f: &FailureReport,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    area.fill(&WHITE)?;
    let end = end_s(f);
    let marks = marks(f);
    let (w, h) = area.dim_in_pixel();
    draw_caption(area, title)?;
    // Room at the top for the marks' labels and the RTO brackets, and at the bottom for the axis.
    let rpo_row = if rpo_span(f, &marks).is_some() { 16 } else { 0 };
    let head =
        30 + 16 * (marks.len().min(6) as u32) + 18 * f.faults.len().min(4) as u32 * 2 + rpo_row;
    let (top, rest) = area.split_vertically(head.min(h / 3));
    let panels = rest.split_evenly((4, 1));
    let lines_rates = [
        Line {
            label: "reads answered %",
            color: SERIES_A_COLOR,
            dashed: false,
            value: &read_rate,
        },
        Line {
            label: "writes acknowledged %",
            color: SERIES_B_COLOR,
            dashed: true,
            value: &write_rate,
        },
    ];
    let lines_latency = [
        Line {
            label: "read p95 ms",
            color: SERIES_A_COLOR,
            dashed: false,
            value: &|iv: &Interval| measured(iv.read_p95_ms),
        },
        Line {
            label: "write p95 ms",
            color: SERIES_B_COLOR,
            dashed: true,
            value: &|iv: &Interval| measured(iv.write_p95_ms),
        },
    ];
    let lines_staleness = [Line {
        label: "staleness p95 ms",
        color: STALENESS_COLOR,
        dashed: false,
        value: &|iv: &Interval| Some(iv.staleness_p95_ms),
    }];
    let lines_backlog = [Line {
        label: "replication backlog (writes queued)",
        color: BACKLOG_COLOR,
        dashed: false,
        value: &|iv: &Interval| Some(iv.backlog as f64),
    }];
    let specs: [(&str, &[Line<'_>], Option<f64>); 4] = [
        ("success rate", &lines_rates, Some(100.0)),
        ("p95 latency, ms", &lines_latency, None),
        ("staleness, ms", &lines_staleness, None),
        ("backlog", &lines_backlog, None),
    ];
    let mut x_of = None;
    for (i, ((name, lines, fixed), panel)) in specs.iter().zip(&panels).enumerate() {
        let last = i + 1 == specs.len();
        let top_value = fixed.unwrap_or_else(|| {
            f.timeline
                .iter()
                .flat_map(|iv| lines.iter().filter_map(|l| (l.value)(iv)))
                .filter(|v| v.is_finite())
                .fold(0.0, f64::max)
                .max(1.0)
                * 1.1
        });
        let y_top = if fixed.is_some() { 105.0 } else { top_value };
        let y = YAxis {
            name,
            span: (0.0, y_top),
            labels: &|v| short(*v),
            grid: true,
        };
        let mut chart = time_panel(panel, PANEL_LEFT, end, y, last)?;
        draw_events(&mut chart, f, &marks, (0.0, y_top))?;
        let mut legend = Vec::new();
        for line in lines.iter() {
            let style = line.color.stroke_width(2);
            let mut first = true;
            for seg in segments(f, line.value) {
                if line.dashed {
                    chart.draw_series(DashedLineSeries::new(seg, 6, 4, style))?;
                } else {
                    chart.draw_series(core::iter::once(PathElement::new(seg, style)))?;
                }
                if first {
                    first = false;
                    // Two strokes with a gap for a dashed line, without one for a solid one.
                    let gap = if line.dashed { 4 } else { 0 };
                    legend.push(LegendEntry::dashed(line.label, style, 6, gap));
                }
            }
        }
        draw_panel_legend(&chart, &legend)?;
        if i == 0 {
            x_of = Some(chart.as_coord_spec().clone());
        }
    }
    // The head: the marks' labels and the recovery annotations, at the panels' x positions.
    if let Some(coord) = x_of {
        // Backend pixels; the head starts at the top left of the drawing.
        draw_head(&top, f, &marks, &time_to_px(coord), w)?;
    }
    Ok(())
}

/// The head above the panels: each mark's label at its line, each fault's window label, RTO
/// brackets from the fault's start, and the RPO.
fn draw_head<DB: DrawingBackend>(
    top: &DrawingArea<DB, Shift>,
    f: &FailureReport,
    marks: &[Mark],
    x: &dyn Fn(f64) -> i32,
    w: u32,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let (_, h) = top.dim_in_pixel();
    let (ox, _) = top.get_base_pixel();
    let local = |t: f64| x(t) - ox;
    let font = |c: &RGBColor, right: bool| {
        ("sans-serif", 11).into_font().color(c).pos(Pos::new(
            if right { HPos::Right } else { HPos::Left },
            VPos::Center,
        ))
    };
    let mut row = 28;
    // Fault labels, left-aligned at the band's start.
    for (o, (a, _)) in f.faults.iter().zip(bands(f)) {
        let right = local(a) > w as i32 * 3 / 4;
        top.draw(&Text::new(
            format!("fault: {}", o.label),
            (local(a) + if right { -3 } else { 3 }, row),
            font(&FAULT_BAND_COLOR, right),
        ))?;
        row += 16;
        // RTO brackets: from the start to the first acknowledged write and back to the SLOs.
        for (name, v) in [
            ("RTO (writes)", o.rto_write_ms),
            ("RTO (SLOs)", o.rto_slo_ms),
        ] {
            let Some(ms) = v.filter(|v| v.is_finite() && *v >= 0.0) else {
                top.draw(&Text::new(
                    format!("{name}: not recovered"),
                    (local(a) + 3, row),
                    font(&RECOVERY_COLOR, false),
                ))?;
                row += 16;
                continue;
            };
            let (x0, x1) = (local(a), local(a + ms / 1000.0));
            let style = RECOVERY_COLOR.stroke_width(2);
            top.draw(&PathElement::new([(x0, row - 4), (x0, row + 4)], style))?;
            top.draw(&PathElement::new([(x0, row), (x1, row)], style))?;
            top.draw(&PathElement::new([(x1, row - 4), (x1, row + 4)], style))?;
            let right = x1 > w as i32 * 3 / 4;
            top.draw(&Text::new(
                format!("{name} {}", millis(ms)),
                (if right { x0 - 4 } else { x1 + 4 }, row),
                font(&RECOVERY_COLOR, right),
            ))?;
            row += 16;
        }
    }
    // The marks' labels, one row each so that close marks stay readable.
    for m in marks.iter().take(6) {
        let at = local(m.at_s);
        let right = at > w as i32 * 3 / 4;
        top.draw(&Text::new(
            format!("{} ({} s)", m.label, short(m.at_s)),
            (at + if right { -3 } else { 3 }, row),
            font(&m.kind.color(), right),
        ))?;
        top.draw(&PathElement::new(
            [(at, row - 6), (at, h as i32)],
            m.kind.color().stroke_width(1),
        ))?;
        row += 16;
    }
    // The RPO as a bracket over its window: from the oldest lost write's commit to the
    // promotion that lost it.
    if let Some((a, b)) = rpo_span(f, marks) {
        let (x0, x1) = (local(a), local(b));
        let style = RECOVERY_COLOR.stroke_width(2);
        top.draw(&PathElement::new([(x0, row - 4), (x0, row + 4)], style))?;
        top.draw(&PathElement::new([(x0, row), (x1, row)], style))?;
        top.draw(&PathElement::new([(x1, row - 4), (x1, row + 4)], style))?;
        let right = x1 > w as i32 * 3 / 4;
        top.draw(&Text::new(
            format!(
                "RPO: {} acknowledged writes lost, committed in the {} before the promotion",
                group_digits(f.rpo.lost_writes),
                millis(f.rpo.window_ms)
            ),
            (if right { x0 - 4 } else { x1 + 4 }, row),
            font(&RECOVERY_COLOR, right),
        ))?;
    }
    // The RPO, top right.
    top.draw(&Text::new(
        rpo_text(f),
        (w as i32 - 8, 8),
        ("sans-serif", 12)
            .into_font()
            .color(&RECOVERY_COLOR)
            .pos(Pos::new(HPos::Right, VPos::Top)),
    ))?;
    Ok(())
}

/// The RPO in words: acknowledged writes lost and the window they were committed in.
pub fn rpo_text(f: &FailureReport) -> String {
    if f.rpo.lost_writes == 0 {
        "RPO: 0 acknowledged writes lost".to_string()
    } else {
        format!(
            "RPO: {} acknowledged writes lost (window {})",
            group_digits(f.rpo.lost_writes),
            millis(f.rpo.window_ms)
        )
    }
}

/// The RPO's window on the time axis, s: from the oldest lost write's commit to the promotion
/// that lost it (the report's `rpo.window_ms` ends at that promotion; the first promotion among
/// `marks` is taken). `None` when no acknowledged write was lost, the window is not a finite
/// length, or the log has no promotion.
pub fn rpo_span(f: &FailureReport, marks: &[Mark]) -> Option<(f64, f64)> {
    let window = f.rpo.window_ms;
    if f.rpo.lost_writes == 0 || !window.is_finite() || window < 0.0 {
        return None;
    }
    let promotion = marks.iter().find(|m| m.kind == MarkKind::Promotion)?.at_s;
    Some(((promotion - window / 1000.0).max(0.0), promotion))
}

/// A text summary of the timeline of `f` for screen readers: the span, each fault with its
/// detection and recovery times, the marks, the RPO and the worst interval's success rates.
pub fn describe_timeline(title: &str, f: &FailureReport) -> String {
    let mut parts = vec![format!(
        "{title}: {} intervals of {} s over {} s",
        f.timeline.len(),
        short(interval(f)),
        short(end_s(f))
    )];
    for o in &f.faults {
        let mut s = format!(
            "fault {} from {} s to {}",
            o.label,
            short(o.start_s),
            o.end_s
                .map_or_else(|| "the end".to_string(), |e| format!("{} s", short(e)))
        );
        if let Some(d) = o.detected_s {
            s.push_str(&format!(", detected at {} s", short(d)));
        }
        s.push_str(&format!(
            ", RTO (writes) {}, RTO (SLOs) {}",
            o.rto_write_ms.map_or("not recovered".into(), millis),
            o.rto_slo_ms.map_or("not recovered".into(), millis)
        ));
        parts.push(s);
    }
    let marks = marks(f);
    if !marks.is_empty() {
        parts.push(format!(
            "marks: {}",
            marks
                .iter()
                .map(|m| format!("{} at {} s", m.label, short(m.at_s)))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let mut rpo = rpo_text(f);
    if let Some((a, b)) = rpo_span(f, &marks) {
        rpo.push_str(&format!(
            ", committed from {} s to the promotion at {} s",
            short(a),
            short(b)
        ));
    }
    parts.push(rpo);
    let low = |rate: fn(&Interval) -> Option<f64>| {
        f.timeline
            .iter()
            .filter_map(rate)
            .fold(None, |acc: Option<f64>, v| {
                Some(acc.map_or(v, |a| a.min(v)))
            })
    };
    if let (Some(r), Some(w)) = (low(read_rate), low(write_rate)) {
        parts.push(format!(
            "lowest success rate: reads {r:.0}%, writes {w:.0}%"
        ));
    }
    parts.join("; ")
}

/// Renders the timeline of `f` as a standalone SVG document of `width` x `height` pixels.
pub fn timeline_svg(
    title: &str,
    f: &FailureReport,
    width: u32,
    height: u32,
) -> Result<String, String> {
    svg_document(width, height, |root| draw_timeline(root, title, f))
}

/// One run in an overlay of several.
#[derive(Debug, Clone)]
pub struct Run<'a> {
    /// Its name in the legend.
    pub label: &'a str,
    /// Its failure report.
    pub failures: &'a FailureReport,
    /// Line colour.
    pub color: RGBColor,
    /// Dash pattern (dash, gap) in px; `None` draws a solid line.
    pub dash: Option<(u32, u32)>,
}

/// Draws the write success rate of each of `runs` over time on one chart, with the first run's
/// fault windows shaded.
pub fn draw_write_rates<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    runs: &[Run<'_>],
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    area.fill(&WHITE)?;
    let Some(first) = runs.first() else {
        return Ok(());
    };
    let end = runs.iter().map(|r| end_s(r.failures)).fold(0.0, f64::max);
    let mut chart = ChartBuilder::on(area)
        .caption(title, ("sans-serif", 15))
        .margin(8)
        .margin_right(16)
        .x_label_area_size(34)
        .y_label_area_size(56)
        .build_cartesian_2d(0f64..end, 0f64..105f64)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .max_light_lines(0)
        .x_labels(12)
        .y_labels(6)
        .x_desc("simulated time, s")
        .y_desc("writes acknowledged %")
        .axis_desc_style(("sans-serif", 12))
        .x_label_formatter(&|v| short(*v))
        .y_label_formatter(&|v| short(*v))
        .draw()?;
    draw_events(&mut chart, first.failures, &[], (0.0, 105.0))?;
    let mut legend = Vec::new();
    for run in runs {
        let style = run.color.stroke_width(2);
        let mut first_segment = true;
        for seg in segments(run.failures, write_rate) {
            match run.dash {
                Some((d, g)) => chart.draw_series(DashedLineSeries::new(seg, d, g, style))?,
                None => chart.draw_series(core::iter::once(PathElement::new(seg, style)))?,
            };
            if first_segment {
                first_segment = false;
                let (d, g) = run.dash.map_or((9, 0), |(d, g)| (d as i32, g as i32));
                legend.push(LegendEntry::dashed(run.label, style, d, g));
            }
        }
    }
    draw_legend(
        &chart.plotting_area().strip_coord_spec(),
        &legend,
        12.0,
        Corner::LowerRight,
        WHITE.mix(0.9).filled(),
        BLACK.mix(0.4).stroke_width(1),
    )?;
    Ok(())
}

/// Renders [`draw_write_rates`] as a standalone SVG document of `width` x `height` pixels.
pub fn write_rates_svg(
    title: &str,
    runs: &[Run<'_>],
    width: u32,
    height: u32,
) -> Result<String, String> {
    svg_document(width, height, |root| draw_write_rates(root, title, runs))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::Report;

    fn golden() -> FailureReport {
        let r: Report = serde_json::from_str(include_str!(
            "../../../tests/fixtures/golden/sg-down-promote.json"
        ))
        .unwrap();
        r.failures.unwrap()
    }

    #[test]
    fn the_log_gives_the_detection_and_the_promotion() {
        let f = golden();
        let m = marks(&f);
        assert_eq!(
            m,
            vec![
                Mark {
                    at_s: 23.0,
                    kind: MarkKind::Detection,
                    label: "SG declared down".into()
                },
                Mark {
                    at_s: 28.0,
                    kind: MarkKind::Promotion,
                    label: "promotion: US leads".into()
                },
            ]
        );
        assert_eq!(bands(&f), vec![(20.0, 45.0)]);
        assert_eq!(end_s(&f), f.timeline.len() as f64);
    }

    #[test]
    fn the_svg_has_the_band_the_marks_and_the_recovery_figures() {
        let f = golden();
        let svg = timeline_svg("sg-down-promote", &f, 960, 640).unwrap();
        let o = &f.faults[0];
        for text in [
            "fault: region_down SG at 20 s for 25 s".to_string(),
            format!("RTO (writes) {}", millis(o.rto_write_ms.unwrap())),
            format!("RTO (SLOs) {}", millis(o.rto_slo_ms.unwrap())),
            "SG declared down (23 s)".into(),
            "promotion: US leads (28 s)".into(),
            format!(
                "RPO: {} acknowledged writes lost (window {})",
                group_digits(f.rpo.lost_writes),
                millis(f.rpo.window_ms)
            ),
            "writes acknowledged %".into(),
            "replication backlog (writes queued)".into(),
        ] {
            assert!(svg.contains(&text), "{text} missing");
        }
        // One shaded band per panel, in the band colour.
        let band = format!(
            "opacity=\"{}\" fill=\"#{:02X}{:02X}{:02X}\"",
            BAND_ALPHA, FAULT_BAND_COLOR.0, FAULT_BAND_COLOR.1, FAULT_BAND_COLOR.2
        );
        assert_eq!(svg.matches(&band).count(), 4, "{band}");
        let summary = describe_timeline("sg-down-promote", &f);
        assert!(
            summary.contains("detected at 23 s, RTO (writes) 8230 ms, RTO (SLOs) 10 s"),
            "{summary}"
        );
        assert!(
            summary.contains("RPO: 335 acknowledged writes lost"),
            "{summary}"
        );
        // The RPO's window is drawn as a bracket ending at the promotion, and described.
        let (a, b) = rpo_span(&f, &marks(&f)).unwrap();
        assert_eq!(b, 28.0);
        assert!((b - a - f.rpo.window_ms / 1000.0).abs() < 1e-9);
        let bracket = format!(
            "RPO: 335 acknowledged writes lost, committed in the {} before the promotion",
            millis(f.rpo.window_ms)
        );
        assert!(svg.contains(&bracket), "{bracket} missing");
        assert!(
            summary.contains(&format!(
                "committed from {} s to the promotion at 28 s",
                short(a)
            )),
            "{summary}"
        );
    }

    #[test]
    fn no_loss_or_no_promotion_draws_no_rpo_bracket() {
        let mut f = golden();
        let promoted = marks(&f);
        f.rpo.lost_writes = 0;
        assert_eq!(rpo_span(&f, &promoted), None);
        let mut f = golden();
        f.rpo.window_ms = f64::NAN;
        assert_eq!(rpo_span(&f, &promoted), None);
        let f = golden();
        let detections: Vec<Mark> = promoted
            .into_iter()
            .filter(|m| m.kind != MarkKind::Promotion)
            .collect();
        assert_eq!(rpo_span(&f, &detections), None);
    }

    #[test]
    fn empty_and_damaged_reports_draw_without_panicking() {
        let mut f = FailureReport::default();
        assert!(timeline_svg("empty", &f, 600, 400).is_ok());
        f.interval_s = f64::NAN;
        f.timeline = vec![Interval {
            start_s: f64::INFINITY,
            read_p95_ms: f64::NAN,
            ..Interval::default()
        }];
        f.faults = golden().faults;
        f.faults[0].rto_write_ms = Some(f64::NAN);
        assert!(timeline_svg("odd", &f, 300, 200).is_ok());
        let runs = [Run {
            label: "x",
            failures: &f,
            color: SERIES_A_COLOR,
            dash: Some((4, 2)),
        }];
        assert!(write_rates_svg("odd", &runs, 300, 200).is_ok());
        assert!(write_rates_svg("none", &[], 300, 200).is_ok());
    }
}
