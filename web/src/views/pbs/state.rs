//! The PBS view's model: the form as typed, its field messages, the settings of the last valid
//! form, the run in progress and the last finished run.
//!
//! The reducer runs no simulation. A valid form whose settings differ from the last request
//! becomes [`PbsState::requested`] with a new [`PbsState::generation`], which the view turns
//! into a run through [`crate::hooks::use_run()`]; a newer request cancels the older run. A bad
//! field shows its message and leaves the last results on screen.

use std::rc::Rc;

use meridian_core::pbs::{PbsReport, Preset};
use yew::Reducible;

use super::settings::{MAX_N, Settings, parse_n, parse_quorum, parse_target};
use crate::hooks::{RunEvent, RunStatus};

/// The form as the user sees it; numbers stay text until they validate.
#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    /// The latency fit.
    pub preset: Preset,
    /// `N`, as typed.
    pub n: String,
    /// `R`, as typed.
    pub r: String,
    /// `W`, as typed.
    pub w: String,
    /// Target probability, as typed.
    pub target: String,
}

impl Form {
    /// The form showing `s`.
    pub fn of(s: &Settings) -> Self {
        Form {
            preset: s.preset,
            n: s.n.to_string(),
            r: s.r.to_string(),
            w: s.w.to_string(),
            target: s.target.to_string(),
        }
    }

    /// The settings the form holds, or a message for every bad field. `R` and `W` are held to
    /// `N` when `N` is valid, else to [`MAX_N`].
    pub fn validate(&self) -> Result<Settings, FieldErrors> {
        let n = parse_n(&self.n);
        let bound = *n.as_ref().unwrap_or(&MAX_N);
        let r = parse_quorum("R", &self.r, bound);
        let w = parse_quorum("W", &self.w, bound);
        let target = parse_target(&self.target);
        match (n, r, w, target) {
            (Ok(n), Ok(r), Ok(w), Ok(target)) => Ok(Settings {
                preset: self.preset,
                n,
                r,
                w,
                target,
            }),
            (n, r, w, target) => Err(FieldErrors {
                n: n.err(),
                r: r.err(),
                w: w.err(),
                target: target.err(),
            }),
        }
    }
}

/// Messages shown next to the fields they concern.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FieldErrors {
    /// Problem with `N`.
    pub n: Option<String>,
    /// Problem with `R`.
    pub r: Option<String>,
    /// Problem with `W`.
    pub w: Option<String>,
    /// Problem with the target.
    pub target: Option<String>,
}

impl FieldErrors {
    /// Whether any field is bad.
    pub fn any(&self) -> bool {
        self.n.is_some() || self.r.is_some() || self.w.is_some() || self.target.is_some()
    }
}

/// A finished run and the settings it ran.
#[derive(Debug, Clone, PartialEq)]
pub struct Shown {
    /// The settings.
    pub settings: Settings,
    /// What core's Monte Carlo found.
    pub report: Rc<PbsReport>,
}

/// The view's state.
#[derive(Debug, Clone, PartialEq)]
pub struct PbsState {
    /// The form.
    pub form: Form,
    /// What is wrong with the form, if anything.
    pub errors: FieldErrors,
    /// The settings of the last valid form; a change bumps [`Self::generation`].
    pub requested: Settings,
    /// Counts requests; the view starts a run whenever it moves.
    pub generation: u64,
    /// The run in progress.
    pub status: RunStatus,
    /// The settings of the run in progress.
    running: Option<Settings>,
    /// The last finished run.
    pub results: Option<Shown>,
}

/// What can happen to the view.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// A latency fit was picked.
    SetPreset(Preset),
    /// `N` was edited.
    SetN(String),
    /// `R` was edited.
    SetR(String),
    /// `W` was edited.
    SetW(String),
    /// The target was edited.
    SetTarget(String),
    /// What the run of [`PbsState::requested`] reported.
    Run(RunEvent<PbsReport>),
}

impl PbsState {
    /// The view as the page opens with `settings` (already checked), with its first request.
    pub fn new(settings: &Settings) -> Self {
        PbsState {
            form: Form::of(settings),
            errors: FieldErrors::default(),
            requested: *settings,
            generation: 1,
            status: RunStatus::Idle,
            running: None,
            results: None,
        }
    }

    /// Validates the form; valid new settings are requested.
    fn revalidate(&mut self) {
        match self.form.validate() {
            Ok(settings) => {
                self.errors = FieldErrors::default();
                if settings != self.requested {
                    self.requested = settings;
                    self.generation += 1;
                }
            }
            Err(errors) => self.errors = errors,
        }
    }
}

