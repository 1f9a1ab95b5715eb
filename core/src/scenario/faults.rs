//! The failure part of a scenario document: the `[[faults]]` schedule, the `[failover]`
//! settings and the `[timeline]` interval, and their validation into the engine's
//! [`Fault`]s and [`FailoverModel`].
//!
//! ```toml
//! [failover]
//! policy = "promote"              # reject_writes (default), promote or manual
//! heartbeat_interval_ms = 1000
//! heartbeat_timeout_ms = 3000
//! promotion_delay_ms = 5000
//!
//! [[faults]]
//! kind = "region_down"
//! region = "SG"
//! at_s = 20
//! for_s = 30                      # omit: until the end of the run
//! ```

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use super::validate::{finite_in, region_ref as region};
use crate::dist::Dist;
use crate::error::FieldError;
use crate::sim::{
    DivergentWrites, Failback, FailoverModel, FailoverPolicy, Fault, FaultKind, Toggle,
};
use crate::time::{SimDuration, SimTime};
use crate::topology::Topology;

/// Failure detection and failover (single-leader replication).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FailoverSpec {
    /// What happens to writes when the leader is detected down.
    pub policy: FailoverPolicy,
    /// Heartbeat period, ms.
    pub heartbeat_interval_ms: f64,
    /// Silence after which a region is declared down, ms.
    pub heartbeat_timeout_ms: f64,
    /// Election and promotion time after detection, ms.
    pub promotion_delay_ms: f64,
    /// Region whose failure detector decides; by default the first region that is not the
    /// leader.
    pub controller: Option<String>,
    /// Whether leadership returns to the original leader when it is back (`return`) or stays.
    pub failback: Failback,
    /// What becomes of the deposed leader's writes the new leader never received (`discard`
    /// or `merge`).
    pub divergent_writes: DivergentWrites,
    /// A client session that moved to another region stays there while that region is
    /// healthy (instead of returning home as soon as home recovers).
    pub sticky_sessions: bool,
}

impl Default for FailoverSpec {
    /// Reject writes; heartbeats every second, declared down after 3 s; 5 s to promote.
    fn default() -> Self {
        FailoverSpec {
            policy: FailoverPolicy::RejectWrites,
            heartbeat_interval_ms: 1000.0,
            heartbeat_timeout_ms: 3000.0,
            promotion_delay_ms: 5000.0,
            controller: None,
            failback: Failback::Stay,
            divergent_writes: DivergentWrites::Discard,
            sticky_sessions: false,
        }
    }
}

/// The timeline's interval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimelineSpec {
    /// Interval length, s.
    pub interval_s: f64,
}

/// One entry of the fault schedule: a window from `at_s` lasting `for_s` (absent: to the end),
/// or an operator action at `at_s`.
///
/// (Unknown fields are refused by the kind's own fields: serde cannot deny them on a struct
/// that flattens another.)
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FaultSpec {
    /// Start, simulated seconds.
    pub at_s: f64,
    /// Length, s; absent = until the end of the run. Not allowed for operator actions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub for_s: Option<f64>,
    /// What fails.
    #[serde(flatten)]
    pub kind: FaultKindSpec,
}

/// What a fault does, by region id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum FaultKindSpec {
    /// The region crashes: no replies; requests and batches sent to it are lost.
    RegionDown {
        /// Region id.
        region: String,
    },
    /// Every node of a zone crashes (the region goes down with its last zone).
    ZoneDown {
        /// Zone id.
        zone: String,
    },
    /// One node crashes (a quorum replica on it is down; the region goes down with its last
    /// node).
    NodeDown {
        /// Node id (`<region>-node` for a region without zones).
        node: String,
    },
    /// Messages between two sets of regions are cut (only `a` to `b` when `one_way`).
    Partition {
        /// One side.
        a: Vec<String>,
        /// The other side.
        b: Vec<String>,
        /// Cut only `a` → `b`.
        #[serde(default)]
        one_way: bool,
    },
    /// A link gets slower and/or lossy.
    LinkDegradation {
        /// One end.
        a: String,
        /// The other end.
        b: String,
        /// Round trip added, ms.
        #[serde(default)]
        extra_rtt_ms: f64,
        /// Probability that a message or replication batch on the link is lost.
        #[serde(default)]
        loss: f64,
    },
    /// Writes arriving at a region (every region when absent) take this apply delay.
    LagSpike {
        /// Region id, or all regions.
        #[serde(default)]
        region: Option<String>,
        /// The apply delay during the window.
        apply_delay: Dist,
    },
    /// A region's clock is off by an offset plus a drift.
    ClockSkew {
        /// Region id.
        region: String,
        /// Offset, ms (negative = behind).
        #[serde(default)]
        offset_ms: f64,
        /// Drift, parts per million (positive = runs fast).
        #[serde(default)]
        drift_ppm: f64,
    },
    /// A runbook toggle is on during the window.
    Toggle {
        /// `force_leader_read`, `write_readonly_mode` or `disable_recs`.
        toggle: Toggle,
    },
    /// Operator action: promote this region to leader (single leader).
    Failover {
        /// Region id.
        to: String,
    },
    /// Operator action: hand leadership back to the original leader (single leader).
    Failback {},
}

