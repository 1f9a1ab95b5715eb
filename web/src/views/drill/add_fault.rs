//! The one-click fault of the Drill view: a `region_down` of a region written into the scenario
//! document, TOML or JSON, so that a scenario without faults can be drilled.

use meridian_core::sim::{Model, ReplicationModel};

use crate::views::scenario::document::Format;

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

/// `text` with a `region_down` of `region` from `at_s` for `for_s` appended to its faults, or
/// `None` when a JSON document cannot be read (a TOML document is appended to as text, and a
/// broken one stays broken, with the editor naming the problem).
pub fn with_region_down(text: &str, region: &str, at_s: f64, for_s: f64) -> Option<String> {
    match Format::of(text) {
        Format::Toml => {
            let mut out = text.trim_end().to_string();
            out.push_str(&format!(
                "\n\n# Added by the Drill view.\n[[faults]]\nkind = \"region_down\"\n\
                 region = {}\nat_s = {at_s:?}\nfor_s = {for_s:?}\n",
                toml_string(region)
            ));
            Some(out)
        }
        Format::Json => {
            let mut doc: serde_json::Value = serde_json::from_str(text).ok()?;
            let faults = doc
                .as_object_mut()?
                .entry("faults")
                .or_insert_with(|| serde_json::Value::Array(Vec::new()));
            faults.as_array_mut()?.push(serde_json::json!({
                "kind": "region_down",
                "region": region,
                "at_s": at_s,
                "for_s": for_s,
            }));
            serde_json::to_string_pretty(&doc).ok()
        }
    }
}

/// A TOML basic string.
fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
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
        assert_eq!(toml_string("a\"b\\"), "\"a\\\"b\\\\\"");
    }

    #[test]
    fn short_runs_get_a_window_that_fits() {
        assert_eq!(window(60.0), (20.0, 30.0));
        assert_eq!(window(9.0), (3.0, 3.0));
        assert_eq!(window(f64::NAN), (20.0, 30.0));
    }
}