impl Reducible for PbsState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            Action::SetPreset(p) => s.form.preset = p,
            Action::SetN(v) => s.form.n = v,
            Action::SetR(v) => s.form.r = v,
            Action::SetW(v) => s.form.w = v,
            Action::SetTarget(v) => s.form.target = v,
            Action::Run(RunEvent::Started { run }) => {
                s.status = RunStatus::Running { run, done: 0.0 };
                s.running = Some(s.requested);
                return Rc::new(s);
            }
            Action::Run(RunEvent::Progress { run, done }) => {
                return match s.status {
                    RunStatus::Running { run: current, .. } if current == run => {
                        s.status = RunStatus::Running { run, done };
                        Rc::new(s)
                    }
                    _ => self,
                };
            }
            Action::Run(RunEvent::Finished { run, output }) => {
                return match (&s.status, s.running.take()) {
                    (RunStatus::Running { run: current, .. }, Some(settings))
                        if *current == run =>
                    {
                        s.results = Some(Shown {
                            settings,
                            report: output,
                        });
                        s.status = RunStatus::Idle;
                        Rc::new(s)
                    }
                    _ => self,
                };
            }
            Action::Run(RunEvent::Failed { run, message }) => {
                return match s.status {
                    RunStatus::Running { run: current, .. } if current == run => {
                        s.status = RunStatus::Failed { message };
                        s.running = None;
                        Rc::new(s)
                    }
                    _ => self,
                };
            }
        }
        s.revalidate();
        Rc::new(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use meridian_core::pbs::PbsConfig;

    fn report(settings: &Settings) -> Rc<PbsReport> {
        let config = PbsConfig {
            trials: 1_000,
            ..settings.config()
        };
        Rc::new(config.run().unwrap())
    }

    #[test]
    fn a_valid_change_requests_a_run_and_an_equal_one_does_not() {
        let s = Rc::new(PbsState::new(&Settings::default()));
        assert_eq!(s.generation, 1);
        let s = s.reduce(Action::SetR("2".into()));
        assert_eq!((s.requested.r, s.generation), (2, 2));
        let s = s.reduce(Action::SetR(" 2".into()));
        assert_eq!(s.generation, 2, "the same settings, no new run");
        let s = s.reduce(Action::SetPreset(Preset::Ymmr));
        assert_eq!((s.requested.preset, s.generation), (Preset::Ymmr, 3));
    }

    #[test]
    fn bad_fields_are_named_and_keep_the_request_and_results() {
        let s = Rc::new(PbsState::new(&Settings::default()));
        let settings = s.requested;
        let s = s.reduce(Action::Run(RunEvent::Started { run: 1 }));
        let s = s.reduce(Action::Run(RunEvent::Finished {
            run: 1,
            output: report(&settings),
        }));
        assert!(s.results.is_some());
        let s = s.reduce(Action::SetW("4".into()));
        assert_eq!(
            s.errors.w.as_deref(),
            Some("W '4': expected a whole number from 1 to N (3)")
        );
        assert!(s.errors.any());
        assert_eq!((s.requested, s.generation), (settings, 1));
        assert!(s.results.is_some());
        // Raising N makes W = 4 valid.
        let s = s.reduce(Action::SetN("4".into()));
        assert!(!s.errors.any());
        assert_eq!((s.requested.n, s.requested.w), (4, 4));
        // A bad N holds R and W to the largest N instead.
        let e = Form {
            n: "x".into(),
            r: "17".into(),
            ..Form::of(&settings)
        }
        .validate()
        .unwrap_err();
        assert!(e.n.is_some());
        assert_eq!(
            e.r.as_deref(),
            Some("R '17': expected a whole number from 1 to N (16)")
        );
        assert_eq!((e.w, e.target), (None, None));
    }

    #[test]
    fn events_of_older_runs_are_ignored() {
        let s = Rc::new(PbsState::new(&Settings::default()));
        let s = s.reduce(Action::Run(RunEvent::Started { run: 2 }));
        let s = s.reduce(Action::Run(RunEvent::Progress { run: 1, done: 0.5 }));
        assert_eq!(s.status, RunStatus::Running { run: 2, done: 0.0 });
        let s = s.reduce(Action::Run(RunEvent::Finished {
            run: 1,
            output: report(&Settings::default()),
        }));
        assert!(s.results.is_none());
        let s = s.reduce(Action::Run(RunEvent::Failed {
            run: 2,
            message: "no".into(),
        }));
        assert_eq!(
            s.status,
            RunStatus::Failed {
                message: "no".into()
            }
        );
    }
}
