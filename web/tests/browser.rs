//! Browser tests, run in headless Chromium by `wasm-bindgen-test`:
//! the Kata 86 model gives the same figures in WebAssembly as natively and as the exercise's
//! reference simulation, and the page's charts render. The page's own pieces are checked in
//! `browser_page.rs`.

#[path = "../../tests/support/kata86_fixture.rs"]
mod kata86_fixture;

use kata86_fixture::{GOLDEN_REPORT, golden_params, reference_cases};
use meridian_core::kata86::Kata86Params;
use meridian_web::charts::{HistogramSpec, LATENCY_COLOR, histogram_svg};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn kata86_in_the_browser_matches_the_reference_to_the_digit() {
    let mut checked = 0;
    for (line_no, case) in reference_cases() {
        let got = case.params().run().expect("valid parameters").summary;
        assert_eq!(got, case.result, "fixture line {line_no}: {case:?}");
        checked += 1;
    }
    assert!(checked >= 900);
}

#[wasm_bindgen_test]
fn full_report_is_identical_to_the_native_golden() {
    // The whole report, including histograms and means, serialised: meridian-core's native test
    // `full_report_matches_the_golden_file` pins the same file.
    let report = golden_params().run().expect("valid parameters");
    let json = serde_json::to_string(&report).expect("serialises");
    assert_eq!(json, GOLDEN_REPORT.trim_end());
}

#[wasm_bindgen_test]
fn histogram_renders_in_the_browser() {
    let report = Kata86Params::default().run().expect("valid parameters");
    let svg = histogram_svg(
        &HistogramSpec {
            title: "Read latency",
            x_label: "ms",
            count_label: "reads",
            bins: &report.read_bins(),
            markers: &[],
            color: LATENCY_COLOR,
        },
        400,
        240,
    )
    .expect("draws");
    assert!(svg.contains("<rect"));
    assert!(svg.contains("Read latency"));
}

/// The general engine gives byte-identical reports in the browser and natively: the native test
/// `golden::every_preset_matches_its_golden_report` pins these same files.
#[wasm_bindgen_test]
fn engine_presets_match_the_native_golden_reports() {
    use meridian_core::scenario::Scenario;
    use meridian_core::sim::Simulation;
    let goldens = [
        (
            "sg-us-wallet",
            include_str!("../../tests/fixtures/golden/sg-us-wallet.json"),
        ),
        (
            "sg-us-wallet-fallback",
            include_str!("../../tests/fixtures/golden/sg-us-wallet-fallback.json"),
        ),
        (
            "sg-us-multi-leader",
            include_str!("../../tests/fixtures/golden/sg-us-multi-leader.json"),
        ),
        (
            "aws8-single-leader",
            include_str!("../../tests/fixtures/golden/aws8-single-leader.json"),
        ),
        (
            "aws8-multi-leader",
            include_str!("../../tests/fixtures/golden/aws8-multi-leader.json"),
        ),
        (
            "quorum-r1w1",
            include_str!("../../tests/fixtures/golden/quorum-r1w1.json"),
        ),
        (
            "quorum-r2w2",
            include_str!("../../tests/fixtures/golden/quorum-r2w2.json"),
        ),
        (
            "wallet-multi-leader-lww",
            include_str!("../../tests/fixtures/golden/wallet-multi-leader-lww.json"),
        ),
        (
            "wallet-multi-leader-escrow",
            include_str!("../../tests/fixtures/golden/wallet-multi-leader-escrow.json"),
        ),
        // Runs with faults: the failure section (timeline, log, RTO, RPO) too.
        (
            "sg-down-reject",
            include_str!("../../tests/fixtures/golden/sg-down-reject.json"),
        ),
        (
            "sg-down-promote",
            include_str!("../../tests/fixtures/golden/sg-down-promote.json"),
        ),
        (
            "sg-us-partition",
            include_str!("../../tests/fixtures/golden/sg-us-partition.json"),
        ),
        (
            "clock-skew-lww",
            include_str!("../../tests/fixtures/golden/clock-skew-lww.json"),
        ),
        (
            "aws8-region-outage",
            include_str!("../../tests/fixtures/golden/aws8-region-outage.json"),
        ),
    ];
    assert_eq!(goldens.len(), meridian_core::scenario::PRESETS.len());
    for (name, golden) in goldens {
        let model = Scenario::preset(name)
            .expect("preset parses")
            .validate()
            .expect("preset is valid");
        let mut sim = Simulation::new(model);
        sim.run();
        let json = serde_json::to_string_pretty(&sim.report()).expect("serialises");
        assert_eq!(json, golden.trim_end(), "{name} differs in the browser");
    }
}

/// The bars the Scenario view draws are the native run's, bar for bar: the report with its
/// histograms equals `meridian run aws8-single-leader --json --histograms`
/// (`golden::a_report_with_histograms_matches_its_golden_file` pins the same file).
#[wasm_bindgen_test]
fn the_histograms_the_page_draws_match_the_native_golden_file() {
    use meridian_core::scenario::Scenario;
    use meridian_core::sim::Simulation;
    let model = Scenario::preset("aws8-single-leader")
        .unwrap()
        .validate()
        .unwrap();
    let mut sim = Simulation::new(model);
    sim.run();
    let json = serde_json::to_string_pretty(&sim.report_with_histograms()).unwrap();
    let golden = include_str!("../../tests/fixtures/golden/aws8-single-leader.histograms.json");
    assert_eq!(json, golden.trim_end());
}

/// The PBS Monte Carlo gives the same report in the browser as natively, for every WARS preset:
/// `golden::every_pbs_preset_matches_its_golden_report` pins these files with the same
/// configuration (N = 3, R = W = 1, 20,000 trials, seed 1).
#[wasm_bindgen_test]
fn pbs_presets_match_the_native_golden_reports() {
    use meridian_core::pbs::{PbsConfig, Preset};
    let goldens = [
        (
            Preset::LnkdSsd,
            include_str!("../../tests/fixtures/golden/pbs-lnkd-ssd.json"),
        ),
        (
            Preset::LnkdDisk,
            include_str!("../../tests/fixtures/golden/pbs-lnkd-disk.json"),
        ),
        (
            Preset::Ymmr,
            include_str!("../../tests/fixtures/golden/pbs-ymmr.json"),
        ),
        (
            Preset::Wan,
            include_str!("../../tests/fixtures/golden/pbs-wan.json"),
        ),
    ];
    for (preset, golden) in goldens {
        let config = PbsConfig {
            trials: 20_000,
            ..PbsConfig::preset(preset, 3, 1, 1)
        };
        let report = config.run().expect("valid configuration");
        let json = serde_json::to_string_pretty(&report).expect("serialises");
        assert_eq!(
            json,
            golden.trim_end(),
            "{} differs in the browser",
            preset.name()
        );
    }
}
