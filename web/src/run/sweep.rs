//! [`SweepJob`]: a parameter sweep ([`meridian_core::sweep`]) as a [`RunJob`]. Its runs go one
//! after the other in the jobs' order, each stepped a batch of events at a time like any engine
//! run, so a slice stays short however long one run is; the rows it gives are those of core's
//! [`run_job`](meridian_core::sweep::run_job) for the same jobs, and so the summaries are
//! `meridian sweep`'s (a test checks it).

use meridian_core::scenario::Scenario;
use meridian_core::sim::Simulation;
use meridian_core::sweep::{Job, Point, PointSummary, RunRow, SweepSpec, model_at, row, summarize};

use super::RunJob;

/// What a sweep gives: the summaries once every run is in, the runs done, and why a run was
/// refused, if one was.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepOutput {
    /// What was swept.
    pub spec: SweepSpec,
    /// Each point's summary over its seeds (empty until the last run is done).
    pub points: Vec<PointSummary>,
    /// Runs done.
    pub runs_done: usize,
    /// A point whose scenario core refused.
    pub error: Option<String>,
}

/// The runs of a sweep of `base`, one engine run at a time.
#[derive(Debug)]
pub struct SweepJob {
    base: Scenario,
    spec: SweepSpec,
    points: Vec<Point>,
    jobs: Vec<Job>,
    rows: Vec<RunRow>,
    /// The run in progress and its job's index.
    current: Option<(Simulation, usize)>,
    error: Option<String>,
}

impl SweepJob {
    /// Events per slice, as an engine run steps them.
    pub const EVENTS_PER_STEP: u32 = 4096;

    /// Prepares the runs of `spec` on `base` (its duration already set), at most `max_runs`.
    pub fn new(base: Scenario, spec: SweepSpec, max_runs: usize) -> Result<Self, String> {
        let jobs = spec.jobs()?;
        if jobs.len() > max_runs {
            return Err(format!(
                "{} runs; the page runs at most {max_runs}",
                jobs.len()
            ));
        }
        Ok(SweepJob {
            base,
            points: spec.points(),
            spec,
            jobs,
            rows: Vec::new(),
            current: None,
            error: None,
        })
    }

    /// Runs in the sweep.
    pub fn total(&self) -> usize {
        self.jobs.len()
    }

    /// Starts the next job's run, or records why its scenario was refused.
    fn start_next(&mut self) {
        let index = self.rows.len();
        let Some(job) = self.jobs.get(index) else {
            return;
        };
        match model_at(&self.base, &self.points[job.point], job.seed) {
            Ok(model) => self.current = Some((Simulation::new(model), index)),
            Err(e) => self.error = Some(e),
        }
    }
}

impl RunJob for SweepJob {
    type Output = SweepOutput;

    fn step(&mut self) {
        if self.is_finished() {
            return;
        }
        if self.current.is_none() {
            self.start_next();
        }
        let Some((sim, index)) = &mut self.current else {
            return;
        };
        for _ in 0..Self::EVENTS_PER_STEP {
            if !sim.step() {
                break;
            }
        }
        if sim.is_finished() {
            let job = self.jobs[*index];
            self.rows.push(row(job.point, job.seed, &sim.report()));
            self.current = None;
        }
    }

    fn progress(&self) -> f64 {
        let within = self
            .current
            .as_ref()
            .map_or(0.0, |(sim, _)| sim.progress().clamp(0.0, 1.0));
        ((self.rows.len() as f64 + within) / self.total().max(1) as f64).min(1.0)
    }

    fn is_finished(&self) -> bool {
        self.error.is_some() || self.rows.len() >= self.jobs.len()
    }

    fn output(&self) -> SweepOutput {
        let complete = self.error.is_none() && self.rows.len() == self.jobs.len();
        SweepOutput {
            spec: self.spec.clone(),
            points: if complete {
                summarize(&self.spec, &self.rows)
            } else {
                Vec::new()
            },
            runs_done: self.rows.len(),
            error: self.error.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use meridian_core::sweep::{Vary, run_job};

    fn spec(vary: &[&str], seeds: u32) -> SweepSpec {
        SweepSpec {
            scenario: "quorum-r1w1".into(),
            vary: vary.iter().map(|v| Vary::parse(v).unwrap()).collect(),
            seeds,
        }
    }

    fn base() -> Scenario {
        let mut sc = Scenario::preset("quorum-r1w1").unwrap();
        sc.duration_s = 2.0;
        sc
    }

    #[test]
    fn the_runs_in_slices_sum_up_to_cores_sweep() {
        let spec = spec(&["replication.r=1,2", "replication.w=1,2"], 2);
        let mut job = SweepJob::new(base(), spec.clone(), 200).unwrap();
        assert_eq!(job.total(), 8);
        let mut last = 0.0;
        while !job.is_finished() {
            job.step();
            assert!(job.progress() >= last);
            last = job.progress();
        }
        let out = job.output();
        assert_eq!((out.runs_done, out.error.clone()), (8, None));
        let points = spec.points();
        let rows: Vec<RunRow> = spec
            .jobs()
            .unwrap()
            .iter()
            .map(|j| run_job(&base(), &points[j.point], j.seed).unwrap())
            .collect();
        assert_eq!(out.points, summarize(&spec, &rows));
    }

    #[test]
    fn too_many_runs_and_refused_points_are_named() {
        let e = SweepJob::new(base(), spec(&["replication.r=1,2,3"], 5), 10).unwrap_err();
        assert_eq!(e, "15 runs; the page runs at most 10");
        let mut job = SweepJob::new(base(), spec(&["replication.r=1,9"], 1), 10).unwrap();
        while !job.is_finished() {
            job.step();
        }
        let out = job.output();
        assert_eq!(out.runs_done, 1);
        assert!(out.points.is_empty());
        let e = out.error.unwrap();
        assert!(e.starts_with("at replication.r=9: invalid scenario"), "{e}");
    }
}
