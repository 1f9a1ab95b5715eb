//! Shared by the native conformance tests (`core/tests/kata86_conformance.rs`) and the browser
//! tests (`web/tests/browser.rs`): the recorded reference cases and the golden report's setting,
//! so both check exactly the same things.

// Each including test crate uses a different part of this file.
#![allow(dead_code)]

use meridian_core::kata86::{Kata86Params, ReadStrategy, Region, SimResult};
use serde::Deserialize;

/// One line per case, recorded from the exercise's reference TypeScript simulation by
/// `scripts/kata86-reference.sh record`.
pub const REFERENCE_CASES: &str = include_str!("../fixtures/kata86_reference.jsonl");

/// The full report of [`golden_params`], serialised as JSON.
pub const GOLDEN_REPORT: &str = include_str!("../fixtures/kata86_report_us_fallback_seed2024.json");

/// One recorded case.
#[derive(Debug, Deserialize)]
pub struct ReferenceCase {
    pub iterations: u64,
    pub seed: u64,
    pub client: Region,
    pub strategy: ReadStrategy,
    pub leader: Region,
    pub result: SimResult,
}

impl ReferenceCase {
    /// The parameters that reproduce this case.
    pub fn params(&self) -> Kata86Params {
        Kata86Params {
            iterations: self.iterations,
            seed: self.seed,
            client: self.client,
            strategy: self.strategy,
            leader: self.leader,
            ..Kata86Params::default()
        }
    }
}

/// Every recorded case, with its 1-based line number.
pub fn reference_cases() -> impl Iterator<Item = (usize, ReferenceCase)> {
    REFERENCE_CASES.lines().enumerate().map(|(i, line)| {
        let case = serde_json::from_str(line)
            .unwrap_or_else(|e| panic!("reference fixture line {}: {e}", i + 1));
        (i + 1, case)
    })
}

/// The setting whose full report is pinned in [`GOLDEN_REPORT`].
pub fn golden_params() -> Kata86Params {
    Kata86Params {
        iterations: 200_000,
        client: Region::Us,
        leader: Region::Sg,
        strategy: ReadStrategy::LocalThenLeaderIfStale,
        seed: 2024,
        ..Kata86Params::default()
    }
}
