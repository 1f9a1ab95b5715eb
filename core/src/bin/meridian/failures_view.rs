//! The failure section of `meridian run`'s table: each fault with its detection and recovery
//! times, the acknowledged writes lost, split brain, the failure counters and the event log.

use std::fmt::Write as _;

use meridian_core::sim::FailureReport;

use crate::run_cmd::cell_ms;

/// "12.3" for a time in ms, "-" when absent.
fn opt_ms(x: Option<f64>) -> String {
    x.map_or_else(|| "-".into(), cell_ms)
}

fn opt_s(x: Option<f64>) -> String {
    x.map_or_else(|| "-".into(), |s| format!("{s}"))
}

pub(crate) fn render(f: &FailureReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "\nfailures (failover policy: {})", f.policy);
    if !f.faults.is_empty() {
        let _ = writeln!(
            out,
            "  {:<44}{:>9} {:>9} {:>12} {:>12} {:>10}",
            "fault", "start s", "detect s", "RTO write ms", "RTO SLO ms", "writes lost"
        );
        for o in &f.faults {
            let _ = writeln!(
                out,
                "  {:<44}{:>9} {:>9} {:>12} {:>12} {:>10}",
                o.label,
                o.start_s,
                opt_s(o.detected_s),
                opt_ms(o.rto_write_ms),
                opt_ms(o.rto_slo_ms),
                o.writes_lost_to_outage
            );
        }
    }
    let _ = writeln!(
        out,
        "  RPO: {} acknowledged writes lost (amount {}) over {} ms · split brain {} ms",
        f.rpo.lost_writes,
        f.rpo.lost_amount,
        cell_ms(f.rpo.window_ms),
        cell_ms(f.split_brain_ms)
    );
    let c = &f.counters;
    let _ = writeln!(
        out,
        "  writes rejected: no leader {} · read-only {} · not leader {} · reads failed {} · reads shed {} · quorum unavailable {}",
        c.writes_rejected_no_leader,
        c.writes_rejected_readonly,
        c.writes_rejected_not_leader,
        c.reads_failed,
        c.reads_shed,
        c.quorum_unavailable
    );
    let _ = writeln!(
        out,
        "  degraded reads {} · rerouted reads {} · region unavailable {} · client messages lost {} · lost updates {}",
        c.degraded_reads,
        c.rerouted_reads,
        c.reads_region_unavailable,
        c.messages_lost,
        c.lost_updates
    );
    if !f.log.is_empty() {
        let _ = writeln!(out, "  log:");
        for e in &f.log {
            let _ = writeln!(out, "  {:>10.3} s  {}", e.at_s, e.what);
        }
    }
    if !f.anomalies.is_empty() {
        let _ = writeln!(out, "  anomaly examples (the first few of each kind):");
        for a in &f.anomalies {
            let _ = writeln!(
                out,
                "  {:>10.3} s  {:<17} key {:<6} {:<14} expected {}, saw {}",
                a.at_s, a.kind, a.key, a.client, a.expected, a.seen
            );
        }
    }
    let _ = writeln!(
        out,
        "  timeline: {} intervals of {} s (in the --json report)",
        f.timeline.len(),
        f.interval_s
    );
    out
}
