//! The page's timing harness: runs a piece of work repeatedly against a millisecond clock, first to
//! warm up and then to take samples, and summarises the samples.
//!
//! Warming up matters in the browser. Chromium first runs WebAssembly through a fast baseline
//! compiler and swaps in optimised code only once a function has proved hot, so the first tens of
//! milliseconds of a run can be twice as slow as the rest. Native benchmarks (criterion) warm up
//! for the same reason; measuring the page the same way keeps the two comparable.

/// How long to warm up and how much to sample.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TimingPlan {
    /// Keep running, unmeasured, until this much time has passed (at least one run).
    pub warmup_ms: f64,
    /// Take at least this many samples...
    pub min_samples: usize,
    /// ...and keep sampling until this much time has been spent on samples...
    pub sample_budget_ms: f64,
    /// ...but never take more than this many.
    pub max_samples: usize,
}

impl TimingPlan {
    /// What the page's benchmark uses: two seconds of warm-up, then at least five samples and at
    /// least a second of them. Chromium 156 on a 2-core machine needed more than one second of
    /// warm-up before the engine ran at full speed.
    pub const PAGE: TimingPlan = TimingPlan {
        warmup_ms: 2000.0,
        min_samples: 5,
        sample_budget_ms: 1000.0,
        max_samples: 500,
    };
}

/// The summary of a timed piece of work.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Timing {
    /// How many samples were taken after warming up.
    pub samples: usize,
    /// The fastest sample, in milliseconds.
    pub best_ms: f64,
    /// The median sample, in milliseconds.
    pub median_ms: f64,
}

/// Warms up and then samples `work` as `plan` says, reading time from `clock` (milliseconds).
/// Returns the timing and the result of the last run.
pub fn measure<T>(
    plan: TimingPlan,
    mut clock: impl FnMut() -> f64,
    mut work: impl FnMut() -> T,
) -> (Timing, T) {
    let warmup_start = clock();
    let mut last = work();
    while clock() - warmup_start < plan.warmup_ms {
        last = work();
    }

    let max_samples = plan.max_samples.max(plan.min_samples).max(1);
    let mut samples = Vec::with_capacity(plan.min_samples.max(1));
    let mut spent = 0.0;
    while samples.len() < max_samples
        && (samples.len() < plan.min_samples.max(1) || spent < plan.sample_budget_ms)
    {
        let start = clock();
        last = work();
        let elapsed = (clock() - start).max(0.0);
        spent += elapsed;
        samples.push(elapsed);
    }
    (summarise(&mut samples), last)
}

/// Best and median of a non-empty set of samples (sorted in place).
fn summarise(samples: &mut [f64]) -> Timing {
    samples.sort_by(f64::total_cmp);
    let n = samples.len();
    let median_ms = if n % 2 == 1 {
        samples[n / 2]
    } else {
        (samples[n / 2 - 1] + samples[n / 2]) / 2.0
    };
    Timing {
        samples: n,
        best_ms: samples[0],
        median_ms,
    }
}

/// Units of work per second, from a count and a duration in milliseconds. A duration below the
/// clock's resolution counts as a microsecond rather than dividing by zero.
pub fn per_second(units: u64, ms: f64) -> f64 {
    units as f64 / (ms.max(0.001) / 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    /// Runs `measure` with a fake clock that only moves when work runs: run `i` takes
    /// `steps[i]` milliseconds (the last step repeats). The work returns its run index.
    fn measure_fake(plan: TimingPlan, steps: &[f64]) -> (Timing, usize) {
        let now = Cell::new(0.0);
        let mut runs = 0;
        measure(
            plan,
            || now.get(),
            || {
                now.set(now.get() + steps[runs.min(steps.len() - 1)]);
                runs += 1;
                runs - 1
            },
        )
    }

    #[test]
    fn warm_up_runs_are_not_sampled() {
        // Three slow runs of 200 ms fill the 500 ms warm-up; the fast ones that follow are sampled.
        let plan = TimingPlan {
            warmup_ms: 500.0,
            min_samples: 5,
            sample_budget_ms: 50.0,
            max_samples: 100,
        };
        let (t, last) = measure_fake(plan, &[200.0, 200.0, 200.0, 10.0]);
        assert_eq!(t.samples, 5);
        assert_eq!(t.best_ms, 10.0);
        assert_eq!(t.median_ms, 10.0);
        assert_eq!(last, 7);
    }

    #[test]
    fn sampling_continues_until_the_budget_is_spent_and_stops_at_the_cap() {
        let plan = TimingPlan {
            warmup_ms: 0.0,
            min_samples: 2,
            sample_budget_ms: 30.0,
            max_samples: 100,
        };
        assert_eq!(measure_fake(plan, &[1.0]).0.samples, 30);
        let capped = TimingPlan {
            max_samples: 10,
            ..plan
        };
        assert_eq!(measure_fake(capped, &[1.0]).0.samples, 10);
    }

    #[test]
    fn median_of_an_even_count_averages_the_middle_pair() {
        let mut s = [4.0, 1.0, 3.0, 2.0];
        let t = summarise(&mut s);
        assert_eq!((t.best_ms, t.median_ms, t.samples), (1.0, 2.5, 4));
    }

    #[test]
    fn rates_never_divide_by_zero() {
        assert_eq!(per_second(1000, 500.0), 2000.0);
        assert!(per_second(1000, 0.0).is_finite());
    }
}
