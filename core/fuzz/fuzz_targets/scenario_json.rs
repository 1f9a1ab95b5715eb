//! The scenario parser and validator on JSON text: `Scenario::from_json` then `validate()` must
//! never panic, and a document that validates must still validate after a JSON round trip.
#![no_main]

use libfuzzer_sys::fuzz_target;
use meridian_core::scenario::Scenario;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(scenario) = Scenario::from_json(text) else {
        return;
    };
    if scenario.validate().is_ok() {
        let written =
            serde_json::to_string(&scenario).expect("a validated scenario writes as JSON");
        let again = Scenario::from_json(&written)
            .unwrap_or_else(|e| panic!("written JSON does not read back: {e}\n{written}"));
        if let Err(e) = again.validate() {
            panic!("written JSON no longer validates: {e}\n{written}");
        }
    }
});
