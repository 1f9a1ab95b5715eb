//! The recovery timeline of a [`RecoveryReport`] (`meridian recovery --svg`, the Recovery view):
//! stacked panels on one time axis showing how seed 003's patterns carry the order flow through
//! an outage — each service's circuit breaker as a band per row (closed, half-open, open), the
//! outbox backlog, the orders waiting for delivery, the review queue of fallback orders, the
//! reconciliation job's corrections and manual-review items per interval, and the age of the
//! oldest pending outbox event next to the projection's lag. Outage windows are shaded; each
//! outage's detection (start to breaker open) and recovery (end to steady state) are drawn as
//! brackets above the panels and as dashed lines through them.
//!
//! Every number drawn or written comes from the report.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::series::DashedLineSeries;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::panels::{
    Panel, YAxis, draw_caption, draw_panel_legend, draw_windows_and_marks, short, time_panel,
    time_to_px,
};
use super::{Chart, LegendEntry, svg_document};
use crate::format::group_digits;
use crate::reliability::RecoveryReport;
use crate::reliability::breaker::BreakerState;
use crate::reliability::report::RecoveryInterval;
use crate::reliability::scenario::{OutageKind, ServiceName};
use crate::reliability::sweep::human_ms;

/// Width of the recovery timeline, px.
pub const RECOVERY_WIDTH: u32 = 960;
/// Height of the recovery timeline, px.
pub const RECOVERY_HEIGHT: u32 = 900;

/// A closed breaker (Okabe–Ito bluish green).
pub const CLOSED_COLOR: RGBColor = RGBColor(0, 158, 115);
/// A half-open breaker (Okabe–Ito orange).
pub const HALF_OPEN_COLOR: RGBColor = RGBColor(230, 159, 0);
/// An open breaker (Okabe–Ito vermillion).
pub const OPEN_COLOR: RGBColor = RGBColor(213, 94, 0);
/// The outbox backlog and the oldest pending event (Okabe–Ito blue).
pub const OUTBOX_COLOR: RGBColor = RGBColor(0, 114, 178);
/// The delivery backlog (Okabe–Ito sky blue).
pub const DELIVERY_COLOR: RGBColor = RGBColor(86, 180, 233);
/// The review queue and manual-review items (Okabe–Ito reddish purple).
pub const REVIEW_COLOR: RGBColor = RGBColor(204, 121, 167);
/// The projection's lag (black, dashed).
pub const LAG_COLOR: RGBColor = RGBColor(0, 0, 0);
/// Detection and recovery annotations.
pub const MARK_COLOR: RGBColor = RGBColor(30, 30, 30);
/// Fill of an outage's window (drawn translucent).
pub const OUTAGE_BAND_COLOR: RGBColor = RGBColor(0, 0, 0);
/// Opacity of an outage's band.
const BAND_ALPHA: f64 = 0.1;

/// The panels' left margin and y label area, px.
const PANEL_LEFT: (u32, u32) = (8, 72);

/// The chart of `report`, named "recovery timeline" (`recovery-timeline.svg`).
pub fn recovery_chart(report: &RecoveryReport) -> Chart {
    let title = title(report);
    Chart {
        name: "recovery timeline".to_string(),
        svg: recovery_svg(&title, report, RECOVERY_WIDTH, RECOVERY_HEIGHT),
        aria: describe_recovery(&title, report),
        width: RECOVERY_WIDTH,
        height: RECOVERY_HEIGHT,
    }
}

/// The chart's caption: the scenario and the seed.
pub fn title(report: &RecoveryReport) -> String {
    format!("Recovery timeline · {} · seed {}", report.name, report.seed)
}

/// The interval length, s: the distance between the first two intervals, or the run's length
/// over the number of intervals, or 1 s for a damaged report.
fn interval(r: &RecoveryReport) -> f64 {
    let from_starts = match r.timeline.as_slice() {
        [a, b, ..] => b.start_s - a.start_s,
        _ => f64::NAN,
    };
    let from_length = (r.duration_s + r.drain_s) / r.timeline.len().max(1) as f64;
    [from_starts, from_length, 1.0]
        .into_iter()
        .find(|v| v.is_finite() && *v > 0.0)
        .unwrap_or(1.0)
}

