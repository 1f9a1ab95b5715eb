//! The WebAssembly sample of the fault sweeps: generated fault schedules run in the browser give
//! exactly the reports they give natively (the digests committed in
//! `tests/fixtures/chaos-digests.txt`, checked current by core's native test
//! `the_committed_report_digests_are_current`), and keep every invariant.

use meridian_core::chaos;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// `<seed> <digest in hex>` per line, written by the native test.
const DIGESTS: &str = include_str!("../../tests/fixtures/chaos-digests.txt");

#[wasm_bindgen_test]
fn generated_schedules_give_the_native_reports_in_the_browser() {
    let mut checked = 0;
    for line in DIGESTS.lines() {
        let (seed, digest) = line.split_once(' ').expect("<seed> <digest>");
        let seed: u64 = seed.parse().unwrap();
        let native = u64::from_str_radix(digest, 16).unwrap();
        let outcome = chaos::run_schedule(seed);
        assert_eq!(
            outcome.digest, native,
            "seed {seed}: the browser's report differs"
        );
        assert!(
            outcome.violations.is_empty(),
            "seed {seed}: {:?}",
            outcome.violations
        );
        checked += 1;
    }
    assert_eq!(checked, 20);
}
