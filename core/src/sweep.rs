//! Parameter sweeps: one scenario run over a grid of values of any of its fields, each point with
//! several seeds, summarised per point as a mean with a 95 % confidence interval over seeds.
//!
//! A field is named by its path in the scenario document (`replication.r`, `workload.
//! requests_per_s`, `clients[0].weight`, `replication.apply_delay.mean_ms`); values are a list
//! (`1,2,3`, `local,leader`) or a numeric range with a step (`50..500:50`, both ends included).
//! The grid is the product of every `--vary`, the first varying slowest.
//!
//! The work is a list of jobs, `(point, seed)` in a fixed order, so any slice of it (a shard, a
//! thread's share) gives the same rows, and [`summarize`] of all rows gives the same result
//! however they were computed: sharding across machines is [`Job`]s by index modulo the shard
//! count, merging is concatenating rows.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::scenario::Scenario;
use crate::sim::{Model, Report, Simulation};

/// Largest grid (points × seeds) one sweep may run.
pub const MAX_JOBS: usize = 1_000_000;

/// One varied field and its values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Vary {
    /// The field's path in the scenario document.
    pub path: String,
    /// Its values, in order.
    pub values: Vec<Value>,
}

impl Vary {
    /// Reads `PATH=VALUES`: `replication.r=1,2,3`, `reads.strategy=local,leader`,
    /// `replication.apply_delay.mean_ms=50..500:50`.
    pub fn parse(spec: &str) -> Result<Vary, String> {
        let (path, values) = spec
            .split_once('=')
            .ok_or_else(|| format!("'{spec}': expected PATH=VALUES, e.g. replication.r=1,2,3"))?;
        let path = path.trim();
        if path.is_empty() {
            return Err(format!("'{spec}': the field path is empty"));
        }
        let values = values.trim();
        let parsed = if let Some((range, step)) = values.split_once(':') {
            range_values(range, step).map_err(|e| format!("'{spec}': {e}"))?
        } else {
            values
                .split(',')
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(scalar)
                .collect()
        };
        if parsed.is_empty() {
            return Err(format!("'{spec}': no values"));
        }
        Ok(Vary {
            path: path.to_string(),
            values: parsed,
        })
    }
}

/// A value as written: a number if it reads as one, `true`/`false`, otherwise a string.
fn scalar(text: &str) -> Value {
    if let Ok(i) = text.parse::<i64>() {
        return Value::from(i);
    }
    if let Ok(f) = text.parse::<f64>()
        && f.is_finite()
    {
        return Value::from(f);
    }
    match text {
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        _ => Value::String(text.to_string()),
    }
}

/// `lo..hi` with `step`, both ends included (the last value is `hi` if the steps land on it).
fn range_values(range: &str, step: &str) -> Result<Vec<Value>, String> {
    let (lo, hi) = range
        .split_once("..")
        .ok_or_else(|| format!("range '{range}' is not LO..HI"))?;
    let num = |t: &str| {
        t.trim()
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| format!("'{}' is not a number", t.trim()))
    };
    let (lo, hi, step) = (num(lo)?, num(hi)?, num(step)?);
    if step <= 0.0 {
        return Err(format!("the step {step} must be above 0"));
    }
    if hi < lo {
        return Err(format!("the range {lo}..{hi} runs backwards"));
    }
    let count = libm::floor((hi - lo) / step + 1e-9) as usize + 1;
    if count > MAX_JOBS {
        return Err(format!("{count} values; at most {MAX_JOBS}"));
    }
    let integral = [lo, hi, step].iter().all(|v| *v == libm::trunc(*v));
    Ok((0..count)
        .map(|i| {
            let v = lo + step * i as f64;
            if integral {
                Value::from(v as i64)
            } else {
                // Keep decimal steps readable (0.1 + 0.2 written as 0.3).
                Value::from(libm::round(v * 1e9) / 1e9)
            }
        })
        .collect())
}