/// The end of the time axis, s: the last interval's end (at least one interval).
pub fn end_s(r: &RecoveryReport) -> f64 {
    let step = interval(r);
    r.timeline
        .iter()
        .rev()
        .map(|iv| iv.start_s + step)
        .find(|e| e.is_finite() && *e < 1e9)
        .unwrap_or(step)
        .max(step)
}

/// Each outage's window on the time axis, s (cut at the axis' end).
pub fn outage_bands(r: &RecoveryReport) -> Vec<(f64, f64)> {
    let end = end_s(r);
    r.outages
        .iter()
        .filter(|o| o.at_s.is_finite() && o.for_s.is_finite())
        .map(|o| (o.at_s.max(0.0), (o.at_s + o.for_s).min(end)))
        .filter(|(a, b)| b > a)
        .collect()
}

/// The name of an outage kind in documents.
pub fn kind_name(kind: OutageKind) -> &'static str {
    match kind {
        OutageKind::Down => "down",
        OutageKind::Degraded => "degraded",
        OutageKind::Slow => "slow",
    }
}

/// The colour of a breaker state.
pub fn state_color(state: BreakerState) -> RGBColor {
    match state {
        BreakerState::Closed => CLOSED_COLOR,
        BreakerState::HalfOpen => HALF_OPEN_COLOR,
        BreakerState::Open => OPEN_COLOR,
    }
}

/// The runs of equal state of `service`'s breaker, as (from s, to s, state), consecutive
/// intervals of one state joined (intervals without a breaker or a finite start left out).
pub fn breaker_spans(r: &RecoveryReport, service: ServiceName) -> Vec<(f64, f64, BreakerState)> {
    let step = interval(r);
    let mut out: Vec<(f64, f64, BreakerState)> = Vec::new();
    for iv in &r.timeline {
        let Some(state) = iv.breakers[service.index()] else {
            continue;
        };
        if !iv.start_s.is_finite() {
            continue;
        }
        let (a, b) = (iv.start_s, iv.start_s + step);
        match out.last_mut() {
            Some(last) if last.2 == state && (last.1 - a).abs() < 1e-9 => last.1 = b,
            _ => out.push((a, b, state)),
        }
    }
    out
}

/// The points of `value` at each interval's middle.
fn points(r: &RecoveryReport, value: &dyn Fn(&RecoveryInterval) -> f64) -> Vec<(f64, f64)> {
    let half = interval(r) / 2.0;
    r.timeline
        .iter()
        .filter(|iv| iv.start_s.is_finite())
        .map(|iv| (iv.start_s + half, value(iv)))
        .filter(|(_, v)| v.is_finite())
        .collect()
}

/// A figure of an interval.
type Value<'a> = dyn Fn(&RecoveryInterval) -> f64 + 'a;

/// One line of a panel.
struct Line<'a> {
    label: &'a str,
    color: RGBColor,
    dashed: bool,
    value: &'a dyn Fn(&RecoveryInterval) -> f64,
}

/// A line of `label` in `color` (dashed or not) drawing `value`.
fn line<'a>(
    label: &'a str,
    color: RGBColor,
    dashed: bool,
    value: &'a dyn Fn(&RecoveryInterval) -> f64,
) -> Line<'a> {
    Line {
        label,
        color,
        dashed,
        value,
    }
}

