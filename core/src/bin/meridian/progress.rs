//! A progress bar that appears only when a run has already taken more than a second, and only on
//! a terminal.

use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

/// Delay before a bar appears; quicker runs print nothing extra.
const SHOW_AFTER: Duration = Duration::from_secs(1);

/// Tracks a long loop and shows a bar on standard error once it is slow enough to need one.
pub(crate) struct LazyProgress {
    started: Instant,
    total: u64,
    unit: &'static str,
    bar: Option<ProgressBar>,
}

impl LazyProgress {
    pub(crate) fn new(total: u64, unit: &'static str) -> Self {
        LazyProgress {
            started: Instant::now(),
            total,
            unit,
            bar: None,
        }
    }

    /// Reports that `done` of the total units are complete.
    pub(crate) fn update(&mut self, done: u64) {
        if self.bar.is_none() && self.started.elapsed() >= SHOW_AFTER {
            let bar = ProgressBar::new(self.total);
            let template = format!(
                "{{elapsed_precise}} [{{bar:40}}] {{human_pos}}/{{human_len}} {} ({{per_sec}}, eta {{eta}})",
                self.unit
            );
            if let Ok(style) = ProgressStyle::with_template(&template) {
                bar.set_style(style.progress_chars("=> "));
            }
            self.bar = Some(bar);
        }
        if let Some(bar) = &self.bar {
            bar.set_position(done);
        }
    }

    pub(crate) fn finish(self) {
        if let Some(bar) = self.bar {
            bar.finish_and_clear();
        }
    }
}