/// A number in `lo..=hi`, or an error naming the field and what is allowed.
fn number(path: &str, v: f64, lo: f64, hi: f64, allowed: &str) -> Result<f64, FieldError> {
    finite_in(path, v, lo, hi, allowed).map(|()| v)
}

fn region_set(topo: &Topology, path: &str, ids: &[String]) -> Result<Vec<usize>, FieldError> {
    if ids.is_empty() {
        return Err(FieldError::new(path, "[]", "at least one region id"));
    }
    let mut out = Vec::with_capacity(ids.len());
    for (i, id) in ids.iter().enumerate() {
        let r = region(topo, &format!("{path}[{i}]"), id)?;
        if out.contains(&r) {
            return Err(FieldError::new(
                format!("{path}[{i}]"),
                format!("\"{id}\""),
                "each region once",
            ));
        }
        out.push(r);
    }
    Ok(out)
}

/// Longest clock offset accepted, ms (an hour).
const MAX_SKEW_MS: f64 = 3_600_000.0;
/// Largest clock drift accepted, ppm (1%).
const MAX_DRIFT_PPM: f64 = 10_000.0;
/// Most entries in a fault schedule.
pub const MAX_FAULTS: usize = 256;
/// Most timeline intervals in a run.
pub const MAX_INTERVALS: f64 = 100_000.0;