/// What a sweep runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepSpec {
    /// The base scenario's name.
    pub scenario: String,
    /// The varied fields.
    pub vary: Vec<Vary>,
    /// Seeds per point: 1 to `seeds`.
    pub seeds: u32,
}

/// One point of the grid: a value for each varied field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Point {
    /// Its place in the grid.
    pub index: usize,
    /// `(path, value)` for each varied field.
    pub values: Vec<(String, Value)>,
}

/// One run: a point and a seed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Job {
    /// The point's index.
    pub point: usize,
    /// The seed.
    pub seed: u64,
}

impl SweepSpec {
    /// The grid's points, the first varied field changing slowest.
    pub fn points(&self) -> Vec<Point> {
        let total: usize = self.vary.iter().map(|v| v.values.len()).product();
        (0..total)
            .map(|index| {
                let mut rest = index;
                let mut values = Vec::with_capacity(self.vary.len());
                for (k, v) in self.vary.iter().enumerate() {
                    let below: usize = self.vary[k + 1..].iter().map(|w| w.values.len()).product();
                    let i = rest / below;
                    rest %= below;
                    values.push((v.path.clone(), v.values[i].clone()));
                }
                Point { index, values }
            })
            .collect()
    }

    /// Every job in order: each point with seeds 1 to `seeds`.
    pub fn jobs(&self) -> Result<Vec<Job>, String> {
        let points: usize = self.vary.iter().map(|v| v.values.len()).product();
        let total = points.saturating_mul(self.seeds as usize);
        if total > MAX_JOBS {
            return Err(format!(
                "{points} points × {} seeds = {total} runs; at most {MAX_JOBS}",
                self.seeds
            ));
        }
        Ok((0..points)
            .flat_map(|point| (1..=u64::from(self.seeds)).map(move |seed| Job { point, seed }))
            .collect())
    }
}

/// `base` with `point`'s values set and `seed`, checked as a whole document would be.
pub fn scenario_at(base: &Scenario, point: &Point, seed: u64) -> Result<Scenario, String> {
    let mut doc = serde_json::to_value(base).map_err(|e| e.to_string())?;
    for (path, value) in &point.values {
        set_path(&mut doc, path, value.clone())?;
    }
    // Read back through the TOML reader the page also uses for every document (TOML cannot say
    // null: absent options are dropped first), so the page's wasm carries one scenario
    // deserializer rather than two (the JSON one weighs about 100 KB gzipped).
    strip_nulls(&mut doc);
    let at = || {
        let values: Vec<String> = point
            .values
            .iter()
            .map(|(p, v)| format!("{p}={v}"))
            .collect();
        values.join(", ")
    };
    let text = toml::to_string(&doc).map_err(|e| format!("at {}: {e}", at()))?;
    let mut sc = Scenario::from_toml_spanned(&text).map_err(|e| {
        format!(
            "at {}: not a valid scenario: {}",
            at(),
            e.message.trim_end()
        )
    })?;
    sc.seed = seed;
    Ok(sc)
}

/// Drops `null` members of objects in `doc` (an absent option serialises as `null`).
fn strip_nulls(doc: &mut Value) {
    match doc {
        Value::Object(map) => {
            map.retain(|_, v| !v.is_null());
            map.values_mut().for_each(strip_nulls);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_nulls),
        _ => {}
    }
}

/// Sets the field at `path` (`a.b[2].c`) in `doc`; the field must exist, so a typo is named
/// rather than added.
fn set_path(doc: &mut Value, path: &str, value: Value) -> Result<(), String> {
    let mut here = doc;
    let mut walked = String::new();
    for part in path.split('.') {
        let (name, indexes) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !walked.is_empty() {
            walked.push('.');
        }
        walked.push_str(name);
        if !name.is_empty() {
            let fields: Vec<String> = match here.as_object() {
                Some(o) => o.keys().cloned().collect(),
                None => return Err(format!("'{path}': '{walked}' is not inside a table")),
            };
            here = match here.get_mut(name) {
                Some(v) => v,
                None => {
                    return Err(format!(
                        "'{path}': no field '{walked}' in this scenario (fields here: {})",
                        fields.join(", ")
                    ));
                }
            };
        }
        for index in indexes.split('[').filter(|s| !s.is_empty()) {
            let i: usize = index
                .strip_suffix(']')
                .and_then(|n| n.parse().ok())
                .ok_or_else(|| format!("'{path}': '[{index}' is not an index like [0]"))?;
            walked.push_str(&format!("[{i}]"));
            let len = here.as_array().map_or(0, Vec::len);
            here = here.get_mut(i).ok_or_else(|| {
                format!("'{path}': '{walked}' is past the end (the list has {len})")
            })?;
        }
    }
    if here.is_object() || here.is_array() {
        return Err(format!(
            "'{path}' is a table or a list; vary one of its fields (e.g. '{path}.mean_ms')"
        ));
    }
    *here = value;
    Ok(())
}

