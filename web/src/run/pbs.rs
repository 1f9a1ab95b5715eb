//! [`PbsJob`]: a Probabilistically Bounded Staleness Monte Carlo ([`PbsRun`]) as a [`RunJob`].

use meridian_core::error::FieldError;
use meridian_core::pbs::{PbsConfig, PbsReport, PbsRun};

use super::RunJob;

/// A PBS run stepped a batch of trials at a time. The output is the report over the trials run
/// so far.
#[derive(Debug)]
pub struct PbsJob {
    run: PbsRun,
}

impl PbsJob {
    /// Trials per slice.
    pub const TRIALS_PER_STEP: u64 = 8192;

    /// Validates `config` and prepares the run.
    pub fn new(config: PbsConfig) -> Result<Self, FieldError> {
        Ok(PbsJob {
            run: PbsRun::new(config)?,
        })
    }
}

impl RunJob for PbsJob {
    type Output = PbsReport;

    fn step(&mut self) {
        self.run.step(Self::TRIALS_PER_STEP);
    }

    fn progress(&self) -> f64 {
        let total = self.run.trials_total();
        if total == 0 {
            1.0
        } else {
            self.run.trials_done() as f64 / total as f64
        }
    }

    fn is_finished(&self) -> bool {
        self.run.is_finished()
    }

    fn output(&self) -> PbsReport {
        self.run.report()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use meridian_core::pbs::Preset;

    #[test]
    fn stepped_run_equals_a_whole_run() {
        let config = PbsConfig {
            trials: 20_000,
            ..PbsConfig::preset(Preset::LnkdDisk, 3, 1, 1)
        };
        let mut job = PbsJob::new(config.clone()).unwrap();
        while !job.is_finished() {
            job.step();
        }
        assert_eq!(job.progress(), 1.0);
        assert_eq!(job.output(), config.run().unwrap());
    }
}
