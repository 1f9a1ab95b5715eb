//! The Recovery view's jobs: [`RecoveryJob`], one run of a recovery scenario
//! ([`meridian_core::reliability::run`], about 10 to 30 ms natively, so a single slice), and
//! [`TableJob`], seed 003's table ([`recovery_table`]'s runs) one seed-run per slice, so the
//! page stays responsive while hundreds of runs go by.
//!
//! [`recovery_table`]: meridian_core::reliability::sweep::recovery_table

use meridian_core::error::FieldError;
use meridian_core::reliability::sweep::{ESTIMATES, RecoveryRow, RowBuilder, table_run};
use meridian_core::reliability::{RecoveryReport, RecoveryScenario, run};

use super::RunJob;

/// One recovery run, done in its first slice.
#[derive(Debug)]
pub struct RecoveryJob {
    scenario: RecoveryScenario,
    result: Option<Result<RecoveryReport, String>>,
}

impl RecoveryJob {
    /// Validates `scenario` and prepares its run.
    pub fn new(scenario: RecoveryScenario) -> Result<Self, FieldError> {
        scenario.validate()?;
        Ok(RecoveryJob {
            scenario,
            result: None,
        })
    }
}

impl RunJob for RecoveryJob {
    type Output = Result<RecoveryReport, String>;

    fn step(&mut self) {
        if self.result.is_none() {
            self.result = Some(run(&self.scenario).map_err(|e| e.to_string()));
        }
    }

    fn progress(&self) -> f64 {
        if self.result.is_some() { 1.0 } else { 0.0 }
    }

    fn is_finished(&self) -> bool {
        self.result.is_some()
    }

    fn output(&self) -> Self::Output {
        self.result
            .clone()
            .unwrap_or_else(|| Err("the run has not been made yet".to_string()))
    }
}

/// What the table job gives: the rows finished so far, or why a run failed.
#[derive(Debug, Clone, PartialEq)]
pub struct TableOutput {
    /// Rows, in [`ESTIMATES`] order, each length in turn.
    pub rows: Vec<RecoveryRow>,
    /// Seeds per row.
    pub seeds: u32,
    /// A run the scenario refused.
    pub error: Option<String>,
}

/// Seed 003's table: every failure type of [`ESTIMATES`] down for each outage length, for
/// seeds `1..=seeds`, one run per slice. Gives the same rows as [`recovery_table`] (a test
/// checks it).
///
/// [`recovery_table`]: meridian_core::reliability::sweep::recovery_table
#[derive(Debug)]
pub struct TableJob {
    base: RecoveryScenario,
    durations_s: Vec<f64>,
    seeds: u32,
    /// Runs done.
    done: u64,
    row: Option<RowBuilder>,
    rows: Vec<RecoveryRow>,
    error: Option<String>,
}

impl TableJob {
    /// Most seeds per row the page runs.
    pub const MAX_SEEDS: u32 = 50;

    /// Prepares the table of `base` for `durations_s` and `seeds` (1 to [`Self::MAX_SEEDS`]).
    pub fn new(base: RecoveryScenario, durations_s: Vec<f64>, seeds: u32) -> Result<Self, String> {
        if !(1..=Self::MAX_SEEDS).contains(&seeds) {
            return Err(format!(
                "seeds: {seeds} is not from 1 to {}",
                Self::MAX_SEEDS
            ));
        }
        base.validate().map_err(|e| e.to_string())?;
        Ok(TableJob {
            base,
            durations_s,
            seeds,
            done: 0,
            row: None,
            rows: Vec::new(),
            error: None,
        })
    }

    fn total(&self) -> u64 {
        (ESTIMATES.len() * self.durations_s.len()) as u64 * u64::from(self.seeds)
    }
}

impl RunJob for TableJob {
    type Output = TableOutput;

    fn step(&mut self) {
        if self.is_finished() {
            return;
        }
        let per_row = u64::from(self.seeds);
        let row_index = (self.done / per_row) as usize;
        let seed = self.done % per_row + 1;
        let (Some(estimate), Some(&outage_s)) = (
            ESTIMATES.get(row_index / self.durations_s.len().max(1)),
            self.durations_s
                .get(row_index % self.durations_s.len().max(1)),
        ) else {
            self.done = self.total();
            return;
        };
        let row = self
            .row
            .get_or_insert_with(|| RowBuilder::new(*estimate, outage_s));
        match run(&table_run(&self.base, estimate.service, outage_s, seed)) {
            Ok(report) => row.add(&report),
            Err(e) => {
                self.error = Some(e.to_string());
                return;
            }
        }
        self.done += 1;
        if seed == per_row
            && let Some(row) = self.row.take()
        {
            self.rows.push(row.finish());
        }
    }

    fn progress(&self) -> f64 {
        self.done as f64 / self.total().max(1) as f64
    }

    fn is_finished(&self) -> bool {
        self.error.is_some() || self.done >= self.total()
    }

    fn output(&self) -> TableOutput {
        TableOutput {
            rows: self.rows.clone(),
            seeds: self.seeds,
            error: self.error.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use meridian_core::reliability::presets::{order_flow, preset};
    use meridian_core::reliability::sweep::recovery_table;

    #[test]
    fn one_run_equals_a_direct_run() {
        let sc = preset("database-blip-20s").unwrap().scenario();
        let mut job = RecoveryJob::new(sc.clone()).unwrap();
        assert_eq!(job.progress(), 0.0);
        job.step();
        assert!(job.is_finished());
        assert_eq!(job.output(), Ok(run(&sc).unwrap()));
        let mut bad = sc;
        bad.outages[0].for_s = 0.0;
        assert!(
            RecoveryJob::new(bad)
                .unwrap_err()
                .to_string()
                .contains("for_s")
        );
    }

    #[test]
    fn the_table_a_run_per_slice_equals_the_whole_table() {
        let base = order_flow();
        let mut job = TableJob::new(base.clone(), vec![20.0], 2).unwrap();
        let mut slices = 0;
        while !job.is_finished() {
            job.step();
            slices += 1;
        }
        assert_eq!(slices, 8);
        let out = job.output();
        assert_eq!(out.error, None);
        assert_eq!(
            out.rows,
            recovery_table(&base, &[20.0], 2, |_, _| {}).unwrap()
        );
        assert!(TableJob::new(base.clone(), vec![20.0], 0).is_err());
        assert!(TableJob::new(base, vec![20.0], 51).is_err());
    }
}