/// What one panel shows: lines, or bars per interval.
enum Content<'a> {
    Breakers,
    Lines(Vec<Line<'a>>),
    Bars(Vec<Line<'a>>),
}

/// The moments to mark through the panels: each outage's detection and the end of its recovery,
/// s, with their labels.
fn marks(r: &RecoveryReport) -> Vec<(f64, String, bool)> {
    let mut out = Vec::new();
    for o in &r.outages {
        if let Some(d) = o.detection_ms.filter(|v| v.is_finite() && *v >= 0.0) {
            out.push((
                o.at_s + d / 1000.0,
                format!("{} breaker opens", o.service),
                true,
            ));
        }
        if let Some(rec) = o.recovery_ms.filter(|v| v.is_finite() && *v >= 0.0) {
            out.push((
                o.at_s + o.for_s + rec / 1000.0,
                format!("{} recovered", o.service),
                false,
            ));
        }
    }
    out.retain(|m| m.0.is_finite());
    out
}

/// Shades the outage windows and draws the marks over a panel whose y axis spans `y`.
fn draw_events<DB: DrawingBackend>(
    chart: &mut Panel<'_, DB>,
    r: &RecoveryReport,
    y: (f64, f64),
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    draw_windows_and_marks(
        chart,
        outage_bands(r),
        OUTAGE_BAND_COLOR.mix(BAND_ALPHA).filled(),
        marks(r)
            .into_iter()
            .map(|(at, _, detection)| (at, if detection { MARK_COLOR } else { CLOSED_COLOR })),
        y,
    )
}

/// The service drawn on row `v` of the breaker panel (product on top).
fn row_service(v: f64) -> Option<ServiceName> {
    let row = libm::round(v);
    if (v - row).abs() > 1e-6 || !(0.0..=3.0).contains(&row) {
        return None;
    }
    ServiceName::ALL.get(3 - row as usize).copied()
}

/// Draws the recovery timeline of `r` on `area`: a caption, a head with each outage's window,
/// detection and recovery, then six panels on one time axis.
pub fn draw_recovery<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    r: &RecoveryReport,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    area.fill(&WHITE)?;
    let end = end_s(r);
    let (w, h) = area.dim_in_pixel();
    draw_caption(area, title)?;
    let head = 34 + 16 * 3 * r.outages.len().min(4) as u32;
    let (top, rest) = area.split_vertically(head.min(h / 3));
    let panels = rest.split_evenly((6, 1));
    let outbox = |iv: &RecoveryInterval| iv.outbox_backlog as f64;
    let delivery = |iv: &RecoveryInterval| iv.delivery_backlog as f64;
    let review = |iv: &RecoveryInterval| iv.review_queue as f64;
    let corrections = |iv: &RecoveryInterval| iv.corrections as f64;
    let manual = |iv: &RecoveryInterval| iv.manual as f64;
    let oldest = |iv: &RecoveryInterval| iv.outbox_oldest_ms / 1000.0;
    let lag = |iv: &RecoveryInterval| iv.projection_lag_ms / 1000.0;
    let specs: [(&str, Content<'_>); 6] = [
        ("breakers", Content::Breakers),
        (
            "outbox, events",
            Content::Lines(vec![line(
                "outbox backlog (events pending)",
                OUTBOX_COLOR,
                false,
                &outbox,
            )]),
        ),
        (
            "deliveries",
            Content::Lines(vec![line(
                "delivery backlog (orders waiting)",
                DELIVERY_COLOR,
                false,
                &delivery,
            )]),
        ),
        (
            "review queue",
            Content::Lines(vec![line(
                "review queue (fallback orders)",
                REVIEW_COLOR,
                false,
                &review,
            )]),
        ),
        (
            "reconciliation",
            Content::Bars(vec![
                line(
                    "corrections per interval",
                    CLOSED_COLOR,
                    false,
                    &corrections,
                ),
                line("manual review per interval", REVIEW_COLOR, false, &manual),
            ]),
        ),
        (
            "age, s",
            Content::Lines(vec![
                line(
                    "oldest pending outbox event, s",
                    OUTBOX_COLOR,
                    false,
                    &oldest,
                ),
                line("projection lag, s", LAG_COLOR, true, &lag),
            ]),
        ),
    ];
    let mut x_of = None;
    for (i, ((name, content), panel)) in specs.iter().zip(&panels).enumerate() {
        let last = i + 1 == specs.len();
        let y_range = match content {
            Content::Breakers => (-0.5, 3.5),
            Content::Lines(lines) | Content::Bars(lines) => {
                let top = r
                    .timeline
                    .iter()
                    .flat_map(|iv| {
                        let sum: f64 = if matches!(content, Content::Bars(_)) {
                            lines.iter().map(|l| (l.value)(iv)).sum()
                        } else {
                            0.0
                        };
                        lines.iter().map(move |l| (l.value)(iv)).chain([sum])
                    })
                    .filter(|v| v.is_finite())
                    .fold(0.0, f64::max)
                    .max(1.0)
                    * 1.15;
                (0.0, top)
            }
        };
        let breakers = matches!(content, Content::Breakers);
        let y = YAxis {
            name,
            span: y_range,
            labels: if breakers {
                &|v| row_service(*v).map_or(String::new(), |s| s.to_string())
            } else {
                &|v| short(*v)
            },
            grid: !breakers,
        };
        let mut chart = time_panel(panel, PANEL_LEFT, end, y, last)?;
        draw_events(&mut chart, r, y_range)?;
        let mut legend = Vec::new();
        match content {
            Content::Breakers => {
                for (row, service) in ServiceName::ALL.iter().enumerate() {
                    let y = 3.0 - row as f64;
                    chart.draw_series(breaker_spans(r, *service).into_iter().map(
                        |(a, b, state)| {
                            Rectangle::new(
                                [(a, y - 0.32), (b, y + 0.32)],
                                state_color(state).filled(),
                            )
                        },
                    ))?;
                }
                for (label, state) in [
                    ("closed", BreakerState::Closed),
                    ("half-open", BreakerState::HalfOpen),
                    ("open", BreakerState::Open),
                ] {
                    legend.push(LegendEntry::dashed(
                        label,
                        state_color(state).stroke_width(6),
                        6,
                        0,
                    ));
                }
            }
            Content::Lines(lines) => {
                for l in lines {
                    let style = l.color.stroke_width(2);
                    let pts = points(r, l.value);
                    if l.dashed {
                        chart.draw_series(DashedLineSeries::new(pts, 6, 4, style))?;
                    } else {
                        chart.draw_series(core::iter::once(PathElement::new(pts, style)))?;
                    }
                    let gap = if l.dashed { 4 } else { 0 };
                    legend.push(LegendEntry::dashed(l.label, style, 6, gap));
                }
            }
            Content::Bars(lines) => {
                let step = interval(r);
                for (k, l) in lines.iter().enumerate() {
                    // Stacked: each series on top of the ones before it.
                    let below = |iv: &RecoveryInterval| -> f64 {
                        lines[..k].iter().map(|p| (p.value)(iv)).sum()
                    };
                    chart.draw_series(
                        r.timeline
                            .iter()
                            .filter(|iv| iv.start_s.is_finite() && (l.value)(iv) > 0.0)
                            .map(|iv| {
                                let base = below(iv);
                                Rectangle::new(
                                    [
                                        (iv.start_s, base),
                                        (iv.start_s + step, base + (l.value)(iv)),
                                    ],
                                    l.color.filled(),
                                )
                            }),
                    )?;
                    legend.push(LegendEntry::dashed(l.label, l.color.stroke_width(6), 6, 0));
                }
            }
        }
        draw_panel_legend(&chart, &legend)?;
        if i == 0 {
            x_of = Some(chart.as_coord_spec().clone());
        }
    }
    if let Some(coord) = x_of {
        draw_head(&top, r, &time_to_px(coord), w)?;
    }
    Ok(())
}

/// A bracket from `x0` to `x1` on `row` with `text` beside it.
fn bracket<DB: DrawingBackend>(
    top: &DrawingArea<DB, Shift>,
    (x0, x1): (i32, i32),
    row: i32,
    text: String,
    w: u32,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let style = MARK_COLOR.stroke_width(2);
    top.draw(&PathElement::new([(x0, row - 4), (x0, row + 4)], style))?;
    top.draw(&PathElement::new([(x0, row), (x1, row)], style))?;
    top.draw(&PathElement::new([(x1, row - 4), (x1, row + 4)], style))?;
    let right = x1 > w as i32 * 3 / 4;
    top.draw(&Text::new(
        text,
        (if right { x0 - 4 } else { x1 + 4 }, row),
        label_font(&MARK_COLOR, right),
    ))?;
    Ok(())
}

fn label_font(c: &RGBColor, right: bool) -> TextStyle<'static> {
    ("sans-serif", 11).into_font().color(c).pos(Pos::new(
        if right { HPos::Right } else { HPos::Left },
        VPos::Center,
    ))
}

