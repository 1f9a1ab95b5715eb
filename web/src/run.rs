//! Simulation work the page runs without freezing: a [`RunJob`] does its work in small slices,
//! and [`crate::hooks::use_run()`] runs slices for a few milliseconds at a time, yielding to the
//! browser in between so the page keeps painting and answering input.
//!
//! How the work is cut into slices never changes a result: each model's stepping API gives the
//! same report, bit for bit, however its work is split (Kata 86's [`Kata86Run::step`], the
//! engine's [`Simulation::step`], PBS's [`PbsRun::step`]).
//!
//! [`Kata86Run::step`]: meridian_core::kata86::Kata86Run::step
//! [`Simulation::step`]: meridian_core::sim::Simulation::step
//! [`PbsRun::step`]: meridian_core::pbs::PbsRun::step

pub mod engine;
pub mod kata86;
pub mod pbs;
pub mod recovery;
pub mod sweep;

/// A simulation the page runs in slices.
pub trait RunJob: 'static {
    /// What the finished job gives.
    type Output: 'static;

    /// Does one slice of the remaining work: small enough to take about a millisecond, so that
    /// the caller can stop soon after its time budget. Does nothing once finished.
    fn step(&mut self);

    /// Share of the work done so far, from 0 to 1.
    fn progress(&self) -> f64;

    /// Whether all the work has been done.
    fn is_finished(&self) -> bool;

    /// The result of the work done so far (the final result once [`Self::is_finished`]).
    fn output(&self) -> Self::Output;
}

/// Steps `job` until it finishes or `budget_ms` have passed on `clock` (milliseconds), running at
/// least one slice. Returns whether the job is finished.
pub fn run_for<J: RunJob + ?Sized>(
    job: &mut J,
    mut clock: impl FnMut() -> f64,
    budget_ms: f64,
) -> bool {
    let start = clock();
    loop {
        if job.is_finished() {
            return true;
        }
        job.step();
        if clock() - start >= budget_ms {
            return job.is_finished();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    /// Counts to `total`, one per slice.
    struct Counter {
        done: u32,
        total: u32,
    }

    impl RunJob for Counter {
        type Output = u32;
        fn step(&mut self) {
            self.done = (self.done + 1).min(self.total);
        }
        fn progress(&self) -> f64 {
            f64::from(self.done) / f64::from(self.total.max(1))
        }
        fn is_finished(&self) -> bool {
            self.done >= self.total
        }
        fn output(&self) -> u32 {
            self.done
        }
    }

    #[test]
    fn slices_run_until_the_budget_is_spent_then_the_job_resumes() {
        let now = Cell::new(0.0);
        let clock = || {
            now.set(now.get() + 1.0); // every reading of the clock is a millisecond later
            now.get()
        };
        let mut job = Counter { done: 0, total: 10 };
        assert!(!run_for(&mut job, clock, 4.0));
        assert_eq!(job.done, 4);
        assert_eq!(job.progress(), 0.4);
        assert!(run_for(&mut job, clock, 100.0));
        assert_eq!(job.output(), 10);
    }

    #[test]
    fn a_finished_job_runs_no_more_slices() {
        let mut job = Counter { done: 3, total: 3 };
        assert!(run_for(&mut job, || 0.0, 0.0));
        assert_eq!(job.done, 3);
    }
}
