//! The recovery model (`meridian recovery`): `RecoveryScenario::from_toml` and `validate()` must
//! never panic, and a document that validates, shrunk to a small budget
//! (`meridian_fuzz::shrink_recovery`: a few hundred orders, a short drain), must run to the end
//! without a panic or an arithmetic overflow.
#![no_main]

use libfuzzer_sys::fuzz_target;
use meridian_core::reliability::{RecoveryScenario, run};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(mut scenario) = RecoveryScenario::from_toml(text) else {
        return;
    };
    if scenario.validate().is_err() {
        return;
    }
    meridian_fuzz::shrink_recovery(&mut scenario);
    if scenario.validate().is_ok() {
        let _ = run(&scenario);
    }
});