/// The head above the panels: per outage, its label at the window's start, the detection
/// bracket (start to breaker open) and the recovery bracket (end to steady state).
fn draw_head<DB: DrawingBackend>(
    top: &DrawingArea<DB, Shift>,
    r: &RecoveryReport,
    x: &dyn Fn(f64) -> i32,
    w: u32,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let (ox, _) = top.get_base_pixel();
    let local = |t: f64| x(t) - ox;
    let mut row = 32;
    for o in r.outages.iter().take(4) {
        if !o.at_s.is_finite() || !o.for_s.is_finite() {
            continue;
        }
        let start = local(o.at_s);
        let right = start > w as i32 * 3 / 4;
        top.draw(&Text::new(
            outage_label(o),
            (start + if right { -3 } else { 3 }, row),
            label_font(&BLACK, right),
        ))?;
        row += 16;
        match o.detection_ms.filter(|v| v.is_finite() && *v >= 0.0) {
            Some(d) => bracket(
                top,
                (start, local(o.at_s + d / 1000.0)),
                row,
                format!("detection {}", human_ms(d)),
                w,
            )?,
            None => top.draw(&Text::new(
                "detection: the breaker did not open".to_string(),
                (start + 3, row),
                label_font(&MARK_COLOR, false),
            ))?,
        }
        row += 16;
        let end = o.at_s + o.for_s;
        match o.recovery_ms.filter(|v| v.is_finite() && *v >= 0.0) {
            Some(rec) => bracket(
                top,
                (local(end), local(end + rec / 1000.0)),
                row,
                format!("recovery {}", human_ms(rec)),
                w,
            )?,
            None => top.draw(&Text::new(
                "recovery: not within the run".to_string(),
                (local(end) + 3, row),
                label_font(&MARK_COLOR, false),
            ))?,
        }
        row += 16;
    }
    Ok(())
}

