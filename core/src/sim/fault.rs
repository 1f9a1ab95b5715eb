//! Failures in a run: the fault schedule (crashed regions, partitions, degraded links, lag
//! incidents, clock skew, runbook toggles and operator actions), the failover settings, and the
//! world's view of them at the current instant.
//!
//! Semantics, in one place:
//! * A **down node or zone** takes down what runs on it: a quorum replica placed on the node, and
//!   the region itself once every node of it is down (a region's single replica survives the
//!   loss of some of its nodes).
//! * A **down region** (crash) receives nothing: a request, replication batch or
//!   acknowledgement arriving while it is down is lost, and it sends nothing. Its replication
//!   agents keep their queues (the log is durable) and resend once both ends are up again.
//! * A **partition** cuts messages from one set of regions to another (both ways unless
//!   `one_way`). Clients sit on their home region's side. A message is cut if the path is cut
//!   when it is sent, in its own direction: a client's request and the region's answer are two
//!   messages, so a one-way cut loses one of them; a replication batch is held until the path
//!   is open.
//! * A **degraded link** adds round-trip time and loses client messages and replication
//!   batches with a probability.
//! * A **lag spike** replaces the apply delay of writes arriving at a region.
//! * **Clock skew** shifts a region's clock by an offset plus a drift, in the stamps its writes
//!   get: under physical-time last-write-wins a write from a slow clock loses to an older one.

use alloc::vec;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use crate::dist::Dist;
use crate::time::{SimDuration, SimTime};

/// In runs with failures every region's clock starts here (µs), so a clock set back by the
/// largest skew allowed (an hour) still reads a positive time at the start of the run.
pub(crate) const CLOCK_EPOCH_US: u64 = 3_601_000_000;

/// A runbook toggle (seed 001's feature flags).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Toggle {
    /// Every read goes to the leader (fresh, slower).
    ForceLeaderRead,
    /// Writes are refused at once with "read-only mode" (reads continue).
    WriteReadonlyMode,
    /// Reads of entity types marked `optional` (recommendations and the like) are not sent:
    /// the client skips them, shedding their load and their failures.
    DisableRecs,
}

impl Toggle {
    /// The name as written in documents.
    pub fn name(self) -> &'static str {
        match self {
            Toggle::ForceLeaderRead => "force_leader_read",
            Toggle::WriteReadonlyMode => "write_readonly_mode",
            Toggle::DisableRecs => "disable_recs",
        }
    }
}

/// What happens to writes when the single leader is detected down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FailoverPolicy {
    /// Read-only mode: writes fail fast with "leader unavailable"; reads continue locally.
    #[default]
    RejectWrites,
    /// After detection and a promotion delay, the most up-to-date reachable follower leads.
    Promote,
    /// Promotion only when the schedule says so (a `failover` operator action).
    Manual,
}

impl FailoverPolicy {
    /// The name as written in documents.
    pub fn name(self) -> &'static str {
        match self {
            FailoverPolicy::RejectWrites => "reject_writes",
            FailoverPolicy::Promote => "promote",
            FailoverPolicy::Manual => "manual",
        }
    }

    /// Every policy, in document order.
    pub const ALL: [FailoverPolicy; 3] = [
        FailoverPolicy::RejectWrites,
        FailoverPolicy::Promote,
        FailoverPolicy::Manual,
    ];
}

/// When the original leader returns after a promotion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Failback {
    /// Leadership returns to the original leader once it is back (after a promotion delay).
    Return,
    /// The promoted leader keeps leading.
    #[default]
    Stay,
}

/// What a deposed leader does with acknowledged writes the new leader never received.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DivergentWrites {
    /// They are thrown away; the old leader resynchronises from the new one (counted as RPO).
    #[default]
    Discard,
    /// They are replicated on return and merged by the keys' conflict policy.
    Merge,
}

/// Which clock orders last-write-wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LwwClock {
    /// A hybrid logical clock: physical time, bumped past every stamp the region has seen.
    #[default]
    Hybrid,
    /// The region's physical clock only (skew reorders writes).
    Physical,
}

/// Failure detection and failover, resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct FailoverModel {
    /// What happens to writes when the leader is detected down.
    pub policy: FailoverPolicy,
    /// Heartbeat period.
    pub heartbeat_interval: SimDuration,
    /// Silence after which a region is declared down.
    pub heartbeat_timeout: SimDuration,
    /// Election and promotion time after detection.
    pub promotion_delay: SimDuration,
    /// Region whose failure detector decides (a partition from it looks like a crash).
    pub controller: usize,
    /// Whether leadership returns to the original leader.
    pub failback: Failback,
    /// What the deposed leader's unreplicated writes become.
    pub divergent_writes: DivergentWrites,
    /// A session that moved to another region stays there while it is healthy, instead of
    /// returning home when its home recovers.
    pub sticky_sessions: bool,
}

