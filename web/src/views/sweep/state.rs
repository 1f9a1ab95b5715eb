//! The Sweep view's model: the form as typed, its field messages, the settings of the last valid
//! form, the sweep in progress (or why it stopped) and the last finished sweep.
//!
//! The reducer runs no simulation. A valid form whose runs differ from the last request becomes
//! [`SweepState::requested`] with a new [`SweepState::generation`], which the view turns into a
//! [`crate::run::sweep::SweepJob`] (cancelling the one before); a new metric alone only redraws
//! the chart from the rows already in. A bad field shows its message and leaves the last chart
//! and table on screen.

use std::rc::Rc;

use super::labels;
use super::settings::{EXAMPLES, FieldErrors, Settings, parse_duration, parse_seeds, plan};
use crate::hooks::{RunEvent, RunId, RunStatus};
use crate::run::sweep::SweepOutput;
use yew::Reducible;

/// The form as the user sees it; everything stays text until it validates.
#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    /// The base preset.
    pub preset: String,
    /// The first field, `PATH=VALUES`.
    pub x: String,
    /// The second field, empty for none.
    pub y: String,
    /// The metric charted.
    pub metric: String,
    /// Seeds per point, as typed.
    pub seeds: String,
    /// Seconds per run, as typed.
    pub duration: String,
}

impl Form {
    /// The form showing `s`.
    pub fn of(s: &Settings) -> Self {
        Form {
            preset: s.preset.clone(),
            x: s.x.clone(),
            y: s.y.clone().unwrap_or_default(),
            metric: s.metric.clone(),
            seeds: s.seeds.to_string(),
            duration: s.duration_s.to_string(),
        }
    }

    /// The settings the form holds, or a message for every bad control.
    pub fn validate(&self) -> Result<Settings, Box<FieldErrors>> {
        let seeds = parse_seeds(&self.seeds);
        let duration = parse_duration(&self.duration);
        let defaults = Settings::default();
        let y = self.y.trim();
        let settings = Settings {
            preset: self.preset.clone(),
            x: self.x.trim().to_string(),
            y: (!y.is_empty()).then(|| y.to_string()),
            metric: self.metric.clone(),
            seeds: *seeds.as_ref().unwrap_or(&defaults.seeds),
            duration_s: *duration.as_ref().unwrap_or(&defaults.duration_s),
        };
        let mut errors = plan(&settings).err().map(|e| *e).unwrap_or_default();
        errors.seeds = seeds.err().or(errors.seeds);
        errors.duration = duration.err().or(errors.duration);
        if errors.any() {
            Err(Box::new(errors))
        } else {
            Ok(settings)
        }
    }
}

/// A finished sweep and the settings it ran.
#[derive(Debug, Clone, PartialEq)]
pub struct Shown {
    /// The settings.
    pub settings: Settings,
    /// What the sweep gave.
    pub output: Rc<SweepOutput>,
}

/// The view's state.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepState {
    /// The form.
    pub form: Form,
    /// What is wrong with the form, if anything.
    pub errors: FieldErrors,
    /// The settings of the last valid form; a change of its runs bumps [`Self::generation`].
    pub requested: Settings,
    /// Runs the requested sweep makes.
    pub runs: usize,
    /// The requested grid in words (`4 points × 2 seeds = 8 runs of 5 s each`).
    pub grid: String,
    /// Counts requests; the view starts a sweep whenever it moves.
    pub generation: u64,
    /// The sweep in progress.
    pub status: RunStatus,
    /// Why the last sweep stopped early: cancelled, with its runs done.
    pub stopped: Option<String>,
    /// The settings of the sweep in progress.
    running: Option<Settings>,
    /// The last finished sweep.
    pub results: Option<Shown>,
}

/// What can happen to the view.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// The base preset was picked.
    SetPreset(String),
    /// The first field was edited.
    SetX(String),
    /// The second field was edited.
    SetY(String),
    /// The metric was picked.
    SetMetric(String),
    /// The seeds were edited.
    SetSeeds(String),
    /// The duration was edited.
    SetDuration(String),
    /// One of [`EXAMPLES`] was picked.
    Example(usize),
    /// The sweep in progress was cancelled.
    Cancel,
    /// The requested sweep is to run again.
    Restart,
    /// What the sweep reported.
    Run(RunEvent<SweepOutput>),
}

