//! The page's parts. Each takes plain props built from core's types and the page state; none runs
//! a simulation except [`bench_panel`], which times core on demand, and [`merge_walkthrough`],
//! which runs core's small conflict walkthroughs.

pub mod app;
pub mod bench_panel;
pub mod controls;
pub mod histogram_chart;
pub mod merge_walkthrough;
pub mod region_map;
pub mod slo_table;
pub mod summary;