/// Validates the schedule against the topology and the run's duration (seconds).
pub(super) fn validate_faults(
    specs: &[FaultSpec],
    topo: &Topology,
    duration_s: f64,
    single_leader: bool,
) -> Result<Vec<Fault>, FieldError> {
    if specs.len() > MAX_FAULTS {
        return Err(FieldError::new(
            "faults",
            format!("{} entries", specs.len()),
            format!("at most {MAX_FAULTS} faults"),
        ));
    }
    let mut faults = Vec::with_capacity(specs.len());
    for (i, f) in specs.iter().enumerate() {
        let path = format!("faults[{i}]");
        let at_s = number(
            &format!("{path}.at_s"),
            f.at_s,
            0.0,
            duration_s,
            &format!("seconds from 0 to the run's duration ({duration_s})"),
        )?;
        let for_s = match f.for_s {
            Some(d) => Some(number(
                &format!("{path}.for_s"),
                d,
                0.001,
                super::MAX_DURATION_S,
                "seconds from 0.001 to 86400 (omit it for a fault that never ends)",
            )?),
            None => None,
        };
        let kind = match &f.kind {
            FaultKindSpec::RegionDown { region: r } => FaultKind::RegionDown {
                region: region(topo, &format!("{path}.region"), r)?,
            },
            FaultKindSpec::ZoneDown { zone } => {
                let nodes: Vec<usize> = topo
                    .nodes()
                    .iter()
                    .enumerate()
                    .filter(|(_, n)| n.zone == *zone && !zone.is_empty())
                    .map(|(i, _)| i)
                    .collect();
                if nodes.is_empty() {
                    let mut zones: Vec<&str> = topo
                        .nodes()
                        .iter()
                        .map(|n| n.zone.as_str())
                        .filter(|z| !z.is_empty())
                        .collect();
                    zones.dedup();
                    return Err(FieldError::new(
                        format!("{path}.zone"),
                        format!("\"{zone}\""),
                        if zones.is_empty() {
                            String::from("a zone id, but the topology declares no zones")
                        } else {
                            format!("one of the zone ids: {}", zones.join(", "))
                        },
                    ));
                }
                FaultKind::NodesDown { nodes, zone: true }
            }
            FaultKindSpec::NodeDown { node } => {
                let Some(i) = topo.nodes().iter().position(|n| n.id == *node) else {
                    let ids: Vec<&str> = topo.nodes().iter().map(|n| n.id.as_str()).collect();
                    return Err(FieldError::new(
                        format!("{path}.node"),
                        format!("\"{node}\""),
                        format!("one of the node ids: {}", ids.join(", ")),
                    ));
                };
                FaultKind::NodesDown {
                    nodes: alloc::vec![i],
                    zone: false,
                }
            }
            FaultKindSpec::Partition { a, b, one_way } => {
                let a = region_set(topo, &format!("{path}.a"), a)?;
                let b = region_set(topo, &format!("{path}.b"), b)?;
                if let Some(&both) = a.iter().find(|r| b.contains(r)) {
                    return Err(FieldError::new(
                        format!("{path}.b"),
                        format!("\"{}\"", topo.regions()[both].id),
                        "regions not on side a: a region cannot be cut from itself",
                    ));
                }
                FaultKind::Partition {
                    a,
                    b,
                    one_way: *one_way,
                }
            }
            FaultKindSpec::LinkDegradation {
                a,
                b,
                extra_rtt_ms,
                loss,
            } => {
                let a = region(topo, &format!("{path}.a"), a)?;
                let b_ix = region(topo, &format!("{path}.b"), b)?;
                if a == b_ix {
                    return Err(FieldError::new(
                        format!("{path}.b"),
                        format!("\"{b}\""),
                        "a region other than a",
                    ));
                }
                let extra = number(
                    &format!("{path}.extra_rtt_ms"),
                    *extra_rtt_ms,
                    0.0,
                    600_000.0,
                    "ms from 0 to 600000",
                )?;
                let loss = number(
                    &format!("{path}.loss"),
                    *loss,
                    0.0,
                    1.0,
                    "a probability from 0 to 1",
                )?;
                FaultKind::LinkDegradation {
                    a,
                    b: b_ix,
                    extra_rtt: SimDuration::from_millis_f64(extra),
                    loss,
                }
            }
            FaultKindSpec::LagSpike {
                region: r,
                apply_delay,
            } => {
                apply_delay
                    .validate()
                    .map_err(|e| e.within(&format!("{path}.apply_delay")))?;
                FaultKind::LagSpike {
                    region: match r {
                        Some(r) => Some(region(topo, &format!("{path}.region"), r)?),
                        None => None,
                    },
                    apply_delay: apply_delay.clone(),
                }
            }
            FaultKindSpec::ClockSkew {
                region: r,
                offset_ms,
                drift_ppm,
            } => FaultKind::ClockSkew {
                region: region(topo, &format!("{path}.region"), r)?,
                offset_us: libm::round(
                    number(
                        &format!("{path}.offset_ms"),
                        *offset_ms,
                        -MAX_SKEW_MS,
                        MAX_SKEW_MS,
                        "ms from -3600000 to 3600000",
                    )? * 1000.0,
                ) as i64,
                drift_ppm: number(
                    &format!("{path}.drift_ppm"),
                    *drift_ppm,
                    -MAX_DRIFT_PPM,
                    MAX_DRIFT_PPM,
                    "ppm from -10000 to 10000",
                )?,
            },
            FaultKindSpec::Toggle { toggle } => FaultKind::Toggle { toggle: *toggle },
            FaultKindSpec::Failover { to } => FaultKind::Failover {
                to: region(topo, &format!("{path}.to"), to)?,
            },
            FaultKindSpec::Failback {} => FaultKind::Failback,
        };
        if kind.is_action() {
            if !single_leader {
                return Err(FieldError::new(
                    format!("{path}.kind"),
                    kind.name(),
                    "failover and failback only with single_leader replication",
                ));
            }
            if f.for_s.is_some() {
                return Err(FieldError::new(
                    format!("{path}.for_s"),
                    f.for_s.unwrap_or_default(),
                    "no length: an operator action happens at at_s",
                ));
            }
        }
        let start = SimTime(SimDuration::from_millis_f64(at_s * 1000.0).as_micros());
        let end = for_s.map(|d| {
            SimTime(start.as_micros() + SimDuration::from_millis_f64(d * 1000.0).as_micros())
        });
        faults.push(Fault {
            start,
            end,
            label: label(topo, &kind, at_s, for_s),
            kind,
        });
    }
    Ok(faults)
}

