//! A run's series as CSV, for spreadsheets and slide generators: the failure timeline (one row per
//! interval), the histograms (one row per bar, overall and per home region) and the per-region
//! table. Every figure is the report's own, written with enough digits to read back exactly what
//! the report holds. [`csv_files`] names them as the page's downloads and `meridian run --csv`
//! do.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write as _;

use super::histograms::{Histograms, MetricBins};
use super::report::Report;
use super::timeline::FailureReport;
use crate::metrics::Summary;

/// The columns of [`timeline_csv`].
pub const TIMELINE_COLUMNS: &str = "start_s,reads,reads_ok,reads_failed,writes,writes_ok,\
writes_rejected,writes_failed,read_p95_ms,write_p95_ms,staleness_p95_ms,backlog,leaders,down,\
active_faults";

/// The columns of [`histograms_csv`].
pub const HISTOGRAM_COLUMNS: &str = "metric,clients,lo_ms,hi_ms,count";

/// The columns of [`regions_csv`].
pub const REGION_COLUMNS: &str = "clients,reads,read_p50_ms,read_p95_ms,read_p99_ms,\
read_max_ms,writes,write_p50_ms,write_p95_ms,write_p99_ms,write_max_ms,staleness_p50_ms,\
staleness_p95_ms,staleness_p99_ms,staleness_max_ms";

/// The per-region table as CSV: all clients, then the clients of each home region.
pub fn regions_csv(report: &Report) -> String {
    let mut out = String::from(REGION_COLUMNS);
    out.push('\n');
    let rows = core::iter::once((
        "all",
        &report.read_latency,
        &report.write_latency,
        &report.staleness,
    ))
    .chain(report.regions.iter().map(|r| {
        (
            r.region.as_str(),
            &r.read_latency,
            &r.write_latency,
            &r.staleness,
        )
    }));
    for (clients, read, write, stale) in rows {
        let four = |s: &Summary| alloc::format!("{},{},{},{}", s.p50, s.p95, s.p99, s.max);
        let _ = writeln!(
            out,
            "{},{},{},{},{},{}",
            field(clients),
            read.count,
            four(read),
            write.count,
            four(write),
            four(stale)
        );
    }
    out
}

/// A CSV file of a run: what it holds, its name and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvFile {
    /// `histograms`, `regions` or `timeline`.
    pub kind: &'static str,
    /// `<scenario>-seed<seed>-<kind>.csv`, the scenario's name in safe characters.
    pub file: String,
    /// The CSV text.
    pub text: String,
}

/// `<scenario>-seed<seed>`: the start of every file name of a run, letters, digits, `-` and `_`
/// kept and anything else written as `-`.
pub fn file_base(report: &Report) -> String {
    let name: String = report
        .scenario
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    alloc::format!("{name}-seed{}", report.seed)
}

/// The run's CSV files: histograms and regions, and the failure timeline for a run with faults.
/// `regions` are the region ids in topology order (for the histograms' per-region rows).
pub fn csv_files(report: &Report, histograms: &Histograms, regions: &[&str]) -> Vec<CsvFile> {
    let base = file_base(report);
    let mut out = alloc::vec![
        CsvFile {
            kind: "histograms",
            file: alloc::format!("{base}-histograms.csv"),
            text: histograms_csv(histograms, regions),
        },
        CsvFile {
            kind: "regions",
            file: alloc::format!("{base}-regions.csv"),
            text: regions_csv(report),
        },
    ];
    if let Some(f) = &report.failures {
        out.push(CsvFile {
            kind: "timeline",
            file: alloc::format!("{base}-timeline.csv"),
            text: timeline_csv(f),
        });
    }
    out
}

/// The failure timeline as CSV, a header then one row per interval. Lists (leaders, regions
/// down, active faults by their label) are joined with `;`.
pub fn timeline_csv(failures: &FailureReport) -> String {
    let mut out = String::from(TIMELINE_COLUMNS);
    out.push('\n');
    for i in &failures.timeline {
        let faults: Vec<&str> = i
            .active_faults
            .iter()
            .filter_map(|&f| failures.faults.get(f).map(|f| f.label.as_str()))
            .collect();
        // Writing to a String cannot fail.
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
            i.start_s,
            i.reads,
            i.reads_ok,
            i.reads_failed,
            i.writes,
            i.writes_ok,
            i.writes_rejected,
            i.writes_failed,
            i.read_p95_ms,
            i.write_p95_ms,
            i.staleness_p95_ms,
            i.backlog,
            field(&i.leaders.join(";")),
            field(&i.down.join(";")),
            field(&faults.join(";")),
        );
    }
    out
}

