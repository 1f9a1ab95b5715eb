//! A failure drill: one scenario, seed and fault schedule under each failover policy
//! (`reject_writes`, `promote`, `manual`), so that their recovery can be set side by side. Both
//! `meridian drill` and the page's Drill view build their runs here.
//!
//! ```
//! use meridian_core::scenario::{FailoverPolicy, Scenario, drill_variants};
//!
//! let scenario = Scenario::preset("sg-down-promote").expect("shipped preset");
//! let variants = drill_variants(&scenario).expect("single leader, with a fault");
//! assert_eq!(variants.each_ref().map(|v| v.policy), FailoverPolicy::ALL);
//! assert!(variants.iter().all(|v| v.scenario.faults == scenario.faults));
//! ```

use core::fmt;

use super::doc::{ReplicationSpec, Scenario};
use super::faults::FailoverSpec;
use crate::sim::FailoverPolicy;

/// One run of a drill: the scenario with its failover policy set to [`Self::policy`] (every
/// other failover setting as the scenario has it).
#[derive(Debug, Clone, PartialEq)]
pub struct PolicyVariant {
    /// The policy this run applies.
    pub policy: FailoverPolicy,
    /// The scenario to validate and run.
    pub scenario: Scenario,
}

/// Why a scenario cannot be drilled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DrillError {
    /// Failover policies apply to single-leader replication only.
    NotSingleLeader,
    /// The scenario has no `[[faults]]`, so nothing fails over.
    NoFaults,
}

impl fmt::Display for DrillError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DrillError::NotSingleLeader => {
                "a drill compares failover policies, which apply to single_leader replication; \
                 this scenario uses another mode"
            }
            DrillError::NoFaults => "nothing to drill: the scenario has no [[faults]]",
        })
    }
}

impl core::error::Error for DrillError {}

/// The scenario once per failover policy, in [`FailoverPolicy::ALL`] order, or why it cannot
/// be drilled (checked in this order: single-leader replication, then a fault schedule).
pub fn drill_variants(scenario: &Scenario) -> Result<[PolicyVariant; 3], DrillError> {
    if !matches!(scenario.replication, ReplicationSpec::SingleLeader { .. }) {
        return Err(DrillError::NotSingleLeader);
    }
    if scenario.faults.is_empty() {
        return Err(DrillError::NoFaults);
    }
    Ok(FailoverPolicy::ALL.map(|policy| {
        let mut s = scenario.clone();
        s.failover = Some(FailoverSpec {
            policy,
            ..s.failover.clone().unwrap_or_default()
        });
        PolicyVariant {
            policy,
            scenario: s,
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::FaultSpec;
    use alloc::string::ToString;

    #[test]
    fn each_policy_changes_only_the_policy() {
        let base = Scenario::preset("sg-down-promote").unwrap();
        let variants = drill_variants(&base).unwrap();
        for (v, policy) in variants.iter().zip(FailoverPolicy::ALL) {
            assert_eq!(v.policy, policy);
            let spec = v.scenario.failover.clone().unwrap();
            assert_eq!(spec.policy, policy);
            let mut back = v.scenario.clone();
            back.failover = base.failover.clone();
            assert_eq!(back, base, "{}", policy.name());
            assert!(v.scenario.validate().is_ok());
        }
        // Without a [failover] table, the defaults apply with each policy.
        let mut bare = base.clone();
        bare.failover = None;
        let variants = drill_variants(&bare).unwrap();
        assert_eq!(
            variants[1].scenario.failover,
            Some(FailoverSpec {
                policy: FailoverPolicy::Promote,
                ..FailoverSpec::default()
            })
        );
    }

    #[test]
    fn scenarios_without_a_leader_or_a_fault_are_refused() {
        let mut calm = Scenario::preset("sg-down-promote").unwrap();
        calm.faults = alloc::vec::Vec::<FaultSpec>::new();
        assert_eq!(drill_variants(&calm), Err(DrillError::NoFaults));
        let multi = Scenario::preset("sg-us-multi-leader").unwrap();
        assert_eq!(drill_variants(&multi), Err(DrillError::NotSingleLeader));
        assert!(DrillError::NoFaults.to_string().contains("no [[faults]]"));
        assert!(
            DrillError::NotSingleLeader
                .to_string()
                .contains("single_leader")
        );
    }
}