/// "region_down SG at 20 s for 30 s".
fn label(topo: &Topology, kind: &FaultKind, at_s: f64, for_s: Option<f64>) -> String {
    let id = |r: usize| topo.regions()[r].id.as_str();
    let set = |rs: &[usize]| rs.iter().map(|&r| id(r)).collect::<Vec<_>>().join("+");
    let what = match kind {
        FaultKind::RegionDown { region } => format!("region_down {}", id(*region)),
        FaultKind::NodesDown { nodes, zone: true } => {
            format!("zone_down {}", topo.nodes()[nodes[0]].zone)
        }
        FaultKind::NodesDown { nodes, zone: false } => {
            format!("node_down {}", topo.nodes()[nodes[0]].id)
        }
        FaultKind::Partition { a, b, one_way } => format!(
            "partition {} {} {}",
            set(a),
            if *one_way { "->" } else { "<->" },
            set(b)
        ),
        FaultKind::LinkDegradation {
            a,
            b,
            extra_rtt,
            loss,
        } => format!(
            "link_degradation {}<->{} +{} ms loss {}",
            id(*a),
            id(*b),
            extra_rtt.as_millis_f64(),
            loss
        ),
        FaultKind::LagSpike { region, .. } => {
            format!("lag_spike {}", region.map_or("all regions", |r| id(r)))
        }
        FaultKind::ClockSkew {
            region,
            offset_us,
            drift_ppm,
        } => format!(
            "clock_skew {} {:+} ms {:+} ppm",
            id(*region),
            *offset_us as f64 / 1000.0,
            drift_ppm
        ),
        FaultKind::Toggle { toggle } => format!("toggle {}", toggle.name()),
        FaultKind::Failover { to } => format!("failover to {}", id(*to)),
        FaultKind::Failback => String::from("failback"),
    };
    match for_s {
        Some(d) => format!("{what} at {at_s} s for {d} s"),
        None if kind.is_action() => format!("{what} at {at_s} s"),
        None => format!("{what} from {at_s} s"),
    }
}

/// Validates the failover settings; `leader` is the configured leader (single leader), if any.
pub(super) fn validate_failover(
    spec: &FailoverSpec,
    topo: &Topology,
    leader: Option<usize>,
) -> Result<FailoverModel, FieldError> {
    let ms = |name: &str, v: f64, lo: f64| {
        number(
            &format!("failover.{name}"),
            v,
            lo,
            3_600_000.0,
            &format!("ms from {lo} to 3600000"),
        )
        .map(SimDuration::from_millis_f64)
    };
    let heartbeat_interval = ms("heartbeat_interval_ms", spec.heartbeat_interval_ms, 1.0)?;
    let heartbeat_timeout = ms("heartbeat_timeout_ms", spec.heartbeat_timeout_ms, 1.0)?;
    if heartbeat_timeout < heartbeat_interval {
        return Err(FieldError::new(
            "failover.heartbeat_timeout_ms",
            spec.heartbeat_timeout_ms,
            "at least heartbeat_interval_ms: a silence shorter than one beat is not a failure",
        ));
    }
    let promotion_delay = ms("promotion_delay_ms", spec.promotion_delay_ms, 0.0)?;
    let controller = match &spec.controller {
        Some(id) => region(topo, "failover.controller", id)?,
        None => (0..topo.region_count())
            .find(|&r| Some(r) != leader)
            .unwrap_or(0),
    };
    Ok(FailoverModel {
        policy: spec.policy,
        heartbeat_interval,
        heartbeat_timeout,
        promotion_delay,
        controller,
        failback: spec.failback,
        divergent_writes: spec.divergent_writes,
        sticky_sessions: spec.sticky_sessions,
    })
}

/// The timeline interval: the document's, or 1 s (coarser for long runs, so a run has at most
/// [`MAX_INTERVALS`] intervals).
pub(super) fn validate_timeline(
    spec: Option<&TimelineSpec>,
    duration_s: f64,
) -> Result<SimDuration, FieldError> {
    let smallest = duration_s / MAX_INTERVALS;
    let s = match spec {
        Some(t) => number(
            "timeline.interval_s",
            t.interval_s,
            smallest.max(0.001),
            86_400.0,
            &format!(
                "seconds from {} to 86400 (at most {MAX_INTERVALS} intervals in the run)",
                smallest.max(0.001)
            ),
        )?,
        None => 1.0f64.max(libm::ceil(smallest)),
    };
    Ok(SimDuration::from_millis_f64(s * 1000.0))
}
