//! The page's parts. Each takes plain props built from core's types and the view's state; none
//! runs a simulation on the render path. [`bench_panel`] times core on demand; the views'
//! simulations go through [`crate::hooks::use_run()`].

pub mod app;
pub mod bench_panel;
pub mod chart_export;
pub mod controls;
pub mod copy_link;
pub mod deck_panel;
pub mod export_links;
pub mod field_value;
pub mod histogram_chart;
pub mod map_export;
pub mod presenter;
pub mod region_map;
pub mod slo_table;
pub mod summary;
pub mod text_field;
pub mod world_map;
