//! [`Kata86Job`]: one or more Kata 86 runs, one after the other, as a [`RunJob`].

use meridian_core::kata86::{Kata86Error, Kata86Params, Kata86Report, Kata86Run};

use super::RunJob;

/// Several Kata 86 runs stepped in turn; the output is one report per run, in the order given.
#[derive(Debug, Clone)]
pub struct Kata86Job {
    runs: Vec<Kata86Run>,
    /// Index of the run being stepped.
    current: usize,
    /// Iterations of all runs together.
    total: u64,
}

impl Kata86Job {
    /// Iterations per slice: about a millisecond and a half of WebAssembly.
    pub const ITERATIONS_PER_STEP: u64 = 1 << 16;

    /// Validates every run's parameters and prepares them.
    pub fn new(params: impl IntoIterator<Item = Kata86Params>) -> Result<Self, Kata86Error> {
        let runs = params
            .into_iter()
            .map(Kata86Run::new)
            .collect::<Result<Vec<_>, _>>()?;
        let total = runs.iter().map(|r| r.params().iterations).sum();
        Ok(Kata86Job {
            runs,
            current: 0,
            total,
        })
    }

    fn done(&self) -> u64 {
        self.runs.iter().map(Kata86Run::iterations_done).sum()
    }
}

impl RunJob for Kata86Job {
    type Output = Vec<Kata86Report>;

    fn step(&mut self) {
        while let Some(run) = self.runs.get_mut(self.current) {
            if run.is_finished() {
                self.current += 1;
                continue;
            }
            run.step(Self::ITERATIONS_PER_STEP);
            return;
        }
    }

    fn progress(&self) -> f64 {
        if self.total == 0 {
            1.0
        } else {
            self.done() as f64 / self.total as f64
        }
    }

    fn is_finished(&self) -> bool {
        self.runs.iter().all(Kata86Run::is_finished)
    }

    fn output(&self) -> Vec<Kata86Report> {
        self.runs.iter().map(Kata86Run::report).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use meridian_core::kata86::{ReadStrategy, Region};

    #[test]
    fn stepped_runs_equal_whole_runs_in_order() {
        let base = Kata86Params {
            iterations: 150_001,
            client: Region::Us,
            seed: 42,
            ..Kata86Params::default()
        };
        let params: Vec<Kata86Params> = ReadStrategy::ALL
            .into_iter()
            .map(|strategy| Kata86Params { strategy, ..base })
            .collect();
        let mut job = Kata86Job::new(params.clone()).unwrap();
        let mut slices = 0;
        let mut last = 0.0;
        while !job.is_finished() {
            job.step();
            slices += 1;
            assert!(job.progress() >= last && job.progress() <= 1.0);
            last = job.progress();
        }
        assert_eq!(slices, 3 * 3, "three slices of 65,536 per run");
        assert_eq!(job.progress(), 1.0);
        let whole: Vec<Kata86Report> = params.iter().map(|p| p.run().unwrap()).collect();
        assert_eq!(job.output(), whole);
    }

    #[test]
    fn invalid_parameters_are_refused_up_front() {
        let bad = Kata86Params {
            iterations: 0,
            ..Kata86Params::default()
        };
        assert!(Kata86Job::new([Kata86Params::default(), bad]).is_err());
        let empty = Kata86Job::new([]).unwrap();
        assert!(empty.is_finished());
        assert_eq!(empty.progress(), 1.0);
        assert!(empty.output().is_empty());
    }
}
