//! # meridian-web
//!
//! Meridian's browser visualizer, a Yew app built by Trunk into a static site. It is view code
//! over `meridian-core`: every figure it shows comes from a simulation run in the page.
//!
//! * [`views`]: the page's views and the [`views::View`] enum that picks one (part of the page
//!   address); each view owns its state, its address parameters and its labels.
//! * [`url_state`]: the page's state as a URL query, so a link reproduces a view.
//! * [`deck`]: presentation decks (slides that are views with their state), the built-in ones
//!   and the page's stage (the view shown, the deck, presentation mode).
//! * [`run`]: simulation jobs (Kata 86, the general engine, PBS) that run in slices.
//! * [`hooks`]: [`hooks::use_run()`], which runs jobs without freezing the page, with progress and
//!   cancellation.
//! * [`charts`]: core's chart drawing ([`meridian_core::charts`], feature `charts`), re-exported:
//!   the page draws every chart through it, as `meridian --svg` does, so both give the same SVG.
//! * [`geo`]: latitude and longitude onto a map fitted to the points.
//! * [`world`]: the world map's projection (Equal Earth), land outline and label placement.
//! * [`mod@format`]: numbers and durations as the page writes them.
//! * [`timing`]: the page's timing harness (warm-up, then samples), used by the benchmark panel.
//! * [`components`]: the page's parts.

#![forbid(unsafe_code)]
#![warn(missing_docs, missing_debug_implementations)]

pub use meridian_core::charts;
pub mod components;
pub mod deck;
pub mod format;
pub mod geo;
pub mod hooks;
pub mod run;
pub mod timing;
pub mod url_state;
pub mod views;
pub mod world;

pub use components::app::App;