/// An outage in words: "outage: delivery down at 312.5 s for 600 s" (with its error rate or
/// added latency when its kind has one).
pub fn outage_label(o: &crate::reliability::report::OutageMeasure) -> String {
    format!(
        "outage: {} {} at {} s for {} s",
        o.service,
        kind_name(o.kind),
        short(o.at_s),
        short(o.for_s)
    )
}

/// A text summary of the recovery timeline for screen readers: the span, each outage with its
/// detection and recovery, how long each breaker was open, and the peaks of the backlogs,
/// queues and lag.
pub fn describe_recovery(title: &str, r: &RecoveryReport) -> String {
    let step = interval(r);
    let mut parts = vec![format!(
        "{title}: {} intervals of {} s over {} s",
        r.timeline.len(),
        short(step),
        short(end_s(r))
    )];
    for o in &r.outages {
        parts.push(format!(
            "{}, detection {}, recovery {}, orders refused for {}",
            outage_label(o),
            o.detection_ms
                .map_or("never (the breaker did not open)".into(), human_ms),
            o.recovery_ms.map_or("not within the run".into(), human_ms),
            human_ms(o.downtime_ms)
        ));
    }
    let mut states = Vec::new();
    for service in ServiceName::ALL {
        let spans = breaker_spans(r, service);
        let open: f64 = spans
            .iter()
            .filter(|s| s.2 != BreakerState::Closed)
            .map(|s| s.1 - s.0)
            .sum();
        if open > 0.0 {
            states.push(format!(
                "{service} breaker not closed for {} s",
                short(open)
            ));
        }
    }
    if states.is_empty() {
        parts.push("every breaker stayed closed".to_string());
    } else {
        parts.push(states.join(", "));
    }
    let peak = |f: &dyn Fn(&RecoveryInterval) -> f64| {
        r.timeline.iter().filter(|iv| f(iv).is_finite()).fold(
            None,
            |acc: Option<(f64, f64)>, iv| match acc {
                Some((v, _)) if v >= f(iv) => acc,
                _ => Some((f(iv), iv.start_s)),
            },
        )
    };
    let series: [(&str, &Value<'_>); 3] = [
        ("outbox backlog", &|iv: &RecoveryInterval| {
            iv.outbox_backlog as f64
        }),
        ("delivery backlog", &|iv: &RecoveryInterval| {
            iv.delivery_backlog as f64
        }),
        ("review queue", &|iv: &RecoveryInterval| {
            iv.review_queue as f64
        }),
    ];
    for (what, f) in series {
        if let Some((v, at)) = peak(f).filter(|p| p.0 > 0.0) {
            parts.push(format!(
                "peak {what} {} at {} s",
                group_digits(v as u64),
                short(at)
            ));
        } else {
            parts.push(format!("{what} stayed empty"));
        }
    }
    let corrections: u64 = r.timeline.iter().map(|iv| iv.corrections).sum();
    let manual: u64 = r.timeline.iter().map(|iv| iv.manual).sum();
    parts.push(format!(
        "reconciliation: {} corrections, {} to manual review",
        group_digits(corrections),
        group_digits(manual)
    ));
    if let Some((v, _)) = peak(&|iv: &RecoveryInterval| iv.projection_lag_ms) {
        parts.push(format!("projection lag up to {}", human_ms(v)));
    }
    parts.join("; ")
}

/// Renders the recovery timeline of `r` as a standalone SVG document of `width` x `height` px.
pub fn recovery_svg(
    title: &str,
    r: &RecoveryReport,
    width: u32,
    height: u32,
) -> Result<String, String> {
    svg_document(width, height, |root| draw_recovery(root, title, r))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reliability::presets::preset;
    use crate::reliability::run;

    fn report(name: &str) -> RecoveryReport {
        run(&preset(name).unwrap().scenario()).unwrap()
    }

    #[test]
    fn the_chart_has_the_outage_its_brackets_and_every_panel() {
        let r = report("queue-down-2m");
        let chart = recovery_chart(&r);
        assert_eq!(chart.file_name(), "recovery-timeline.svg");
        let svg = chart.svg.as_ref().unwrap();
        let o = &r.outages[0];
        for text in [
            "outage: queue down at 312.5 s for 120 s".to_string(),
            format!("recovery {}", human_ms(o.recovery_ms.unwrap())),
            "outbox backlog (events pending)".into(),
            "delivery backlog (orders waiting)".into(),
            "review queue (fallback orders)".into(),
            "corrections per interval".into(),
            "projection lag, s".into(),
            "half-open".into(),
            "\nproduct\n".into(),
            "\nqueue\n".into(),
        ] {
            assert!(svg.contains(&text), "{text} missing");
        }
        // One shaded band per panel.
        let band = format!("opacity=\"{BAND_ALPHA}\" fill=\"#000000\"");
        assert_eq!(svg.matches(&band).count(), 6, "{band}");
        assert!(
            chart
                .aria
                .contains("outage: queue down at 312.5 s for 120 s")
        );
        assert!(chart.aria.contains("peak outbox backlog"), "{}", chart.aria);
    }

    #[test]
    fn breaker_spans_join_equal_states() {
        let r = report("delivery-down-10m");
        let spans = breaker_spans(&r, ServiceName::Delivery);
        assert!(spans.iter().any(|s| s.2 == BreakerState::Open));
        assert!(
            spans
                .windows(2)
                .all(|w| w[0].2 != w[1].2 || w[0].1 < w[1].0)
        );
        let covered: f64 = spans.iter().map(|s| s.1 - s.0).sum();
        assert!((covered - end_s(&r)).abs() < 1e-6, "{covered}");
    }

    #[test]
    fn empty_and_damaged_reports_draw_without_panicking() {
        let mut r = report("database-blip-20s");
        r.timeline.truncate(3);
        r.timeline[1].start_s = f64::NAN;
        r.timeline[2].projection_lag_ms = f64::INFINITY;
        r.outages[0].recovery_ms = Some(f64::NAN);
        assert!(recovery_svg("odd", &r, 300, 200).is_ok());
        r.timeline.clear();
        r.outages.clear();
        assert!(recovery_svg("empty", &r, 600, 400).is_ok());
        assert!(describe_recovery("empty", &r).contains("every breaker stayed closed"));
    }
}
