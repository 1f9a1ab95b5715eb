//! Runs meridian-core's merge walkthroughs (the real resolvers and CRDTs) natively while the page
//! is built, and writes them as JSON for the page to embed (`views::conflicts::recorded`). The
//! page then needs neither the resolvers nor the CRDTs in its wasm, which saves about a tenth of
//! the download; a browser test checks the embedded runs equal core's own.

use std::path::PathBuf;

use meridian_core::walkthrough::{EXAMPLES, walkthrough};

fn main() {
    let runs: Vec<_> = EXAMPLES
        .iter()
        .map(|e| {
            walkthrough(e.name).unwrap_or_else(|| panic!("core lists {} but cannot run it", e.name))
        })
        .collect();
    let json = serde_json::to_string(&runs).expect("walkthroughs serialise");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out.join("walkthroughs.json"), json).expect("OUT_DIR is writable");
    println!("cargo:rerun-if-changed=../core/src");
    println!("cargo:rerun-if-changed=build.rs");
}
