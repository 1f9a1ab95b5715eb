//! Runs meridian-core's merge walkthroughs (the real resolvers and CRDTs) natively while the page
//! is built, and writes them as JSON for the page to embed (`views::conflicts::recorded`). The
//! page then needs neither the resolvers nor the CRDTs in its wasm, which saves about a tenth of
//! the download; a browser test checks the embedded runs equal core's own.
//!
//! It also writes the maps' styles for their SVG and PNG downloads (`map-export.css`): the rules
//! of `www/style.css` that style the inside of the world map and the region map, with the light
//! theme's colours written in, so that a downloaded map looks as on the page without the page.

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
    let css = std::fs::read_to_string("../www/style.css").expect("www/style.css is readable");
    std::fs::write(out.join("map-export.css"), map_export_css(&css)).expect("OUT_DIR is writable");
    println!("cargo:rerun-if-changed=../www/style.css");
    println!("cargo:rerun-if-changed=../core/src");
    println!("cargo:rerun-if-changed=build.rs");
}

/// The rules of `css` (top level only: the dark theme and narrow-screen rules live in `@media`
/// blocks) that style what is inside a `.world-map` or `.region-map` drawing, without focus
/// styles, with each `var(--x)` replaced by the light theme's value from `:root`.
fn map_export_css(css: &str) -> String {
    let mut rules: Vec<(String, String)> = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    let mut selector = String::new();
    for (i, c) in css.char_indices() {
        match c {
            '{' => {
                if depth == 0 {
                    selector = css[start..i].trim().to_string();
                    start = i + 1;
                }
                depth += 1;
            }
            '}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    if !selector.starts_with('@') {
                        rules.push((selector.clone(), css[start..i].trim().to_string()));
                    }
                    start = i + 1;
                }
            }
            _ => {}
        }
    }
    let vars: Vec<(String, String)> = rules
        .iter()
        .filter(|(sel, _)| sel == ":root")
        .flat_map(|(_, body)| body.split(';'))
        .filter_map(|decl| {
            let (k, v) = decl.split_once(':')?;
            let k = k.trim();
            k.starts_with("--")
                .then(|| (k.to_string(), v.trim().to_string()))
        })
        .collect();
    let resolve = |body: &str| {
        let mut out = body.to_string();
        while let Some(at) = out.find("var(") {
            let end = out[at..].find(')').map(|e| at + e).expect("var( is closed");
            let name = out[at + 4..end]
                .split(',')
                .next()
                .unwrap_or("")
                .trim()
                .to_string();
            let value = vars
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.clone())
                .unwrap_or_else(|| panic!("style.css: {name} has no light value in :root"));
            out.replace_range(at..=end, &value);
        }
        out
    };
    let mut out = String::from("text { font-family: sans-serif; }\n");
    for (sel, body) in &rules {
        let inside = |s: &str| {
            let s = s.trim();
            (s.starts_with(".world-map ") || s.starts_with(".region-map "))
                && !s.contains(":focus")
                && !s.contains(".focused")
        };
        let kept: Vec<&str> = sel
            .split(',')
            .filter(|s| inside(s))
            .map(str::trim)
            .collect();
        if kept.is_empty() {
            continue;
        }
        out.push_str(&format!("{} {{ {} }}\n", kept.join(", "), resolve(body)));
    }
    out
}