/// The figures a sweep keeps of one run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunRow {
    /// The point's index.
    pub point: usize,
    /// The seed.
    pub seed: u64,
    /// `(metric, value)`, in [`METRICS`] order (RTO/RPO only for runs with faults).
    pub metrics: Vec<(String, f64)>,
    /// `(SLO label, passed)`.
    pub slos: Vec<(String, bool)>,
}

/// The metrics every row has, ms unless named otherwise.
pub const METRICS: [&str; 7] = [
    "read_p50_ms",
    "read_p95_ms",
    "read_p99_ms",
    "write_p95_ms",
    "staleness_p95_ms",
    "staleness_p99_ms",
    "stale_read_share",
];

/// The row of a finished run.
pub fn row(point: usize, seed: u64, report: &Report) -> RunRow {
    let c = &report.counters;
    let share = if c.reads == 0 {
        0.0
    } else {
        c.stale_reads as f64 / c.reads as f64
    };
    let mut metrics: Vec<(String, f64)> = [
        report.read_latency.p50,
        report.read_latency.p95,
        report.read_latency.p99,
        report.write_latency.p95,
        report.staleness.p95,
        report.staleness.p99,
        share,
    ]
    .into_iter()
    .zip(METRICS)
    .map(|(v, name)| (name.to_string(), v))
    .collect();
    if let Some(f) = &report.failures {
        if let Some(rto) = f
            .faults
            .iter()
            .filter_map(|x| x.rto_write_ms)
            .reduce(f64::max)
        {
            metrics.push(("rto_write_ms".into(), rto));
        }
        metrics.push(("rpo_lost_writes".into(), f.rpo.lost_writes as f64));
    }
    RunRow {
        point,
        seed,
        metrics,
        slos: report
            .slos
            .iter()
            .map(|s| (s.label.clone(), s.pass))
            .collect(),
    }
}

/// The validated model of `base` at `point` with `seed`; a refusal names the point's values
/// (`at replication.r=9: invalid scenario: ...`).
pub fn model_at(base: &Scenario, point: &Point, seed: u64) -> Result<Model, String> {
    scenario_at(base, point, seed)?.validate().map_err(|e| {
        let values: Vec<String> = point
            .values
            .iter()
            .map(|(p, v)| format!("{p}={v}"))
            .collect();
        format!("at {}: invalid scenario: {e}", values.join(", "))
    })
}

/// Runs one job of `spec` on `base`.
pub fn run_job(base: &Scenario, point: &Point, seed: u64) -> Result<RunRow, String> {
    let mut sim = Simulation::new(model_at(base, point, seed)?);
    sim.run();
    Ok(row(point.index, seed, &sim.report()))
}

/// A metric over a point's seeds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stat {
    /// The metric.
    pub metric: String,
    /// Mean over seeds.
    pub mean: f64,
    /// Half-width of the 95 % confidence interval of the mean (Student's t); none for one seed.
    pub ci95: Option<f64>,
}

/// A point's summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PointSummary {
    /// The point.
    pub point: Point,
    /// Runs summarised.
    pub runs: u32,
    /// Each metric's mean and interval.
    pub stats: Vec<Stat>,
    /// `(SLO label, share of seeds that passed)`.
    pub slo_pass_share: Vec<(String, f64)>,
}

