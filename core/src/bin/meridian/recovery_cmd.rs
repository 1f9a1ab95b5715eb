//! `meridian recovery`: seed 003's recovery table by simulation (every failure type for several
//! outage lengths over many seeds, next to the document's estimates), or one recovery run of a
//! preset or a document.

use std::error::Error;
use std::path::Path;

use clap::Args;
use meridian_core::charts::recovery::recovery_chart;
use meridian_core::exposition::recovery_report;
use meridian_core::reliability::presets::{ORDER_FLOW, PRESETS, order_flow, preset};
use meridian_core::reliability::scenario::Outage;
use meridian_core::reliability::sweep::{
    ESTIMATES, RecoveryRow, SWEEP_OUTAGE_AT_S, TABLE_HEADER, human_ms, recovery_table, row_cells,
};
use meridian_core::reliability::words;
use meridian_core::reliability::{RecoveryReport, RecoveryScenario, run as run_recovery};

use crate::progress::LazyProgress;
use crate::svg_out;

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    meridian recovery                                 seed 003's table: 4 failure types x 20 s, 2 min, 10 min x 20 seeds\n  \
    meridian recovery --durations 30s,5m,30m --seeds 50\n  \
    meridian recovery delivery-down-10m               one run of a preset\n  \
    meridian recovery order-flow --outage \"queue slow +4s at 300s for 2m\"\n  \
    meridian recovery my-flow.toml --seed 3 --json    one run of a document\n  \
    meridian recovery queue-down-2m --svg charts/     its recovery timeline as charts/recovery-timeline.svg\n  \
    meridian recovery --list                          the presets\n  \
    meridian recovery --show queue-down-2m > my-flow.toml")]
pub(crate) struct RecoveryArgs {
    /// A recovery preset (see --list) or a recovery document (.toml or .json). Without it,
    /// the table is simulated from the shipped order flow.
    scenario: Option<String>,

    /// Outage lengths of the table, comma-separated: 20s, 2m, 1h, or plain seconds.
    #[arg(long, value_name = "LIST", default_value = "20s,2m,10m")]
    durations: String,

    /// Seeds per row of the table (1 to 1000).
    #[arg(long, default_value_t = 20)]
    seeds: u32,

    /// Add an outage to a single run, one line each: "delivery down at 300s for 10m",
    /// "database degraded 0.5 at 2m for 30s", "queue slow +4s at 60s for 20s".
    #[arg(long = "outage", value_name = "OUTAGE", allow_hyphen_values = true)]
    outages: Vec<String>,

    /// Seed of a single run (default: the document's).
    #[arg(long)]
    seed: Option<u64>,

    /// Print JSON: the rows of the table, or the report of a single run.
    #[arg(long)]
    json: bool,

    /// Also write a single run's final metrics to FILE in the Prometheus text format.
    #[arg(long, value_name = "FILE")]
    prometheus: Option<std::path::PathBuf>,

    /// Also write a single run's recovery timeline as an SVG file into DIR
    /// (recovery-timeline.svg), as the page's Recovery view draws it.
    #[arg(long, value_name = "DIR")]
    svg: Option<std::path::PathBuf>,

    /// List the recovery presets.
    #[arg(long)]
    list: bool,

    /// Print a preset's document (TOML), or with `order-flow` the flow without outages, to
    /// copy and edit.
    #[arg(long, value_name = "NAME")]
    show: Option<String>,
}

/// Reads "20s", "2m", "1h", "90" (seconds) as seconds.
fn parse_duration(text: &str) -> Result<f64, String> {
    let t = text.trim();
    let (number, scale) = if let Some(n) = t.strip_suffix("min") {
        (n, 60.0)
    } else if let Some(n) = t.strip_suffix('h') {
        (n, 3600.0)
    } else if let Some(n) = t.strip_suffix('m') {
        (n, 60.0)
    } else if let Some(n) = t.strip_suffix('s') {
        (n, 1.0)
    } else {
        (t, 1.0)
    };
    match number.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && v > 0.0 && v * scale <= 604_800.0 => Ok(v * scale),
        _ => Err(format!(
            "--durations: '{text}' is not an outage length; write e.g. 20s, 2m, 1h or plain seconds (up to a week)"
        )),
    }
}

