//! `Simulation::new` and a whole run of any scenario that validates. The input is a scenario
//! document in TOML (the corpus starts from the presets, so libFuzzer mutates real documents);
//! a document that parses is shrunk to the fuzzing budget (`meridian_fuzz::shrink_scenario`: at
//! most a few hundred requests, few keys and sessions), validated, and run to the end. A panic,
//! an arithmetic overflow (the fuzz profile keeps overflow checks on) or a run that needs more
//! than `meridian_fuzz::MAX_EVENTS` events is a finding.
#![no_main]

use libfuzzer_sys::fuzz_target;
use meridian_core::scenario::Scenario;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(mut scenario) = Scenario::from_toml_spanned(text) else {
        return;
    };
    meridian_fuzz::shrink_scenario(&mut scenario);
    meridian_fuzz::run_engine(&scenario);
});
