//! The page's own Yew hooks.
//!
//! * [`use_run()`]: runs simulation jobs ([`crate::run::RunJob`]) in slices off the render path
//!   and reports started / progress / finished / failed events; a newer run cancels an older one.

pub mod use_run;

pub use use_run::{RunEvent, RunId, RunStatus, Runner, use_run};