/// The histograms as CSV, a header then one row per non-empty bar: each metric over all clients
/// (`clients` = `all`) and then per home region (`clients` = the region's id, from `regions` in
/// topology order).
pub fn histograms_csv(h: &Histograms, regions: &[&str]) -> String {
    let mut out = String::from(HISTOGRAM_COLUMNS);
    out.push('\n');
    let metrics: [(&str, &MetricBins); 3] = [
        ("read_latency", &h.read_latency),
        ("write_latency", &h.write_latency),
        ("staleness", &h.staleness),
    ];
    for (name, bins) in metrics {
        let scopes = core::iter::once(("all", &bins.overall)).chain(
            bins.regions
                .iter()
                .enumerate()
                .map(|(i, b)| (regions.get(i).copied().unwrap_or("?"), b)),
        );
        for (scope, bars) in scopes {
            for b in bars.iter().filter(|b| b.count > 0) {
                let _ = writeln!(
                    out,
                    "{name},{},{},{},{}",
                    field(scope),
                    b.lo_ms,
                    b.hi_ms,
                    b.count
                );
            }
        }
    }
    out
}

/// A CSV field: quoted (with quotes doubled) when it holds a comma, a quote or a line break.
fn field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        let mut out = String::from("\"");
        out.push_str(&text.replace('"', "\"\""));
        out.push('"');
        out
    } else {
        String::from(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Scenario;
    use crate::sim::Simulation;

    fn run(preset: &str) -> Simulation {
        let model = Scenario::preset(preset).unwrap().validate().unwrap();
        let mut sim = Simulation::new(model);
        sim.run();
        sim
    }

    #[test]
    fn the_timeline_has_a_row_per_interval_with_the_reports_figures() {
        let report = run("sg-down-promote").report();
        let f = report.failures.expect("a drill preset has failures");
        let csv = timeline_csv(&f);
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[0], TIMELINE_COLUMNS);
        assert_eq!(lines.len(), f.timeline.len() + 1);
        let columns = TIMELINE_COLUMNS.split(',').count();
        for (line, interval) in lines[1..].iter().zip(&f.timeline) {
            let cells: Vec<&str> = line.split(',').collect();
            assert_eq!(cells.len(), columns, "{line}");
            assert_eq!(cells[1].parse::<u64>().unwrap(), interval.reads);
            assert_eq!(cells[9].parse::<f64>().unwrap(), interval.write_p95_ms);
        }
        // During the outage SG is down and the fault is named.
        let label = &f.faults[0].label;
        assert!(
            lines
                .iter()
                .any(|l| l.contains(",SG,") && l.contains(label.as_str())),
            "{csv}"
        );
    }

    #[test]
    fn the_region_table_and_the_file_names() {
        let sim = run("aws8-single-leader");
        let report = sim.report();
        let csv = regions_csv(&report);
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 2 + report.regions.len());
        let all: Vec<&str> = lines[1].split(',').collect();
        assert_eq!(all[0], "all");
        assert_eq!(all[1].parse::<u64>().unwrap(), report.read_latency.count);
        assert_eq!(all[3].parse::<f64>().unwrap(), report.read_latency.p95);
        assert!(lines[2].starts_with(&report.regions[0].region));
        let regions: Vec<&str> = report.regions.iter().map(|r| r.region.as_str()).collect();
        let files = csv_files(&report, &sim.histograms(), &regions);
        let names: Vec<&str> = files.iter().map(|f| f.file.as_str()).collect();
        assert_eq!(
            names,
            [
                "aws8-single-leader-seed1-histograms.csv",
                "aws8-single-leader-seed1-regions.csv"
            ]
        );
        let mut odd = report.clone();
        odd.scenario = "a b/c".into();
        assert_eq!(file_base(&odd), "a-b-c-seed1");
    }

    #[test]
    fn the_histograms_have_a_row_per_bar_and_count_every_sample() {
        let sim = run("sg-us-wallet");
        let report = sim.report();
        let csv = histograms_csv(&sim.histograms(), &["SG", "US"]);
        assert!(csv.starts_with("metric,clients,lo_ms,hi_ms,count\n"));
        let reads: u64 = csv
            .lines()
            .filter(|l| l.starts_with("read_latency,all,"))
            .map(|l| l.rsplit(',').next().unwrap().parse::<u64>().unwrap())
            .sum();
        assert_eq!(reads, report.read_latency.count);
        assert!(csv.lines().any(|l| l.starts_with("staleness,US,")));
    }

    #[test]
    fn fields_with_separators_are_quoted() {
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("plain"), "plain");
    }
}
