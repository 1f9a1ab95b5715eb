//! What the handlers ask of the failure state: where a population's writes and reads go
//! (leader beliefs, failover lists, sticky sessions, region unavailable), whether a message
//! arrives, what is up, the apply delay under a lag spike, and skewed clocks.

use super::super::Simulation;
use super::{Leg, Rejection};
use crate::dist::Dist;
use crate::sim::fault::{CLOCK_EPOCH_US, FaultKind, Toggle};
use crate::sim::model::ReplicationModel;
use crate::time::SimDuration;

impl Simulation {
    /// Where population `pop`'s writes go, or why they are refused at once.
    pub(in crate::sim::world) fn route_write(
        &self,
        pop: usize,
        key: u32,
    ) -> Result<usize, Rejection> {
        let home = self.model.clients[pop].home;
        let Some(f) = self.failures.as_deref() else {
            return Ok(self.write_target(key, home));
        };
        if f.state.toggle(Toggle::WriteReadonlyMode) {
            return Err(Rejection::ReadOnly);
        }
        let Some(_) = f.leader else {
            // Multi-leader, partitioned and quorum: the usual target, or the first healthy
            // region of the failover order when the home region is detected down.
            let target = self.write_target(key, home);
            let reachable = f.state.is_up(target) && (target == home || !f.state.cut(home, target));
            if matches!(self.model.replication, ReplicationModel::MultiLeader)
                && f.detected_down[target]
                && !reachable
            {
                return Ok(self.first_healthy(pop).unwrap_or(target));
            }
            return Ok(target);
        };
        let leader = if f.state.is_up(home) {
            f.believed_leader[home]
        } else {
            f.leader.unwrap_or(home)
        };
        let reachable = leader == home && f.state.is_up(home)
            || f.state.is_up(leader) && !f.state.cut(home, leader);
        if f.detected_down[leader] && !reachable {
            return Err(Rejection::NoLeader);
        }
        Ok(leader)
    }

    /// Where population `pop`'s requests go now, without drawing a random number or changing
    /// any state: the region of a read that starts at the local replica (`None`: no healthy
    /// region), and of a write of the first key (`None`: refused at once). For the timeline.
    pub(super) fn routes_now(&self, pop: usize) -> (Option<usize>, Option<usize>) {
        let writes = self.route_write(pop, 0).ok();
        let home = self.model.clients[pop].home;
        let region = self.replica_region(self.local_replica(home));
        let Some(f) = self.failures.as_deref() else {
            return (Some(region), writes);
        };
        let healthy = !f.detected_down[region]
            || (f.state.is_up(region) && (region == home || !f.state.cut(home, region)));
        let reads = if healthy || matches!(self.model.replication, ReplicationModel::Quorum { .. })
        {
            Some(region)
        } else {
            self.first_healthy(pop)
        };
        (reads, writes)
    }

    /// The first region of population `pop`'s failover order that the controller has not
    /// declared down and the clients' own health checks reach (not cut off from their home).
    pub(super) fn first_healthy(&self, pop: usize) -> Option<usize> {
        let f = self.failures.as_deref()?;
        let home = self.model.clients[pop].home;
        self.model.clients[pop]
            .failover
            .iter()
            .copied()
            .find(|&r| !f.detected_down[r] && !f.state.cut(home, r))
    }

    /// Where population `pop`'s read (from `session`) goes when the read strategy starts
    /// locally: the local replica, or, when its region is declared down and the clients cannot
    /// reach it either, the first healthy region of the population's failover order (paying
    /// that region's round trip). With sticky sessions a session that moved stays on its new
    /// region while that one is healthy. `Err(retry_after)` when no region is healthy.
    pub(in crate::sim::world) fn route_local_read(
        &mut self,
        pop: usize,
        session: u32,
        local: usize,
    ) -> Result<usize, SimDuration> {
        let Some(f) = self.failures.as_deref() else {
            return Ok(local);
        };
        let home = self.model.clients[pop].home;
        let healthy = |r: usize| {
            !f.detected_down[r] || (f.state.is_up(r) && (r == home || !f.state.cut(home, r)))
        };
        if let Some(&pinned) = f.pinned.get(session as usize)
            && pinned != u16::MAX
            && healthy(pinned as usize)
        {
            if let Some(f) = self.failures.as_mut() {
                f.counters.rerouted_reads += 1;
            }
            return Ok(pinned as usize);
        }
        let region = self.replica_region(local);
        if healthy(region) || matches!(self.model.replication, ReplicationModel::Quorum { .. }) {
            return Ok(local);
        }
        let retry_after = self.model.failover.heartbeat_interval;
        let Some(r) = self.first_healthy(pop) else {
            if let Some(f) = self.failures.as_mut() {
                f.counters.reads_region_unavailable += 1;
            }
            return Err(retry_after);
        };
        if let Some(f) = self.failures.as_mut() {
            f.counters.rerouted_reads += 1;
            if let Some(p) = f.pinned.get_mut(session as usize) {
                *p = r as u16;
            }
        }
        Ok(r)
    }

