//! `meridian drill`: the same scenario, seed and faults under each failover policy
//! (reject_writes, promote, manual), side by side. The variants come from
//! [`meridian_core::scenario::drill_variants`], as the page's Drill view's do.

use std::error::Error;
use std::fmt::Write as _;
use std::path::PathBuf;

use clap::Args;
use meridian_core::charts::run::drill_charts;
use meridian_core::scenario::{DrillError, drill_variants};
use meridian_core::sim::{FailoverPolicy, FailureReport, Report};
use serde::Serialize;

use crate::run_cmd::{ScenarioArgs, cell_ms, simulate};
use crate::svg_out;

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    meridian drill sg-down-promote\n  \
    meridian drill sg-us-wallet --fault \"region-down SG at 20s for 30s\"\n  \
    meridian drill my-design.toml --seed 7 --json\n  \
    meridian drill sg-down-promote --svg charts/")]
pub(crate) struct DrillArgs {
    #[command(flatten)]
    scenario: ScenarioArgs,

    /// Print {"scenario", "seed", "policies": [{"policy", "report"}]} as one JSON object.
    #[arg(long)]
    json: bool,

    /// Also write the drill's charts as SVG files into DIR, as the page's Drill view draws
    /// them: each policy's failure timeline (failure-timeline-reject-writes.svg,
    /// failure-timeline-promote.svg, failure-timeline-manual.svg) and the policies' write
    /// success rates on one chart (writes-acknowledged-by-policy.svg).
    /// DIR is created if missing; each file written is named on stderr.
    #[arg(long, value_name = "DIR")]
    svg: Option<PathBuf>,
}

#[derive(Serialize)]
struct Drill {
    scenario: String,
    seed: u64,
    policies: Vec<PolicyRun>,
}

#[derive(Serialize)]
struct PolicyRun {
    policy: &'static str,
    report: Report,
}

pub(crate) fn run(args: &DrillArgs) -> Result<(), Box<dyn Error>> {
    let scenario = args.scenario.load()?;
    let variants = drill_variants(&scenario).map_err(|e| match e {
        DrillError::NotSingleLeader => format!("{e} (run it with `meridian run`)"),
        DrillError::NoFaults => {
            format!("{e}; add one with --fault \"region-down REGION at 20s for 30s\"")
        }
    })?;
    if let Some(dir) = &args.svg {
        svg_out::prepare(dir)?;
    }
    let mut policies = Vec::new();
    let mut kinds: Vec<FailoverPolicy> = Vec::new();
    for v in variants {
        let model = v
            .scenario
            .validate()
            .map_err(|e| format!("invalid scenario: {e}"))?;
        let report = simulate(model, "% of simulated time (one policy)").report();
        kinds.push(v.policy);
        policies.push(PolicyRun {
            policy: v.policy.name(),
            report,
        });
    }
    let drill = Drill {
        scenario: scenario.name.clone(),
        seed: scenario.seed,
        policies,
    };
    if args.json {
        println!("{}", serde_json::to_string(&drill)?);
    } else {
        print!("{}", render(&drill));
    }
    if let Some(dir) = &args.svg {
        let runs: Vec<(FailoverPolicy, &Report)> = kinds
            .iter()
            .zip(&drill.policies)
            .map(|(k, p)| (*k, &p.report))
            .collect();
        svg_out::write(dir, &drill_charts(&runs))?;
    }
    Ok(())
}

fn render(d: &Drill) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "drill: {} · seed {}", d.scenario, d.seed);
    let first = d.policies[0].report.failures.as_ref();
    for o in first.map(|f| f.faults.as_slice()).unwrap_or_default() {
        let _ = writeln!(out, "  fault: {}", o.label);
    }
    let _ = write!(out, "\n{:<28}", "");
    for p in &d.policies {
        let _ = write!(out, "{:>15}", p.policy);
    }
    let _ = writeln!(out);
    // A row: one cell per policy, from its report and failure section (every run of a drill
    // has faults, so the section is there; "-" otherwise).
    let mut line = |name: &str, cell: &dyn Fn(&Report, &FailureReport) -> String| {
        let _ = write!(out, "{name:<28}");
        for p in &d.policies {
            let shown = match &p.report.failures {
                Some(f) => cell(&p.report, f),
                None => "-".into(),
            };
            let _ = write!(out, "{shown:>15}");
        }
        let _ = writeln!(out);
    };
    let opt = |x: Option<f64>| x.map_or_else(|| "-".to_string(), cell_ms);
    let faults = first.map_or(0, |f| f.faults.len());
    for i in 0..faults {
        let tag = if faults > 1 {
            format!(" [{}]", i + 1)
        } else {
            String::new()
        };
        line(&format!("detected at s{tag}"), &|_, f| {
            f.faults
                .get(i)
                .and_then(|o| o.detected_s)
                .map_or_else(|| "-".into(), |s| format!("{s}"))
        });
        line(&format!("RTO, first write ms{tag}"), &|_, f| {
            opt(f.faults.get(i).and_then(|o| o.rto_write_ms))
        });
        line(&format!("RTO, back to SLO ms{tag}"), &|_, f| {
            opt(f.faults.get(i).and_then(|o| o.rto_slo_ms))
        });
        line(&format!("writes lost to outage{tag}"), &|_, f| {
            f.faults
                .get(i)
                .map_or(0, |o| o.writes_lost_to_outage)
                .to_string()
        });
    }
    line("RPO, acked writes lost", &|_, f| {
        f.rpo.lost_writes.to_string()
    });
    line("RPO window ms", &|_, f| cell_ms(f.rpo.window_ms));
    line("split brain ms", &|_, f| cell_ms(f.split_brain_ms));
    line("writes rejected", &|_, f| {
        let c = &f.counters;
        (c.writes_rejected_no_leader + c.writes_rejected_readonly + c.writes_rejected_not_leader)
            .to_string()
    });
    line("writes failed", &|r, _| {
        r.counters.write_failures.to_string()
    });
    line("reads failed", &|_, f| f.counters.reads_failed.to_string());
    line("stale reads", &|r, _| r.counters.stale_reads.to_string());
    line("read p95 ms", &|r, _| cell_ms(r.read_latency.p95));
    line("write p95 ms", &|r, _| cell_ms(r.write_latency.p95));
    line("staleness p95 ms", &|r, _| cell_ms(r.staleness.p95));
    line("staleness max ms", &|r, _| cell_ms(r.staleness.max));
    out
}