/// The grid of `settings` in words, empty if they are refused.
fn grid_text(settings: &Settings) -> String {
    plan(settings).map_or(String::new(), |p| {
        labels::grid_size(p.spec.points().len(), p.spec.seeds, p.base.duration_s)
    })
}

/// The settings that decide the runs (all but the metric).
fn runs_of(s: &Settings) -> Settings {
    Settings {
        metric: String::new(),
        ..s.clone()
    }
}

impl SweepState {
    /// The view as the page opens with `settings` (already checked), its first sweep requested.
    pub fn new(settings: &Settings) -> Self {
        SweepState {
            form: Form::of(settings),
            errors: FieldErrors::default(),
            requested: settings.clone(),
            runs: plan(settings).map_or(0, |p| p.runs()),
            grid: grid_text(settings),
            generation: 1,
            status: RunStatus::Idle,
            stopped: None,
            running: None,
            results: None,
        }
    }

    /// Validates the form; valid new settings are requested, and a sweep when its runs change.
    fn revalidate(&mut self) {
        match self.form.validate() {
            Ok(settings) => {
                self.errors = FieldErrors::default();
                if runs_of(&settings) != runs_of(&self.requested) {
                    self.runs = plan(&settings).map_or(0, |p| p.runs());
                    self.grid = grid_text(&settings);
                    self.generation += 1;
                }
                self.requested = settings;
            }
            Err(errors) => self.errors = *errors,
        }
    }

    /// Runs done of the sweep in progress (by its share done), if one is going on.
    pub fn runs_done(&self) -> Option<usize> {
        match self.status {
            RunStatus::Running { done, .. } => {
                Some(((done * self.runs as f64 + 1e-9).floor() as usize).min(self.runs))
            }
            _ => None,
        }
    }

    /// The metric the chart shows: the requested one (the form's, once valid).
    pub fn metric(&self) -> &str {
        &self.requested.metric
    }

    /// Whether `run` is the run in progress.
    fn is_running(&self, run: RunId) -> bool {
        matches!(self.status, RunStatus::Running { run: current, .. } if current == run)
    }
}

