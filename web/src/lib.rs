//! # meridian-web
//!
//! Meridian's browser visualizer, a Yew app built by Trunk into a static site. It is view code
//! over `meridian-core`: every figure it shows comes from a simulation run in the page.
//!
//! * [`state`]: the page's model (a reducer over [`state::Action`]s); validates form input and
//!   keeps the last good results when input is invalid.
//! * [`url_state`]: the run's parameters as a URL query, so a link reproduces a view.
//! * [`charts`]: histograms drawn with plotters, generic over the backend (SVG here and in tests).
//! * [`timing`]: the page's timing harness (warm-up, then samples), used by the benchmark panel.
//! * [`components`]: the page's parts.

#![forbid(unsafe_code)]
#![warn(missing_docs, missing_debug_implementations)]

pub mod charts;
pub mod components;
pub mod state;
pub mod timing;
pub mod url_state;

pub use components::app::App;
