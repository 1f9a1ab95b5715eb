//! The JS API's tests (`api/mod.rs`) in Node: `wasm-pack test --node`.
#![cfg(target_arch = "wasm32")]

mod api;