impl Reducible for SweepState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            Action::SetPreset(v) => s.form.preset = v,
            Action::SetX(v) => s.form.x = v,
            Action::SetY(v) => s.form.y = v,
            Action::SetMetric(v) => s.form.metric = v,
            Action::SetSeeds(v) => s.form.seeds = v,
            Action::SetDuration(v) => s.form.duration = v,
            Action::Example(i) => {
                if let Some(example) = EXAMPLES.get(i) {
                    s.form = Form::of(&example.settings());
                }
            }
            Action::Cancel => {
                if let Some(done) = s.runs_done() {
                    s.stopped = Some(format!("Cancelled after {done} / {} runs.", s.runs));
                    s.status = RunStatus::Idle;
                    s.running = None;
                }
                return Rc::new(s);
            }
            Action::Restart => {
                s.generation += 1;
                return Rc::new(s);
            }
            Action::Run(RunEvent::Started { run }) => {
                s.status = RunStatus::Running { run, done: 0.0 };
                s.stopped = None;
                s.running = Some(s.requested.clone());
                return Rc::new(s);
            }
            Action::Run(RunEvent::Progress { run, done }) => {
                if !s.is_running(run) {
                    return self;
                }
                s.status = RunStatus::Running { run, done };
                return Rc::new(s);
            }
            Action::Run(RunEvent::Finished { run, output }) => {
                if !s.is_running(run) {
                    return self;
                }
                let settings = s.running.take().unwrap_or_else(|| s.requested.clone());
                match &output.error {
                    Some(message) => {
                        s.status = RunStatus::Failed {
                            message: message.clone(),
                        }
                    }
                    None => {
                        s.status = RunStatus::Idle;
                        s.results = Some(Shown { settings, output });
                    }
                }
                return Rc::new(s);
            }
            Action::Run(RunEvent::Failed { run, message }) => {
                if !s.is_running(run) {
                    return self;
                }
                s.status = RunStatus::Failed { message };
                s.running = None;
                return Rc::new(s);
            }
        }
        s.revalidate();
        Rc::new(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::RunJob;
    use crate::run::sweep::SweepJob;
    use crate::views::sweep::settings::MAX_RUNS;

    fn finished(s: Rc<SweepState>, run: RunId) -> Rc<SweepState> {
        let p = plan(&s.requested).unwrap();
        let mut job = SweepJob::new(p.base, p.spec, MAX_RUNS).unwrap();
        while !job.is_finished() {
            job.step();
        }
        let s = s.reduce(Action::Run(RunEvent::Started { run }));
        s.reduce(Action::Run(RunEvent::Finished {
            run,
            output: Rc::new(job.output()),
        }))
    }

    fn small() -> Settings {
        Settings {
            x: "replication.r=1,2".into(),
            y: None,
            seeds: 1,
            duration_s: 1.0,
            ..Settings::default()
        }
    }

    #[test]
    fn a_valid_edit_requests_a_sweep_and_a_new_metric_only_redraws() {
        let s = Rc::new(SweepState::new(&Settings::default()));
        assert_eq!((s.runs, s.generation), (18, 1));
        assert_eq!(s.grid, "9 points × 2 seeds = 18 runs of 10 s each");
        let s = s.reduce(Action::SetSeeds("1".into()));
        assert_eq!((s.requested.seeds, s.runs, s.generation), (1, 9, 2));
        let s = s.reduce(Action::SetSeeds(" 1 ".into()));
        assert_eq!(s.generation, 2, "the same runs, no new sweep");
        let s = s.reduce(Action::SetMetric("read_p95_ms".into()));
        assert_eq!((s.metric(), s.generation), ("read_p95_ms", 2));
        let s = s.reduce(Action::SetY(String::new()));
        assert_eq!((s.requested.y.clone(), s.runs, s.generation), (None, 3, 3));
        let s = s.reduce(Action::Example(1));
        assert_eq!(s.requested.preset, "sg-down-promote");
        assert_eq!(s.metric(), "rto_write_ms");
    }

    #[test]
    fn a_bad_field_is_named_and_keeps_the_request_and_the_chart() {
        let s = finished(Rc::new(SweepState::new(&small())), 1);
        let shown = s.results.clone().expect("a finished sweep");
        assert_eq!(shown.output.points.len(), 2);
        let requested = s.requested.clone();
        let s = s.reduce(Action::SetX("replication.q=1,2".into()));
        assert!(
            s.errors
                .x
                .as_deref()
                .unwrap()
                .contains("no field 'replication.q'")
        );
        let s = s.reduce(Action::SetSeeds("0".into()));
        assert!(s.errors.seeds.as_deref().unwrap().starts_with("seeds '0'"));
        assert_eq!((&s.requested, s.generation), (&requested, 1));
        assert_eq!(s.results, Some(shown));
    }

    #[test]
    fn a_cancelled_sweep_says_how_far_it_got_and_old_runs_are_ignored() {
        let s = Rc::new(SweepState::new(&Settings::default()));
        let s = s.reduce(Action::Run(RunEvent::Started { run: 2 }));
        let s = s.reduce(Action::Run(RunEvent::Progress { run: 1, done: 0.9 }));
        assert_eq!(s.runs_done(), Some(0));
        let s = s.reduce(Action::Run(RunEvent::Progress { run: 2, done: 0.5 }));
        assert_eq!(s.runs_done(), Some(9));
        let s = s.reduce(Action::Cancel);
        assert_eq!(s.stopped.as_deref(), Some("Cancelled after 9 / 18 runs."));
        assert_eq!(s.status, RunStatus::Idle);
        let s = s.reduce(Action::Restart);
        assert_eq!(s.generation, 2);
        let s = s.reduce(Action::Run(RunEvent::Started { run: 3 }));
        assert_eq!(s.stopped, None);
    }
}