/// Student's t at 97.5 % for `df` degrees of freedom (1 to 30 tabled, then the normal's 1.96).
fn t975(df: usize) -> f64 {
    const T: [f64; 30] = [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
        2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
        2.052, 2.048, 2.045, 2.042,
    ];
    T.get(df.wrapping_sub(1)).copied().unwrap_or(1.96)
}

/// Summarises `rows` per point of `spec` (rows in any order; each point's rows are taken in seed
/// order, so the result does not depend on how the rows were computed).
pub fn summarize(spec: &SweepSpec, rows: &[RunRow]) -> Vec<PointSummary> {
    let mut sorted: Vec<&RunRow> = rows.iter().collect();
    sorted.sort_by_key(|r| (r.point, r.seed));
    spec.points()
        .into_iter()
        .map(|point| {
            let mine: Vec<&&RunRow> = sorted.iter().filter(|r| r.point == point.index).collect();
            let mut names: Vec<String> = Vec::new();
            for r in &mine {
                for (m, _) in &r.metrics {
                    if !names.contains(m) {
                        names.push(m.clone());
                    }
                }
            }
            let stats = names
                .into_iter()
                .map(|metric| {
                    let xs: Vec<f64> = mine
                        .iter()
                        .filter_map(|r| r.metrics.iter().find(|(m, _)| *m == metric).map(|x| x.1))
                        .collect();
                    let n = xs.len();
                    let mean = if n == 0 {
                        0.0
                    } else {
                        xs.iter().sum::<f64>() / n as f64
                    };
                    let ci95 = (n > 1).then(|| {
                        let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>()
                            / (n - 1) as f64;
                        t975(n - 1) * libm::sqrt(var / n as f64)
                    });
                    Stat { metric, mean, ci95 }
                })
                .collect();
            let mut slos: Vec<(String, u32)> = Vec::new();
            for r in &mine {
                for (label, pass) in &r.slos {
                    match slos.iter_mut().find(|(l, _)| l == label) {
                        Some((_, n)) => *n += u32::from(*pass),
                        None => slos.push((label.clone(), u32::from(*pass))),
                    }
                }
            }
            let runs = mine.len() as u32;
            PointSummary {
                point,
                runs,
                stats,
                slo_pass_share: slos
                    .into_iter()
                    .map(|(l, n)| (l, f64::from(n) / f64::from(runs.max(1))))
                    .collect(),
            }
        })
        .collect()
}

/// The metrics runs with faults add to [`METRICS`]: the write RTO (the longest of the run's
/// faults, ms) and the acknowledged writes lost (RPO).
pub const FAULT_METRICS: [&str; 2] = ["rto_write_ms", "rpo_lost_writes"];

/// Checks a metric's name ([`METRICS`] or [`FAULT_METRICS`]), naming the known ones when it is
/// not one.
pub fn parse_metric(metric: &str) -> Result<&'static str, String> {
    METRICS
        .iter()
        .chain(FAULT_METRICS.iter())
        .find(|m| **m == metric.trim())
        .copied()
        .ok_or_else(|| {
            let known: Vec<&str> = METRICS
                .iter()
                .chain(FAULT_METRICS.iter())
                .copied()
                .collect();
            format!("unknown metric '{metric}'; known: {}", known.join(", "))
        })
}

/// A value of a varied field as a table or a chart shows it: numbers and booleans as written,
/// strings without their JSON quotes.
pub fn value_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A figure of `metric` as the sweep's table prints it: shares to four places, everything else
/// (milliseconds, counts) to one.
pub fn figure_text(metric: &str, value: f64) -> String {
    let places = if metric.ends_with("_share") { 4 } else { 1 };
    format!("{value:.places$}")
}

/// A point's statistic as the sweep's table prints it: `12.3 ± 0.4`, or the mean alone for one
/// seed (see [`figure_text`]).
pub fn stat_text(stat: &Stat) -> String {
    match stat.ci95 {
        Some(c) => format!(
            "{} ± {}",
            figure_text(&stat.metric, stat.mean),
            figure_text(&stat.metric, c)
        ),
        None => figure_text(&stat.metric, stat.mean),
    }
}

