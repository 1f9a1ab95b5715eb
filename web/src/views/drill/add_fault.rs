//! The one-click fault of the Drill view: a `region_down` of a region written into the scenario
//! document, TOML or JSON, so that a scenario without faults can be drilled.

use meridian_core::sim::{Model, ReplicationModel};

use super::edit;

/// When the added fault starts and how long it lasts, s: 20 s and 30 s, or, for runs too short
/// for those, a third and a third of the run.
pub fn window(duration_s: f64) -> (f64, f64) {
    if duration_s >= 60.0 || !duration_s.is_finite() {
        (20.0, 30.0)
    } else {
        let third = (duration_s / 3.0 * 10.0).floor() / 10.0;
        (third, third)
    }
}

/// The region the added fault takes down: the leader of a single-leader design, else the first
/// region.
pub fn target(model: &Model) -> Option<String> {
    let i = match &model.replication {
        ReplicationModel::SingleLeader { leader, .. } => *leader,
        _ => 0,
    };
    model.topology.regions().get(i).map(|r| r.id.clone())
}

/// `text` with a `region_down` of `region` from `at_s` for `for_s` appended to its faults (see
/// [`super::edit`]), or `None` when the document cannot be read.
pub fn with_region_down(text: &str, region: &str, at_s: f64, for_s: f64) -> Option<String> {
    let fault = edit::region_fault(edit::RegionFault::Down, region, &[], at_s, for_s)?;
    edit::apply(text, &edit::Change::Add(fault)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::views::scenario::document::parse;
    use meridian_core::scenario::{FaultKindSpec, PRESETS, Scenario};

    #[test]
    fn the_fault_lands_in_toml_and_json_documents() {
        let toml = PRESETS
            .iter()
            .find(|p| p.name == "sg-us-wallet")
            .unwrap()
            .toml;
        let model = Scenario::preset("sg-us-wallet")
            .unwrap()
            .validate()
            .unwrap();
        let region = target(&model).unwrap();
        assert_eq!(region, "SG");
        let text = with_region_down(toml, &region, 20.0, 30.0).unwrap();
        let s = parse(&text).unwrap();
        assert_eq!(s.faults.len(), 1);
        assert_eq!(s.faults[0].at_s, 20.0);
        assert_eq!(s.faults[0].for_s, Some(30.0));
        assert!(
            matches!(&s.faults[0].kind, FaultKindSpec::RegionDown { region } if region == "SG")
        );
        assert!(s.validate().is_ok());
        let json = serde_json::to_string(&Scenario::preset("sg-us-wallet").unwrap()).unwrap();
        let s = parse(&with_region_down(&json, "US", 1.5, 2.0).unwrap()).unwrap();
        assert_eq!(s.faults.len(), 1);
        assert_eq!(with_region_down("{ broken", "US", 1.0, 1.0), None);
    }

    #[test]
    fn short_runs_get_a_window_that_fits() {
        assert_eq!(window(60.0), (20.0, 30.0));
        assert_eq!(window(9.0), (3.0, 3.0));
        assert_eq!(window(f64::NAN), (20.0, 30.0));
    }
}
