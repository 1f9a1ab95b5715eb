//! The command-line fault grammar (`meridian run --fault 'region-down SG at 10s for 30s'`):
//! `FaultSpec::parse` must never panic, and a fault it accepts must serialise (the CLI writes the
//! schedule into the report) and read back as the same fault.
#![no_main]

use libfuzzer_sys::fuzz_target;
use meridian_core::scenario::FaultSpec;

fuzz_target!(|data: &[u8]| {
    let Ok(line) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(fault) = FaultSpec::parse(line) else {
        return;
    };
    // TOML, as in a scenario's [[faults]]; its float reading is exact, so the fault must come
    // back equal.
    let text = toml::to_string(&fault).expect("a parsed fault serialises");
    let back: FaultSpec = toml::from_str(&text)
        .unwrap_or_else(|e| panic!("a parsed fault does not read back: {e}\n{text}"));
    assert_eq!(back, fault, "{text}");
});
