//! The Sweep view's words: its lede and footer, the progress line, the grid's size, and the
//! table's header and cells, in the figures `meridian sweep` prints (core's [`stat_text`]).

use meridian_core::sweep::{PointSummary, SweepSpec, stat_text, table_metrics, value_text};

use super::settings::MAX_RUNS;

/// The view's lede.
pub fn lede() -> String {
    format!(
        "One metric over a grid of a scenario's fields: pick a preset, one or two fields and \
         their values, and the page runs every point with a few seeds, then draws the mean as a \
         line with its 95% interval, or as a heatmap over two fields. Up to {MAX_RUNS} runs here; \
         `meridian sweep` runs bigger grids on every core."
    )
}

/// The view's footer.
pub fn footer() -> String {
    "Every run is made in the browser by meridian-core's discrete-event engine, one after the \
     other; `meridian sweep` with the same preset, fields, seeds and duration gives the same \
     figures, and `--svg DIR` the same chart."
        .to_string()
}

/// `17 / 45 runs`.
pub fn progress(done: usize, total: usize) -> String {
    format!("{done} / {total} runs")
}

/// `1 point`, `2 points`.
fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}

/// `4 points × 2 seeds = 8 runs of 5 s each`.
pub fn grid_size(points: usize, seeds: u32, duration_s: f64) -> String {
    let runs = points * seeds as usize;
    format!(
        "{} × {} = {} of {duration_s} s each",
        count(points, "point", "points"),
        count(seeds as usize, "seed", "seeds"),
        count(runs, "run", "runs")
    )
}

/// The metrics the table shows: `meridian sweep`'s, with `metric` (the chart's) first when it
/// is not among them.
pub fn table_columns(points: &[PointSummary], metric: &str) -> Vec<String> {
    let shown = table_metrics(points);
    let mut out: Vec<String> = Vec::with_capacity(shown.len() + 1);
    if !shown.contains(&metric) {
        out.push(metric.to_string());
    }
    out.extend(shown.iter().map(|m| (*m).to_string()));
    out
}

/// One cell of the table: the figure as the CLI prints it, with the mean and interval as
/// written by Rust (`None` for a metric the point's runs did not measure).
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// The metric.
    pub metric: String,
    /// `12.3 ± 0.4`, or `-`.
    pub text: String,
    /// The mean, in full.
    pub mean: Option<String>,
    /// The interval's half-width, in full.
    pub ci95: Option<String>,
}

/// A row of the table: the point's values, then a cell per column.
pub fn row(point: &PointSummary, columns: &[String]) -> (Vec<String>, Vec<Cell>) {
    let values = point
        .point
        .values
        .iter()
        .map(|(_, v)| value_text(v))
        .collect();
    let cells = columns
        .iter()
        .map(|m| match point.stat(m) {
            Some(stat) => Cell {
                metric: m.clone(),
                text: stat_text(stat),
                mean: Some(stat.mean.to_string()),
                ci95: stat.ci95.map(|c| c.to_string()),
            },
            None => Cell {
                metric: m.clone(),
                text: "-".into(),
                mean: None,
                ci95: None,
            },
        })
        .collect();
    (values, cells)
}

/// The table's caption: the scenario, the grid and what the cells hold.
pub fn table_caption(spec: &SweepSpec, points: usize) -> String {
    format!(
        "{}: {} × {}; mean ± 95% interval over seeds, as `meridian sweep` prints it",
        spec.scenario,
        count(points, "point", "points"),
        count(spec.seeds as usize, "seed", "seeds")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use meridian_core::sweep::{Point, Stat};

    #[test]
    fn words_and_cells_read_as_the_cli_prints_them() {
        assert_eq!(progress(17, 45), "17 / 45 runs");
        assert_eq!(
            grid_size(4, 2, 5.0),
            "4 points × 2 seeds = 8 runs of 5 s each"
        );
        assert_eq!(
            grid_size(1, 1, 0.5),
            "1 point × 1 seed = 1 run of 0.5 s each"
        );
        let point = PointSummary {
            point: Point {
                index: 0,
                values: vec![("replication.r".into(), serde_json::Value::from(2))],
            },
            runs: 2,
            stats: vec![Stat {
                metric: "read_p95_ms".into(),
                mean: 19.391,
                ci95: Some(1.625),
            }],
            slo_pass_share: Vec::new(),
        };
        let columns = table_columns(std::slice::from_ref(&point), "read_p99_ms");
        assert_eq!(columns[0], "read_p99_ms");
        assert_eq!(columns[1], "read_p95_ms");
        let (values, cells) = row(&point, &columns);
        assert_eq!(values, ["2"]);
        assert_eq!(cells[0].text, "-");
        assert_eq!(cells[1].text, "19.4 ± 1.6");
        assert_eq!(cells[1].mean.as_deref(), Some("19.391"));
    }
}
