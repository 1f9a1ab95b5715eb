//! The page's own Yew hooks.
//!
//! * [`use_run()`]: runs simulation jobs ([`crate::run::RunJob`]) in slices off the render path
//!   and reports started / progress / finished / failed events; a newer run cancels an older one.
//! * [`use_address()`]: the page address follows a view's valid settings.

pub mod use_address;
pub mod use_run;

pub use use_address::use_address;
pub use use_run::{RunEvent, RunId, RunStatus, Runner, use_run};