fn load(spec: &str) -> Result<RecoveryScenario, Box<dyn Error>> {
    if spec.trim() == "order-flow" {
        return Ok(order_flow());
    }
    if let Some(p) = preset(spec.trim()) {
        return Ok(p.scenario());
    }
    let path = Path::new(spec);
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let Some(extension) = extension else {
        let names: Vec<&str> = PRESETS.iter().map(|p| p.name).collect();
        return Err(format!(
            "unknown recovery preset '{spec}'; presets: order-flow, {} (or give a .toml or .json document)",
            names.join(", ")
        )
        .into());
    };
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read recovery document '{}': {e}", path.display()))?;
    let parsed = match extension.as_str() {
        "toml" => RecoveryScenario::from_toml(&text),
        "json" => serde_json::from_str(&text).map_err(|e| e.to_string()),
        other => {
            return Err(format!(
                "recovery document '{}' has extension .{other}; expected .toml or .json",
                path.display()
            )
            .into());
        }
    };
    Ok(parsed.map_err(|e| format!("{}: {e}", path.display()))?)
}

fn human(ms: f64) -> String {
    human_ms(ms)
}

fn table(rows: &[RecoveryRow], base: &RecoveryScenario, seeds: u32) -> String {
    let mut out = format!(
        "Seed 003's recovery table, simulated: '{}' ({} orders/s), each service down from \
         {}-{} s (by seed), {seeds} seeds per row; median / p95 over seeds\n\n",
        base.name,
        base.orders_per_s,
        SWEEP_OUTAGE_AT_S,
        SWEEP_OUTAGE_AT_S + 60.0
    );
    let header = TABLE_HEADER;
    let cells: Vec<[String; 10]> = rows.iter().map(row_cells).collect();
    let widths: Vec<usize> = (0..header.len())
        .map(|i| {
            cells
                .iter()
                .map(|c| c[i].chars().count())
                .chain([header[i].chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cols: Vec<&str>| {
        let mut l = String::new();
        for (i, c) in cols.iter().enumerate() {
            let pad = widths[i].saturating_sub(c.chars().count());
            l.push_str(c);
            if i + 1 < cols.len() {
                l.push_str(&" ".repeat(pad + 2));
            }
        }
        l.trim_end().to_string() + "\n"
    };
    out.push_str(&line(header.to_vec()));
    for c in &cells {
        out.push_str(&line(c.iter().map(String::as_str).collect()));
    }
    out.push_str(
        "\ndetection: outage start to breaker open (\"never\": the breaker did not open); recovery: \
         outage end until breakers are closed and nothing the outage left (outbox events, \
         deliveries, fallback orders) still waits; total downtime: outage + recovery; refused \
         orders: first to last order refused to a customer; lost: orders in no end state, summed \
         over seeds; dead-lettered: outbox events given up, summed; manual review: median items.\n",
    );
    out
}

fn single(report: &RecoveryReport) -> String {
    let mut out = format!(
        "{} · seed {} · {} s of orders + {} s drain\n\n",
        report.name, report.seed, report.duration_s, report.drain_s
    );
    for (name, value) in words::figures(report) {
        out.push_str(&format!("{name}: {value}\n"));
    }
    for m in &report.outages {
        out.push_str(&format!(
            "outage: {} {:?} at {} s for {} s · detection {} · recovery {} · refused orders for {}\n",
            m.service,
            m.kind,
            m.at_s,
            m.for_s,
            words::detection(m),
            words::recovery(m),
            human(m.downtime_ms)
        ));
    }
    out
}

pub(crate) fn run(args: &RecoveryArgs) -> Result<(), Box<dyn Error>> {
    if args.list {
        let width = PRESETS.iter().map(|p| p.name.len()).max().unwrap_or(0);
        for p in PRESETS {
            println!("{:<width$}  {}", p.name, p.summary);
        }
        return Ok(());
    }
    if let Some(name) = &args.show {
        let name = name.trim();
        if name == "order-flow" {
            print!("{ORDER_FLOW}");
            return Ok(());
        }
        let p = preset(name).ok_or_else(|| {
            let names: Vec<&str> = PRESETS.iter().map(|p| p.name).collect();
            format!(
                "--show: unknown recovery preset '{name}'; presets: order-flow, {}",
                names.join(", ")
            )
        })?;
        print!("{}", p.document());
        return Ok(());
    }
    if let Some(spec) = &args.scenario {
        let mut sc = load(spec)?;
        if let Some(seed) = args.seed {
            sc.seed = seed;
        }
        for line in &args.outages {
            sc.outages.push(Outage::parse(line)?);
        }
        if let Some(dir) = &args.svg {
            svg_out::prepare(dir)?;
        }
        let report = run_recovery(&sc).map_err(|e| format!("invalid recovery document: {e}"))?;
        if let Some(dir) = &args.svg {
            svg_out::write(dir, &[recovery_chart(&report)])?;
        }
        if let Some(path) = &args.prometheus {
            std::fs::write(path, recovery_report(&report)).map_err(|e| {
                format!(
                    "cannot write Prometheus metrics to '{}': {e}",
                    path.display()
                )
            })?;
        }
        if args.json {
            println!("{}", serde_json::to_string_pretty(&report)?);
        } else {
            print!("{}", single(&report));
        }
        return Ok(());
    }
    if !args.outages.is_empty() {
        return Err(
            "--outage adds to one run: name a preset or a document (e.g. `meridian recovery \
             order-flow --outage \"queue down at 300s for 5m\"`)"
                .into(),
        );
    }
    if args.svg.is_some() {
        return Err(
            "--svg writes one run's recovery timeline: name a preset or a document (see --list)"
                .into(),
        );
    }
    if args.prometheus.is_some() {
        return Err(
            "--prometheus writes one run's metrics: name a preset or a document (see --list)"
                .into(),
        );
    }
    if !(1..=1000).contains(&args.seeds) {
        return Err(format!("--seeds: {} is not from 1 to 1000", args.seeds).into());
    }
    let durations = args
        .durations
        .split(',')
        .filter(|d| !d.trim().is_empty())
        .map(parse_duration)
        .collect::<Result<Vec<f64>, String>>()?;
    if durations.is_empty() || durations.len() > 20 {
        return Err("--durations: give 1 to 20 outage lengths, e.g. 20s,2m,10m".into());
    }
    let base = order_flow();
    let runs = (ESTIMATES.len() * durations.len()) as u64 * u64::from(args.seeds);
    let mut progress = LazyProgress::new(runs, "runs");
    let rows = recovery_table(&base, &durations, args.seeds, |done, _| {
        progress.update(done)
    })
    .map_err(|e| format!("invalid recovery sweep: {e}"))?;
    progress.finish();
    if args.json {
        println!("{}", serde_json::to_string_pretty(&rows)?);
    } else {
        print!("{}", table(&rows, &base, args.seeds));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outage_lengths_read_in_the_usual_units() {
        assert_eq!(parse_duration("20s"), Ok(20.0));
        assert_eq!(parse_duration("2m"), Ok(120.0));
        assert_eq!(parse_duration("10min"), Ok(600.0));
        assert_eq!(parse_duration(" 1h "), Ok(3600.0));
        assert_eq!(parse_duration("90"), Ok(90.0));
        assert!(parse_duration("0s").is_err());
        assert!(parse_duration("soon").unwrap_err().contains("'soon'"));
    }
}