/// One scheduled fault, resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct Fault {
    /// When it starts.
    pub start: SimTime,
    /// When it ends; `None` = never (or, for operator actions, instantaneous).
    pub end: Option<SimTime>,
    /// What fails.
    pub kind: FaultKind,
    /// Short human description, e.g. "region-down SG at 60 s for 120 s".
    pub label: alloc::string::String,
}

/// What a fault does, with region indices.
#[derive(Debug, Clone, PartialEq)]
pub enum FaultKind {
    /// The region crashes.
    RegionDown {
        /// Region index.
        region: usize,
    },
    /// These nodes crash (a `node_down`, or every node of a `zone_down`).
    NodesDown {
        /// Node indices.
        nodes: Vec<usize>,
        /// `zone_down` or `node_down`, as written.
        zone: bool,
    },
    /// Messages from regions `a` to regions `b` (and back unless `one_way`) are cut.
    Partition {
        /// One side.
        a: Vec<usize>,
        /// The other side.
        b: Vec<usize>,
        /// Only `a` → `b` is cut.
        one_way: bool,
    },
    /// One link gets slower and lossy.
    LinkDegradation {
        /// One end.
        a: usize,
        /// The other end.
        b: usize,
        /// Round trip added.
        extra_rtt: SimDuration,
        /// Probability a message or batch on the link is lost.
        loss: f64,
    },
    /// Writes arriving at `region` (every region when `None`) take this apply delay.
    LagSpike {
        /// Region index, or all.
        region: Option<usize>,
        /// The apply delay during the window.
        apply_delay: Dist,
    },
    /// The region's clock is off by `offset_us` plus `drift_ppm` per µs since the fault began.
    ClockSkew {
        /// Region index.
        region: usize,
        /// Offset at the start, µs (negative = behind).
        offset_us: i64,
        /// Drift in parts per million (positive = runs fast).
        drift_ppm: f64,
    },
    /// A runbook toggle is on during the window.
    Toggle {
        /// Which toggle.
        toggle: Toggle,
    },
    /// Operator action: promote this region to leader.
    Failover {
        /// Region index.
        to: usize,
    },
    /// Operator action: hand leadership back to the original leader.
    Failback,
}

impl FaultKind {
    /// The kind's name as written in documents.
    pub fn name(&self) -> &'static str {
        match self {
            FaultKind::RegionDown { .. } => "region_down",
            FaultKind::NodesDown { zone: true, .. } => "zone_down",
            FaultKind::NodesDown { zone: false, .. } => "node_down",
            FaultKind::Partition { .. } => "partition",
            FaultKind::LinkDegradation { .. } => "link_degradation",
            FaultKind::LagSpike { .. } => "lag_spike",
            FaultKind::ClockSkew { .. } => "clock_skew",
            FaultKind::Toggle { .. } => "toggle",
            FaultKind::Failover { .. } => "failover",
            FaultKind::Failback => "failback",
        }
    }

    /// Whether it is an instantaneous operator action rather than a window.
    pub fn is_action(&self) -> bool {
        matches!(self, FaultKind::Failover { .. } | FaultKind::Failback)
    }
}

/// The faults active now, as the world sees them (reference counts, so overlapping windows of
/// the same kind compose).
#[derive(Debug, Clone)]
pub(crate) struct FaultState {
    regions: usize,
    down: Vec<u16>,
    /// Per node: active faults that crashed it.
    node_down: Vec<u16>,
    /// Per node: its region.
    node_region: Vec<usize>,
    /// Per region: nodes up.
    nodes_up: Vec<u16>,
    /// `regions × regions`, directed: messages from row to column are cut.
    cut: Vec<u16>,
    /// Indices of the active faults, in schedule order.
    pub(crate) active: Vec<usize>,
    toggles: [u16; 3],
}

impl FaultState {
    /// The state of a healthy world; `node_region` gives each node's region.
    pub(crate) fn new(regions: usize, node_region: Vec<usize>) -> Self {
        let mut nodes_up = vec![0u16; regions];
        for &r in &node_region {
            nodes_up[r] += 1;
        }
        FaultState {
            regions,
            down: vec![0; regions],
            node_down: vec![0; node_region.len()],
            node_region,
            nodes_up,
            cut: vec![0; regions * regions],
            active: Vec::new(),
            toggles: [0; 3],
        }
    }

