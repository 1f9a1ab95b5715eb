//! [`use_run`]: the one way the page runs simulations.
//!
//! A run is started with [`Runner::start`] and then driven by a task of its own: it steps the
//! job for a few milliseconds ([`crate::run::run_for`]), reports progress, and yields to the
//! browser with a zero-delay timer before the next slice, so that no simulation holds the page
//! for long whatever its size. Events go to the caller's callback, typically mapped onto its
//! reducer's actions. Starting a run cancels the one before it: an older run stops at its next
//! slice and reports nothing more, so a burst of edits costs one slice per superseded run.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use yew::prelude::*;

use crate::run::{RunJob, run_for};

/// Identifies one run; later runs have larger ids.
pub type RunId = u64;

/// Where a view's current run stands, as its state keeps it.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum RunStatus {
    /// No run is going on.
    #[default]
    Idle,
    /// Run `run` is going on and has done `done` (0 to 1) of its work.
    Running {
        /// The run.
        run: RunId,
        /// Share done.
        done: f64,
    },
    /// The last run failed or could not start.
    Failed {
        /// Why.
        message: String,
    },
}

/// What a run reports, in this order: `Started`, any number of `Progress`, then `Finished` or
/// `Failed` (unless cancelled, after which it reports nothing).
#[derive(Debug, PartialEq)]
pub enum RunEvent<T> {
    /// The run was accepted and will be stepped.
    Started {
        /// The run.
        run: RunId,
    },
    /// Some of the work has been done.
    Progress {
        /// The run.
        run: RunId,
        /// Share of the work done, 0 to 1.
        done: f64,
    },
    /// The run completed.
    Finished {
        /// The run.
        run: RunId,
        /// Its result.
        output: Rc<T>,
    },
    /// The job could not be started (for example its parameters were refused).
    Failed {
        /// The run.
        run: RunId,
        /// Why, in words for the page.
        message: String,
    },
}

// Not derived: a finished run's output is shared, so `T` need not be `Clone`.
impl<T> Clone for RunEvent<T> {
    fn clone(&self) -> Self {
        match self {
            RunEvent::Started { run } => RunEvent::Started { run: *run },
            RunEvent::Progress { run, done } => RunEvent::Progress {
                run: *run,
                done: *done,
            },
            RunEvent::Finished { run, output } => RunEvent::Finished {
                run: *run,
                output: output.clone(),
            },
            RunEvent::Failed { run, message } => RunEvent::Failed {
                run: *run,
                message: message.clone(),
            },
        }
    }
}

impl<T> RunEvent<T> {
    /// The run the event belongs to.
    pub fn run(&self) -> RunId {
        match self {
            RunEvent::Started { run }
            | RunEvent::Progress { run, .. }
            | RunEvent::Finished { run, .. }
            | RunEvent::Failed { run, .. } => *run,
        }
    }
}

/// Milliseconds of work per slice before yielding to the browser: well under a 16 ms frame.
pub const SLICE_MS: f64 = 8.0;

/// Smallest change of progress worth an event (the page re-renders on each).
const PROGRESS_STEP: f64 = 0.01;

/// Starts and cancels runs. Clones share the same runs, so a newer run started through any
/// clone cancels an older one started through another.
#[derive(Debug, Clone, Default)]
pub struct Runner {
    /// The id of the run allowed to continue; every other run stops at its next slice.
    current: Rc<Cell<RunId>>,
}

impl PartialEq for Runner {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.current, &other.current)
    }
}

impl Runner {
    /// Starts `job` (or reports why it cannot start) and cancels any earlier run. Events go to
    /// `on_event`: `Started` at once, the rest from the run's task. Returns the new run's id.
    pub fn start<J: RunJob>(
        &self,
        job: Result<J, String>,
        on_event: Callback<RunEvent<J::Output>>,
    ) -> RunId {
        let run = self.current.get().wrapping_add(1);
        self.current.set(run);
        on_event.emit(RunEvent::Started { run });
        match job {
            Ok(job) => yew::platform::spawn_local(drive(job, run, self.current.clone(), on_event)),
            Err(message) => on_event.emit(RunEvent::Failed { run, message }),
        }
        run
    }

    /// Cancels the current run, if any: it stops at its next slice and reports nothing more.
    pub fn cancel(&self) {
        self.current.set(self.current.get().wrapping_add(1));
    }

    /// Whether `run` is the latest run and has not been cancelled.
    pub fn is_current(&self, run: RunId) -> bool {
        self.current.get() == run
    }
}

/// The browser's millisecond clock. Without one, every reading advances a millisecond, so a
/// slice is still a handful of steps rather than the whole job.
fn clock() -> impl FnMut() -> f64 {
    let performance = web_sys::window().and_then(|w| w.performance());
    let mut ticks = 0.0;
    move || match &performance {
        Some(p) => p.now(),
        None => {
            ticks += 1.0;
            ticks
        }
    }
}

/// Steps `job` slice by slice, yielding between slices, until it finishes or `current` moves on.
async fn drive<J: RunJob>(
    mut job: J,
    run: RunId,
    current: Rc<Cell<RunId>>,
    on_event: Callback<RunEvent<J::Output>>,
) {
    let mut now = clock();
    let mut reported = 0.0;
    loop {
        if current.get() != run {
            return;
        }
        if run_for(&mut job, &mut now, SLICE_MS) {
            on_event.emit(RunEvent::Finished {
                run,
                output: Rc::new(job.output()),
            });
            return;
        }
        let done = job.progress();
        if done - reported >= PROGRESS_STEP {
            reported = done;
            on_event.emit(RunEvent::Progress { run, done });
        }
        // Let the browser paint and handle input before the next slice.
        yew::platform::time::sleep(Duration::ZERO).await;
    }
}

/// A [`Runner`] for this component. Its runs are cancelled when the component goes away.
#[hook]
pub fn use_run() -> Runner {
    let runner = (*use_memo((), |_| Runner::default())).clone();
    {
        let runner = runner.clone();
        use_effect_with((), move |_| move || runner.cancel());
    }
    runner
}