    /// Whether the `disable_recs` toggle sheds a read of `key` (counted as shed).
    pub(in crate::sim::world) fn shed_read(&mut self, key: u32) -> bool {
        let on = self
            .failures
            .as_deref()
            .is_some_and(|f| f.state.toggle(Toggle::DisableRecs));
        if !on || !self.entities.optional(key) {
            return false;
        }
        if let Some(f) = self.failures.as_mut() {
            f.counters.reads_shed += 1;
        }
        true
    }

    /// Whether the runbook forces leader reads.
    pub(in crate::sim::world) fn force_leader_read(&self) -> bool {
        self.failures
            .as_deref()
            .is_some_and(|f| f.state.toggle(Toggle::ForceLeaderRead))
    }

    /// The leader population `pop`'s reads are sent to when forced to the leader.
    pub(in crate::sim::world) fn read_leader(&self, pop: usize, key: u32) -> usize {
        let home = self.model.clients[pop].home;
        match self.failures.as_deref() {
            Some(f) if f.leader.is_some() && f.state.is_up(home) => f.believed_leader[home],
            Some(f) if f.leader.is_some() => f.leader.unwrap_or(home),
            _ => self.write_target(key, home),
        }
    }

    /// Whether region `region` accepts writes as leader now (single leader with failures).
    pub(in crate::sim::world) fn leads(&self, region: usize) -> bool {
        match self.failures.as_deref() {
            Some(f) if f.leader.is_some() => f.believed_leader[region] == region,
            _ => true,
        }
    }

    /// Whether a client message between population `pop` and `region` arrives, in direction
    /// `leg`, drawing the link's loss if it is degraded. The region must be up, and the path in
    /// that direction not cut (clients sit on their home region's side of a partition, so a
    /// one-way cut lets requests through and loses the answers, or the other way round).
    /// Always true without failures.
    pub(in crate::sim::world) fn client_message_arrives(
        &mut self,
        pop: usize,
        region: usize,
        leg: Leg,
    ) -> bool {
        let home = self.model.clients[pop].home;
        let Some(f) = self.failures.as_deref() else {
            return true;
        };
        let cut = region != home
            && match leg {
                Leg::Request => f.state.cut(home, region),
                Leg::Answer => f.state.cut(region, home),
                Leg::RoundTrip => f.state.cut(home, region) || f.state.cut(region, home),
            };
        let open = f.state.is_up(region) && !cut;
        let loss = if region == home {
            0.0
        } else {
            f.loss(home, region)
        };
        let arrives = open && !(loss > 0.0 && self.net.chance(loss));
        if !arrives && let Some(f) = self.failures.as_mut() {
            f.counters.messages_lost += 1;
        }
        arrives
    }

    /// Whether a message between regions arrives (both up, not cut, not lost on a degraded
    /// link).
    pub(in crate::sim::world) fn region_message_arrives(&mut self, a: usize, b: usize) -> bool {
        let Some(f) = self.failures.as_deref() else {
            return true;
        };
        let loss = f.loss(a, b);
        let arrives = f.state.open(a, b) && !(loss > 0.0 && self.net.chance(loss));
        if !arrives && let Some(f) = self.failures.as_mut() {
            f.counters.messages_lost += 1;
        }
        arrives
    }

    /// Whether replica `replica` is up: its node when it was placed on one, else its region.
    pub(in crate::sim::world) fn replica_is_up(&self, replica: usize) -> bool {
        let Some(f) = self.failures.as_deref() else {
            return true;
        };
        match self.model.replica_nodes.get(replica) {
            Some(&node) => f.state.node_is_up(node),
            None => f.state.is_up(self.model.replica_region(replica)),
        }
    }

    /// Whether region `r` is up (always without failures).
    pub(in crate::sim::world) fn is_up(&self, r: usize) -> bool {
        self.failures.as_deref().is_none_or(|f| f.state.is_up(r))
    }

    /// The apply delay for a batch arriving at `region` (a lag spike overrides the model's).
    pub(in crate::sim::world) fn apply_delay_at(&mut self, region: usize) -> SimDuration {
        let spike: Option<Dist> = self.failures.as_deref().and_then(|f| {
            f.lag_override[region].and_then(|j| match &self.model.faults[j].kind {
                FaultKind::LagSpike { apply_delay, .. } => Some(apply_delay.clone()),
                _ => None,
            })
        });
        match spike {
            Some(d) => d.sample(&mut self.net),
            None => self.model.apply_delay.sample(&mut self.net),
        }
    }

    /// Region `region`'s clock reading now, µs: the clock epoch plus simulated time plus any
    /// skew.
    pub(in crate::sim::world) fn clock_at(&self, region: usize) -> u64 {
        let now = self.now().as_micros();
        let Some((offset, drift, since)) = self.failures.as_deref().and_then(|f| f.skew[region])
        else {
            return CLOCK_EPOCH_US + now;
        };
        let drifted = libm::round(now.saturating_sub(since.as_micros()) as f64 * drift * 1e-6);
        ((CLOCK_EPOCH_US + now) as i64 + offset + drifted as i64).max(1) as u64
    }
}