/// The metrics a sweep's table shows: read p95, write p95, staleness p99 and the stale-read
/// share, then the recovery figures when the runs had faults.
pub fn table_metrics(points: &[PointSummary]) -> Vec<&'static str> {
    let mut shown = alloc::vec![
        "read_p95_ms",
        "write_p95_ms",
        "staleness_p99_ms",
        "stale_read_share",
    ];
    for extra in FAULT_METRICS {
        if points.iter().any(|p| p.stat(extra).is_some()) {
            shown.push(extra);
        }
    }
    shown
}

impl PointSummary {
    /// The statistic of `metric` at this point, if its runs measured it.
    pub fn stat(&self, metric: &str) -> Option<&Stat> {
        self.stats.iter().find(|s| s.metric == metric)
    }
}

/// The summaries as CSV: the varied fields, the runs, each metric's mean and interval, each
/// SLO's pass share.
pub fn summary_csv(spec: &SweepSpec, summaries: &[PointSummary]) -> String {
    let mut metrics: Vec<String> = Vec::new();
    let mut slos: Vec<String> = Vec::new();
    for s in summaries {
        for st in &s.stats {
            if !metrics.contains(&st.metric) {
                metrics.push(st.metric.clone());
            }
        }
        for (l, _) in &s.slo_pass_share {
            if !slos.contains(l) {
                slos.push(l.clone());
            }
        }
    }
    let quote = |t: &str| {
        if t.contains([',', '"', '\n']) {
            format!("\"{}\"", t.replace('"', "\"\""))
        } else {
            t.to_string()
        }
    };
    let mut head: Vec<String> = spec.vary.iter().map(|v| quote(&v.path)).collect();
    head.push("runs".into());
    for m in &metrics {
        head.push(format!("{m}_mean"));
        head.push(format!("{m}_ci95"));
    }
    for l in &slos {
        head.push(quote(&format!("slo {l} pass share")));
    }
    let mut out = head.join(",");
    out.push('\n');
    for s in summaries {
        let mut cells: Vec<String> = s
            .point
            .values
            .iter()
            .map(|(_, v)| match v {
                Value::String(t) => quote(t),
                other => other.to_string(),
            })
            .collect();
        cells.push(s.runs.to_string());
        for m in &metrics {
            match s.stats.iter().find(|st| &st.metric == m) {
                Some(st) => {
                    cells.push(format!("{}", st.mean));
                    cells.push(st.ci95.map_or(String::new(), |c| format!("{c}")));
                }
                None => cells.extend([String::new(), String::new()]),
            }
        }
        for l in &slos {
            cells.push(
                s.slo_pass_share
                    .iter()
                    .find(|(x, _)| x == l)
                    .map_or(String::new(), |(_, v)| format!("{v}")),
            );
        }
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_read_as_the_table_prints_them() {
        assert_eq!(parse_metric(" rto_write_ms"), Ok("rto_write_ms"));
        let e = parse_metric("p99").unwrap_err();
        assert!(
            e.starts_with("unknown metric 'p99'; known: read_p50_ms,"),
            "{e}"
        );
        assert!(e.ends_with("rto_write_ms, rpo_lost_writes"), "{e}");
        assert_eq!(value_text(&Value::from("leader")), "leader");
        assert_eq!(value_text(&Value::from(2.5)), "2.5");
        let stat = |metric: &str, ci95| Stat {
            metric: metric.into(),
            mean: 12.345,
            ci95,
        };
        assert_eq!(stat_text(&stat("read_p95_ms", Some(0.06))), "12.3 ± 0.1");
        assert_eq!(stat_text(&stat("stale_read_share", None)), "12.3450");
    }

    #[test]
    fn values_read_as_lists_and_ranges() {
        let v = Vary::parse("replication.r=1,2, 3").expect("a list");
        assert_eq!(v.path, "replication.r");
        assert_eq!(v.values, [Value::from(1), Value::from(2), Value::from(3)]);
        let v = Vary::parse("replication.apply_delay.mean_ms=50..200:50").expect("a range");
        assert_eq!(v.values, [50, 100, 150, 200].map(Value::from));
        let v = Vary::parse("x=0.1..0.3:0.1").expect("decimal steps");
        assert_eq!(v.values, [0.1, 0.2, 0.3].map(Value::from));
        let v = Vary::parse("reads.strategy=local,leader").expect("names");
        assert_eq!(v.values, [Value::from("local"), Value::from("leader")]);
        for (bad, needle) in [
            ("replication.r", "expected PATH=VALUES"),
            ("=1,2", "path is empty"),
            ("a=", "no values"),
            ("a=1..5:0", "must be above 0"),
            ("a=5..1:1", "runs backwards"),
            ("a=x..5:1", "'x' is not a number"),
        ] {
            let e = Vary::parse(bad).unwrap_err();
            assert!(e.contains(needle), "{bad}: {e}");
        }
    }

    #[test]
    fn the_grid_varies_the_first_field_slowest_and_jobs_list_every_seed() {
        let spec = SweepSpec {
            scenario: "s".into(),
            vary: alloc::vec![
                Vary::parse("a=1,2").expect("a"),
                Vary::parse("b=x,y,z").expect("b")
            ],
            seeds: 2,
        };
        let points = spec.points();
        assert_eq!(points.len(), 6);
        assert_eq!(
            points[4].values,
            [("a".into(), Value::from(2)), ("b".into(), Value::from("y"))]
        );
        let jobs = spec.jobs().expect("jobs");
        assert_eq!(jobs.len(), 12);
        assert_eq!(jobs[3], Job { point: 1, seed: 2 });
    }

    #[test]
    fn paths_must_exist_and_end_at_a_value() {
        let mut doc: Value = serde_json::from_str(r#"{"a": {"b": [{"c": 1}]}}"#).expect("json");
        set_path(&mut doc, "a.b[0].c", Value::from(5)).expect("set");
        assert_eq!(doc["a"]["b"][0]["c"], 5);
        let err = |p: &str| set_path(&mut doc.clone(), p, Value::from(1)).unwrap_err();
        assert!(err("a.x").contains("no field 'a.x' in this scenario (fields here: b)"));
        assert!(err("a.b[3].c").contains("'a.b[3]' is past the end (the list has 1)"));
        assert!(err("a.b").contains("is a table or a list"));
        assert!(err("a.b[x]").contains("is not an index"));
    }

    #[test]
    fn summaries_take_means_and_student_intervals_in_seed_order() {
        let spec = SweepSpec {
            scenario: "s".into(),
            vary: alloc::vec![Vary::parse("a=1").expect("a")],
            seeds: 3,
        };
        let rows: Vec<RunRow> = [(3, 30.0), (1, 10.0), (2, 20.0)]
            .into_iter()
            .map(|(seed, v)| RunRow {
                point: 0,
                seed,
                metrics: alloc::vec![("read_p95_ms".into(), v)],
                slos: alloc::vec![("read p95 < 15 ms".into(), v < 15.0)],
            })
            .collect();
        let s = summarize(&spec, &rows);
        assert_eq!(s[0].runs, 3);
        assert_eq!(s[0].stats[0].mean, 20.0);
        // sd 10, n 3: t(2) = 4.303 × 10 / sqrt(3).
        let ci = s[0].stats[0].ci95.expect("an interval");
        assert!((ci - 4.303 * 10.0 / libm::sqrt(3.0)).abs() < 1e-9, "{ci}");
        assert!((s[0].slo_pass_share[0].1 - 1.0 / 3.0).abs() < 1e-12);
        let csv = summary_csv(&spec, &s);
        assert!(
            csv.starts_with(
                "a,runs,read_p95_ms_mean,read_p95_ms_ci95,slo read p95 < 15 ms pass share\n1,3,20,"
            ),
            "{csv}"
        );
    }
}
