//! The scenario parser and validator on TOML text: `Scenario::from_toml` (the CLI's reader, with
//! field paths), `Scenario::from_toml_spanned` (the page's reader, with byte ranges) and
//! `validate()` must never panic, whatever the text. Beyond that it checks that the two readers
//! agree on what parses, that a spanned error's range lies inside the text (the page slices the
//! text with it), and that a document which validates still validates after being written back
//! as TOML (the page's editor and the Drill view write documents out and read them again).
#![no_main]

use libfuzzer_sys::fuzz_target;
use meridian_core::scenario::Scenario;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let full = Scenario::from_toml(text);
    let spanned = Scenario::from_toml_spanned(text);
    assert_eq!(
        full.is_ok(),
        spanned.is_ok(),
        "the two TOML readers disagree: {full:?} / {spanned:?}"
    );
    if let Err(e) = &spanned
        && let Some(span) = &e.span
    {
        assert!(
            span.start <= span.end && span.end <= text.len(),
            "span {span:?} outside a text of {} bytes",
            text.len()
        );
    }
    let Ok(scenario) = full else {
        return;
    };
    if scenario.validate().is_ok() {
        let written = toml::to_string(&scenario).expect("a validated scenario writes as TOML");
        let again = Scenario::from_toml(&written)
            .unwrap_or_else(|e| panic!("written TOML does not read back: {e}\n{written}"));
        if let Err(e) = again.validate() {
            panic!("written TOML no longer validates: {e}\n{written}");
        }
    }
});