    /// Whether `region` is up.
    #[inline]
    pub(crate) fn is_up(&self, region: usize) -> bool {
        self.down[region] == 0
    }

    /// Whether `node` is up (its region too).
    #[inline]
    pub(crate) fn node_is_up(&self, node: usize) -> bool {
        self.node_down[node] == 0 && self.down[self.node_region[node]] == 0
    }

    /// Whether a message from region `a` to region `b` gets through (both up, path not cut).
    #[inline]
    pub(crate) fn open(&self, a: usize, b: usize) -> bool {
        self.down[a] == 0 && self.down[b] == 0 && self.cut[a * self.regions + b] == 0
    }

    /// Whether the path from `a` to `b` is cut by a partition (ignoring crashes).
    #[inline]
    pub(crate) fn cut(&self, a: usize, b: usize) -> bool {
        self.cut[a * self.regions + b] > 0
    }

    /// Whether `toggle` is on.
    pub(crate) fn toggle(&self, toggle: Toggle) -> bool {
        self.toggles[toggle as usize] > 0
    }

    /// Starts (`on`) or ends fault `index` of kind `kind`.
    pub(crate) fn set(&mut self, index: usize, kind: &FaultKind, on: bool) {
        let bump = |c: &mut u16| {
            if on {
                *c += 1;
            } else {
                *c = c.saturating_sub(1);
            }
        };
        match kind {
            FaultKind::RegionDown { region } => bump(&mut self.down[*region]),
            FaultKind::NodesDown { nodes, .. } => {
                for &n in nodes {
                    let r = self.node_region[n];
                    let was_up = self.node_down[n] == 0;
                    bump(&mut self.node_down[n]);
                    let is_up = self.node_down[n] == 0;
                    // The region crashes with its last node and recovers with its first.
                    if was_up && !is_up {
                        self.nodes_up[r] -= 1;
                        if self.nodes_up[r] == 0 {
                            self.down[r] += 1;
                        }
                    } else if !was_up && is_up {
                        if self.nodes_up[r] == 0 {
                            self.down[r] = self.down[r].saturating_sub(1);
                        }
                        self.nodes_up[r] += 1;
                    }
                }
            }
            FaultKind::Partition { a, b, one_way } => {
                for &x in a {
                    for &y in b {
                        bump(&mut self.cut[x * self.regions + y]);
                        if !one_way {
                            bump(&mut self.cut[y * self.regions + x]);
                        }
                    }
                }
            }
            FaultKind::Toggle { toggle } => bump(&mut self.toggles[*toggle as usize]),
            _ => {}
        }
        if on {
            self.active.push(index);
        } else {
            self.active.retain(|&i| i != index);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlapping_windows_compose_and_one_way_cuts_one_direction() {
        let mut s = FaultState::new(3, vec![0, 1, 2]);
        let down = FaultKind::RegionDown { region: 1 };
        s.set(0, &down, true);
        s.set(1, &down, true);
        s.set(0, &down, false);
        assert!(!s.is_up(1));
        s.set(1, &down, false);
        assert!(s.is_up(1));
        let cut = FaultKind::Partition {
            a: vec![0],
            b: vec![1, 2],
            one_way: true,
        };
        s.set(2, &cut, true);
        assert!(!s.open(0, 1) && !s.open(0, 2));
        assert!(s.open(1, 0) && s.open(2, 0) && s.open(1, 2));
        assert_eq!(s.active, vec![2]);
        s.set(2, &cut, false);
        assert!(s.open(0, 1));
        assert!(s.active.is_empty());
    }

    #[test]
    fn a_region_goes_down_with_its_last_node() {
        // Region 0 has nodes 0 and 1 (two zones); region 1 has node 2.
        let mut s = FaultState::new(2, vec![0, 0, 1]);
        let first = FaultKind::NodesDown {
            nodes: vec![0],
            zone: true,
        };
        let second = FaultKind::NodesDown {
            nodes: vec![1],
            zone: true,
        };
        s.set(0, &first, true);
        assert!(s.is_up(0) && !s.node_is_up(0) && s.node_is_up(1));
        s.set(1, &second, true);
        assert!(!s.is_up(0));
        s.set(0, &first, false);
        assert!(s.is_up(0) && s.node_is_up(0) && !s.node_is_up(1));
    }
}
