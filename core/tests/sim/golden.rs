//! Golden reports: every preset's full report is pinned in `tests/fixtures/golden/`, so any change
//! of behaviour is seen in review, and the browser test compares its own runs to the same files.
//! The PBS Monte Carlo is pinned the same way, one report per WARS preset.
//! Regenerate with `MERIDIAN_BLESS=1 cargo test -p meridian-core --test sim golden`.

use meridian_core::pbs::{PbsConfig, Preset};
use meridian_core::scenario::{PRESETS, Scenario};
use meridian_core::sim::Simulation;

fn golden_path(name: &str) -> String {
    format!(
        "{}/../tests/fixtures/golden/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// Compares `json` with the golden file `name`, first rewriting it when blessing.
fn check_golden(name: &str, json: &str) {
    let path = golden_path(name);
    if std::env::var_os("MERIDIAN_BLESS").is_some() {
        std::fs::create_dir_all(std::path::Path::new(&path).parent().unwrap()).unwrap();
        std::fs::write(&path, format!("{json}\n")).unwrap();
    }
    let golden = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{path}: {e} (run with MERIDIAN_BLESS=1 to create it)"));
    assert_eq!(json, golden.trim_end(), "{name} differs from {path}");
}

#[test]
fn every_preset_matches_its_golden_report() {
    for p in PRESETS {
        let model = Scenario::preset(p.name).unwrap().validate().unwrap();
        let mut sim = Simulation::new(model);
        sim.run();
        check_golden(
            p.name,
            &serde_json::to_string_pretty(&sim.report()).unwrap(),
        );
    }
}

/// The bars the page draws are pinned too, for one preset: the report with its histograms, as
/// `meridian run aws8-single-leader --json --histograms` prints it and the browser test checks.
#[test]
fn a_report_with_histograms_matches_its_golden_file() {
    let model = Scenario::preset("aws8-single-leader")
        .unwrap()
        .validate()
        .unwrap();
    let mut sim = Simulation::new(model);
    sim.run();
    check_golden(
        "aws8-single-leader.histograms",
        &serde_json::to_string_pretty(&sim.report_with_histograms()).unwrap(),
    );
}

/// The configuration the PBS golden reports (and the browser's copy of this check) use.
fn pbs_golden_config(preset: Preset) -> PbsConfig {
    PbsConfig {
        trials: 20_000,
        ..PbsConfig::preset(preset, 3, 1, 1)
    }
}

#[test]
fn every_pbs_preset_matches_its_golden_report() {
    for preset in Preset::ALL {
        let report = pbs_golden_config(preset).run().unwrap();
        check_golden(
            &format!("pbs-{}", preset.name()),
            &serde_json::to_string_pretty(&report).unwrap(),
        );
    }
}

#[test]
fn a_run_is_a_pure_function_of_scenario_and_seed() {
    let s = Scenario::preset("sg-us-multi-leader").unwrap();
    let run = |seed: u64| {
        let mut s = s.clone();
        s.seed = seed;
        let mut sim = Simulation::new(s.validate().unwrap());
        sim.run();
        sim.report()
    };
    assert_eq!(run(5), run(5));
    assert_ne!(run(5), run(6));
}
