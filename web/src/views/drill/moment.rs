//! The state of a run at a scrubbed time, read from its failure timeline for the map: which
//! regions are down or cut off, which region leads and where each client population's requests
//! go. Each interval records that state at its end, so the state at `t` is the one of the last
//! interval ending at or before `t`.

use meridian_core::sim::{FailureReport, FaultKind, Model};

use crate::charts::timeline::{end_s, time_axis_px};
use crate::components::world_map::{Moment, MomentRoute};

/// The interval length of `f`, falling back to 1 s for a damaged report.
pub fn step(f: &FailureReport) -> f64 {
    if f.interval_s.is_finite() && f.interval_s > 0.0 {
        f.interval_s
    } else {
        1.0
    }
}

/// The time, s, at horizontal pixel `x` of a timeline `width` px wide whose time axis ends at
/// `end` s, kept within the axis.
pub fn time_at_x(end: f64, width: u32, x: f64) -> f64 {
    let (a, b) = time_axis_px(width);
    let share = if x.is_finite() {
        (x - a) / (b - a)
    } else {
        0.0
    };
    share.clamp(0.0, 1.0) * if end.is_finite() { end.max(0.0) } else { 0.0 }
}

/// The horizontal pixel of time `t` s on a timeline `width` px wide whose time axis ends at
/// `end` s, kept within the axis.
pub fn x_at_time(end: f64, width: u32, t: f64) -> f64 {
    let (a, b) = time_axis_px(width);
    let share = if end > 0.0 && t.is_finite() {
        t / end
    } else {
        0.0
    };
    a + share.clamp(0.0, 1.0) * (b - a)
}

/// `t` moved onto the timeline's grid of interval ends, from the first interval's end to the
/// last's.
pub fn snap(f: &FailureReport, t: f64) -> f64 {
    let step = step(f);
    let end = end_s(f);
    if !t.is_finite() {
        return step.min(end);
    }
    ((t / step + 1e-9).floor() * step).clamp(step.min(end), end)
}

/// The state of the run at `t` (moved onto the grid, see [`snap`]), or `None` for an empty
/// timeline.
pub fn moment_at(model: &Model, f: &FailureReport, t: f64) -> Option<Moment> {
    let at_s = snap(f, t);
    let index = ((at_s / step(f)).round() as usize).saturating_sub(1);
    let iv = f
        .timeline
        .get(index.min(f.timeline.len().checked_sub(1)?))?;
    let region = |id: &String| model.topology.regions().iter().position(|r| &r.id == id);
    let mut cut = Vec::new();
    for &j in &iv.active_faults {
        if let Some(FaultKind::Partition { a, b, .. }) = model.faults.get(j).map(|x| &x.kind) {
            for &x in a {
                for &y in b {
                    if x != y && !cut.contains(&(x, y)) && !cut.contains(&(y, x)) {
                        cut.push((x, y));
                    }
                }
            }
        }
    }
    Some(Moment {
        at_s,
        down: iv.down.iter().filter_map(region).collect(),
        cut,
        leaders: iv.leaders.iter().filter_map(region).collect(),
        faults: iv
            .active_faults
            .iter()
            .filter_map(|&j| f.faults.get(j).map(|o| o.label.clone()))
            .collect(),
        routes: iv
            .routes
            .iter()
            .filter_map(|r| {
                Some(MomentRoute {
                    client: model.clients.iter().position(|c| c.name == r.client)?,
                    reads: r.reads.as_ref().and_then(region),
                    writes: r.writes.as_ref().and_then(region),
                })
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use meridian_core::scenario::Scenario;
    use meridian_core::sim::Report;

    fn golden() -> (Model, FailureReport) {
        let r: Report = serde_json::from_str(include_str!(
            "../../../../tests/fixtures/golden/sg-down-promote.json"
        ))
        .unwrap();
        let model = Scenario::preset("sg-down-promote")
            .unwrap()
            .validate()
            .unwrap();
        (model, r.failures.unwrap())
    }

    #[test]
    fn the_outage_moves_the_leader_and_the_clients() {
        let (model, f) = golden();
        let before = moment_at(&model, &f, 20.0).unwrap();
        assert_eq!(
            (before.down.len(), before.leaders.as_slice()),
            (0, &[0][..])
        );
        let detected = moment_at(&model, &f, 24.0).unwrap();
        assert_eq!(detected.down, vec![0]);
        assert!(detected.leaders.is_empty());
        assert_eq!(
            detected.describe(&model),
            "At 24 s: SG down; no leader accepts writes; VN reads at US, writes refused; \
             US reads at US, writes refused"
        );
        let promoted = moment_at(&model, &f, 30.5).unwrap();
        assert_eq!(
            (promoted.at_s, promoted.leaders.as_slice()),
            (30.0, &[1][..])
        );
        assert_eq!(promoted.faults, vec!["region_down SG at 20 s for 25 s"]);
        assert_eq!(
            promoted.routes[0],
            MomentRoute {
                client: 0,
                reads: Some(1),
                writes: Some(1)
            }
        );
    }

    #[test]
    fn pixels_and_times_match_the_drawn_timeline() {
        let (_, f) = golden();
        let end = end_s(&f);
        let svg = crate::charts::timeline::timeline_svg("t", &f, 960, 640).unwrap();
        // The fault band (20 s to 45 s) as plotters drew it: its rectangles' left edge.
        let at = svg.find("opacity=\"0.14\"").unwrap();
        let rect = &svg[svg[..at].rfind("<rect").unwrap()..at];
        let x: f64 = rect
            .split("x=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .unwrap()
            .parse()
            .unwrap();
        assert!((x_at_time(end, 960, 20.0) - x).abs() <= 1.0, "{x} {rect}");
        assert!((time_at_x(end, 960, x) - 20.0).abs() < end / 800.0);
        assert_eq!(time_at_x(end, 960, -5.0), 0.0);
        assert_eq!(time_at_x(end, 960, 5000.0), end);
        assert_eq!(time_at_x(end, 960, f64::NAN), 0.0);
        assert_eq!(x_at_time(f64::NAN, 960, 3.0), x_at_time(end, 960, 0.0));
        for t in [0.0, 7.5, 33.0, end] {
            assert!((time_at_x(end, 960, x_at_time(end, 960, t)) - t).abs() < 1e-9);
        }
    }

    #[test]
    fn odd_times_and_empty_timelines_do_not_panic() {
        let (model, f) = golden();
        for t in [f64::NAN, -5.0, 0.0, 1e12, f64::INFINITY] {
            let m = moment_at(&model, &f, t).unwrap();
            assert!(m.at_s >= 1.0 && m.at_s <= end_s(&f), "{t}: {}", m.at_s);
        }
        assert_eq!(moment_at(&model, &FailureReport::default(), 3.0), None);
    }
}
